//! `lantern forget DIR...`: drop roots from the index, e.g. folders that no longer exist.

use std::io::{self, Write};
use std::process::ExitCode;

use lantern::engine::Engine;

use crate::cli::ForgetArgs;

/// Drops the roots `args` names from `engine` and says how many documents went.
pub fn run(engine: &dyn Engine, args: &ForgetArgs) -> anyhow::Result<ExitCode> {
    if let Some(folder) = engine.folder() {
        lantern::watch::ensure_unwatched(folder)?;
    }
    let removed = engine.forget(&args.dirs)?;
    writeln!(
        io::stdout(),
        "forgot {} folder(s) and {removed} document(s)",
        args.dirs.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
