//! The indexing run: plan what changed under each root, then read, decode and index the files in
//! parallel with tantivy's own indexing threads.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tantivy::IndexWriter;

use super::budget::{BudgetedDocument, ByteBudget};
use super::catalog::{Catalog, RootRecord};
use super::plan::{Job, Plan};
use super::queue::WorkQueue;
use super::reading::{commit_if_due, index_file, JobContext, SharedCounts};
use super::walk::WalkOptions;
use super::{open_or_create_index, open_reader, writer_error, IndexError};

/// tantivy refuses a writer heap under 15 MB per indexing thread.
const MIN_HEAP_PER_THREAD: usize = 15_000_000;

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

/// Indexes every root into the index at `index_dir`, creating it if needed. Only new and changed
/// files are read; documents of vanished files are deleted. The index is committed at the end and
/// every `commit_every_bytes`, each commit carrying the catalog of roots.
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
    let started = Instant::now();
    let roots = roots
        .iter()
        .map(|root| canonical_root(root))
        .collect::<Result<Vec<_>, _>>()?;
    let walked = outermost(&roots);
    let (index, fields) = open_or_create_index(index_dir)?;
    let threads = options.threads.max(1);
    let heap = options.heap_bytes.max(MIN_HEAP_PER_THREAD * threads);
    let writer: Writer = index
        .writer_with_num_threads(threads, heap)
        .map_err(|err| writer_error(index_dir, err))?;
    let searcher = open_reader(&index, index_dir)?.searcher();

    // Until this run completes, each root holds only what was committed so far.
    let mut catalog = Catalog::load(&index)?;
    for root in &roots {
        catalog
            .roots
            .entry(root.to_string_lossy().into_owned())
            .or_default()
            .complete = false;
    }
    let index_folder = index_dir.canonicalize().ok();

    let writer = RwLock::new(writer);
    let counts = SharedCounts::default();
    let budget = ByteBudget::new(READ_AHEAD_BYTES);
    let context = JobContext {
        writer: &writer,
        fields: &fields,
        catalog: &catalog,
        counts: &counts,
        budget: &budget,
        options,
        observer,
    };
    let mut stats = IndexStats::default();
    let failure: Mutex<Option<IndexError>> = Mutex::new(None);
    let queue = WorkQueue::new(JOB_QUEUE_LEN);
    let planned = std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| read_jobs(&queue, &context, &failure));
        }
        let mut plan = Plan {
            searcher: &searcher,
            fields: &fields,
            writer: &writer,
            walk: &options.walk,
            exclude: index_folder.as_deref(),
            rebuild: options.rebuild,
            observer,
            stats: &mut stats,
        };
        let planned = walked
            .iter()
            .try_for_each(|root| plan.plan_root(root, |job| queue.push(job)));
        queue.close();
        planned
    });
    planned?;
    if let Some(err) = failure.into_inner().map_err(|_| poisoned())? {
        return Err(err);
    }

    let mut writer = writer.into_inner().map_err(|_| poisoned())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    for root in &roots {
        catalog.roots.insert(
            root.to_string_lossy().into_owned(),
            RootRecord {
                last_indexed: Some(now),
                complete: true,
            },
        );
    }
    commit(&mut writer, &catalog)?;
    writer.wait_merging_threads()?;

    stats.added = counts.added.into_inner();
    stats.updated = counts.updated.into_inner();
    stats.binary = counts.binary.into_inner();
    stats.too_large = counts.too_large.into_inner();
    stats.unreadable += counts.unreadable.into_inner();
    stats.lossy = counts.lossy.into_inner();
    stats.bytes = counts.bytes.into_inner();
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// A reading thread: takes jobs until the walk is over. After a failure it keeps draining the
/// queue without reading, so the walk never blocks on a full queue.
fn read_jobs(
    queue: &WorkQueue<Job>,
    context: &JobContext<'_>,
    failure: &Mutex<Option<IndexError>>,
) {
    while let Some(job) = queue.pop() {
        if failure.lock().map_or(true, |slot| slot.is_some()) {
            continue;
        }
        let outcome = index_file(&job, context).and_then(|()| commit_if_due(context));
        context.observer.file_done(job.entry.size);
        if let Err(err) = outcome {
            if let Ok(mut slot) = failure.lock() {
                slot.get_or_insert(err);
            }
        }
    }
}

/// Commits everything added so far, with the catalog as the commit's payload.
pub(super) fn commit(writer: &mut Writer, catalog: &Catalog) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&catalog.to_payload());
    prepared.commit()?;
    Ok(())
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

/// The absolute, symlink-free form of a root, which must be a readable folder.
fn canonical_root(root: &Path) -> Result<PathBuf, IndexError> {
    let bad_root = |source| IndexError::BadRoot {
        path: root.to_path_buf(),
        source,
    };
    let canonical = root.canonicalize().map_err(bad_root)?;
    if !canonical.is_dir() {
        return Err(bad_root(std::io::Error::other("not a folder")));
    }
    Ok(canonical)
}

/// An I/O error as a short lower-case message.
pub(super) fn io_message(err: std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no longer exists".to_string(),
        _ => err.to_string(),
    }
}

/// A lock was poisoned: a reading thread panicked, which is a bug.
pub(super) fn poisoned() -> IndexError {
    IndexError::Io(std::io::Error::other(
        "an indexing thread panicked; the index keeps its last commit",
    ))
}
