//! The JSON API: `/api/search`, the document `lantern search --format json` prints plus
//! `"offset"`, and `/api/status`. Failures are JSON too: `{"error": {"message": ...}}`, a
//! malformed query as the command line prints it.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::highlight::FragmentOptions;
use crate::query::DefaultOperator;
use crate::render::{JsonPrinter, StatusReport, StatusView};
use crate::search::SearchRequest;
use crate::watch::live_watcher;

use super::failure::Failure;
use super::filters::FilterParams;
use super::limits::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_BYTES, PAGE_SIZE, SEARCH_TIMEOUT};
use super::responses::json;
use super::state::AppState;

/// The parameters of `/api/search`.
#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    /// The query.
    q: Option<String>,
    /// Hits to return, 0 to [`MAX_LIMIT`] (default [`PAGE_SIZE`]).
    limit: Option<String>,
    /// Best hits to skip, 0 to [`MAX_OFFSET`] (default 0).
    offset: Option<String>,
    /// `0`: search the query as written, without spelling correction.
    correct: Option<String>,
    /// `1`: search a query that is not valid syntax as its words (its error in
    /// `syntax_error`) instead of answering 400.
    lenient: Option<String>,
    /// `1` or `true` to count all matches by type and month (JSON `facets`).
    facets: Option<String>,
    /// A path filter, as the search page's.
    path: Option<String>,
    /// The other filters: type, date, size.
    #[serde(flatten)]
    filters: FilterParams,
}

/// `/api/search?q=QUERY&limit=N&offset=M&correct=0&lenient=1`.
pub(super) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    match run_search(&state, params).await {
        Ok(response) => response,
        Err(failure) => failure.respond(true),
    }
}

async fn run_search(
    state: &Arc<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(params) = params?;
    let query = params
        .q
        .ok_or_else(|| Failure::BadRequest("missing parameter 'q', the query".to_string()))?;
    let sort = params.filters.sort()?;
    let filters = params
        .filters
        .filters(params.path.as_deref().unwrap_or_default());
    if filters.compose(&query).len() > MAX_QUERY_BYTES {
        return Err(Failure::QueryTooLong);
    }
    let limit = number_param("limit", params.limit.as_deref(), PAGE_SIZE, MAX_LIMIT)?;
    let offset = number_param("offset", params.offset.as_deref(), 0, MAX_OFFSET)?;
    let request = SearchRequest {
        query,
        filters,
        default_operator: DefaultOperator::Or,
        limit,
        sort,
        facets: params.facets.is_some_and(|on| on == "1" || on == "true"),
        collapse: params.filters.collapse(),
        offset,
        fragments: FragmentOptions::default(),
        timeout: Some(SEARCH_TIMEOUT),
        // Set by `AppState::search` from the load of the moment.
        parallel: true,
        correct: params.correct.as_deref() != Some("0"),
        lenient: params.lenient.as_deref() == Some("1"),
    };
    let results = state.search(request).await?;
    let page = PageJson {
        results: JsonPrinter::default().results_document(&results),
        offset,
    };
    Ok(json(StatusCode::OK, &page))
}

/// A page of results: the document `lantern search --format json` prints, then the offset.
/// Serialized straight into the response, never printed and parsed again.
#[derive(Serialize)]
struct PageJson<R: Serialize> {
    #[serde(flatten)]
    results: R,
    offset: usize,
}

/// The value of the numeric parameter `name`: `default` when absent, at most `max`.
fn number_param(
    name: &str,
    value: Option<&str>,
    default: usize,
    max: usize,
) -> Result<usize, Failure> {
    match value {
        None | Some("") => Ok(default),
        Some(value) => value
            .parse::<usize>()
            .ok()
            .filter(|number| *number <= max)
            .ok_or_else(|| {
                Failure::BadRequest(format!(
                    "'{name}' must be a number from 0 to {max}, not '{value}'"
                ))
            }),
    }
}

/// `/api/status` of the local index: what `lantern status --format json` prints, with the
/// watcher keeping the index fresh. `location` and `size_on_disk`, this API's names before the
/// front ends shared one report, repeat `index` and `size_bytes` for one more release.
#[derive(Serialize)]
struct StatusJson {
    #[serde(flatten)]
    report: StatusReport,
    location: String,
    size_on_disk: u64,
}

/// `/api/status`: what `lantern status --format json` shows on the same engine.
pub(super) async fn status(State(state): State<Arc<AppState>>) -> Response {
    let view = state
        .in_turn(|state| {
            let watcher = state.engine.folder().and_then(live_watcher);
            state
                .engine
                .status()
                .map(|status| StatusView::new(&status, watcher.as_ref()))
                .map_err(|err| Failure::from_search("", err))
        })
        .await;
    match view {
        Ok(StatusView::Local(report)) => json(
            StatusCode::OK,
            &StatusJson {
                location: report.index.clone(),
                size_on_disk: report.size_bytes,
                report,
            },
        ),
        Ok(view @ StatusView::Remote(_)) => json(StatusCode::OK, &view),
        Err(failure) => failure.respond(true),
    }
}
