#!/usr/bin/env python3
"""What the fields of search parity cost a sync (issue 26): the documents of an index Lantern
synced, bulk-loaded as they are and without the fields mapping version 4 added (`copies`,
`path_length`, `folders`, `path_parts`), side by side, interleaved.

    bench/opensearch_fields_cost.py CLUSTER_URL TEMPLATE_INDEX [RUNS]

Reads every document of TEMPLATE_INDEX into memory (not timed), then RUNS times (default 3), in
turn: creates a fresh index with TEMPLATE_INDEX's settings and mapping and loads the documents
with opensearch-py's `helpers.bulk` (500 per request, as bench/opensearch_bulk.py), refreshes;
then the same with the four fields removed from the mapping and from every document. Prints
the seconds of each load, their medians and the ratio, and the two indexes' store sizes (merged
to one segment a shard). Needs
`pip install opensearch-py`.
"""
import copy
import statistics
import sys
import time

from opensearchpy import OpenSearch, helpers

PARITY_FIELDS = ["copies", "path_length", "folders", "path_parts"]


def load(client, index, body, sources):
    """Seconds to create `index` with `body` and bulk-load `sources` into it, refreshed."""
    if client.indices.exists(index=index):
        client.indices.delete(index=index)
    client.indices.create(index=index, body=body)
    client.cluster.health(index=index, wait_for_status="yellow")
    docs = ({"_index": index, "_id": doc_id, "_source": source} for doc_id, source in sources)
    started = time.perf_counter()
    helpers.bulk(client, docs, chunk_size=500, max_chunk_bytes=8 << 20, request_timeout=120)
    client.indices.refresh(index=index)
    return time.perf_counter() - started


def store_bytes(client, index):
    """The index's store size in bytes, primaries and replicas, merged to one segment a shard
    (sizes before merging depend on when merges ran)."""
    client.indices.forcemerge(index=index, max_num_segments=1, request_timeout=600)
    client.indices.flush(index=index)
    # The merged-away segments' files go once no reader holds them.
    client.indices.refresh(index=index)
    time.sleep(5)
    stats = client.indices.stats(index=index, metric="store")
    return stats["indices"][index]["total"]["store"]["size_in_bytes"]


def main():
    cluster, template = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
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
    without = copy.deepcopy(body)
    for field in PARITY_FIELDS:
        without["mappings"]["properties"].pop(field, None)
    sources = [(hit["_id"], hit["_source"]) for hit in
               helpers.scan(client, index=template, query={"query": {"match_all": {}}}, size=1000)]
    stripped = [(doc_id, {k: v for k, v in source.items() if k not in PARITY_FIELDS})
                for doc_id, source in sources]
    seconds = {"with": [], "without": []}
    for _ in range(runs):
        seconds["with"].append(load(client, "lantern-fields-with", body, sources))
        seconds["without"].append(load(client, "lantern-fields-without", without, stripped))
    sizes = {key: store_bytes(client, f"lantern-fields-{key}") for key in seconds}
    for key in seconds:
        client.indices.delete(index=f"lantern-fields-{key}")
    print(f"{len(sources)} documents of {template}; {runs} runs, interleaved\n")
    print("| load | seconds, each run | median | store (MB, with replicas, merged) |")
    print("|---|---|---|---|")
    for key, label in [("without", "without the four fields (mapping 3's documents)"),
                       ("with", "with copies, path_length, folders, path_parts")]:
        each = ", ".join(f"{value:.1f}" for value in seconds[key])
        print(f"| {label} | {each} | {statistics.median(seconds[key]):.1f} | "
              f"{sizes[key] / 1e6:.1f} |")
    ratio = statistics.median(seconds["with"]) / statistics.median(seconds["without"])
    print(f"\nwith / without: {ratio:.2f}x the time, "
          f"{sizes['with'] / sizes['without']:.2f}x the store")


if __name__ == "__main__":
    main()
