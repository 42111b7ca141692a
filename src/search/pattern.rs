//! Wildcard, regex and fuzzy clauses and ranges: the documents holding any of the terms a
//! pattern matches (listed by expansion, accepted by its automaton, or between two bounds), each
//! scoring a constant.
//!
//! tantivy's own queries for these (`TermSetQuery`, `RegexQuery`, `FuzzyTermQuery`, `RangeQuery`
//! on text) gather a segment's matching documents in the call that makes the scorer, which no
//! deadline reaches: `/.*/` reads every posting of the index there. These gather the same
//! documents, and stop gathering once the deadline passed, keeping what was found.

use std::fmt;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermStreamer;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};
use tantivy_fst::Automaton;

use super::deadline::Deadline;

/// How a pattern's terms are found in a segment's dictionary.
pub enum PatternTerms {
    /// Looked up one by one: the pattern's expansion.
    Listed(Vec<Term>),
    /// Accepted by an automaton walked over the dictionary.
    Automaton(Arc<dyn SharedAutomaton>),
    /// Every term between two bounds (a range on a text field: `[a TO c]`).
    Range(Bound<String>, Bound<String>),
}

/// An automaton over terms that can be shared between threads, walked with tantivy's term stream.
pub trait SharedAutomaton: Send + Sync {
    /// The term infos of `field`'s terms in `reader` that the automaton accepts, until `deadline`.
    fn accepted(
        &self,
        reader: &SegmentReader,
        field: Field,
        deadline: &Deadline,
    ) -> tantivy::Result<Vec<TermInfo>>;
}

impl<A> SharedAutomaton for A
where
    A: Automaton + Send + Sync,
    A::State: Clone,
{
    fn accepted(
        &self,
        reader: &SegmentReader,
        field: Field,
        deadline: &Deadline,
    ) -> tantivy::Result<Vec<TermInfo>> {
        let inverted = reader.inverted_index(field)?;
        let stream = inverted.terms().search(self).into_stream()?;
        Ok(gather(stream, deadline))
    }
}

/// The term infos of `stream`, until `deadline`.
fn gather<A>(mut stream: TermStreamer<'_, A>, deadline: &Deadline) -> Vec<TermInfo>
where
    A: Automaton,
    A::State: Clone,
{
    let mut infos = Vec::new();
    while !deadline.passed() && stream.advance() {
        infos.push(stream.value().clone());
    }
    infos
}

/// The documents of `field` holding any term of a pattern, each scoring the boost.
#[derive(Clone)]
pub struct PatternQuery {
    field: Field,
    terms: Arc<PatternTerms>,
    deadline: Arc<Deadline>,
}

impl PatternQuery {
    /// The documents of `field` holding any of `terms`, gathered until `deadline`.
    pub fn new(field: Field, terms: PatternTerms, deadline: Arc<Deadline>) -> PatternQuery {
        PatternQuery {
            field,
            terms: Arc::new(terms),
            deadline,
        }
    }
}

impl fmt::Debug for PatternQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms = match self.terms.as_ref() {
            PatternTerms::Listed(terms) => format!("{} terms", terms.len()),
            PatternTerms::Automaton(_) => "an automaton".to_string(),
            PatternTerms::Range(lower, upper) => format!("{lower:?} to {upper:?}"),
        };
        write!(f, "PatternQuery({:?}, {terms})", self.field)
    }
}

impl Query for PatternQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        if let PatternTerms::Listed(terms) = self.terms.as_ref() {
            terms.iter().for_each(|term| visitor(term, false));
        }
    }
}

impl Weight for PatternQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inverted = reader.inverted_index(self.field)?;
        let infos = match self.terms.as_ref() {
            PatternTerms::Listed(terms) => {
                let mut infos = Vec::with_capacity(terms.len());
                for term in terms {
                    if self.deadline.passed() {
                        break;
                    }
                    infos.extend(inverted.get_term_info(term)?);
                }
                infos
            }
            PatternTerms::Automaton(automaton) => {
                automaton.accepted(reader, self.field, &self.deadline)?
            }
            PatternTerms::Range(lower, upper) => {
                let mut range = inverted.terms().range();
                range = match lower {
                    Bound::Included(text) => range.ge(text),
                    Bound::Excluded(text) => range.gt(text),
                    Bound::Unbounded => range,
                };
                range = match upper {
                    Bound::Included(text) => range.le(text),
                    Bound::Excluded(text) => range.lt(text),
                    Bound::Unbounded => range,
                };
                gather(range.into_stream()?, &self.deadline)
            }
        };
        let mut documents = BitSet::with_max_value(reader.max_doc());
        for info in &infos {
            if self.deadline.passed() {
                break;
            }
            let mut postings: BlockSegmentPostings =
                inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    documents.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(documents),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("a term of the pattern", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #{doc} holds no term of the pattern"
            )))
        }
    }
}
