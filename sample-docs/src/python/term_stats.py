#!/usr/bin/env python3
"""term_stats.py - print the most frequent terms in a folder of text files.

A quick way to see why one document outranks another: ranking functions
such as BM25 reward a term that is frequent in a document but rare in the
collection (inverse document frequency).

Usage: python3 term_stats.py ../../notes [TOP_N]
"""
import collections
import math
import pathlib
import re
import sys

WORD = re.compile(r"\w+", re.UNICODE)


def documents(root):
    for path in sorted(pathlib.Path(root).rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.parts):
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                print(f"skipping {path}: not valid UTF-8", file=sys.stderr)


def main(argv):
    root = argv[1] if len(argv) > 1 else "."
    top_n = int(argv[2]) if len(argv) > 2 else 10
    tf = {}
    df = collections.Counter()
    for path, text in documents(root):
        counts = collections.Counter(w.lower() for w in WORD.findall(text))
        tf[path] = counts
        df.update(counts.keys())
    n_docs = len(tf) or 1
    for path, counts in tf.items():
        scored = sorted(
            counts.items(),
            key=lambda kv: kv[1] * math.log(n_docs / df[kv[0]] + 1),
            reverse=True,
        )
        terms = ", ".join(f"{w}({c})" for w, c in scored[:top_n])
        print(f"{path}: {terms}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
