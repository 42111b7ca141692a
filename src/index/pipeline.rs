//! The indexing run: plan what changed under each root, then read, decode and index the files in
//! parallel with tantivy's own indexing threads.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tantivy::schema::Term;
use tantivy::{IndexWriter, TantivyDocument};

use super::budget::{BudgetedDocument, ByteBudget};
use super::catalog::{files_under, Catalog, FileStamp, RootRecord};
use super::schema::LanternSchema;
use super::text::{read_text_file, SkipReason};
use super::walk::{walk_files, FileEntry, WalkOptions};
use super::{open_or_create_index, open_reader, writer_error, IndexError};

/// tantivy refuses a writer heap under 15 MB per indexing thread.
const MIN_HEAP_PER_THREAD: usize = 15_000_000;

/// At most this much text is read ahead of the indexing threads: enough to keep them busy, small
/// next to the writer heap.
const READ_AHEAD_BYTES: u64 = 64 << 20;

/// The writer of Lantern's documents.
type Writer = IndexWriter<BudgetedDocument>;

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
    /// The walk is done: `files` files holding `bytes` bytes are to be read.
    fn planned(&self, _files: u64, _bytes: u64) {}
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
    /// Bytes of the files read.
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

/// A file to read: new, or changed since it was indexed.
struct Job {
    entry: FileEntry,
    path: String,
    replaces: bool,
}

/// What the reading threads share.
struct JobContext<'a> {
    writer: &'a RwLock<Writer>,
    fields: &'a LanternSchema,
    catalog: &'a Catalog,
    counts: &'a SharedCounts,
    budget: &'a Arc<ByteBudget>,
    options: &'a IndexOptions,
    observer: &'a dyn IndexObserver,
}

/// Counters shared by the reading threads.
#[derive(Default)]
struct SharedCounts {
    added: AtomicU64,
    updated: AtomicU64,
    binary: AtomicU64,
    too_large: AtomicU64,
    unreadable: AtomicU64,
    lossy: AtomicU64,
    bytes: AtomicU64,
    since_commit: AtomicU64,
}

/// Indexes every root into the index at `index_dir`, creating it if needed. Only new and changed
/// files are read; documents of vanished files are deleted. The index is committed at the end and
/// every `commit_every_bytes`, each commit carrying the catalog of roots.
pub fn index_root(
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
    let (index, fields) = open_or_create_index(index_dir)?;
    let threads = options.threads.max(1);
    let heap = options.heap_bytes.max(MIN_HEAP_PER_THREAD * threads);
    let writer: Writer = index
        .writer_with_num_threads(threads, heap)
        .map_err(|err| writer_error(index_dir, err))?;

    let mut catalog = Catalog::load(&index)?;
    let mut stats = IndexStats::default();
    let mut walk = options.walk.clone();
    walk.exclude = index_dir.canonicalize().ok();
    let searcher = open_reader(&index, index_dir)?.searcher();

    let mut jobs = Vec::new();
    for root in &roots {
        let mut known = files_under(&searcher, &fields, root)?;
        if options.rebuild {
            for path in known.keys() {
                writer.delete_term(Term::from_field_text(fields.path, path));
            }
            stats.removed += known.len() as u64;
            known.clear();
        }
        for found in walk_files(root, &walk) {
            let entry = match found {
                Ok(entry) => entry,
                Err(err) => {
                    stats.unreadable += 1;
                    observer.warning(IndexWarning::Unreadable {
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
                Some(old) if old == stamp => stats.unchanged += 1,
                previous => jobs.push(Job {
                    entry,
                    path,
                    replaces: previous.is_some(),
                }),
            }
        }
        // Whatever the walk did not find again has vanished.
        for path in known.keys() {
            writer.delete_term(Term::from_field_text(fields.path, path));
        }
        stats.removed += known.len() as u64;
        catalog
            .roots
            .entry(root.to_string_lossy().into_owned())
            .or_default()
            .complete = false;
    }
    observer.planned(
        jobs.len() as u64,
        jobs.iter().map(|job| job.entry.size).sum(),
    );

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
    run_jobs(&jobs, &context)?;

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

/// Reads, decodes and indexes `jobs` on `options.threads` threads. tantivy's `add_document` feeds a
/// bounded queue, so readers wait when the indexing threads fall behind and memory stays bounded.
fn run_jobs(jobs: &[Job], context: &JobContext<'_>) -> Result<(), IndexError> {
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<IndexError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..context.options.threads.max(1) {
            scope.spawn(|| loop {
                if failure.lock().map_or(true, |f| f.is_some()) {
                    return;
                }
                let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return;
                };
                let outcome = index_file(job, context).and_then(|()| commit_if_due(context));
                context.observer.file_done(job.entry.size);
                if let Err(err) = outcome {
                    if let Ok(mut slot) = failure.lock() {
                        slot.get_or_insert(err);
                    }
                    return;
                }
            });
        }
    });
    match failure.into_inner().map_err(|_| poisoned())? {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// Reads one file and adds its document, replacing the previous one when the file changed.
fn index_file(job: &Job, context: &JobContext<'_>) -> Result<(), IndexError> {
    let JobContext {
        fields,
        counts,
        options,
        observer,
        ..
    } = context;
    let permit = context.budget.acquire(job.entry.size);
    let writer = context.writer.read().map_err(|_| poisoned())?;
    if job.replaces {
        // A changed file loses its old document even if it can no longer be indexed.
        writer.delete_term(Term::from_field_text(fields.path, &job.path));
    }
    let decoded = match read_text_file(&job.entry.path, options.max_file_size) {
        Ok(decoded) => decoded,
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
    };
    if decoded.lossy {
        counts.lossy.fetch_add(1, Ordering::Relaxed);
    }
    let len = decoded.text.len() as u64;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &job.path);
    doc.add_text(fields.path_parts, &job.path);
    doc.add_text(fields.contents, decoded.text);
    doc.add_u64(fields.mtime, job.entry.mtime);
    doc.add_u64(fields.size, job.entry.size);
    writer.add_document(BudgetedDocument {
        document: doc,
        permit,
    })?;
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
fn commit_if_due(context: &JobContext<'_>) -> Result<(), IndexError> {
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

/// Commits everything added so far, with the catalog as the commit's payload.
fn commit(writer: &mut Writer, catalog: &Catalog) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&catalog.to_payload());
    prepared.commit()?;
    Ok(())
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
fn io_message(err: std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no longer exists".to_string(),
        _ => err.to_string(),
    }
}

/// A lock was poisoned: a reading thread panicked, which is a bug.
fn poisoned() -> IndexError {
    IndexError::Io(std::io::Error::other(
        "an indexing thread panicked; the index keeps its last commit",
    ))
}
