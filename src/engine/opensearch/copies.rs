//! Copies on the engine: documents with the same text (the same `copies` key, see
//! [`super::mapping::copy_key`]) are one hit, the others listed in its `also_at`, as locally.
//!
//! The engine folds them itself with a field `collapse` on `copies`: it ranks the groups, keeps
//! the first document of each in the search's order (for relevance, ties go to the shortest path,
//! then the first in byte order, as locally), and pages over groups. The other paths of each
//! group come in the same answer as the collapse's `inner_hits`: one small query per hit, run by
//! the engine, restricted to the documents of that group that the query matches, as the local
//! engine counts the copies among all matches. A group with more copies than one inner page
//! holds (the engine's `index.max_inner_result_window`, 100) costs one more request for the rest.

use serde_json::{json, Value};

use super::client::Client;
use crate::engine::EngineError;
use crate::index::path_key::display_key;

/// The most copies an `inner_hits` page lists: the engine's default `max_inner_result_window`.
const INNER_PAGE: usize = 100;

/// The most copies listed for one hit: the most hits one engine request returns.
const MAX_COPIES: usize = 10_000;

/// The name of the inner hits listing copies.
const INNER_HITS: &str = "copies";

/// The `collapse` clause of a search folding copies.
pub(super) fn collapse() -> Value {
    json!({
        "field": "copies",
        "inner_hits": {
            "name": INNER_HITS,
            "size": INNER_PAGE,
            "_source": ["path"],
            "sort": [{ "path": "asc" }],
        },
    })
}

/// The paths of the copies of `hit` (one hit of a collapsed search for `query`, the engine's
/// query), in byte order, without the hit's own path `key`; a request for the rest when the
/// inner hits do not hold them all.
pub(super) fn copies_of(
    client: &Client,
    query: &Value,
    hit: &Value,
    key: &str,
) -> Result<Vec<String>, EngineError> {
    let inner = &hit["inner_hits"][INNER_HITS]["hits"];
    let total = inner
        .pointer("/total/value")
        .and_then(Value::as_u64)
        .map_or(0, |total| usize::try_from(total).unwrap_or(usize::MAX));
    let listed = paths(inner);
    let all = if listed.len() < total.min(MAX_COPIES) {
        let Some(group) = hit.pointer("/fields/copies/0") else {
            return Ok(Vec::new());
        };
        let body = json!({
            "query": { "bool": { "must": [query], "filter": [{ "term": { "copies": group } }] } },
            "size": total.min(MAX_COPIES),
            "_source": ["path"],
            "sort": [{ "path": "asc" }],
        });
        let answer = client.json("POST", "/_search", &body)?;
        paths(&answer["hits"])
    } else {
        listed
    };
    let mut shown: Vec<String> = all
        .into_iter()
        .filter(|path| path != key)
        .map(|path| display_key(&path).into_owned())
        .collect();
    shown.sort_unstable();
    Ok(shown)
}

/// The `path` of each hit of a `hits` object.
fn paths(hits: &Value) -> Vec<String> {
    hits["hits"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|hit| hit.pointer("/_source/path").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}
