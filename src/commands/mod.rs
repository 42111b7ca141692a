//! One module per subcommand; each turns parsed arguments into library calls and prints the outcome.

mod completions;
mod forget;
mod index;
mod man;
mod mcp;
mod priority;
mod remote;
mod search;
mod serve;
mod status;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use lantern::engine::EngineChoice;

use crate::cli::{Cli, Command};

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let EngineChoice::OpenSearch(target) = EngineChoice::from_url(cli.engine.as_deref())? {
        return remote::run(&target, &cli.command);
    }
    let index_dir = cli.index.unwrap_or_else(lantern::index::default_index_dir);
    let index_dir = absolute(index_dir);
    match cli.command {
        Command::Index(args) => index::run(&index_dir, &args),
        Command::Search(args) => search::run(&index_dir, &args),
        Command::Status(args) => status::run(&index_dir, &args),
        Command::Forget(args) => forget::run(&index_dir, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man => man::run(),
        Command::Serve(args) => serve::run(&index_dir, &args),
        Command::Mcp => mcp::run(&index_dir),
        Command::Watch(args) => watch::run(&index_dir, &args),
    }
}

/// Makes `path` absolute against the current folder, so messages show where things really are.
fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
