//! What can go wrong with an index, and how an engine failure is named: a panic on damaged
//! files, permission denied, a full disk or a read-only mount, each with what to do.

use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::TantivyError;

use super::storage::disk_is_full;
use crate::panic::panic_message;

/// Everything that can go wrong while creating, opening or writing an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// There is no index at the given location.
    #[error("no index at {}; run 'lantern index <DIR>' first", .0.display())]
    NoIndex(PathBuf),
    /// Another process is writing to the index.
    #[error("the index at {} is busy: another 'lantern index' is running on it; wait for it to finish", .0.display())]
    Busy(PathBuf),
    /// The index exists but cannot be read.
    #[error("the index at {} is damaged ({cause}); run 'lantern index --rebuild [DIR...]'", .path.display())]
    Corrupt {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported (part of the message, not a `source`, so it is printed once).
        cause: TantivyError,
    },
    /// The engine panicked reading the index: its files are damaged.
    #[error("the index at {} is damaged ({cause}); run 'lantern index --rebuild [DIR...]'", .path.display())]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What the engine said when it failed.
        cause: String,
    },
    /// The index's files may not be read or written by this user.
    #[error("permission denied on the index at {}: ask its owner, or use another --index folder", .0.display())]
    PermissionDenied(PathBuf),
    /// The index is on a file system mounted read-only: it can be searched, not written.
    #[error("the index at {} is on a read-only file system: it can be searched, but 'lantern index', 'forget' and 'watch' cannot change it; remount it read-write, or copy it to a writable --index folder", .0.display())]
    ReadOnly(PathBuf),
    /// The disk holding the index is full.
    #[error("no space left on device at {}: free some space and run 'lantern index' again; the index keeps its last commit", .0.display())]
    NoSpace(PathBuf),
    /// Indexing failed inside the engine (e.g. a thread of it panicked).
    #[error("indexing failed in the index at {} ({cause}); the index keeps its last commit", .path.display())]
    Engine {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        cause: String,
    },
    /// A folder given to `forget` is not a root of the index.
    #[error("{} is not a root of the index; its roots are: {roots}", .path.display())]
    NotARoot {
        /// The folder as given.
        path: PathBuf,
        /// The index's roots, listed.
        roots: String,
    },
    /// No folder was named and the index has none to index again.
    #[error("no folder to index: name one, 'lantern index <DIR>'")]
    NoRoots,
    /// A heap too large for tantivy's indexing threads.
    #[error("--memory {asked_mb}M is too much for {threads} indexing thread(s): each may use at most {max_mb}M; lower --memory or raise --threads")]
    HeapTooLarge {
        /// The memory asked for, in MiB.
        asked_mb: u64,
        /// The indexing threads.
        threads: usize,
        /// What one thread may use, in MiB.
        max_mb: u64,
    },
    /// The folder holds a tantivy index that this version of Lantern did not make: a field is
    /// missing or configured otherwise.
    #[error("the index has no '{0}' field as this version of Lantern makes it: it was made by an older version of Lantern or by another program; run 'lantern index --rebuild' or use another --index folder")]
    NotLantern(String),
    /// The index was made with another schema version than this Lantern's (see
    /// [`super::schema::SCHEMA_VERSION`]).
    #[error("the index at {} was made by another version of Lantern (index schema version {found}, this Lantern's is {}): run 'lantern index' to rebuild it", .path.display(), super::schema::SCHEMA_VERSION)]
    OtherVersion {
        /// The index folder.
        path: PathBuf,
        /// The version it was made with.
        found: u32,
    },
    /// The list of roots stored with the index cannot be read.
    #[error("the index's list of roots is unreadable ({0}); run 'lantern index --rebuild <DIR>'")]
    BadCatalog(String),
    /// A folder given to `index` cannot be used.
    #[error("cannot index {}: {reason}", .path.display())]
    BadRoot {
        /// The folder as given.
        path: PathBuf,
        /// Why it cannot be used, and what to do.
        reason: String,
    },
    /// The index folder cannot be created.
    #[error("cannot create the index folder {}: {source}", .path.display())]
    CreateDir {
        /// The index folder.
        path: PathBuf,
        /// Why it cannot be created.
        source: io::Error,
    },
    /// A failure inside tantivy, before [`guard_engine`] names the index it concerns.
    #[error("index error: {0}")]
    Tantivy(TantivyError),
}

/// Turns tantivy's "lock busy" error into [`IndexError::Busy`], and names other causes.
pub(super) fn writer_error(dir: &Path, err: TantivyError) -> IndexError {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Busy(dir.to_path_buf()),
        other => explain_engine_error(dir, IndexError::Tantivy(other)),
    }
}

impl IndexError {
    /// The error a panic inside the engine, working on the index at `dir`, stands for.
    pub fn from_panic(dir: &Path, panic: &(dyn std::any::Any + Send)) -> IndexError {
        IndexError::Damaged {
            path: dir.to_path_buf(),
            cause: panic_message(panic),
        }
    }
}

/// Runs `work` on the index at `dir`, turning a panic inside the engine (which damaged files
/// can cause) into [`IndexError::Damaged`] and an engine error into one that names its cause.
pub fn guard_engine<T>(
    dir: &Path,
    work: impl FnOnce() -> Result<T, IndexError>,
) -> Result<T, IndexError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|panic| Err(IndexError::from_panic(dir, panic.as_ref())))
        .map_err(|err| explain_engine_error(dir, err))
}

/// Names the cause of an error tantivy reports as a bare I/O failure: permission denied, or a
/// full disk (tantivy's threads report it as "an index writer was killed"); other errors with no
/// path get the index's.
pub(super) fn explain_engine_error(dir: &Path, err: IndexError) -> IndexError {
    let text = match &err {
        IndexError::Tantivy(cause) => cause.to_string(),
        IndexError::Corrupt { cause, .. } => cause.to_string(),
        _ => return err,
    };
    if text.contains("os error 30") || text.contains("Read-only file system") {
        IndexError::ReadOnly(dir.to_path_buf())
    } else if text.contains("os error 13") || text.contains("Permission denied") {
        IndexError::PermissionDenied(dir.to_path_buf())
    } else if text.contains("os error 28") || disk_is_full(dir) {
        IndexError::NoSpace(dir.to_path_buf())
    } else {
        match err {
            IndexError::Tantivy(
                cause @ (TantivyError::DataCorruption(_)
                | TantivyError::OpenReadError(_)
                | TantivyError::DeserializeError(_)),
            ) => IndexError::Corrupt {
                path: dir.to_path_buf(),
                cause,
            },
            // An I/O error the system did not raise is one tantivy made of bytes it could not
            // read (`Unsupported dictionary type`): a damaged file.
            IndexError::Tantivy(TantivyError::IoError(io)) if io.raw_os_error().is_none() => {
                IndexError::Corrupt {
                    path: dir.to_path_buf(),
                    cause: TantivyError::IoError(io),
                }
            }
            IndexError::Tantivy(cause) => IndexError::Engine {
                path: dir.to_path_buf(),
                cause: cause.to_string(),
            },
            other => other,
        }
    }
}
