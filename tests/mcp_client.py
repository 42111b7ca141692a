#!/usr/bin/env python3
"""A real MCP client (the official Python SDK, `pip install mcp`) driving `lantern mcp`.

Usage: mcp_client.py LANTERN INDEX QUERY PATH LINE DOCUMENTS

Starts `LANTERN --index INDEX mcp` (`LANTERN --engine INDEX mcp` when INDEX is an http(s) URL, an
OpenSearch index) over stdio, initializes a session, lists the tools and calls
them: `search QUERY` must rank PATH first with a fragment starting at most two lines before LINE, `read PATH` must return that
line with the query's word, `status` must count DOCUMENTS documents. Malformed queries, paths not
in the index and out-of-range arguments must come back as tool errors (isError), and the server
must keep serving after them. Prints one `ok:` line per check; exits 1 with `FAIL:` on the first
failed check. tests/mcp.rs runs this.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def field(obj, snake, camel):
    """An attribute of an SDK object under its 2.x (snake_case) or 1.x (camelCase) name."""
    return getattr(obj, snake, None) if hasattr(obj, snake) else getattr(obj, camel, None)


def check(condition, what, detail=""):
    if not condition:
        print(f"FAIL: {what}{': ' + str(detail) if detail != '' else ''}", flush=True)
        sys.exit(1)
    print(f"ok: {what}", flush=True)


def text_of(result):
    return "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text")


def output_of(result):
    """The tool's JSON output: the structured content, else the text parsed as JSON."""
    structured = field(result, "structured_content", "structuredContent")
    return structured if structured is not None else json.loads(text_of(result))


async def call(session, name, arguments):
    result = await session.call_tool(name, arguments)
    return result, bool(field(result, "is_error", "isError"))


async def main(lantern, index, query, path, line, documents):
    engine = index.startswith(("http://", "https://"))
    target = ["--engine", index] if engine else ["--index", index]
    server = StdioServerParameters(command=lantern, args=[*target, "mcp"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            info = field(init, "server_info", "serverInfo")
            check(info.name == "lantern", "initialize names the server", info)

            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            check(sorted(tools) == ["read", "search", "status"], "three tools", sorted(tools))
            schema = field(tools["search"], "input_schema", "inputSchema")
            check(schema.get("required") == ["query"], "search requires only a query", schema)
            check(
                set(schema["properties"])
                == {"query", "limit", "offset", "fragments", "correct", "sort", "type", "path", "modified", "size", "date", "facets", "collapse"},
                "search takes query, limit, offset, fragments, correct, sort and the filters",
                schema["properties"].keys(),
            )
            schema = field(tools["read"], "input_schema", "inputSchema")
            check(schema.get("required") == ["path"], "read requires only a path", schema)

            result, error = await call(session, "search", {"query": query})
            check(not error, "search succeeds", text_of(result))
            found = output_of(result)
            check(found["total"] >= 1 and not found["timed_out"], "search counts its hits", found)
            top = found["hits"][0]
            check(top["path"] == path and top["rank"] == 1, "the expected document ranks first", top)
            # A fragment may start a little before its match, on an earlier line.
            check(
                any(line - 2 <= f["line"] <= line and "**" in f["text"] for f in top["fragments"]),
                f"a fragment with a ** match starts just before or at line {line}",
                top["fragments"],
            )
            check(len(json.dumps(found)) < 40_000, "the output stays small")

            result, error = await call(session, "search", {"query": query, "limit": 1, "offset": 1})
            page = output_of(result)
            check(
                not error and all(hit["rank"] == 2 for hit in page["hits"]),
                "offset skips hits and ranks count from the top",
                page,
            )

            # An agent's malformed query is searched as its words, the syntax error in a note.
            result, error = await call(session, "search", {"query": "(" + query + " OR"})
            check(not error, "a malformed query is searched", text_of(result))
            lenient = output_of(result)
            check(
                lenient["hits"] and lenient["hits"][0]["path"] == path,
                "the malformed query's words find the document",
                lenient,
            )
            check(
                "not valid syntax" in lenient.get("note", "") and "needs a clause" in lenient["note"],
                "the note gives the syntax error",
                lenient,
            )

            result, error = await call(session, "read", {"path": path, "start_line": line, "end_line": line})
            check(not error, "read succeeds", text_of(result))
            lines = output_of(result)
            word = query.split()[0].lower()
            check(
                lines["start_line"] == line and lines["end_line"] == line and word in lines["text"].lower(),
                f"read returns line {line} with '{word}'",
                lines,
            )
            check(lines["total_lines"] >= line, "read gives the line count", lines)

            result, error = await call(session, "read", {"path": path})
            whole = output_of(result)
            check(
                not error and whole["start_line"] == 1 and whole["text"].count("\n") == whole["end_line"],
                "read defaults to the first lines",
                whole,
            )

            for absent in [path + ".missing", "/etc/passwd", "relative.txt"]:
                result, error = await call(session, "read", {"path": absent})
                check(
                    error and "not in the index" in text_of(result) and "root:" not in text_of(result),
                    f"read of {absent} is refused",
                    text_of(result),
                )

            result, error = await call(session, "read", {"path": path, "start_line": 0})
            check(error and "from 1" in text_of(result), "start_line 0 is a tool error", text_of(result))

            result, error = await call(session, "status", {})
            check(not error, "status succeeds", text_of(result))
            status = output_of(result)
            check(status["documents"] == documents, f"status counts {documents} documents", status)
            if engine:
                # The engine's own status: its cluster's health instead of a folder's size.
                check(
                    len(status["roots"]) == 1 and status["health"] in ("green", "yellow"),
                    "status lists the root and the cluster's health",
                    status,
                )
            else:
                check(len(status["roots"]) == 1 and status["size_bytes"] > 0, "status lists the root", status)

            result, error = await call(session, "search", {"query": query, "limit": 1})
            check(not error, "the server still serves after errors", text_of(result))
    print("ALL OK", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    lantern, index, query, path, line, documents = sys.argv[1:]
    asyncio.run(main(lantern, index, query, path, int(line), int(documents)))
