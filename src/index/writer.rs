//! tantivy's writer as an indexing run uses it: its heap, its commits (which carry the catalog),
//! and the clean-up after a failed run.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexWriter, TantivyDocument};

use super::budget::BudgetedDocument;
use super::catalog::Catalog;
use super::{remove_orphan_segments, IndexError};

/// The smallest writer heap tantivy accepts for one indexing thread (15 MB).
pub(crate) const MIN_HEAP: usize = 15_000_000;

/// tantivy refuses a writer heap over 4 GB less a 1 MB margin per indexing thread (its arena
/// addresses are 32-bit).
const MAX_HEAP_PER_THREAD: usize = u32::MAX as usize - 1_000_000;

/// The writer of Lantern's documents.
pub(super) type Writer = IndexWriter<BudgetedDocument>;

/// Rolls the writer back to the last commit and deletes the files written since, so that a run
/// that failed (say, on a full disk) leaves nothing behind that keeps the disk full. Merges still
/// running are waited for first: they too write files.
pub(super) fn discard_uncommitted(index: &Index, dir: &Path, mut writer: Writer) {
    // All best effort: the run's own error is the one to report.
    let _ = writer.rollback();
    let _ = writer.wait_merging_threads();
    // Holding the writer lock, nothing else writes segments meanwhile.
    if let Ok(cleaner) = index.writer_with_num_threads::<TantivyDocument>(1, MIN_HEAP) {
        let _ = cleaner.garbage_collect_files().wait();
        remove_orphan_segments(index, dir);
    }
}

/// The writer heap for `threads` indexing threads: at least what tantivy needs per thread, and
/// an error when the total is more than they may use.
pub(super) fn heap_bytes(asked: usize, threads: usize) -> Result<usize, IndexError> {
    if asked / threads > MAX_HEAP_PER_THREAD {
        return Err(IndexError::HeapTooLarge {
            asked_mb: (asked >> 20) as u64,
            threads,
            max_mb: (MAX_HEAP_PER_THREAD >> 20) as u64,
        });
    }
    Ok(asked.max(MIN_HEAP * threads))
}

/// Commits everything added so far, with the catalog as the commit's payload.
///
/// Test hook: with `LANTERN_TEST_ABORT_AFTER_COMMITS=N` in the environment, the process aborts
/// right after its N-th successful commit, as `kill -9` would stop it there (see
/// `tests/crash.rs`).
pub(super) fn commit(writer: &mut Writer, catalog: &Catalog) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit().map_err(IndexError::Tantivy)?;
    prepared.set_payload(&catalog.to_payload());
    prepared.commit().map_err(IndexError::Tantivy)?;
    abort_if_a_test_asks();
    Ok(())
}

/// Test hook for `tests/crash.rs`, not a feature: counts this process's successful commits and
/// aborts after the N-th when `LANTERN_TEST_ABORT_AFTER_COMMITS=N` is set, so a crash can be
/// simulated at a known point instead of after some wall-clock time.
fn abort_if_a_test_asks() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COMMITS: AtomicUsize = AtomicUsize::new(0);
    let done = COMMITS.fetch_add(1, Ordering::SeqCst) + 1;
    let abort_after = std::env::var("LANTERN_TEST_ABORT_AFTER_COMMITS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok());
    if abort_after == Some(done) {
        std::process::abort();
    }
}

/// A lock was poisoned: a reading thread panicked.
pub(super) fn poisoned() -> IndexError {
    IndexError::Engine {
        path: PathBuf::new(),
        cause: "an indexing thread failed".to_string(),
    }
}
