//! Noticing that another process committed to the index: every tantivy commit replaces the
//! index's `meta.json` (written to a temporary file, then renamed over it), so a change of that
//! file's identity, size or modification time means there may be new segments to load.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// What identifies one version of `meta.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    /// The file's inode (0 off Unix): a rename puts a new one in place.
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

/// Watches one index's `meta.json` for changes, with one `stat` per check.
#[derive(Debug)]
pub(super) struct CommitWatch {
    meta: PathBuf,
    last: Mutex<Option<Stamp>>,
}

impl CommitWatch {
    /// Starts watching the index at `dir`, taking its current `meta.json` as seen.
    pub(super) fn new(dir: &Path) -> CommitWatch {
        let meta = dir.join("meta.json");
        CommitWatch {
            last: Mutex::new(stamp(&meta)),
            meta,
        }
    }

    /// True when `meta.json` changed since the last call (or since [`CommitWatch::new`]). A file
    /// that cannot be read counts as changed, so the reload that follows reports why.
    pub(super) fn changed(&self) -> bool {
        let now = stamp(&self.meta);
        // A poisoned lock only means another request panicked while holding it: the stamp in it
        // is still a stamp.
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = now.is_none() || *last != now;
        *last = now;
        changed
    }

    /// True when `meta.json` exists (the index folder was not deleted).
    pub(super) fn meta_exists(&self) -> bool {
        self.meta.is_file()
    }
}

/// The stamp of the file at `path`, `None` when it cannot be read.
fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        inode,
        len: metadata.len(),
        modified: metadata.modified().ok(),
    })
}
