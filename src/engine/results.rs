//! What a search finds, whichever engine ran it: the hits with their marked fragments, the
//! total, facets and the correction made; and one document's stored text with its matches.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use super::Facets;
use crate::deadline::Deadline;
use crate::highlight::{Highlighter, MarkedText};
use crate::index::path_key::{display_key, split_member};
use crate::query::{Analyzers, Lowered, QuerySyntaxError, Target};

/// What spelling correction made of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Correction {
    /// The hits are those of `corrected`, not of the query: a word of the query is not in the
    /// index, or far rarer there than the word replacing it.
    Applied {
        /// The query with every misspelled word replaced.
        corrected: String,
    },
    /// The hits are the query's own, and few; `suggested` would find many more.
    Suggested {
        /// The query with its likely misspelled words replaced.
        suggested: String,
    },
}

/// The outcome of a search, ready for any output format.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The query whose hits these are: `query`, its correction, or for a lenient search of a
    /// query that is not valid syntax, its words. What a page showing a hit's matches must use.
    pub searched: String,
    /// How many documents match in all (not only those returned).
    pub total: usize,
    /// Time to search and highlight.
    pub elapsed: Duration,
    /// True when the search ran out of time: `total` and `hits` cover only the part of the index
    /// searched by then, and hits highlighted too late have no fragments.
    pub timed_out: bool,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// What spelling correction made of the query, if anything.
    pub correction: Option<Correction>,
    /// For a lenient search of a query that is not valid syntax: why not. The hits are then
    /// those of the query's words.
    pub syntax_error: Option<QuerySyntaxError>,
    /// Counts of all matching documents by type and month, when asked for.
    pub facets: Option<Facets>,
    /// How many copies the hits returned stand for besides themselves: the sum of their
    /// [`Hit::also_at`]. `total` counts them too.
    pub collapsed: usize,
}

/// One matching document.
#[derive(Clone, Debug)]
pub struct Hit {
    /// 1 for the best hit.
    pub rank: usize,
    /// BM25 relevance score; 0 when the hits are sorted by another key (they are not scored).
    pub score: f32,
    /// The file's absolute path, as people see it: bytes that are not UTF-8 shown as U+FFFD.
    pub path: String,
    /// The document's identity in the index, its path key (see [`crate::index::path_key`]):
    /// `path` itself unless the path has bytes that are not UTF-8. What
    /// [`Engine::document`](super::Engine::document) looks a document up by.
    pub key: String,
    /// The path with the parts matched by `path:` clauses marked.
    pub marked_path: MarkedText,
    /// The document's own title, if it has one, with the words the query found in it marked.
    pub title: Option<MarkedText>,
    /// The document's type: `text`, `pdf`, `html`...
    pub doc_type: String,
    /// For an e-mail: its sender, as `Name <address>`.
    pub from: Option<String>,
    /// The document's own date (an e-mail's), in nanoseconds since the Unix epoch.
    pub date: Option<u64>,
    /// The best fragments of the text, best first.
    pub fragments: Vec<MarkedText>,
    /// Where each fragment's first match is in the text, in the same order.
    pub locations: Vec<Location>,
    /// The paths of the other matching documents with the same text (its copies), in byte
    /// order: folded into this hit unless the search asked for every copy
    /// ([`SearchRequest::collapse`](crate::engine::SearchRequest::collapse)).
    pub also_at: Vec<String>,
}

impl Hit {
    /// The key, when it is not `path`: what an output that shows `path` must also carry for the
    /// document to be found again.
    pub fn distinct_key(&self) -> Option<&str> {
        (self.key != self.path).then_some(self.key.as_str())
    }

    /// For a member of an archive: the archive's path and the member's path inside it.
    pub fn container_and_member(&self) -> Option<(String, String)> {
        let (container, member) = split_member(&self.key);
        member.map(|member| (display_key(container).into_owned(), member))
    }
}

/// Where a fragment's first match (or, when it marks nothing, its start) is in its document:
/// what a reader looks for, on the right page when the fragment spans a page break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The 1-based line.
    pub line: usize,
    /// The 1-based page, for paginated documents (pages separated by form feeds, `\f`).
    pub page: Option<usize>,
}

impl Location {
    /// The locations of the byte offsets `starts` in `text`; pages only when `text` has any.
    /// One pass over the text up to the last start, counting with SIMD-accelerated search: a hit's
    /// text can be megabytes, and this runs for every hit.
    pub fn all_of(text: &str, starts: impl Iterator<Item = usize>) -> Vec<Location> {
        let bytes = text.as_bytes();
        let paginated = memchr::memchr(PAGE_BREAK as u8, bytes).is_some();
        let mut order: Vec<(usize, usize)> = starts
            .map(|at| at.min(bytes.len()))
            .enumerate()
            .map(|(index, at)| (at, index))
            .collect();
        order.sort_unstable();
        let mut locations = vec![
            Location {
                line: 1,
                page: None
            };
            order.len()
        ];
        let (mut at, mut lines, mut pages) = (0, 0, 0);
        for (start, index) in order {
            let between = &bytes[at..start];
            lines += memchr::memchr_iter(b'\n', between).count();
            if paginated {
                pages += memchr::memchr_iter(PAGE_BREAK as u8, between).count();
            }
            at = start;
            locations[index] = Location {
                line: lines + 1,
                page: paginated.then_some(pages + 1),
            };
        }
        locations
    }
}

/// What separates the pages of a paginated document's text (a form feed).
pub const PAGE_BREAK: char = '\u{c}';

/// A document's stored text and where a query matches it.
#[derive(Clone, Debug)]
pub struct StoredDocument {
    /// The path as people see it (bytes that are not UTF-8 shown as U+FFFD).
    pub path: String,
    /// The stored text, cut to the requested size at a character boundary.
    pub text: String,
    /// True when `text` is only the beginning of the stored text.
    pub truncated: bool,
    /// The byte ranges of `text` the query matches, in order, not overlapping.
    pub matches: Vec<Range<usize>>,
}

impl StoredDocument {
    /// The document whose path key is `key` and whose stored text is `stored`: the text cut to
    /// `max_bytes` at a character, and, with a lowered query, every match of it located until
    /// `deadline` passes. What either engine answers for one document.
    pub fn cut(
        key: &str,
        stored: &str,
        max_bytes: usize,
        lowered: Option<(Lowered, Analyzers)>,
        deadline: &Arc<Deadline>,
    ) -> StoredDocument {
        let cut = stored.floor_char_boundary(max_bytes.min(stored.len()));
        let text = &stored[..cut];
        let matches = match lowered {
            Some((lowered, analyzers)) => {
                Highlighter::marker(&lowered, Target::Contents, analyzers.contents)
                    .with_deadline(Arc::clone(deadline))
                    .match_ranges(text)
            }
            None => Vec::new(),
        };
        StoredDocument {
            path: display_key(key).into_owned(),
            text: text.to_string(),
            truncated: cut < stored.len(),
            matches,
        }
    }
}
