//! Reading a query that is not valid syntax as the words it holds, the way people and agents
//! paste text (`--best gzip command line option`): the front ends that search what they are
//! given rather than refuse it run this instead, and show the syntax error beside the results.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::{parse, DefaultOperator, QuerySyntaxError};

/// The query to search for `input`: `input` itself when it is valid syntax; otherwise its words
/// ([`words_query`]) and why `input` is not valid. A query without words stays an error.
pub fn read_leniently(
    input: &str,
    default_operator: DefaultOperator,
    analyzer: &mut TextAnalyzer,
) -> Result<(String, Option<QuerySyntaxError>), QuerySyntaxError> {
    match parse(input, default_operator) {
        Ok(_) => Ok((input.to_string(), None)),
        Err(err) => {
            let words = words_query(input, analyzer);
            if words.is_empty() {
                Err(err)
            } else {
                Ok((words, Some(err)))
            }
        }
    }
}

/// The words of `input` as a query of plain words (the tokens `analyzer` makes of it, as the
/// index would), joined by spaces; empty when `input` holds no word. Tokens are lower-case
/// letters and digits, never syntax (not even `AND`), so the result always parses.
pub fn words_query(input: &str, analyzer: &mut TextAnalyzer) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut tokens = analyzer.token_stream(input);
    while let Some(token) = tokens.next() {
        words.push(token.text.clone());
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_malformed_query_parse() {
        let mut analyzer = crate::index::schema::text_analyzer();
        for (input, words) in [
            (
                "--best gzip command line option",
                "best gzip command line option",
            ),
            ("(Unclosed AND", "unclosed and"),
            ("\"half a phrase", "half a phrase"),
            ("+ - ! :", ""),
        ] {
            let query = words_query(input, &mut analyzer);
            assert_eq!(query, words);
            if !query.is_empty() {
                assert!(parse(&query, DefaultOperator::Or).is_ok(), "{query}");
            }
        }
    }
}
