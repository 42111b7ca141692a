//! What the OS's file notifications mean for a watch: which events are changes, which
//! folder a root is, which file systems cannot report every change, and what a watching error
//! costs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::EventKind;

use super::Degraded;

/// True for the kinds of event that may change what the index holds. Reading a file (as a pass
/// does) is not one, or every pass would trigger the next.
pub(super) fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(
            AccessKind::Any
            | AccessKind::Read
            | AccessKind::Open(_)
            | AccessKind::Close(_)
            | AccessKind::Other,
        ) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

/// Which folder a path is (device and inode): a folder deleted and created again under the
/// same path is another.
pub(super) type FolderId = (u64, u64);

/// The folder at `path`, if it exists.
#[cfg(unix)]
pub(super) fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .ok()
        .map(|metadata| (metadata.dev(), metadata.ino()))
}

/// Elsewhere a folder is known by its path alone.
#[cfg(not(unix))]
pub(super) fn folder_id(_path: &Path) -> Option<FolderId> {
    None
}

/// What an error of the OS's watching means for `root`.
pub(super) fn degraded_by(err: &notify::Error, root: PathBuf, every: Duration) -> Degraded {
    match &err.kind {
        notify::ErrorKind::MaxFilesWatch => Degraded::WatchLimit { root, every },
        notify::ErrorKind::Generic(_)
        | notify::ErrorKind::Io(_)
        | notify::ErrorKind::PathNotFound
        | notify::ErrorKind::WatchNotFound
        | notify::ErrorKind::InvalidConfig(_) => Degraded::Unavailable {
            root: Some(root),
            reason: err.to_string(),
            every,
        },
    }
}

/// Why the OS cannot report every change under `root`, if it cannot: on a network or FUSE file
/// system, changes made by other machines (or behind FUSE's back) never reach inotify.
#[cfg(target_os = "linux")]
pub(super) fn unwatchable_file_system(root: &Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(root.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a valid C string and `stats` a valid, writable statfs.
    if unsafe { libc::statfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // Magic numbers from statfs(2).
    let name = match stats.f_type as u64 {
        0x6969 => "NFS",
        0x517B => "SMB",
        0xFF53_4D42 => "CIFS",
        0xFE53_4D42 => "SMB2",
        0x0102_1997 => "9P",
        0x6573_5546 => "FUSE",
        _ => return None,
    };
    Some(format!(
        "it is on a {name} file system, whose changes the OS does not all report"
    ))
}

/// Elsewhere the OS is trusted to report every change.
#[cfg(not(target_os = "linux"))]
pub(super) fn unwatchable_file_system(_root: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};

    #[test]
    fn reading_a_file_is_not_a_change_but_writing_one_is() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn the_watch_limit_is_explained_with_its_fix() {
        let err = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        let problem = degraded_by(&err, PathBuf::from("/docs"), Duration::from_secs(60));
        let message = problem.to_string();
        assert!(message.contains("/docs"), "{message}");
        assert!(
            message.contains("sudo sysctl fs.inotify.max_user_watches=524288"),
            "{message}"
        );
        assert!(message.contains("every 60 s"), "{message}");
    }
}
