//! Walking a folder tree into the list of files to consider for indexing.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use walkdir::WalkDir;

/// What the walk needs to know beyond the root.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Include hidden files and folders (names starting with `.`).
    pub hidden: bool,
    /// Follow symbolic links (loops are detected and reported, not followed).
    pub follow_links: bool,
}

/// A regular file found by the walk, with the metadata that tells whether it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub mtime: u64,
    /// Size in bytes.
    pub size: u64,
}

/// A path the walk could not read (permission denied, vanished, a symlink loop...).
#[derive(Debug)]
pub struct WalkError {
    /// The path concerned, when known.
    pub path: Option<PathBuf>,
    /// What went wrong.
    pub error: walkdir::Error,
}

/// Walks `root` (an absolute path) and yields every regular file, or an error for each path that
/// could not be read, never descending into `exclude` (the index folder), however it is reached:
/// folders are compared by identity (device and inode), not by name, so neither the root itself
/// nor a followed link leads into it. Entries come in a stable (sorted) order.
pub fn walk_files(
    root: &Path,
    options: &WalkOptions,
    exclude: Option<&Path>,
) -> impl Iterator<Item = Result<FileEntry, WalkError>> {
    let hidden = options.hidden;
    let follow = options.follow_links;
    let excluded = exclude.map(|folder| (folder.to_path_buf(), FolderId::of(folder)));
    WalkDir::new(root)
        .follow_links(follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| {
            // The root itself is always walked, even if its own name starts with a dot.
            if entry.depth() > 0 && !hidden && entry.file_name().to_string_lossy().starts_with('.')
            {
                return false;
            }
            let Some((folder, id)) = &excluded else {
                return true;
            };
            if entry.file_type().is_dir() {
                return entry.path() != folder
                    && (id.is_none() || FolderId::of(entry.path()) != *id);
            }
            // A followed link to a file: where it really lives decides.
            !(follow
                && entry.path_is_symlink()
                && entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(folder)))
        })
        .filter_map(|entry| match entry {
            Err(error) => Some(Err(WalkError {
                path: error.path().map(Path::to_path_buf),
                error,
            })),
            Ok(entry) if !entry.file_type().is_file() => None,
            Ok(entry) => Some(match entry.metadata() {
                Ok(metadata) => Ok(FileEntry {
                    mtime: metadata.modified().map_or(0, stamp_nanos),
                    size: metadata.len(),
                    path: entry.into_path(),
                }),
                Err(error) => Err(WalkError {
                    path: Some(entry.into_path()),
                    error,
                }),
            }),
        })
}

/// A modification time as stored in the index: nanoseconds since the Unix epoch as a signed
/// number, in the bits of a `u64`, so that times before 1970 are told apart too (between the
/// years 1678 and 2262; beyond, the nearest of those).
pub fn stamp_nanos(time: SystemTime) -> u64 {
    let signed = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    };
    signed as u64
}

/// What identifies a folder whatever the path to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FolderId {
    device: u64,
    inode: u64,
}

impl FolderId {
    /// The identity of the folder at `path` (links followed), if it can be read.
    #[cfg(unix)]
    fn of(path: &Path) -> Option<FolderId> {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some(FolderId {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    /// Elsewhere folders are told apart by path only.
    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<FolderId> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_before_1970_get_distinct_stamps() {
        let before = |secs| UNIX_EPOCH - Duration::from_secs(secs);
        assert_ne!(stamp_nanos(before(10)), stamp_nanos(before(20)));
        assert_ne!(stamp_nanos(before(10)), stamp_nanos(UNIX_EPOCH));
        let after = UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789);
        assert_eq!(stamp_nanos(after), 1_700_000_000_123_456_789);
    }
}
