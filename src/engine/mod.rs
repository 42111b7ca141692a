//! Where documents are stored and searched. The local tantivy index (`src/index/`,
//! `src/search/`) is the default; `--engine URL` (or `LANTERN_ENGINE`) names a remote OpenSearch
//! (or Elasticsearch 8) index instead, and every OpenSearch call lives under [`opensearch`].
//! Walking, ignore rules, extraction and the per-path diff stay Lantern's and are shared.

pub mod opensearch;

/// The engine a command runs on.
#[derive(Debug)]
pub enum EngineChoice {
    /// The local tantivy index in a folder (the default).
    Local,
    /// An index of an OpenSearch cluster.
    OpenSearch(opensearch::Target),
}

impl EngineChoice {
    /// The engine `url` names (`None`: the local one). Credentials come from the environment,
    /// never from the URL: see [`opensearch::Target::parse`].
    pub fn from_url(url: Option<&str>) -> Result<EngineChoice, opensearch::OpenSearchError> {
        match url.filter(|url| !url.is_empty()) {
            None => Ok(EngineChoice::Local),
            Some(url) => Ok(EngineChoice::OpenSearch(opensearch::Target::from_env(url)?)),
        }
    }
}
