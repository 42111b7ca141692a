//! [`OpenSearchEngine`]: the [`Engine`] over an index of an OpenSearch cluster, gluing the
//! sync, search and status of this folder's modules behind the one trait.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::json;

use super::client::Client;
use super::search::{remote_document, remote_search};
use super::status::remote_status;
use super::sync::{canonical_root, engine_roots, forget_remote_roots, index_language, sync_roots};
use super::{OpenSearchError, Target};
use crate::deadline::Deadline;
use crate::engine::{
    Engine, EngineError, EngineStatus, SearchRequest, SearchResults, StoredDocument,
};
use crate::index::language::Language;
use crate::index::walk::WalkOptions;
use crate::index::{IndexError, IndexObserver, IndexOptions, IndexStats, Root};
use crate::query::DefaultOperator;

/// An index of an OpenSearch cluster, as `--engine URL` names it.
pub struct OpenSearchEngine {
    /// The cluster URL, without credentials.
    cluster: String,
    client: Client,
    /// The language the index stems in, read from its mapping (which also proves the index
    /// is this Lantern's) at the first search: an index's analysis never changes in place.
    language: OnceLock<Language>,
}

impl OpenSearchEngine {
    /// The engine `target` names; nothing is sent to the cluster yet.
    pub fn new(target: &Target) -> Result<OpenSearchEngine, OpenSearchError> {
        Ok(OpenSearchEngine {
            cluster: target.cluster.clone(),
            client: Client::new(target)?,
            language: OnceLock::new(),
        })
    }

    /// The index's language, read once from its checked mapping.
    fn language(&self) -> Result<Language, OpenSearchError> {
        if let Some(language) = self.language.get() {
            return Ok(*language);
        }
        let language = index_language(&self.client)?;
        Ok(*self.language.get_or_init(|| language))
    }
}

impl Engine for OpenSearchEngine {
    fn describe(&self) -> String {
        format!(
            "the OpenSearch index {}/{}",
            self.cluster,
            self.client.index()
        )
    }

    fn folder(&self) -> Option<&Path> {
        None
    }

    fn sync(
        &self,
        dirs: &[PathBuf],
        options: &IndexOptions,
        observer: &dyn IndexObserver,
    ) -> Result<IndexStats, EngineError> {
        Ok(sync_roots(&self.client, dirs, options, observer)?)
    }

    fn forget(&self, dirs: &[PathBuf]) -> Result<u64, EngineError> {
        Ok(forget_remote_roots(&self.client, dirs)?)
    }

    /// The engine keeps no walk rules per root: each root is walked with `rules`.
    fn writable_roots(
        &self,
        dirs: &[PathBuf],
        rules: &WalkOptions,
    ) -> Result<Vec<Root>, EngineError> {
        let paths = if dirs.is_empty() {
            self.language()?;
            let roots = engine_roots(&self.client)?;
            if roots.is_empty() {
                return Err(IndexError::NoRoots.into());
            }
            roots
        } else {
            dirs.iter()
                .map(|dir| canonical_root(dir))
                .collect::<Result<_, _>>()?
        };
        Ok(paths
            .into_iter()
            .map(|path| Root {
                path,
                rules: rules.clone(),
            })
            .collect())
    }

    /// The engine makes writes visible itself (each sync ends with a `_refresh`); this checks
    /// that the index is there and this Lantern's, once.
    fn refresh(&self) -> Result<(), EngineError> {
        self.language()?;
        Ok(())
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        remote_search(&self.client, self.language()?, request)
    }

    fn document(
        &self,
        key: &str,
        query: Option<(&str, DefaultOperator)>,
        max_bytes: usize,
        deadline: &Arc<Deadline>,
    ) -> Result<Option<StoredDocument>, EngineError> {
        remote_document(
            &self.client,
            self.language()?,
            key,
            query,
            max_bytes,
            deadline,
        )
    }

    fn roots(&self) -> Result<Vec<String>, EngineError> {
        Ok(engine_roots(&self.client)?
            .iter()
            .map(|root| root.to_string_lossy().into_owned())
            .collect())
    }

    fn count(&self) -> Result<u64, EngineError> {
        let answer = self.client.json("POST", "/_count", &json!({}))?;
        Ok(answer["count"].as_u64().unwrap_or(0))
    }

    fn status(&self) -> Result<EngineStatus, EngineError> {
        Ok(EngineStatus::Remote(remote_status(
            &self.client,
            &self.cluster,
        )?))
    }
}
