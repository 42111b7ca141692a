//! The `status` tool: what the index holds.

use std::path::Path;

use rmcp::schemars::{self, JsonSchema};
use serde::Serialize;

use super::ToolError;
use crate::index::index_status;

/// What the `status` tool returns.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StatusOutput {
    /// The index folder.
    pub index: String,
    /// Documents in the whole index.
    pub documents: u64,
    /// Bytes the index takes on disk.
    pub size_bytes: u64,
    /// Segments the index is made of.
    pub segments: usize,
    /// The indexed folders, in path order.
    pub roots: Vec<RootOutput>,
}

/// One indexed folder.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RootOutput {
    /// The folder's absolute path.
    pub path: String,
    /// Documents under it.
    pub documents: u64,
    /// False while a `lantern index` run over it is under way or was interrupted.
    pub complete: bool,
    /// When the last complete run over it finished, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_indexed: Option<u64>,
}

/// The status of the index at `dir`.
pub(super) fn run(dir: &Path) -> Result<StatusOutput, ToolError> {
    let status = index_status(dir)?;
    Ok(StatusOutput {
        index: status.location.to_string_lossy().into_owned(),
        documents: status.documents,
        size_bytes: status.size_on_disk,
        segments: status.segments,
        roots: status
            .roots
            .into_iter()
            .map(|root| RootOutput {
                path: root.path.to_string_lossy().into_owned(),
                documents: root.documents,
                complete: root.record.complete,
                last_indexed: root.record.last_indexed,
            })
            .collect(),
    })
}
