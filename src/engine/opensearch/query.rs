//! Lantern's lowered query as the engine's JSON query language. No `query_string`: the engine
//! would parse the text again with its own edge cases. Every node is translated to the query
//! that means the same over the mapping of [`super::mapping`], or refused with the reason.

use std::ops::Bound;

use serde_json::{json, Value};

use super::mapping::STEMMED;
use crate::query::ast::{NumericField, Occur};
use crate::query::{Leaf, Lowered, Matcher, MultiTerm, Target};

/// Fuzzy and pattern terms a clause may expand to in the engine (its default, 50, would drop
/// matches the local engine finds).
const MAX_EXPANSIONS: u32 = 1024;

/// A query the engine cannot run as Lantern means it.
#[derive(Debug, thiserror::Error)]
#[error("this query cannot run on OpenSearch: {0}")]
pub struct Untranslatable(pub String);

/// The engine query for `lowered`.
pub fn translate(lowered: &Lowered) -> Result<Value, Untranslatable> {
    Ok(match lowered {
        Lowered::Bool(clauses) => {
            let mut should = Vec::new();
            let mut must = Vec::new();
            let mut must_not = Vec::new();
            for (occur, clause) in clauses {
                let clause = translate(clause)?;
                match occur {
                    Occur::Should => should.push(clause),
                    Occur::Must => must.push(clause),
                    Occur::MustNot => must_not.push(clause),
                }
            }
            if should.is_empty() && must.is_empty() {
                // As in Lucene and tantivy: exclusions alone match nothing (the engine's
                // `bool` would match every other document).
                return Ok(json!({ "match_none": {} }));
            }
            json!({ "bool": { "should": should, "must": must, "must_not": must_not } })
        }
        Lowered::AtLeast { minimum, clauses } => {
            let clauses = clauses
                .iter()
                .map(translate)
                .collect::<Result<Vec<_>, _>>()?;
            json!({ "bool": { "should": clauses, "minimum_should_match": minimum } })
        }
        Lowered::Boost { query, boost } => {
            json!({ "bool": { "must": [translate(query)?], "boost": boost } })
        }
        // As locally: an optional clause beside the rest (the lowering puts it under a `should`),
        // adding its score to documents the rest matched.
        Lowered::Ranking(query) => translate(query)?,
        Lowered::Leaf(leaf) => translate_leaf(leaf)?,
        // The engine holds the file's mtime (nanoseconds) and size as numbers, as locally.
        Lowered::Span { field, start, end } => {
            let name = match field {
                NumericField::Modified => "mtime",
                NumericField::Date => "date",
                NumericField::Size => "size",
            };
            json!({ "range": { name: { "gte": start, "lt": end } } })
        }
        Lowered::All => json!({ "match_all": {} }),
        Lowered::Nothing => json!({ "match_none": {} }),
    })
}

/// The engine field a target searches.
fn field(target: Target) -> Result<&'static str, Untranslatable> {
    match target {
        Target::Contents => Ok("body"),
        Target::Title => Ok("title"),
        Target::Type => Ok("type"),
        Target::WholePath => Ok("path"),
        Target::From => Ok("from"),
        Target::To => Ok("to"),
        Target::PathParts => Ok("path_parts"),
    }
}

/// The engine query of one leaf.
fn translate_leaf(leaf: &Leaf) -> Result<Value, Untranslatable> {
    let field = field(leaf.target)?;
    Ok(match &leaf.matcher {
        Matcher::Term(term) => json!({ "term": { field: { "value": term } } }),
        // The stem, in the stemmed sub-field of the text or the title (`body.stemmed`), whose
        // analyzer stems in the index's language, the one the lowering stemmed the word in.
        Matcher::Stem { stem, .. } => {
            let stemmed = format!("{field}.{STEMMED}");
            json!({ "term": { stemmed: { "value": stem } } })
        }
        // The words are tokens already: joined by spaces (path components, which may hold
        // spaces, by slashes), the field's analyzer gives them back.
        Matcher::Phrase { words, slop } => {
            let separator = if leaf.target == Target::PathParts {
                "/"
            } else {
                " "
            };
            json!({ "match_phrase": { field: { "query": words.join(separator), "slop": slop } } })
        }
        Matcher::Pattern {
            pattern: MultiTerm::Regex(regex),
            ..
        } => json!({ "regexp": { field: {
            "value": lucene_regex(regex)?,
            "flags": "NONE",
            "max_determinized_states": 10000,
        } } }),
        Matcher::Pattern {
            pattern: MultiTerm::Fuzzy { word, distance },
            ..
        } => json!({ "fuzzy": { field: {
            "value": word,
            "fuzziness": distance,
            "transpositions": true,
            "prefix_length": 0,
            "max_expansions": MAX_EXPANSIONS,
        } } }),
        Matcher::Range { lower, upper } => {
            let mut range = serde_json::Map::new();
            for (bound, inclusive, exclusive) in [(lower, "gte", "gt"), (upper, "lte", "lt")] {
                match bound {
                    Bound::Included(value) => {
                        range.insert(inclusive.to_string(), json!(value));
                    }
                    Bound::Excluded(value) => {
                        range.insert(exclusive.to_string(), json!(value));
                    }
                    Bound::Unbounded => {}
                }
            }
            json!({ "range": { field: range } })
        }
    })
}

/// Lantern's regular expressions (Rust's syntax, matched against whole terms) in Lucene's
/// `RegExp` syntax with no optional operators: the common core (literals, `.`, `* + ?`,
/// `{n,m}`, `|`, groups, bracket classes) passes; characters Lucene reserves are escaped; what
/// Lucene lacks (`\d`, `\w`, `\b`, `^`, `$`, `(?flags)`, `\p{..}`) is refused by name.
pub fn lucene_regex(regex: &str) -> Result<String, Untranslatable> {
    let refuse = |what: &str| {
        Err(Untranslatable(format!(
            "the regular expression /{regex}/ uses {what}, which OpenSearch's regular \
             expressions lack"
        )))
    };
    let mut out = String::with_capacity(regex.len());
    let mut chars = regex.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) if escaped.is_alphanumeric() => {
                    return refuse(&format!("\\{escaped}"))
                }
                Some(escaped) => {
                    out.push('\\');
                    out.push(escaped);
                }
                None => return refuse("a trailing backslash"),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.next_if_eq(&'^').is_some() {
                    out.push('^');
                }
                if chars.next_if_eq(&'[').is_some() {
                    return refuse("a nested or named class");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '(' if !in_class && chars.peek() == Some(&'?') => return refuse("a (?...) group"),
            '^' | '$' if !in_class => return refuse(&format!("the anchor {c}")),
            '.' | '*' | '+' | '?' | '|' | '(' | ')' | '{' | '}' | ',' | '-' => out.push(c),
            c if c.is_alphanumeric() => out.push(c),
            // Lucene gives these a meaning of its own (`"` quoting, `~ & @ # < >` operators):
            // escaped, they are the literal characters Rust's syntax meant.
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    if in_class {
        return refuse("an unclosed class");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(target: Target, matcher: Matcher) -> Lowered {
        Lowered::Leaf(Leaf { target, matcher })
    }

    #[test]
    fn boolean_shape_and_leaves_translate() {
        let query = Lowered::Bool(vec![
            (
                Occur::Must,
                leaf(Target::Contents, Matcher::Term("kiwi".into())),
            ),
            (
                Occur::MustNot,
                leaf(
                    Target::Title,
                    Matcher::Phrase {
                        words: vec!["red".into(), "apple".into()],
                        slop: 2,
                    },
                ),
            ),
        ]);
        assert_eq!(
            translate(&query).unwrap(),
            json!({ "bool": {
                "should": [],
                "must": [{ "term": { "body": { "value": "kiwi" } } }],
                "must_not": [{ "match_phrase": { "title": { "query": "red apple", "slop": 2 } } }],
            } })
        );
    }

    #[test]
    fn exclusions_alone_match_nothing() {
        let query = Lowered::Bool(vec![(
            Occur::MustNot,
            leaf(Target::Contents, Matcher::Term("kiwi".into())),
        )]);
        assert_eq!(translate(&query).unwrap(), json!({ "match_none": {} }));
    }

    #[test]
    fn path_components_are_searched_as_they_were_sent() {
        let phrase = Matcher::Phrase {
            words: vec!["my docs".into(), "a.txt".into()],
            slop: 0,
        };
        assert_eq!(
            translate(&leaf(Target::PathParts, phrase)).unwrap(),
            json!({ "match_phrase": { "path_parts": { "query": "my docs/a.txt", "slop": 0 } } })
        );
    }

    #[test]
    fn regexes_keep_their_meaning_or_are_refused() {
        assert_eq!(lucene_regex(r"te.t.*").unwrap(), "te.t.*");
        assert_eq!(lucene_regex(r"a\*b\.c").unwrap(), r"a\*b\.c");
        assert_eq!(lucene_regex("joh?n(ath[oa]n)").unwrap(), "joh?n(ath[oa]n)");
        assert_eq!(lucene_regex("a~b&c@d#e<f>").unwrap(), r"a\~b\&c\@d\#e\<f\>");
        assert_eq!(lucene_regex("[^a-z]x{2,3}").unwrap(), "[^a-z]x{2,3}");
        for (regex, named) in [
            (r"\d+", r"\d"),
            ("^ab", "anchor ^"),
            ("(?i)ab", "(?...)"),
            ("[a", "unclosed"),
        ] {
            let message = lucene_regex(regex).unwrap_err().to_string();
            assert!(message.contains(named), "{regex}: {message}");
        }
    }

    #[test]
    fn ranges_keep_their_bounds() {
        let query = leaf(
            Target::WholePath,
            Matcher::Range {
                lower: Bound::Included("/a".into()),
                upper: Bound::Excluded("/m".into()),
            },
        );
        assert_eq!(
            translate(&query).unwrap(),
            json!({ "range": { "path": { "gte": "/a", "lt": "/m" } } })
        );
    }
}
