//! The indexing run: plan what changed under each root, then read, decode and index the files in
//! parallel with tantivy's own indexing threads.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::panic::AssertUnwindSafe;

use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

use super::budget::{BudgetedDocument, ByteBudget};
use super::catalog::{Catalog, RootRecord};
use super::path_key::{key_path, path_key};
use super::plan::{Job, Plan};
use super::queue::WorkQueue;
use super::reading::{commit_if_due, index_file, JobContext, SharedCounts};
use super::schema::LanternSchema;
use super::walk::WalkOptions;
use super::{
    guard_engine, open_or_create_index, open_reader, remove_index_files, remove_orphan_segments,
    writer_error, IndexError, MIN_HEAP,
};

/// tantivy refuses a writer heap under 15 MB per indexing thread.
const MIN_HEAP_PER_THREAD: usize = MIN_HEAP;

/// tantivy refuses a writer heap over 4 GB less a 1 MB margin per indexing thread (its arena
/// addresses are 32-bit).
const MAX_HEAP_PER_THREAD: usize = u32::MAX as usize - 1_000_000;

/// At most this much text is read ahead of the indexing threads: enough to keep them busy, small
/// next to the writer heap.
const READ_AHEAD_BYTES: u64 = 64 << 20;

/// Files found by the walk and waiting for a reader. Large enough that the walk (a stat per
/// file, far faster than reading) normally finishes early, so the progress bar knows the total
/// and its ETA means something; bounded so a tree of millions of files still fits in memory
/// (a queued file costs a few hundred bytes).
const JOB_QUEUE_LEN: usize = 256 * 1024;

/// The writer of Lantern's documents.
pub(super) type Writer = IndexWriter<BudgetedDocument>;

/// How an indexing run behaves.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Threads for reading files and, as many again, for tantivy's indexing.
    pub threads: usize,
    /// Total memory for tantivy's in-memory segments, in bytes, shared by the indexing threads.
    pub heap_bytes: usize,
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
    /// Commit whenever this many bytes of text were indexed since the last commit, so an
    /// interrupted run keeps its work.
    pub commit_every_bytes: u64,
    /// Forget what the index holds under each root and index it from scratch.
    pub rebuild: bool,
    /// Which files the walk yields.
    pub walk: WalkOptions,
}

/// Receives the progress and warnings of an indexing run. The library never prints; the command
/// line shows these as it sees fit.
pub trait IndexObserver: Sync {
    /// The walk found one more file to read, of `bytes` bytes.
    fn found(&self, _bytes: u64) {}
    /// One planned file was handled (indexed or skipped).
    fn file_done(&self, _bytes: u64) {}
    /// Something was skipped or could not be read; the run goes on.
    fn warning(&self, warning: IndexWarning);
}

/// A file or folder that could not be indexed.
#[derive(Debug)]
pub enum IndexWarning {
    /// Permission denied, vanished mid-walk, a symlink loop, a read error...
    Unreadable {
        /// The path concerned, when known.
        path: Option<PathBuf>,
        /// What went wrong.
        message: String,
    },
    /// Larger than `--max-file-size`.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
}

impl fmt::Display for IndexWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexWarning::Unreadable {
                path: Some(path),
                message,
            } => write!(f, "skipped {}: {message}", path.display()),
            IndexWarning::Unreadable {
                path: None,
                message,
            } => write!(f, "skipped: {message}"),
            IndexWarning::TooLarge { path, size, limit } => write!(
                f,
                "skipped {}: {size} bytes is over the {limit}-byte limit (raise --max-file-size)",
                path.display()
            ),
        }
    }
}

/// What an indexing run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Files indexed for the first time.
    pub added: u64,
    /// Files re-indexed because their size or modification time changed.
    pub updated: u64,
    /// Documents deleted because their file vanished (or `--rebuild`).
    pub removed: u64,
    /// Files left alone because they did not change.
    pub unchanged: u64,
    /// Files skipped because they are binary.
    pub binary: u64,
    /// Files skipped because they exceed the size cap.
    pub too_large: u64,
    /// Files and folders skipped because they could not be read.
    pub unreadable: u64,
    /// Indexed files whose invalid UTF-8 was replaced by U+FFFD.
    pub lossy: u64,
    /// Bytes of text indexed, as decoded (a skipped file counts nothing).
    pub bytes: u64,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl IndexStats {
    /// Files skipped for any reason.
    pub fn skipped(&self) -> u64 {
        self.binary + self.too_large + self.unreadable
    }
}

/// Indexes every root into the index at `index_dir`, creating it if needed; no roots means every
/// root the index already holds. Only new and changed files are read; documents of vanished
/// files are deleted. The index is committed at the end and every `commit_every_bytes`, each
/// commit carrying the catalog of roots. A failed run leaves the index at its last commit and
/// removes the files it wrote since.
///
/// The walk runs on this thread and hands files to `options.threads` reading threads through a
/// bounded channel, so reading starts with the first file found; readers feed tantivy's indexing
/// threads through its own bounded queue.
pub fn index_roots(
    index_dir: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> Result<IndexStats, IndexError> {
    if roots.is_empty() && !index_dir.join("meta.json").is_file() {
        return Err(IndexError::NoRoots);
    }
    guard_engine(index_dir, || {
        let started = Instant::now();
        let threads = options.threads.max(1);
        let heap = heap_bytes(options.heap_bytes, threads)?;
        let (index, fields) = open_for_writing(index_dir, options.rebuild && !roots.is_empty())?;
        let mut catalog = Catalog::load(&index)?;
        let index_folder = index_dir.canonicalize().ok();
        let roots = resolve_roots(roots, &catalog, index_folder.as_deref())?;
        let writer: Writer = index
            .writer_with_num_threads(threads, heap)
            .map_err(|err| writer_error(index_dir, err))?;
        // Rebuilding every root the index holds needs nothing from its old segments, which may
        // be damaged: they are dropped whole.
        let rebuild_all = options.rebuild
            && catalog
                .roots
                .keys()
                .all(|known| roots.iter().any(|root| path_key(root) == *known));
        let searcher = if rebuild_all {
            writer.delete_all_documents()?;
            catalog.roots.clear();
            None
        } else {
            Some(open_reader(&index, index_dir)?.searcher())
        };
        let run = Run {
            fields: &fields,
            options,
            observer,
            threads,
            index_folder: index_folder.as_deref(),
        };
        match run.index(writer, searcher.as_ref(), &mut catalog, &roots) {
            Ok(mut stats) => {
                stats.elapsed = started.elapsed();
                Ok(stats)
            }
            Err(failed) => {
                let (err, writer) = *failed;
                if let Some(writer) = writer {
                    discard_uncommitted(&index, index_dir, writer);
                }
                Err(err)
            }
        }
    })
}

/// What one indexing run works with.
struct Run<'a> {
    fields: &'a LanternSchema,
    options: &'a IndexOptions,
    observer: &'a dyn IndexObserver,
    threads: usize,
    index_folder: Option<&'a Path>,
}

/// An error, with the writer back when it can still clean up after itself.
type RunError = Box<(IndexError, Option<Writer>)>;

impl Run<'_> {
    /// Walks, reads and indexes `roots`, then commits with the catalog marking them complete.
    fn index(
        &self,
        writer: Writer,
        searcher: Option<&Searcher>,
        catalog: &mut Catalog,
        roots: &[PathBuf],
    ) -> Result<IndexStats, RunError> {
        // Until this run completes, each root holds only what was committed so far.
        for root in roots {
            catalog.roots.entry(path_key(root)).or_default().complete = false;
        }
        let writer = RwLock::new(writer);
        let counts = SharedCounts::default();
        let budget = ByteBudget::new(READ_AHEAD_BYTES);
        let context = JobContext {
            writer: &writer,
            fields: self.fields,
            catalog,
            counts: &counts,
            budget: &budget,
            options: self.options,
            observer: self.observer,
        };
        let mut stats = IndexStats::default();
        let failure: Mutex<Option<IndexError>> = Mutex::new(None);
        let queue = WorkQueue::new(JOB_QUEUE_LEN);
        let planned = std::thread::scope(|scope| {
            for _ in 0..self.threads {
                scope.spawn(|| read_jobs(&queue, &context, &failure));
            }
            // However planning ends, even by a panic, the readers must be told no more will
            // come, or they wait forever and the scope never ends.
            let _closer = queue.closer();
            let mut plan = Plan {
                searcher,
                fields: self.fields,
                writer: &writer,
                walk: &self.options.walk,
                exclude: self.index_folder,
                rebuild: self.options.rebuild,
                observer: self.observer,
                stats: &mut stats,
            };
            outermost(roots)
                .iter()
                .try_for_each(|root| plan.plan_root(root, |job| queue.push(job)))
        });
        let failed = failure
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let writer = writer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(err) = planned.err().or(failed) {
            return Err(Box::new((err, Some(writer))));
        }
        let mut writer = writer;

        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        for root in roots {
            catalog.roots.insert(
                path_key(root),
                RootRecord {
                    last_indexed: Some(now),
                    complete: true,
                },
            );
        }
        if let Err(err) = commit(&mut writer, catalog) {
            return Err(Box::new((err, Some(writer))));
        }
        writer
            .wait_merging_threads()
            .map_err(|err| Box::new((err.into(), None)))?;
        counts.add_to(&mut stats);
        Ok(stats)
    }
}

/// Rolls the writer back to the last commit and deletes the files written since, so that a run
/// that failed (say, on a full disk) leaves nothing behind that keeps the disk full. Merges still
/// running are waited for first: they too write files.
fn discard_uncommitted(index: &Index, dir: &Path, mut writer: Writer) {
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
fn heap_bytes(asked: usize, threads: usize) -> Result<usize, IndexError> {
    if asked / threads > MAX_HEAP_PER_THREAD {
        return Err(IndexError::HeapTooLarge {
            asked_mb: (asked >> 20) as u64,
            threads,
            max_mb: (MAX_HEAP_PER_THREAD >> 20) as u64,
        });
    }
    Ok(asked.max(MIN_HEAP_PER_THREAD * threads))
}

/// Opens the index for writing. With `start_over`, an index whose list of roots cannot even be
/// read is replaced by an empty one.
fn open_for_writing(dir: &Path, start_over: bool) -> Result<(Index, LanternSchema), IndexError> {
    match open_or_create_index(dir) {
        Err(IndexError::Corrupt { .. } | IndexError::BadCatalog(_)) if start_over => {
            remove_index_files(dir)?;
            open_or_create_index(dir)
        }
        opened => opened,
    }
}

/// A reading thread: takes jobs until the walk is over. After a failure it keeps draining the
/// queue without reading, so the walk never blocks on a full queue. A panic while indexing a
/// file fails the run, not the thread.
fn read_jobs(
    queue: &WorkQueue<Job>,
    context: &JobContext<'_>,
    failure: &Mutex<Option<IndexError>>,
) {
    while let Some(job) = queue.pop() {
        if failure.lock().map_or(true, |slot| slot.is_some()) {
            continue;
        }
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            index_file(&job, context).and_then(|()| commit_if_due(context))
        }))
        .unwrap_or_else(|panic| Err(IndexError::from_panic(&job.entry.path, panic.as_ref())));
        context.observer.file_done(job.entry.size);
        if let Err(err) = outcome {
            if let Ok(mut slot) = failure.lock() {
                slot.get_or_insert(err);
            }
        }
    }
}

/// Commits everything added so far, with the catalog as the commit's payload.
///
/// Test hook: with `LANTERN_TEST_ABORT_AFTER_COMMITS=N` in the environment, the process aborts
/// right after its N-th successful commit, as `kill -9` would stop it there (see
/// `tests/crash.rs`).
pub(super) fn commit(writer: &mut Writer, catalog: &Catalog) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&catalog.to_payload());
    prepared.commit()?;
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

/// The roots to walk: each once, and none inside another (its files are the outer root's), so
/// that no file is planned twice in one run.
fn outermost(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut sorted = roots.to_vec();
    sorted.sort();
    let mut walked: Vec<PathBuf> = Vec::new();
    for root in sorted {
        if !walked.iter().any(|outer| root.starts_with(outer)) {
            walked.push(root);
        }
    }
    walked
}

/// The roots to index: those given, each absolute, symlink-free, a readable folder and not the
/// index itself; none given means every root of `catalog`.
fn resolve_roots(
    given: &[PathBuf],
    catalog: &Catalog,
    index_folder: Option<&Path>,
) -> Result<Vec<PathBuf>, IndexError> {
    if given.is_empty() {
        if catalog.roots.is_empty() {
            return Err(IndexError::NoRoots);
        }
        let known: Vec<PathBuf> = catalog.roots.keys().map(|key| key_path(key)).collect();
        return known
            .iter()
            .map(|root| canonical_root(root, index_folder))
            .collect();
    }
    given
        .iter()
        .map(|root| canonical_root(root, index_folder))
        .collect()
}

/// The absolute, symlink-free form of a root, which must be a readable folder and must not be,
/// or lie inside, the index folder.
fn canonical_root(root: &Path, index_folder: Option<&Path>) -> Result<PathBuf, IndexError> {
    let bad_root = |reason: String| IndexError::BadRoot {
        path: root.to_path_buf(),
        reason,
    };
    let canonical = root.canonicalize().map_err(|err| {
        bad_root(match err.kind() {
            std::io::ErrorKind::NotFound => format!(
                "it does not exist; to drop it from the index, run 'lantern forget {}'",
                root.display()
            ),
            _ => io_message(err),
        })
    })?;
    if !canonical.is_dir() {
        return Err(bad_root("it is not a folder".to_string()));
    }
    std::fs::read_dir(&canonical).map_err(|err| bad_root(io_message(err)))?;
    if index_folder.is_some_and(|index| canonical.starts_with(index)) {
        return Err(bad_root(
            "it is the index folder itself; index another folder or put the index elsewhere (--index)"
                .to_string(),
        ));
    }
    Ok(canonical)
}

/// An I/O error as a short lower-case message.
pub(super) fn io_message(err: std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no longer exists".to_string(),
        std::io::ErrorKind::OutOfMemory => "too large to hold in memory".to_string(),
        std::io::ErrorKind::WouldBlock => "reading it would wait (a device or a pipe?)".to_string(),
        _ => err.to_string(),
    }
}

/// A lock was poisoned: a reading thread panicked.
pub(super) fn poisoned() -> IndexError {
    IndexError::Engine {
        path: PathBuf::new(),
        cause: "an indexing thread failed".to_string(),
    }
}
