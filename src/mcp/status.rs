//! The `status` tool: what the index holds, as the status renderer reports it.

use super::ToolError;
use crate::engine::Engine;
use crate::render::StatusView;
use crate::watch::live_watcher;

/// The status of `engine`, as `lantern status --format json` prints it on the same engine.
pub(super) fn run(engine: &dyn Engine) -> Result<StatusView, ToolError> {
    let status = engine.status().map_err(ToolError::Search)?;
    let watcher = engine.folder().and_then(live_watcher);
    Ok(StatusView::new(&status, watcher.as_ref()))
}
