//! Walking a folder tree into the list of files to consider for indexing, with the rules that
//! say which files belong to a root: ripgrep's walker (the `ignore` crate), so `.gitignore`,
//! `.ignore`, `.git/info/exclude`, the global git excludes file and Lantern's own `.lanternignore`
//! are honoured as ripgrep honours them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{SystemTime, UNIX_EPOCH};

use ignore::overrides::OverrideBuilder;
use ignore::{ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use serde::{Deserialize, Serialize};

/// The name of Lantern's own ignore files, with `.gitignore`'s syntax.
pub const LANTERN_IGNORE_FILE: &str = ".lanternignore";

/// Which files of a root are indexed. Remembered with the root, so that a later run without
/// folders named uses the same rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalkOptions {
    /// Include hidden files and folders (names starting with `.`).
    pub hidden: bool,
    /// Follow symbolic links (loops are detected and reported, not followed).
    pub follow_links: bool,
    /// Index files that ignore files (`.gitignore`, `.ignore`, `.lanternignore`...) exclude.
    pub no_ignore: bool,
    /// Globs matched against the path relative to the root: a file must match one of them (when
    /// any is given without `!`), and must match none given with `!`.
    pub globs: Vec<String>,
    /// Descend at most this many folders below the root (0: the root's own files only).
    pub max_depth: Option<usize>,
}

impl WalkOptions {
    /// The rules in a few words, for `lantern status`.
    pub fn describe(&self) -> String {
        let mut parts = vec![if self.no_ignore {
            "ignore files not honoured".to_string()
        } else {
            "ignore files honoured".to_string()
        }];
        if self.hidden {
            parts.push("hidden files".to_string());
        }
        if self.follow_links {
            parts.push("links followed".to_string());
        }
        if let Some(depth) = self.max_depth {
            parts.push(format!("max depth {depth}"));
        }
        if !self.globs.is_empty() {
            parts.push(format!("globs {}", self.globs.join(" ")));
        }
        parts.join(", ")
    }
}

/// A regular file found by the walk, with the metadata that tells whether it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// Modification time, see [`stamp_nanos`].
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
    pub error: std::io::Error,
}

/// A glob given to the walk that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("invalid --glob '{glob}': {reason}")]
pub struct GlobError {
    /// The glob as given.
    pub glob: String,
    /// Why it does not parse.
    pub reason: String,
}

/// Why a walk could not start.
#[derive(Debug, thiserror::Error)]
pub enum WalkStartError {
    /// A glob of the rules does not parse.
    #[error(transparent)]
    Glob(#[from] GlobError),
    /// The thread that runs the walk could not be started.
    #[error("could not start the walk: {0}")]
    Thread(std::io::Error),
}

/// Checks that every glob of `options` parses.
pub fn check_globs(root: &Path, options: &WalkOptions) -> Result<(), GlobError> {
    overrides(root, &options.globs).map(|_| ())
}

/// The `-g` globs of a root as the walk applies them.
pub(super) fn overrides(
    root: &Path,
    globs: &[String],
) -> Result<ignore::overrides::Override, GlobError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
        builder.add(glob).map_err(|err| GlobError {
            glob: glob.clone(),
            reason: err.to_string(),
        })?;
    }
    builder.build().map_err(|err| GlobError {
        glob: globs.join(" "),
        reason: err.to_string(),
    })
}

/// How many found files (or errors) may wait for the consumer of a walk before its threads pause.
const WALK_QUEUE: usize = 4096;

/// Walks `root` (an absolute path) and yields every regular file its rules admit, or an error for
/// each path that could not be read, never descending into `exclude` (the index folder), however
/// it is reached: folders are compared by identity (device and inode), not by name, so neither
/// the root itself nor a followed link leads into it.
///
/// The walk starts at once, on `threads` threads of its own (ripgrep's parallel walker; a
/// stat-walk is system calls and rule matching, which two cores share), and runs ahead of the
/// consumer by up to [`WALK_QUEUE`] entries, so the caller can do other work (load what the index
/// knows) meanwhile. Entries come in no particular order. Dropping the iterator stops the walk.
pub fn walk_files(
    root: &Path,
    options: &WalkOptions,
    exclude: Option<&Path>,
    threads: usize,
) -> Result<impl Iterator<Item = Result<FileEntry, WalkError>>, WalkStartError> {
    let follow = options.follow_links;
    let excluded = exclude.map(|folder| (folder.to_path_buf(), FolderId::of(folder)));
    let honour = !options.no_ignore;
    let mut builder = WalkBuilder::new(root);
    builder
        .threads(threads.max(1))
        .hidden(!options.hidden)
        .follow_links(follow)
        .max_depth(options.max_depth.map(|depth| depth + 1))
        .parents(honour)
        .ignore(honour)
        .git_ignore(honour)
        .git_global(honour)
        .git_exclude(honour)
        // As in ripgrep and git, a `.gitignore` counts only inside a git repository: outside one
        // it may mean something else (Debian's Linux source tree ships one that ignores every
        // top-level entry, for its packaging). `.ignore` and `.lanternignore` count anywhere.
        .require_git(true)
        .overrides(overrides(root, &options.globs)?)
        .filter_entry(move |entry| {
            if is_maildir_tmp(entry) {
                return false;
            }
            let Some((folder, id)) = &excluded else {
                return true;
            };
            if entry.file_type().is_some_and(|kind| kind.is_dir()) {
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
        });
    if honour {
        builder.add_custom_ignore_filename(LANTERN_IGNORE_FILE);
    }
    let walk = builder.build_parallel();
    let (send, receive) = mpsc::sync_channel(WALK_QUEUE / WALK_BATCH);
    std::thread::Builder::new()
        .name("lantern-walk".to_string())
        .spawn(move || walk.visit(&mut Batcher { send }))
        .map_err(WalkStartError::Thread)?;
    Ok(receive.into_iter().flatten())
}

/// True when `entry` is the `tmp` folder of a Maildir (a folder beside `cur` and `new`): it
/// holds messages still being delivered, which a mail program moves to `new` once whole.
fn is_maildir_tmp(entry: &ignore::DirEntry) -> bool {
    entry.file_name() == "tmp"
        && entry.file_type().is_some_and(|kind| kind.is_dir())
        && entry
            .path()
            .parent()
            .is_some_and(|maildir| maildir.join("cur").is_dir() && maildir.join("new").is_dir())
}

/// Found files are handed over this many at a time: one hand-off per file cost more than the
/// system calls that found it.
const WALK_BATCH: usize = 256;

/// What a walking thread hands over at a time.
type Batch = Vec<Result<FileEntry, WalkError>>;

/// Gives each walking thread a [`BatchingVisitor`] onto the walk's channel.
struct Batcher {
    send: mpsc::SyncSender<Batch>,
}

impl<'s> ParallelVisitorBuilder<'s> for Batcher {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(BatchingVisitor {
            send: self.send.clone(),
            batch: Vec::with_capacity(WALK_BATCH),
        })
    }
}

/// One walking thread's files, sent on in batches; the last, partial one when the thread ends.
struct BatchingVisitor {
    send: mpsc::SyncSender<Batch>,
    batch: Batch,
}

impl ParallelVisitor for BatchingVisitor {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> WalkState {
        self.batch.push(match entry {
            Err(error) => Err(walk_error(error)),
            Ok(entry) if !entry.file_type().is_some_and(|kind| kind.is_file()) => {
                return WalkState::Continue
            }
            Ok(entry) => file_entry(entry),
        });
        if self.batch.len() < WALK_BATCH {
            return WalkState::Continue;
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(WALK_BATCH));
        // The consumer has stopped listening: nobody needs the rest.
        match self.send.send(full) {
            Ok(()) => WalkState::Continue,
            Err(_) => WalkState::Quit,
        }
    }
}

impl Drop for BatchingVisitor {
    fn drop(&mut self) {
        if !self.batch.is_empty() {
            // Nobody listening any more is no error here either.
            let _ = self.send.send(std::mem::take(&mut self.batch));
        }
    }
}

/// A found regular file with its stamp, or why its metadata could not be read.
fn file_entry(entry: ignore::DirEntry) -> Result<FileEntry, WalkError> {
    match entry.metadata() {
        Ok(metadata) => Ok(FileEntry {
            mtime: metadata.modified().map_or(0, stamp_nanos),
            size: metadata.len(),
            path: entry.into_path(),
        }),
        Err(error) => Err(walk_error(error)),
    }
}

/// The path and I/O error an error of the walk concerns.
fn walk_error(error: ignore::Error) -> WalkError {
    let mut path = None;
    let mut current = &error;
    loop {
        match current {
            ignore::Error::WithPath { path: at, err } => {
                path.get_or_insert_with(|| at.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err;
            }
            ignore::Error::Loop { child, .. } => {
                path.get_or_insert_with(|| child.clone());
                break;
            }
            ignore::Error::Partial(_)
            | ignore::Error::Io(_)
            | ignore::Error::Glob { .. }
            | ignore::Error::UnrecognizedFileType(_)
            | ignore::Error::InvalidDefinition => break,
        }
    }
    let kind = error.io_error().map(std::io::Error::kind);
    let error = match kind {
        Some(kind) => std::io::Error::new(kind, error.to_string()),
        None => std::io::Error::other(error.to_string()),
    };
    WalkError { path, error }
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
