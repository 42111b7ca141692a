//! Lantern's query language: Lucene's classic syntax, parsed by our own grammar (tantivy's parser
//! silently misreads wildcards, fuzzy terms and `!`/`&&`), checked against the limits every
//! query must respect, and lowered into the analysed form that search and highlighting share.

pub mod ast;
pub mod automaton;
pub mod filters;
pub mod lenient;
pub mod lower;
pub mod parser;
pub mod proximity;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::index::fold::fold_into;
use ast::QueryNode;
pub use filters::Filters;
pub use lower::{
    lower, Analyzers, Leaf, LowerError, Lowered, Matcher, MultiTerm, Target, TermExpansion,
};
pub use parser::{parse, parse_with_words, DefaultOperator, QuerySyntaxError, QueryWord};

/// The most clauses (words, phrases, patterns, ranges) a query may hold, as in Lucene's default
/// `maxClauseCount`: each costs a walk over postings.
pub const MAX_CLAUSES: usize = 1024;

/// The most wildcard, regex and fuzzy clauses a query may hold: each walks the term dictionary.
pub const MAX_PATTERNS: usize = 64;

/// The largest boost, alone or multiplied along nested boosts, so that scores stay finite.
pub const MAX_BOOST: f32 = 10_000.0;

/// A query that cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query text does not follow the syntax.
    #[error("{0}")]
    Syntax(#[from] QuerySyntaxError),
    /// The query asks for more work than a search may do.
    #[error("{0}")]
    TooLarge(String),
    /// A `/regular expression/` (or a wildcard) the regex engine refuses.
    #[error("invalid regular expression /{pattern}/: {reason}")]
    InvalidRegex {
        /// The pattern as given.
        pattern: String,
        /// Why the engine refused it.
        reason: String,
    },
}

/// Refuses a query with more than [`MAX_CLAUSES`] clauses, more than [`MAX_PATTERNS`] wildcard,
/// regex and fuzzy clauses, or boosts multiplying past [`MAX_BOOST`].
pub fn check_size(tree: &QueryNode) -> Result<(), QueryError> {
    let mut size = QuerySize::default();
    size.add(tree, 1.0);
    if size.clauses > MAX_CLAUSES {
        return Err(QueryError::TooLarge(format!(
            "the query has {} clauses; at most {MAX_CLAUSES} are allowed",
            size.clauses
        )));
    }
    if size.patterns > MAX_PATTERNS {
        return Err(QueryError::TooLarge(format!(
            "the query has {} wildcard, regex and fuzzy clauses; at most {MAX_PATTERNS} are allowed",
            size.patterns
        )));
    }
    if size.boost > MAX_BOOST {
        return Err(QueryError::TooLarge(format!(
            "nested boosts multiply to {}; at most {MAX_BOOST} is allowed",
            size.boost
        )));
    }
    Ok(())
}

/// What a query tree asks for, counted by [`check_size`].
#[derive(Default)]
struct QuerySize {
    clauses: usize,
    patterns: usize,
    /// The largest product of boosts from the root to a leaf.
    boost: f32,
}

impl QuerySize {
    fn add(&mut self, node: &QueryNode, boost: f32) {
        match node {
            QueryNode::Bool(clauses) => {
                for clause in clauses {
                    self.add(&clause.query, boost);
                }
            }
            QueryNode::Boost { query, boost: own } => self.add(query, boost * own),
            QueryNode::Wildcard { .. } | QueryNode::Regex { .. } | QueryNode::Fuzzy { .. } => {
                self.patterns += 1;
                self.leaf(boost);
            }
            QueryNode::Term { .. }
            | QueryNode::Phrase { .. }
            | QueryNode::Range { .. }
            | QueryNode::Span { .. }
            | QueryNode::All => self.leaf(boost),
        }
    }

    fn leaf(&mut self, boost: f32) {
        self.clauses += 1;
        self.boost = self.boost.max(boost);
    }
}

/// The tokens `analyzer` makes of `text`: how the index saw the same words.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

/// One element of a wildcard pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WildcardPart {
    /// `*`: any run of characters.
    Any,
    /// `?`: one character.
    One,
    /// A literal character, folded as the index stores terms.
    Literal(char),
}

/// Splits a wildcard pattern (`*` any run, `?` one character, `\` escapes) into its parts.
fn wildcard_parts(pattern: &str) -> Vec<WildcardPart> {
    let mut parts = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => parts.push(WildcardPart::Any),
            '?' => parts.push(WildcardPart::One),
            '\\' => {
                if let Some(escaped) = chars.next() {
                    push_literal(escaped, &mut parts);
                }
            }
            literal => push_literal(literal, &mut parts),
        }
    }
    parts
}

/// Appends the literal `c` folded (`É` is `e`, `ß` is `s`, `s`; a combining accent is nothing):
/// the pattern then matches the folded terms of the index, `caf*` and `café*` alike.
fn push_literal(c: char, parts: &mut Vec<WildcardPart>) {
    let mut folded = String::new();
    fold_into(c.encode_utf8(&mut [0; 4]), &mut folded);
    parts.extend(folded.chars().map(WildcardPart::Literal));
}

fn parts_to_regex(parts: impl IntoIterator<Item = WildcardPart>) -> String {
    let mut regex = String::new();
    for part in parts {
        match part {
            WildcardPart::Any => regex.push_str(".*"),
            WildcardPart::One => regex.push('.'),
            WildcardPart::Literal(c) => regex.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    regex
}

/// Translates a wildcard pattern (`*` any run, `?` one character, `\` escapes) into a regular
/// expression over folded terms, as the index stores them.
pub fn wildcard_to_regex(pattern: &str) -> String {
    parts_to_regex(wildcard_parts(pattern))
}

/// For a pattern that starts with a wildcard and ends with a literal (`*.rst`), the regular
/// expression matching the same terms spelled backwards (`tsr\..*`): over reversed terms it has
/// a literal prefix, so the term dictionary is searched from that prefix instead of scanned whole.
pub fn reversed_wildcard_regex(pattern: &str) -> Option<String> {
    let parts = wildcard_parts(pattern);
    let leading_wildcard = matches!(parts.first(), Some(WildcardPart::Any | WildcardPart::One));
    let trailing_literal = matches!(parts.last(), Some(WildcardPart::Literal(_)));
    (leading_wildcard && trailing_literal).then(|| parts_to_regex(parts.into_iter().rev()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_become_regexes() {
        assert_eq!(wildcard_to_regex("Te?t*"), "te.t.*");
        assert_eq!(wildcard_to_regex(r"a\*b.c"), r"a\*b\.c");
        assert_eq!(wildcard_to_regex("CAFÉ*"), "cafe.*");
        assert_eq!(wildcard_to_regex("Stra\u{df}e"), "strasse");
    }

    #[test]
    fn leading_wildcards_are_reversed() {
        assert_eq!(
            reversed_wildcard_regex("*.RST").as_deref(),
            Some(r"tsr\..*")
        );
        assert_eq!(reversed_wildcard_regex("?ab*c").as_deref(), Some("c.*ba."));
        assert_eq!(reversed_wildcard_regex("ab*"), None);
        assert_eq!(reversed_wildcard_regex("*ab*"), None);
    }
}
