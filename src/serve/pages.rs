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
use crate::index::path_key::{display_file, split_member};
use crate::index::schema::text_analyzer;
use crate::query::lenient::read_leniently;
use crate::query::parser::caret_line;
use crate::query::{DefaultOperator, Filters};
use crate::render::{with_params, HtmlHit, Marks, QueryProblem, StatusView};
use crate::search::{Correction, Hit, SearchRequest, SearchResults};

use super::facet_panel::{active_filters, facet_groups, ActiveFilter, FacetGroup};
use super::failure::Failure;
use super::filters::FilterParams;
use super::hit_list::{list_hits, HitList};
use super::limits::{MAX_OFFSET, MAX_QUERY_BYTES, PAGE_SIZE, SEARCH_TIMEOUT};
use super::links::PageParams;
use super::responses::page_response;
use super::state::AppState;
use super::typing::last_word_as_prefix;

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
    /// `1` from the page's script while the query is being typed: the last word is then read
    /// as a prefix (see [`super::typing`]).
    typing: Option<String>,
    /// `0` searches the query as written, without spelling correction (the link back from a
    /// corrected search).
    correct: Option<String>,
}

#[derive(Template)]
#[template(path = "serve/search.html")]
struct SearchPage {
    form: Form,
    outcome: Outcome,
}

/// What the form asks.
struct Form {
    /// The search box's text.
    q: String,
    /// The path filter's text.
    path_filter: String,
    /// The type, date, size and sort controls (`serve/narrow.html`).
    narrow: FilterParams,
    /// The filters the path box and the controls ask for.
    filters: Filters,
    /// The search box text searched: `q`, or its words when `q` is not valid syntax.
    searched_box: String,
    /// The query run: the searched box text with the filters' clauses.
    query: String,
    /// The page's parameters, as its links to itself carry them.
    params: PageParams,
}

/// What the search page shows under the form.
enum Outcome {
    /// No query yet: what is indexed and how to ask.
    Start(StatusView),
    /// The query is malformed: the message and a caret under the problem.
    Problem(ProblemView),
    /// A page of hits.
    Results(Box<ResultsView>),
}

struct ProblemView {
    message: String,
    caret_line: Option<String>,
}

/// A correction as the page shows it: the words searched (or suggested), linked, and for an
/// applied correction a link back to the search box's own words, searched as written.
struct CorrectionView {
    /// True: the hits are the correction's. False: a suggestion.
    applied: bool,
    /// The corrected search box text.
    corrected: String,
    /// Searches `corrected`.
    corrected_href: String,
    /// Searches the search box as written, spelling correction off.
    original_href: String,
}

struct ResultsView {
    total: usize,
    /// The rank of the first hit shown.
    first: usize,
    /// The rank of the last hit shown (below `first` past the last hit).
    last: usize,
    elapsed_ms: String,
    timed_out: bool,
    /// The syntax error of a query searched as its words.
    syntax_error: Option<ProblemView>,
    /// What spelling correction made of the query.
    correction: Option<CorrectionView>,
    page: usize,
    /// The hits, under their roots.
    list: HitList,
    /// Counts of all the matching documents by type and month, each a link that narrows.
    facets: Vec<FacetGroup>,
    /// The filters in force, each with a link that removes it.
    active: Vec<ActiveFilter>,
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
    // People paste text: a search box that is not valid syntax is searched as its words (the
    // filters' clauses kept as they are), the syntax error shown beside the hits.
    let (searched_box, syntax_error) =
        match read_leniently(&q, DefaultOperator::Or, &mut text_analyzer()) {
            Ok(read) => read,
            Err(_) => (q.clone(), None),
        };
    let filters = params.filters.filters(&path_filter);
    let query = filters.compose(&searched_box);
    let correct = params.correct.as_deref() != Some("0");
    let form = Form {
        params: PageParams::new(
            &q,
            &path_filter,
            &params.filters,
            if correct { "" } else { "0" },
        ),
        q,
        path_filter,
        narrow: params.filters.clone(),
        filters,
        searched_box,
        query,
    };
    if form.query.trim().is_empty() {
        // No search to fail: the form alone would hide that there is nothing to search.
        let report = state
            .in_turn(|state| {
                state
                    .engine
                    .status()
                    .map(|status| StatusView::new(&status, None))
                    .map_err(|err| Failure::from_search("", err))
            })
            .await;
        return match report {
            Ok(report) => page_response(
                StatusCode::OK,
                &SearchPage {
                    form,
                    outcome: Outcome::Start(report),
                },
            ),
            Err(failure) => failure.respond(false),
        };
    }
    if form.query.len() > MAX_QUERY_BYTES {
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
    let typing = params.typing.as_deref() == Some("1");
    // The search box is read leniently above and composed with the filters here: the request
    // has no filters of its own.
    let request = |query: String| SearchRequest {
        query,
        filters: Filters::default(),
        default_operator: DefaultOperator::Or,
        limit: PAGE_SIZE,
        sort,
        // Counted over all the matches in the pass that ranks them: the panel beside the hits.
        facets: true,
        collapse: params.filters.collapse(),
        offset: (number - 1) * PAGE_SIZE,
        fragments: FragmentOptions::default(),
        timeout: Some(SEARCH_TIMEOUT),
        // Set by `AppState::search` from the load of the moment.
        parallel: true,
        correct,
        lenient: false,
    };
    let prefix_box = last_word_as_prefix(&form.searched_box);
    let as_prefix = form.filters.compose(&prefix_box);
    let as_typed = || state.search(request(form.query.clone()));
    // The search box the hits were found for, and the outcome.
    let (searched_box, outcome) = if typing && as_prefix != form.query {
        // The prefix reading; if it is refused (a malformed query, or one whose prefix expands
        // too far), the query as typed, which explains the problem where the user typed it; if
        // it finds nothing, the query as typed too, which spelling correction may rescue.
        match state.search(request(as_prefix)).await {
            Err(Failure::Query(_)) => (&form.searched_box, as_typed().await),
            Ok(results) if results.total == 0 => (&form.searched_box, as_typed().await),
            other => (&prefix_box, other),
        }
    } else {
        (&form.searched_box, as_typed().await)
    };
    // Types are alternatives: the Type group counts the matches as if no type were asked, so
    // that a click can add another (see `facet_panel`).
    let outcome = match outcome {
        Ok(mut results) if !form.filters.types.is_empty() => {
            let untyped = Filters {
                types: Vec::new(),
                ..form.filters.clone()
            };
            let counted = SearchRequest {
                limit: 0,
                offset: 0,
                correct: false,
                ..request(untyped.compose(searched_box))
            };
            state.search(counted).await.map(|all_types| {
                if let (Some(facets), Some(all)) = (results.facets.as_mut(), all_types.facets) {
                    facets.types = all.types;
                }
                results
            })
        }
        other => other,
    };
    let (status, outcome) = match outcome {
        Ok(results) => {
            let roots = match state.roots().await {
                Ok(roots) => roots,
                Err(other) => return other.respond(false),
            };
            let mut view = results_view(&state, &roots, &form, &results, number);
            view.syntax_error = syntax_error.map(|err| ProblemView {
                caret_line: Some(err.caret_line(&form.q)),
                message: err.message,
            });
            (StatusCode::OK, Outcome::Results(Box::new(view)))
        }
        Err(Failure::Query(problem)) => (
            StatusCode::BAD_REQUEST,
            Outcome::Problem(problem_view(&problem)),
        ),
        Err(other) => return other.respond(false),
    };
    page_response(status, &SearchPage { form, outcome })
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
    roots: &[String],
    page: &Form,
    results: &SearchResults,
    number: usize,
) -> ResultsView {
    let marks = Marks::default();
    let offset = (number - 1) * PAGE_SIZE;
    let page_href = |number: usize| page.params.with("page", &number.to_string()).href();
    let has_next = offset + results.hits.len() < results.total && offset + PAGE_SIZE <= MAX_OFFSET;
    ResultsView {
        total: results.total,
        first: offset + 1,
        last: offset + results.hits.len(),
        elapsed_ms: format!("{:.1}", results.elapsed.as_secs_f64() * 1e3),
        timed_out: results.timed_out,
        syntax_error: None,
        correction: correction_view(page, results),
        page: number,
        list: list_hits(&results.hits, roots, &marks, |hit| {
            let editor = (!state.editor.is_file_url()).then(|| editor_link(state, hit));
            HtmlHit::new(
                hit,
                &marks,
                // The query whose hits these are: its words or its correction, when not the
                // page's own.
                with_params("/doc", &[("path", &hit.key), ("q", &results.searched)]),
                editor,
            )
            .with_original(original_href(hit))
        }),
        facets: results
            .facets
            .as_ref()
            .map(|facets| facet_groups(facets, &page.params))
            .unwrap_or_default(),
        active: active_filters(&page.params),
        previous_href: (number > 1).then(|| page_href(number - 1)),
        next_href: has_next.then(|| page_href(number + 1)),
    }
}

/// The link to `hit`'s original file (`/file`): for a document with pages, at the page of its
/// best fragment (`#page=N`, which browsers' PDF viewers follow).
fn original_href(hit: &Hit) -> String {
    let href = with_params("/file", &[("path", &hit.key)]);
    match hit.locations.first().and_then(|location| location.page) {
        Some(page) => format!("{href}#page={page}"),
        None => href,
    }
}

/// The editor link of `hit`: its file at the line of its best fragment, or, for a member of an
/// archive, the archive (whose lines are not the member's).
fn editor_link(state: &AppState, hit: &Hit) -> String {
    match split_member(&hit.key) {
        (_, None) => state.editor.link(&hit.path, first_line(hit), 1),
        (_, Some(_)) => state.editor.link(&display_file(&hit.key), 1, 1),
    }
}

/// The line of `hit`'s best fragment, where an editor opens it.
fn first_line(hit: &Hit) -> usize {
    hit.locations.first().map_or(1, |location| location.line)
}

/// What spelling correction made of the page's query, as the page shows it: the search box's
/// words corrected (the filters' clauses are never corrected: they are phrases).
fn correction_view(page: &Form, results: &SearchResults) -> Option<CorrectionView> {
    let (applied, corrected) = match results.correction.as_ref()? {
        Correction::Applied { corrected } => (true, corrected),
        Correction::Suggested { suggested } => (false, suggested),
    };
    let corrected = page.filters.query_text(corrected, &page.searched_box)?;
    Some(CorrectionView {
        applied,
        corrected_href: page.params.with("q", &corrected).with("correct", "").href(),
        original_href: page.params.with("correct", "0").href(),
        corrected,
    })
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
