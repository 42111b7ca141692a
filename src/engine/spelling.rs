//! Spelling correction from an index's own words, whichever engine holds them: a query word the
//! text does not hold is replaced by the most frequent term of the text within one edit (two for
//! long words), so a typo finds what its writer meant. A word the text holds far more rarely
//! than a word one edit away is only suggested: measured on known-item queries (bench/relevance/),
//! replacing such words outright changed 12 of 400 correctly written queries on linux-docs, every
//! one for the worse (`UDP` -> `up`, `thin` -> `this`, `changer` -> `change`), while the typos the
//! benchmark makes are all words the index lacks.
//!
//! Only plain words on the text are corrected ([`QueryWord`]: not quoted phrases, which ask for
//! exactly what is written; not wildcards, regexes or fuzzy words, which already say how far to
//! look; not `path:` or `type:`, which are not prose; not excluded words, whose correction would
//! change what is left out). Words with digits are left alone too: `ext4` is not a typo of
//! `ext3`. A word is compared to the terms after the index's own analysis (its tokenizer), and
//! every replacement is a term of the text's dictionary, weighed by its document frequency.
//!
//! The rules are here, once; each engine answers the questions they ask ([`Dictionary`]): the
//! local index from its term dictionary (`src/search/correct.rs`), OpenSearch from its `term`
//! suggester and counts (`opensearch/spelling.rs`). [`search_correcting`] is the whole flow:
//! correct, search, and suggest when the hits are few.

use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::{Correction, EngineError};
use crate::query::ast::FieldName;
use crate::query::QueryWord;

/// A word the index holds gets a suggestion (when the query finds few hits) if a word one edit
/// away is in this many times more documents: a typo that made it into a few documents, beside
/// the word meant in many. So a word in at least a tenth of the documents is known well: no
/// term can be ten times more frequent, and its neighbours are not even looked up.
const SUGGEST_RATIO: u64 = 10;

/// Words shorter than this (in characters) are never corrected: one edit away from a short
/// word are dozens of others (`xss`: `css`, `xsl`, `ss`...), and nothing says which was meant.
const MIN_CHARS: usize = 4;

/// Words at least this long (in characters) that the index lacks are looked for two edits
/// away when nothing is one edit away.
pub const TWO_EDITS_CHARS: usize = 6;

/// Fewer hits than this are few: a likely correction of the query is then suggested, when it
/// finds at least this many and twice as many.
const FEW_HITS: usize = 5;

/// Which words a rewrite replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misspelled {
    /// Words missing from the index: the rewrite is searched instead of the query.
    Missing,
    /// Words in the index far more rarely than a word one edit away: the rewrite is only
    /// suggested, when the query finds few hits.
    Rare,
}

/// What the rules ask of an index's words: how often a word is there, and which words are near.
pub trait Dictionary {
    /// How many documents the index holds.
    fn documents(&self) -> Result<u64, EngineError>;

    /// How many documents hold `term` (an analysed word) in their text.
    fn frequency(&self, term: &str) -> Result<u64, EngineError>;

    /// Whether a title holds `term`: a word missing from the text but in a title is a real word.
    fn in_titles(&self, term: &str) -> Result<bool, EngineError>;

    /// The terms of the text within `distance` edits of `term` (a transposition is one), other
    /// than `term` itself, with their document frequencies; `None` when there are too many to
    /// list (then no correction rather than a slow one).
    fn neighbours(
        &self,
        term: &str,
        distance: u8,
    ) -> Result<Option<Vec<(String, u64)>>, EngineError>;
}

/// One analysed word of a query that correction may replace.
#[derive(Clone, Debug)]
pub struct QueryToken {
    /// Byte range of the token in the query.
    pub range: Range<usize>,
    /// The token, as the index analyses text.
    pub text: String,
}

impl QueryToken {
    /// Whether correction looks at this token at all: long enough, and without digits.
    pub fn eligible(&self) -> bool {
        self.text.chars().count() >= MIN_CHARS && !self.text.chars().any(char::is_numeric)
    }

    /// Whether a missing token is looked for two edits away when nothing is one edit away.
    pub fn long(&self) -> bool {
        self.text.chars().count() >= TWO_EDITS_CHARS
    }
}

/// The tokens of `query`'s plain `words` (as [`crate::query::parse_with_words`] lists them)
/// that correction may replace, each analysed by `analyzer` as the index analyses text.
pub fn correctable_tokens(
    query: &str,
    words: &[QueryWord],
    analyzer: &mut TextAnalyzer,
) -> Vec<QueryToken> {
    let mut found = Vec::new();
    for word in words.iter().filter(|word| correctable(word)) {
        // The word's byte offset in the query: its position counts characters.
        let Some((start, _)) = query.char_indices().nth(word.position) else {
            continue;
        };
        let mut tokens = analyzer.token_stream(&word.text);
        while let Some(token) = tokens.next() {
            let token = QueryToken {
                range: start + token.offset_from..start + token.offset_to,
                text: token.text.clone(),
            };
            if token.eligible() {
                found.push(token);
            }
        }
    }
    found
}

/// `query` with its `misspelled` `tokens` replaced by words of `dictionary`; `None` when no
/// token is misspelled so.
pub fn rewrite(
    dictionary: &dyn Dictionary,
    query: &str,
    tokens: &[QueryToken],
    misspelled: Misspelled,
) -> Result<Option<String>, EngineError> {
    let mut replacements = Vec::new();
    for token in tokens {
        if let Some(term) = replacement(dictionary, token, misspelled)? {
            replacements.push((token.range.clone(), term));
        }
    }
    Ok(replaced(query, &replacements))
}

/// The term replacing `token` when it is `misspelled` so; `None` when it is fine as it is, or
/// nothing better is near.
fn replacement(
    dictionary: &dyn Dictionary,
    token: &QueryToken,
    misspelled: Misspelled,
) -> Result<Option<String>, EngineError> {
    let frequency = dictionary.frequency(&token.text)?;
    match misspelled {
        Misspelled::Missing => {
            if frequency > 0 || dictionary.in_titles(&token.text)? {
                return Ok(None);
            }
            let mut best = most_frequent(dictionary.neighbours(&token.text, 1)?);
            if best.is_none() && token.long() {
                best = most_frequent(dictionary.neighbours(&token.text, 2)?);
            }
            Ok(best.map(|(term, _)| term))
        }
        Misspelled::Rare => {
            if frequency == 0 || frequency.saturating_mul(SUGGEST_RATIO) > dictionary.documents()? {
                return Ok(None);
            }
            let best = most_frequent(dictionary.neighbours(&token.text, 1)?);
            Ok(best
                .filter(|(_, neighbour)| *neighbour >= frequency * SUGGEST_RATIO)
                .map(|(term, _)| term))
        }
    }
}

/// The most frequent of `neighbours`, ties to the first in byte order (the dictionary's).
fn most_frequent(neighbours: Option<Vec<(String, u64)>>) -> Option<(String, u64)> {
    neighbours?
        .into_iter()
        .filter(|(_, frequency)| *frequency > 0)
        .min_by(|(a, a_count), (b, b_count)| b_count.cmp(a_count).then_with(|| a.cmp(b)))
}

/// `query` with `replacements` (in the order of their ranges) made; `None` without any.
fn replaced(query: &str, replacements: &[(Range<usize>, String)]) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    let mut rewritten = String::with_capacity(query.len());
    let mut at = 0;
    for (range, term) in replacements {
        rewritten.push_str(&query[at..range.start]);
        rewritten.push_str(term);
        at = range.end;
    }
    rewritten.push_str(&query[at..]);
    Some(rewritten)
}

/// Whether spelling correction may replace `word`: a word on the text, not excluded, typed
/// without escapes (so that its tokens' offsets are offsets in the query).
fn correctable(word: &QueryWord) -> bool {
    let on_text = match word.field {
        FieldName::Default | FieldName::Contents => true,
        FieldName::Title | FieldName::Path | FieldName::Type | FieldName::From | FieldName::To => {
            false
        }
    };
    on_text && !word.excluded && word.raw == word.text
}

/// What a search that corrects gives: the query whose hits these are, what `run` found for it,
/// and the correction made or suggested.
pub struct Corrected<T> {
    /// The query searched: the query itself or its correction.
    pub searched: String,
    /// What the search of `searched` found.
    pub found: T,
    /// What correction made of the query.
    pub correction: Option<Correction>,
}

/// Searches `query` with `run` (a query and whether to only count its matches, to what it
/// found and its total), correcting it when `correct` from what `spell` (the rewrite of the
/// query's words misspelled so) says: the correction of its missing words is searched instead
/// when it finds anything; else, when the query finds few hits, the correction of its rare
/// words is suggested if it finds many more (at least `FEW_HITS`, twice as many).
pub fn search_correcting<T>(
    query: &str,
    correct: bool,
    mut spell: impl FnMut(Misspelled) -> Result<Option<String>, EngineError>,
    mut run: impl FnMut(&str, bool) -> Result<(T, usize), EngineError>,
) -> Result<Corrected<T>, EngineError> {
    if correct {
        if let Some(corrected) = spell(Misspelled::Missing)? {
            let (found, total) = run(&corrected, false)?;
            // Never a correction that finds nothing (its word's documents all deleted).
            if total > 0 {
                return Ok(Corrected {
                    searched: corrected.clone(),
                    found,
                    correction: Some(Correction::Applied { corrected }),
                });
            }
        }
    }
    let (found, total) = run(query, false)?;
    let mut correction = None;
    if correct && total < FEW_HITS {
        if let Some(suggested) = spell(Misspelled::Rare)? {
            let (_, suggested_total) = run(&suggested, true)?;
            if suggested_total >= FEW_HITS && suggested_total >= 2 * total {
                correction = Some(Correction::Suggested { suggested });
            }
        }
    }
    Ok(Corrected {
        searched: query.to_string(),
        found,
        correction,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A dictionary of a few words with their frequencies, titles holding `titles`.
    struct Words {
        text: BTreeMap<&'static str, u64>,
        titles: &'static [&'static str],
        documents: u64,
    }

    impl Dictionary for Words {
        fn documents(&self) -> Result<u64, EngineError> {
            Ok(self.documents)
        }
        fn frequency(&self, term: &str) -> Result<u64, EngineError> {
            Ok(self.text.get(term).copied().unwrap_or(0))
        }
        fn in_titles(&self, term: &str) -> Result<bool, EngineError> {
            Ok(self.titles.contains(&term))
        }
        fn neighbours(
            &self,
            term: &str,
            distance: u8,
        ) -> Result<Option<Vec<(String, u64)>>, EngineError> {
            let near = |word: &str| {
                let (a, b): (Vec<char>, Vec<char>) =
                    (term.chars().collect(), word.chars().collect());
                // Substitutions only: enough for these tests.
                a.len() == b.len()
                    && a.iter().zip(&b).filter(|(x, y)| x != y).count() <= distance as usize
            };
            Ok(Some(
                self.text
                    .iter()
                    .filter(|(word, _)| **word != term && near(word))
                    .map(|(word, count)| (word.to_string(), *count))
                    .collect(),
            ))
        }
    }

    fn token(query: &str, word: &str) -> QueryToken {
        let start = query.find(word).unwrap();
        QueryToken {
            range: start..start + word.len(),
            text: word.to_string(),
        }
    }

    #[test]
    fn missing_words_take_the_most_frequent_neighbour_and_known_words_stay() {
        let words = Words {
            text: BTreeMap::from([("house", 3), ("horse", 3), ("mouse", 9), ("lamp", 50)]),
            titles: &["lampx"],
            documents: 100,
        };
        let query = "lamp nouse lampx";
        let tokens = [
            token(query, "lamp"),
            token(query, "nouse"),
            token(query, "lampx"),
        ];
        assert_eq!(
            rewrite(&words, query, &tokens, Misspelled::Missing).unwrap(),
            Some("lamp mouse lampx".to_string())
        );
        // A tie goes to the first in byte order.
        let query = "hxrse";
        assert_eq!(
            rewrite(&words, query, &[token(query, "hxrse")], Misspelled::Missing).unwrap(),
            Some("horse".to_string())
        );
        assert_eq!(
            rewrite(
                &words,
                "lamp",
                &[token("lamp", "lamp")],
                Misspelled::Missing
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn rare_words_are_replaced_only_by_a_word_ten_times_more_frequent() {
        let words = Words {
            text: BTreeMap::from([("house", 1), ("horse", 10), ("mouse", 9)]),
            titles: &[],
            documents: 100,
        };
        let query = "house";
        let tokens = [token(query, "house")];
        assert_eq!(
            rewrite(&words, query, &tokens, Misspelled::Rare).unwrap(),
            Some("horse".to_string())
        );
        assert_eq!(
            rewrite(&words, query, &tokens, Misspelled::Missing).unwrap(),
            None
        );
    }

    #[test]
    fn short_words_and_words_with_digits_are_not_eligible() {
        assert!(!token("abc", "abc").eligible());
        assert!(!token("ext4x", "ext4x").eligible());
        assert!(token("abcd", "abcd").eligible());
    }
}
