//! `lantern mcp`: serve the index to a coding agent over the Model Context Protocol on stdio.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use lantern::engine::Engine;

/// Serves `engine` until the client closes stdin. Stdout carries the protocol,
/// so the one line of news goes to stderr, which MCP clients keep as the server's log.
pub fn run(engine: Arc<dyn Engine>) -> anyhow::Result<ExitCode> {
    // The server waits on one connection; a single thread drives it, and the engine's work runs
    // on tokio's blocking pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the MCP server's runtime")?;
    writeln!(
        io::stderr(),
        "lantern mcp: serving {} on stdin/stdout",
        engine.describe()
    )?;
    let served = runtime.block_on(lantern::mcp::serve_stdio(engine));
    // A read of stdin may still be blocked on its thread (a server that stopped before its
    // input ended): dropping the runtime would wait for it forever.
    runtime.shutdown_background();
    served?;
    Ok(ExitCode::SUCCESS)
}
