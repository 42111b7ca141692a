#!/usr/bin/env python3
"""Lantern on OpenSearch against the local engine and a plain bulk loader, side by side (issue 26).

    bench/opensearch.py CLUSTER_URL CORPUS_DIR [RUNS]

With a cluster from `tools/opensearch-cluster/start` and `cargo build --release`, each run does,
in this order and in the same warm page cache:
  - `lantern --engine CLUSTER/lantern-bench index CORPUS` into a fresh index (2 shards, 1 replica),
    then the same command again (a no-op re-sync);
  - `lantern --index TMP index CORPUS` into a fresh local index, then again (a no-op re-index);
  - bench/opensearch_bulk.py: opensearch-py's helpers.bulk of the already-read texts into a fresh
    index with Lantern's settings and mapping (its own timer: reading the files is not timed).
Prints a Markdown table of medians [min-max] over RUNS (default 3) runs.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LANTERN = os.path.join(HERE, "..", "target", "release", "lantern")


def timed(args, env=None):
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def delete_index(cluster, index):
    request = urllib.request.Request(f"{cluster}/{index}", method="DELETE")
    try:
        urllib.request.urlopen(request).read()
    except urllib.error.HTTPError:
        pass


def corpus_size(root):
    files = 0
    size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def cell(values, unit=""):
    return f"{statistics.median(values):.2f}{unit} [{min(values):.2f}-{max(values):.2f}]"


def main():
    cluster, corpus = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    env = dict(os.environ)
    env.pop("LANTERN_ENGINE", None)
    results = {key: [] for key in ["remote", "remote_noop", "local", "local_noop", "loader"]}
    for _ in range(runs):
        delete_index(cluster, "lantern-bench")
        engine = f"{cluster}/lantern-bench"
        results["remote"].append(timed([LANTERN, "--engine", engine, "index", corpus], env))
        results["remote_noop"].append(timed([LANTERN, "--engine", engine, "index", corpus], env))
        folder = tempfile.mkdtemp()
        try:
            index = os.path.join(folder, "index")
            results["local"].append(timed([LANTERN, "--index", index, "index", corpus], env))
            results["local_noop"].append(timed([LANTERN, "--index", index, "index", corpus], env))
        finally:
            shutil.rmtree(folder)
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "opensearch_bulk.py"), cluster, "lantern-bench",
             "lantern-bench-loader", corpus],
            check=True, capture_output=True, text=True).stdout
        results["loader"].append(float(re.search(r"in ([\d.]+) s", out).group(1)))
        delete_index(cluster, "lantern-bench-loader")
    delete_index(cluster, "lantern-bench")
    files, size = corpus_size(corpus)
    mb = size / 1e6
    print(f"Corpus {corpus}: {files} files, {mb:.1f} MB; {runs} runs; medians [min-max]\n")
    print("| measure | seconds | documents/s | MB/s |")
    print("|---|---|---|---|")
    for key, label in [
        ("remote", "Lantern sync into OpenSearch (walk + read + extract + _bulk + refresh)"),
        ("loader", "opensearch-py helpers.bulk of already-read texts (+ refresh)"),
        ("local", "Lantern local index (walk + read + extract + tantivy commit)"),
        ("remote_noop", "no-op re-sync into OpenSearch"),
        ("local_noop", "no-op local re-index"),
    ]:
        seconds = statistics.median(results[key])
        print(f"| {label} | {cell(results[key])} | {files / seconds:.0f} | {mb / seconds:.1f} |")
    ratio = statistics.median(results["loader"]) / statistics.median(results["remote"])
    noop = statistics.median(results["remote_noop"]) / statistics.median(results["local_noop"])
    print(f"\nLantern sync throughput / loader throughput: {ratio:.2f}x; "
          f"no-op re-sync / local no-op re-index: {noop:.2f}x")


if __name__ == "__main__":
    main()
