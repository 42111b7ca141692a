//! Accepting and serving connections within the file descriptors the process has.
//!
//! A connection costs a descriptor for as long as it stays open, and a process out of
//! descriptors cannot accept the one that would be answered. So connections are held to a cap
//! below the descriptor limit ([`descriptors`](super::descriptors)), and a connection that does
//! nothing is closed: one whose request headers (or, between requests, the next request) do not
//! arrive within [`HEADER_TIMEOUT`], and one that makes no progress either way for
//! [`STALL_TIMEOUT`] ([`StallGuard`], for a client that stops reading its answer). At the cap,
//! the oldest connection serving no request is closed to make room for the new one, so that a
//! flood of idle connections delays nobody; the listener keeps accepting, and its backlog never
//! fills.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

use super::limits::{ACCEPT_PAUSE, HEADER_TIMEOUT, SHUTDOWN_GRACE, STALL_TIMEOUT};
use super::stall::StallGuard;

/// Answers the connections `listener` accepts with `router`, holding at most `cap` open, until
/// `shutdown` completes; then lets the requests under way finish (at most
/// [`SHUTDOWN_GRACE`]) and returns.
pub(super) async fn serve(
    listener: TcpListener,
    router: Router,
    cap: usize,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(OpenConnections::default());
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    tokio::pin!(shutdown);
    let mut next_id: u64 = 0;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors despite the cap (the index's files, another thread), or a
                // connection gone before it was accepted: free one and try again shortly.
                open.close_oldest_idle();
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        if open.count() >= cap && !open.close_oldest_idle() {
            // Every connection is serving a request: this one is closed unanswered.
            drop(stream);
            continue;
        }
        next_id += 1;
        let id = next_id;
        let (requests, close) = open.add(id);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let serving = Serving::start(&requests);
            let answer = router.clone().oneshot(request.map(Body::new));
            async move {
                let response = answer.await?;
                Ok::<_, Infallible>(response.map(|body| TrackedBody {
                    body,
                    _serving: serving,
                }))
            }
        });
        let io = TokioIo::new(StallGuard::new(stream, STALL_TIMEOUT));
        let connection = graceful.watch(http.serve_connection(io, service));
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            tokio::select! {
                // A connection's errors (a reset, a timeout, a malformed request hyper
                // answered) end it and concern nobody else.
                _ = connection => {}
                () = close.notified() => {}
            }
            open.remove(id);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
}

/// The connections open, oldest first.
#[derive(Default)]
struct OpenConnections {
    by_id: Mutex<BTreeMap<u64, OpenConnection>>,
}

/// One open connection.
struct OpenConnection {
    /// Requests it is serving (their answers not yet sent whole).
    requests: Arc<AtomicUsize>,
    /// Closes it.
    close: Arc<Notify>,
}

impl OpenConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, OpenConnection>> {
        // The map stays whole if a thread panicked while holding the lock.
        self.by_id.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many connections are open.
    fn count(&self) -> usize {
        self.lock().len()
    }

    /// Notes the connection `id`: its count of requests under way, and what closes it.
    fn add(&self, id: u64) -> (Arc<AtomicUsize>, Arc<Notify>) {
        let requests = Arc::new(AtomicUsize::new(0));
        let close = Arc::new(Notify::new());
        self.lock().insert(
            id,
            OpenConnection {
                requests: Arc::clone(&requests),
                close: Arc::clone(&close),
            },
        );
        (requests, close)
    }

    /// Forgets the connection `id`, which ended.
    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Closes the oldest connection that serves no request (one waiting for a request, or
    /// sending one slowly); false when every connection is serving one.
    fn close_oldest_idle(&self) -> bool {
        let mut by_id = self.lock();
        let idle = by_id
            .iter()
            .find(|(_, connection)| connection.requests.load(Ordering::Acquire) == 0)
            .map(|(&id, _)| id);
        match idle.and_then(|id| by_id.remove(&id)) {
            Some(connection) => {
                // Kept if the connection's task is not waiting yet: it closes when it does.
                connection.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// A request being served on a connection, until its answer is sent whole.
struct Serving {
    requests: Arc<AtomicUsize>,
}

impl Serving {
    fn start(requests: &Arc<AtomicUsize>) -> Serving {
        requests.fetch_add(1, Ordering::AcqRel);
        Serving {
            requests: Arc::clone(requests),
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.requests.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that counts as a request being served until it is sent (or dropped).
struct TrackedBody {
    body: Body,
    _serving: Serving,
}

impl http_body::Body for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
