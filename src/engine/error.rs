//! Why a search, a document lookup or a sync failed, whichever engine ran it.

use std::path::PathBuf;

use tantivy::TantivyError;

use super::opensearch::{OpenSearchError, Untranslatable};
use crate::index::IndexError;
use crate::query::QueryError;

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The index is missing, corrupt or busy.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The query is malformed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// tantivy failed while searching (e.g. a damaged segment file). The cause is part of the
    /// message, not a `source`, so that it is printed once.
    #[error("search failed in the index at {} ({cause}); it may be damaged: run 'lantern index --rebuild <DIR>...'", .path.display())]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported.
        cause: TantivyError,
    },
    /// The query is well formed but means something the OpenSearch engine cannot run.
    #[error(transparent)]
    Untranslatable(#[from] Untranslatable),
    /// The OpenSearch engine failed or refused.
    #[error(transparent)]
    Remote(#[from] OpenSearchError),
}
