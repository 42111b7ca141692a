//! Lantern's query language: Lucene's classic syntax, parsed by our own grammar (tantivy's parser
//! silently misreads wildcards, fuzzy terms and `!`/`&&`) and compiled to tantivy queries.

pub mod ast;
mod compile;
pub mod parser;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

pub use compile::QueryCompiler;
pub use parser::{parse, DefaultOperator, QuerySyntaxError};

/// A query that cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query text does not follow the syntax.
    #[error("{0}")]
    Syntax(#[from] QuerySyntaxError),
    /// A `/regular expression/` (or a wildcard) the regex engine refuses.
    #[error("invalid regular expression /{pattern}/: {reason}")]
    InvalidRegex {
        /// The pattern as given.
        pattern: String,
        /// Why the engine refused it.
        reason: String,
    },
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
    /// A literal character, lower-cased as the index stores terms.
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
                    parts.extend(escaped.to_lowercase().map(WildcardPart::Literal));
                }
            }
            literal => parts.extend(literal.to_lowercase().map(WildcardPart::Literal)),
        }
    }
    parts
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
/// expression over lower-cased terms, as the index stores them.
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
