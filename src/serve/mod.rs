//! `lantern serve`: the search as a local web application and a JSON API, over the same search
//! and render layers as the command line.
//!
//! One process holds the index open; before each request it picks up the commits other
//! processes made ([`Engine::refresh`]). Every request is bounded: its query length,
//! hits per page, how many searches run at once, and how long each may take (see [`limits`]);
//! so is every connection: how many are open, and how long one may idle or stall
//! (`connections`).
//! The server answers only requests addressed to it by name (a DNS-rebinding defence), and
//! every page forbids inline scripts and styles.

mod api;
mod app;
mod assets;
mod connections;
mod descriptors;
mod document;
mod facet_panel;
mod failure;
mod filters;
mod hit_list;
pub mod limits;
mod lines;
mod links;
mod original;
mod pages;
mod parts;
mod responses;
mod security;
mod stall;
mod state;
mod typing;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::engine::{Engine, EngineError};
use crate::render::EditorLinks;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port (see [`Server::local_addr`]).
    pub bind: SocketAddr,
    /// How "open in editor" links are made.
    pub editor: EditorLinks,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The index could not be opened, or the engine reached.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The address could not be bound (in use, or not this machine's).
    #[error("cannot listen on {addr}: {source}; pick another address or port with --bind")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// Accepting or serving connections failed.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A server bound to its address, not yet answering.
pub struct Server {
    listener: TcpListener,
    local: SocketAddr,
    router: axum::Router,
    /// Connections held open at most (see [`descriptors`]).
    max_connections: usize,
}

impl Server {
    /// Opens `engine` (a missing index, an unreachable engine fail here, not at the first
    /// request) and binds `options.bind`. Raises the process's soft limit on open files to its
    /// hard limit, and holds connections to a cap below it.
    pub async fn bind(
        engine: Arc<dyn Engine>,
        options: ServeOptions,
    ) -> Result<Server, ServeError> {
        let opening = Arc::clone(&engine);
        tokio::task::spawn_blocking(move || opening.refresh())
            .await
            .map_err(|err| ServeError::Io(std::io::Error::other(err)))??;
        let listener =
            TcpListener::bind(options.bind)
                .await
                .map_err(|source| ServeError::Bind {
                    addr: options.bind,
                    source,
                })?;
        let local = listener.local_addr()?;
        let state = Arc::new(state::AppState::new(engine, options.editor, local));
        Ok(Server {
            listener,
            local,
            router: app::router(state),
            max_connections: descriptors::connection_cap(descriptors::raise_descriptor_limit()),
        })
    }

    /// The address the server listens on (with the port chosen, when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Answers requests until `shutdown` completes, then lets the requests under way finish
    /// (at most [`limits::SHUTDOWN_GRACE`]) and returns.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        connections::serve(self.listener, self.router, self.max_connections, shutdown).await;
        Ok(())
    }
}
