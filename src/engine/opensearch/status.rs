//! What `lantern --engine URL status` reports: the cluster's health for the index (degraded is
//! named, never hidden), the documents, their types and the roots.

use rmcp::schemars::{self, JsonSchema};
use serde::Serialize;
use serde_json::{json, Value};

use super::client::Client;
use super::sync::index_language;
use super::OpenSearchError;

/// The state of a Lantern index on an OpenSearch cluster.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RemoteStatus {
    /// The cluster URL.
    pub cluster: String,
    /// The index name.
    pub index: String,
    /// `green`, `yellow` (a replica missing: degraded, still complete) or `red` (a primary
    /// shard missing: searches miss documents).
    pub health: String,
    /// Nodes in the cluster.
    pub nodes: u64,
    /// The language the index stems words in (`none`: no stemming).
    pub language: String,
    /// Documents in the index.
    pub documents: u64,
    /// Documents of each type, by type name.
    pub types: Vec<(String, u64)>,
    /// Each root and its documents, by path.
    pub roots: Vec<(String, u64)>,
}

/// Reads the status of the index `client` names.
pub(super) fn remote_status(
    client: &Client,
    cluster: &str,
) -> Result<RemoteStatus, OpenSearchError> {
    let language = index_language(client)?;
    let health = client.json(
        "GET",
        &format!("//_cluster/health/{}", client.index()),
        &json!({}),
    )?;
    let body = json!({
        "size": 0,
        "track_total_hits": true,
        "aggs": {
            "types": { "terms": { "field": "type", "size": 100, "order": { "_key": "asc" } } },
            "roots": { "terms": { "field": "root", "size": 10000, "order": { "_key": "asc" } } },
        }
    });
    // A red cluster still has a status: the documents its live shards hold, named red above.
    let answer = client.json_partial("POST", "/_search", &body)?;
    Ok(RemoteStatus {
        cluster: cluster.to_string(),
        index: client.index().to_string(),
        health: health["status"].as_str().unwrap_or("unknown").to_string(),
        nodes: health["number_of_nodes"].as_u64().unwrap_or(0),
        language: language.name().to_string(),
        documents: answer
            .pointer("/hits/total/value")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        types: buckets(&answer, "types"),
        roots: buckets(&answer, "roots"),
    })
}

/// The keys and counts of a terms aggregation.
fn buckets(answer: &Value, name: &str) -> Vec<(String, u64)> {
    answer
        .pointer(&format!("/aggregations/{name}/buckets"))
        .and_then(Value::as_array)
        .map(|buckets| {
            buckets
                .iter()
                .filter_map(|bucket| {
                    Some((
                        bucket["key"].as_str()?.to_string(),
                        bucket["doc_count"].as_u64()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}
