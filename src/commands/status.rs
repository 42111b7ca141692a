//! `lantern status`: where the index is and what it holds, printed by the status renderer.

use std::io::{self, Write};
use std::process::ExitCode;

use lantern::engine::Engine;
use lantern::render::StatusView;
use lantern::watch::live_watcher;

use crate::cli::{StatusArgs, StatusFormat};

/// Prints what `engine` holds (documents, roots...) and, for the local index, its location,
/// size and the watcher keeping it fresh.
pub fn run(engine: &dyn Engine, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let status = engine.status()?;
    let watcher = engine.folder().and_then(live_watcher);
    let view = StatusView::new(&status, watcher.as_ref());
    let mut out = io::stdout().lock();
    match args.format {
        StatusFormat::Text => view.write_text(&mut out)?,
        StatusFormat::Json => view.write_json(&mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
