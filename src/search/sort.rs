//! The orders a search can list its hits in: by relevance (BM25, best first), or by a fast
//! field, the modification time, the document's own date, the size or the path, with the top N kept by tantivy's
//! fast-field collector in one pass over the matches (no scoring, no stored text).

use tantivy::collector::{Collector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};

use crate::engine::{Sort, SortKey};

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
