//! Where documents are stored and searched: one narrow trait, [`Engine`], with two
//! implementations side by side: the local tantivy index in a folder (the default; `LocalEngine`
//! in `src/search/local.rs`, over `src/index/` and `src/search/`), and an index of an OpenSearch
//! cluster ([`opensearch::OpenSearchEngine`], every OpenSearch call under [`opensearch`]), named
//! by `--engine URL` (or `LANTERN_ENGINE`). Walking, ignore rules, extraction, the per-path diff,
//! the query's parsing and lowering, highlighting and rendering are Lantern's and shared; the
//! commands, `serve`, `mcp` and `watch` hold a `dyn Engine` chosen once at start-up and never ask
//! which one it is. The values a search takes and gives ([`SearchRequest`], [`SearchResults`])
//! live here, below both engines and the front ends.

mod error;
pub mod facets;
pub mod folders;
mod marking;
pub mod opensearch;
mod request;
mod results;
pub mod spelling;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::deadline::Deadline;
use crate::index::walk::WalkOptions;
use crate::index::{IndexObserver, IndexOptions, IndexStats, IndexStatus, Root};
use crate::query::DefaultOperator;

pub use error::EngineError;
pub use facets::Facets;
pub use marking::{FoundDocument, HitMarkers};
pub use request::{SearchRequest, Sort, SortError, SortKey};
pub use results::{Correction, Hit, Location, SearchResults, StoredDocument, PAGE_BREAK};

/// A store of documents that finds the best hits for a query and gives their text back.
/// Everything a command or a front end does with documents goes through it.
pub trait Engine: Send + Sync {
    /// Where the documents are, for messages: `the index at PATH`, `the OpenSearch index URL`.
    fn describe(&self) -> String;

    /// The folder on this machine holding the engine's files, if it has one: what a watcher's
    /// lease sits beside, and what a watcher must not take its own writes there for changes.
    fn folder(&self) -> Option<&Path>;

    /// Brings the engine in line with the folders `dirs` (every root it holds when empty):
    /// new and changed files read and stored, vanished ones removed.
    fn sync(
        &self,
        dirs: &[PathBuf],
        options: &IndexOptions,
        observer: &dyn IndexObserver,
    ) -> Result<IndexStats, EngineError>;

    /// Removes the folders `dirs` and their documents; returns how many documents went.
    fn forget(&self, dirs: &[PathBuf]) -> Result<u64, EngineError>;

    /// The roots a writer keeps fresh, `dirs` or (when empty) every root the engine holds,
    /// each with its walk rules (those it was indexed with, when the engine remembers them,
    /// else `rules`). Fails when the engine cannot be written to.
    fn writable_roots(
        &self,
        dirs: &[PathBuf],
        rules: &WalkOptions,
    ) -> Result<Vec<Root>, EngineError>;

    /// Makes what other processes stored since the last call visible to the searches that
    /// start after it. Fails when the engine cannot be reached or holds no index.
    fn refresh(&self) -> Result<(), EngineError>;

    /// Runs `request`: the total number of matches and the hits asked for, highlighted by
    /// Lantern's own highlighter, so the output is the same whichever engine answered.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError>;

    /// The document whose path key (see [`crate::index::path_key`]) is exactly `key`, or `None`
    /// when the engine holds none; its text cut to `max_bytes` and, with a `query`, every
    /// match of it located, until `deadline` passes.
    fn document(
        &self,
        key: &str,
        query: Option<(&str, DefaultOperator)>,
        max_bytes: usize,
        deadline: &Arc<Deadline>,
    ) -> Result<Option<StoredDocument>, EngineError>;

    /// The folders the engine holds (its roots), spelled as hit paths are: what a page shows
    /// hit paths relative to.
    fn roots(&self) -> Result<Vec<String>, EngineError>;

    /// How many documents the engine holds now.
    fn count(&self) -> Result<u64, EngineError>;

    /// What the engine holds and its state.
    fn status(&self) -> Result<EngineStatus, EngineError>;
}

/// The status of an engine: the two hold different facts (a folder's size and segments; a
/// cluster's health and nodes), and the renderers show each as it is.
#[derive(Clone, Debug)]
pub enum EngineStatus {
    /// The local index.
    Local(IndexStatus),
    /// An OpenSearch index.
    Remote(opensearch::RemoteStatus),
}
