//! Planning an indexing run: walk a root and compare what is on disk with what the index holds,
//! to find the files to read and the documents to delete.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use tantivy::Searcher;

use super::catalog::{files_under, FileStamp, KnownFile};
use super::members::MemberRules;
use super::path_key::path_key;
use super::run::{io_message, IndexObserver, IndexStats, IndexWarning};
use super::schema::LanternSchema;
use super::walk::{walk_files, FileEntry, WalkOptions};
use super::writer::{poisoned, Writer};
use super::IndexError;

/// A file to read: new, or changed since it was indexed.
pub(super) struct Job {
    /// The file as the walk found it.
    pub(super) entry: FileEntry,
    /// Its path key, the document's identity.
    pub(super) path: String,
    /// True when the file replaces a document already in the index.
    pub(super) replaces: bool,
    /// The keys of the documents of its members as last indexed: all replaced.
    pub(super) members: Vec<String>,
    /// The rules of its root, which its members (if it is an archive) must pass too.
    pub(super) rules: Arc<MemberRules>,
}

/// What planning needs: the index as it was (none when it is being rebuilt whole), the writer
/// for deletions, and where to report.
pub(super) struct Plan<'a> {
    pub(super) searcher: Option<&'a Searcher>,
    pub(super) fields: &'a LanternSchema,
    pub(super) writer: &'a RwLock<Writer>,
    /// The index folder, never walked.
    pub(super) exclude: Option<&'a Path>,
    /// Threads walking each root.
    pub(super) walk_threads: usize,
    pub(super) rebuild: bool,
    pub(super) observer: &'a dyn IndexObserver,
    pub(super) stats: &'a mut IndexStats,
}

impl Plan<'_> {
    /// Walks `root`, handing each new or changed file to `read` as it is found, then deletes the
    /// documents of files that vanished. Unchanged files are only counted. Documents under a
    /// folder the walk could not read are kept: the folder is there, its files may be too.
    pub(super) fn plan_root(
        &mut self,
        root: &Path,
        rules: &WalkOptions,
        mut read: impl FnMut(Job),
    ) -> Result<(), IndexError> {
        // The walk starts on threads of its own; what the index knows loads meanwhile.
        let walk = walk_files(root, rules, self.exclude, self.walk_threads).map_err(|err| {
            IndexError::BadRoot {
                path: root.to_path_buf(),
                reason: err.to_string(),
            }
        })?;
        let mut known = match self.searcher {
            Some(searcher) => files_under(searcher, self.fields, root)?,
            None => HashMap::new(),
        };
        if self.rebuild {
            self.delete_all(&known)?;
            known.clear();
        }
        let member_rules = Arc::new(MemberRules::new(root, rules));
        let mut unreadable: Vec<String> = Vec::new();
        for found in walk {
            let entry = match found {
                Ok(entry) => entry,
                Err(err) => {
                    if let Some(path) = &err.path {
                        if err.error.kind() != std::io::ErrorKind::NotFound {
                            unreadable.push(path_key(path));
                        }
                    }
                    self.stats.unreadable += 1;
                    self.observer.warning(IndexWarning::Unreadable {
                        path: err.path,
                        message: io_message(err.error),
                    });
                    continue;
                }
            };
            let path = path_key(&entry.path);
            let stamp = FileStamp {
                mtime: entry.mtime,
                size: entry.size,
            };
            match known.remove(&path) {
                Some(old) if old.stamp == stamp => self.stats.unchanged += 1,
                previous => {
                    self.observer.found(entry.size);
                    let job = Job {
                        entry,
                        path,
                        replaces: previous.is_some(),
                        members: previous.map(|old| old.members).unwrap_or_default(),
                        rules: Arc::clone(&member_rules),
                    };
                    read(job);
                }
            }
        }
        known.retain(|path, _| {
            let kept = unreadable.iter().any(|folder| is_under(path, folder));
            if kept {
                self.stats.unchanged += 1;
            }
            !kept
        });
        // Whatever else the walk did not find again has vanished.
        self.delete_all(&known)
    }

    /// Deletes the documents of every file in `files`, and of their members.
    fn delete_all(&mut self, files: &HashMap<String, KnownFile>) -> Result<(), IndexError> {
        let writer = self.writer.read().map_err(|_| poisoned())?;
        self.stats.removed += files.len() as u64;
        for (path, known) in files {
            writer.delete_term(self.fields.path_term(path));
            for member in &known.members {
                writer.delete_term(self.fields.path_term(member));
            }
        }
        Ok(())
    }
}

/// True when the path key `path` is `folder` or lies under it.
fn is_under(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(std::path::MAIN_SEPARATOR))
}
