//! Spelling correction on the engine: the engine's answers to the questions of the rules in
//! [`crate::engine::spelling`], for the words of one query, fetched in one request before the
//! search: how many documents hold each word in their text and in their titles (a `filters`
//! aggregation of `term` queries), how many documents there are, and each word's neighbours
//! with their document frequencies (the `term` suggester on `body`, in `always` mode so that
//! rare words get theirs too; its frequencies are summed over the shards).
//!
//! The suggester walks the same automaton as the local engine (Damerau-Levenshtein, a
//! transposition is one edit, no common prefix required) for one edit. For two edits Lucene's
//! spell checker requires the first letter to match, so a long word whose first letter is
//! wrong and that is two edits from anything is corrected locally but not here.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::client::Client;
use crate::engine::spelling::{Dictionary, QueryToken};
use crate::engine::EngineError;

/// How many neighbours the suggester returns per word and shard, most frequent first: the
/// most frequent is the one taken, and ties are broken by byte order among those returned.
const NEIGHBOURS: u32 = 20;

/// What the engine says of a word.
#[derive(Debug, Default)]
struct WordFacts {
    /// Documents holding it in their text.
    text: u64,
    /// Documents holding it in their titles.
    titles: u64,
    /// Its neighbours one edit away, then (for long words) two edits away, with frequencies.
    near: [Vec<(String, u64)>; 2],
}

/// The engine's words, as far as one query's words need them.
#[derive(Debug, Default)]
pub(super) struct EngineWords {
    documents: u64,
    words: HashMap<String, WordFacts>,
}

impl EngineWords {
    /// Asks the index `client` names about `tokens`, in one request.
    pub(super) fn fetch(
        client: &Client,
        tokens: &[QueryToken],
    ) -> Result<EngineWords, EngineError> {
        let mut unique: Vec<&QueryToken> = Vec::new();
        for token in tokens {
            if !unique.iter().any(|seen| seen.text == token.text) {
                unique.push(token);
            }
        }
        let mut filters = Map::new();
        let mut suggest = Map::new();
        for (at, token) in unique.iter().enumerate() {
            filters.insert(
                format!("text{at}"),
                json!({ "term": { "body": token.text } }),
            );
            filters.insert(
                format!("title{at}"),
                json!({ "term": { "title": token.text } }),
            );
            suggest.insert(format!("near1-{at}"), suggester(&token.text, 1));
            if token.long() {
                suggest.insert(format!("near2-{at}"), suggester(&token.text, 2));
            }
        }
        let body = json!({
            "size": 0,
            "track_total_hits": true,
            "query": { "match_all": {} },
            "aggs": { "words": { "filters": { "filters": filters } } },
            "suggest": suggest,
        });
        let answer = client.json("POST", "/_search", &body)?;
        let count = |name: &str| {
            answer
                .pointer(&format!("/aggregations/words/buckets/{name}/doc_count"))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        let words = unique
            .iter()
            .enumerate()
            .map(|(at, token)| {
                let near = |edits: u32| neighbours(&answer, &format!("near{edits}-{at}"));
                let facts = WordFacts {
                    text: count(&format!("text{at}")),
                    titles: count(&format!("title{at}")),
                    near: [near(1), near(2)],
                };
                (token.text.clone(), facts)
            })
            .collect();
        Ok(EngineWords {
            documents: answer
                .pointer("/hits/total/value")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            words,
        })
    }
}

/// A `term` suggester of the words of `body` within `edits` edits of `word`, whatever the
/// word's own frequency (Lantern's rules decide), most frequent first.
fn suggester(word: &str, edits: u32) -> Value {
    json!({
        "text": word,
        "term": {
            "field": "body",
            "suggest_mode": "always",
            "max_edits": edits,
            "prefix_length": 0,
            "min_word_length": 1,
            // Relative to a shard's documents; the default (1%) would skip words Lantern's
            // rules still look at (rare words are those in up to a tenth of the documents).
            "max_term_freq": 0.99,
            "accuracy": 0.0,
            "size": NEIGHBOURS,
            "shard_size": NEIGHBOURS,
            "sort": "frequency",
        },
    })
}

/// The options of the suggestion `name` in `answer`, as (word, frequency).
fn neighbours(answer: &Value, name: &str) -> Vec<(String, u64)> {
    answer
        .pointer(&format!("/suggest/{name}"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .flat_map(|entry| {
            entry["options"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .filter_map(|option| {
            Some((
                option["text"].as_str()?.to_string(),
                option["freq"].as_u64()?,
            ))
        })
        .collect()
}

impl Dictionary for EngineWords {
    fn documents(&self) -> Result<u64, EngineError> {
        Ok(self.documents)
    }

    fn frequency(&self, term: &str) -> Result<u64, EngineError> {
        Ok(self.words.get(term).map_or(0, |facts| facts.text))
    }

    fn in_titles(&self, term: &str) -> Result<bool, EngineError> {
        Ok(self.words.get(term).is_some_and(|facts| facts.titles > 0))
    }

    fn neighbours(
        &self,
        term: &str,
        distance: u8,
    ) -> Result<Option<Vec<(String, u64)>>, EngineError> {
        let near = self
            .words
            .get(term)
            .and_then(|facts| facts.near.get(usize::from(distance.max(1)) - 1))
            .map(|near| {
                near.iter()
                    .filter(|(word, _)| word != term)
                    .cloned()
                    .collect()
            });
        Ok(Some(near.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_read_as_words_and_frequencies() {
        let answer = json!({ "suggest": { "near1-0": [
            { "text": "lighthose", "options": [
                { "text": "lighthouse", "score": 0.9, "freq": 5 },
                { "text": "lighthouses", "freq": 2 },
            ] },
        ] } });
        assert_eq!(
            neighbours(&answer, "near1-0"),
            [
                ("lighthouse".to_string(), 5),
                ("lighthouses".to_string(), 2)
            ]
        );
        assert!(neighbours(&answer, "near2-0").is_empty());
    }
}
