//! A running `lantern watch`, on the local index or another engine, and the lines it prints.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use super::{Dir, TestCommand};

/// How long a line the watcher should print may take before a test fails.
const LINE_DEADLINE: Duration = Duration::from_secs(60);

/// A running `lantern watch`, killed when dropped.
pub struct Watcher {
    child: Child,
    /// Lines the watcher printed (stdout and stderr).
    lines: Receiver<String>,
}

impl Watcher {
    /// Starts `lantern watch ARGS...` on `dir`'s index with a short commit delay and waits
    /// until it says it is watching, so that changes made afterwards are seen.
    pub fn start(dir: &Dir, args: &[&str]) -> Watcher {
        Watcher::start_command(dir.lantern(), args)
    }

    /// Starts `COMMAND watch ARGS...`, `command` a `lantern` command line with its engine
    /// chosen, as [`Watcher::start`] does.
    pub fn start_command(command: TestCommand, args: &[&str]) -> Watcher {
        let mut child = command
            .args(["watch", "--commit-delay", "100ms"])
            .args(args)
            .spawn_piped();
        let (sender, lines) = channel();
        for pipe in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        }
        let watcher = Watcher { child, lines };
        watcher.wait_for_line("watching");
        watcher
    }

    /// Waits until the watcher prints a line holding `text`; returns the line.
    pub fn wait_for_line(&self, text: &str) -> String {
        let started = Instant::now();
        let mut seen = Vec::new();
        while started.elapsed() < LINE_DEADLINE {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                if line.contains(text) {
                    return line;
                }
                seen.push(line);
            }
        }
        panic!(
            "the watcher never printed {text:?}; it printed:\n{}",
            seen.join("\n")
        );
    }

    /// The watcher's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the watcher ends: its exit status.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("wait for the watcher")
    }

    /// Kills the watcher at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
