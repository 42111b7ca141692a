#!/usr/bin/env python3
"""Sorting, facets, filters and copies against a plain search, side by side on one index:

    bench/narrow.py LANTERN_BINARY CORPUS_DIR [RUNS] [BASE_BINARY NAIVE_BINARY]

Indexes CORPUS_DIR into a fresh folder, then runs each query below as a whole
`lantern search QUERY --format json` command, once as it is (ranked by relevance, copies collapsed:
the default) and once with each variant (`--facets`, `--sort modified`, `--sort date`, `--sort
path`, a filter, `--no-collapse`), RUNS times (default 15). The variants take turns at every
repetition, so that a busy moment of a shared machine hits them all. Each figure is the median
[minimum] wall time of one command, the median CPU time (user + system), the median time of the
search itself as the JSON reports it (`elapsed_ms`: without starting the process and opening the
index), and the ratios of the medians to the relevance run's. Prints Markdown tables.

Environment: NARROW_ARGS adds arguments to every search (`--fragments 0`: no highlighting);
SORT_BASE names a Lantern built without the change measured, whose relevance and `--sort
modified` runs then take turns with the others on the same index. A second table runs relevance
and `--sort modified` on the same documents: the query restricted (`--path`, one per document)
to the 50 documents `--sort modified` lists, so both highlight the same ones.

With BASE_BINARY (a Lantern built without the change measured) and NAIVE_BINARY (tantivy-naive),
first indexes CORPUS_DIR with each of the three in turn, INDEX_RUNS times (environment, default 3),
into fresh folders: wall and CPU time and index size, medians, and the ratios to tantivy-naive.
"""

import json
import os
import resource
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
                wall, cpu, _ = timed(command(index, corpus))
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
    """Wall and CPU seconds of one command, which must exit 0 or 1, and its output."""
    # getrusage counts microseconds; os.times counts clock ticks (10 ms), a search's whole CPU.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{command} failed: {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def searched(command):
    """Wall and CPU seconds of one `lantern search --format json` command, and the search's own
    time as it reports it (`elapsed_ms`: from the query to the highlighted hits, without
    starting the process and opening the index), in seconds."""
    wall, cpu, output = timed(command)
    return wall, cpu, json.loads(output)["elapsed_ms"] / 1e3


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
        wall, cpu, _ = timed([binary, "--index", index, "index", corpus])
        print(f"Indexed {corpus} in {wall:.1f} s ({cpu:.1f} CPU-s).\n")
        extra = os.environ.get("NARROW_ARGS", "").split()
        variants = [(name, binary, args + extra) for name, args in VARIANTS]
        sort_base = os.environ.get("SORT_BASE")
        if sort_base:
            variants += [
                ("relevance, base", sort_base, extra),
                ("--sort modified, base", sort_base, ["--sort", "modified"] + extra),
            ]
        compare(index, QUERIES, variants, runs)
        print("\nThe same documents both ways: the query restricted to the 50 that `--sort modified` lists.\n")
        same = []
        for query in QUERIES:
            listed = subprocess.run(
                [binary, "--index", index, "search", query, "--format", "json", "--sort", "modified"],
                capture_output=True,
            )
            paths = [hit["path"] for hit in json.loads(listed.stdout)["hits"]]
            same.append((query, [arg for path in paths for arg in ("--path", path)]))
        for n, (query, restriction) in enumerate(same):
            compare(
                index,
                [query],
                [
                    ("relevance", binary, restriction + extra),
                    ("--sort modified", binary, ["--sort", "modified"] + restriction + extra),
                ],
                runs,
                header=n == 0,
            )


def compare(index, queries, variants, runs, header=True):
    """Runs each of `queries` with each of `variants` (name, binary, arguments) in turn, `runs`
    times, and prints a table row per query and variant: medians, and ratios to the first."""
    if header:
        print(
            "| query | variant | wall ms, median [min] | CPU ms, median | search ms, median "
            "| wall ratio | CPU ratio | search ratio |"
        )
        print("|---|---|---|---|---|---|---|---|")
    for query in queries:
        times = {name: [] for name, _, _ in variants}
        for _ in range(runs):
            for name, program, args in variants:
                command = [program, "--index", index, "search", query, "--format", "json"]
                times[name].append(searched(command + args))
        medians = {
            name: [statistics.median(run[n] for run in times[name]) for n in range(3)]
            for name in times
        }
        first = medians[variants[0][0]]
        for name, _, _ in variants:
            wall, cpu, search = medians[name]
            fastest = min(run[0] for run in times[name])
            ratios = " | ".join(
                f"{value / base:.2f}x" if base else "-" for value, base in zip(medians[name], first)
            )
            print(
                f"| `{query}` | {name} | {wall * 1e3:.1f} [{fastest * 1e3:.1f}] "
                f"| {cpu * 1e3:.1f} | {search * 1e3:.2f} | {ratios} |"
            )


if __name__ == "__main__":
    main()
