#!/usr/bin/env python3
"""What search parity costs the engine (issue 26): the requests `lantern --engine ... search`
sends since copies fold, folders count and words are corrected on OpenSearch, replayed side by
side with the request it sent before.

    bench/opensearch_parity.py CLUSTER_URL INDEX [REPS]

INDEX is a Lantern index already synced into the cluster (`lantern --engine CLUSTER/INDEX index
CORPUS`). For each word of bench/words.txt, Lantern (target/release/lantern, or LANTERN=PATH) runs
`search --limit 50 --format json WORD` once through a recording proxy on loopback, which keeps the
bodies it sends: the spelling request (the query's words: counts and `term` suggestions), the
search (dfs_query_then_fetch, `collapse` on `copies`, ties by path length) and the request for
the copies of the page's hits. Then, REPS times (default 20) per word, interleaved, over one
keep-alive connection, this script times:
  - before: the search as Lantern sent it before this work: no dfs, no collapse, ties by path;
  - + dfs: the same with `search_type=dfs_query_then_fetch`;
  - + dfs + collapse: the collapsed search alone;
  - + dfs + collapse with inner_hits: the other way to list copies (100 a hit, one query each);
  - + dfs + collapse + the copies request: what Lantern sends now for the hits;
  - spelling: the spelling request alone;
  - now, in all: spelling, the search and the copies request, one after the other, as Lantern
    sends them;
  - OpenSearch's own highlighted `_search` (size 50, unified highlighter, fragment_size 64,
    3 fragments), the reference of the issue's search target;
  - with `--facets`: the search as before (types and months counted) and now (a request for the
    roots, then the search counting folders too).
Only the engine's time is measured (Lantern's own work is the same before and after).
Prints p50/p95 in milliseconds, and the ratio of "now, in all" to "before".
"""
import copy
import http.client
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
LANTERN = os.environ.get("LANTERN", os.path.join(HERE, "..", "target", "release", "lantern"))


def record(cluster, index, word, extra=()):
    """The (path, body) of each `_search` Lantern sends for `word` (with the options `extra`),
    through a proxy."""
    seen = []
    target = urllib.parse.urlparse(cluster)

    class Proxy(http.server.BaseHTTPRequestHandler):
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if "_search" in self.path and body:
                seen.append((self.path, json.loads(body)))
            upstream = http.client.HTTPConnection(target.hostname, target.port)
            upstream.request(self.command, self.path, body,
                             {"Content-Type": self.headers.get("Content-Type", "application/json")})
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_HEAD = forward

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    engine = f"http://127.0.0.1:{server.server_address[1]}/{index}"
    subprocess.run([LANTERN, "--engine", engine, "search", "--limit", "50", "--format", "json",
                    *extra, word], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    server.shutdown()
    return seen


def main():
    cluster, index = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    words = [line.strip() for line in open(os.path.join(HERE, "words.txt"))
             if line.strip() and not line.startswith("#")]
    plans = {}
    for word in words:
        sent = record(cluster, index, word)
        spelling = [body for path, body in sent if "suggest" in body]
        copies = [(path, body) for path, body in sent if "docvalue_fields" in body]
        searches = [(path, body) for path, body in sent
                    if "suggest" not in body and "docvalue_fields" not in body]
        if len(spelling) != 1 or len(searches) != 1 or len(copies) != 1:
            raise SystemExit(f"{word}: expected a spelling request, a search and a copies "
                             f"request, got {sent}")
        path, search = searches[0]
        before = copy.deepcopy(search)
        before.pop("collapse", None)
        before["sort"] = [clause for clause in before["sort"] if "path_length" not in clause]
        inner = copy.deepcopy(search)
        inner["collapse"]["inner_hits"] = {"name": "copies", "size": 100, "_source": ["path"],
                                           "sort": [{"path": "asc"}]}
        plain = path.split("?")[0]
        native = {
            "size": 50, "track_total_hits": True, "_source": ["path", "title", "type"],
            "query": {"term": {"body": word}},
            "highlight": {"fields": {"body": {"type": "unified", "fragment_size": 64,
                                               "number_of_fragments": 3}}},
        }
        # With --facets: the roots (a terms aggregation of `root`), then the search counting
        # folders too; before, the same search counted types and months only.
        faceted = record(cluster, index, word, ["--facets"])
        roots = [(p, b) for p, b in faceted if b.get("aggs", {}).get("roots")]
        facets = [(p, b) for p, b in faceted if b.get("aggs", {}).get("types")]
        if len(roots) != 1 or len(facets) != 1:
            raise SystemExit(f"{word}: expected a roots request and a facet search, got {faceted}")
        no_folders = copy.deepcopy(facets[0][1])
        no_folders["aggs"].pop("folders", None)
        plans[word] = {
            "facets_before": [(facets[0][0], no_folders)],
            "facets_now": [(roots[0][0], roots[0][1]), facets[0]],
            "before": [(plain, before)],
            "dfs": [(path, before)],
            "collapse": [(path, search)],
            "inner": [(path, inner)],
            "copies": [(path, search), copies[0]],
            "spelling": [(plain, spelling[0])],
            "now": [(plain, spelling[0]), (path, search), copies[0]],
            "native": [(plain, native)],
        }
    host = urllib.parse.urlparse(cluster).netloc
    connection = http.client.HTTPConnection(host)
    latency = {key: [] for key in plans[words[0]]}
    for _ in range(reps):
        for word in words:
            for key, requests in plans[word].items():
                started = time.perf_counter()
                for path, body in requests:
                    connection.request("POST", path, json.dumps(body),
                                       {"Content-Type": "application/json"})
                    answer = connection.getresponse()
                    answer.read()
                    if answer.status != 200:
                        raise SystemExit(f"{word} {key}: {answer.status}")
                latency[key].append((time.perf_counter() - started) * 1000)
    print(f"Index {index}, {len(words)} words x {reps}, interleaved: milliseconds\n")
    print("| requests | p50 | p95 |")
    print("|---|---|---|")
    for key, label in [
        ("before", "before: the search alone (no dfs, no collapse)"),
        ("dfs", "+ dfs_query_then_fetch"),
        ("collapse", "+ dfs + collapse (no copies listed)"),
        ("inner", "+ dfs + collapse with inner_hits (100 copies a hit)"),
        ("copies", "+ dfs + collapse + one request for the copies (the hits now)"),
        ("spelling", "the spelling request alone"),
        ("now", "now, in all: spelling request, search, copies request"),
        ("native", "OpenSearch `_search` + unified highlighter (reference)"),
        ("facets_before", "--facets: the search counting types and months"),
        ("facets_now", "--facets now: the roots, then the search counting folders too"),
    ]:
        values = sorted(latency[key])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"| {label} | {statistics.median(values):.1f} | {p95:.1f} |")
    ratio = statistics.median(latency["now"]) / statistics.median(latency["before"])
    print(f"\nnow / before at p50: {ratio:.2f}x")


if __name__ == "__main__":
    main()
