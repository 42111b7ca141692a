//! `lantern status`: where the index is and what it holds, printed by the status renderer.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use lantern::index::index_status;
use lantern::render::StatusReport;
use lantern::watch::live_watcher;

use crate::cli::{StatusArgs, StatusFormat};

/// Prints the index location, document count, size, roots and the watcher keeping it fresh.
pub fn run(index_dir: &Path, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let status = index_status(index_dir)?;
    let report = StatusReport::new(&status, live_watcher(index_dir).as_ref());
    let mut out = io::stdout().lock();
    match args.format {
        StatusFormat::Text => report.write_text(&mut out)?,
        StatusFormat::Json => report.write_json(&mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
