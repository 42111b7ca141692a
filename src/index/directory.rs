//! The folder an index lives in, as tantivy sees it: its memory-mapped directory, except that a
//! reader on a folder it may not write (a read-only mount, a backup, someone else's index) does
//! without the lock tantivy takes while opening segments.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::OpenWriteError;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

/// tantivy's [`MmapDirectory`], except for the meta lock on a folder that cannot be written.
///
/// A reader takes the meta lock (creating `.tantivy-meta.lock`) only so that a writer's garbage
/// collection does not delete segment files while it opens them. When the lock file cannot be
/// created or opened for writing, the folder is read-only to this process: on a read-only file
/// system no writer can collect anything, and a writer elsewhere with more rights makes the
/// open fail at worst (an error, never wrong results). Every other operation, the writer's lock
/// included, is the memory-mapped directory's own.
#[derive(Clone, Debug)]
pub(super) struct IndexDirectory {
    inner: MmapDirectory,
}

impl IndexDirectory {
    /// The index folder `dir`, which must exist.
    pub(super) fn open(dir: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(dir)?,
        })
    }
}

/// True when `err` says the folder may not be written, rather than that something failed.
fn is_unwritable(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(err))
                if lock.filepath == META_LOCK.filepath && is_unwritable(&err) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            taken => taken,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
