//! `lantern --engine URL index DIR`: bring an OpenSearch index in line with folders on disk.
//!
//! The engine is the catalog: for each root, the engine's paths under it are streamed in sorted
//! order (`search_after` on the `path` keyword) beside Lantern's own sorted walk, and the two
//! lists are merged ([`super::catalog`]). New and changed files are extracted (the same reading as
//! the local engine, members of containers included: [`super::operations`]) and sent with `_bulk`
//! in bounded batches; vanished ones (deleted, or moved away: a move is a delete plus an add) are
//! deleted by `_id`, with their members. The containers' own documents go once the rest of the
//! root's operations are acknowledged, so each is sent only after its members. Each document's external version is its mtime, so a
//! slower crawler holding older text cannot overwrite newer text. Nothing is remembered on the
//! machine: killed at any moment and run again, the next diff finds what is still to do. The
//! index itself remembers whether its last sync ended well and what each root's walk was then
//! ([`super::sync_state`]), so a re-sync of unchanged folders reads no catalog at all.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::bulk::{send_pipelined, BulkQueue};
use super::catalog::{by_file, diff, engine_catalog, is_member};
use super::client::{error_type, Client};
use super::mapping::{index_definition, recorded_language, recorded_version, MAPPING_VERSION};
use super::operations::{delete_line, prepare, MemberSkips, PrepareContext, Prepared};
use super::sync_state::{walk_digest, RootRecord, StateKeeper};
use super::OpenSearchError;
use crate::index::language::Language;
use crate::index::path_key::{key_path, path_key};
use crate::index::walk::{walk_files, FileEntry};
use crate::index::{IndexObserver, IndexOptions, IndexStats, IndexWarning, MemberRules};

/// What a sync did: the local engine's statistics, so the summary line is the same.
pub type SyncStats = IndexStats;

/// Changes from which a root's sync relaxes the index's translog durability while it writes
/// ([`super::durability`]): two full `_bulk` requests. A smaller sync (a `watch` pass) would
/// spend more on the two settings updates and the final `_flush` than it saves.
const RELAX_AT: usize = 1_000;
/// Files read and extracted together, in parallel, before their documents are queued.
const READ_CHUNK: usize = 64;
/// Shards and replicas of an index Lantern creates: two shards so a node can be lost and one
/// replica so nothing is.
const SHARDS: u32 = 2;
/// See [`SHARDS`].
const REPLICAS: u32 = 1;

/// Creates the index if it does not exist, stemming in `language` (English when not given), and
/// refuses one made by another mapping version or stemming in another language than the one
/// asked for (its stems cannot be changed in place). Returns the index's language and its
/// `GET /INDEX/_mapping` answer (which also holds its sync state).
pub fn ensure_index(
    client: &Client,
    language: Option<Language>,
) -> Result<(Language, Value), OpenSearchError> {
    let (status, mapping) = client.send("GET", "/_mapping", None, "application/json")?;
    if status == 404 {
        let language = language.unwrap_or_default();
        let definition = index_definition(SHARDS, REPLICAS, language).map_err(|reason| {
            OpenSearchError::Language {
                index: client.index().to_string(),
                reason,
            }
        })?;
        let (status, answer) =
            client.send("PUT", "", Some(&definition.to_string()), "application/json")?;
        // Another crawler may have created it meanwhile: that is fine.
        if status == 404 && error_type(&answer) != "resource_already_exists_exception" {
            return Err(client.not_found(answer));
        }
        wait_for_index(client)?;
        let mapping = json!({ client.index(): { "mappings": definition["mappings"] } });
        return Ok((language, mapping));
    }
    let found = check_mapping(client, &mapping)?;
    match language {
        Some(asked) if asked != found => Err(OpenSearchError::Language {
            index: client.index().to_string(),
            reason: format!(
                "it stems in {found}, not {asked}; the stems of an OpenSearch index cannot \
                 change in place: index into a new index, or drop --language"
            ),
        }),
        Some(_) | None => Ok((found, mapping)),
    }
}

/// The language the existing index `client` names stems in, once its mapping is checked to be
/// this Lantern's.
pub fn index_language(client: &Client) -> Result<Language, OpenSearchError> {
    let (status, mapping) = client.send("GET", "/_mapping", None, "application/json")?;
    if status == 404 {
        return Err(client.not_found(mapping));
    }
    check_mapping(client, &mapping)
}

/// Refuses an index whose mapping another Lantern (or no Lantern) made; returns the language
/// its stemmed fields are in.
pub fn check_mapping(client: &Client, mapping: &Value) -> Result<Language, OpenSearchError> {
    let found = recorded_version(mapping);
    if found != MAPPING_VERSION {
        return Err(OpenSearchError::OldMapping {
            index: client.index().to_string(),
            found,
            expected: MAPPING_VERSION,
        });
    }
    recorded_language(mapping).ok_or_else(|| OpenSearchError::Language {
        index: client.index().to_string(),
        reason: "its mapping names no language this Lantern knows".to_string(),
    })
}

/// Waits until every primary shard of a new index is active, so the first writes land.
fn wait_for_index(client: &Client) -> Result<(), OpenSearchError> {
    let path = format!(
        "//_cluster/health/{}?wait_for_status=yellow&timeout=60s",
        client.index()
    );
    client.send("GET", &path, None, "application/json")?;
    Ok(())
}

/// The roots the engine holds documents for, sorted.
pub fn engine_roots(client: &Client) -> Result<Vec<PathBuf>, OpenSearchError> {
    let body = json!({
        "size": 0,
        "aggs": { "roots": { "terms": { "field": "root", "size": 10000, "order": { "_key": "asc" } } } }
    });
    let answer = client.json("POST", "/_search", &body)?;
    Ok(answer
        .pointer("/aggregations/roots/buckets")
        .and_then(Value::as_array)
        .map(|buckets| {
            buckets
                .iter()
                .filter_map(|bucket| bucket["key"].as_str().map(key_path))
                .collect()
        })
        .unwrap_or_default())
}

/// Syncs `dirs` (every root the engine holds when empty) into the index `client` names.
pub fn sync_roots(
    client: &Client,
    dirs: &[PathBuf],
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> Result<SyncStats, OpenSearchError> {
    let started = Instant::now();
    let (_, mapping) = ensure_index(client, options.language)?;
    let state = StateKeeper::new(client, &mapping);
    let roots = if dirs.is_empty() {
        engine_roots(client)?
    } else {
        dirs.iter()
            .map(|dir| canonical_root(dir))
            .collect::<Result<_, _>>()?
    };
    let mut stats = SyncStats::default();
    let mut sent = false;
    for root in &roots {
        if options.rebuild {
            delete_roots(client, std::slice::from_ref(root), &state)?;
        }
        sent |= sync_root(client, root, options, observer, &mut stats, &state)?;
    }
    if sent {
        refresh(client)?;
    }
    state.finish()?;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// The absolute, resolved path of a root, which must be a folder.
pub(super) fn canonical_root(dir: &Path) -> Result<PathBuf, OpenSearchError> {
    let bad = |reason: String| OpenSearchError::BadRoot {
        path: dir.display().to_string(),
        reason,
    };
    let root = std::fs::canonicalize(dir).map_err(|err| bad(err.to_string()))?;
    if !root.is_dir() {
        return Err(bad("not a folder".to_string()));
    }
    Ok(root)
}

/// Makes every write that reached the cluster visible to the catalog stream: waits for the
/// `_bulk` requests the cluster is still running (a crawler killed with -9 leaves its last one
/// running server-side), then refreshes. Otherwise a document of a file deleted since would
/// land after the diff read the catalog, and stay.
fn settle(client: &Client) -> Result<(), OpenSearchError> {
    let (_, running) = client.send(
        "GET",
        "//_tasks?actions=indices:data/write/bulk*",
        None,
        "application/json",
    )?;
    let ids: Vec<String> = running["nodes"]
        .as_object()
        .into_iter()
        .flat_map(|nodes| nodes.values())
        .filter_map(|node| node["tasks"].as_object())
        .flat_map(|tasks| tasks.keys().cloned())
        .collect();
    for id in ids {
        // A task that ended meanwhile is a 404: nothing to wait for.
        client.send(
            "GET",
            &format!("//_tasks/{id}?wait_for_completion=true&timeout=60s"),
            None,
            "application/json",
        )?;
    }
    refresh(client)
}

/// Makes everything written visible to searches.
fn refresh(client: &Client) -> Result<(), OpenSearchError> {
    // A copy lost while refreshing is a failed shard; the writes are in the others.
    client.json_partial("POST", "/_refresh", &json!({}))?;
    Ok(())
}

/// Diffs one root against the engine and applies the changes; returns whether anything was
/// sent (a no-op sync has nothing to refresh).
fn sync_root(
    client: &Client,
    root: &Path,
    options: &IndexOptions,
    observer: &dyn IndexObserver,
    stats: &mut SyncStats,
    state: &StateKeeper,
) -> Result<bool, OpenSearchError> {
    let root_key = path_key(root);
    let before = Skipped::of(stats);
    let recorded = state.recorded(&root_key).filter(|_| !options.rebuild);
    let (walked, engine) = match recorded {
        Some(record) => {
            // The index was clean when it recorded this root's walk: the same walk means the
            // engine holds exactly these files, and no request is needed at all.
            let (walked, unreadable) = walk_root(root, options, observer)?;
            stats.unreadable += unreadable;
            if unreadable == 0 && walk_digest(&walked, options) == record.digest {
                let skipped = record.binary + record.too_large;
                stats.unchanged += (walked.len() as u64).saturating_sub(skipped);
                stats.binary += record.binary;
                stats.too_large += record.too_large;
                return Ok(false);
            }
            // Clean: no write of a killed run can still land, nothing to wait for.
            (walked, engine_catalog(client, root)?)
        }
        None => {
            // The walk waits on the disk and the catalog stream on the cluster: run them side
            // by side, so a sync costs the longer of the two, not their sum.
            let (walked, engine) = std::thread::scope(|scope| {
                let walk = scope.spawn(|| walk_root(root, options, observer));
                let engine =
                    settle_unless_clean(client, state).and_then(|()| engine_catalog(client, root));
                match walk.join() {
                    Ok(walked) => (walked, engine),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
            let (walked, unreadable) = walked?;
            stats.unreadable += unreadable;
            (walked, engine?)
        }
    };
    let digest = walk_digest(&walked, options);
    let changes = diff(walked, by_file(engine), stats);
    let member_rules = MemberRules::new(root, &options.walk);
    let context = PrepareContext {
        root_key: &root_key,
        member_rules: &member_rules,
        options,
        observer,
    };
    let mut member_skips = MemberSkips::default();
    let mut containers = Vec::new();
    // Files are read and extracted while the previous batches are being sent.
    let sent = send_pipelined(client, |queue| {
        let shared = SharedQueue {
            queue: Mutex::new((queue, false)),
            state,
            root_key: &root_key,
            relax: changes.len() >= RELAX_AT,
        };
        let send = |operation| shared.push(operation);
        for chunk in changes.chunks(READ_CHUNK) {
            let prepared: Vec<Result<Prepared, OpenSearchError>> = chunk
                .par_iter()
                .map(|change| prepare(change, &context, &send))
                .collect();
            for prepared in prepared {
                let prepared = prepared?;
                for outcome in &prepared.outcomes {
                    outcome.count(stats, &mut member_skips);
                }
                for operation in prepared.operations {
                    shared.push(operation)?;
                }
                containers.extend(prepared.last);
            }
        }
        Ok(shared.sent())
    })?;
    if !containers.is_empty() {
        // The containers' own documents, now that every member sent before them is in the
        // index.
        send_pipelined(client, |queue| {
            for operation in containers {
                queue.push(operation)?;
            }
            Ok(())
        })?;
    }
    let after = Skipped::of(stats);
    // A file that could not be read may be readable next time with the same mtime (its
    // permissions changed): such a root is not recorded, so the next run reads it again.
    if after.unreadable == before.unreadable && after.failed == before.failed {
        let record = RootRecord {
            digest,
            binary: after.binary - before.binary - member_skips.binary,
            too_large: after.too_large - before.too_large - member_skips.too_large,
        };
        state.synced(root_key, record);
    }
    Ok(sent)
}

/// The `_bulk` queue of one root's sync, shared by the threads reading files (which send the
/// members of containers as they read them) and the thread gathering their other operations.
struct SharedQueue<'q, 'r> {
    /// The queue, and whether anything was pushed into it yet.
    queue: Mutex<(&'q mut BulkQueue, bool)>,
    state: &'r StateKeeper<'r>,
    root_key: &'r str,
    /// Whether the index's durability is relaxed before the first write.
    relax: bool,
}

impl SharedQueue<'_, '_> {
    /// Queues one operation; before the first, marks the index writing, so that a run killed
    /// from then on leaves it marked and the next one diffs the whole catalog again.
    fn push(&self, operation: Vec<String>) -> Result<(), OpenSearchError> {
        let mut guard = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let (queue, sent) = &mut *guard;
        if !*sent {
            if self.relax {
                self.state.relax()?;
            }
            self.state.writing(self.root_key)?;
            *sent = true;
        }
        queue.push(operation)?;
        Ok(())
    }

    /// Whether anything was queued.
    fn sent(&self) -> bool {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

/// The skip counters of a run's statistics, to tell what one root added to them.
struct Skipped {
    binary: u64,
    too_large: u64,
    unreadable: u64,
    failed: u64,
}

impl Skipped {
    fn of(stats: &SyncStats) -> Skipped {
        Skipped {
            binary: stats.binary,
            too_large: stats.too_large,
            unreadable: stats.unreadable,
            failed: stats.failed.values().sum(),
        }
    }
}

/// [`settle`]s unless the index was clean when this run started (no run was writing, so no
/// write of a killed one can still land), and notes it in `state`.
fn settle_unless_clean(client: &Client, state: &StateKeeper) -> Result<(), OpenSearchError> {
    if state.found_clean() {
        return Ok(());
    }
    settle(client)?;
    state.settled();
    Ok(())
}

/// The files under `root`, sorted by path key, and how many could not be read (each reported).
fn walk_root(
    root: &Path,
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> Result<(Vec<(String, FileEntry)>, u64), OpenSearchError> {
    let mut walked: Vec<(String, FileEntry)> = Vec::new();
    let mut unreadable = 0;
    for found in walk_files(root, &options.walk, None, options.threads.max(1))? {
        match found {
            Ok(entry) => {
                observer.found(entry.size);
                walked.push((path_key(&entry.path), entry));
            }
            Err(err) => {
                unreadable += 1;
                observer.warning(IndexWarning::Unreadable {
                    path: err.path,
                    message: err.error.to_string(),
                });
            }
        }
    }
    walked.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((walked, unreadable))
}

/// Removes every document under `roots` from the engine; returns how many went.
pub fn forget_remote_roots(client: &Client, roots: &[PathBuf]) -> Result<u64, OpenSearchError> {
    let (status, mapping) = client.send("GET", "/_mapping", None, "application/json")?;
    if status == 404 {
        return Err(client.not_found(mapping));
    }
    let state = StateKeeper::new(client, &mapping);
    let removed = delete_roots(client, roots, &state)?;
    state.finish()?;
    Ok(removed)
}

/// Deletes every document under `roots`, marking the index writing in `state` first; returns
/// how many went. The documents are found as the sync finds them and deleted with `_bulk`
/// (`_delete_by_query` is a plugin that a cluster may not have).
fn delete_roots(
    client: &Client,
    roots: &[PathBuf],
    state: &StateKeeper,
) -> Result<u64, OpenSearchError> {
    let mut removed = 0;
    send_pipelined(client, |queue| {
        for root in roots {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
            let files = engine_catalog(client, &root)?;
            if !files.is_empty() {
                state.writing(&path_key(&root))?;
            }
            for file in files {
                queue.push(vec![delete_line(&file.key, file.mtime)])?;
                // Files are counted, not the members of archives.
                removed += u64::from(!is_member(&file.key));
            }
        }
        Ok(())
    })?;
    refresh(client)?;
    Ok(removed)
}
