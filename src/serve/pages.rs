//! The search page (`/`, `/search`), rendered from `templates/serve/` by askama, which escapes
//! every value; only text that [`Marks::html`] escaped and marked is printed as it is. The
//! document page has a module of its own, error pages are in `responses.rs`.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::highlight::FragmentOptions;
use crate::query::parser::caret_line;
use crate::query::DefaultOperator;
use crate::render::{with_params, HtmlHit, Marks, QueryProblem};
use crate::search::{SearchRequest, SearchResults};

use super::failure::Failure;
use super::filters::FilterParams;
use super::limits::{MAX_OFFSET, MAX_QUERY_BYTES, PAGE_SIZE, SEARCH_TIMEOUT};
use super::responses::page_response;
use super::state::AppState;

/// The parameters of the search page.
#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    /// The search box.
    q: Option<String>,
    /// The path filter box.
    path: Option<String>,
    /// The other filters: type, date, size.
    #[serde(flatten)]
    filters: FilterParams,
    /// The page of hits, from 1.
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "serve/search.html")]
struct SearchPage {
    /// The search box's text.
    q: String,
    /// The path filter's text.
    path_filter: String,
    /// The type, date, size and sort controls (`serve/narrow.html`).
    narrow: FilterParams,
    /// The query run: the search box with the filters' clauses.
    query: String,
    outcome: Outcome,
}

/// What the search page shows under the form.
enum Outcome {
    /// No query yet: a hint.
    Empty,
    /// The query is malformed: the message and a caret under the problem.
    Problem(ProblemView),
    /// A page of hits.
    Results(ResultsView),
}

struct ProblemView {
    message: String,
    caret_line: Option<String>,
}

struct ResultsView {
    total: usize,
    /// The rank of the first hit shown.
    first: usize,
    /// The rank of the last hit shown (below `first` past the last hit).
    last: usize,
    elapsed_ms: String,
    timed_out: bool,
    page: usize,
    hits: Vec<HtmlHit>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

/// `/` and `/search?q=QUERY&path=FILTER&page=N`: the search form and a page of hits. A
/// malformed query is explained on the page, with status 400.
pub(super) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(params) => params,
        Err(rejection) => return Failure::from(rejection).respond(false),
    };
    let q = params.q.unwrap_or_default();
    let path_filter = params.path.unwrap_or_default();
    let query = params.filters.filters(&path_filter).compose(&q);
    let mut page = SearchPage {
        q,
        path_filter,
        narrow: params.filters.clone(),
        query,
        outcome: Outcome::Empty,
    };
    if page.query.trim().is_empty() {
        // No search to fail: the form alone would hide that there is nothing to search.
        if let Err(missing) = state.searcher.check_present() {
            return Failure::from_index(missing).respond(false);
        }
        return page_response(StatusCode::OK, &page);
    }
    if page.query.len() > MAX_QUERY_BYTES {
        return Failure::QueryTooLong.respond(false);
    }
    let number = match parse_page(params.page.as_deref()) {
        Ok(number) => number,
        Err(failure) => return failure.respond(false),
    };
    let sort = match params.filters.sort() {
        Ok(sort) => sort,
        Err(failure) => return failure.respond(false),
    };
    let request = SearchRequest {
        query: page.query.clone(),
        default_operator: DefaultOperator::Or,
        limit: PAGE_SIZE,
        sort,
        facets: false,
        offset: (number - 1) * PAGE_SIZE,
        fragments: FragmentOptions::default(),
        timeout: Some(SEARCH_TIMEOUT),
        // Set by `AppState::search` from the load of the moment.
        parallel: true,
    };
    match state.search(request).await {
        Ok(results) => {
            page.outcome = Outcome::Results(results_view(&state, &page, &results, number));
            page_response(StatusCode::OK, &page)
        }
        Err(Failure::Query(problem)) => {
            page.outcome = Outcome::Problem(problem_view(&problem));
            page_response(StatusCode::BAD_REQUEST, &page)
        }
        Err(other) => other.respond(false),
    }
}

/// The page number `page` names (1 when absent), within [`MAX_OFFSET`].
fn parse_page(page: Option<&str>) -> Result<usize, Failure> {
    let last = MAX_OFFSET / PAGE_SIZE + 1;
    let invalid = || Failure::BadRequest(format!("page must be a number from 1 to {last}"));
    match page {
        None | Some("") => Ok(1),
        Some(page) => page
            .parse::<usize>()
            .ok()
            .filter(|page| (1..=last).contains(page))
            .ok_or_else(invalid),
    }
}

/// The view of one page of `results`, page `number`.
fn results_view(
    state: &AppState,
    page: &SearchPage,
    results: &SearchResults,
    number: usize,
) -> ResultsView {
    let marks = Marks::default();
    let offset = (number - 1) * PAGE_SIZE;
    let page_href = |number: usize| {
        let number = number.to_string();
        let mut params = vec![("q", page.q.as_str()), ("path", &page.path_filter)];
        params.extend(page.narrow.values());
        params.push(("page", &number));
        with_params("/search", &params)
    };
    let has_next = offset + results.hits.len() < results.total && offset + PAGE_SIZE <= MAX_OFFSET;
    ResultsView {
        total: results.total,
        first: offset + 1,
        last: offset + results.hits.len(),
        elapsed_ms: format!("{:.1}", results.elapsed.as_secs_f64() * 1e3),
        timed_out: results.timed_out,
        page: number,
        hits: results
            .hits
            .iter()
            .map(|hit| {
                HtmlHit::new(
                    hit,
                    &marks,
                    with_params("/doc", &[("path", &hit.key), ("q", &page.query)]),
                    Some(state.editor.link(&hit.path, 1, 1)),
                )
            })
            .collect(),
        previous_href: (number > 1).then(|| page_href(number - 1)),
        next_href: has_next.then(|| page_href(number + 1)),
    }
}

/// A query problem as the pages show it.
fn problem_view(problem: &QueryProblem) -> ProblemView {
    ProblemView {
        message: problem.message.clone(),
        caret_line: problem
            .position
            .map(|position| caret_line(&problem.query, position)),
    }
}
