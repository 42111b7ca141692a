//! The `lantern` binary: parse the command line, run the command, report the error once and choose
//! the exit code (0 success, 1 failure or, for `search`, nothing found, 2 bad usage or a
//! malformed query).

mod cli;
mod commands;
mod pager;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is reported once, by whoever catches it: the library turns the engine's panics on
    // damaged files into errors, and one that escapes is reported below. No backtraces.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = cli::Cli::parse();
    match std::panic::catch_unwind(|| commands::run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let _ = writeln!(io::stderr(), "lantern: {}", describe(&err));
            ExitCode::FAILURE
        }
        Err(panic) => {
            let message = lantern::panic::panic_message(panic.as_ref());
            let _ = writeln!(
                io::stderr(),
                "lantern: internal error: {message}; please report it"
            );
            ExitCode::from(101)
        }
    }
}

/// The error and its causes on one line, each cause once: a message that already quotes its
/// cause is not followed by it again.
fn describe(err: &anyhow::Error) -> String {
    let mut message = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// `lantern search x | head` closes the pipe early: that is not an error worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
