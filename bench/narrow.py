#!/usr/bin/env python3
"""Sorting, facets, filters and copies against a plain search, side by side on one index:

    bench/narrow.py LANTERN_BINARY CORPUS_DIR [RUNS] [BASE_BINARY NAIVE_BINARY]

Indexes CORPUS_DIR into a fresh folder, then runs each query below as a whole
`lantern search QUERY --format json` command, once as it is (ranked by relevance, copies collapsed:
the default) and once with each variant (`--facets`, `--sort modified`, `--sort date`, `--sort
path`, a filter, `--no-collapse`), RUNS times (default 15). The variants take turns at every
repetition, so that a busy moment of a shared machine hits them all. Each figure is the median
[minimum] wall time of one command and the median CPU time (user + system), and the ratio of the
medians to the relevance run's. Prints Markdown tables.

With BASE_BINARY (a Lantern built without the change measured) and NAIVE_BINARY (tantivy-naive),
first indexes CORPUS_DIR with each of the three in turn, INDEX_RUNS times (environment, default 3),
into fresh folders: wall and CPU time and index size, medians, and the ratios to tantivy-naive.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

QUERIES = ["mutex", "return", '"memory barrier"', "usb driver", "sched*"]

VARIANTS = [
    ("relevance", []),
    ("--facets", ["--facets"]),
    ("--sort modified", ["--sort", "modified"]),
    ("--sort date", ["--sort", "date"]),
    ("--sort -size", ["--sort", "-size"]),
    ("--sort path", ["--sort", "path"]),
    ("--modified '>2000'", ["--modified", ">2000"]),
    ("--no-collapse", ["--no-collapse"]),
]


def size_of(folder):
    """Bytes of the files under `folder`."""
    return sum(
        os.path.getsize(os.path.join(root, name))
        for root, _, names in os.walk(folder)
        for name in names
    )


def compare_indexing(programs, corpus, runs):
    """Indexes `corpus` with each of `programs` (name, command prefix before the index folder
    and corpus) in turn, `runs` times: median wall, CPU and size, and ratios to the last."""
    figures = {name: [] for name, _ in programs}
    for _ in range(runs):
        for name, command in programs:
            with tempfile.TemporaryDirectory() as index:
                wall, cpu = timed(command(index, corpus))
                figures[name].append((wall, cpu, size_of(index)))
    print("| indexer | wall s, median [min] | CPU s, median | size MB, median | wall / naive | size / naive |")
    print("|---|---|---|---|---|---|")
    naive = figures[programs[-1][0]]
    naive_wall = statistics.median(w for w, _, _ in naive)
    naive_size = statistics.median(s for _, _, s in naive)
    for name, _ in programs:
        walls = [w for w, _, _ in figures[name]]
        wall = statistics.median(walls)
        size = statistics.median(s for _, _, s in figures[name])
        cpu = statistics.median(c for _, c, _ in figures[name])
        print(
            f"| {name} | {wall:.1f} [{min(walls):.1f}] | {cpu:.1f} | {size / 1e6:.1f} "
            f"| {wall / naive_wall:.2f}x | {size / naive_size:.3f}x |"
        )
    print()


def timed(command):
    """Wall and CPU seconds of one command, which must exit 0 or 1."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode not in (0, 1):
        sys.exit(f"{command} failed: {done.stderr.decode()}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, corpus = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    if len(sys.argv) > 5:
        base, naive = sys.argv[4], sys.argv[5]
        compare_indexing(
            [
                ("lantern", lambda index, corpus: [binary, "--index", index, "index", corpus]),
                ("lantern, base", lambda index, corpus: [base, "--index", index, "index", corpus]),
                ("tantivy-naive", lambda index, corpus: [naive, "index", corpus, index]),
            ],
            corpus,
            int(os.environ.get("INDEX_RUNS", "3")),
        )
    with tempfile.TemporaryDirectory() as index:
        wall, cpu = timed([binary, "--index", index, "index", corpus])
        print(f"Indexed {corpus} in {wall:.1f} s ({cpu:.1f} CPU-s).\n")
        print("| query | variant | wall ms, median [min] | CPU ms, median | wall ratio |")
        print("|---|---|---|---|---|")
        for query in QUERIES:
            times = {name: [] for name, _ in VARIANTS}
            for _ in range(runs):
                for name, extra in VARIANTS:
                    command = [binary, "--index", index, "search", query, "--format", "json"]
                    times[name].append(timed(command + extra))
            base = statistics.median(w for w, _ in times["relevance"])
            for name, _ in VARIANTS:
                walls = [w for w, _ in times[name]]
                cpus = [c for _, c in times[name]]
                median = statistics.median(walls)
                print(
                    f"| `{query}` | {name} | {median * 1e3:.1f} [{min(walls) * 1e3:.1f}] "
                    f"| {statistics.median(cpus) * 1e3:.1f} | {median / base:.2f}x |"
                )


if __name__ == "__main__":
    main()
