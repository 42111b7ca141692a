//! The application: shared state, the routes, the layers every request passes through, and the
//! one way handlers run work on the index (in turn, off the async threads, on fresh commits).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::render::EditorLinks;
use crate::search::{IndexSearcher, SearchRequest, SearchResults};

use super::failure::Failure;
use super::limits::{
    MAX_CONCURRENT_DOCUMENTS, MAX_CONCURRENT_SEARCHES, QUEUE_WAIT, REQUEST_TIMEOUT,
};
use super::{api, assets, document, pages, security};

/// What every handler shares.
pub(super) struct AppState {
    /// The index folder (for its status).
    pub(super) index_dir: PathBuf,
    /// The open index.
    pub(super) searcher: IndexSearcher,
    /// How "open in editor" links are made.
    pub(super) editor: EditorLinks,
    /// The address the server listens on (the Host check compares with it).
    pub(super) local: SocketAddr,
    /// One permit per search allowed to run at once.
    turns: Arc<Semaphore>,
    /// One permit per document page allowed to be made at once (each also takes a turn).
    documents: Arc<Semaphore>,
}

impl AppState {
    /// The state of a server on `local` over `searcher`.
    pub(super) fn new(
        index_dir: PathBuf,
        searcher: IndexSearcher,
        editor: EditorLinks,
        local: SocketAddr,
    ) -> AppState {
        AppState {
            index_dir,
            searcher,
            editor,
            local,
            turns: Arc::new(Semaphore::new(MAX_CONCURRENT_SEARCHES)),
            documents: Arc::new(Semaphore::new(MAX_CONCURRENT_DOCUMENTS)),
        }
    }

    /// Runs `work` on a blocking thread once a turn is free (waiting at most [`QUEUE_WAIT`],
    /// then [`Failure::Busy`]), after loading the commits other processes made. The turn is
    /// held until `work` returns, even if the request was given up meanwhile, so abandoned
    /// requests still count against the limit.
    pub(super) async fn in_turn<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&AppState) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&self.turns).acquire_owned())
            .await
            .map_err(|_| Failure::Busy)?
            .map_err(|_| Failure::Busy)?;
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _turn = permit;
            state
                .searcher
                .refresh()
                .map_err(|err| Failure::from_search("", err))?;
            work(&state)
        })
        .await
        .map_err(|err| Failure::Internal(format!("the search stopped unexpectedly: {err}")))?
    }

    /// Runs `work`, which makes a document page, in turn ([`AppState::in_turn`]), with at most
    /// [`MAX_CONCURRENT_DOCUMENTS`] at once: however many clients ask for costly pages,
    /// searches keep turns of their own. Its permit too is held until `work` returns.
    pub(super) async fn in_document_turn<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&AppState) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&self.documents).acquire_owned())
            .await
            .map_err(|_| Failure::Busy)?
            .map_err(|_| Failure::Busy)?;
        self.in_turn(move |state| {
            let _document = permit;
            work(state)
        })
        .await
    }

    /// Runs `request` in turn, its hits highlighted in parallel only when no other search is
    /// running: under load, each search keeps to its own thread (measured on linux-docs under
    /// 32 connections: 8-18% more searches a second).
    pub(super) async fn search(
        self: &Arc<Self>,
        mut request: SearchRequest,
    ) -> Result<SearchResults, Failure> {
        self.in_turn(move |state| {
            request.parallel = state.turns.available_permits() + 1 == MAX_CONCURRENT_SEARCHES;
            state
                .searcher
                .search(&request)
                .map_err(|err| Failure::from_search(&request.query, err))
        })
        .await
    }
}

/// The routes, behind the security checks, the security headers and the request timeout.
pub(super) fn router(state: Arc<AppState>) -> Router {
    let layers = ServiceBuilder::new()
        // Outermost, so that every response carries them, refusals and timeouts included.
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            security::CONTENT_SECURITY_POLICY,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            security::check_request,
        ));
    Router::new()
        .route("/", get(pages::search))
        .route("/search", get(pages::search))
        .route("/doc", get(document::document))
        .route("/api/search", get(api::search))
        .route("/api/status", get(api::status))
        .route("/assets/lantern.css", get(assets::lantern_css))
        .route("/assets/serve.css", get(assets::serve_css))
        .route("/assets/lantern.js", get(assets::lantern_js))
        .fallback(not_found)
        .layer(layers)
        .with_state(state)
}

/// Anything else: 404, as JSON under `/api/`.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    Failure::NotFound(format!("there is no page at {}", uri.path()))
        .respond(uri.path().starts_with("/api/"))
}
