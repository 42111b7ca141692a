//! `lantern status`: where the index is and what it holds.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lantern::index::index_status;
use lantern::watch::{live_watcher, utc_time};

/// Prints the index location, document count, size, roots and the watcher keeping it fresh.
pub fn run(index_dir: &Path) -> anyhow::Result<ExitCode> {
    let status = index_status(index_dir)?;
    let mut out = io::stdout().lock();
    writeln!(out, "index:     {}", status.location.display())?;
    let types: Vec<String> = status
        .types
        .iter()
        .map(|(kind, count)| format!("{count} {}", kind.name()))
        .collect();
    if types.is_empty() {
        writeln!(out, "documents: {}", status.documents)?;
    } else {
        writeln!(
            out,
            "documents: {} ({})",
            status.documents,
            types.join(", ")
        )?;
    }
    writeln!(
        out,
        "size:      {:.1} MB in {} segment(s)",
        status.size_on_disk as f64 / 1e6,
        status.segments
    )?;
    if let Some(watcher) = live_watcher(index_dir) {
        let applied = match watcher.last_applied_at {
            Some(secs) => format!("last change applied at {}", utc_time(secs)),
            None => "no change applied yet".to_string(),
        };
        writeln!(
            out,
            "watcher:   running (pid {}) since {}, {applied}; {} change(s) pending",
            watcher.pid,
            utc_time(watcher.started_at),
            watcher.pending_changes
        )?;
    }
    writeln!(out, "roots:")?;
    for root in &status.roots {
        let when = match (root.record.complete, root.record.last_indexed) {
            (false, _) => "interrupted: run 'lantern index' on it again".to_string(),
            (true, Some(secs)) => format!("last indexed {}", ago(secs)),
            (true, None) => "never completed".to_string(),
        };
        writeln!(
            out,
            "  {}  {} documents, {when}; {}",
            root.path.display(),
            root.documents,
            root.record.rules.describe()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How long ago a Unix time was, in words ("5 minutes ago").
fn ago(unix_secs: u64) -> String {
    let then = UNIX_EPOCH + Duration::from_secs(unix_secs);
    let secs = SystemTime::now()
        .duration_since(then)
        .unwrap_or_default()
        .as_secs();
    let (count, unit) = match secs {
        0..=59 => (secs, "second"),
        60..=3599 => (secs / 60, "minute"),
        3600..=86399 => (secs / 3600, "hour"),
        _ => (secs / 86400, "day"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}
