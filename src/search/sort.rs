//! The orders a search can list its hits in: by relevance (BM25, best first), or by a fast
//! field, the modification time, the document's own date, the size or the path.
//!
//! A top N by a number skips what cannot enter it, as relevance skips by block-max WAND: each
//! segment's documents are cut into blocks of [`BLOCK`] ids, and the best value of each block
//! (the largest, or the smallest when reversed) is read once from the column. Once N hits are
//! kept, the query's scorer `seek`s past every block whose best cannot beat the N-th, and the
//! number of matches comes from the weight's own count (a term's document frequency) when that
//! is cheap ([`Collection::RankThenCount`]). The order is tantivy's `order_by_u64_field`
//! exactly: a missing value last in either direction, ties by document address. Paths, and
//! sorts that compute facets over every match anyway, keep tantivy's fast-field collectors.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, Order, Searcher, SegmentReader, TERMINATED};

use super::collect::Collection;
use crate::engine::{Sort, SortKey};

/// Documents per block whose best value is kept: small enough that a block of old files
/// among new ones is skipped, large enough that the maxima cost little to compute (one pass
/// over the column per segment) and a skip jumps over postings.
const BLOCK: DocId = 128;

/// The fast field a key other than relevance reads, and its natural order.
#[derive(Clone, Copy)]
pub(super) enum FastKey {
    /// A number, largest first.
    Number(&'static str),
    /// A string, smallest first.
    Text(&'static str),
}

impl Sort {
    /// The fast field this order reads; `None` for relevance.
    pub(super) fn fast_key(self) -> Option<FastKey> {
        // The field names of the schema (`index::schema`).
        match self.key {
            SortKey::Relevance => None,
            SortKey::Modified => Some(FastKey::Number("mtime")),
            SortKey::Date => Some(FastKey::Number("date")),
            SortKey::Size => Some(FastKey::Number("size")),
            SortKey::Path => Some(FastKey::Text("path")),
        }
    }
}

/// The addresses of sorted hits, without their keys.
fn addresses<K>(found: Vec<(K, DocAddress)>) -> Vec<DocAddress> {
    found.into_iter().map(|(_, at)| at).collect()
}

/// The first `limit` matches of `query` by `key` (reversed when `reversed`), and what `counter`
/// gathers over all of them (their number, or facets): one pass, without scores.
pub(super) fn top_sorted<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    (key, reversed): (FastKey, bool),
    limit: usize,
    counter: C,
) -> tantivy::Result<(Vec<DocAddress>, C::Fruit)> {
    let order = |natural: Order| match (natural, reversed) {
        (Order::Desc, false) | (Order::Asc, true) => Order::Desc,
        (Order::Asc, false) | (Order::Desc, true) => Order::Asc,
    };
    let top = TopDocs::with_limit(limit.max(1));
    Ok(match key {
        FastKey::Number(field) => {
            let collector = (top.order_by_u64_field(field, order(Order::Desc)), counter);
            let (found, total) = searcher.search(query, &collector)?;
            (addresses(found), total)
        }
        FastKey::Text(field) => {
            let collector = (
                top.order_by_string_fast_field(field, order(Order::Asc)),
                counter,
            );
            let (found, total) = searcher.search(query, &collector)?;
            (addresses(found), total)
        }
    })
}

/// The first `limit` matches of `query` by `key` (reversed when `reversed`) and their number,
/// where `collection` says whether the number can be counted apart from the walk: a number
/// skips blocks that cannot enter the top (see the module documentation), a path is collected
/// by tantivy.
pub(super) fn top_sorted_counted(
    searcher: &Searcher,
    query: &dyn Query,
    (key, reversed): (FastKey, bool),
    limit: usize,
    collection: Collection,
) -> tantivy::Result<(Vec<DocAddress>, usize)> {
    match key {
        FastKey::Number(field) => {
            top_by_number(searcher, query, (field, reversed), limit, collection)
        }
        FastKey::Text(_) => top_sorted(searcher, query, (key, reversed), limit, Count),
    }
}

/// How good a value is for the order, greater being better: the value for largest first, its
/// complement for smallest first; a missing value (`None`) is the worst either way, as in
/// tantivy's orders.
type Merit = Option<u64>;

/// The merit of `value` when smallest comes first (`reversed`) or largest.
fn merit(value: Option<u64>, reversed: bool) -> Merit {
    value.map(|value| if reversed { !value } else { value })
}

/// The best merit of the documents of each block of [`BLOCK`] ids in `reader`, read from
/// `column`, deleted documents included (a bound is all the walk needs).
fn block_bests(column: &Column<u64>, reader: &SegmentReader, reversed: bool) -> Vec<Merit> {
    let max_doc = reader.max_doc();
    let mut docs = Vec::with_capacity(BLOCK as usize);
    let mut values = vec![None; BLOCK as usize];
    (0..max_doc)
        .step_by(BLOCK as usize)
        .map(|start| {
            docs.clear();
            docs.extend(start..max_doc.min(start.saturating_add(BLOCK)));
            let values = &mut values[..docs.len()];
            // `first_vals` leaves the documents without a value untouched.
            values.fill(None);
            column.first_vals(&docs, values);
            values
                .iter()
                .map(|&value| merit(value, reversed))
                .max()
                .flatten()
        })
        .collect()
}

/// A hit in a sorted top N; greater is better: a better merit, or an equal one at an earlier
/// address (tantivy breaks ties by address).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    merit: Merit,
    at: Reverse<DocAddress>,
}

/// The best `limit` hits offered so far, the worst of them on top of the heap.
struct TopN {
    limit: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl TopN {
    /// An empty top `limit` (at least one).
    fn new(limit: usize) -> TopN {
        TopN {
            limit: limit.max(1),
            heap: BinaryHeap::new(),
        }
    }

    /// Once the top is full, the merit of its worst hit: a later hit (at a greater address)
    /// enters only with a greater merit.
    fn bar(&self) -> Option<Merit> {
        if self.heap.len() < self.limit {
            return None;
        }
        self.heap.peek().map(|worst| worst.0.merit)
    }

    /// Keeps `hit` if it is among the best `limit` so far.
    fn offer(&mut self, hit: Ranked) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(hit));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if hit > worst.0 {
                *worst = Reverse(hit);
            }
        }
    }

    /// The addresses kept, best first.
    fn into_addresses(self) -> Vec<DocAddress> {
        // Ascending order of `Reverse` is descending merit.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(hit)| hit.at.0)
            .collect()
    }
}

/// The first `limit` matches of `query` by the number column `field` (smallest first when
/// `reversed`) and their number: a walk over each segment's matches that seeks past the blocks
/// whose best value cannot beat the N-th kept. When `collection` counts apart
/// ([`Collection::RankThenCount`]) the total is the weight's count and skipped blocks are never
/// stepped through; otherwise each match is still stepped over and counted, but a skipped one
/// reads no value.
fn top_by_number(
    searcher: &Searcher,
    query: &dyn Query,
    (field, reversed): (&str, bool),
    limit: usize,
    collection: Collection,
) -> tantivy::Result<(Vec<DocAddress>, usize)> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let counted_apart = collection == Collection::RankThenCount;
    let mut top = TopN::new(limit);
    let mut total = 0;
    for (ord, reader) in (0..).zip(searcher.segment_readers()) {
        let column = reader.fast_fields().u64(field)?;
        let bests = block_bests(&column, reader, reversed);
        let alive = |doc| {
            reader
                .alive_bitset()
                .is_none_or(|alive| alive.is_alive(doc))
        };
        if counted_apart {
            total += weight.count(reader)? as usize;
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            let block = doc / BLOCK;
            let hopeless = top
                .bar()
                .is_some_and(|bar| bests.get(block as usize).is_some_and(|&best| best <= bar));
            if hopeless {
                let next_block = (block + 1).saturating_mul(BLOCK);
                if !counted_apart {
                    while doc < next_block {
                        total += usize::from(alive(doc));
                        doc = scorer.advance();
                    }
                } else if next_block >= reader.max_doc() {
                    doc = TERMINATED;
                } else {
                    doc = scorer.seek(next_block);
                }
                continue;
            }
            if alive(doc) {
                total += usize::from(!counted_apart);
                top.offer(Ranked {
                    merit: merit(column.first(doc), reversed),
                    at: Reverse(DocAddress::new(ord, doc)),
                });
            }
            doc = scorer.advance();
        }
    }
    Ok((top.into_addresses(), total))
}

#[cfg(test)]
mod tests {
    use std::ops::Bound;

    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::{BooleanQuery, Occur, RangeQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STRING};
    use tantivy::{doc, Index, IndexWriter, Term};

    use super::*;

    /// A numbered pseudo-random sequence (a linear congruential generator): the test needs
    /// many values, many ties and reproducible failures, not good randomness.
    fn noise(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |below| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        }
    }

    /// An index of several segments (some with deletions) whose documents hold words `a` and
    /// `b` at random, a `rank` value with many ties (missing from some documents) and a
    /// `size` to filter on, runs of documents sharing a value as files indexed together do.
    fn index() -> (Index, Searcher) {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let rank = schema.add_u64_field("rank", FAST);
        let size = schema.add_u64_field("size", FAST | INDEXED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 20_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut random = noise(25);
        let mut value = 0;
        for segment in 0..4u64 {
            for n in 0..1_500u64 {
                if random(40) == 0 {
                    value = random(30);
                }
                let mut document = doc!(size => random(1_000));
                for (name, chance) in [("a", 2), ("b", 5)] {
                    if random(chance) == 0 {
                        document.add_text(word, name);
                    }
                }
                if random(10) != 0 {
                    document.add_u64(rank, value * 1_000 + segment * 7 + n % 3);
                }
                writer.add_document(document).expect("add");
            }
            writer.commit().expect("commit");
            if segment % 2 == 1 {
                writer.delete_term(Term::from_field_u64(size, random(1_000)));
                writer.delete_term(Term::from_field_u64(size, random(1_000)));
                writer.commit().expect("commit");
            }
        }
        let searcher = index.reader().expect("reader").searcher();
        assert!(searcher.segment_readers().len() >= 4);
        (index, searcher)
    }

    /// Every match of `query` sorted by `rank`, by reading each document: the order the
    /// skipping walk must give.
    fn brute_force(searcher: &Searcher, query: &dyn Query, reversed: bool) -> Vec<DocAddress> {
        let all = searcher
            .search(query, &tantivy::collector::DocSetCollector)
            .expect("search");
        let mut ranked: Vec<Ranked> = all
            .into_iter()
            .map(|at| {
                let column = searcher
                    .segment_reader(at.segment_ord)
                    .fast_fields()
                    .u64("rank");
                let value = column.expect("column").first(at.doc_id);
                Ranked {
                    merit: merit(value, reversed),
                    at: Reverse(at),
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.cmp(a));
        ranked.into_iter().map(|hit| hit.at.0).collect()
    }

    #[test]
    fn a_sorted_top_n_is_the_top_of_every_match_sorted() {
        let (index, searcher) = index();
        let schema = index.schema();
        let word = schema.get_field("word").expect("word");
        let term = |text| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(word, text),
                IndexRecordOption::Basic,
            ))
        };
        let small = Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(
                schema.get_field("size").expect("size"),
                0,
            )),
            Bound::Excluded(Term::from_field_u64(
                schema.get_field("size").expect("size"),
                300,
            )),
        ));
        let queries: [(&str, Box<dyn Query>); 4] = [
            ("a", term("a")),
            (
                "+a +b",
                Box::new(BooleanQuery::intersection(vec![term("a"), term("b")])),
            ),
            (
                "a OR b",
                Box::new(BooleanQuery::union(vec![term("a"), term("b")])),
            ),
            (
                "a, size under 300",
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, term("a")),
                    (Occur::Must, small),
                ])),
            ),
        ];
        for (name, query) in &queries {
            for reversed in [false, true] {
                let every = brute_force(&searcher, query.as_ref(), reversed);
                for limit in [1, 7, 50, 333, every.len() + 10] {
                    let order = (FastKey::Number("rank"), reversed);
                    let (tantivys, total) =
                        top_sorted(&searcher, query.as_ref(), order, limit, Count).expect("sort");
                    assert_eq!(total, every.len(), "{name}");
                    assert_eq!(tantivys, every[..limit.min(every.len())], "{name} {limit}");
                    for collection in [Collection::RankThenCount, Collection::OnePass] {
                        let found =
                            top_sorted_counted(&searcher, query.as_ref(), order, limit, collection);
                        assert_eq!(
                            found.expect("sort"),
                            (tantivys.clone(), total),
                            "{name}, reversed {reversed}, limit {limit}, {collection:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sorts_read_and_print_alike() {
        for text in [
            "relevance",
            "modified",
            "-modified",
            "date",
            "-date",
            "size",
            "-size",
            "path",
            "-path",
        ] {
            assert_eq!(
                text.parse::<Sort>().map(|s| s.to_string()).ok().as_deref(),
                Some(text)
            );
        }
        for bad in ["-relevance", "created", "", "-"] {
            assert!(bad.parse::<Sort>().is_err(), "{bad}");
        }
    }
}
