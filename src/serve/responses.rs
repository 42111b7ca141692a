//! How the server writes its answers: JSON documents for the API, HTML pages elsewhere, and a
//! failure as either (a malformed query as `lantern search` prints it, anything else as
//! `{"error": {"message": ...}}` or an error page).

use askama::Template;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::query::parser::caret_line;
use crate::render::JsonPrinter;

use super::failure::Failure;

impl Failure {
    /// The response for this failure: JSON for the API (`api` true), a page otherwise.
    pub(super) fn respond(self, api: bool) -> Response {
        if api {
            json_failure(self)
        } else {
            html_failure(self)
        }
    }
}

#[derive(Serialize)]
struct ErrorJson {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    message: String,
}

/// A failure as JSON: a malformed query as `lantern search --format json` prints it, anything
/// else as `{"error": {"message": ...}}`.
fn json_failure(failure: Failure) -> Response {
    let status = failure.status();
    if let Failure::Query(problem) = &failure {
        return json(status, &JsonPrinter::default().problem_document(problem));
    }
    json(
        status,
        &ErrorJson {
            error: ErrorDetail {
                message: failure.message(),
            },
        },
    )
}

/// `value` as a JSON response with `status`.
pub(super) fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let mut body = Vec::new();
    match serde_json::to_writer_pretty(&mut body, value) {
        Ok(()) => {
            body.push(b'\n');
            (status, [(CONTENT_TYPE, "application/json")], body).into_response()
        }
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("cannot write JSON: {err}"),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "serve/error.html")]
struct ErrorPage {
    title: String,
    message: String,
    caret_line: Option<String>,
}

/// The page for a failed request.
fn html_failure(failure: Failure) -> Response {
    let status = failure.status();
    let caret_line = if let Failure::Query(problem) = &failure {
        problem
            .position
            .map(|position| caret_line(&problem.query, position))
    } else {
        None
    };
    let page = ErrorPage {
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        message: failure.message(),
        caret_line,
    };
    page_response(status, &page)
}

/// `page` as an HTML response with `status`.
pub(super) fn page_response(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => html_response(status, html),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("cannot render the page: {err}"),
        )
            .into_response(),
    }
}

/// `html`, a rendered page, as a response with `status`.
pub(super) fn html_response(status: StatusCode, html: String) -> Response {
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
