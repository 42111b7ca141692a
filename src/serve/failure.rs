//! Why a request failed, with its HTTP status; shown as JSON by the API and as a page elsewhere.

use axum::http::StatusCode;
use axum::response::Response;

use crate::render::QueryProblem;
use crate::search::SearchError;

use super::limits::MAX_QUERY_BYTES;
use super::{api, pages};

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
    /// The index or the server failed (500).
    Internal(String),
}

impl Failure {
    /// The failure a search error stands for, for the query `query`.
    pub(super) fn from_search(query: &str, err: SearchError) -> Failure {
        match err {
            SearchError::Query(err) => Failure::Query(QueryProblem::from_error(query, &err)),
            err @ (SearchError::Index(_) | SearchError::Engine { .. }) => {
                Failure::Internal(err.to_string())
            }
        }
    }

    /// The HTTP status of this failure.
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Failure::Query(_) | Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::QueryTooLong | Failure::UriTooLong => StatusCode::URI_TOO_LONG,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Busy => StatusCode::SERVICE_UNAVAILABLE,
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

    /// The response for this failure: JSON for the API (`api` true), a page otherwise.
    pub(super) fn respond(self, api: bool) -> Response {
        if api {
            api::json_failure(self)
        } else {
            pages::html_failure(self)
        }
    }
}
