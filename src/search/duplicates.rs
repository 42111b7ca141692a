//! Copies: documents whose extracted text is the same (the same `text_hash`, see the schema) are
//! one hit, the others listed with it ("also at"). A backup, a vendored copy or a manual shipped
//! twice then takes one place in the list, which still holds as many distinct texts as asked.
//!
//! Folding works on the best candidates only: a search collects more of them than it shows
//! (more again when copies leave too few), reads their hashes from the fast field, and keeps the
//! first of each text. The copies of the hits shown are then counted in the whole index (the
//! hash is also a term: its document frequency, one dictionary lookup per hit); only a text with
//! copies outside the candidates costs one more pass of the query, restricted to the documents
//! with its hash, to find which of them match.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, QueryClone, TermSetQuery};
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher, Term};

use super::columns::HitColumns;
use super::deadline::DeadlineQuery;

/// How many candidates to collect for `wanted` distinct hits, first: a few copies among the
/// best hits are common (a manual's page and its source), a list made mostly of copies is not.
pub(super) fn first_pool(wanted: usize) -> usize {
    wanted.saturating_mul(2).saturating_add(10)
}

/// The next, larger pool, when copies left fewer than `wanted` distinct hits in `pool`.
pub(super) fn next_pool(pool: usize) -> usize {
    pool.saturating_mul(4)
}

/// One hit standing for every copy of its text among the candidates.
#[derive(Clone, Debug)]
pub(super) struct Kept {
    /// The copy shown: its score and address.
    pub(super) found: (Score, DocAddress),
    /// The hash of its text; `None` for a document without text, never a copy.
    pub(super) hash: Option<u64>,
    /// The other candidates with the same text.
    pub(super) copies: Vec<DocAddress>,
}

/// Folds `candidates` (best first) into one hit per text, in the candidates' order. The copy
/// kept is the first in that order; when the hits are `scored`, a copy with the same score and
/// a shorter path key (then the first in byte order) is kept instead: copies of one text score
/// alike unless the query names their paths, and the shortest path is the likeliest original
/// (`docs/x.txt` rather than `backup/2024/docs/x.txt`).
pub(super) fn fold_copies(
    candidates: &[(Score, DocAddress)],
    columns: &HitColumns,
    scored: bool,
) -> tantivy::Result<Vec<Kept>> {
    let mut kept: Vec<Kept> = Vec::with_capacity(candidates.len());
    let mut by_hash: HashMap<u64, usize> = HashMap::new();
    for &(score, address) in candidates {
        let hash = columns.text_hash(address);
        let seen = hash.and_then(|hash| by_hash.get(&hash).copied());
        let Some(at) = seen else {
            if let Some(hash) = hash {
                by_hash.insert(hash, kept.len());
            }
            kept.push(Kept {
                found: (score, address),
                hash,
                copies: Vec::new(),
            });
            continue;
        };
        let group = &mut kept[at];
        let (best, shown) = group.found;
        let mut copy = address;
        if scored && score == best {
            let (key, shown_key) = (columns.key(address)?, columns.key(shown)?);
            if (key.len(), &key) < (shown_key.len(), &shown_key) {
                group.found = (score, address);
                copy = shown;
            }
        }
        group.copies.push(copy);
    }
    Ok(kept)
}

/// The copies of each hit of `page` among all the documents matching `query`, in the order of
/// `page`: those among the candidates when the index holds no others (the document frequency
/// of its hash in `hash_field` says how many there are), else those the query matches among the
/// documents with its hash (one pass for every such text together).
pub(super) fn matching_copies(
    searcher: &Searcher,
    hash_field: Field,
    query: &DeadlineQuery,
    page: &[Kept],
    columns: impl Fn(&[DocAddress]) -> tantivy::Result<HitColumns>,
) -> tantivy::Result<Vec<Vec<DocAddress>>> {
    let term = |hash: u64| Term::from_field_u64(hash_field, hash);
    let mut beyond = HashSet::new();
    for kept in page {
        let Some(hash) = kept.hash else { continue };
        // Deleted documents still count until their segment is merged: at worst one more pass.
        if searcher.doc_freq(&term(hash))? > kept.copies.len() as u64 + 1 {
            beyond.insert(hash);
        }
    }
    let mut matching = if beyond.is_empty() {
        HashMap::new()
    } else {
        let copies = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (
                Occur::Must,
                Box::new(TermSetQuery::new(beyond.into_iter().map(term))),
            ),
        ]);
        with_hashes(searcher, Box::new(copies), &columns)?
    };
    Ok(page
        .iter()
        .map(
            |kept| match kept.hash.and_then(|hash| matching.remove(&hash)) {
                Some(mut all) => {
                    all.retain(|&copy| copy != kept.found.1);
                    all
                }
                None => kept.copies.clone(),
            },
        )
        .collect())
}

/// The documents `query` matches, by their text hash.
fn with_hashes(
    searcher: &Searcher,
    query: Box<dyn Query>,
    columns: impl Fn(&[DocAddress]) -> tantivy::Result<HitColumns>,
) -> tantivy::Result<HashMap<u64, Vec<DocAddress>>> {
    let mut found: Vec<DocAddress> = searcher
        .search(query.as_ref(), &DocSetCollector)?
        .into_iter()
        .collect();
    found.sort_unstable();
    let columns = columns(&found)?;
    let mut by_hash: HashMap<u64, Vec<DocAddress>> = HashMap::new();
    for address in found {
        if let Some(hash) = columns.text_hash(address) {
            by_hash.entry(hash).or_default().push(address);
        }
    }
    Ok(by_hash)
}
