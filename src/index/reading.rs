//! The reading side of an indexing run: read a file, decode it, hand its document to tantivy, and
//! commit when enough text went in.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::TantivyDocument;
use twox_hash::XxHash64;

use super::budget::{BudgetedDocument, ByteBudget};
use super::catalog::Catalog;
use super::path_key::{display_key, member_key};
use super::plan::Job;
use super::run::{io_message, IndexObserver, IndexOptions, IndexStats, IndexWarning};
use super::schema::{path_components, reversed_component, LanternSchema};
use super::text::read_file;
use super::writer::{commit, poisoned, Writer};
use super::IndexError;
use crate::extract::{Document, DocumentType, Unread};

/// What the reading threads share.
pub(super) struct JobContext<'a> {
    pub(super) writer: &'a RwLock<Writer>,
    pub(super) fields: &'a LanternSchema,
    pub(super) catalog: &'a Catalog,
    pub(super) counts: &'a SharedCounts,
    pub(super) budget: &'a Arc<ByteBudget>,
    pub(super) options: &'a IndexOptions,
    pub(super) observer: &'a dyn IndexObserver,
}

/// Counters shared by the reading threads.
#[derive(Default)]
pub(super) struct SharedCounts {
    pub(super) added: AtomicU64,
    pub(super) updated: AtomicU64,
    pub(super) binary: AtomicU64,
    pub(super) too_large: AtomicU64,
    pub(super) unreadable: AtomicU64,
    pub(super) lossy: AtomicU64,
    pub(super) truncated: AtomicU64,
    pub(super) bytes: AtomicU64,
    pub(super) since_commit: AtomicU64,
    /// Members of archives indexed as documents of their own.
    pub(super) members: AtomicU64,
    /// Archives indexed (their members counted in `members`).
    pub(super) containers: AtomicU64,
    /// Documents extracted, by type (plain text is not counted here).
    pub(super) extracted: Mutex<BTreeMap<DocumentType, u64>>,
    /// Documents whose text could not be extracted, by reason.
    pub(super) failed: Mutex<BTreeMap<&'static str, u64>>,
}

/// The counts gathered in `counts`.
fn into_counts<K>(counts: Mutex<BTreeMap<K, u64>>) -> BTreeMap<K, u64> {
    counts
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Adds one to `key`'s count in `counts`.
fn count<K: Ord>(counts: &Mutex<BTreeMap<K, u64>>, key: K) {
    let mut counts = counts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *counts.entry(key).or_default() += 1;
}

impl SharedCounts {
    /// Adds what the reading threads counted to `stats`.
    pub(super) fn add_to(self, stats: &mut IndexStats) {
        stats.added += self.added.into_inner();
        stats.updated += self.updated.into_inner();
        stats.binary += self.binary.into_inner();
        stats.too_large += self.too_large.into_inner();
        stats.unreadable += self.unreadable.into_inner();
        stats.lossy += self.lossy.into_inner();
        stats.truncated += self.truncated.into_inner();
        stats.bytes += self.bytes.into_inner();
        stats.members += self.members.into_inner();
        stats.containers += self.containers.into_inner();
        stats.extracted = into_counts(self.extracted);
        stats.failed = into_counts(self.failed);
    }
}

/// Reads one file and adds its document (and, for an archive, one per member), replacing the
/// previous ones when the file changed.
pub(super) fn index_file(job: &Job, context: &JobContext<'_>) -> Result<(), IndexError> {
    let JobContext {
        fields,
        counts,
        options,
        observer,
        ..
    } = context;
    if job.replaces {
        // A changed file loses its old documents even if it can no longer be indexed; its
        // members' documents go whether or not the new version still holds them.
        let writer = context.writer.read().map_err(|_| poisoned())?;
        writer.delete_term(fields.path_term(&job.path));
        for member in &job.members {
            writer.delete_term(fields.path_term(member));
        }
    }
    // Members are added as they are read: a large archive never waits whole in memory.
    let mut failure = None;
    // The ignore files that decide on members are read only for a file that is an archive.
    let archive_rules = std::cell::OnceCell::new();
    let admit = |path: &[String]| {
        archive_rules
            .get_or_init(|| job.rules.for_archive(&job.entry.path))
            .admits(path)
    };
    let read = read_file(
        &job.entry.path,
        options.max_file_size,
        options.max_text_bytes(),
        &options.extract,
        &admit,
        &mut |member| {
            if failure.is_none() {
                let key = member_key(&job.path, &member.path);
                match member.outcome {
                    Ok(document) => {
                        counts.members.fetch_add(1, Ordering::Relaxed);
                        if let Err(err) = add_document(job, &key, document, context) {
                            failure = Some(err);
                        }
                    }
                    Err(unread) => skipped(&key, unread, context),
                }
            }
        },
    );
    if let Some(err) = failure {
        return Err(err);
    }
    let opened = match read {
        Ok(opened) => opened,
        Err(unread) => {
            skipped(&job.path, unread, context);
            return Ok(());
        }
    };
    if let Some(error) = opened.stopped {
        count(&counts.failed, error.reason());
        observer.warning(IndexWarning::Unextractable {
            path: shown_path(&job.path),
            kind: opened.document.kind,
            message: format!("{error}; its members read so far are indexed"),
        });
    }
    if opened.document.kind.is_archive() {
        counts.containers.fetch_add(1, Ordering::Relaxed);
    }
    add_document(job, &job.path, opened.document, context)?;
    let counter = if job.replaces {
        &counts.updated
    } else {
        &counts.added
    };
    counter.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// The path people see for the document keyed `key`.
fn shown_path(key: &str) -> PathBuf {
    PathBuf::from(display_key(key).into_owned())
}

/// Counts and reports a file or member (keyed `key`) that has no document.
fn skipped(key: &str, unread: Unread, context: &JobContext<'_>) {
    let JobContext {
        counts, observer, ..
    } = context;
    match unread {
        Unread::Binary => {
            counts.binary.fetch_add(1, Ordering::Relaxed);
        }
        Unread::TooLarge { size, limit } => {
            counts.too_large.fetch_add(1, Ordering::Relaxed);
            observer.warning(IndexWarning::TooLarge {
                path: shown_path(key),
                size,
                limit,
            });
        }
        Unread::Unreadable(err) => {
            counts.unreadable.fetch_add(1, Ordering::Relaxed);
            observer.warning(IndexWarning::Unreadable {
                path: Some(shown_path(key)),
                message: io_message(err),
            });
        }
        Unread::Unextractable { kind, error } => {
            count(&counts.failed, error.reason());
            observer.warning(IndexWarning::Unextractable {
                path: shown_path(key),
                kind,
                message: error.to_string(),
            });
        }
    }
}

/// Adds the document keyed `key` (the file of `job`, or a member of it) to the index.
fn add_document(
    job: &Job,
    key: &str,
    file: Document,
    context: &JobContext<'_>,
) -> Result<(), IndexError> {
    let JobContext {
        fields,
        counts,
        options,
        observer,
        ..
    } = context;
    // The budget counts the text that goes to the index, not the size of the file.
    let permit = context.budget.acquire(file.text.len() as u64);
    if file.lossy {
        counts.lossy.fetch_add(1, Ordering::Relaxed);
    }
    if file.truncated {
        counts.truncated.fetch_add(1, Ordering::Relaxed);
        observer.warning(IndexWarning::Truncated {
            path: shown_path(key),
            limit: options.max_text_bytes(),
        });
    }
    if file.kind != DocumentType::Text {
        count(&counts.extracted, file.kind);
    }
    let len = file.text.len() as u64;
    let shown = display_key(key);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, key);
    doc.add_text(fields.path_parts, &shown);
    for component in path_components(&shown) {
        doc.add_text(fields.path_parts_reversed, reversed_component(component));
    }
    if let Some(hash) = text_hash(&file) {
        doc.add_u64(fields.text_hash, hash);
    }
    doc.add_text(fields.contents, file.text);
    if let Some(title) = &file.title {
        doc.add_text(fields.title, title);
    }
    doc.add_text(fields.doc_type, file.kind.name());
    if let Some(envelope) = &file.envelope {
        doc.add_text(fields.from, &envelope.from);
        doc.add_text(fields.to, &envelope.to);
    }
    if let Some(date) = file.date {
        doc.add_u64(fields.date, date);
    }
    // A member carries its container's stamp: the container is what changes on disk.
    doc.add_u64(fields.mtime, job.entry.mtime);
    doc.add_u64(fields.size, job.entry.size);
    let writer = context.writer.read().map_err(|_| poisoned())?;
    writer
        .add_document(BudgetedDocument {
            document: doc,
            permit,
        })
        .map_err(IndexError::Tantivy)?;
    counts.bytes.fetch_add(len, Ordering::Relaxed);
    counts.since_commit.fetch_add(len, Ordering::Relaxed);
    Ok(())
}

/// The hash that finds the copies of `file`: of its title and text, so that pages with one body
/// and different titles stay apart. `None` for a document without text (an image, a scanned
/// page): such documents are not copies of each other.
pub fn text_hash(file: &Document) -> Option<u64> {
    if file.text.trim().is_empty() {
        return None;
    }
    let mut hasher = XxHash64::with_seed(0);
    if let Some(title) = &file.title {
        hasher.write(title.as_bytes());
    }
    // Apart from the title by a byte that is in no text.
    hasher.write(&[0xff]);
    hasher.write(file.text.as_bytes());
    Some(hasher.finish())
}

/// Commits when enough text was indexed since the last commit. Exactly one thread wins the right
/// to commit; the others wait on the lock meanwhile.
pub(super) fn commit_if_due(context: &JobContext<'_>) -> Result<(), IndexError> {
    let counts = context.counts;
    let pending = counts.since_commit.load(Ordering::Relaxed);
    if pending < context.options.commit_every_bytes
        || counts
            .since_commit
            .compare_exchange(pending, 0, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
    {
        return Ok(());
    }
    let mut writer = context.writer.write().map_err(|_| poisoned())?;
    commit(&mut writer, context.catalog)
}
