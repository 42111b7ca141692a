//! What can go wrong talking to an OpenSearch cluster, each with what to do about it.

/// An OpenSearch engine error. Messages never quote credentials.
#[derive(Debug, thiserror::Error)]
pub enum OpenSearchError {
    /// `--engine` is not an `http(s)://HOST[:PORT]/INDEX` URL.
    #[error("--engine '{url}' is not usable: {reason} (expected http(s)://HOST:PORT/INDEX)")]
    BadUrl {
        /// The URL as given, without any user information.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A credentials file or CA file could not be read or holds nothing usable.
    #[error("cannot use {what} '{path}': {reason}")]
    BadFile {
        /// Which file it is (credentials, CA certificates).
        what: &'static str,
        /// Its path.
        path: String,
        /// Why not.
        reason: String,
    },
    /// The cluster did not answer.
    #[error("the OpenSearch cluster at {url} is unreachable ({reason}); is it running?")]
    Unreachable {
        /// The cluster URL.
        url: String,
        /// The transport error.
        reason: String,
    },
    /// The cluster refused the credentials.
    #[error("the OpenSearch cluster at {url} refused the credentials (HTTP {status}); set LANTERN_ENGINE_USER and LANTERN_ENGINE_PASSWORD, LANTERN_ENGINE_API_KEY, or LANTERN_ENGINE_CREDENTIALS")]
    Unauthorized {
        /// The cluster URL.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// The index does not exist.
    #[error("the OpenSearch index '{index}' does not exist; create it with `lantern --engine URL index DIR`")]
    MissingIndex {
        /// The index name.
        index: String,
    },
    /// The index was made by another Lantern (or is not Lantern's at all).
    #[error("the OpenSearch index '{index}' has mapping version {found}, this Lantern needs {expected}; rebuild it into a new index")]
    OldMapping {
        /// The index name.
        index: String,
        /// The version the index records (0: none, not Lantern's).
        found: u64,
        /// The version this Lantern writes.
        expected: u64,
    },
    /// The index's stemming language cannot be used as asked.
    #[error("cannot use the OpenSearch index '{index}': {reason}")]
    Language {
        /// The index name.
        index: String,
        /// Why not.
        reason: String,
    },
    /// The cluster answered with an error.
    #[error("OpenSearch refused {request} (HTTP {status}): {reason}")]
    Refused {
        /// The method and path.
        request: String,
        /// The HTTP status.
        status: u16,
        /// The engine's reason, from its error body.
        reason: String,
    },
    /// The answer was not the JSON expected.
    #[error("OpenSearch answered {request} with something unexpected: {reason}")]
    BadAnswer {
        /// The method and path.
        request: String,
        /// What was wrong.
        reason: String,
    },
    /// Some shards did not answer a search: its hits and totals would be partial, so the answer
    /// is refused rather than shown as if it were whole.
    #[error("OpenSearch answered {request} from only {answered} of {total} shards ({reason}): the cluster is degraded; see `lantern --engine URL status` and try again once the shards are back")]
    PartialAnswer {
        /// The method and path.
        request: String,
        /// Shards that answered.
        answered: u64,
        /// Shards asked.
        total: u64,
        /// The first failed shard's reason.
        reason: String,
    },
    /// Some documents of a `_bulk` request failed for good.
    #[error("OpenSearch refused {count} document(s), the first '{path}': {reason}")]
    Rejected {
        /// How many.
        count: usize,
        /// The first one's path.
        path: String,
        /// Why.
        reason: String,
    },
    /// Walking a root failed to start (a bad glob...).
    #[error(transparent)]
    Walk(#[from] crate::index::walk::WalkStartError),
    /// A root is not a folder that can be indexed.
    #[error("cannot index {path}: {reason}")]
    BadRoot {
        /// The folder.
        path: String,
        /// Why.
        reason: String,
    },
}
