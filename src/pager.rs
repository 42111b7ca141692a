//! Results through a pager, as `git log` does: when the text output goes to a terminal, it is
//! piped into `$LANTERN_PAGER` (else `$PAGER`, else `less`), with `LESS=FRX` unless `LESS` is
//! set: `F` quits at once when everything fits on one screen, `R` shows colours and links, `X`
//! leaves the results on the screen. Never in a pipe, never with `--no-pager`; an empty
//! `LANTERN_PAGER` (or `cat`) turns it off too.

use std::io::{self, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The pager used when neither `LANTERN_PAGER` nor `PAGER` names one.
const DEFAULT_PAGER: &str = "less";

/// A running pager and the pipe to it.
pub struct Pager {
    child: Child,
    input: ChildStdin,
}

impl Pager {
    /// Starts the pager, when the output is a terminal and one is configured; `None` otherwise,
    /// or when it cannot be started (the results then go straight to the terminal).
    pub fn start(enabled: bool) -> Option<Pager> {
        if !enabled || !io::stdout().is_terminal() {
            return None;
        }
        let command = std::env::var("LANTERN_PAGER")
            .or_else(|_| std::env::var("PAGER"))
            .unwrap_or_else(|_| DEFAULT_PAGER.to_string());
        let command = command.trim();
        if command.is_empty() || command == "cat" {
            return None;
        }
        let mut shell = Command::new("sh");
        shell.arg("-c").arg(command).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            shell.env("LESS", "FRX");
        }
        let mut child = shell.spawn().ok()?;
        let input = child.stdin.take()?;
        Some(Pager { child, input })
    }

    /// Shows `output` in the pager and waits for the reader to quit it. A reader who quits
    /// before the end closes the pipe: not an error.
    pub fn show(self, output: &[u8]) -> io::Result<()> {
        let Pager {
            mut child,
            mut input,
        } = self;
        match input.write_all(output) {
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => return Err(err),
            _ => drop(input),
        }
        child.wait().map(drop)
    }
}
