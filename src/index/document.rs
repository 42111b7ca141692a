//! One document's stored text, found by its identity: the exact path term.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::TantivyDocument;

use super::path_key::path_key;
use super::{guard_engine, open_index, open_reader, IndexError};

/// The text the index at `dir` stores for the file at `path`, or `None` when the index holds no
/// document with exactly that path. Only the index is read, never the file itself: a caller that
/// names any path learns nothing but what was indexed.
pub fn stored_text(dir: &Path, path: &Path) -> Result<Option<String>, IndexError> {
    guard_engine(dir, || {
        let (index, fields) = open_index(dir)?;
        let searcher = open_reader(&index, dir)?.searcher();
        // The path term is each document's identity, so at most one document matches it.
        let query = TermQuery::new(fields.path_term(&path_key(path)), IndexRecordOption::Basic);
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some(&(_, address)) = found.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = doc
            .get_first(fields.contents)
            .and_then(|value| value.as_str())
            .unwrap_or_default();
        Ok(Some(text.to_string()))
    })
}
