//! The highlighter: finds where a query matches a text and cuts the best fragments around those
//! places, with the matches marked. Pure functions over text; no I/O, no knowledge of output formats
//! beyond the marks.

mod fragment;
mod marked;
mod matches;
mod pattern;
mod prefilter;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use tantivy::tokenizer::TextAnalyzer;

pub use fragment::{select_fragments, FragmentOptions};
pub use marked::{MarkedText, Piece};
pub use matches::find_matches_until;
/// Without a deadline: the oracles of the tests.
#[cfg(test)]
pub(crate) use matches::{find_matches, find_matches_in};
pub use pattern::{HighlightQuery, Match, Pattern};
pub use prefilter::Prefilter;

use crate::deadline::Deadline;
use crate::query::{Lowered, Target};

/// Highlights one field's text for one query.
///
/// A clone is cheap: it shares the query (whose wildcard expansions can be hundreds of terms) and
/// the prefilter, and has only an analyzer of its own, since tokenizing needs `&mut`. Each thread
/// of a parallel highlight takes one.
#[derive(Clone)]
pub struct Highlighter {
    query: Arc<HighlightQuery>,
    prefilter: Option<Arc<Prefilter>>,
    analyzer: TextAnalyzer,
    options: FragmentOptions,
    /// Past it, fragments are cut from the matches found so far.
    deadline: Arc<Deadline>,
}

impl Highlighter {
    /// A highlighter for the leaves of `query` that search `field`, tokenizing text with
    /// `analyzer` (the one the index used for that field).
    pub fn new(
        query: &Lowered,
        field: Target,
        analyzer: TextAnalyzer,
        options: FragmentOptions,
    ) -> Highlighter {
        let query = HighlightQuery::collect(query, field);
        // Only cutting fragments uses the prefilter; building one (an automaton over a wildcard's
        // hundreds of terms) for a highlighter that only marks whole texts is wasted.
        let prefilter = if options.count == 0 {
            None
        } else {
            Prefilter::new(query.patterns()).map(Arc::new)
        };
        Highlighter {
            prefilter,
            query: Arc::new(query),
            analyzer,
            options,
            deadline: Arc::new(Deadline::never()),
        }
    }

    /// This highlighter, looking for matches only until `deadline` passes: a search's hits are
    /// highlighted within the search's time.
    pub fn with_deadline(self, deadline: Arc<Deadline>) -> Highlighter {
        Highlighter { deadline, ..self }
    }

    /// The best fragments of `text`, its beginning when nothing in it matches. Only the regions
    /// around candidate matches are tokenized when the query allows it.
    pub fn fragments(&mut self, text: &str) -> Vec<MarkedText> {
        let regions = match &self.prefilter {
            Some(prefilter) => prefilter.regions(text),
            None => std::iter::once(0..text.len()).collect(),
        };
        let patterns = self.query.patterns();
        let matches =
            find_matches_until(text, &regions, &mut self.analyzer, patterns, &self.deadline);
        select_fragments(text, &self.query.keep_deciding(matches), self.options)
    }

    /// A highlighter that only marks whole texts ([`Highlighter::mark_all`],
    /// [`Highlighter::match_ranges`]) and cuts no fragments.
    pub fn marker(query: &Lowered, field: Target, analyzer: TextAnalyzer) -> Highlighter {
        let options = FragmentOptions {
            count: 0,
            ..FragmentOptions::default()
        };
        Highlighter::new(query, field, analyzer, options)
    }

    /// True when no fragment is asked for: the text need not be looked at.
    pub fn wants_no_fragments(&self) -> bool {
        self.options.count == 0
    }

    /// The whole of `text` with every match marked (for short texts such as paths).
    pub fn mark_all(&mut self, text: &str) -> MarkedText {
        let marks = self.match_ranges(text);
        MarkedText::cut(text, 0..text.len(), &marks)
    }

    /// The byte ranges of every match in `text` that the query keeps, in order and without
    /// overlap, up to the highlighter's deadline (those found by then when it passes). Unlike
    /// [`Highlighter::mark_all`], the text itself is left alone (its line breaks included), for
    /// a caller that lays a whole document out line by line.
    pub fn match_ranges(&mut self, text: &str) -> Vec<std::ops::Range<usize>> {
        let whole = 0..text.len();
        let matches = find_matches_until(
            text,
            std::slice::from_ref(&whole),
            &mut self.analyzer,
            self.query.patterns(),
            &self.deadline,
        );
        self.query
            .keep_deciding(matches)
            .into_iter()
            .map(|m| m.range)
            .collect()
    }
}
