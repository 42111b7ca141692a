//! The original file of an indexed document (`/file`), so that a hit opens in the browser:
//! `file://` links are refused from an `http://` page. Only documents in the index are served
//! (the key is looked up as a term first; any other path is 404), each with the content type of
//! its format. Pages and images that could run script (HTML, SVG, XML) are served in a CSP
//! sandbox: a document never runs script on this server's origin, where it could read the index.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::deadline::Deadline;
use crate::index::path_key::{display_key, key_path};
use crate::render::percent_encode_path;

use super::failure::Failure;
use super::limits::SEARCH_TIMEOUT;
use super::state::AppState;

/// The parameters of `/file`.
#[derive(Debug, Deserialize)]
pub(super) struct OriginalParams {
    /// The document's path key, as hits link with it (see [`crate::index::path_key`]).
    path: Option<String>,
}

/// How a browser is to treat a file of some extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Kind {
    /// The `Content-Type`.
    content_type: &'static str,
    /// Shown in the browser (`inline`) or saved (`attachment`): office files and e-books, which
    /// a browser cannot show, are saved for a desktop application to open.
    inline: bool,
    /// Whether the file can run script in a browser, and so is served sandboxed.
    active: bool,
}

/// Extensions whose files are not plain text, and how they are served. Everything else Lantern
/// indexes is text and is served as `text/plain`.
#[rustfmt::skip]
const KINDS: &[(&str, Kind)] = &[
    ("pdf", Kind { content_type: "application/pdf", inline: true, active: false }),
    ("html", Kind { content_type: "text/html", inline: true, active: true }),
    ("htm", Kind { content_type: "text/html", inline: true, active: true }),
    ("xhtml", Kind { content_type: "application/xhtml+xml", inline: true, active: true }),
    ("svg", Kind { content_type: "image/svg+xml", inline: true, active: true }),
    ("xml", Kind { content_type: "text/xml", inline: true, active: true }),
    ("docx", Kind { content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", inline: false, active: false }),
    ("pptx", Kind { content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation", inline: false, active: false }),
    ("xlsx", Kind { content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", inline: false, active: false }),
    ("odt", Kind { content_type: "application/vnd.oasis.opendocument.text", inline: false, active: false }),
    ("odp", Kind { content_type: "application/vnd.oasis.opendocument.presentation", inline: false, active: false }),
    ("ods", Kind { content_type: "application/vnd.oasis.opendocument.spreadsheet", inline: false, active: false }),
    ("epub", Kind { content_type: "application/epub+zip", inline: false, active: false }),
];

/// Any other indexed file: text, shown as such (never as a page, whatever it holds).
const TEXT: Kind = Kind {
    content_type: "text/plain; charset=utf-8",
    inline: true,
    active: false,
};

/// The policy of a sandboxed file: no script, no plugin, no request anywhere but for inline
/// styles and `data:` images, a unique origin (`sandbox`), no framing.
const SANDBOX_POLICY: &str = "sandbox; default-src 'none'; style-src 'unsafe-inline'; \
                              img-src data:; frame-ancestors 'none'";

/// How the file called `name` is served, by its extension (ASCII case ignored).
fn kind_of(name: &str) -> Kind {
    let extension = name.rsplit_once('.').map(|(_, extension)| extension);
    extension
        .and_then(|extension| {
            KINDS
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(extension))
        })
        .map_or(TEXT, |(_, kind)| *kind)
}

/// The `Content-Disposition` of the file called `name`: its kind's disposition with the name,
/// as ASCII (other characters as `_`) and, for browsers that read it, UTF-8 (RFC 6266).
fn disposition(kind: Kind, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let how = if kind.inline { "inline" } else { "attachment" };
    format!(
        "{how}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode_path(name).replace('/', "%2F")
    )
}

/// `/file?path=KEY`: the file of the indexed document whose path key is exactly `KEY`, as it is
/// on disk now. 404 when the index holds no such document or the file is gone.
pub(super) async fn original(
    State(state): State<Arc<AppState>>,
    params: Result<Query<OriginalParams>, QueryRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(params) => params,
        Err(rejection) => return Failure::from(rejection).respond(false),
    };
    let key = params.path.unwrap_or_default();
    let read = state
        .in_document_turn(move |state| read_indexed(state, &key).map(|bytes| (key, bytes)))
        .await;
    let (key, bytes) = match read {
        Ok(read) => read,
        Err(failure) => return failure.respond(false),
    };
    let shown = display_key(&key);
    let name = shown.rsplit('/').next().unwrap_or_default();
    let kind = kind_of(name);
    let mut response = (StatusCode::OK, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind.content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition(kind, name)) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    if kind.active {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SANDBOX_POLICY),
        );
    }
    response
}

/// The bytes of the file of the indexed document `key`: looked up in the index first, so that
/// no path outside it is ever opened.
fn read_indexed(state: &AppState, key: &str) -> Result<Vec<u8>, Failure> {
    let deadline = Deadline::after(Some(SEARCH_TIMEOUT));
    let indexed = state
        .engine
        .document(key, None, 0, &deadline)
        .map_err(|err| Failure::from_search("", err))?;
    if indexed.is_none() {
        return Err(Failure::NotFound(format!(
            "the index holds no document with the path '{}'",
            display_key(key)
        )));
    }
    std::fs::read(key_path(key)).map_err(|err| {
        Failure::NotFound(format!(
            "'{}' is indexed but cannot be read now: {err}",
            display_key(key)
        ))
    })
}
