#!/usr/bin/env python3
"""The straightforward bulk loader Lantern's OpenSearch sync is measured against (issue 26).

    bench/opensearch_bulk.py CLUSTER_URL TEMPLATE_INDEX NEW_INDEX DIR

Reads every regular file under DIR as UTF-8 text (invalid bytes replaced) into memory first --
the texts are "already extracted", so extraction is not timed -- then creates NEW_INDEX with the
settings and mapping of TEMPLATE_INDEX (an index Lantern made: same analysis, shards and
replicas), loads the documents with opensearch-py's `helpers.bulk` (500 per request), refreshes,
and prints one line: documents, MB, seconds, documents/s, MB/s. Needs `pip install opensearch-py`.
"""
import hashlib
import os
import sys
import time

from opensearchpy import OpenSearch, helpers


def main():
    cluster, template, new_index, root = sys.argv[1:5]
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
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as handle:
                data = handle.read()
            total_bytes += len(data)
            stat = os.stat(path)
            docs.append({
                "_index": new_index,
                "_id": hashlib.sha256(path.encode()).hexdigest(),
                "_source": {
                    "path": path,
                    "root": root,
                    "size": stat.st_size,
                    "mtime": stat.st_mtime_ns,
                    "type": "text",
                    "title": None,
                    "body": data.decode("utf-8", "replace"),
                },
            })
    if client.indices.exists(index=new_index):
        client.indices.delete(index=new_index)
    client.indices.create(index=new_index, body=body)
    client.cluster.health(index=new_index, wait_for_status="yellow")
    started = time.perf_counter()
    helpers.bulk(client, docs, chunk_size=500, max_chunk_bytes=8 << 20, request_timeout=120)
    client.indices.refresh(index=new_index)
    elapsed = time.perf_counter() - started
    mb = total_bytes / 1e6
    print(f"{len(docs)} documents, {mb:.1f} MB in {elapsed:.2f} s: "
          f"{len(docs) / elapsed:.0f} documents/s, {mb / elapsed:.1f} MB/s")


if __name__ == "__main__":
    main()
