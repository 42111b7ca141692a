//! [`LocalEngine`]: the [`Engine`] over the local tantivy index in a folder, gluing indexing
//! (`crate::index`) and searching ([`IndexSearcher`]) behind the one trait.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::IndexSearcher;
use crate::deadline::Deadline;
use crate::engine::{
    Engine, EngineError, EngineStatus, SearchRequest, SearchResults, StoredDocument,
};
use crate::index::walk::WalkOptions;
use crate::index::{
    ensure_writable, forget_roots, index_roots, index_status, known_roots, open_index, open_reader,
    IndexError, IndexObserver, IndexOptions, IndexStats, Root,
};
use crate::query::DefaultOperator;

/// The local index in a folder.
pub struct LocalEngine {
    dir: PathBuf,
    /// The open index, once a search opened it: `lantern index` needs none (there may be no
    /// index yet), a server keeps one open and refreshes it.
    searcher: Mutex<Option<Arc<IndexSearcher>>>,
}

impl LocalEngine {
    /// The index in the folder `dir`; nothing is opened yet.
    pub fn new(dir: PathBuf) -> LocalEngine {
        LocalEngine {
            dir,
            searcher: Mutex::new(None),
        }
    }

    /// The open index, if it is.
    fn slot(&self) -> MutexGuard<'_, Option<Arc<IndexSearcher>>> {
        // A panic while holding the lock left the slot whole: it is only ever replaced.
        self.searcher.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The open index, opened now if it is not yet.
    fn searcher(&self) -> Result<Arc<IndexSearcher>, IndexError> {
        let mut slot = self.slot();
        if let Some(searcher) = slot.as_ref() {
            return Ok(Arc::clone(searcher));
        }
        let searcher = Arc::new(IndexSearcher::open(&self.dir)?);
        *slot = Some(Arc::clone(&searcher));
        Ok(searcher)
    }
}

impl Engine for LocalEngine {
    fn describe(&self) -> String {
        format!("the index at {}", self.dir.display())
    }

    fn folder(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn sync(
        &self,
        dirs: &[PathBuf],
        options: &IndexOptions,
        observer: &dyn IndexObserver,
    ) -> Result<IndexStats, EngineError> {
        Ok(index_roots(&self.dir, dirs, options, observer)?)
    }

    fn forget(&self, dirs: &[PathBuf]) -> Result<u64, EngineError> {
        Ok(forget_roots(&self.dir, dirs)?)
    }

    /// Each root with the walk rules it was indexed with; the index folder is created.
    fn writable_roots(
        &self,
        dirs: &[PathBuf],
        rules: &WalkOptions,
    ) -> Result<Vec<Root>, EngineError> {
        ensure_writable(&self.dir)?;
        let roots = known_roots(&self.dir, dirs, rules)?;
        std::fs::create_dir_all(&self.dir).map_err(|source| IndexError::CreateDir {
            path: self.dir.clone(),
            source,
        })?;
        Ok(roots)
    }

    /// Opens the index, or reloads it when another process committed since (a `stat`). An
    /// index that fails to reload (deleted, damaged) is closed: every later call opens it anew
    /// and fails the same way until it is repaired, never answering from the old commit.
    fn refresh(&self) -> Result<(), EngineError> {
        let opened = self.slot().clone();
        let Some(searcher) = opened else {
            return self.searcher().map(drop).map_err(EngineError::from);
        };
        let refreshed = searcher.refresh().map(drop);
        if refreshed.is_err() {
            *self.slot() = None;
        }
        refreshed
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        self.searcher()?.search(request)
    }

    fn document(
        &self,
        key: &str,
        query: Option<(&str, DefaultOperator)>,
        max_bytes: usize,
        deadline: &Arc<Deadline>,
    ) -> Result<Option<StoredDocument>, EngineError> {
        self.searcher()?.document(key, query, max_bytes, deadline)
    }

    /// Read from the last commit, whoever made it.
    fn roots(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.searcher()?.roots()?)
    }

    fn count(&self) -> Result<u64, EngineError> {
        let (index, _) = open_index(&self.dir)?;
        Ok(open_reader(&index, &self.dir)?.searcher().num_docs())
    }

    fn status(&self) -> Result<EngineStatus, EngineError> {
        Ok(EngineStatus::Local(index_status(&self.dir)?))
    }
}
