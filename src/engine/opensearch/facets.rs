//! `--facets` on the engine, counted in the same request as the hits: documents by type (a
//! `terms` aggregation of `type`), by month and by folder. The engine holds `mtime` as
//! nanoseconds in a `long`, which its date aggregations cannot read, so it counts by day (a
//! `histogram` one day wide) and Lantern's calendar folds the days into months, as the local
//! engine does. Folders are a `terms` aggregation of `folders` (every folder prefix of a path
//! key), restricted by a regular expression to the prefixes one level below the base folder in
//! each root; Lantern keeps the buckets that are folders of the scope as the local engine finds
//! them (a path under nested roots counts under the outermost).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::engine::facets::{month_key, NANOS_PER_DAY};
use crate::engine::folders::FolderScope;
use crate::engine::Facets;

/// More buckets than there are document types: every type is counted, exactly.
const TYPE_BUCKETS: u32 = 1000;

/// More buckets than there are folders one level below a folder, in practice: the engine's
/// limit on buckets (`search.max_buckets`) is 65,535.
const FOLDER_BUCKETS: u32 = 10_000;

/// The `aggs` of a search that counts facets, folders in `folders`.
pub(super) fn aggregations(folders: &FolderScope) -> Value {
    let mut aggregations = json!({
        "types": { "terms": { "field": "type", "size": TYPE_BUCKETS } },
        "days": { "histogram": { "field": "mtime", "interval": NANOS_PER_DAY, "min_doc_count": 1 } },
    });
    // Without roots (an empty index) there is no folder to count.
    if let Some(pattern) = folders.prefix_pattern() {
        aggregations["folders"] = json!({ "terms": {
            "field": "folders",
            "size": FOLDER_BUCKETS,
            "include": pattern,
        } });
    }
    aggregations
}

/// The facets in the engine's `answer` to a search with [`aggregations`] of `folders`.
pub(super) fn read(answer: &Value, scope: &FolderScope) -> Facets {
    let buckets = |name: &str| {
        answer
            .pointer(&format!("/aggregations/{name}/buckets"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|bucket| {
                let count = usize::try_from(bucket["doc_count"].as_u64()?).ok()?;
                Some((&bucket["key"], count))
            })
    };
    let mut types = BTreeMap::new();
    for (key, count) in buckets("types") {
        if let Some(name) = key.as_str() {
            *types.entry(name.to_string()).or_default() += count;
        }
    }
    let mut months = BTreeMap::new();
    for (key, count) in buckets("days") {
        // The key is the day's first nanosecond, as a double: a whole number of days, give or
        // take the double's rounding, which `round` removes.
        let Some(start) = key.as_f64() else { continue };
        let day = (start / NANOS_PER_DAY as f64).round().max(0.0) as u64;
        *months.entry(month_key(day)).or_default() += count;
    }
    let mut folders = BTreeMap::new();
    for (key, count) in buckets("folders") {
        let Some(prefix) = key.as_str() else { continue };
        // A prefix the pattern let through is counted only if it is its own folder's.
        if let Some((folder, own)) = scope.folder_of(prefix) {
            if own == prefix {
                *folders.entry(folder).or_default() += count;
            }
        }
    }
    Facets::from_counts(types, months, folders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_their_months() {
        let day = |days: u64| json!((days * NANOS_PER_DAY) as f64);
        let answer = json!({ "aggregations": {
            "types": { "buckets": [
                { "key": "text", "doc_count": 2 }, { "key": "pdf", "doc_count": 3 },
            ] },
            // 2024-02-28, 2024-02-29, 2024-03-01.
            "days": { "buckets": [
                { "key": day(19_781), "doc_count": 1 },
                { "key": day(19_782), "doc_count": 2 },
                { "key": day(19_783), "doc_count": 2 },
            ] },
            // A folder of the root, and one the pattern lets through that is not a folder.
            "folders": { "buckets": [
                { "key": "/docs/a/", "doc_count": 4 }, { "key": "/other/a/", "doc_count": 1 },
            ] },
        } });
        let scope = FolderScope::new(["/docs"].into_iter(), "");
        let facets = read(&answer, &scope);
        assert_eq!(
            facets.types,
            [("pdf".to_string(), 3), ("text".to_string(), 2)]
        );
        assert_eq!(
            facets.months,
            [("2024-03".to_string(), 2), ("2024-02".to_string(), 3)]
        );
        assert_eq!(facets.folders, [("a".to_string(), 4)]);
    }
}
