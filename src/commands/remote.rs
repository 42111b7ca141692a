//! The commands on an OpenSearch index (`--engine URL`): `index` syncs folders into it,
//! `search` runs queries on it, `status` and `forget` read and trim it. The others are refused with a clear message until
//! they are built on the engine (see README, "Lantern on OpenSearch").

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use lantern::engine::opensearch::{
    forget_remote_roots, remote_search, remote_status, sync_roots, Client, RemoteSearchError,
    Target,
};

use super::index::{index_options, summary, ProgressObserver};
use crate::cli::{Command, StatusFormat};

/// Runs `command` on the OpenSearch index `target` names.
pub fn run(target: &Target, command: &Command) -> anyhow::Result<ExitCode> {
    let client = Client::new(target)?;
    match command {
        Command::Index(args) => {
            super::priority::lower_cpu_priority(args.priority.nice);
            let observer = ProgressObserver::new();
            let stats = sync_roots(&client, &args.dirs, &index_options(args), &observer)?;
            observer.bar.finish_and_clear();
            writeln!(io::stdout(), "{}", summary(&stats))?;
        }
        Command::Status(args) => {
            let status = remote_status(&client, &target.cluster)?;
            let mut out = io::stdout().lock();
            match args.format {
                StatusFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&status)?)?,
                StatusFormat::Text => {
                    writeln!(out, "engine:    OpenSearch {}", status.cluster)?;
                    writeln!(out, "index:     {}", status.index)?;
                    let health = match status.health.as_str() {
                        "green" => "green".to_string(),
                        "yellow" => {
                            "yellow (degraded: a replica is missing; every document still answers)"
                                .to_string()
                        }
                        "red" => {
                            "red (degraded: a primary shard is missing; searches miss documents)"
                                .to_string()
                        }
                        other => other.to_string(),
                    };
                    writeln!(out, "health:    {health}, {} node(s)", status.nodes)?;
                    writeln!(out, "language:  {}", status.language)?;
                    writeln!(out, "documents: {}", status.documents)?;
                    for (kind, count) in &status.types {
                        writeln!(out, "  {kind}: {count}")?;
                    }
                    writeln!(out, "roots:")?;
                    for (root, count) in &status.roots {
                        writeln!(
                            out,
                            "  {} ({count} documents)",
                            super::index::printable(root)
                        )?;
                    }
                }
            }
            out.flush()?;
        }
        Command::Forget(args) => {
            let removed = forget_remote_roots(&client, &args.dirs)?;
            writeln!(
                io::stdout(),
                "forgot {} folder(s) and {removed} document(s)",
                args.dirs.len()
            )?;
        }
        Command::Completions(args) => return super::completions::run(args),
        Command::Man => return super::man::run(),
        Command::Search(args) => {
            let outcome = match remote_search(&client, &super::search::request(args)) {
                Ok(results) => Ok(results),
                Err(RemoteSearchError::Query(err)) => Err(err),
                Err(other) => return Err(other.into()),
            };
            return super::search::print(args, outcome);
        }
        Command::Serve(_) => return not_yet("serve"),
        Command::Mcp => return not_yet("mcp"),
        Command::Watch(_) => return not_yet("watch"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a command that does not run on OpenSearch yet, saying what does.
fn not_yet(command: &str) -> anyhow::Result<ExitCode> {
    bail!(
        "`lantern {command}` does not run on an OpenSearch engine yet: only index, search, \
         status and forget do; drop --engine (and LANTERN_ENGINE) to use the local index"
    )
}
