//! `lantern index DIR...`: (re)index folders, with a progress bar on a terminal and a summary line.

use std::io::{self, Write};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lantern::engine::Engine;
use lantern::extract::{ExtractOptions, PdfExtractor};
use lantern::index::walk::WalkOptions;
use lantern::index::{IndexObserver, IndexOptions, IndexStats, IndexWarning, Rebuild};

use crate::cli::{ExtractArgs, IndexArgs, PdfExtractorArg};

/// Indexes the folders `args` names into `engine`.
pub fn run(engine: &dyn Engine, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    if let Some(folder) = engine.folder() {
        lantern::watch::ensure_unwatched(folder)?;
    }
    super::priority::lower_cpu_priority(args.priority.nice);
    let options = index_options(args);
    let observer = ProgressObserver::new();
    let stats = engine.sync(&args.dirs, &options, &observer)?;
    observer.bar.finish_and_clear();
    writeln!(io::stdout(), "{}", summary(&stats))?;
    Ok(ExitCode::SUCCESS)
}

/// The indexing options `args` ask for, whichever engine stores the documents.
fn index_options(args: &IndexArgs) -> IndexOptions {
    let threads = args.threads.unwrap_or_else(default_threads);
    IndexOptions {
        threads,
        heap_bytes: usize::try_from(args.memory).unwrap_or(usize::MAX),
        max_file_size: args.max_file_size,
        commit_every_bytes: args.commit_every.max(1),
        rebuild: args.rebuild,
        language: args.language,
        walk: WalkOptions {
            hidden: args.hidden,
            follow_links: args.follow,
            no_ignore: args.no_ignore,
            globs: args.globs.clone(),
            max_depth: args.max_depth,
        },
        extract: extract_options(&args.extract),
    }
}

/// The extraction options `args` ask for.
pub(super) fn extract_options(args: &ExtractArgs) -> ExtractOptions {
    ExtractOptions {
        timeout: (!args.extract_timeout.is_zero()).then_some(args.extract_timeout),
        pdf: match args.pdf_extractor {
            PdfExtractorArg::Builtin => PdfExtractor::Builtin,
            PdfExtractorArg::Pdftotext => PdfExtractor::Pdftotext,
        },
        ..ExtractOptions::default()
    }
}

/// Threads for reading (and as many for indexing) when not told: one per CPU.
pub(super) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// One line saying what the run did.
fn summary(stats: &IndexStats) -> String {
    let secs = stats.elapsed.as_secs_f64();
    let mb = stats.bytes as f64 / 1e6;
    let extracted = if stats.extracted.is_empty() {
        String::new()
    } else {
        let counts = stats.extracted.iter().map(|(kind, n)| (kind.name(), *n));
        format!("; extracted {}", listed(counts))
    };
    // Said only when it happened, like `extracted`.
    let members = if stats.containers == 0 && stats.members == 0 {
        String::new()
    } else {
        format!(
            "; {} members of {} archives",
            stats.members, stats.containers
        )
    };
    let truncated = if stats.truncated == 0 {
        String::new()
    } else {
        format!("; {} truncated", stats.truncated)
    };
    let failed: u64 = stats.failed.values().sum();
    let reasons = if failed == 0 {
        String::new()
    } else {
        format!(
            ": {}",
            listed(stats.failed.iter().map(|(reason, n)| (*reason, *n)))
        )
    };
    format!(
        "indexed {} files ({} added, {} updated, {} removed, {} unchanged){extracted}{members}; \
         skipped {} ({} binary, {} too large, {} unreadable, {failed} failed{reasons}); \
         {} with invalid UTF-8 replaced{truncated}; {mb:.1} MB in {secs:.2} s ({:.1} MB/s)",
        stats.added + stats.updated,
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        stats.skipped(),
        stats.binary,
        stats.too_large,
        stats.unreadable,
        stats.lossy,
        if secs > 0.0 { mb / secs } else { 0.0 },
    )
}

/// Counts as `3 pdf, 1 html`.
fn listed<'a>(counts: impl Iterator<Item = (&'a str, u64)>) -> String {
    counts
        .map(|(name, n)| format!("{n} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` safe for a terminal: control characters (a file name may hold escape sequences) are
/// written as escapes such as `\u{1b}`, never sent as they are.
pub(super) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Shows progress as a bar on stderr when it is a terminal, and every warning as one line.
struct ProgressObserver {
    bar: ProgressBar,
}

impl ProgressObserver {
    fn new() -> ProgressObserver {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} \
                 ({binary_bytes_per_sec}, ETA {eta}) {msg}",
            )
            .expect("the progress template is valid")
            .progress_chars("=> "),
        );
        ProgressObserver { bar }
    }
}

impl IndexObserver for ProgressObserver {
    fn found(&self, bytes: u64) {
        self.bar.inc_length(bytes);
    }

    fn file_done(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn warning(&self, warning: IndexWarning) {
        self.bar.suspend(|| {
            let _ = writeln!(
                io::stderr(),
                "lantern: warning: {}",
                printable(&warning.to_string())
            );
        });
    }

    fn rebuilding(&self, why: Rebuild) {
        self.bar.suspend(|| {
            let _ = writeln!(io::stderr(), "lantern: {why}");
        });
    }
}
