//! One module per subcommand; each turns parsed arguments into library calls and prints the outcome.

mod completions;
mod forget;
mod index;
mod man;
mod mcp;
mod priority;
mod search;
mod serve;
mod status;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use lantern::engine::opensearch::{OpenSearchEngine, Target};
use lantern::engine::Engine;
use lantern::search::LocalEngine;

use crate::cli::{Cli, Command};

/// Runs the command `cli` names, on the engine it names.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let engine = || open_engine(cli.engine.as_deref(), cli.index.clone());
    match cli.command {
        Command::Index(args) => index::run(&*engine()?, &args),
        Command::Search(args) => search::run(&*engine()?, &args),
        Command::Status(args) => status::run(&*engine()?, &args),
        Command::Forget(args) => forget::run(&*engine()?, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man => man::run(),
        Command::Serve(args) => serve::run(engine()?, &args),
        Command::Mcp => mcp::run(engine()?),
        Command::Watch(args) => watch::run(&*engine()?, &args),
    }
}

/// The engine the command runs on, chosen once here: the OpenSearch index `url` names
/// (credentials from the environment, never from the URL), or without one the local index at
/// `index` (the platform's data folder when not given).
fn open_engine(url: Option<&str>, index: Option<PathBuf>) -> anyhow::Result<Arc<dyn Engine>> {
    Ok(match url.filter(|url| !url.is_empty()) {
        Some(url) => Arc::new(OpenSearchEngine::new(&Target::from_env(url)?)?),
        None => {
            let dir = index.unwrap_or_else(lantern::index::default_index_dir);
            Arc::new(LocalEngine::new(absolute(dir)))
        }
    })
}

/// Makes `path` absolute against the current folder, so messages show where things really are.
fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
