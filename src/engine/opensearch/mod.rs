//! Lantern on an OpenSearch cluster: the REST subset shared by OpenSearch 2.x and
//! Elasticsearch 8 (index creation, `_bulk`, `_search` with `search_after`, `_count`,
//! `_delete_by_query`, `_cluster/health`), spoken over HTTP(S) by a blocking client.
//!
//! The engine holds the catalog (path, size, mtime, type, root as fields with doc values), so
//! any machine diffs a root against it ([`sync`]). Lantern extracts the text; the engine stores,
//! shards, replicates and scores.

mod bulk;
mod catalog;
mod client;
mod copies;
mod durability;
mod engine;
mod error;
mod facets;
mod mapping;
mod operations;
mod query;
mod search;
mod spelling;
mod status;
mod sync;
mod sync_state;
mod target;

pub use engine::OpenSearchEngine;
pub use error::OpenSearchError;
pub use mapping::MAPPING_VERSION;
pub use query::{lucene_regex, translate, Untranslatable};
pub use status::RemoteStatus;
pub use sync::SyncStats;
pub use target::{Credentials, Target};
