//! Walking a segment's term dictionary with an automaton, reading the dictionary's FST directly.
//!
//! tantivy's stream over `TermDictionary::search` decodes the node behind every transition it
//! tries, and only then asks the automaton whether that node can lead to a match: for a fuzzy
//! term, most transitions lead nowhere, and decoding their nodes (scattered over megabytes of
//! FST) was most of the walk. Here the automaton is asked first, and only nodes it can go on
//! from are decoded: `kmallc~` walks the Linux tree's dictionaries 2.5x faster, `spinlok~1` 3.5x.
//!
//! The FST is found by the layout tantivy 0.27 writes (a segment's `.term` composite file, one
//! slice per field: the FST, the term infos, their size, format version 1, dictionary type 1 for
//! an FST). Anything else (a future layout, an SSTable dictionary) gives `None`, and the caller
//! walks with tantivy's stream, which is always right, only slower.

use std::path::PathBuf;

use tantivy::directory::{CompositeFile, Directory, OwnedBytes};
use tantivy::schema::Field;
use tantivy::SegmentReader;
use tantivy_fst::raw::{Fst, Node};
use tantivy_fst::Automaton;

use crate::deadline::Deadline;

/// The dictionary type tantivy appends for an FST dictionary.
const FST_DICTIONARY: u32 = 1;

/// The FST dictionary format version tantivy 0.27 writes before the type.
const FST_VERSION: u32 = 1;

/// Keys are never this long in the fields walked (text tokens are under 40 bytes): a walk that
/// goes deeper is in a damaged dictionary, and gives up rather than recurse without end.
const MAX_KEY_BYTES: usize = 1024;

/// The FST of `field`'s term dictionary in `segment`, when it is laid out as this module expects.
pub(super) fn term_fst(segment: &SegmentReader, field: Field) -> Option<Fst<OwnedBytes>> {
    let name = PathBuf::from(format!("{}.term", segment.segment_id().uuid_string()));
    // The segment's readers hold this file open, so the directory hands back the same mapping.
    let file = segment.index().directory().open_read(&name).ok()?;
    let bytes = CompositeFile::open(&file)
        .ok()?
        .open_read(field)?
        .read_bytes()
        .ok()?;
    let trailer = |at: usize| -> Option<u32> {
        let end = bytes.len().checked_sub(at)?;
        Some(u32::from_le_bytes(
            bytes.get(end..end + 4)?.try_into().ok()?,
        ))
    };
    if trailer(4)? != FST_DICTIONARY || trailer(8)? != FST_VERSION {
        return None;
    }
    let size_at = bytes.len().checked_sub(16)?;
    let infos = u64::from_le_bytes(bytes.get(size_at..size_at + 8)?.try_into().ok()?);
    let fst_len = size_at.checked_sub(usize::try_from(infos).ok()?)?;
    Fst::new(bytes.slice(0..fst_len)).ok()
}

/// How many nodes the walk visits between two looks at the deadline.
const NODES_PER_CHECK: usize = 4096;

/// The keys of `fst` that `automaton` accepts, in order, as text (keys that are not UTF-8 are
/// left out); `None` as soon as there are more than `limit`, when a key runs past
/// [`MAX_KEY_BYTES`], or once `deadline` passed.
pub(super) fn accepted_terms<A: Automaton>(
    fst: &Fst<OwnedBytes>,
    automaton: &A,
    limit: usize,
    deadline: &Deadline,
) -> Option<Vec<String>> {
    let mut walk = Walk {
        fst,
        automaton,
        key: Vec::new(),
        terms: Vec::new(),
        limit,
        deadline,
        visited: 0,
    };
    walk.visit(fst.root(), automaton.start())
        .then_some(walk.terms)
}

/// A depth-first walk: the key so far and the terms found.
struct Walk<'a, A> {
    fst: &'a Fst<OwnedBytes>,
    automaton: &'a A,
    key: Vec<u8>,
    terms: Vec<String>,
    limit: usize,
    deadline: &'a Deadline,
    /// Nodes visited so far.
    visited: usize,
}

impl<A: Automaton> Walk<'_, A> {
    /// Visits `node`, reached in `state`, and what the automaton can go on to below it; false
    /// when past the limit or the deadline. Recursion is as deep as the longest key, at most
    /// [`MAX_KEY_BYTES`].
    fn visit(&mut self, node: Node<'_>, state: A::State) -> bool {
        if self.key.len() > MAX_KEY_BYTES {
            return false;
        }
        self.visited += 1;
        if self.visited.is_multiple_of(NODES_PER_CHECK) && self.deadline.passed() {
            return false;
        }
        if node.is_final() && self.automaton.is_match(&state) {
            if let Ok(term) = std::str::from_utf8(&self.key) {
                if self.terms.len() == self.limit {
                    return false;
                }
                self.terms.push(term.to_string());
            }
        }
        for transition in node.transitions() {
            let next = self.automaton.accept(&state, transition.inp);
            if !self.automaton.can_match(&next) {
                continue;
            }
            self.key.push(transition.inp);
            let within = self.visit(self.fst.node(transition.addr), next);
            self.key.pop();
            if !within {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::Arc;
    use std::time::Duration;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// A deadline that never passes.
    fn never() -> Arc<Deadline> {
        Deadline::after(None)
    }

    /// An index in memory of `documents`, a segment each, and its text field.
    fn index_of(documents: &[String]) -> (Index, Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for document in documents {
            writer
                .add_document(doc!(text => document.as_str()))
                .unwrap();
            writer.commit().unwrap();
        }
        (index, text)
    }

    /// The terms `automaton` accepts in each segment: walked here, and by tantivy's stream.
    fn both_ways<A: Automaton>(
        index: &Index,
        field: Field,
        automaton: &A,
    ) -> Vec<(Vec<String>, Vec<String>)>
    where
        A::State: Clone,
    {
        let searcher = index.reader().unwrap().searcher();
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let fst = term_fst(segment, field).expect("the FST dictionary is found");
                let walked = accepted_terms(&fst, automaton, usize::MAX, &never()).unwrap();
                let inverted = segment.inverted_index(field).unwrap();
                let mut stream = inverted.terms().search(automaton).into_stream().unwrap();
                let mut streamed = Vec::new();
                while stream.advance() {
                    streamed.push(String::from_utf8(stream.key().to_vec()).unwrap());
                }
                (walked, streamed)
            })
            .collect()
    }

    #[test]
    fn a_key_longer_than_any_term_ends_the_walk() {
        let long = "a".repeat(MAX_KEY_BYTES + 1);
        let mut builder = tantivy_fst::raw::Builder::memory();
        builder.insert(&long, 0).unwrap();
        let fst = Fst::new(OwnedBytes::new(builder.into_inner().unwrap())).unwrap();
        let everything = tantivy_fst::Regex::new("a*").unwrap();
        assert_eq!(
            accepted_terms(&fst, &everything, usize::MAX, &never()),
            None
        );
        let short = "a".repeat(MAX_KEY_BYTES);
        let mut builder = tantivy_fst::raw::Builder::memory();
        builder.insert(&short, 0).unwrap();
        let fst = Fst::new(OwnedBytes::new(builder.into_inner().unwrap())).unwrap();
        assert_eq!(
            accepted_terms(&fst, &everything, usize::MAX, &never()),
            Some(vec![short])
        );
    }

    #[test]
    fn a_passed_deadline_ends_the_walk() {
        // Enough terms for the walk to look at the clock.
        let terms: Vec<String> = (0..20_000).map(|n| format!("t{n:05}")).collect();
        let mut builder = tantivy_fst::raw::Builder::memory();
        for term in &terms {
            builder.insert(term, 0).unwrap();
        }
        let fst = Fst::new(OwnedBytes::new(builder.into_inner().unwrap())).unwrap();
        let everything = tantivy_fst::Regex::new(".*").unwrap();
        let all = accepted_terms(&fst, &everything, usize::MAX, &never());
        assert_eq!(all.map(|all| all.len()), Some(terms.len()));
        let passed = Deadline::after(Some(Duration::ZERO));
        assert_eq!(accepted_terms(&fst, &everything, usize::MAX, &passed), None);
    }

    #[test]
    fn too_many_terms_are_none() {
        let (index, field) = index_of(&["ab abc abd abe".to_string()]);
        let searcher = index.reader().unwrap().searcher();
        let fst = term_fst(&searcher.segment_readers()[0], field).unwrap();
        let prefix = tantivy_fst::Regex::new("ab.*").unwrap();
        assert_eq!(
            accepted_terms(&fst, &prefix, 4, &never()).map(|t| t.len()),
            Some(4)
        );
        assert_eq!(accepted_terms(&fst, &prefix, 3, &never()), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The walk finds exactly the terms tantivy's stream finds, for fuzzy terms and regexes.
        #[test]
        fn the_walk_finds_what_the_stream_finds(
            documents in proptest::collection::vec("([a-e]{1,6}|é[a-c]{0,2}) {1,2}", 1..3)
                .prop_map(|words| words.concat())
                .prop_flat_map(|first| (Just(first), "([a-e]{1,6} ){1,30}"))
                .prop_map(|(first, second)| vec![first, second]),
            word in "[a-e]{1,5}",
            distance in 0u8..3,
        ) {
            let (index, field) = index_of(&documents);
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, &word), distance, true);
            let regex = tantivy_fst::Regex::new(&format!("{word}.*|.*{word}")).unwrap();
            for (walked, streamed) in both_ways(&index, field, &fuzzy.automaton().unwrap())
                .into_iter()
                .chain(both_ways(&index, field, &regex))
            {
                prop_assert_eq!(walked, streamed);
            }
        }
    }
}
