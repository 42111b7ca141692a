//! Finding a query's best hits and counting all its matches.
//!
//! Counting and ranking in one pass (tantivy's `(TopDocs, Count)`) scores every matching
//! document. Ranking alone can skip whole blocks of postings that cannot beat the hits already
//! kept (block-max WAND), and tantivy counts a term's matches from its document frequency, and a
//! union or intersection of terms without scoring. So a query made of a few plain terms is ranked
//! and then counted; a common word (`return` in the Linux tree) costs a fraction of scoring its
//! tens of thousands of documents. Other queries keep the single pass: a phrase would match its
//! positions twice, a pattern's scorer lists its documents anew each time it opens, and a union
//! of common words is counted by stepping through all of it again.

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Score, Searcher};

use super::deadline::DeadlineQuery;
use crate::query::ast::Occur;
use crate::query::{Leaf, Lowered, Matcher, Target};

/// Queries of at most this many terms are counted after ranking: counting a union of terms
/// steps through all their postings without the deadline's checks, so it must stay small.
const MAX_COUNTED_TERMS: usize = 16;

/// How a search collects its hits and total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Collection {
    /// Rank with block skipping, then count.
    RankThenCount,
    /// Rank and count every match in one pass.
    OnePass,
}

impl Collection {
    /// The collection suited to `lowered`: see the module documentation.
    pub(super) fn for_query(lowered: &Lowered) -> Collection {
        let mut leaves = Vec::new();
        collect_leaves(lowered, &mut leaves);
        let only_terms = leaves.iter().all(|leaf| match leaf.matcher {
            Matcher::Term(_) | Matcher::Stem { .. } => true,
            Matcher::Phrase { .. } | Matcher::Pattern { .. } | Matcher::Range { .. } => false,
        });
        let mut text_terms: Vec<&Matcher> = leaves
            .iter()
            .filter(|leaf| leaf.target == Target::Contents)
            .map(|leaf| &leaf.matcher)
            .collect();
        text_terms.dedup();
        // Of a union of common words, ranking skips little and counting steps through it all
        // again: measured, it costs more than one pass. The title clause beside required words
        // only adds to their scores.
        let no_union = text_terms.len() <= 1
            || matches!(lowered, Lowered::Bool(clauses) if clauses
                .iter()
                .all(|(occur, clause)| *occur != Occur::Should || in_title_only(clause)));
        if only_terms && no_union && leaves.len() <= MAX_COUNTED_TERMS {
            Collection::RankThenCount
        } else {
            Collection::OnePass
        }
    }

    /// The best `limit` hits of `query` (at least one is asked for) and how many documents match.
    pub(super) fn run(
        self,
        searcher: &Searcher,
        query: &DeadlineQuery,
        limit: usize,
    ) -> tantivy::Result<(Vec<(Score, DocAddress)>, usize)> {
        let top = TopDocs::with_limit(limit.max(1)).order_by_score();
        match self {
            Collection::OnePass => searcher.search(query, &(top, Count)),
            Collection::RankThenCount => {
                let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
                let mut per_segment = Vec::with_capacity(searcher.segment_readers().len());
                let mut total = 0;
                for (ord, reader) in (0..).zip(searcher.segment_readers()) {
                    per_segment.push(top.collect_segment(weight.as_ref(), ord, reader)?);
                    total += weight.count(reader)? as usize;
                }
                Ok((top.merge_fruits(per_segment)?, total))
            }
        }
    }
}

/// True when every leaf of `lowered` searches the title.
fn in_title_only(lowered: &Lowered) -> bool {
    let mut leaves = Vec::new();
    collect_leaves(lowered, &mut leaves);
    leaves.iter().all(|leaf| leaf.target == Target::Title)
}

/// Pushes the leaves of `lowered` that decide which documents match on `out`: not those of a
/// clause that only ranks.
fn collect_leaves<'l>(lowered: &'l Lowered, out: &mut Vec<&'l Leaf>) {
    match lowered {
        Lowered::Bool(clauses) => clauses
            .iter()
            .for_each(|(_, clause)| collect_leaves(clause, out)),
        Lowered::AtLeast { clauses, .. } => clauses
            .iter()
            .for_each(|clause| collect_leaves(clause, out)),
        Lowered::Boost { query, .. } => collect_leaves(query, out),
        Lowered::Leaf(leaf) => out.push(leaf),
        Lowered::Ranking(_) | Lowered::All | Lowered::Nothing | Lowered::Span { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::lower::lowered;

    #[test]
    fn a_few_terms_are_ranked_then_counted_and_other_queries_in_one_pass() {
        let ranked = [
            "mutex",
            "+dma +buffer",
            "mutex AND NOT spinlock",
            "type:pdf",
            "path:drivers AND usb",
        ];
        for query in ranked {
            assert_eq!(
                Collection::for_query(&lowered(query)),
                Collection::RankThenCount,
                "{query}"
            );
        }
        // Nine required words are 27 terms (each in the text and the title, and the title clause).
        let many = (0..9).map(|n| format!("+word{n}")).collect::<Vec<_>>();
        let many = many.join(" ");
        let one_pass = [
            "\"page fault\"",
            "sched*",
            "kmallc~",
            "mutex /k[mz]alloc/",
            "return NULL",
            many.as_str(),
        ];
        for query in one_pass {
            assert_eq!(
                Collection::for_query(&lowered(query)),
                Collection::OnePass,
                "{query}"
            );
        }
    }
}
