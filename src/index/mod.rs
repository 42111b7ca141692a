//! Building and opening the index: schema, walking, text detection, the writer pipeline and the
//! incremental bookkeeping.

mod budget;
mod catalog;
mod pipeline;
mod plan;
mod queue;
mod reading;
pub mod schema;
mod status;
pub mod text;
pub mod tokenizer;
pub mod walk;

use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::error::{LockError, OpenDirectoryError};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

pub use catalog::{Catalog, FileStamp, RootRecord};
pub use pipeline::{index_roots, IndexObserver, IndexOptions, IndexStats, IndexWarning};
pub use schema::LanternSchema;
pub use status::{index_status, IndexStatus, RootStatus};

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
    #[error("the index at {} is corrupt or unreadable ({cause}); delete the folder and run 'lantern index <DIR>' again", .path.display())]
    Corrupt {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported (part of the message, not a `source`, so it is printed once).
        cause: TantivyError,
    },
    /// The folder holds a tantivy index that Lantern did not make.
    #[error("the index has no '{0}' field: it was not made by this version of Lantern; use another --index folder or rebuild it")]
    NotLantern(String),
    /// The list of roots stored with the index cannot be read.
    #[error("the index's list of roots is unreadable ({0}); run 'lantern index --rebuild <DIR>'")]
    BadCatalog(String),
    /// A folder given to `index` cannot be used.
    #[error("cannot index {}: {source}", .path.display())]
    BadRoot {
        /// The folder as given.
        path: PathBuf,
        /// Why it cannot be used.
        source: io::Error,
    },
    /// The index folder cannot be created.
    #[error("cannot create the index folder {}: {source}", .path.display())]
    CreateDir {
        /// The index folder.
        path: PathBuf,
        /// Why it cannot be created.
        source: io::Error,
    },
    /// Any other failure inside tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] TantivyError),
    /// Any other I/O failure.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

/// The default index folder: `lantern/index` under the platform's data folder
/// (e.g. `~/.local/share/lantern/index` on Linux).
pub fn default_index_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("lantern")
        .join("index")
}

/// Opens the Lantern index at `dir` for reading, with a clear error when it is missing or corrupt.
pub fn open_index(dir: &Path) -> Result<(Index, LanternSchema), IndexError> {
    if !dir.join("meta.json").is_file() {
        return Err(IndexError::NoIndex(dir.to_path_buf()));
    }
    let index = Index::open_in_dir(dir).map_err(|err| match err {
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
    let index = Index::create_in_dir(dir, schema)?;
    schema::register_tokenizers(&index);
    Ok((index, fields))
}

/// Turns tantivy's "lock busy" error into [`IndexError::Busy`].
fn writer_error(dir: &Path, err: TantivyError) -> IndexError {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Busy(dir.to_path_buf()),
        other => IndexError::Tantivy(other),
    }
}
