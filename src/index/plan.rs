//! Planning an indexing run: walk a root and compare what is on disk with what the index holds,
//! to find the files to read and the documents to delete.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use tantivy::Searcher;

use super::catalog::{files_under, FileStamp};
use super::pipeline::{io_message, poisoned, IndexObserver, IndexStats, IndexWarning, Writer};
use super::schema::LanternSchema;
use super::walk::{walk_files, FileEntry, WalkOptions};
use super::IndexError;

/// A file to read: new, or changed since it was indexed.
pub(super) struct Job {
    /// The file as the walk found it.
    pub(super) entry: FileEntry,
    /// Its path as indexed.
    pub(super) path: String,
    /// True when the file replaces a document already in the index.
    pub(super) replaces: bool,
}

/// What planning needs: the index as it was, the writer for deletions, and where to report.
pub(super) struct Plan<'a> {
    pub(super) searcher: &'a Searcher,
    pub(super) fields: &'a LanternSchema,
    pub(super) writer: &'a RwLock<Writer>,
    pub(super) walk: &'a WalkOptions,
    /// The index folder, never walked.
    pub(super) exclude: Option<&'a Path>,
    pub(super) rebuild: bool,
    pub(super) observer: &'a dyn IndexObserver,
    pub(super) stats: &'a mut IndexStats,
}

impl Plan<'_> {
    /// Walks `root`, handing each new or changed file to `read` as it is found, then deletes the
    /// documents of files that vanished. Unchanged files are only counted.
    pub(super) fn plan_root(
        &mut self,
        root: &Path,
        mut read: impl FnMut(Job),
    ) -> Result<(), IndexError> {
        let mut known = files_under(self.searcher, self.fields, root)?;
        if self.rebuild {
            self.delete_all(&known)?;
            known.clear();
        }
        for found in walk_files(root, self.walk, self.exclude) {
            let entry = match found {
                Ok(entry) => entry,
                Err(err) => {
                    self.stats.unreadable += 1;
                    self.observer.warning(IndexWarning::Unreadable {
                        path: err.path,
                        message: io_message(err.error.into()),
                    });
                    continue;
                }
            };
            let path = entry.path.to_string_lossy().into_owned();
            let stamp = FileStamp {
                mtime: entry.mtime,
                size: entry.size,
            };
            match known.remove(&path) {
                Some(old) if old == stamp => self.stats.unchanged += 1,
                previous => {
                    self.observer.found(entry.size);
                    let job = Job {
                        entry,
                        path,
                        replaces: previous.is_some(),
                    };
                    read(job);
                }
            }
        }
        // Whatever the walk did not find again has vanished.
        self.delete_all(&known)
    }

    /// Deletes the documents of every path in `paths`.
    fn delete_all(&mut self, paths: &HashMap<String, FileStamp>) -> Result<(), IndexError> {
        let writer = self.writer.read().map_err(|_| poisoned())?;
        for path in paths.keys() {
            writer.delete_term(self.fields.path_term(path));
        }
        self.stats.removed += paths.len() as u64;
        Ok(())
    }
}
