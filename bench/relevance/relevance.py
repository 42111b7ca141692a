#!/usr/bin/env python3
"""Relevance benchmark: known-item queries, in three forms, against Lantern and a BM25 reference.

A benchmark, not a test: it prints figures, it asserts nothing. Results: BENCHMARKS.md, "Relevance".

    python3 bench/relevance/relevance.py --corpora /work/corpora --lantern target/debug/lantern \
        --work /work/corpora/relevance [--corpus linux-docs --corpus documents] \
        [--search-option=--and]

For each corpus it
1. indexes the corpus with the given `lantern` binary (incremental: a kept index is reused);
2. reads back, through `lantern mcp`'s `read` tool, the exact text Lantern indexed of every
   document, so the reference ranks the same text;
3. builds a judged query set automatically (known-item search: a document's or a section's title
   words as the query, that document as the one relevant answer), keeping only titles that are
   unique in the corpus and not generic;
4. derives each query in two more forms, seeded: one word inflected to another form with the same
   English (Snowball) stem that occurs in the corpus (`module` -> `modules`), and one typo (one
   edit, not on the first letter, in one word of five letters or more, giving a word the corpus
   does not have);
5. runs every query through `lantern search --format json -n 10 --fragments 0` and through a BM25
   reference (`bm25s`, Snowball English stemmer from `PyStemmer`, English stop words, k1 1.5,
   b 0.75, or each --b) over the same texts (and, on a corpus with titles, over each title and
   text together; with --unstemmed, also without stemming), and prints MRR@10 and success@10
   per system, form and kind of query. Lantern queries are escaped for the Lucene syntax;
   syntax errors are counted apart.

Requires `pip install bm25s PyStemmer`.
"""

import argparse
import collections
import concurrent.futures
import html.parser
import json
import os
import random
import re
import subprocess
import sys

import bm25s
import Stemmer

SEED = 23
STEMMER = Stemmer.Stemmer("english")
WORD = re.compile(r"\w+")
# Characters with a meaning in the Lucene syntax, escaped with a backslash wherever they stand.
SPECIAL = set('+-!():^[]"{}~*?\\/&|')
OPERATORS = {"AND", "OR", "NOT"}
# A word of letters standing alone, not a part of an identifier (`UDP-Lite`, `G_ENC_INDEX`).
PLAIN_WORD = re.compile(r"(?<![\w./-])[A-Za-z]{3,}(?![\w./-])")
STOPWORDS = set(bm25s.stopwords.STOPWORDS_EN)
# Titles made only of these words say nothing about one document.
GENERIC = set(
    """introduction overview contents index summary examples example usage notes note todo
    references reference see also description details background api documentation changelog
    changes license the a an of and or in on for to with by kernel linux howto guide faq
    glossary appendix design implementation""".split()
)


def log(*args):
    """Progress on stderr, so stdout stays the report."""
    print(*args, file=sys.stderr, flush=True)


# --- Documents: the text Lantern indexed, read back through its MCP server ---------------------


class Mcp:
    """A minimal MCP stdio client of `lantern mcp`: JSON-RPC lines in, lines out."""

    def __init__(self, lantern, index):
        self.proc = subprocess.Popen(
            [lantern, "--index", index, "mcp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.next_id = 0
        self.request("initialize", {
            "protocolVersion": "2025-03-26",
            "capabilities": {},
            "clientInfo": {"name": "relevance-bench", "version": "1"},
        })
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            reply = json.loads(self.proc.stdout.readline())
            if reply.get("id") == self.next_id:
                return reply

    def call(self, tool, arguments):
        """The tool's structured result, or None when the tool reports an error."""
        result = self.request("tools/call", {"name": tool, "arguments": arguments})["result"]
        if result.get("isError"):
            return None
        return result["structuredContent"]

    def read_all(self, path):
        """The whole stored text of `path`, or None when the index does not hold it."""
        parts, start = [], 1
        while True:
            page = self.call("read", {"path": path, "start_line": start, "end_line": start + 499})
            if page is None:
                return None
            parts.append(page["text"])
            if page["end_line"] >= page["total_lines"] or page["end_line"] < start:
                return "".join(parts)
            start = page["end_line"] + 1

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def load_documents(lantern, index, root, cache):
    """{path: text} of every document of `root` the index holds, cached in `cache` (JSON)."""
    if os.path.exists(cache):
        with open(cache) as f:
            return json.load(f)
    mcp = Mcp(lantern, index)
    docs = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(folder, name)
            text = mcp.read_all(path)
            if text is not None:
                docs[path] = text
    mcp.close()
    with open(cache, "w") as f:
        json.dump(docs, f)
    return docs


def titles_by_path(lantern, index):
    """{path: title} of the documents that have a title, from a search for every document."""
    out = subprocess.run(
        [lantern, "--index", index, "search", "--format", "json", "--fragments", "0",
         "-n", "100000", "*"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {hit["path"]: hit["title"] for hit in json.loads(out)["hits"] if hit["title"]}


# --- Known items: titles as queries -----------------------------------------------------------


def rst_title(text):
    """The first reStructuredText heading of `text` (a line underlined with punctuation)."""
    lines = text.splitlines()
    for i in range(len(lines) - 1):
        line, under = lines[i].strip(), lines[i + 1].strip()
        if (line and under and len(set(under)) == 1 and under[0] in "=-~*#^+'`:._\""
                and len(under) >= len(line) and WORD.search(line)
                and not line.startswith("..")):
            return line
    return None


class Headings(html.parser.HTMLParser):
    """The text of every <h1>-<h3> of an HTML page, in order, with the level."""

    def __init__(self):
        super().__init__()
        self.level, self.parts, self.found = None, [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3"):
            self.level, self.parts = int(tag[1]), []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self.level is not None:
            text = " ".join("".join(self.parts).replace("\u00b6", "").split())
            if text:
                self.found.append((self.level, text))
            self.level = None

    def handle_data(self, data):
        if self.level is not None:
            self.parts.append(data)


def normalise(title):
    """What makes two titles "the same" for uniqueness: their lower-cased words."""
    return " ".join(WORD.findall(title.lower()))


def good_title(title):
    """A title worth asking for: 1 to 8 words, not only generic ones, not only digits."""
    words = WORD.findall(title.lower())
    if not 1 <= len(words) <= 8:
        return False
    if all(w in GENERIC or w.isdigit() or len(w) < 2 for w in words):
        return False
    return len(title) <= 80


def unique_items(candidates):
    """Candidates (kind, title, relevant paths) whose normalised title no other candidate has."""
    counts = collections.Counter(normalise(title) for _, title, _ in candidates)
    return [c for c in candidates if counts[normalise(c[1])] == 1 and good_title(c[1])]


def linux_docs_items(root, docs):
    """Each reStructuredText document's title, that document relevant (translations left out)."""
    items = []
    for path, text in docs.items():
        rel = os.path.relpath(path, root)
        if rel.startswith("translations/") or not path.endswith(".rst"):
            continue
        title = rst_title(text[:4000])
        if title:
            items.append(("doc title", title, [path]))
    return items


def documents_items(root, docs, titles):
    """Python manual pages' titles and section headings, and PDF titles, as known items.

    The HTML page is relevant together with its reStructuredText source under `_sources/`,
    which holds the same words.
    """
    items = []
    suffix = re.compile(r"\s+[\u2014-]+\s+Python 3\.\d+\.\d+ documentation$")
    for path in docs:
        if path.endswith(".html") and "/html/" in path:
            rel = os.path.relpath(path, os.path.join(root, "html", "python3.11"))
            if rel.startswith(("genindex", "py-modindex", "search", "_")) or "whatsnew/" in rel:
                continue
            source = os.path.join(root, "html", "python3.11", "_sources", rel[:-5] + ".rst.txt")
            relevant = [path] + ([source] if source in docs else [])
            with open(path, encoding="utf-8", errors="replace") as f:
                parser = Headings()
                parser.feed(f.read())
            for level, heading in parser.found:
                kind = "page title" if level == 1 else "section"
                items.append((kind, heading, relevant))
        elif path.endswith(".pdf") and titles.get(path):
            items.append(("pdf title", suffix.sub("", titles[path]), [path]))
    return items


# --- The three forms -------------------------------------------------------------------------


def inflections(word):
    """Other forms of a lower-case word, plural/singular first, then -ing and -ed."""
    out = []
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    elif word.endswith(("ses", "xes", "ches", "shes")):
        out.append(word[:-2])
    elif word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        out.append(word[:-1] + "ies")
    elif word.endswith(("s", "x", "ch", "sh")):
        out.append(word + "es")
    else:
        out.append(word + "s")
    if word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
    elif word.endswith("ed"):
        out += [word[:-2], word[:-1], word[:-2] + "ing", word[:-1] + "ing"]
    elif word.endswith("e"):
        out += [word[:-1] + "ing", word + "d"]
    else:
        out += [word + "ing", word + "ed"]
    return out


def match_case(original, word):
    """`word` in the case pattern of `original` (all capitals, capitalised, or as is)."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflected(query, vocabulary, rng):
    """`query` with one plain word (not a stop word, not in capitals) in another form of the same
    stem that the corpus has, or None."""
    spots = []
    for m in PLAIN_WORD.finditer(query):
        word = m.group().lower()
        if word in STOPWORDS or m.group().isupper():
            continue
        stem = STEMMER.stemWord(word)
        forms = [f for f in inflections(word)
                 if f != word and f in vocabulary and STEMMER.stemWord(f) == stem]
        if forms:
            spots.append((m, forms[0]))
    if not spots:
        return None
    m, form = rng.choice(spots)
    return query[:m.start()] + match_case(m.group(), form) + query[m.end():]


def typo(query, vocabulary, rng):
    """`query` with one edit in one plain word of 5+ letters, not on its first letter, giving a
    word the corpus does not have, or None."""
    spots = [m for m in PLAIN_WORD.finditer(query) if len(m.group()) >= 5]
    if not spots:
        return None
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(20):
        m = rng.choice(spots)
        word = m.group()
        i = rng.randrange(1, len(word))
        kind = rng.choice(["delete", "insert", "substitute", "transpose"])
        if kind == "delete":
            new = word[:i] + word[i + 1:]
        elif kind == "insert":
            new = word[:i] + rng.choice(letters) + word[i:]
        elif kind == "substitute":
            new = word[:i] + rng.choice(letters.replace(word[i].lower(), "")) + word[i + 1:]
        else:
            if i == len(word) - 1 or word[i] == word[i + 1]:
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if new.lower() not in vocabulary:
            return query[:m.start()] + new + query[m.end():]
    return None


def build_queries(items, vocabulary, per_kind):
    """Up to `per_kind` queries of each kind, each in three forms, seeded."""
    rng = random.Random(SEED)
    by_kind = collections.defaultdict(list)
    for item in sorted(items, key=lambda item: (item[0], item[1])):
        by_kind[item[0]].append(item)
    queries = []
    for kind in sorted(by_kind):
        pool = by_kind[kind]
        rng.shuffle(pool)
        taken = 0
        for _, title, relevant in pool:
            forms = {"as written": title,
                     "inflected": inflected(title, vocabulary, rng),
                     "one typo": typo(title, vocabulary, rng)}
            if None in forms.values():
                continue
            queries.append({"kind": kind, "forms": forms, "relevant": relevant})
            taken += 1
            if taken == per_kind:
                break
    return queries


# --- Systems ---------------------------------------------------------------------------------


def lucene_escape(query):
    """`query` as plain words for the Lucene syntax: specials escaped, operators lower-cased."""
    words = []
    for word in query.split():
        if word in OPERATORS:
            word = word.lower()
        words.append("".join("\\" + c if c in SPECIAL else c for c in word))
    return " ".join(words)


def lantern_run(lantern, index, query, options=()):
    """Lantern's top 10 paths for `query` searched with `options` (e.g. `--no-correct`), or
    None when it was refused (a syntax error)."""
    proc = subprocess.run(
        [lantern, "--index", index, "search", "--format", "json", "-n", "10", "--fragments",
         "0", *options, "--", lucene_escape(query)],
        capture_output=True, text=True,
    )
    if proc.returncode not in (0, 1):
        log(f"lantern refused {query!r}: {proc.stderr.strip()}")
        return None
    return [hit["path"] for hit in json.loads(proc.stdout)["hits"]]


class Bm25:
    """The reference: bm25s over the same texts, English stop words, Snowball English stems
    (or, with `stem` false, the words as they are)."""

    def __init__(self, docs, b, stem=True):
        self.paths = list(docs)
        self.stemmer = STEMMER if stem else None
        tokens = bm25s.tokenize([docs[p] for p in self.paths], stopwords="en",
                                stemmer=self.stemmer, show_progress=False)
        self.model = bm25s.BM25(k1=1.5, b=b)
        self.model.index(tokens, show_progress=False)

    def run(self, queries):
        tokens = bm25s.tokenize(queries, stopwords="en", stemmer=self.stemmer,
                                show_progress=False, return_ids=False)
        out = []
        for words in tokens:
            if not words:
                out.append([])
                continue
            results, scores = self.model.retrieve([words], k=10, show_progress=False)
            out.append([self.paths[i] for i, s in zip(results[0], scores[0]) if s > 0])
        return out


def score(ranked, relevant):
    """(reciprocal rank within 10, success within 10) of one ranked list."""
    for rank, path in enumerate(ranked[:10], 1):
        if path in relevant:
            return 1.0 / rank, 1.0
    return 0.0, 0.0


def summarise(name, queries, runs):
    """Rows of MRR@10 / success@10 per kind and form, for one system."""
    rows = []
    kinds = sorted({q["kind"] for q in queries})
    kinds += ["all"] if len(kinds) > 1 else []
    for kind in kinds:
        subset = [i for i, q in enumerate(queries) if kind in ("all", q["kind"])]
        cells = []
        for form in FORMS:
            results = [runs[form][i] for i in subset]
            errors = sum(r is None for r in results)
            pairs = [score(r or [], set(queries[i]["relevant"])) for i, r in zip(subset, results)]
            mrr = sum(p[0] for p in pairs) / len(pairs)
            success = sum(p[1] for p in pairs) / len(pairs)
            cells.append(f"{mrr:.3f} / {success:.3f}" + (f" ({errors} errors)" if errors else ""))
        rows.append(f"| {name} | {kind} ({len(subset)}) | " + " | ".join(cells) + " |")
    return rows


FORMS = ["as written", "inflected", "one typo"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", required=True, help="the folder corpora.sh built")
    parser.add_argument("--lantern", required=True, help="the lantern binary to measure")
    parser.add_argument("--work", required=True, help="where indexes, texts and queries go")
    parser.add_argument("--corpus", action="append", choices=["linux-docs", "documents"])
    parser.add_argument("--per-kind", type=int, default=400, help="queries per kind at most")
    parser.add_argument("--b", type=float, action="append",
                        help="BM25 reference b values (default 0.75)")
    parser.add_argument("--label", default="Lantern", help="the Lantern row's name")
    parser.add_argument("--search-option", action="append", default=[],
                        help="an option for each `lantern search`, e.g. --no-correct")
    parser.add_argument("--unstemmed", action="store_true",
                        help="also rank with the reference without stemming")
    parser.add_argument("--save", help="write each query's ranked lists here (JSON)")
    args = parser.parse_args()
    lantern = os.path.abspath(args.lantern)
    os.makedirs(args.work, exist_ok=True)
    saved = {}
    for corpus in args.corpus or ["linux-docs", "documents"]:
        root = os.path.join(args.corpora, corpus)
        index = os.path.join(args.work, f"index-{corpus}")
        # Incremental: a kept index costs a walk, and one of another schema is rebuilt.
        log(f"indexing {root}")
        subprocess.run([lantern, "--index", index, "index", root], check=True,
                       stdout=subprocess.DEVNULL)
        log(f"reading the texts of {corpus}")
        docs = load_documents(lantern, index, root, os.path.join(args.work, f"{corpus}.texts.json"))
        query_file = os.path.join(args.work, f"{corpus}.queries.json")
        if os.path.exists(query_file):
            with open(query_file) as f:
                queries = json.load(f)
        else:
            vocabulary = set()
            for text in docs.values():
                vocabulary.update(WORD.findall(text.lower()))
            if corpus == "linux-docs":
                items = linux_docs_items(root, docs)
            else:
                items = documents_items(root, docs, titles_by_path(lantern, index))
            queries = build_queries(unique_items(items), vocabulary, args.per_kind)
            with open(query_file, "w") as f:
                json.dump(queries, f, indent=1)
        log(f"{corpus}: {len(docs)} documents, {len(queries)} queries")
        rows = []
        runs = {}
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for form in FORMS:
                runs[form] = list(pool.map(lambda q: lantern_run(lantern, index, q["forms"][form],
                                                             args.search_option),
                                           queries))
        rows += summarise(args.label, queries, runs)
        saved[corpus] = {"queries": queries, "lantern": runs}
        # Documents with a title are also ranked by the reference with the title before the
        # text, as a one-field engine would see them.
        titles = titles_by_path(lantern, index)
        titled = {path: f"{titles[path]}\n{text}" if path in titles else text
                  for path, text in docs.items()}
        texts = [("", docs, True)] + ([("title + text, ", titled, True)] if titles else [])
        texts += [("no stemming, ", docs, False)] if args.unstemmed else []
        for b in args.b or [0.75]:
            for what, corpus_texts, stem in texts:
                log(f"BM25 reference, {what}b {b}")
                reference = Bm25(corpus_texts, b, stem)
                ref_runs = {form: reference.run([q["forms"][form] for q in queries])
                            for form in FORMS}
                name = f"BM25 ref. ({what}b {b})"
                rows += summarise(name, queries, ref_runs)
                saved[corpus][name] = ref_runs
        print(f"\n### {corpus}: {len(docs)} documents, {len(queries)} queries\n")
        print("| system | queries | as written | inflected | one typo |")
        print("|---|---|---|---|---|")
        print("\n".join(rows), flush=True)
    if args.save:
        with open(args.save, "w") as f:
            json.dump(saved, f)


if __name__ == "__main__":
    main()
