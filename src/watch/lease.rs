//! The watcher file: `watcher.json` next to the index says which process keeps the index fresh,
//! since when and when it last applied a change, so that `lantern index` can refuse to compete
//! with it and `lantern status` can show it. A file whose process is gone is stale and ignored.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::WatchError;

/// The name of the watcher file inside the index folder.
pub const WATCHER_FILE: &str = "watcher.json";

/// What a running watcher says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatcherInfo {
    /// The watcher's process id.
    pub pid: u32,
    /// When it started, in seconds since the Unix epoch.
    pub started_at: u64,
    /// When it last committed a batch of changes, if it did.
    pub last_applied_at: Option<u64>,
    /// Changed paths seen and not yet applied.
    pub pending_changes: usize,
    /// The roots it watches.
    pub roots: Vec<PathBuf>,
}

/// The watcher of the index at `index_dir`, if one is running: a watcher file whose process is
/// gone (killed, or the machine restarted) does not count.
pub fn live_watcher(index_dir: &Path) -> Option<WatcherInfo> {
    let text = std::fs::read_to_string(index_dir.join(WATCHER_FILE)).ok()?;
    let info: WatcherInfo = serde_json::from_str(&text).ok()?;
    (info.pid != std::process::id() && process_is_watcher(info.pid)).then_some(info)
}

/// Fails with [`WatchError::Running`] when a watcher keeps the index at `index_dir` fresh: a
/// second writer would only compete with it.
pub fn ensure_unwatched(index_dir: &Path) -> Result<(), WatchError> {
    match live_watcher(index_dir) {
        Some(info) => Err(WatchError::Running {
            index: index_dir.to_path_buf(),
            pid: info.pid,
            since: utc_time(info.started_at),
        }),
        None => Ok(()),
    }
}

/// This process's claim on an index, kept up to date in the watcher file and removed when dropped.
#[derive(Debug)]
pub(super) struct Lease {
    /// The watcher file; `None` for an engine with no folder on this machine (OpenSearch),
    /// where no file is written: watchers of one remote index on several machines cannot see
    /// each other's files anyway, and the engine's external versions keep them from undoing
    /// each other's writes.
    path: Option<PathBuf>,
    info: WatcherInfo,
}

impl Lease {
    /// Claims the index in `folder` (which must exist) for this process, unless another
    /// watcher holds it.
    pub(super) fn acquire(folder: Option<&Path>, roots: Vec<PathBuf>) -> Result<Lease, WatchError> {
        if let Some(folder) = folder {
            ensure_unwatched(folder)?;
        }
        let lease = Lease {
            path: folder.map(|folder| folder.join(WATCHER_FILE)),
            info: WatcherInfo {
                pid: std::process::id(),
                started_at: unix_now(),
                last_applied_at: None,
                pending_changes: 0,
                roots,
            },
        };
        lease.write()?;
        Ok(lease)
    }

    /// Records how many changes wait to be applied.
    pub(super) fn pending(&mut self, changes: usize) -> Result<(), WatchError> {
        self.info.pending_changes = changes;
        self.write()
    }

    /// Records that every pending change was applied just now.
    pub(super) fn applied(&mut self) -> Result<(), WatchError> {
        self.info.pending_changes = 0;
        self.info.last_applied_at = Some(unix_now());
        self.write()
    }

    /// Writes the file whole or not at all: a reader never sees half of it.
    fn write(&self) -> Result<(), WatchError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let failed = |source: io::Error| WatchError::WatcherFile {
            path: path.clone(),
            source,
        };
        let text = serde_json::to_string_pretty(&self.info).map_err(io::Error::other);
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, text.map_err(failed)?).map_err(failed)?;
        std::fs::rename(&temporary, path).map_err(failed)
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// True when process `pid` is alive and is a `lantern` (so that a pid reused by another program
/// after a crash does not look like a watcher). A zombie, killed and not yet reaped, is dead.
#[cfg(target_os = "linux")]
fn process_is_watcher(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the command name, which is in parentheses and may hold spaces.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    if matches!(state, Some("Z" | "X")) {
        return false;
    }
    std::fs::read(format!("/proc/{pid}/cmdline")).map_or(true, |cmdline| {
        String::from_utf8_lossy(&cmdline).contains("lantern")
    })
}

/// True when process `pid` is alive.
#[cfg(all(unix, not(target_os = "linux")))]
fn process_is_watcher(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    unsafe { libc::kill(pid, 0) == 0 }
    || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Elsewhere a watcher file is trusted as it is.
#[cfg(not(unix))]
fn process_is_watcher(_pid: u32) -> bool {
    true
}

/// Now, in seconds since the Unix epoch.
pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// A Unix time as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc_time(unix_secs: u64) -> String {
    let days = i64::try_from(unix_secs / 86_400).unwrap_or(i64::MAX / 2);
    let secs = unix_secs % 86_400;
    let (year, month, day) = crate::calendar::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_print_as_utc_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_time(1_764_475_845), "2025-11-30 04:10:45 UTC");
    }

    #[test]
    fn a_file_of_a_dead_process_is_stale() {
        let dir = tempfile::tempdir().expect("temp dir");
        let info = WatcherInfo {
            pid: u32::MAX - 1,
            started_at: 0,
            last_applied_at: None,
            pending_changes: 0,
            roots: Vec::new(),
        };
        let text = serde_json::to_string(&info).expect("serializes");
        std::fs::write(dir.path().join(WATCHER_FILE), text).expect("write");
        assert_eq!(live_watcher(dir.path()), None);
        assert!(ensure_unwatched(dir.path()).is_ok());
    }
}
