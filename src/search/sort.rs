//! The orders a search can list its hits in: by relevance (BM25, best first), or by a fast
//! field, the modification time, the document's own date, the size or the path, with the top N kept by tantivy's
//! fast-field collector in one pass over the matches (no scoring, no stored text).

use std::fmt;
use std::str::FromStr;

use tantivy::collector::{Collector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};

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

#[cfg(test)]
mod tests {
    use super::*;

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
