#!/usr/bin/env python3
"""Two builds of Lantern side by side: binary size, a full index, and whole `lantern search` commands.

Made to compare release profiles (the default one and one with LTO, codegen-units = 1, strip):

    bench/profile.py BEFORE_BINARY AFTER_BINARY CORPUS_DIR...

For each corpus, each binary indexes it into a fresh folder of its own INDEX_RUNS times (default 3);
then every query below runs as a whole `lantern search QUERY --format json` command RUNS times
(default 20) with each binary. The two binaries take turns at every repetition, so that a busy
moment of a shared machine hits both. Each figure is the median [minimum] over the repetitions of
the wall time of one command (process start, opening the index, searching, printing) and the CPU
time (user + system) it used; CPU time moves less than wall time when other work shares the
machine. Prints a Markdown table.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

QUERIES = [
    "mutex",
    '"error handling" OR mutex',
    '"memory barrier"',
    "sched*",
    "kmallc~",
    "path:*.rst workqueue",
    '"page table entry"',
    '"lock the mutex"~3',
]


def run(command):
    """Runs `command` with its output discarded; returns (wall ms, CPU ms). Stops if it fails."""
    start = time.perf_counter_ns()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench: {command} failed with status {process.returncode}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1e3


def figure(samples):
    """`median [min] ms` of wall times and the median CPU time, for one table cell."""
    walls = [wall for wall, _ in samples]
    cpus = [cpu for _, cpu in samples]
    return (
        f"{statistics.median(walls):.2f} [{min(walls):.2f}] ms, "
        f"CPU {statistics.median(cpus):.2f} ms"
    )


def main():
    if len(sys.argv) < 4:
        sys.exit(f"usage: {sys.argv[0]} BEFORE_BINARY AFTER_BINARY CORPUS_DIR...")
    builds = {"before": sys.argv[1], "after": sys.argv[2]}
    corpora = sys.argv[3:]
    runs = int(os.environ.get("RUNS", "20"))
    index_runs = int(os.environ.get("INDEX_RUNS", "3"))

    print("| | before | after |")
    print("|---|---|---|")
    sizes = [f"{os.path.getsize(binary) / 1e6:.1f} MB" for binary in builds.values()]
    print(f"| binary size | {sizes[0]} | {sizes[1]} |")
    with tempfile.TemporaryDirectory() as work:
        for corpus in corpora:
            name = os.path.basename(os.path.normpath(corpus))
            index = {build: os.path.join(work, f"{build}-{name}") for build in builds}
            samples = {build: [] for build in builds}
            for _ in range(index_runs):
                for build, binary in builds.items():
                    subprocess.run(["rm", "-rf", index[build]], check=True)
                    samples[build].append(run([binary, "--index", index[build], "index", corpus]))
            print(f"| {name}: full index | {figure(samples['before'])} | {figure(samples['after'])} |")
            for query in QUERIES:
                samples = {build: [] for build in builds}
                for _ in range(runs):
                    for build, binary in builds.items():
                        command = [binary, "--index", index[build], "search", query, "--format", "json"]
                        samples[build].append(run(command))
                print(
                    f"| {name}: `lantern search '{query}'` "
                    f"| {figure(samples['before'])} | {figure(samples['after'])} |"
                )


if __name__ == "__main__":
    main()
