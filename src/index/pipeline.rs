//! The indexing run: plan what changed under each root, then read, decode and index the files in
//! parallel with tantivy's own indexing threads.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tantivy::{Index, Searcher};

use super::budget::ByteBudget;
use super::catalog::{Catalog, RootRecord};
use super::path_key::path_key;
use super::plan::{Job, Plan};
use super::queue::WorkQueue;
use super::reading::{commit_if_due, index_file, JobContext, SharedCounts};
use super::roots::{outermost, resolve_roots, Root};
use super::run::{IndexObserver, IndexOptions, IndexStats, Rebuild};
use super::schema::LanternSchema;
use super::writer::{commit, discard_uncommitted, heap_bytes, Writer};
use super::{
    ensure_writable, guard_engine, open_or_create_index, open_reader, remove_index_files,
    writer_error, IndexError,
};

/// At most this much text is read ahead of the indexing threads: enough to keep them busy, small
/// next to the writer heap.
const READ_AHEAD_BYTES: u64 = 64 << 20;

/// Files found by the walk and waiting for a reader. Large enough that the walk (a stat per
/// file, far faster than reading) normally finishes early, so the progress bar knows the total
/// and its ETA means something; bounded so a tree of millions of files still fits in memory
/// (a queued file costs a few hundred bytes).
const JOB_QUEUE_LEN: usize = 256 * 1024;

/// Indexes every root into the index at `index_dir`, creating it if needed; no roots means every
/// root the index already holds. Only new and changed files are read; documents of vanished
/// files are deleted. The index is committed at the end and every `commit_every_bytes`, each
/// commit carrying the catalog of roots. A failed run leaves the index at its last commit and
/// removes the files it wrote since.
///
/// The walk runs on `options.threads` threads of its own while this thread loads what the index
/// knows, then hands each new or changed file to as many reading threads through a bounded
/// channel, so reading starts with the first file found; readers feed tantivy's indexing threads
/// through its own bounded queue.
pub fn index_roots(
    index_dir: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> Result<IndexStats, IndexError> {
    if roots.is_empty() && !index_dir.join("meta.json").is_file() {
        return Err(IndexError::NoRoots);
    }
    ensure_writable(index_dir)?;
    guard_engine(index_dir, || {
        let started = Instant::now();
        let threads = options.threads.max(1);
        let heap = heap_bytes(options.heap_bytes, threads)?;
        let (index, fields, mut catalog) =
            open_for_writing(index_dir, options, !roots.is_empty(), observer)?;
        let index_folder = index_dir.canonicalize().ok();
        let roots = resolve_roots(roots, &options.walk, &catalog, index_folder.as_deref())?;
        let mut writer: Writer = index
            .writer_with_num_threads(threads, heap)
            .map_err(|err| writer_error(index_dir, err))?;
        remember_new_roots(&mut writer, &mut catalog, &roots)?;
        // Rebuilding every root the index holds needs nothing from its old segments, which may
        // be damaged: they are dropped whole.
        let rebuild_all = options.rebuild
            && catalog
                .roots
                .keys()
                .all(|known| roots.iter().any(|root| path_key(&root.path) == *known));
        let searcher = if rebuild_all {
            writer.delete_all_documents().map_err(IndexError::Tantivy)?;
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
        roots: &[Root],
    ) -> Result<IndexStats, RunError> {
        // Until this run completes, each root holds only what was committed so far.
        for root in roots {
            catalog
                .roots
                .entry(path_key(&root.path))
                .or_default()
                .complete = false;
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
                exclude: self.index_folder,
                walk_threads: self.threads,
                rebuild: self.options.rebuild,
                observer: self.observer,
                stats: &mut stats,
            };
            outermost(roots)
                .iter()
                .try_for_each(|root| plan.plan_root(&root.path, &root.rules, |job| queue.push(job)))
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
                path_key(&root.path),
                RootRecord {
                    last_indexed: Some(now),
                    complete: true,
                    rules: root.rules.clone(),
                },
            );
        }
        if let Err(err) = commit(&mut writer, catalog) {
            return Err(Box::new((err, Some(writer))));
        }
        writer
            .wait_merging_threads()
            .map_err(|err| Box::new((IndexError::Tantivy(err), None)))?;
        counts.add_to(&mut stats);
        Ok(stats)
    }
}

/// Commits the roots the index does not hold yet, marked incomplete, before a file is read: a
/// run killed before its first commit of documents still leaves them for the next
/// `lantern index` (with no folder) to index, and for `lantern status` to show as interrupted.
/// A run over known roots commits nothing here.
fn remember_new_roots(
    writer: &mut Writer,
    catalog: &mut Catalog,
    roots: &[Root],
) -> Result<(), IndexError> {
    let mut new = false;
    for root in roots {
        catalog
            .roots
            .entry(path_key(&root.path))
            .or_insert_with(|| {
                new = true;
                RootRecord {
                    last_indexed: None,
                    complete: false,
                    rules: root.rules.clone(),
                }
            });
    }
    if new {
        commit(writer, catalog)?;
    }
    Ok(())
}

/// Opens the index for writing, with its catalog of roots (recording the language `options`
/// asks for). An index of another schema version is replaced by an empty one that keeps its
/// roots, saying so to `observer`; so is, when rebuilding, an index made by an older Lantern
/// (whose fields differ), and, when roots were named, an index whose list of roots cannot even
/// be read.
fn open_for_writing(
    dir: &Path,
    options: &IndexOptions,
    roots_named: bool,
    observer: &dyn IndexObserver,
) -> Result<(Index, LanternSchema, Catalog), IndexError> {
    let opened = open_or_create_index(dir, options.language.unwrap_or_default())
        .and_then(|(index, fields)| Ok((Catalog::load(&index)?, index, fields)));
    let catalog = match opened {
        Ok((catalog, index, fields)) => {
            // Words are indexed as written and stemmed when searched: another language only
            // changes what the catalog records (a new index's catalog is the default one).
            let language = options.language.unwrap_or(fields.language);
            let catalog = Catalog {
                language,
                ..catalog
            };
            return Ok((index, LanternSchema { language, ..fields }, catalog));
        }
        Err(IndexError::OtherVersion { found, .. }) => {
            observer.rebuilding(Rebuild::OtherVersion { found });
            refill(old_catalog(dir))
        }
        Err(IndexError::NotLantern(_)) if options.rebuild => refill(old_catalog(dir)),
        Err(IndexError::Corrupt { .. } | IndexError::BadCatalog(_))
            if options.rebuild && roots_named =>
        {
            Catalog::default()
        }
        Err(err) => return Err(err),
    };
    // Without a language asked for, the new index keeps the old one's.
    let language = options.language.unwrap_or(catalog.language);
    remove_index_files(dir)?;
    let (index, fields) = open_or_create_index(dir, language)?;
    let catalog = Catalog {
        language,
        ..catalog
    };
    Ok((index, fields, catalog))
}

/// The catalog of the index at `dir`, however old (the default when unreadable).
fn old_catalog(dir: &Path) -> Catalog {
    Index::open_in_dir(dir)
        .ok()
        .and_then(|old| Catalog::load(&old).ok())
        .unwrap_or_default()
}

/// The catalog for an empty index replacing the one `old` describes: its roots, marked
/// incomplete, and its language, as this version of Lantern records them. The roots hold nothing
/// until indexed again: those this run does not name show as incomplete, and the next
/// 'lantern index' fills them.
fn refill(old: Catalog) -> Catalog {
    let mut roots = old.roots;
    for record in roots.values_mut() {
        record.complete = false;
    }
    Catalog {
        roots,
        language: old.language,
        ..Catalog::default()
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
