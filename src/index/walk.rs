//! Walking a folder tree into the list of files to consider for indexing.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

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
/// could not be read, never descending into `exclude` (the index itself, when it lives under the
/// root). Entries come in a stable (sorted) order.
pub fn walk_files(
    root: &Path,
    options: &WalkOptions,
    exclude: Option<&Path>,
) -> impl Iterator<Item = Result<FileEntry, WalkError>> {
    let hidden = options.hidden;
    let exclude = exclude.map(Path::to_path_buf);
    WalkDir::new(root)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| {
            // The root itself is always walked, even if its own name starts with a dot.
            if entry.depth() == 0 {
                return true;
            }
            if !hidden && entry.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            exclude.as_deref() != Some(entry.path())
        })
        .filter_map(|entry| match entry {
            Err(error) => Some(Err(WalkError {
                path: error.path().map(Path::to_path_buf),
                error,
            })),
            Ok(entry) if !entry.file_type().is_file() => None,
            Ok(entry) => Some(match entry.metadata() {
                Ok(metadata) => Ok(FileEntry {
                    mtime: metadata
                        .modified()
                        .ok()
                        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |since| since.as_nanos() as u64),
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
