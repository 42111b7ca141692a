//! `lantern watch [DIR...]`: keep the index fresh until Ctrl-C, with one status line on a
//! terminal and plain lines otherwise.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::UNIX_EPOCH;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lantern::engine::{Engine, EngineError};
use lantern::index::walk::WalkOptions;
use lantern::index::{IndexObserver, IndexOptions, IndexWarning, Rebuild};
use lantern::watch::{utc_time, Degraded, PassReport, Watch, WatchObserver, WatchOptions};

use super::index::{default_threads, extract_options, printable};
use crate::cli::WatchArgs;

/// Watches the folders `args` names (or every root) and applies their changes to `engine`,
/// as `lantern index` would send them, until Ctrl-C or SIGTERM.
pub fn run(engine: &dyn Engine, args: &WatchArgs) -> anyhow::Result<ExitCode> {
    super::priority::lower_cpu_priority(args.priority.nice);
    let options = WatchOptions {
        index: IndexOptions {
            threads: args.threads.unwrap_or_else(default_threads),
            heap_bytes: usize::try_from(args.memory).unwrap_or(usize::MAX),
            max_file_size: args.max_file_size,
            commit_every_bytes: 1 << 30,
            rebuild: false,
            language: None,
            walk: WalkOptions::default(),
            extract: extract_options(&args.extract),
        },
        commit_delay: args.commit_delay,
        poll_interval: args.poll_interval,
        poll_only: args.poll,
    };
    let watch = Watch::new();
    let stopper = watch.stopper();
    let stopping = AtomicBool::new(false);
    // The first Ctrl-C (or SIGTERM) stops after the pass under way; a second one stops at once,
    // leaving the index at its last commit.
    ctrlc::set_handler(move || {
        if stopping.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        stopper.stop();
    })?;
    let observer = StatusObserver::new();
    watch.run(engine, &args.dirs, &options, &observer)?;
    observer.finish();
    Ok(ExitCode::SUCCESS)
}

/// Shows what the watch does: a status line that rewrites itself on a terminal, a line per
/// event otherwise; warnings and problems always as lines of their own.
struct StatusObserver {
    /// The status line, when stderr is a terminal.
    line: Option<ProgressBar>,
    /// What the status line starts with: "watching N roots".
    watching: std::sync::Mutex<String>,
}

impl StatusObserver {
    fn new() -> StatusObserver {
        let line = io::stderr().is_terminal().then(|| {
            let line = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            line.set_style(
                ProgressStyle::with_template("{msg}").expect("the status template is valid"),
            );
            line
        });
        StatusObserver {
            line,
            watching: std::sync::Mutex::new(String::new()),
        }
    }

    /// Shows `status`: on the status line, or as a line of its own.
    fn show(&self, status: String) {
        match &self.line {
            Some(line) => line.set_message(status),
            None => {
                let _ = writeln!(io::stderr(), "lantern: {status}");
            }
        }
    }

    /// Prints `message` as a line of its own, above the status line if there is one.
    fn say(&self, message: &str) {
        let print = || {
            let _ = writeln!(io::stderr(), "lantern: {}", printable(message));
        };
        match &self.line {
            Some(line) => line.suspend(print),
            None => print(),
        }
    }

    /// Ends the status line, leaving it on screen.
    fn finish(&self) {
        if let Some(line) = &self.line {
            line.abandon();
        }
        let _ = writeln!(io::stderr(), "lantern: stopped watching");
    }
}

impl IndexObserver for StatusObserver {
    fn warning(&self, warning: IndexWarning) {
        self.say(&format!("warning: {warning}"));
    }

    fn rebuilding(&self, why: Rebuild) {
        self.say(&why.to_string());
    }
}

impl WatchObserver for StatusObserver {
    fn watching(&self, roots: &[PathBuf], documents: u64) {
        let plural = if roots.len() == 1 { "" } else { "s" };
        let names: Vec<String> = roots
            .iter()
            .map(|root| printable(&root.display().to_string()))
            .collect();
        let watching = format!(
            "watching {} root{plural} ({})",
            roots.len(),
            names.join(", ")
        );
        if let Ok(mut slot) = self.watching.lock() {
            slot.clone_from(&watching);
        }
        self.show(format!("{watching}; {documents} documents"));
    }

    fn applied(&self, pass: &PassReport) {
        let stats = &pass.stats;
        let at = pass
            .at
            .duration_since(UNIX_EPOCH)
            .map_or_else(|_| "?".to_string(), |since| utc_time(since.as_secs()));
        let watching = self
            .watching
            .lock()
            .map(|slot| slot.clone())
            .unwrap_or_default();
        let what = format!(
            "{} added, {} updated, {} removed",
            stats.added, stats.updated, stats.removed
        );
        match &self.line {
            Some(_) => self.show(format!(
                "{watching}; last change applied at {at} ({what}); {} documents",
                pass.documents
            )),
            None => self.show(format!(
                "applied {} change(s) at {at} in {:.2} s: {what}; {} documents",
                pass.changes,
                stats.elapsed.as_secs_f64(),
                pass.documents
            )),
        }
    }

    fn degraded(&self, problem: &Degraded) {
        self.say(&problem.to_string());
    }

    fn pass_failed(&self, root: &Path, err: &EngineError) {
        self.say(&format!(
            "could not apply the changes under {}: {err}; retrying at the next change",
            root.display()
        ));
    }

    fn root_gone(&self, root: &Path) {
        let root = root.display();
        self.say(&format!(
            "{root} was deleted: its documents stay in the index until it comes back, and \
             'lantern forget {root}' drops them; watching for it to come back"
        ));
    }

    fn root_returned(&self, root: &Path) {
        self.say(&format!(
            "{} exists again: watching it again",
            root.display()
        ));
    }
}
