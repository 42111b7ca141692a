//! Building and opening the index: schema, walking, text detection, the writer pipeline and the
//! incremental bookkeeping.

mod budget;
mod catalog;
mod directory;
pub mod extract;
mod forget;
pub mod path_key;
mod pipeline;
mod plan;
mod queue;
mod reading;
mod roots;
mod run;
pub mod schema;
mod status;
mod storage;
pub mod text;
pub mod tokenizer;
pub mod walk;
mod writer;

use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::error::{LockError, OpenDirectoryError};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use directory::IndexDirectory;
use storage::disk_is_full;

pub use catalog::{Catalog, FileStamp, RootRecord};
pub use forget::forget_roots;
pub use pipeline::index_roots;
pub use roots::{known_roots, Root};
pub use run::{IndexObserver, IndexOptions, IndexStats, IndexWarning};
pub use schema::LanternSchema;
pub use status::{index_status, IndexStatus, RootStatus};
pub use storage::ensure_writable;

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

/// The smallest writer heap tantivy accepts for one indexing thread.
pub(crate) const MIN_HEAP: usize = 15_000_000;

/// The default index folder: `lantern/index` under the platform's data folder
/// (e.g. `~/.local/share/lantern/index` on Linux).
pub fn default_index_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("lantern")
        .join("index")
}

/// Opens the Lantern index at `dir` for reading, with a clear error when it is missing, may not
/// be read by this user, or is corrupt.
pub fn open_index(dir: &Path) -> Result<(Index, LanternSchema), IndexError> {
    let meta = dir.join("meta.json");
    if !meta.is_file() {
        return Err(IndexError::NoIndex(dir.to_path_buf()));
    }
    if let Err(err) = std::fs::File::open(&meta) {
        return Err(match err.kind() {
            io::ErrorKind::PermissionDenied => IndexError::PermissionDenied(dir.to_path_buf()),
            _ => IndexError::NoIndex(dir.to_path_buf()),
        });
    }
    let index = IndexDirectory::open(dir)
        .map_err(TantivyError::from)
        .and_then(Index::open)
        .map_err(|err| match err {
            TantivyError::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_)) => {
                IndexError::NoIndex(dir.to_path_buf())
            }
            cause => IndexError::Corrupt {
                path: dir.to_path_buf(),
                cause,
            },
        })?;
    schema::register_tokenizers(&index);
    let fields = LanternSchema::from_index(&index)?;
    Ok((index, fields))
}

/// A reader over the last commit of `index` (at `dir`); failing to load its segments means the
/// index is damaged.
pub fn open_reader(index: &Index, dir: &Path) -> Result<IndexReader, IndexError> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|cause| IndexError::Corrupt {
            path: dir.to_path_buf(),
            cause,
        })
}

/// Opens the index at `dir` for writing, creating the folder and an empty index when needed.
pub fn open_or_create_index(dir: &Path) -> Result<(Index, LanternSchema), IndexError> {
    if dir.join("meta.json").is_file() {
        return open_index(dir);
    }
    std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let (schema, fields) = LanternSchema::build();
    let index = Index::create_in_dir(dir, schema).map_err(|cause| IndexError::Engine {
        path: dir.to_path_buf(),
        cause: format!("cannot create the index: {cause}"),
    })?;
    schema::register_tokenizers(&index);
    Ok((index, fields))
}

/// The message a panic carried, for an error that replaces it.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the engine failed reading its files".to_string());
    // One line: an engine's panic message may span several.
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Removes the files of a tantivy index from `dir` (its meta files and every segment file, named
/// by a 32-digit hex id), so that a damaged index can be created anew. Other files are left.
fn remove_index_files(dir: &Path) -> Result<(), IndexError> {
    let is_index_file =
        |name: &str| matches!(name, "meta.json" | ".managed.json") || segment_id(name).is_some();
    let entries = std::fs::read_dir(dir).map_err(|err| IndexError::Engine {
        path: dir.to_path_buf(),
        cause: format!("cannot list the folder: {err}"),
    })?;
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(is_index_file) {
            std::fs::remove_file(entry.path()).map_err(|err| IndexError::Engine {
                path: dir.to_path_buf(),
                cause: format!("cannot remove {}: {err}", entry.path().display()),
            })?;
        }
    }
    Ok(())
}

/// The segment a file of a tantivy index belongs to: its name is the segment's id, 32 hex
/// digits, and an extension.
fn segment_id(file_name: &str) -> Option<&str> {
    let (id, _) = file_name.split_once('.')?;
    (id.len() == 32 && id.bytes().all(|byte| byte.is_ascii_hexdigit())).then_some(id)
}

/// Deletes the files of segments the last commit of `index` (at `dir`) does not hold: what a
/// failed run wrote. tantivy's own garbage collection misses files it could not register, e.g.
/// on a full disk.
fn remove_orphan_segments(index: &Index, dir: &Path) {
    let Ok(live) = index.searchable_segment_ids() else {
        return;
    };
    let live: Vec<String> = live.iter().map(|id| id.uuid_string()).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let orphan = name
            .to_str()
            .and_then(segment_id)
            .is_some_and(|id| !live.iter().any(|live| live == id));
        if orphan {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Turns tantivy's "lock busy" error into [`IndexError::Busy`], and names other causes.
fn writer_error(dir: &Path, err: TantivyError) -> IndexError {
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
fn explain_engine_error(dir: &Path, err: IndexError) -> IndexError {
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
            IndexError::Tantivy(cause) => IndexError::Engine {
                path: dir.to_path_buf(),
                cause: cause.to_string(),
            },
            other => other,
        }
    }
}
