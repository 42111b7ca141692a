//! The OpenSearch index Lantern creates: its fields, from one table, and the analysis that
//! reproduces Lantern's word definition (`src/index/tokenizer.rs`), so that the same query finds
//! the same documents in both engines.
//!
//! When the local schema gains a field (dates, folding, stemming, containers), it is one row of
//! [`FIELDS`] here, and [`MAPPING_VERSION`] goes up.

use serde_json::{json, Map, Value};

/// The version of the mapping this Lantern writes, recorded in the index's `_meta`. An index
/// with another version is refused with a clear message rather than half-understood.
pub const MAPPING_VERSION: u64 = 1;

/// What a field is for, which decides its mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An exact value with doc values: sorted, filtered, aggregated (paths, types).
    Keyword,
    /// A number with doc values (sizes, times).
    Long,
    /// Words for search, analysed as Lantern analyses them, with positions for phrases.
    Words,
    /// Like [`FieldKind::Words`], stored with offsets so the unified highlighter can give
    /// candidate windows of any length of text without re-analysing it.
    Body,
}

/// Every field of a Lantern document in OpenSearch.
pub const FIELDS: &[(&str, FieldKind)] = &[
    // The path key (`index::path_key`): the catalog's key, sorted for the diff.
    ("path", FieldKind::Keyword),
    // The root the file was indexed under, for `status` and `forget`.
    ("root", FieldKind::Keyword),
    ("size", FieldKind::Long),
    // Nanoseconds since the epoch, also the document's external version.
    ("mtime", FieldKind::Long),
    // The document type's name (`DocumentType::name`).
    ("type", FieldKind::Keyword),
    ("title", FieldKind::Words),
    ("body", FieldKind::Body),
];

/// The analyzer every [`FieldKind::Words`] and [`FieldKind::Body`] field uses.
pub const ANALYZER: &str = "lantern_text";

/// The mapping of one field kind.
fn field_mapping(kind: FieldKind) -> Value {
    match kind {
        FieldKind::Keyword => json!({ "type": "keyword" }),
        FieldKind::Long => json!({ "type": "long" }),
        FieldKind::Words => json!({ "type": "text", "analyzer": ANALYZER }),
        FieldKind::Body => json!({
            "type": "text",
            "analyzer": ANALYZER,
            // Offsets in the postings: highlighting needs no re-analysis and has no
            // 1,000,000-character limit (whose option is spelled differently on ES and OS).
            "index_options": "offsets",
        }),
    }
}

/// The body of `PUT /INDEX`: settings, analysis and a strict mapping.
pub fn index_definition(shards: u32, replicas: u32) -> Value {
    let properties: Map<String, Value> = FIELDS
        .iter()
        .map(|(name, kind)| ((*name).to_string(), field_mapping(*kind)))
        .collect();
    json!({
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                "tokenizer": {
                    // Lantern's word: a run of letters and digits, except that each CJK
                    // ideograph or kana is a word of its own.
                    "lantern_words": {
                        "type": "pattern",
                        "pattern": "[\\p{IsIdeographic}\\p{IsHiragana}\\p{IsKatakana}]|[\\p{L}\\p{N}&&[^\\p{IsIdeographic}\\p{IsHiragana}\\p{IsKatakana}]]+",
                        "group": 0,
                    }
                },
                "filter": {
                    // Lantern drops tokens of 40 bytes or more (hashes, base64); in characters
                    // this is exact for ASCII words.
                    "lantern_length": { "type": "length", "max": 39 }
                },
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "tokenizer": "lantern_words",
                        "filter": ["lantern_length", "lowercase"],
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": { "lantern_mapping": MAPPING_VERSION },
            "properties": properties,
        }
    })
}

/// The mapping version an index's `GET /INDEX/_mapping` answer records (0: none).
pub fn recorded_version(mapping: &Value) -> u64 {
    mapping
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|index| index.pointer("/mappings/_meta/lantern_mapping"))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_table_is_mapped() {
        let definition = index_definition(2, 1);
        let properties = definition["mappings"]["properties"].as_object().unwrap();
        assert_eq!(properties.len(), FIELDS.len());
        assert_eq!(properties["body"]["index_options"], "offsets");
        assert_eq!(properties["path"]["type"], "keyword");
    }

    #[test]
    fn the_version_is_read_back() {
        let answer = json!({ "docs": { "mappings": { "_meta": { "lantern_mapping": 1 } } } });
        assert_eq!(recorded_version(&answer), 1);
        assert_eq!(recorded_version(&json!({ "docs": { "mappings": {} } })), 0);
    }
}
