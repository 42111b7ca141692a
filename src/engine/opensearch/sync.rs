//! `lantern --engine URL index DIR`: bring an OpenSearch index in line with folders on disk.
//!
//! The engine is the catalog: for each root, the engine's paths under it are streamed in sorted
//! order (`search_after` on the `path` keyword) beside Lantern's own sorted walk, and the two
//! lists are merged. New and changed files are extracted (the same reading as the local engine)
//! and sent with `_bulk` in bounded batches; vanished ones (deleted, or moved away: a move is a
//! delete plus an add) are deleted by `_id`. Each document's external version is its mtime, so a
//! slower crawler holding older text cannot overwrite newer text. Nothing is remembered on the
//! machine: killed at any moment and run again, the next diff finds what is still to do. The
//! index itself remembers whether its last sync ended well and what each root's walk was then
//! ([`super::sync_state`]), so a re-sync of unchanged folders reads no catalog at all.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Value};
use sha2::Digest;

use super::bulk::send_pipelined;
use super::client::{error_type, Client};
use super::mapping::{
    copy_key, folder_prefixes, index_definition, path_parts, recorded_language, recorded_version,
    MAPPING_VERSION,
};
use super::sync_state::{walk_digest, RootRecord, StateKeeper};
use super::OpenSearchError;
use crate::extract::DocumentType;
use crate::index::language::Language;
use crate::index::path_key::{key_path, path_key};
use crate::index::text::{read_file, SkipReason};
use crate::index::walk::{walk_files, FileEntry};
use crate::index::{IndexObserver, IndexOptions, IndexStats, IndexWarning};

/// What a sync did: the local engine's statistics, so the summary line is the same.
pub type SyncStats = IndexStats;

/// Engine paths read per `_search` page of the catalog stream: the most one page may hold
/// (`index.max_result_window`), so a root of up to 10,000 files is one request.
const CATALOG_PAGE: usize = 10_000;
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

/// One file as the engine knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EngineFile {
    key: String,
    size: u64,
    mtime: u64,
}

/// What the diff decided for one path.
enum Change {
    /// Read the file and (re)index it; `previous` is the engine's version when it had one.
    Put {
        entry: FileEntry,
        key: String,
        previous: Option<u64>,
    },
    /// Delete the engine's document (its version, so a newer one is not deleted).
    Delete { key: String, version: u64 },
}

/// The document id of a path key: a hash, since `_id` is at most 512 bytes and paths are not.
pub(super) fn document_id(key: &str) -> String {
    sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

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
    let changes = diff(walked, engine, stats);
    // Files are read and extracted while the previous batches are being sent.
    let mut sent = false;
    send_pipelined(client, |queue| {
        for chunk in changes.chunks(READ_CHUNK) {
            let prepared: Vec<(Vec<String>, Outcome)> = chunk
                .par_iter()
                .map(|change| prepare(change, &root_key, options, observer))
                .collect();
            for (lines, outcome) in prepared {
                outcome.count(stats);
                if !lines.is_empty() && !sent {
                    // Before the first write: a run killed from now on leaves the index
                    // marked, and the next one diffs the whole catalog again.
                    if changes.len() >= RELAX_AT {
                        state.relax()?;
                    }
                    state.writing(&root_key)?;
                    sent = true;
                }
                queue.push(lines)?;
            }
        }
        Ok(())
    })?;
    let after = Skipped::of(stats);
    // A file that could not be read may be readable next time with the same mtime (its
    // permissions changed): such a root is not recorded, so the next run reads it again.
    if after.unreadable == before.unreadable && after.failed == before.failed {
        let record = RootRecord {
            digest,
            binary: after.binary - before.binary,
            too_large: after.too_large - before.too_large,
        };
        state.synced(root_key, record);
    }
    Ok(sent)
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

/// Every file the engine holds under `root`, sorted by path key.
fn engine_catalog(client: &Client, root: &Path) -> Result<Vec<EngineFile>, OpenSearchError> {
    let prefix = format!("{}/", path_key(root).trim_end_matches('/'));
    let mut files = Vec::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({
            "size": CATALOG_PAGE,
            // A filter: no scores to compute.
            "query": { "bool": { "filter": { "prefix": { "path": prefix } } } },
            // Path, size and mtime all come back as sort values, from doc values (the path is
            // unique, so the other two never reorder): no stored field is read at all (not
            // even `_id`) and there is no fetch of fields.
            "sort": [{ "path": "asc" }, { "size": "asc" }, { "mtime": "asc" }],
            "stored_fields": "_none_",
            "track_total_hits": false,
        });
        if let Some(after) = &after {
            body["search_after"] = after.clone();
        }
        // Only the sort values and the shard counts (checked by `json`) come back: a fifth of
        // the bytes of whole hits.
        let answer = client.json("POST", "/_search?filter_path=hits.hits.sort,_shards", &body)?;
        let hits = answer
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for hit in &hits {
            let value = |at: usize| hit.pointer(&format!("/sort/{at}")).and_then(Value::as_u64);
            if let Some(Value::String(key)) = hit.pointer("/sort/0").cloned() {
                files.push(EngineFile {
                    key,
                    size: value(1).unwrap_or(0),
                    mtime: value(2).unwrap_or(0),
                });
            }
        }
        match hits.last() {
            Some(last) if hits.len() == CATALOG_PAGE => after = Some(last["sort"].clone()),
            _ => return Ok(files),
        }
    }
}

/// Merges the sorted walk and the sorted engine catalog into the changes to make, counting the
/// unchanged files.
fn diff(
    walked: Vec<(String, FileEntry)>,
    engine: Vec<EngineFile>,
    stats: &mut SyncStats,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut engine = engine.into_iter().peekable();
    for (key, entry) in walked {
        while let Some(gone) = engine.next_if(|file| file.key < key) {
            changes.push(Change::Delete {
                key: gone.key,
                version: gone.mtime,
            });
        }
        match engine.next_if(|file| file.key == key) {
            Some(known) if known.size == entry.size && known.mtime == entry.mtime => {
                stats.unchanged += 1;
            }
            Some(known) => changes.push(Change::Put {
                entry,
                key,
                previous: Some(known.mtime),
            }),
            None => changes.push(Change::Put {
                entry,
                key,
                previous: None,
            }),
        }
    }
    changes.extend(engine.map(|gone| Change::Delete {
        key: gone.key,
        version: gone.mtime,
    }));
    changes
}

/// What became of one change, to count once the parallel part is over.
enum Outcome {
    /// The file's text was sent.
    Indexed {
        replaced: bool,
        bytes: u64,
        kind: DocumentType,
        lossy: bool,
        truncated: bool,
    },
    /// The engine's document was deleted.
    Removed,
    /// The file was not indexed, for this reason.
    Skipped(Skip),
}

/// Why a file was skipped, as the summary counts it.
enum Skip {
    Binary,
    TooLarge,
    Unreadable,
    Failed(&'static str),
}

impl Outcome {
    fn count(&self, stats: &mut SyncStats) {
        match self {
            Outcome::Indexed {
                replaced,
                bytes,
                kind,
                lossy,
                truncated,
            } => {
                if *replaced {
                    stats.updated += 1;
                } else {
                    stats.added += 1;
                }
                stats.bytes += bytes;
                if *kind != DocumentType::Text {
                    *stats.extracted.entry(*kind).or_default() += 1;
                }
                stats.lossy += u64::from(*lossy);
                stats.truncated += u64::from(*truncated);
            }
            Outcome::Removed => stats.removed += 1,
            Outcome::Skipped(Skip::Binary) => stats.binary += 1,
            Outcome::Skipped(Skip::TooLarge) => stats.too_large += 1,
            Outcome::Skipped(Skip::Unreadable) => stats.unreadable += 1,
            Outcome::Skipped(Skip::Failed(reason)) => {
                *stats.failed.entry(reason).or_default() += 1;
            }
        }
    }
}

/// The `_bulk` lines of one change (reading and extracting the file for a put).
fn prepare(
    change: &Change,
    root_key: &str,
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> (Vec<String>, Outcome) {
    match change {
        Change::Delete { key, version } => (vec![delete_line(key, *version)], Outcome::Removed),
        Change::Put {
            entry,
            key,
            previous,
        } => {
            // Members of archives are not documents on the engine yet (their keys would need
            // their own place in the catalog diff): an archive is its own document, the list
            // of its members, and none is read (see README, "Lantern on OpenSearch").
            let read = read_file(
                &entry.path,
                options.max_file_size,
                options.max_text_bytes(),
                &options.extract,
                &|_| false,
                &mut |_| {},
            );
            observer.file_done(entry.size);
            let file = match read {
                Ok(opened) => {
                    if let Some(error) = opened.stopped {
                        observer.warning(IndexWarning::Unextractable {
                            path: entry.path.clone(),
                            kind: opened.document.kind,
                            message: error.to_string(),
                        });
                    }
                    opened.document
                }
                Err(reason) => {
                    let skip = warn_skip(&entry.path, reason, observer);
                    // A file that can no longer be read loses its old text.
                    let lines = previous
                        .map(|version| vec![delete_line(key, version)])
                        .unwrap_or_default();
                    return (lines, Outcome::Skipped(skip));
                }
            };
            if file.truncated {
                observer.warning(IndexWarning::Truncated {
                    path: entry.path.clone(),
                    limit: options.max_text_bytes(),
                });
            }
            // A file whose mtime went back (restored from a backup) still replaces the text.
            let version = previous.map_or(entry.mtime, |old| entry.mtime.max(old + 1));
            let action = json!({ "index": {
                "_id": document_id(key),
                "version": version,
                "version_type": "external_gte",
            }});
            let source = json!({
                "path": key,
                "root": root_key,
                "size": entry.size,
                "mtime": entry.mtime,
                "type": file.kind.name(),
                "title": file.title,
                "body": file.text,
                "from": file.envelope.as_ref().map(|envelope| &envelope.from),
                "to": file.envelope.as_ref().map(|envelope| &envelope.to),
                "date": file.date,
                "copies": copy_key(key, &file),
                "path_length": key.len(),
                "folders": folder_prefixes(key),
                "path_parts": path_parts(key),
            });
            let outcome = Outcome::Indexed {
                replaced: previous.is_some(),
                bytes: entry.size,
                kind: file.kind,
                lossy: file.lossy,
                truncated: file.truncated,
            };
            (vec![action.to_string(), source.to_string()], outcome)
        }
    }
}

/// Reports a file that was not indexed, as the local engine does, and says how to count it.
fn warn_skip(path: &Path, reason: SkipReason, observer: &dyn IndexObserver) -> Skip {
    match reason {
        SkipReason::Binary => Skip::Binary,
        SkipReason::TooLarge { size, limit } => {
            observer.warning(IndexWarning::TooLarge {
                path: path.to_path_buf(),
                size,
                limit,
            });
            Skip::TooLarge
        }
        SkipReason::Unreadable(err) => {
            observer.warning(IndexWarning::Unreadable {
                path: Some(path.to_path_buf()),
                message: err.to_string(),
            });
            Skip::Unreadable
        }
        SkipReason::Unextractable { kind, error } => {
            let reason = error.reason();
            observer.warning(IndexWarning::Unextractable {
                path: path.to_path_buf(),
                kind,
                message: error.to_string(),
            });
            Skip::Failed(reason)
        }
    }
}

/// The `_bulk` line deleting the document of `key` unless the engine holds a newer version.
fn delete_line(key: &str, version: u64) -> String {
    json!({ "delete": {
        "_id": document_id(key),
        "version": version,
        "version_type": "external_gte",
    }})
    .to_string()
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
                removed += 1;
            }
        }
        Ok(())
    })?;
    refresh(client)?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, size: u64, mtime: u64) -> (String, FileEntry) {
        let entry = FileEntry {
            path: PathBuf::from(key),
            mtime,
            size,
        };
        (key.to_string(), entry)
    }

    fn known(key: &str, size: u64, mtime: u64) -> EngineFile {
        EngineFile {
            key: key.to_string(),
            size,
            mtime,
        }
    }

    fn describe(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|change| match change {
                Change::Put { key, previous, .. } => format!("put {key} {previous:?}"),
                Change::Delete { key, version } => format!("delete {key} {version}"),
            })
            .collect()
    }

    #[test]
    fn the_merge_finds_added_changed_gone_and_unchanged_files() {
        let walked = vec![
            entry("/r/a", 1, 1),
            entry("/r/c", 2, 9),
            entry("/r/d", 3, 3),
        ];
        let engine = vec![
            known("/r/a", 1, 1),
            known("/r/b", 5, 5),
            known("/r/c", 2, 2),
            known("/r/e", 1, 7),
        ];
        let mut stats = SyncStats::default();
        let changes = diff(walked, engine, &mut stats);
        assert_eq!(
            describe(&changes),
            [
                "delete /r/b 5",
                "put /r/c Some(2)",
                "put /r/d None",
                "delete /r/e 7"
            ]
        );
        assert_eq!(stats.unchanged, 1);
    }

    #[test]
    fn ids_are_short_and_distinct() {
        let long = "/x".repeat(1000);
        assert_eq!(document_id(&long).len(), 64);
        assert_ne!(document_id("/a"), document_id("/b"));
    }
}
