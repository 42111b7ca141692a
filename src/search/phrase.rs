//! Phrases of three words or more, matched by Lantern's own scorer: the matches highlighting
//! marks (see [`crate::query::proximity`]), in memory bounded by the positions of one document
//! and stopping at the deadline even inside one document.
//!
//! tantivy's phrase scorer is kept for two-word phrases, where its cost is linear. For longer
//! sloppy phrases it carries, for each position of the words so far, every way of reaching it
//! within the slop; with a word repeated in the phrase (`"the the the the the"~100`) that list
//! multiplies with each word, and a query of ten `the` took more than 8 GB on one document,
//! all inside the call that makes the scorer, where no deadline is checked.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use super::deadline::Deadline;
use crate::query::proximity::PhraseMatcher;

/// The documents where `words` occur as a phrase with at most `slop`, scored by BM25 over the
/// number of matches (as tantivy scores phrases).
#[derive(Clone, Debug)]
pub struct PhraseQuery {
    /// The distinct terms of the phrase.
    terms: Vec<Term>,
    /// The phrase: an index into `terms` per word.
    words: Vec<usize>,
    slop: u32,
    deadline: Arc<Deadline>,
}

impl PhraseQuery {
    /// The phrase `words` (terms of one field, at least one) with `slop`, stopping at `deadline`.
    pub fn new(words: Vec<Term>, slop: u32, deadline: Arc<Deadline>) -> PhraseQuery {
        let mut terms: Vec<Term> = Vec::with_capacity(words.len());
        let mut ids = Vec::with_capacity(words.len());
        for word in words {
            let id = match terms.iter().position(|term| *term == word) {
                Some(id) => id,
                None => {
                    terms.push(word);
                    terms.len() - 1
                }
            };
            ids.push(id);
        }
        PhraseQuery {
            terms,
            words: ids,
            slop,
            deadline,
        }
    }

    /// The phrase's terms, a term per word (repeats included), as tantivy weighs a phrase.
    fn phrase_terms(&self) -> Vec<Term> {
        self.words
            .iter()
            .map(|&id| self.terms[id].clone())
            .collect()
    }
}

impl Query for PhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let Some(first) = self.terms.first() else {
            return Ok(Box::new(tantivy::query::EmptyWeight));
        };
        let entry = enable_scoring.schema().get_field_entry(first.field());
        let has_positions = entry
            .field_type()
            .get_index_record_option()
            .is_some_and(IndexRecordOption::has_positions);
        if !has_positions {
            return Err(TantivyError::SchemaError(format!(
                "the field {:?} has no positions indexed, which phrases need",
                entry.name()
            )));
        }
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(
                statistics_provider,
                &self.phrase_terms(),
            )?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PhraseWeight {
            query: self.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in &self.terms {
            visitor(term, true);
        }
    }
}

/// A [`PhraseQuery`] with its BM25 weight (`None` when scores are not needed).
struct PhraseWeight {
    query: PhraseQuery,
    bm25: Option<Bm25Weight>,
}

impl PhraseWeight {
    /// The scorer of one segment, on its first match; `None` when a term is not in the segment.
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PhraseScorer>> {
        let Some(first) = self.query.terms.first() else {
            return Ok(None);
        };
        let field = first.field();
        let fieldnorms = match (&self.bm25, reader.fieldnorms_readers().get_field(field)?) {
            (Some(_), Some(fieldnorms)) => fieldnorms,
            _ => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let inverted = reader.inverted_index(field)?;
        let mut postings = Vec::with_capacity(self.query.terms.len());
        for term in &self.query.terms {
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(term_postings) => postings.push(term_postings),
                None => return Ok(None),
            }
        }
        let mut scorer = PhraseScorer {
            positions: vec![Vec::new(); postings.len()],
            postings,
            words: self.query.words.clone(),
            slop: self.query.slop,
            deadline: Arc::clone(&self.query.deadline),
            bm25: self.bm25.as_ref().map(|bm25| bm25.boost_by(boost)),
            fieldnorms,
            doc: 0,
            matches: 0,
        };
        scorer.settle(0);
        Ok(Some(scorer))
    }
}

impl Weight for PhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let Some(mut scorer) = self.phrase_scorer(reader, 1.0)? {
            if scorer.seek(doc) == doc {
                return Ok(Explanation::new("phrase matches", scorer.score()));
            }
        }
        Err(TantivyError::InvalidArgument(format!(
            "document #{doc} does not match the phrase"
        )))
    }
}

/// Steps through the documents holding every term of the phrase, stopping on those where the
/// phrase matches.
struct PhraseScorer {
    /// A term's postings per distinct term.
    postings: Vec<SegmentPostings>,
    /// The current document's positions of each distinct term.
    positions: Vec<Vec<u32>>,
    words: Vec<usize>,
    slop: u32,
    deadline: Arc<Deadline>,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    doc: DocId,
    /// The phrase's matches in `doc`.
    matches: u32,
}

impl PhraseScorer {
    /// Moves to the first document from `target` on where the phrase matches (or to the end,
    /// also once the deadline passed).
    fn settle(&mut self, mut target: DocId) -> DocId {
        loop {
            let doc = self.next_with_all_terms(target);
            if doc == TERMINATED || self.deadline.passed() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            self.matches = self.count_matches();
            if self.matches > 0 {
                self.doc = doc;
                return doc;
            }
            target = doc + 1;
        }
    }

    /// The first document from `target` on that holds every term (a leapfrog over postings).
    fn next_with_all_terms(&mut self, mut target: DocId) -> DocId {
        'candidates: loop {
            if target == TERMINATED {
                return TERMINATED;
            }
            for postings in &mut self.postings {
                let doc = if postings.doc() < target {
                    postings.seek(target)
                } else {
                    postings.doc()
                };
                if doc > target {
                    target = doc;
                    continue 'candidates;
                }
            }
            return target;
        }
    }

    /// The phrase's matches in the current document (0 once the deadline passed).
    fn count_matches(&mut self) -> u32 {
        for (postings, positions) in self.postings.iter_mut().zip(&mut self.positions) {
            postings.positions(positions);
        }
        let lists: Vec<&[u32]> = self.positions.iter().map(Vec::as_slice).collect();
        let mut matcher = PhraseMatcher::new(&lists, &self.words, |at: u32| at as usize, self.slop);
        let mut matches = 0;
        let finished = matcher.each_match(&self.deadline, |_| matches += 1);
        if !finished {
            return 0;
        }
        matches
    }
}

impl DocSet for PhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(DocSet::size_hint)
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for PhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.matches),
            None => 1.0,
        }
    }
}
