//! What the file system holding an index allows: whether it takes writes at all, and whether it
//! has room left. Both explain an engine's bare I/O error as its real cause.

use std::path::Path;

use super::IndexError;

/// What `statvfs` says of a file system, as far as an index cares.
struct FileSystem {
    /// Mounted read-only.
    read_only: bool,
    /// Bytes an unprivileged writer may still use.
    available: u64,
}

/// Fails with [`IndexError::ReadOnly`] when the index at `dir` (or, while it does not exist yet,
/// the folder it would be created in) is on a file system mounted read-only: a writer says so
/// before it starts, instead of failing on tantivy's lock file.
pub fn ensure_writable(dir: &Path) -> Result<(), IndexError> {
    let existing = dir.ancestors().find(|folder| folder.exists());
    match existing.and_then(file_system) {
        Some(FileSystem {
            read_only: true, ..
        }) => Err(IndexError::ReadOnly(dir.to_path_buf())),
        _ => Ok(()),
    }
}

/// True when the file system holding `dir` has (almost) no room left.
pub(super) fn disk_is_full(dir: &Path) -> bool {
    file_system(dir).is_some_and(|found| found.available < 1 << 20)
}

/// The file system holding `path`, when the OS says.
#[cfg(unix)]
fn file_system(path: &Path) -> Option<FileSystem> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a valid C string and `stats` a valid, writable statvfs.
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    Some(FileSystem {
        read_only: stats.f_flag & libc::ST_RDONLY != 0,
        available: stats.f_bavail.saturating_mul(stats.f_frsize),
    })
}

/// Elsewhere the file system's state is not asked: errors speak for themselves.
#[cfg(not(unix))]
fn file_system(_path: &Path) -> Option<FileSystem> {
    None
}
