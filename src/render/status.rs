//! The status of an index as every front end shows it: one [`StatusReport`] value, printed as
//! text by `lantern status`, and serialized as JSON, with the same field names, by
//! `lantern status --format json`, `lantern serve`'s `/api/status` and the MCP `status` tool.

use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rmcp::schemars::{self, JsonSchema};
use serde::Serialize;

use crate::engine::opensearch::RemoteStatus;
use crate::engine::EngineStatus;
use crate::index::IndexStatus;
use crate::watch::{utc_time, WatcherInfo};

/// What an index holds and who keeps it fresh.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct StatusReport {
    /// The index folder.
    pub index: String,
    /// Documents in the whole index.
    pub documents: u64,
    /// Documents of each type the index holds (`text`, `pdf`, `html`...), in a fixed order.
    pub types: Vec<TypeCount>,
    /// Archives (zip, tar, compressed tar) whose members are documents of their own.
    pub archives: u64,
    /// Documents that are members of archives (counted in `documents` too).
    pub members: u64,
    /// Bytes the index takes on disk.
    pub size_bytes: u64,
    /// Segments the index is made of.
    pub segments: usize,
    /// The language words are stemmed in (`english`, `french`...), or `none`.
    pub language: String,
    /// The `lantern watch` process keeping the index fresh, when one runs.
    pub watcher: Option<WatcherReport>,
    /// The indexed folders, in path order.
    pub roots: Vec<RootReport>,
}

/// How many documents of one type the index holds.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct TypeCount {
    /// The type, as `type:` matches it.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Its documents.
    pub documents: u64,
}

/// The watcher keeping an index fresh.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct WatcherReport {
    /// Its process id.
    pub pid: u32,
    /// When it started, in seconds since the Unix epoch.
    pub started_at: u64,
    /// When it last applied a batch of changes, if it did.
    pub last_applied_at: Option<u64>,
    /// Changed paths seen and not yet applied.
    pub pending_changes: usize,
}

/// One indexed folder.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RootReport {
    /// The folder's absolute path.
    pub path: String,
    /// Documents under it.
    pub documents: u64,
    /// False while a `lantern index` run over it is under way or was interrupted.
    pub complete: bool,
    /// When the last complete run over it finished, in seconds since the Unix epoch.
    pub last_indexed: Option<u64>,
    /// The walk rules remembered for it, in a few words.
    pub rules: String,
}

impl RootReport {
    /// How fresh the folder's documents are, in words: "last indexed 5 minutes ago", or why
    /// that cannot be said.
    pub fn freshness(&self) -> String {
        match (self.complete, self.last_indexed) {
            (false, _) => "interrupted: run 'lantern index' on it again".to_string(),
            (true, Some(secs)) => format!("last indexed {}", ago(secs)),
            (true, None) => "never completed".to_string(),
        }
    }
}

impl StatusReport {
    /// The report of `status`, with the watcher that keeps it fresh, if any.
    pub fn new(status: &IndexStatus, watcher: Option<&WatcherInfo>) -> StatusReport {
        let (archives, members) = status.archives_and_members();
        StatusReport {
            archives,
            members,
            index: status.location.to_string_lossy().into_owned(),
            documents: status.documents,
            types: status
                .types
                .iter()
                .map(|(doc_type, documents)| TypeCount {
                    doc_type: doc_type.name().to_string(),
                    documents: *documents,
                })
                .collect(),
            size_bytes: status.size_on_disk,
            segments: status.segments,
            language: status.language.name().to_string(),
            watcher: watcher.map(|watcher| WatcherReport {
                pid: watcher.pid,
                started_at: watcher.started_at,
                last_applied_at: watcher.last_applied_at,
                pending_changes: watcher.pending_changes,
            }),
            roots: status
                .roots
                .iter()
                .map(|root| RootReport {
                    path: root.path.to_string_lossy().into_owned(),
                    documents: root.documents,
                    complete: root.record.complete,
                    last_indexed: root.record.last_indexed,
                    rules: root.record.rules.describe(),
                })
                .collect(),
        }
    }

    /// Writes the report as `lantern status` shows it: the index, its documents by type, its
    /// size, the watcher and one line per root.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "index:     {}", self.index)?;
        let types: Vec<String> = self
            .types
            .iter()
            .map(|count| format!("{} {}", count.documents, count.doc_type))
            .collect();
        if types.is_empty() {
            writeln!(out, "documents: {}", self.documents)?;
        } else {
            writeln!(out, "documents: {} ({})", self.documents, types.join(", "))?;
        }
        if self.archives > 0 {
            writeln!(
                out,
                "archives:  {} holding {} member documents",
                self.archives, self.members
            )?;
        }
        writeln!(
            out,
            "size:      {:.1} MB in {} segment(s)",
            self.size_bytes as f64 / 1e6,
            self.segments
        )?;
        writeln!(out, "language:  {}", self.language)?;
        if let Some(watcher) = &self.watcher {
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
        for root in &self.roots {
            writeln!(
                out,
                "  {}  {} documents, {}; {}",
                root.path,
                root.documents,
                root.freshness(),
                root.rules
            )?;
        }
        Ok(())
    }

    /// Writes the report as pretty JSON, one document.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

/// The status of whichever engine a command runs on, as every front end shows it: the local
/// index's [`StatusReport`], or an OpenSearch index's own facts (its cluster's health and
/// nodes), each serialized with its own field names.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum StatusView {
    /// The local index.
    Local(StatusReport),
    /// An index of an OpenSearch cluster.
    Remote(RemoteStatus),
}

impl StatusView {
    /// The view of `status`, with the watcher keeping a local index fresh, if any.
    pub fn new(status: &EngineStatus, watcher: Option<&WatcherInfo>) -> StatusView {
        match status {
            EngineStatus::Local(status) => StatusView::Local(StatusReport::new(status, watcher)),
            EngineStatus::Remote(status) => StatusView::Remote(status.clone()),
        }
    }

    /// Writes the status as `lantern status` shows it.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            StatusView::Local(report) => report.write_text(out),
            StatusView::Remote(status) => write_remote_text(status, out),
        }
    }

    /// Writes the status as pretty JSON, one document.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

/// One indexed folder as the search page's start lists it.
#[derive(Clone, Debug)]
pub struct RootLine {
    /// The folder's absolute path.
    pub path: String,
    /// Documents under it.
    pub documents: u64,
    /// How fresh its documents are, in words.
    pub freshness: String,
}

impl StatusView {
    /// Documents in the whole index.
    pub fn documents(&self) -> u64 {
        match self {
            StatusView::Local(report) => report.documents,
            StatusView::Remote(status) => status.documents,
        }
    }

    /// Documents of each type.
    pub fn type_counts(&self) -> Vec<TypeCount> {
        match self {
            StatusView::Local(report) => report.types.clone(),
            StatusView::Remote(status) => status
                .types
                .iter()
                .map(|(doc_type, documents)| TypeCount {
                    doc_type: doc_type.clone(),
                    documents: *documents,
                })
                .collect(),
        }
    }

    /// The indexed folders, in path order. The engine records no time of a folder's last
    /// sync: an OpenSearch root's freshness is the cluster's health.
    pub fn root_lines(&self) -> Vec<RootLine> {
        match self {
            StatusView::Local(report) => report
                .roots
                .iter()
                .map(|root| RootLine {
                    path: root.path.clone(),
                    documents: root.documents,
                    freshness: root.freshness(),
                })
                .collect(),
            StatusView::Remote(status) => status
                .roots
                .iter()
                .map(|(path, documents)| RootLine {
                    path: path.clone(),
                    documents: *documents,
                    freshness: format!("on OpenSearch (cluster health {})", status.health),
                })
                .collect(),
        }
    }
}

/// Writes an OpenSearch index's status as `lantern --engine URL status` shows it: a degraded
/// cluster is named, with what it means for searches.
fn write_remote_text(status: &RemoteStatus, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "engine:    OpenSearch {}", status.cluster)?;
    writeln!(out, "index:     {}", status.index)?;
    let health = match status.health.as_str() {
        "yellow" => "yellow (degraded: a replica is missing; every document still answers)",
        "red" => "red (degraded: a primary shard is missing; searches miss documents)",
        other => other,
    };
    writeln!(out, "health:    {health}, {} node(s)", status.nodes)?;
    writeln!(out, "language:  {}", status.language)?;
    writeln!(out, "documents: {}", status.documents)?;
    for (kind, count) in &status.types {
        writeln!(out, "  {kind}: {count}")?;
    }
    writeln!(out, "roots:")?;
    for (root, count) in &status.roots {
        // A folder's name may hold control characters: shown escaped, never sent as they are.
        let root: String = root.chars().flat_map(char::escape_debug).collect();
        writeln!(out, "  {root} ({count} documents)")?;
    }
    Ok(())
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
