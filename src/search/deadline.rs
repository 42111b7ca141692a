//! Bounding the work of one search: a deadline, and a query wrapper that stops matching when it
//! passes.
//!
//! Some query shapes are costly whatever we do (a sloppy phrase of very common words over a large
//! index), and a server passes strangers' queries through. tantivy has no time limit of its own,
//! so every compiled query runs inside a [`DeadlineQuery`]: its scorer checks the clock as it steps
//! from document to document and ends the segment's iteration once the deadline passed. The
//! collectors then hold what was found so far, and the results say they are partial.

use std::sync::Arc;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

pub use crate::deadline::Deadline;

/// A query that matches what `inner` matches until the deadline passes, then nothing more.
#[derive(Debug)]
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Arc<Deadline>,
}

impl DeadlineQuery {
    /// `inner`, stopped at `deadline`.
    pub fn new(inner: Box<dyn Query>, deadline: Arc<Deadline>) -> DeadlineQuery {
        DeadlineQuery { inner, deadline }
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> DeadlineQuery {
        DeadlineQuery {
            inner: self.inner.box_clone(),
            deadline: Arc::clone(&self.deadline),
        }
    }
}

impl Query for DeadlineQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DeadlineWeight {
            inner: self.inner.weight(enable_scoring)?,
            deadline: Arc::clone(&self.deadline),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DeadlineWeight {
    inner: Box<dyn Weight>,
    deadline: Arc<Deadline>,
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.deadline.passed() {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(DeadlineScorer {
            inner: self.inner.scorer(reader, boost)?,
            deadline: Arc::clone(&self.deadline),
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// The inner weight's count, which may use shortcuts (a term's document frequency), once
    /// per segment before the deadline. Only queries of a few terms are counted this way (see
    /// `collect`), whose postings bound the work.
    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if self.deadline.passed() {
            return Ok(0);
        }
        self.inner.count(reader)
    }

    /// The inner weight's pruning walk (block-max WAND over terms), which skips what cannot
    /// rank: once the deadline passes it is offered no more hits, and the threshold it is
    /// given back (the largest score) lets it skip everything left.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.deadline.passed() {
            return Ok(());
        }
        let deadline = &self.deadline;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if deadline.passed() {
                    Score::MAX
                } else {
                    callback(doc, score)
                }
            })
    }
}

/// Steps like its inner scorer, and reports the end of the segment once the deadline passed.
struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Arc<Deadline>,
    stopped: bool,
}

impl DeadlineScorer {
    /// Checks the clock (a few tens of nanoseconds, small next to finding the next match).
    fn stop_if_late(&mut self) -> bool {
        self.stopped = self.stopped || self.deadline.passed();
        self.stopped
    }
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.stop_if_late() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stop_if_late() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if self.stop_if_late() {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        self.inner.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for DeadlineScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
