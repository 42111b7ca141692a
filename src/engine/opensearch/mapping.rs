//! The OpenSearch index Lantern creates: its fields, from one table, and the analysis that
//! reproduces Lantern's word definition (`src/index/tokenizer.rs`), its folding
//! (`src/index/fold.rs`) and its stemming (`src/index/language.rs`), so that the same query finds
//! the same documents in both engines.
//!
//! When the local schema gains a field (dates, containers), it is one row of [`FIELDS`] here, and
//! [`MAPPING_VERSION`] goes up. Three fields have no local twin: the local engine reads copies
//! and folders from its columns (`text_hash`, `path`), the engine needs them as values of their
//! own ([`copy_key`], `path_length`, [`folder_prefixes`]).
//!
//! Folding is Lantern's own, sent to the engine as a table: `analysis-common` has no NFKD
//! (`icu_folding` is a plugin), and its `asciifolding` folds only to ASCII, so it would keep the
//! accents of Greek (`ά`) and Cyrillic (`й`) and the dotted `İ` of Turkish apart from the plain
//! letters Lantern equates them with. Instead the analyzer's first step is a `mapping` character
//! filter listing every letter or digit whose fold differs from its lower case (`é` → `e`, `ß` →
//! `ss`, `İ` → `i`, `ﬁ` → `fi`, `ς` → `σ`...), computed here from [`fold`] itself, then a
//! `pattern_replace` filter dropping the diacritical marks of decomposed text; the `lowercase`
//! token filter does the rest. So the engine's text keeps the file's spelling (its `_source` is
//! what Lantern highlights) and the query sends terms Lantern already folded.

use serde_json::{json, Map, Value};
use tantivy::tokenizer::TokenStream;

use crate::extract::Document;
use crate::index::fold::fold;
use crate::index::language::Language;
use crate::index::path_key::display_key;
use crate::index::schema::path_analyzer;
use crate::index::text_hash;
use crate::index::tokenizer::is_token_char;

pub use crate::engine::folders::folder_prefixes;

/// The version of the mapping this Lantern writes, recorded in the index's `_meta`. An index
/// with another version is refused with a clear message rather than half-understood.
/// 1: words lower-cased; 2: Lantern's folding, the stemmed sub-fields and the index's language;
/// 3: e-mails' `from` and `to`, and documents' own `date`; 4: `copies`, `path_length` and
/// `folders`, for folding copies and counting folders as the local engine does, and
/// `path_parts` for `path:` words; 5: the members of archives, compressed files and mailboxes
/// are documents of their own (an index synced before holds none, and would never get them for
/// unchanged containers).
pub const MAPPING_VERSION: u64 = 5;

/// What a field is for, which decides its mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An exact value with doc values: sorted, filtered, aggregated (paths, types).
    Keyword,
    /// A number with doc values (sizes, times).
    Long,
    /// Words for search, analysed as Lantern analyses them, with positions for phrases, and a
    /// [`STEMMED`] sub-field of their stems (as `title_stemmed` beside `title` locally).
    Words,
    /// Like [`FieldKind::Words`], stored with offsets so the unified highlighter can give
    /// candidate windows of any length of text without re-analysing it.
    Body,
    /// A path's components, as Lantern's path analyzer gives them ([`path_parts`]), with
    /// positions for `path:a/b` (consecutive components).
    PathParts,
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
    // The document's own date (an e-mail's `Date:`, PDF or office metadata), nanoseconds since
    // the epoch, absent when it has none.
    ("date", FieldKind::Long),
    // The document type's name (`DocumentType::name`).
    ("type", FieldKind::Keyword),
    ("title", FieldKind::Words),
    ("body", FieldKind::Body),
    // An e-mail's sender and recipients (`schema::LanternSchema::from`, `to`).
    ("from", FieldKind::Words),
    ("to", FieldKind::Words),
    // The document's group of copies ([`copy_key`]): what a search collapses on.
    ("copies", FieldKind::Keyword),
    // The path key's length in bytes: among copies scoring alike the shortest path is kept, as
    // locally.
    ("path_length", FieldKind::Long),
    // Every folder prefix of the path key ([`folder_prefixes`]): what folder facets count.
    ("folders", FieldKind::Keyword),
    // The path's components, for `path:` words ([`path_parts`]).
    ("path_parts", FieldKind::PathParts),
];

/// The analyzer of [`FieldKind::PathParts`]: the components Lantern sends, split at the `/`
/// that joins them.
pub const PATH_ANALYZER: &str = "lantern_path";

/// The value of `path_parts` for the document at path key `key`: the components of its path as
/// shown, as the local index's path analyzer gives them (split at slashes and at `::`, folded,
/// none of 255 bytes or more), joined by `/`, which no component holds. Lantern analyses and the
/// engine only splits, so that `path:` finds the same components on both engines.
pub fn path_parts(key: &str) -> String {
    let shown = display_key(key);
    let mut analyzer = path_analyzer();
    let mut tokens = analyzer.token_stream(&shown);
    let mut parts = String::with_capacity(shown.len());
    while let Some(token) = tokens.next() {
        if !parts.is_empty() {
            parts.push('/');
        }
        parts.push_str(&token.text);
    }
    parts
}

/// The value of `copies` for the document at path key `key` with the extracted text `file`: the
/// hash of its title and text as the local engine computes it (`text_hash`), in hexadecimal; for a
/// document without text, which is a copy of nothing, `path:` and its path key (never a hash).
/// Every document has one: the engine's `collapse` would fold all the documents lacking the
/// field into one hit.
pub fn copy_key(key: &str, file: &Document) -> String {
    match text_hash(file) {
        Some(hash) => format!("{hash:016x}"),
        None => format!("path:{key}"),
    }
}

/// The analyzer every [`FieldKind::Words`] and [`FieldKind::Body`] field uses: Lantern's words,
/// folded.
pub const ANALYZER: &str = "lantern_text";

/// The analyzer of the stemmed sub-fields: [`ANALYZER`], then the index language's stemmer.
pub const STEMMED_ANALYZER: &str = "lantern_stemmed";

/// The name of the stemmed sub-field of a words field (`body.stemmed`): a multi-field, so the
/// text is sent once and analysed twice.
pub const STEMMED: &str = "stemmed";

/// The mapping of one field kind.
fn field_mapping(kind: FieldKind) -> Value {
    // Stems are only ever looked up as single terms: frequencies for BM25, no positions.
    let stemmed = json!({ STEMMED: {
        "type": "text",
        "analyzer": STEMMED_ANALYZER,
        "index_options": "freqs",
    } });
    match kind {
        FieldKind::Keyword => json!({ "type": "keyword" }),
        FieldKind::Long => json!({ "type": "long" }),
        FieldKind::Words => json!({ "type": "text", "analyzer": ANALYZER, "fields": stemmed }),
        // Positions (the default) for phrases of components.
        FieldKind::PathParts => json!({ "type": "text", "analyzer": PATH_ANALYZER }),
        FieldKind::Body => json!({
            "type": "text",
            "analyzer": ANALYZER,
            // Offsets in the postings: highlighting needs no re-analysis and has no
            // 1,000,000-character limit (whose option is spelled differently on ES and OS).
            "index_options": "offsets",
            "fields": stemmed,
        }),
    }
}

/// The name of the Snowball stemmer of `language` in Lucene (`org.tartarus.snowball.ext`, as
/// OpenSearch 2.19 ships it), or `None` when Lucene has none of that name. `Ok(None)` for no
/// stemming.
pub fn snowball_language(language: Language) -> Result<Option<&'static str>, String> {
    const LUCENE: &[&str] = &[
        "Arabic",
        "Armenian",
        "Basque",
        "Catalan",
        "Danish",
        "Dutch",
        "English",
        "Estonian",
        "Finnish",
        "French",
        "German",
        "Hungarian",
        "Indonesian",
        "Irish",
        "Italian",
        "Lithuanian",
        "Lovins",
        "Nepali",
        "Norwegian",
        "Porter",
        "Portuguese",
        "Romanian",
        "Russian",
        "Serbian",
        "Spanish",
        "Swedish",
        "Tamil",
        "Turkish",
        "Yiddish",
    ];
    match language {
        Language::None => Ok(None),
        Language::Snowball(_) => LUCENE
            .iter()
            .find(|lucene| lucene.eq_ignore_ascii_case(language.name()))
            .map(|lucene| Some(*lucene))
            .ok_or_else(|| {
                format!(
                    "OpenSearch has no Snowball stemmer for {}; pick another --language, or none",
                    language.name()
                )
            }),
    }
}

/// The rules of the `mapping` character filter that folds as Lantern does: every letter or digit
/// (not ASCII) whose fold is not simply its lower case, as `\uXXXX` escapes (UTF-16 units, so
/// letters beyond the BMP pass too).
pub fn folding_rules() -> Vec<String> {
    let escape = |text: &str| {
        text.encode_utf16()
            .map(|unit| format!("\\u{unit:04X}"))
            .collect::<String>()
    };
    (0x80..=0x10FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|&c| is_token_char(c))
        .filter_map(|c| {
            let original = c.to_string();
            let folded = fold(&original);
            let lower: String = c.to_lowercase().collect();
            (folded != lower && !folded.is_empty() && folded.chars().all(is_token_char))
                .then(|| format!("{} => {}", escape(&original), escape(&folded)))
        })
        .collect()
}

/// The body of `PUT /INDEX`: settings, analysis (stemming in `language`) and a strict mapping.
pub fn index_definition(shards: u32, replicas: u32, language: Language) -> Result<Value, String> {
    let properties: Map<String, Value> = FIELDS
        .iter()
        .map(|(name, kind)| ((*name).to_string(), field_mapping(*kind)))
        .collect();
    let mut filters = Map::new();
    // Lantern drops tokens of 40 bytes or more (hashes, base64); in characters this is exact
    // for ASCII words.
    filters.insert(
        "lantern_length".to_string(),
        json!({ "type": "length", "max": 39 }),
    );
    let mut stemmed_filters = vec!["lantern_length", "lowercase"];
    if let Some(name) = snowball_language(language)? {
        // Lantern stems folded words, as this stems the folded, lower-cased tokens.
        filters.insert(
            "lantern_stemmer".to_string(),
            json!({ "type": "snowball", "language": name }),
        );
        stemmed_filters.push("lantern_stemmer");
    }
    Ok(json!({
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                "char_filter": {
                    // Lantern's folding of single letters (see the module documentation).
                    "lantern_fold": { "type": "mapping", "mappings": folding_rules() },
                    // The diacritics of decomposed text (`e` + U+0301), which Lantern drops.
                    "lantern_marks": {
                        "type": "pattern_replace",
                        "pattern": "[\\u0300-\\u036F\\u1AB0-\\u1AFF\\u1DC0-\\u1DFF\\u20D0-\\u20FF\\uFE20-\\uFE2F]",
                        "replacement": "",
                    },
                },
                "tokenizer": {
                    // The components of [`path_parts`], between the slashes that join them.
                    "lantern_path_components": { "type": "pattern", "pattern": "/" },
                    // Lantern's word: a run of letters and digits (with the marks that follow
                    // them), except that each CJK ideograph or kana is a word of its own.
                    "lantern_words": {
                        "type": "pattern",
                        "pattern": "[\\p{IsIdeographic}\\p{IsHiragana}\\p{IsKatakana}]\\p{M}*|[\\p{L}\\p{N}&&[^\\p{IsIdeographic}\\p{IsHiragana}\\p{IsKatakana}]][\\p{L}\\p{N}\\p{M}&&[^\\p{IsIdeographic}\\p{IsHiragana}\\p{IsKatakana}]]*",
                        "group": 0,
                    }
                },
                "filter": filters,
                "analyzer": {
                    PATH_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "lantern_path_components",
                    },
                    ANALYZER: {
                        "type": "custom",
                        "char_filter": ["lantern_fold", "lantern_marks"],
                        "tokenizer": "lantern_words",
                        "filter": ["lantern_length", "lowercase"],
                    },
                    STEMMED_ANALYZER: {
                        "type": "custom",
                        "char_filter": ["lantern_fold", "lantern_marks"],
                        "tokenizer": "lantern_words",
                        "filter": stemmed_filters,
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": { "lantern_mapping": MAPPING_VERSION, "lantern_language": language.name() },
            "properties": properties,
        }
    }))
}

/// The `_meta` entry `name` of an index's `GET /INDEX/_mapping` answer.
fn recorded(mapping: &Value, name: &str) -> Option<Value> {
    mapping
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|index| index.pointer(&format!("/mappings/_meta/{name}")))
        .cloned()
}

/// The mapping version an index's `GET /INDEX/_mapping` answer records (0: none).
pub fn recorded_version(mapping: &Value) -> u64 {
    recorded(mapping, "lantern_mapping")
        .and_then(|version| version.as_u64())
        .unwrap_or(0)
}

/// The language an index's `GET /INDEX/_mapping` answer records its stems in, if it records a
/// language Lantern knows.
pub fn recorded_language(mapping: &Value) -> Option<Language> {
    recorded(mapping, "lantern_language").and_then(|name| {
        name.as_str()
            .and_then(|name| Language::from_name(name).ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_table_is_mapped() {
        let definition = index_definition(2, 1, Language::default()).unwrap();
        let properties = definition["mappings"]["properties"].as_object().unwrap();
        assert_eq!(properties.len(), FIELDS.len());
        assert_eq!(properties["body"]["index_options"], "offsets");
        assert_eq!(properties["path"]["type"], "keyword");
        assert_eq!(
            properties["title"]["fields"][STEMMED]["analyzer"],
            STEMMED_ANALYZER
        );
        assert_eq!(
            recorded_language(&json!({ "docs": definition })),
            Some(Language::default())
        );
    }

    #[test]
    fn languages_map_to_lucene_stemmers_or_are_refused() {
        let english = Language::from_name("english").unwrap();
        assert_eq!(snowball_language(english), Ok(Some("English")));
        assert_eq!(snowball_language(Language::None), Ok(None));
        let definition = index_definition(1, 0, Language::None).unwrap();
        let filters = &definition["settings"]["analysis"]["filter"];
        assert!(filters.get("lantern_stemmer").is_none());
        if let Ok(greek) = Language::from_name("greek") {
            assert!(snowball_language(greek).unwrap_err().contains("greek"));
        }
    }

    #[test]
    fn the_folding_table_is_lanterns_folding() {
        let rules = folding_rules();
        // é, the dotted capital I of Turkish, the dotless i, the sharp s, a ligature, a final
        // sigma, a full-width letter; a plain capital (the lowercase filter's) is not listed.
        for rule in [
            "\\u00E9 => \\u0065",
            "\\u0130 => \\u0069",
            "\\u0131 => \\u0069",
            "\\u00DF => \\u0073\\u0073",
            "\\uFB01 => \\u0066\\u0069",
            "\\u03C2 => \\u03C3",
            "\\uFF21 => \\u0061",
        ] {
            assert!(rules.iter().any(|listed| listed == rule), "{rule}");
        }
        assert!(!rules.iter().any(|rule| rule.starts_with("\\u0416 ")));
    }

    #[test]
    fn the_version_is_read_back() {
        let answer = json!({ "docs": { "mappings": { "_meta": { "lantern_mapping": 1 } } } });
        assert_eq!(recorded_version(&answer), 1);
        assert_eq!(recorded_version(&json!({ "docs": { "mappings": {} } })), 0);
    }

    #[test]
    fn path_parts_are_the_local_components_joined_by_slashes() {
        assert_eq!(
            path_parts("/Docs/Café Notes/a.zip::inner/B.txt"),
            "docs/cafe notes/a.zip/inner/b.txt"
        );
    }
}
