//! `lantern serve`: answer searches over HTTP until Ctrl-C or SIGTERM.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use lantern::engine::Engine;
use lantern::serve::{ServeOptions, Server};

use crate::cli::ServeArgs;

/// Serves `engine`. The first line on stdout is `listening on http://ADDR`,
/// with the port chosen when `--bind` asked for port 0, so scripts and tests can find it.
pub fn run(engine: Arc<dyn Engine>, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let options = ServeOptions {
            bind: args.bind,
            editor: args.editor.clone(),
        };
        let server = Server::bind(engine, options).await?;
        let local = server.local_addr();
        {
            let mut out = io::stdout().lock();
            writeln!(out, "listening on http://{local}")?;
            out.flush()?;
        }
        if !local.ip().is_loopback() {
            writeln!(
                io::stderr(),
                "lantern: warning: listening on {local}, which other machines may reach: \
                 anyone who can connect can read every indexed document"
            )?;
        }
        server.run(shutdown_signal()).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        // Without a handler, waiting for Ctrl-C is all that is left.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
