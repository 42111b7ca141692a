//! What every handler shares, and the one way handlers run work on the index: in turn, off the
//! async threads, on fresh commits.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::engine::{Engine, SearchRequest, SearchResults};
use crate::render::EditorLinks;

use super::failure::Failure;
use super::limits::{MAX_CONCURRENT_DOCUMENTS, MAX_CONCURRENT_SEARCHES, QUEUE_WAIT};

/// What every handler shares.
pub(super) struct AppState {
    /// The engine searched: the local index, kept open, or an OpenSearch index.
    pub(super) engine: Arc<dyn Engine>,
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
    /// The state of a server on `local` over `engine`.
    pub(super) fn new(engine: Arc<dyn Engine>, editor: EditorLinks, local: SocketAddr) -> AppState {
        AppState {
            engine,
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
        let permit = wait_for_permit(&self.turns).await?;
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _turn = permit;
            state
                .engine
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
        let permit = wait_for_permit(&self.documents).await?;
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
                .engine
                .search(&request)
                .map_err(|err| Failure::from_search(&request.query_run(), err))
        })
        .await
    }
}

impl AppState {
    /// The engine's roots, which the search page shows hit paths under (read off the async
    /// threads: the local engine reads its last commit, OpenSearch answers a request).
    pub(super) async fn roots(self: &Arc<Self>) -> Result<Vec<String>, Failure> {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            state
                .engine
                .roots()
                .map_err(|err| Failure::from_search("", err))
        })
        .await
        .map_err(|err| {
            Failure::Internal(format!("reading the roots stopped unexpectedly: {err}"))
        })?
    }
}

/// A permit of `permits`, waiting at most [`QUEUE_WAIT`] for one, then [`Failure::Busy`].
async fn wait_for_permit(permits: &Arc<Semaphore>) -> Result<OwnedSemaphorePermit, Failure> {
    tokio::time::timeout(QUEUE_WAIT, Arc::clone(permits).acquire_owned())
        .await
        .map_err(|_| Failure::Busy)?
        .map_err(|_| Failure::Busy)
}
