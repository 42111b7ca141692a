//! Spelling correction from the index's own words: a query word the text does not hold is
//! replaced by the most frequent term of the text within one edit (two for long words), so a
//! typo finds what its writer meant. A word the text holds far more rarely than a word one edit
//! away is only suggested: measured on known-item queries (bench/relevance/), replacing such
//! words outright changed 12 of 400 correctly written queries on linux-docs, every one for the
//! worse (`UDP` -> `up`, `thin` -> `this`, `changer` -> `change`), while the typos the benchmark
//! makes are all words the index lacks.
//!
//! Only plain words on the text are corrected ([`QueryWord`]: not quoted phrases, which ask for
//! exactly what is written; not wildcards, regexes or fuzzy words, which already say how far to
//! look; not `path:` or `type:`, which are not prose; not excluded words, whose correction would
//! change what is left out). Words with digits are left alone too: `ext4` is not a typo of
//! `ext3`. A word is compared to the terms after the index's own analysis (its tokenizer), and
//! every replacement is a term of the text's dictionary, found by a Levenshtein automaton walked
//! over that dictionary (see [`TermExpander`]) and weighed by its document frequency.

use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, TantivyError, Term};

use super::expand::TermExpander;
use crate::query::ast::FieldName;
use crate::query::parser::QueryWord;
use crate::query::{MultiTerm, TermExpansion};

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
const TWO_EDITS_CHARS: usize = 6;

/// Which words a rewrite replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misspelled {
    /// Words missing from the index: the rewrite is searched instead of the query.
    Missing,
    /// Words in the index far more rarely than a word one edit away: the rewrite is only
    /// suggested, when the query finds few hits. Looked for only then, as it walks the
    /// dictionary for every word the index holds.
    Rare,
}

/// One word's replacement.
struct Replacement {
    /// Byte range of the replaced token in the query.
    range: std::ops::Range<usize>,
    /// The index term replacing it.
    term: String,
}

/// Looks up the words of queries in one field's term dictionary.
pub struct Speller<'s> {
    searcher: &'s Searcher,
    field: Field,
    /// The titles' field: a word missing from the text but in a title is a real word.
    title: Field,
    expander: &'s TermExpander<'s>,
    documents: u64,
}

impl<'s> Speller<'s> {
    /// A speller for the text `field` of `searcher` (whose documents' titles are in `title`),
    /// finding neighbours with `expander` (over `field`), whose cache the query's own fuzzy
    /// words share.
    pub fn new(
        searcher: &'s Searcher,
        field: Field,
        title: Field,
        expander: &'s TermExpander<'s>,
    ) -> Self {
        Speller {
            searcher,
            field,
            title,
            expander,
            documents: searcher.num_docs(),
        }
    }

    /// `query` with its `misspelled` plain `words` (as
    /// [`crate::query::parser::parse_with_words`] lists them) replaced, each word analysed by
    /// `analyzer` as the index analyses text; `None` when no word is misspelled so.
    pub fn rewrite(
        &self,
        query: &str,
        words: &[QueryWord],
        analyzer: &mut TextAnalyzer,
        misspelled: Misspelled,
    ) -> Result<Option<String>, TantivyError> {
        let mut replacements = Vec::new();
        for word in words.iter().filter(|word| correctable(word)) {
            // The word's byte offset in the query: its position counts characters.
            let Some((start, _)) = query.char_indices().nth(word.position) else {
                continue;
            };
            let mut tokens = analyzer.token_stream(&word.text);
            while let Some(token) = tokens.next() {
                if let Some(term) = self.replacement(&token.text, misspelled)? {
                    replacements.push(Replacement {
                        range: start + token.offset_from..start + token.offset_to,
                        term,
                    });
                }
            }
        }
        Ok(replaced(query, &replacements))
    }

    /// The term replacing the analysed word `token` when it is `misspelled` so; `None` when it
    /// is fine as it is, or nothing better is near.
    fn replacement(
        &self,
        token: &str,
        misspelled: Misspelled,
    ) -> Result<Option<String>, TantivyError> {
        let length = token.chars().count();
        if length < MIN_CHARS || token.chars().any(|c| c.is_numeric()) {
            return Ok(None);
        }
        let frequency = self.frequency(self.field, token)?;
        match misspelled {
            Misspelled::Missing => {
                if frequency > 0 || self.frequency(self.title, token)? > 0 {
                    return Ok(None);
                }
                let mut best = self.most_frequent_neighbour(token, 1)?;
                if best.is_none() && length >= TWO_EDITS_CHARS {
                    best = self.most_frequent_neighbour(token, 2)?;
                }
                Ok(best.map(|(term, _)| term))
            }
            Misspelled::Rare => {
                if frequency == 0 || frequency.saturating_mul(SUGGEST_RATIO) > self.documents {
                    return Ok(None);
                }
                let best = self.most_frequent_neighbour(token, 1)?;
                Ok(best
                    .filter(|(_, neighbour)| *neighbour >= frequency * SUGGEST_RATIO)
                    .map(|(term, _)| term))
            }
        }
    }

    /// The most frequent term within `distance` edits of `token` (not `token` itself), with its
    /// document frequency; ties go to the first in the dictionary's order.
    fn most_frequent_neighbour(
        &self,
        token: &str,
        distance: u8,
    ) -> Result<Option<(String, u64)>, TantivyError> {
        let pattern = MultiTerm::Fuzzy {
            word: token.to_string(),
            distance,
        };
        // Too many terms to list (or out of time): no correction rather than a slow one.
        let Some(terms) = self.expander.expand(&pattern)? else {
            return Ok(None);
        };
        let mut best: Option<(String, u64)> = None;
        for term in terms.into_iter().filter(|term| term != token) {
            let frequency = self.frequency(self.field, &term)?;
            if frequency > best.as_ref().map_or(0, |(_, most)| *most) {
                best = Some((term, frequency));
            }
        }
        Ok(best)
    }

    /// How many documents hold `term` in `field`.
    fn frequency(&self, field: Field, term: &str) -> Result<u64, TantivyError> {
        self.searcher.doc_freq(&Term::from_field_text(field, term))
    }
}

/// `query` with `replacements` (in the order of their ranges) made; `None` without any.
fn replaced(query: &str, replacements: &[Replacement]) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    let mut rewritten = String::with_capacity(query.len());
    let mut at = 0;
    for replacement in replacements {
        rewritten.push_str(&query[at..replacement.range.start]);
        rewritten.push_str(&replacement.term);
        at = replacement.range.end;
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
