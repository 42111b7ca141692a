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

/// Translates a wildcard pattern (`*` any run, `?` one character, `\` escapes) into a regular
/// expression over lower-cased terms, as the index stores them.
pub fn wildcard_to_regex(pattern: &str) -> String {
    let mut regex = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => regex.push_str(".*"),
            '?' => regex.push('.'),
            '\\' => {
                if let Some(escaped) = chars.next() {
                    push_literal(&mut regex, escaped);
                }
            }
            literal => push_literal(&mut regex, literal),
        }
    }
    regex
}

fn push_literal(regex: &mut String, c: char) {
    for lower in c.to_lowercase() {
        regex.push_str(&regex::escape(lower.encode_utf8(&mut [0; 4])));
    }
}
