//! What a search asks for, whichever engine runs it: the query, its filters, the page of hits
//! and their order, and how they are highlighted.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use tantivy::tokenizer::TextAnalyzer;

use crate::highlight::FragmentOptions;
use crate::query::lenient::read_leniently;
use crate::query::{DefaultOperator, Filters, QueryError, QuerySyntaxError};

/// What to search for and how much to return.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query, in Lucene's classic syntax.
    pub query: String,
    /// Filters whose clauses are added to the query (see [`Filters::compose`]); never read
    /// leniently, so that a malformed filter is refused even when the query is read past.
    pub filters: Filters,
    /// The operator between clauses that have none.
    pub default_operator: DefaultOperator,
    /// How many hits to return, best first.
    pub limit: usize,
    /// The order of the hits: relevance, or a fast field.
    pub sort: Sort,
    /// Whether to count all matching documents by type and month ([`Facets`](super::Facets)).
    pub facets: bool,
    /// Whether documents with the same text are one hit, the others listed in its
    /// [`Hit::also_at`](crate::engine::Hit::also_at): the copy kept is the first in the order
    /// asked (by relevance, among equal scores the shortest path). `total` and the facets still
    /// count every copy.
    pub collapse: bool,
    /// How many of the best hits to skip before those returned (for paging): with offset 50,
    /// the first hit returned has rank 51.
    pub offset: usize,
    /// How many fragments per hit, and how long.
    pub fragments: FragmentOptions,
    /// How long the search may take; past it, the hits found so far are returned, flagged as
    /// partial. `None`: no limit.
    pub timeout: Option<Duration>,
    /// Whether the hits may be highlighted on several threads: the fastest for a search alone.
    /// A server running several searches at once does better without, each search keeping to
    /// its own thread: handing hits between threads then only costs.
    pub parallel: bool,
    /// Whether misspelled words are corrected from the index's own words (see
    /// [`Correction`](super::Correction)).
    pub correct: bool,
    /// Whether a query that is not valid syntax is searched as the words it holds (the syntax
    /// error then comes with the results) instead of refused.
    pub lenient: bool,
}

impl SearchRequest {
    /// The query to search, with the filters' clauses, whichever engine runs it: the query
    /// itself, or for a lenient request whose query is not valid syntax, the words it holds
    /// (analysed by `analyzer`, the index's), with the syntax error at its position in the
    /// query run. Filters alone are no query to read past, and are never read leniently.
    pub fn searched_query(
        &self,
        analyzer: &mut TextAnalyzer,
    ) -> Result<(String, Option<QuerySyntaxError>), QueryError> {
        let (query, mut syntax_error) = if self.lenient && !self.query.trim().is_empty() {
            read_leniently(&self.query, self.default_operator, analyzer)?
        } else {
            (self.query.clone(), None)
        };
        if let Some(error) = &mut syntax_error {
            // A position in the query run, which results report.
            error.position += self.filters.query_start(&self.query);
        }
        Ok((self.filters.compose(&query), syntax_error))
    }

    /// The query run: the query with the filters' clauses, as results report it and a
    /// syntax error points into it.
    pub fn query_run(&self) -> String {
        self.filters.compose(&self.query)
    }
}

/// What the hits are ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// BM25 relevance, best first.
    #[default]
    Relevance,
    /// Modification time, newest first.
    Modified,
    /// The document's own date, newest first; documents without one last, in either direction.
    Date,
    /// Size, largest first.
    Size,
    /// Path, in byte order (A to Z).
    Path,
}

/// An order of the hits: a key and whether it runs the other way (`-modified`: oldest first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    /// The key.
    pub key: SortKey,
    /// Whether the key's natural order is reversed.
    pub reversed: bool,
}

/// A sort that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("unknown sort '{0}': expected relevance, modified, date, size or path, the last four with a leading '-' to reverse them")]
pub struct SortError(String);

impl FromStr for Sort {
    type Err = SortError;

    /// `relevance`, `modified`, `date`, `size`, `path`, or one of the last four after a `-`.
    fn from_str(text: &str) -> Result<Sort, SortError> {
        let (reversed, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        let key = match name {
            "relevance" if !reversed => SortKey::Relevance,
            "modified" => SortKey::Modified,
            "date" => SortKey::Date,
            "size" => SortKey::Size,
            "path" => SortKey::Path,
            _ => return Err(SortError(text.to_string())),
        };
        Ok(Sort { key, reversed })
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.key {
            SortKey::Relevance => "relevance",
            SortKey::Modified => "modified",
            SortKey::Date => "date",
            SortKey::Size => "size",
            SortKey::Path => "path",
        };
        let sign = if self.reversed { "-" } else { "" };
        write!(f, "{sign}{name}")
    }
}
