//! The `status` tool: what the index holds, as the status renderer reports it.

use std::path::Path;

use super::ToolError;
use crate::index::index_status;
use crate::render::StatusReport;
use crate::watch::live_watcher;

/// The status of the index at `dir`.
pub(super) fn run(dir: &Path) -> Result<StatusReport, ToolError> {
    let status = index_status(dir)?;
    Ok(StatusReport::new(&status, live_watcher(dir).as_ref()))
}
