#!/usr/bin/env python3
"""The straightforward bulk loader Lantern's OpenSearch sync is measured against (issue 26).

    bench/opensearch_bulk.py CLUSTER_URL TEMPLATE_INDEX NEW_INDEX

Reads every document of TEMPLATE_INDEX (an index Lantern synced: the very texts Lantern
extracted, PDFs and office files included) into memory first -- the texts are "already
extracted", so neither reading nor extraction is timed -- then creates NEW_INDEX with the
settings and mapping of TEMPLATE_INDEX (same analysis, shards and replicas), loads the documents
with opensearch-py's `helpers.bulk` (500 per request, one request at a time), refreshes, and
prints one line: documents, MB (of the files, as Lantern counts them), seconds, documents/s,
MB/s, and the CPU seconds this script spent loading (and, when CLUSTER_PID names the cluster's
JVM, the CPU seconds the cluster spent meanwhile). Needs `pip install opensearch-py`.
"""
import os
import sys
import time

from opensearchpy import OpenSearch, helpers


def process_cpu(pid):
    """User + system CPU seconds of process `pid` so far (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    cluster, template, new_index = sys.argv[1:4]
    client = OpenSearch(cluster, timeout=120)
    settings = client.indices.get_settings(index=template)[template]["settings"]["index"]
    mapping = client.indices.get_mapping(index=template)[template]["mappings"]
    body = {
        "settings": {
            "number_of_shards": settings["number_of_shards"],
            "number_of_replicas": settings["number_of_replicas"],
            "analysis": settings["analysis"],
        },
        "mappings": mapping,
    }
    docs = []
    total_bytes = 0
    for hit in helpers.scan(client, index=template, query={"query": {"match_all": {}}}, size=1000):
        source = hit["_source"]
        total_bytes += source.get("size") or 0
        docs.append({"_index": new_index, "_id": hit["_id"], "_source": source})
    if client.indices.exists(index=new_index):
        client.indices.delete(index=new_index)
    client.indices.create(index=new_index, body=body)
    client.cluster.health(index=new_index, wait_for_status="yellow")
    cluster_pid = os.environ.get("CLUSTER_PID")
    cluster_cpu = process_cpu(cluster_pid) if cluster_pid else 0.0
    own_cpu = time.process_time()
    started = time.perf_counter()
    helpers.bulk(client, docs, chunk_size=500, max_chunk_bytes=8 << 20, request_timeout=120)
    client.indices.refresh(index=new_index)
    elapsed = time.perf_counter() - started
    own_cpu = time.process_time() - own_cpu
    cluster_cpu = process_cpu(cluster_pid) - cluster_cpu if cluster_pid else float("nan")
    mb = total_bytes / 1e6
    print(f"{len(docs)} documents, {mb:.1f} MB in {elapsed:.2f} s: "
          f"{len(docs) / elapsed:.0f} documents/s, {mb / elapsed:.1f} MB/s; "
          f"cpu {own_cpu:.2f} s, cluster cpu {cluster_cpu:.2f} s")


if __name__ == "__main__":
    main()
