#!/usr/bin/env python3
"""Two Lantern builds syncing the same corpus into OpenSearch, taking turns (issue 26).

    CLUSTER_PID=PID bench/opensearch_ab.py BINARY_A BINARY_B CLUSTER_URL CORPUS_DIR [RUNS]

Each run syncs CORPUS_DIR with BINARY_A, then with BINARY_B, each into a fresh index
(`lantern --engine CLUSTER_URL/lantern-ab index CORPUS_DIR`), and records the wall time and the
CPU seconds the cluster's JVM (CLUSTER_PID, from /proc) spent meanwhile. Prints medians
[min-max] over RUNS (default 3) runs. For a change that only the cluster's side of a sync can
show (index settings during the sync), on a shared machine where the CPU is the steadier figure.
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request


def cluster_cpu(pid):
    """User + system CPU seconds of process `pid` so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def delete_index(url):
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE")).read()
    except urllib.error.HTTPError:
        pass


def main():
    binaries = {"A": sys.argv[1], "B": sys.argv[2]}
    cluster, corpus = sys.argv[3], os.path.abspath(sys.argv[4])
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    pid = os.environ["CLUSTER_PID"]
    engine = f"{cluster}/lantern-ab"
    results = {name: [] for name in binaries}
    for _ in range(runs):
        for name, binary in binaries.items():
            delete_index(engine)
            cpu, started = cluster_cpu(pid), time.perf_counter()
            subprocess.run([binary, "--engine", engine, "index", corpus], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results[name].append((time.perf_counter() - started, cluster_cpu(pid) - cpu))
    delete_index(engine)
    print("| build | wall s | cluster JVM CPU s |")
    print("|---|---|---|")
    for name, binary in binaries.items():
        walls = [wall for wall, _ in results[name]]
        cpus = [cpu for _, cpu in results[name]]
        print(f"| {name}: {binary} | {statistics.median(walls):.2f} "
              f"[{min(walls):.2f}-{max(walls):.2f}] | {statistics.median(cpus):.2f} |")


if __name__ == "__main__":
    main()
