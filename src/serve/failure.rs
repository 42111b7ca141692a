//! Why a request failed, with its HTTP status; shown as JSON by the API and as a page elsewhere.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;

use crate::engine::opensearch::OpenSearchError;
use crate::engine::EngineError;
use crate::index::IndexError;
use crate::render::QueryProblem;

use super::limits::MAX_QUERY_BYTES;

/// A request that cannot be answered with results.
#[derive(Debug)]
pub(super) enum Failure {
    /// The query is malformed or over a limit of the query language (400).
    Query(QueryProblem),
    /// A parameter is missing or malformed (400).
    BadRequest(String),
    /// The query is longer than [`MAX_QUERY_BYTES`] (414).
    QueryTooLong,
    /// The request target is longer than the server reads (414).
    UriTooLong,
    /// The Host header does not name this server (403).
    Forbidden(String),
    /// Nothing here (404).
    NotFound(String),
    /// Every search slot stayed busy (503).
    Busy,
    /// A document page could not be made in time (503); searches never fail so, they answer
    /// with the hits found by their deadline.
    TimedOut(String),
    /// The index folder is gone, deleted under the running server (503): the message says
    /// which folder and the command that makes an index.
    NoIndex(String),
    /// The OpenSearch engine cannot be reached (503).
    EngineDown(String),
    /// The index or the server failed (500).
    Internal(String),
}

impl Failure {
    /// The failure a search error stands for, for the query `query`.
    pub(super) fn from_search(query: &str, err: EngineError) -> Failure {
        match err {
            EngineError::Query(err) => Failure::Query(QueryProblem::from_error(query, &err)),
            EngineError::Index(err) => Failure::from_index(err),
            err @ EngineError::Tantivy { .. } => Failure::Internal(err.to_string()),
            // A query the engine cannot run as Lantern means it is the asker's to change.
            err @ EngineError::Untranslatable(_) => Failure::BadRequest(err.to_string()),
            EngineError::Remote(err) => Failure::from_remote(err),
        }
    }

    /// The failure an OpenSearch error stands for: a missing index or an unreachable cluster
    /// is the server's state (503), anything else a fault (500).
    fn from_remote(err: OpenSearchError) -> Failure {
        match err {
            err @ OpenSearchError::MissingIndex { .. } => Failure::NoIndex(err.to_string()),
            // A degraded cluster is the server's state too: the shards may come back.
            err @ (OpenSearchError::Unreachable { .. } | OpenSearchError::PartialAnswer { .. }) => {
                Failure::EngineDown(err.to_string())
            }
            err @ (OpenSearchError::BadUrl { .. }
            | OpenSearchError::BadFile { .. }
            | OpenSearchError::Unauthorized { .. }
            | OpenSearchError::OldMapping { .. }
            | OpenSearchError::Language { .. }
            | OpenSearchError::Refused { .. }
            | OpenSearchError::BadAnswer { .. }
            | OpenSearchError::Rejected { .. }
            | OpenSearchError::Walk(_)
            | OpenSearchError::BadRoot { .. }) => Failure::Internal(err.to_string()),
        }
    }

    /// The failure an index error stands for: a missing index is the server's state, not a
    /// fault (503); anything else is one (500).
    pub(super) fn from_index(err: IndexError) -> Failure {
        match err {
            err @ IndexError::NoIndex(_) => Failure::NoIndex(err.to_string()),
            err @ (IndexError::Busy(_)
            | IndexError::Corrupt { .. }
            | IndexError::Damaged { .. }
            | IndexError::PermissionDenied(_)
            | IndexError::ReadOnly(_)
            | IndexError::NoSpace(_)
            | IndexError::Engine { .. }
            | IndexError::NotARoot { .. }
            | IndexError::NoRoots
            | IndexError::HeapTooLarge { .. }
            | IndexError::NotLantern(_)
            | IndexError::OtherVersion { .. }
            | IndexError::BadCatalog(_)
            | IndexError::BadRoot { .. }
            | IndexError::CreateDir { .. }
            | IndexError::Tantivy(_)) => Failure::Internal(err.to_string()),
        }
    }

    /// The HTTP status of this failure.
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Failure::Query(_) | Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::QueryTooLong | Failure::UriTooLong => StatusCode::URI_TOO_LONG,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Busy | Failure::TimedOut(_) | Failure::NoIndex(_) | Failure::EngineDown(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What went wrong, in one sentence.
    pub(super) fn message(&self) -> String {
        match self {
            Failure::Query(problem) => problem.message.clone(),
            Failure::BadRequest(message)
            | Failure::Forbidden(message)
            | Failure::NotFound(message)
            | Failure::TimedOut(message)
            | Failure::NoIndex(message)
            | Failure::EngineDown(message)
            | Failure::Internal(message) => message.clone(),
            Failure::QueryTooLong => {
                format!("the query is longer than {MAX_QUERY_BYTES} bytes; shorten it")
            }
            Failure::UriTooLong => "the request is too long".to_string(),
            Failure::Busy => {
                "the server is busy with other searches; try again in a moment".to_string()
            }
        }
    }
}

impl From<QueryRejection> for Failure {
    /// Parameters that could not be read (400), as axum explains them.
    fn from(rejection: QueryRejection) -> Failure {
        Failure::BadRequest(rejection.body_text())
    }
}
