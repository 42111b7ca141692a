//! What to look for in a text: the positive leaves of a query, analysed like the indexed text.

use regex::Regex;
use tantivy::tokenizer::TextAnalyzer;

use crate::search::query::ast::{FieldName, Occur, QueryNode};
use crate::search::query::{analyze, wildcard_to_regex};

/// One thing the query looks for, matched against the tokens of a text.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// A token equal to this (already analysed) word.
    Word(String),
    /// A token the whole of which matches a regular expression (wildcards, regexes).
    Regex {
        /// The expression, anchored at both ends.
        regex: Regex,
        /// The expression as the index's term automaton takes it (implicitly anchored).
        source: String,
    },
    /// A token within `distance` edits (insertions, deletions, substitutions, transpositions).
    Fuzzy {
        /// The analysed word, as characters.
        word: Vec<char>,
        /// The largest edit distance allowed.
        distance: u8,
    },
    /// A token equal to one of these terms (sorted): a wildcard, regex or fuzzy term replaced by
    /// the terms of the index it expands to.
    Terms(Vec<String>),
    /// Consecutive tokens equal to `words`, allowing `slop` extra positions between them.
    Phrase {
        /// The analysed words, in order.
        words: Vec<String>,
        /// How many extra positions may separate the words.
        slop: u32,
    },
}

impl Pattern {
    /// True when a single token matches this pattern (phrases never match a single token alone).
    pub fn matches_token(&self, token: &str) -> bool {
        match self {
            Pattern::Word(word) => word == token,
            Pattern::Regex { regex, .. } => regex.is_match(token),
            Pattern::Terms(terms) => terms
                .binary_search_by(|term| term.as_str().cmp(token))
                .is_ok(),
            Pattern::Fuzzy { word, distance } => within_distance(word, token, *distance),
            Pattern::Phrase { .. } => false,
        }
    }
}

/// Collects the patterns of the positive leaves of `query` on `field`: clauses under `NOT`/`-` are
/// left out, so their words are never highlighted.
pub fn collect_patterns(
    query: &QueryNode,
    field: FieldName,
    analyzer: &mut TextAnalyzer,
) -> Vec<Pattern> {
    let mut patterns = Vec::new();
    collect(query, field, analyzer, &mut patterns);
    patterns
}

fn collect(
    node: &QueryNode,
    wanted: FieldName,
    analyzer: &mut TextAnalyzer,
    out: &mut Vec<Pattern>,
) {
    match node {
        QueryNode::Bool(clauses) => {
            for clause in clauses.iter().filter(|c| c.occur != Occur::MustNot) {
                collect(&clause.query, wanted, analyzer, out);
            }
        }
        QueryNode::Boost { query, .. } => collect(query, wanted, analyzer, out),
        QueryNode::Term { field, text } if *field == wanted => {
            out.push(words_pattern(analyze(analyzer, text), 0));
        }
        QueryNode::Phrase { field, text, slop } if *field == wanted => {
            out.push(words_pattern(analyze(analyzer, text), *slop));
        }
        QueryNode::Wildcard { field, pattern } if *field == wanted => {
            out.extend(regex_pattern(wildcard_to_regex(pattern)));
        }
        QueryNode::Regex { field, pattern } if *field == wanted => {
            out.extend(regex_pattern(pattern.clone()));
        }
        QueryNode::Fuzzy {
            field,
            text,
            distance,
        } if *field == wanted => {
            for word in analyze(analyzer, text) {
                out.push(Pattern::Fuzzy {
                    word: word.chars().collect(),
                    distance: *distance,
                });
            }
        }
        _ => {}
    }
}

/// A pattern matching whole tokens against `source`, if it compiles.
fn regex_pattern(source: String) -> Option<Pattern> {
    let regex = Regex::new(&format!("^(?:{source})$")).ok()?;
    Some(Pattern::Regex { regex, source })
}

/// A word analysed into one token is a word; into several, a phrase (as the compiler does).
fn words_pattern(mut words: Vec<String>, slop: u32) -> Pattern {
    if words.len() == 1 {
        Pattern::Word(words.remove(0))
    } else {
        Pattern::Phrase { words, slop }
    }
}

/// True when `token` is at most `distance` edits from `word`, counting a transposition of two
/// adjacent characters as one edit (as tantivy's fuzzy query does).
fn within_distance(word: &[char], token: &str, distance: u8) -> bool {
    let token: Vec<char> = token.chars().collect();
    let max = distance as usize;
    if word.len().abs_diff(token.len()) > max {
        return false;
    }
    // Optimal string alignment distance, three rows.
    let width = token.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=word.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(word[i - 1] != token[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && word[i - 1] == token[j - 2] && word[i - 2] == token[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[width - 1] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fuzzy(word: &str, token: &str, distance: u8) -> bool {
        within_distance(&word.chars().collect::<Vec<_>>(), token, distance)
    }

    #[test]
    fn fuzzy_distance_counts_edits() {
        assert!(fuzzy("roam", "roam", 0));
        assert!(fuzzy("roam", "foam", 1));
        assert!(fuzzy("roam", "roams", 1));
        assert!(fuzzy("roam", "raom", 1));
        assert!(!fuzzy("roam", "foams", 1));
        assert!(fuzzy("roam", "foams", 2));
        assert!(!fuzzy("roam", "xxxx", 2));
        assert!(fuzzy("", "ab", 2));
        assert!(!fuzzy("", "abc", 2));
    }
}
