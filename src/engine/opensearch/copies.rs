//! Copies on the engine: documents with the same text (the same `copies` key, see
//! [`super::mapping::copy_key`]) are one hit, the others listed in its `also_at`, as locally.
//!
//! The engine folds them itself with a field `collapse` on `copies`: it ranks the groups, keeps
//! the first document of each in the search's order (for relevance, ties go to the shortest path,
//! then the first in byte order, as locally), and pages over groups. The other paths of the
//! page's groups then come from one more request: the documents the query matches among those
//! with the page's keys (as the local engine counts copies among all matches), in filter context
//! and read from doc values. Measured (bench/opensearch_parity.py), this costs a quarter of the
//! collapse's `inner_hits`, which run one query per hit.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::client::Client;
use crate::engine::EngineError;
use crate::index::path_key::display_key;

/// Documents read per request of the copies: the most one request returns.
const PAGE: usize = 10_000;

/// The `collapse` clause of a search folding copies.
pub(super) fn collapse() -> Value {
    json!({ "field": "copies" })
}

/// The paths of the other copies of each of `hits` (the hits of a search for `query`, the
/// engine's query, collapsed on `copies`) that `query` matches, each list in byte order.
pub(super) fn copies_of(
    client: &Client,
    query: &Value,
    hits: &[Value],
) -> Result<Vec<Vec<String>>, EngineError> {
    let group = |hit: &Value| {
        hit.pointer("/fields/copies/0")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let keys: Vec<String> = hits.iter().filter_map(group).collect();
    let mut by_group: HashMap<String, Vec<String>> = HashMap::new();
    if !keys.is_empty() {
        let mut body = json!({
            "size": PAGE,
            "track_total_hits": false,
            "_source": false,
            "docvalue_fields": ["copies", "path"],
            "query": { "bool": { "filter": [query, { "terms": { "copies": keys } }] } },
            "sort": [{ "copies": "asc" }, { "path": "asc" }],
        });
        loop {
            let answer = client.json("POST", "/_search", &body)?;
            let found = answer["hits"]["hits"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            for copy in found {
                let field = |name: &str| copy.pointer(&format!("/fields/{name}/0"))?.as_str();
                if let (Some(group), Some(path)) = (field("copies"), field("path")) {
                    by_group
                        .entry(group.to_string())
                        .or_default()
                        .push(path.to_string());
                }
            }
            match found.last() {
                Some(last) if found.len() == PAGE => body["search_after"] = last["sort"].clone(),
                _ => break,
            }
        }
    }
    Ok(hits
        .iter()
        .map(|hit| {
            let own = hit.pointer("/_source/path").and_then(Value::as_str);
            let mut paths: Vec<String> = group(hit)
                .and_then(|group| by_group.get(&group))
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter(|path| Some(path.as_str()) != own)
                .map(|path| display_key(path).into_owned())
                .collect();
            paths.sort_unstable();
            paths
        })
        .collect())
}
