//! Keeping an index fresh while files change: `lantern watch`.
//!
//! The design is the simplest one that cannot lose a change: the OS's notifications (inotify on
//! Linux, through the `notify` crate) only say *which roots* changed; what changed is found by an
//! ordinary incremental run of [`index_roots`](crate::index::index_roots) over those roots, which
//! stats the tree, reads only new and changed files, deletes vanished ones and commits once. A
//! burst of changes (a checkout, an unpacked archive, an editor's atomic save) is collected until
//! the file system has been quiet for a moment, then applied in one pass, so 10,000 changes make
//! one or a few commits. An edited `.gitignore` is picked up by the same pass. When the OS cannot
//! deliver notifications, the affected roots are passed over periodically instead.

mod lease;
mod os;
mod run;

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::engine::EngineError;
use crate::index::{IndexObserver, IndexOptions, IndexStats};

pub use lease::{ensure_unwatched, live_watcher, utc_time, WatcherInfo, WATCHER_FILE};
pub use run::{Stopper, Watch};

/// Everything that can end a watch.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// Another watcher keeps the index fresh.
    #[error("a watcher (pid {pid}, since {since}) holds the index at {} and keeps it fresh; stop it first (Ctrl-C in its terminal, or 'kill {pid}')", .index.display())]
    Running {
        /// The index folder.
        index: PathBuf,
        /// The watcher's process id.
        pid: u32,
        /// When it started, as a UTC time.
        since: String,
    },
    /// The catch-up run, or reading the index, failed.
    #[error(transparent)]
    Engine(EngineError),
    /// The watcher file cannot be written.
    #[error("cannot write the watcher file {}: {source}", .path.display())]
    WatcherFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// How a watch behaves.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// How each pass indexes; its walk rules apply to folders the index does not hold yet.
    pub index: IndexOptions,
    /// A burst of changes is applied once the file system has been quiet this long.
    pub commit_delay: Duration,
    /// How often roots the OS cannot watch are passed over.
    pub poll_interval: Duration,
    /// Pass over every root every `poll_interval` instead of asking the OS for notifications.
    pub poll_only: bool,
}

/// Hears what a watch does. The library never prints; the command line shows these.
pub trait WatchObserver: IndexObserver {
    /// The catch-up pass is done and the roots are watched.
    fn watching(&self, roots: &[PathBuf], documents: u64);
    /// A batch of changes was applied and committed.
    fn applied(&self, pass: &PassReport);
    /// The OS cannot deliver notifications for some roots; said once per root and cause.
    fn degraded(&self, problem: &Degraded);
    /// A pass over `root` failed; the index keeps its last commit and the watch goes on.
    fn pass_failed(&self, root: &std::path::Path, err: &EngineError);
    /// `root` was deleted: its documents stay in the index, and the watch looks for it to
    /// come back.
    fn root_gone(&self, root: &std::path::Path);
    /// `root`, deleted, exists again: it is watched again and passed over.
    fn root_returned(&self, root: &std::path::Path);
}

/// What one pass over changed roots did.
#[derive(Clone, Debug)]
pub struct PassReport {
    /// The roots passed over.
    pub roots: Vec<PathBuf>,
    /// Changed paths the OS reported since the last pass (0 for a periodic pass).
    pub changes: usize,
    /// What the indexing runs did, added up.
    pub stats: IndexStats,
    /// Live documents in the index after the pass.
    pub documents: u64,
    /// When the pass ended.
    pub at: SystemTime,
}

/// Why some changes are found by periodic passes rather than notifications.
#[derive(Clone, Debug)]
pub enum Degraded {
    /// The per-user limit of inotify watches is reached: folders beyond it are not watched.
    WatchLimit {
        /// The root that could not be watched whole.
        root: PathBuf,
        /// How often it is passed over instead.
        every: Duration,
    },
    /// The OS dropped notifications (its queue overflowed): a full pass catches up.
    Overflow,
    /// Notifications cannot be had for a root (or any root, when `root` is `None`).
    Unavailable {
        /// The root concerned, if one.
        root: Option<PathBuf>,
        /// Why.
        reason: String,
        /// How often it is passed over instead.
        every: Duration,
    },
}

impl fmt::Display for Degraded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Degraded::WatchLimit { root, every } => write!(
                f,
                "the system's limit of inotify watches is reached, so changes under {} are not all \
                 reported; it is re-scanned every {} instead. To watch it, raise the limit: \
                 'sudo sysctl fs.inotify.max_user_watches=524288' (and put \
                 'fs.inotify.max_user_watches=524288' in /etc/sysctl.d/90-lantern.conf to keep it)",
                root.display(),
                seconds(*every)
            ),
            Degraded::Overflow => write!(
                f,
                "the system dropped change notifications (too many at once); re-scanning every root \
                 to catch up (raising fs.inotify.max_queued_events makes this rarer)"
            ),
            Degraded::Unavailable {
                root: Some(root),
                reason,
                every,
            } => write!(
                f,
                "cannot watch {} for changes ({reason}); it is re-scanned every {} instead",
                root.display(),
                seconds(*every)
            ),
            Degraded::Unavailable {
                root: None,
                reason,
                every,
            } => write!(
                f,
                "cannot watch for changes ({reason}); every root is re-scanned every {} instead",
                seconds(*every)
            ),
        }
    }
}

/// A duration in words for a message: "60 s", "1.5 s".
fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}
