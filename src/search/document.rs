//! One indexed document, looked up by its identity (the exact path term) and shown whole, with
//! every match of a query located: what `lantern serve`'s document page displays.

use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use super::stored::StoredText;
use super::{EngineError, IndexSearcher};
use crate::deadline::Deadline;
use crate::engine::StoredDocument;
use crate::index::guard_engine;
use crate::index::IndexError;
use crate::query::DefaultOperator;

impl IndexSearcher {
    /// The document whose path key (see [`crate::index::path_key`]) is exactly `key`, or `None`
    /// when the index holds none: the key is looked up as a term, never opened as a file. Its
    /// text is cut to `max_bytes`; with a `query`, every match the query keeps in that text is
    /// located, through the same lowering (and pattern expansion) as a search of that query,
    /// until `deadline` passes (then only the matches found by then).
    pub fn document(
        &self,
        key: &str,
        query: Option<(&str, DefaultOperator)>,
        max_bytes: usize,
        deadline: &Arc<Deadline>,
    ) -> Result<Option<StoredDocument>, EngineError> {
        let searcher = self.reader.searcher();
        let lowered = query
            .map(|(query, operator)| self.lower_text(&searcher, query, operator, deadline))
            .transpose()?;
        let found = guard_engine(&self.dir, || {
            let term = TermQuery::new(self.fields.path_term(key), IndexRecordOption::Basic);
            let top = searcher
                .search(&term, &TopDocs::with_limit(1).order_by_score())
                .map_err(IndexError::Tantivy)?;
            let Some(&(_, address)) = top.first() else {
                return Ok(None);
            };
            Ok(Some(
                searcher
                    .doc::<StoredText>(address)
                    .map_err(IndexError::Tantivy)?,
            ))
        })?;
        let Some(doc) = found else {
            return Ok(None);
        };
        let stored = doc.first(self.fields.contents);
        Ok(Some(StoredDocument::cut(
            key, stored, max_bytes, lowered, deadline,
        )))
    }
}
