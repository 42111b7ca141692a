#!/usr/bin/env python3
"""Lantern on OpenSearch against the local engine and a plain bulk loader, side by side (issue 26).

    bench/opensearch.py CLUSTER_URL CORPUS_DIR [RUNS]

With a cluster from `tools/opensearch-cluster/start` and `cargo build --release`, each run does,
in this order and in the same warm page cache:
  - `lantern --engine CLUSTER/lantern-bench index CORPUS` into a fresh index (2 shards, 1 replica);
    the same command again is a no-op re-sync (the index is clean and the walk the one it
    recorded, so the mapping request is the only one); after erasing the index's sync state from
    its `_meta` (as after a killed run), a no-op must wait for running `_bulk` tasks, refresh,
    read the whole catalog, and records the clean state again;
  - `lantern --index TMP index CORPUS` into a fresh local index; then NOOP_REPS times (default
    5), taking turns: the remote no-op, the local no-op re-index, the requests alone (below),
    and the remote no-op without a sync state;
  - bench/opensearch_bulk.py: opensearch-py's helpers.bulk of the texts Lantern extracted (read
    back from Lantern's index first, not timed) into a fresh index with the same settings and
    mapping (its own timer).
  - the cluster's part of each no-op alone, from this script over one keep-alive connection,
    without a process to start or a folder to walk: the floor each cannot go below on this
    cluster. After a clean sync, the mapping request; without a state, the mapping, the running
    `_bulk` tasks, a refresh and the catalog pages (path, size and mtime as sort values).
Then (unless SEARCH_REPS=0), on the synced index, for each word of bench/words.txt, SEARCH_REPS times (default 5),
interleaved: `lantern --engine ... search --limit 50 --format json WORD` (3 fragments a hit, the
whole command: process start, query, Lantern's highlighting), the same command on the local
index, and OpenSearch's own highlighted search (`_search`, size 50, unified highlighter,
fragment_size 64, number_of_fragments 3) sent from this script over one keep-alive connection,
which has no process to start. Prints p50/p95 of each.
Prints Markdown tables of medians [min-max] over RUNS (default 3) runs, and the CPU seconds of
each sync: the client's own and, when CLUSTER_PID names the cluster's JVM (its DIR/pid file), the
cluster's meanwhile (on a shared machine, where wall times are noisy, the steadier measure).
"""
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LANTERN = os.path.join(HERE, "..", "target", "release", "lantern")


def timed(args, env=None, codes=(0,)):
    """Seconds `args` took; its exit code must be one of `codes`."""
    return timed_cpu(args, env, codes)[0]


def children_cpu():
    """User + system CPU seconds of the ended child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cluster_cpu():
    """User + system CPU seconds of the cluster's JVM so far (CLUSTER_PID), or NaN."""
    pid = os.environ.get("CLUSTER_PID")
    if not pid:
        return float("nan")
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_cpu(args, env=None, codes=(0,)):
    """Seconds `args` took, the CPU seconds it used, and those the cluster used meanwhile."""
    cpu, cluster = children_cpu(), cluster_cpu()
    started = time.perf_counter()
    code = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=env).returncode
    if code not in codes:
        raise SystemExit(f"{args} exited with {code}")
    return (time.perf_counter() - started, children_cpu() - cpu, cluster_cpu() - cluster)


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


def noop_requests(cluster, index, corpus, clean):
    """Seconds the requests of a no-op re-sync take alone, as Lantern sends them (sync.rs): the
    mapping alone when the index is `clean`, else the mapping, the tasks, a refresh and the
    catalog."""
    import http.client
    import json
    connection = http.client.HTTPConnection(cluster.split("://", 1)[1])

    def request(method, path, body=None):
        connection.request(method, path, body, {"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read() or b"null")

    started = time.perf_counter()
    request("GET", f"/{index}/_mapping")
    if clean:
        elapsed = time.perf_counter() - started
        connection.close()
        return elapsed
    request("GET", "/_tasks?actions=indices:data/write/bulk*")
    request("POST", f"/{index}/_refresh", "{}")
    prefix = os.path.realpath(corpus).rstrip("/") + "/"
    after = None
    while True:
        body = {
            "size": 10000,
            "query": {"bool": {"filter": {"prefix": {"path": prefix}}}},
            "sort": [{"path": "asc"}, {"size": "asc"}, {"mtime": "asc"}],
            "stored_fields": "_none_",
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        answer = request("POST", f"/{index}/_search?filter_path=hits.hits.sort,_shards",
                         json.dumps(body))
        hits = answer.get("hits", {}).get("hits", [])
        if len(hits) < 10000:
            break
        after = hits[-1]["sort"]
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def erase_sync_state(cluster, index):
    """Removes `lantern_sync` from the index's `_meta`, as if a run had been killed."""
    import json
    with urllib.request.urlopen(f"{cluster}/{index}/_mapping") as answer:
        meta = json.load(answer)[index]["mappings"]["_meta"]
    meta.pop("lantern_sync", None)
    request = urllib.request.Request(
        f"{cluster}/{index}/_mapping", json.dumps({"_meta": meta}).encode(), method="PUT",
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def cell(values, unit=""):
    return f"{statistics.median(values):.2f}{unit} [{min(values):.2f}-{max(values):.2f}]"


def main():
    cluster, corpus = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    env = dict(os.environ)
    env.pop("LANTERN_ENGINE", None)
    results = {key: [] for key in
               ["remote", "remote_noop", "noop_requests", "remote_noop_full",
                "noop_full_requests", "local", "local_noop", "loader"]}
    cpus = {"remote": [], "loader": []}
    noop_reps = int(os.environ.get("NOOP_REPS", "5"))
    for _ in range(runs):
        delete_index(cluster, "lantern-bench")
        engine = f"{cluster}/lantern-bench"
        seconds, own_cpu, its_cluster_cpu = timed_cpu(
            [LANTERN, "--engine", engine, "index", corpus], env)
        results["remote"].append(seconds)
        cpus["remote"].append((own_cpu, its_cluster_cpu))
        folder = tempfile.mkdtemp()
        try:
            index = os.path.join(folder, "index")
            results["local"].append(timed([LANTERN, "--index", index, "index", corpus], env))
            # The no-ops take turns, so the load of the moment weighs on both alike.
            for _ in range(noop_reps):
                results["remote_noop"].append(
                    timed([LANTERN, "--engine", engine, "index", corpus], env))
                results["local_noop"].append(
                    timed([LANTERN, "--index", index, "index", corpus], env))
                results["noop_requests"].append(
                    noop_requests(cluster, "lantern-bench", corpus, True))
                results["noop_full_requests"].append(
                    noop_requests(cluster, "lantern-bench", corpus, False))
                erase_sync_state(cluster, "lantern-bench")
                results["remote_noop_full"].append(
                    timed([LANTERN, "--engine", engine, "index", corpus], env))
        finally:
            shutil.rmtree(folder)
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "opensearch_bulk.py"), cluster, "lantern-bench",
             "lantern-bench-loader"],
            check=True, capture_output=True, text=True).stdout
        found = re.search(r"in ([\d.]+) s.*cpu ([\d.]+) s, cluster cpu ([\d.na]+) s", out)
        results["loader"].append(float(found.group(1)))
        cpus["loader"].append((float(found.group(2)), float(found.group(3))))
        delete_index(cluster, "lantern-bench-loader")
    files, size = corpus_size(corpus)
    mb = size / 1e6
    print(f"Corpus {corpus}: {files} files, {mb:.1f} MB; {runs} runs; medians [min-max]\n")
    print("| measure | seconds | documents/s | MB/s |")
    print("|---|---|---|---|")
    for key, label in [
        ("remote", "Lantern sync into OpenSearch (walk + read + extract + _bulk + refresh)"),
        ("loader", "opensearch-py helpers.bulk of the same texts, already extracted (+ refresh)"),
        ("local", "Lantern local index (walk + read + extract + tantivy commit)"),
        ("remote_noop", "no-op re-sync into OpenSearch (index clean, walk as recorded)"),
        ("noop_requests", "its one request alone (the mapping; from Python)"),
        ("remote_noop_full", "no-op re-sync without a sync state (as after a kill)"),
        ("noop_full_requests", "its requests alone (mapping, tasks, refresh, catalog; from Python)"),
        ("local_noop", "no-op local re-index"),
    ]:
        seconds = statistics.median(results[key])
        print(f"| {label} | {cell(results[key])} | {files / seconds:.0f} | {mb / seconds:.1f} |")
    ratio = statistics.median(results["loader"]) / statistics.median(results["remote"])
    local_noop = statistics.median(results["local_noop"])
    noop = statistics.median(results["remote_noop"]) / local_noop
    noop_full = statistics.median(results["remote_noop_full"]) / local_noop
    print(f"\nLantern sync throughput / loader throughput: {ratio:.2f}x; "
          f"no-op re-sync / local no-op re-index: {noop:.2f}x "
          f"(without a sync state: {noop_full:.2f}x)")
    print("\nCPU seconds of a sync (medians): the client's own, and the cluster's JVM meanwhile "
          "(CLUSTER_PID)\n")
    print("| sync | client CPU s | cluster CPU s |")
    print("|---|---|---|")
    for key, label in [("remote", "Lantern (walk, read, extract, send)"),
                       ("loader", "opensearch-py helpers.bulk (send only)")]:
        own = statistics.median(own for own, _ in cpus[key])
        its_cluster = statistics.median(its for _, its in cpus[key])
        print(f"| {label} | {own:.2f} | {its_cluster:.2f} |")
    reps = int(os.environ.get("SEARCH_REPS", "5"))
    if reps:
        search_latency(cluster, corpus, env, reps)
    delete_index(cluster, "lantern-bench")


def search_latency(cluster, corpus, env, reps):
    """Prints p50/p95 of the three searches of each word of bench/words.txt, `reps` times."""
    engine = f"{cluster}/lantern-bench"
    subprocess.run([LANTERN, "--engine", engine, "index", corpus], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    local_dir = tempfile.mkdtemp()
    local_index = os.path.join(local_dir, "index")
    subprocess.run([LANTERN, "--index", local_index, "index", corpus], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    words = [line.strip() for line in open(os.path.join(HERE, "words.txt"))
             if line.strip() and not line.startswith("#")]
    latency = {"remote": [], "local": [], "native": []}
    import http.client
    import json
    host = cluster.split("://", 1)[1]
    connection = http.client.HTTPConnection(host)
    for _ in range(reps):
        for word in words:
            latency["remote"].append(timed(
                [LANTERN, "--engine", engine, "search", "--limit", "50", "--format", "json", word],
                env, (0, 1)))
            latency["local"].append(timed(
                [LANTERN, "--index", local_index, "search", "--limit", "50", "--format", "json", word],
                env, (0, 1)))
            body = json.dumps({
                "size": 50, "track_total_hits": True, "_source": ["path", "title", "type"],
                "query": {"term": {"body": word}},
                "highlight": {"fields": {"body": {"type": "unified", "fragment_size": 64,
                                                   "number_of_fragments": 3}}},
            })
            started = time.perf_counter()
            connection.request("POST", "/lantern-bench/_search", body,
                               {"Content-Type": "application/json"})
            connection.getresponse().read()
            latency["native"].append(time.perf_counter() - started)
    shutil.rmtree(local_dir)
    delete_index(cluster, "lantern-bench")
    print(f"\nSearch, 50 hits with 3 fragments, {len(words)} words x {reps}: milliseconds\n")
    print("| search | p50 | p95 |")
    print("|---|---|---|")
    for key, label in [
        ("remote", "`lantern --engine` (whole command)"),
        ("local", "`lantern` local (whole command)"),
        ("native", "OpenSearch `_search` + unified highlighter (one HTTP request)"),
    ]:
        values = sorted(latency[key])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"| {label} | {statistics.median(values) * 1000:.1f} | {p95 * 1000:.1f} |")


if __name__ == "__main__":
    main()
