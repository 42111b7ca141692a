//! The reading side of an indexing run: read a file, decode it, hand its document to tantivy, and
//! commit when enough text went in.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::TantivyDocument;

use super::budget::{BudgetedDocument, ByteBudget};
use super::catalog::Catalog;
use super::path_key::display_key;
use super::plan::Job;
use super::run::{io_message, IndexObserver, IndexOptions, IndexStats, IndexWarning};
use super::schema::{path_components, reversed_component, LanternSchema};
use super::text::{read_file, SkipReason};
use super::writer::{commit, poisoned, Writer};
use super::IndexError;
use crate::extract::DocumentType;

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
        stats.extracted = into_counts(self.extracted);
        stats.failed = into_counts(self.failed);
    }
}

/// Reads one file and adds its document, replacing the previous one when the file changed.
pub(super) fn index_file(job: &Job, context: &JobContext<'_>) -> Result<(), IndexError> {
    let JobContext {
        fields,
        counts,
        options,
        observer,
        ..
    } = context;
    let read = read_file(
        &job.entry.path,
        options.max_file_size,
        options.max_text_bytes(),
        &options.extract,
    );
    // The budget counts the text that goes to the index, not the size of the file: once, or
    // twice when a copy goes to the stemmed field.
    let copies = if fields.language.stemmer().is_some() {
        2
    } else {
        1
    };
    let permit = context.budget.acquire(
        read.as_ref()
            .map_or(0, |file| copies * file.text.len() as u64),
    );
    let writer = context.writer.read().map_err(|_| poisoned())?;
    if job.replaces {
        // A changed file loses its old document even if it can no longer be indexed.
        writer.delete_term(fields.path_term(&job.path));
    }
    let file = match read {
        Ok(file) => file,
        Err(SkipReason::Binary) => {
            counts.binary.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        Err(SkipReason::TooLarge { size }) => {
            counts.too_large.fetch_add(1, Ordering::Relaxed);
            observer.warning(IndexWarning::TooLarge {
                path: job.entry.path.clone(),
                size,
                limit: options.max_file_size,
            });
            return Ok(());
        }
        Err(SkipReason::Unreadable(err)) => {
            counts.unreadable.fetch_add(1, Ordering::Relaxed);
            observer.warning(IndexWarning::Unreadable {
                path: Some(job.entry.path.clone()),
                message: io_message(err),
            });
            return Ok(());
        }
        Err(SkipReason::Unextractable { kind, error }) => {
            count(&counts.failed, error.reason());
            observer.warning(IndexWarning::Unextractable {
                path: job.entry.path.clone(),
                kind,
                message: error.to_string(),
            });
            return Ok(());
        }
    };
    if file.lossy {
        counts.lossy.fetch_add(1, Ordering::Relaxed);
    }
    if file.truncated {
        counts.truncated.fetch_add(1, Ordering::Relaxed);
        observer.warning(IndexWarning::Truncated {
            path: job.entry.path.clone(),
            limit: options.max_text_bytes(),
        });
    }
    if file.kind != DocumentType::Text {
        count(&counts.extracted, file.kind);
    }
    let len = file.text.len() as u64;
    let shown = display_key(&job.path);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &job.path);
    doc.add_text(fields.path_parts, &shown);
    for component in path_components(&shown) {
        doc.add_text(fields.path_parts_reversed, reversed_component(component));
    }
    if copies > 1 {
        doc.add_text(fields.contents_stemmed, &file.text);
        if let Some(title) = &file.title {
            doc.add_text(fields.title_stemmed, title);
        }
    }
    doc.add_text(fields.contents, file.text);
    if let Some(title) = &file.title {
        doc.add_text(fields.title, title);
    }
    doc.add_text(fields.doc_type, file.kind.name());
    doc.add_u64(fields.mtime, job.entry.mtime);
    doc.add_u64(fields.size, job.entry.size);
    writer
        .add_document(BudgetedDocument {
            document: doc,
            permit,
        })
        .map_err(IndexError::Tantivy)?;
    let counter = if job.replaces {
        &counts.updated
    } else {
        &counts.added
    };
    counter.fetch_add(1, Ordering::Relaxed);
    counts.bytes.fetch_add(len, Ordering::Relaxed);
    counts.since_commit.fetch_add(len, Ordering::Relaxed);
    Ok(())
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
