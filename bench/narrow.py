#!/usr/bin/env python3
"""Sorting and filtering against a plain search, side by side on one index:

    bench/narrow.py LANTERN_BINARY CORPUS_DIR [RUNS]

Indexes CORPUS_DIR into a fresh folder, then runs each query below as a whole
`lantern search QUERY --format json` command, once as it is (ranked by relevance) and once with each
variant (`--facets`, `--sort modified`, `--sort path`, a filter), RUNS times (default 15). The variants take
turns at every repetition, so that a busy moment of a shared machine hits them all. Each figure is
the median [minimum] wall time of one command and the median CPU time (user + system), and the
ratio of the medians to the relevance run's. Prints a Markdown table.
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
    ("--sort -size", ["--sort", "-size"]),
    ("--sort path", ["--sort", "path"]),
    ("--modified '>2000'", ["--modified", ">2000"]),
]


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
