//! The document page (`/doc`): one part of an indexed document's stored text, with line
//! numbers and the query's matches marked. Looking the document up, finding its matches,
//! laying its part out and rendering the page all run in turn with the searches, off the async
//! threads ([`AppState::in_document_turn`]): a hostile document then costs one turn for a
//! bounded time, never the server's other requests. Parts ([`parts`](super::parts)) bound the size of a page.

use std::ops::Range;
use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::deadline::Deadline;
use crate::index::path_key::{display_file, display_key};
use crate::query::DefaultOperator;
use crate::render::{with_params, EditorLinks};
use crate::search::Location;

use super::failure::Failure;
use super::limits::{
    DOCUMENT_PART_BYTES, DOCUMENT_PART_LINES, DOCUMENT_PART_MARKS, MAX_DOCUMENT_BYTES,
    MAX_QUERY_BYTES, SEARCH_TIMEOUT,
};
use super::lines::{lay_out, Line, Links, Mark};
use super::parts::{cut, part_of_match, Part, PartBudget};
use super::responses::html_response;
use super::state::AppState;

/// What one document page may show.
const PART_BUDGET: PartBudget = PartBudget {
    lines: DOCUMENT_PART_LINES,
    bytes: DOCUMENT_PART_BYTES,
    marks: DOCUMENT_PART_MARKS,
};

/// The parameters of the document page.
#[derive(Debug, Deserialize)]
pub(super) struct DocumentParams {
    /// The document's path key (see [`crate::index::path_key`]): the path itself, unless it
    /// has bytes that are not UTF-8. Hits link with it.
    path: Option<String>,
    /// The query whose matches to mark.
    q: Option<String>,
    /// The part of a long document to show, from 1.
    part: Option<String>,
}

#[derive(Template)]
#[template(path = "serve/document.html")]
struct DocumentPage {
    path: String,
    query: String,
    back_href: String,
    /// The original file, served by `/file`.
    original_href: String,
    /// The editor at the first match, unless the editor links are `file://` ones, which a
    /// browser refuses from an http page.
    editor_href: Option<String>,
    /// Matches in the whole document.
    match_count: usize,
    /// The numbers of the first and last match starting in this part; 0 and 0 when none does.
    first_match: usize,
    /// In a document with pages (a PDF), the page of the first match starting in this part.
    first_match_page: Option<usize>,
    last_match: usize,
    /// The matches just before and after this part's, on other parts.
    previous_match_href: Option<String>,
    next_match_href: Option<String>,
    /// This part's number, the number of parts, and links to the parts around it.
    part: usize,
    parts: usize,
    previous_part_href: Option<String>,
    next_part_href: Option<String>,
    /// The first and last line numbers shown.
    first_line: usize,
    last_line: usize,
    truncated: bool,
    shown_mb: usize,
    lines: Vec<Line>,
}

/// `/doc?path=KEY&q=QUERY&part=N`: part `N` of the stored text of the indexed document whose
/// path key is exactly `KEY`, with line numbers and every match of `QUERY` marked. Only
/// documents in the index are shown (the path is looked up as a term, never opened): anything
/// else is 404.
pub(super) async fn document(
    State(state): State<Arc<AppState>>,
    params: Result<Query<DocumentParams>, QueryRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(params) => params,
        Err(rejection) => return Failure::from(rejection).respond(false),
    };
    let request = DocumentRequest {
        key: params.path.unwrap_or_default(),
        query: params.q.unwrap_or_default(),
        part: match parse_part(params.part.as_deref()) {
            Ok(part) => part,
            Err(failure) => return failure.respond(false),
        },
        deadline: Deadline::after(Some(SEARCH_TIMEOUT)),
    };
    if request.query.len() > MAX_QUERY_BYTES {
        return Failure::QueryTooLong.respond(false);
    }
    match state
        .in_document_turn(move |state| render_document(state, &request))
        .await
    {
        Ok(html) => html_response(StatusCode::OK, html),
        Err(failure) => failure.respond(false),
    }
}

/// What a document page asks for.
struct DocumentRequest {
    key: String,
    query: String,
    /// From 1.
    part: usize,
    /// Past it, finding matches stops and the page is abandoned (the request's own time limit
    /// answers the client).
    deadline: Arc<Deadline>,
}

/// The part number `part` names (1 when absent); whether the document has that many parts is
/// checked once it is cut.
fn parse_part(part: Option<&str>) -> Result<usize, Failure> {
    match part {
        None | Some("") => Ok(1),
        Some(part) => part
            .parse::<usize>()
            .ok()
            .filter(|part| *part >= 1)
            .ok_or_else(|| {
                Failure::BadRequest(format!("part must be a number from 1, not '{part}'"))
            }),
    }
}

/// The HTML of the page `request` asks for.
fn render_document(state: &AppState, request: &DocumentRequest) -> Result<String, Failure> {
    let query =
        (!request.query.trim().is_empty()).then_some((request.query.as_str(), DefaultOperator::Or));
    let document = state
        .engine
        .document(&request.key, query, MAX_DOCUMENT_BYTES, &request.deadline)
        .map_err(|err| Failure::from_search(&request.query, err))?
        .ok_or_else(|| {
            Failure::NotFound(format!(
                "the index holds no document with the path '{}'",
                display_key(&request.key)
            ))
        })?;
    check_deadline(request)?;
    let parts = cut(&document.text, &document.matches, PART_BUDGET);
    let index = request.part - 1;
    let part = parts.get(index).ok_or_else(|| {
        Failure::NotFound(format!(
            "the document has {} part(s), not {}",
            parts.len(),
            request.part
        ))
    })?;
    // An editor opens the file on disk: for a member of an archive, the archive.
    let file = display_file(&request.key);
    let links = PartLinks {
        request,
        path: &file,
        editor: &state.editor,
        parts: &parts,
        index,
    };
    let marks = marks_of(&document.text, part, &document.matches);
    let laid = lay_out(
        &document.text[part.bytes.clone()],
        part.first_line,
        &marks,
        document.matches.len(),
        &links,
    );
    check_deadline(request)?;
    let (first_line, column) = laid.first.unwrap_or((part.first_line, 1));
    let matches = &part.matches;
    let page = DocumentPage {
        original_href: with_params("/file", &[("path", &request.key)]),
        editor_href: (!state.editor.is_file_url())
            .then(|| state.editor.link(&file, first_line, column)),
        back_href: with_params("/search", &[("q", &request.query)]),
        path: document.path.clone(),
        query: request.query.clone(),
        match_count: document.matches.len(),
        first_match: if matches.is_empty() {
            0
        } else {
            matches.start + 1
        },
        last_match: matches.end,
        first_match_page: first_page(&laid.lines),
        previous_match_href: (matches.start > 0).then(|| links.to_match(matches.start)),
        next_match_href: (matches.end < document.matches.len())
            .then(|| links.to_match(matches.end + 1)),
        part: request.part,
        parts: parts.len(),
        previous_part_href: (index > 0).then(|| links.to_part(index - 1)),
        next_part_href: (index + 1 < parts.len()).then(|| links.to_part(index + 1)),
        first_line: part.first_line,
        last_line: laid
            .lines
            .last()
            .map_or(part.first_line, |line| line.number),
        truncated: document.truncated,
        shown_mb: MAX_DOCUMENT_BYTES >> 20,
        lines: laid.lines,
    };
    page.render()
        .map_err(|err| Failure::Internal(format!("cannot render the page: {err}")))
}

/// The page of the first numbered match in `lines`, when its document has pages.
fn first_page(lines: &[Line]) -> Option<usize> {
    lines
        .iter()
        .flat_map(|line| &line.segments)
        .find(|segment| segment.id.is_some())
        .and_then(|segment| segment.page)
}

/// [`Failure::TimedOut`] once the request's time is up: nobody will read the page.
fn check_deadline(request: &DocumentRequest) -> Result<(), Failure> {
    if request.deadline.passed() {
        return Err(Failure::TimedOut(format!(
            "the document page took longer than {}s; ask for another part, or a narrower query",
            SEARCH_TIMEOUT.as_secs()
        )));
    }
    Ok(())
}

/// The matches to mark in `part` of `text`, relative to the part: those starting in it, numbered
/// and, in a document with pages, with the page they start on; and the one begun in an earlier
/// part that goes on into it, if any.
fn marks_of(text: &str, part: &Part, matches: &[Range<usize>]) -> Vec<Mark> {
    let begun = part.matches.start.checked_sub(1).and_then(|before| {
        let range = &matches[before];
        (range.end > part.bytes.start).then(|| Mark {
            range: 0..range.end.min(part.bytes.end) - part.bytes.start,
            id: None,
            page: None,
        })
    });
    let starting = &matches[part.matches.clone()];
    let locations = Location::all_of(text, starting.iter().map(|range| range.start));
    let starting =
        part.matches
            .clone()
            .zip(starting)
            .zip(locations)
            .map(|((index, range), location)| Mark {
                range: range.start - part.bytes.start
                    ..range.end.min(part.bytes.end) - part.bytes.start,
                id: Some(index + 1),
                page: location.page,
            });
    begun.into_iter().chain(starting).collect()
}

/// The links of one part of a document page.
struct PartLinks<'a> {
    request: &'a DocumentRequest,
    /// The document's path, as the editor opens it.
    path: &'a str,
    editor: &'a EditorLinks,
    parts: &'a [Part],
    /// The part shown.
    index: usize,
}

impl PartLinks<'_> {
    /// The page of the part at `index`.
    fn to_part(&self, index: usize) -> String {
        let number = (index + 1).to_string();
        with_params(
            "/doc",
            &[
                ("path", &self.request.key),
                ("q", &self.request.query),
                ("part", if index == 0 { "" } else { &number }),
            ],
        )
    }
}

impl Links for PartLinks<'_> {
    fn to_match(&self, id: usize) -> String {
        let index = part_of_match(self.parts, id - 1);
        if index == self.index {
            format!("#m{id}")
        } else {
            format!("{}#m{id}", self.to_part(index))
        }
    }

    fn to_editor(&self, line: usize, column: usize) -> String {
        self.editor.link(self.path, line, column)
    }
}
