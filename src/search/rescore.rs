//! Ranking clauses scored for the best matches only.
//!
//! The proximity clause (each pair of consecutive query words as a phrase, see
//! `query::lower`) matches no document the words do not, and only adds to scores. Searched beside
//! the words, it reads the positions of every document holding both: for `+dma +buffer` in the
//! Linux tree, thousands of documents, the larger part of the search. As Lucene's
//! `QueryRescorer` and Elasticsearch's `rescore` do, the best [`WINDOW`] matches are found
//! without it, and its score is added to each of those alone (a seek per document).
//!
//! A document outside the window cannot climb into the hits by its proximity alone. Measured
//! (BENCHMARKS.md): on the judged queries of bench/relevance/ the ranking is unchanged; on the
//! Linux tree, 29 of the 30 benchmark queries give the same 50 hits in the same order as the
//! clause searched with the words, and `irq interrupt` (23,000 matches) 32 of the same 50. A
//! window that kept every hit exact needs a bound on what the clause can add (its BM25
//! ceiling), which is loose enough that the window had to grow to thousands of documents, and
//! the search cost more than before.

use std::cmp::Ordering;

use std::sync::Arc;

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocSet, Score, Searcher, SeekDangerResult};

use super::compile::compile;
use super::deadline::Deadline;
use crate::index::LanternSchema;
use crate::query::{Lowered, QueryError};

/// How many of the best matches without the ranking clauses are scored with them (at least the
/// hits wanted). Measured against 200 (Solr's re-rank default) and 2,000: 200 changed the hits
/// of 4 of the 30 Linux benchmark queries, 1,000 of one, at a cost within the noise of 200's.
const WINDOW: usize = 1000;

/// The ranking clauses of a query, compiled.
pub(super) struct Rescorer {
    queries: Vec<Box<dyn Query>>,
}

/// The best matches as a collection gives them, best first, and what else it gathered.
pub(super) type Best<T> = (Vec<(Score, DocAddress)>, T);

impl Rescorer {
    /// The rescorer of `ranking` (the summands of a query's ranking clauses,
    /// [`Lowered::split_ranking`]); `None` when there are none.
    pub(super) fn new(
        ranking: &[Lowered],
        fields: &LanternSchema,
        deadline: &Arc<Deadline>,
    ) -> Result<Option<Rescorer>, QueryError> {
        if ranking.is_empty() {
            return Ok(None);
        }
        let queries = ranking
            .iter()
            .map(|summand| compile(summand, fields, deadline))
            .collect::<Result<Vec<_>, QueryError>>()?;
        Ok(Some(Rescorer { queries }))
    }

    /// The best `pool` matches with the ranking clauses' scores, best first, from `collect`,
    /// which gives the best `n` matches of the query without them (and what else it gathers).
    pub(super) fn best<T>(
        &self,
        searcher: &Searcher,
        pool: usize,
        collect: impl FnOnce(usize) -> tantivy::Result<Best<T>>,
    ) -> tantivy::Result<Best<T>> {
        let (found, gathered) = collect(pool.max(WINDOW))?;
        Ok((self.rescore(searcher, found, pool)?, gathered))
    }

    /// `found` with the scores of the ranking clauses added, best first, the first `limit`.
    /// Equal scores keep the order of their addresses, as tantivy's collectors do.
    fn rescore(
        &self,
        searcher: &Searcher,
        mut found: Vec<(Score, DocAddress)>,
        limit: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        found.sort_unstable_by_key(|&(_, address)| address);
        for query in &self.queries {
            let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
            for segment in found.chunk_by_mut(|(_, a), (_, b)| a.segment_ord == b.segment_ord) {
                let reader = searcher.segment_reader(segment[0].1.segment_ord);
                let mut scorer = weight.scorer(reader, 1.0)?;
                // Only the documents asked about are looked at (a phrase's `seek` would go on
                // to the next document where it matches). Until the first miss the scorer
                // stands on a document of its own, which may lie past those asked about; after
                // a miss, no document before the bound the scorer gave can match, and it must
                // not be asked about one.
                let mut positioned = true;
                let mut bound = 0;
                for (score, address) in segment {
                    let target = address.doc_id;
                    let found = if positioned && scorer.doc() >= target {
                        scorer.doc() == target
                    } else if !positioned && target < bound {
                        false
                    } else {
                        match scorer.seek_danger(target) {
                            SeekDangerResult::Found => positioned = true,
                            SeekDangerResult::SeekLowerBound(lower) => {
                                (positioned, bound) = (false, lower)
                            }
                        }
                        positioned
                    };
                    if found {
                        *score += scorer.score();
                    }
                }
            }
        }
        found.sort_unstable_by(|(a_score, a), (b_score, b)| {
            b_score
                .partial_cmp(a_score)
                .unwrap_or(Ordering::Equal)
                .then(a.cmp(b))
        });
        found.truncate(limit);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    use super::*;

    #[test]
    fn rescoring_the_best_matches_gives_the_scores_of_the_whole_query() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        // Some documents hold the words side by side, some apart, some one of them (two in a
        // row, so that a miss can leave the scorer past the next document asked about); two
        // segments, so that the scorer of each is asked about its own documents.
        for segment in 0..2 {
            for n in 0..40 {
                let body = match (n + segment) % 6 {
                    0 => "red apple and a red apple".to_string(),
                    1 => format!("apple {} red", "filler ".repeat(n)),
                    2 => "a red apple".to_string(),
                    3 | 4 => format!("apple {}", "filler ".repeat(n)),
                    _ => format!("red {}", "filler ".repeat(n)),
                };
                writer.add_document(doc!(text => body)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let term = |word: &str| Term::from_field_text(text, word);
        let word = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(term(word), IndexRecordOption::WithFreqs))
        };
        let phrase =
            || -> Box<dyn Query> { Box::new(PhraseQuery::new(vec![term("red"), term("apple")])) };
        let words = BooleanQuery::new(vec![
            (Occur::Should, word("red")),
            (Occur::Should, word("apple")),
        ]);
        let whole = BooleanQuery::new(vec![
            (Occur::Should, word("red")),
            (Occur::Should, word("apple")),
            (Occur::Should, phrase()),
        ]);
        let all = TopDocs::with_limit(1000).order_by_score();
        let expected = searcher.search(&whole, &all).unwrap();
        let rescorer = Rescorer {
            queries: vec![phrase()],
        };
        let (found, ()) = rescorer
            .best(&searcher, 30, |window| {
                let best = TopDocs::with_limit(window).order_by_score();
                Ok((searcher.search(&words, &best)?, ()))
            })
            .unwrap();
        assert_eq!(found.len(), 30);
        for ((score, address), (expected_score, expected_address)) in found.iter().zip(&expected) {
            assert_eq!(address, expected_address);
            assert!(
                (score - expected_score).abs() < 1e-4,
                "{score} {expected_score}"
            );
        }
    }
}
