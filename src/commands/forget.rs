//! `lantern forget DIR...`: drop roots from the index, e.g. folders that no longer exist.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use lantern::index::forget_roots;

use crate::cli::ForgetArgs;

/// Drops the roots `args` names from the index at `index_dir` and says how many documents went.
pub fn run(index_dir: &Path, args: &ForgetArgs) -> anyhow::Result<ExitCode> {
    lantern::watch::ensure_unwatched(index_dir)?;
    let removed = forget_roots(index_dir, &args.dirs)?;
    writeln!(
        io::stdout(),
        "forgot {} folder(s) and {removed} document(s)",
        args.dirs.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
