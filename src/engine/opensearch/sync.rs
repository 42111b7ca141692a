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

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Value};
use sha2::Digest;

use super::bulk::send_pipelined;
use super::catalog::{by_file, diff, engine_catalog, is_member, Change};
use super::client::{error_type, Client};
use super::mapping::{
    copy_key, folder_prefixes, index_definition, path_parts, recorded_language, recorded_version,
    MAPPING_VERSION,
};
use super::sync_state::{walk_digest, RootRecord, StateKeeper};
use super::OpenSearchError;
use crate::extract::{Document, DocumentType};
use crate::index::language::Language;
use crate::index::path_key::{display_key, key_path, member_key, path_key};
use crate::index::text::{read_file, SkipReason};
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
    let mut sent = false;
    send_pipelined(client, |queue| {
        for chunk in changes.chunks(READ_CHUNK) {
            let prepared: Vec<Prepared> = chunk
                .par_iter()
                .map(|change| prepare(change, &context))
                .collect();
            for prepared in prepared {
                for outcome in &prepared.outcomes {
                    outcome.count(stats, &mut member_skips);
                }
                if !sent && (!prepared.operations.is_empty() || prepared.last.is_some()) {
                    // Before the first write: a run killed from now on leaves the index
                    // marked, and the next one diffs the whole catalog again.
                    if changes.len() >= RELAX_AT {
                        state.relax()?;
                    }
                    state.writing(&root_key)?;
                    sent = true;
                }
                for operation in prepared.operations {
                    queue.push(operation)?;
                }
                containers.extend(prepared.last);
            }
        }
        Ok(())
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

/// What became of one file or member, to count once the parallel part is over.
enum Outcome {
    /// The file's text was sent; `stopped` names why its members were not all read.
    Indexed {
        replaced: bool,
        bytes: u64,
        text: TextNotes,
        stopped: Option<&'static str>,
    },
    /// A member's text was sent (its bytes are its container's, counted once).
    Member(TextNotes),
    /// The engine's document of a file gone from disk was deleted.
    Removed,
    /// The file was not indexed, for this reason.
    Skipped(Skip),
    /// A member was not indexed, for this reason.
    MemberSkipped(Skip),
}

/// What the summary counts of one text sent.
struct TextNotes {
    kind: DocumentType,
    lossy: bool,
    truncated: bool,
}

/// Why a file was skipped, as the summary counts it.
enum Skip {
    Binary,
    TooLarge,
    Unreadable,
    Failed(&'static str),
}

/// The members skipped as binary or too large: the record of a root counts only its files.
#[derive(Default)]
struct MemberSkips {
    binary: u64,
    too_large: u64,
}

impl TextNotes {
    fn of(file: &Document) -> TextNotes {
        TextNotes {
            kind: file.kind,
            lossy: file.lossy,
            truncated: file.truncated,
        }
    }

    fn count(&self, stats: &mut SyncStats) {
        if self.kind != DocumentType::Text {
            *stats.extracted.entry(self.kind).or_default() += 1;
        }
        stats.lossy += u64::from(self.lossy);
        stats.truncated += u64::from(self.truncated);
    }
}

impl Skip {
    fn count(&self, stats: &mut SyncStats) {
        match self {
            Skip::Binary => stats.binary += 1,
            Skip::TooLarge => stats.too_large += 1,
            Skip::Unreadable => stats.unreadable += 1,
            Skip::Failed(reason) => *stats.failed.entry(reason).or_default() += 1,
        }
    }
}

impl Outcome {
    /// Adds this outcome to `stats` as the local engine counts it: members apart from files,
    /// an archive or a mailbox once among the containers.
    fn count(&self, stats: &mut SyncStats, member_skips: &mut MemberSkips) {
        match self {
            Outcome::Indexed {
                replaced,
                bytes,
                text,
                stopped,
            } => {
                if *replaced {
                    stats.updated += 1;
                } else {
                    stats.added += 1;
                }
                stats.bytes += bytes;
                text.count(stats);
                if text.kind.is_archive() {
                    stats.containers += 1;
                }
                if let Some(reason) = stopped {
                    *stats.failed.entry(reason).or_default() += 1;
                }
            }
            Outcome::Member(text) => {
                stats.members += 1;
                text.count(stats);
            }
            Outcome::Removed => stats.removed += 1,
            Outcome::Skipped(skip) => skip.count(stats),
            Outcome::MemberSkipped(skip) => {
                skip.count(stats);
                match skip {
                    Skip::Binary => member_skips.binary += 1,
                    Skip::TooLarge => member_skips.too_large += 1,
                    Skip::Unreadable | Skip::Failed(_) => {}
                }
            }
        }
    }
}

/// The `_bulk` operations of one change and what became of its file and members.
#[derive(Default)]
struct Prepared {
    /// Operations that may reach the engine in any order with other changes' operations.
    operations: Vec<Vec<String>>,
    /// A container's own document, sent only once its members' operations are acknowledged:
    /// it is the mark that the container is complete on the engine, so a run killed before it
    /// leaves the container at its old version and the next run sends everything again.
    last: Option<Vec<String>>,
    outcomes: Vec<Outcome>,
}

/// What one change of the sync needs besides the change itself.
struct PrepareContext<'a> {
    root_key: &'a str,
    member_rules: &'a MemberRules,
    options: &'a IndexOptions,
    observer: &'a dyn IndexObserver,
}

/// The `_bulk` operations of one change (reading and extracting the file, and its members, for
/// a put): for a container, the deletes of its old members that the new version lacks, a put of
/// each member (at the container's version), then the container's own put.
fn prepare(change: &Change, context: &PrepareContext<'_>) -> Prepared {
    let (entry, key, previous, old_members) = match change {
        Change::Delete { own, members } => {
            let operations = own
                .iter()
                .chain(members)
                .map(|document| vec![delete_line(&document.key, document.mtime)])
                .collect();
            // A file is removed once, whatever its members.
            let outcomes = own.iter().map(|_| Outcome::Removed).collect();
            return Prepared {
                operations,
                last: None,
                outcomes,
            };
        }
        Change::Put {
            entry,
            key,
            previous,
            old_members,
        } => (entry, key, previous, old_members),
    };
    let PrepareContext {
        options, observer, ..
    } = context;
    // A file whose mtime went back (restored from a backup) still replaces the text.
    let version = previous.map_or(entry.mtime, |old| entry.mtime.max(old + 1));
    // The ignore files that decide on members are read only for a file that is a container.
    let archive_rules = std::cell::OnceCell::new();
    let admit = |path: &[String]| {
        archive_rules
            .get_or_init(|| context.member_rules.for_archive(&entry.path))
            .admits(path)
    };
    let mut members = Prepared::default();
    let mut member_keys = HashSet::new();
    let read = read_file(
        &entry.path,
        options.max_file_size,
        options.max_text_bytes(),
        &options.extract,
        &admit,
        &mut |member| {
            let member_key = member_key(key, &member.path);
            let shown = shown_path(&member_key);
            match member.outcome {
                Ok(document) => {
                    warn_truncated(&shown, &document, context);
                    members
                        .outcomes
                        .push(Outcome::Member(TextNotes::of(&document)));
                    let put = put_operation(&member_key, entry, version, &document, context);
                    members.operations.push(put);
                    member_keys.insert(member_key);
                }
                Err(unread) => {
                    let skip = warn_skip(&shown, unread, *observer);
                    members.outcomes.push(Outcome::MemberSkipped(skip));
                }
            }
        },
    );
    observer.file_done(entry.size);
    // The old members the new version lacks (all of them when it cannot be read any more: a
    // file that can no longer be read loses its old text) go first.
    let mut operations: Vec<Vec<String>> = old_members
        .iter()
        .filter(|old| !member_keys.contains(&old.key))
        .map(|old| vec![delete_line(&old.key, version)])
        .collect();
    operations.append(&mut members.operations);
    let mut outcomes = members.outcomes;
    let opened = match read {
        Ok(opened) => opened,
        Err(reason) => {
            outcomes.push(Outcome::Skipped(warn_skip(&entry.path, reason, *observer)));
            if let Some(old) = previous {
                operations.push(vec![delete_line(key, *old)]);
            }
            return Prepared {
                operations,
                last: None,
                outcomes,
            };
        }
    };
    let file = opened.document;
    if let Some(error) = &opened.stopped {
        observer.warning(IndexWarning::Unextractable {
            path: entry.path.clone(),
            kind: file.kind,
            message: format!("{error}; its members read so far are indexed"),
        });
    }
    warn_truncated(&entry.path, &file, context);
    outcomes.push(Outcome::Indexed {
        replaced: previous.is_some(),
        bytes: entry.size,
        text: TextNotes::of(&file),
        stopped: opened.stopped.as_ref().map(|error| error.reason()),
    });
    let own = put_operation(key, entry, version, &file, context);
    // A file without members is complete in one operation: nothing to wait for.
    let (operations, last) = if operations.is_empty() {
        (vec![own], None)
    } else {
        (operations, Some(own))
    };
    Prepared {
        operations,
        last,
        outcomes,
    }
}

/// The path people see for the document keyed `key` (a file, or a member of one).
fn shown_path(key: &str) -> PathBuf {
    PathBuf::from(display_key(key).into_owned())
}

/// Reports the document of `path` if its text was cut at the limit.
fn warn_truncated(path: &Path, file: &Document, context: &PrepareContext<'_>) {
    if file.truncated {
        context.observer.warning(IndexWarning::Truncated {
            path: path.to_path_buf(),
            limit: context.options.max_text_bytes(),
        });
    }
}

/// The `_bulk` operation putting the document keyed `key` (the file `entry`, or a member of it,
/// which carries its container's size and mtime as the local engine's members do) at `version`.
fn put_operation(
    key: &str,
    entry: &FileEntry,
    version: u64,
    file: &Document,
    context: &PrepareContext<'_>,
) -> Vec<String> {
    let action = json!({ "index": {
        "_id": document_id(key),
        "version": version,
        "version_type": "external_gte",
    }});
    let source = json!({
        "path": key,
        "root": context.root_key,
        "size": entry.size,
        "mtime": entry.mtime,
        "type": file.kind.name(),
        "title": file.title,
        "body": file.text,
        "from": file.envelope.as_ref().map(|envelope| &envelope.from),
        "to": file.envelope.as_ref().map(|envelope| &envelope.to),
        "date": file.date,
        "copies": copy_key(key, file),
        "path_length": key.len(),
        "folders": folder_prefixes(key),
        "path_parts": path_parts(key),
    });
    vec![action.to_string(), source.to_string()]
}

/// Reports a file or member that was not indexed, as the local engine does, and says how to
/// count it.
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
                // Files are counted, not the members of archives.
                removed += u64::from(!is_member(&file.key));
            }
        }
        Ok(())
    })?;
    refresh(client)?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::engine::opensearch::catalog::EngineFile;
    use crate::index::Rebuild;

    /// An observer that lets everything pass.
    struct Quiet;

    impl IndexObserver for Quiet {
        fn warning(&self, _: IndexWarning) {}
        fn rebuilding(&self, _: Rebuild) {}
    }

    /// A tar archive of `members` (name, text).
    fn tar_of(members: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, text) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            builder
                .append_data(&mut header, name, text.as_bytes())
                .expect("a member");
        }
        builder.into_inner().expect("a tar")
    }

    /// Each operation as (action, name of the document by its id, version).
    fn describe(
        operations: &[Vec<String>],
        names: &[(String, &str)],
    ) -> Vec<(String, String, u64)> {
        operations
            .iter()
            .map(|operation| {
                let action: Value = serde_json::from_str(&operation[0]).expect("an action");
                let (verb, target) = action
                    .as_object()
                    .and_then(|action| action.iter().next())
                    .expect("one verb");
                let id = target["_id"].as_str().expect("an id");
                let name = names
                    .iter()
                    .find(|(key, _)| document_id(key) == id)
                    .map_or("?", |(_, name)| name);
                let version = target["version"].as_u64().expect("a version");
                (verb.clone(), name.to_string(), version)
            })
            .collect()
    }

    #[test]
    fn a_changed_container_drops_stale_members_then_puts_the_others_and_itself_last() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("a.tar");
        let bytes = tar_of(&[("kept.txt", "kept words"), ("new.txt", "new words")]);
        std::fs::write(&path, &bytes).expect("the archive");
        let key = path_key(&path);
        let member = |name: &str| member_key(&key, &[name.to_string()]);
        let old = |name: &str| EngineFile {
            key: member(name),
            size: 1,
            mtime: 5,
        };
        let change = Change::Put {
            entry: FileEntry {
                path: path.clone(),
                mtime: 9,
                size: bytes.len() as u64,
            },
            key: key.clone(),
            previous: Some(5),
            old_members: vec![old("gone.txt"), old("kept.txt")],
        };
        let options = super::super::sync_state::tests::options(1 << 20);
        let rules = MemberRules::new(dir.path(), &options.walk);
        let context = PrepareContext {
            root_key: &path_key(dir.path()),
            member_rules: &rules,
            options: &options,
            observer: &Quiet,
        };
        let prepared = prepare(&change, &context);
        let names = [
            (key.clone(), "a.tar"),
            (member("gone.txt"), "gone.txt"),
            (member("kept.txt"), "kept.txt"),
            (member("new.txt"), "new.txt"),
        ];
        let step = |verb: &str, name: &str| (verb.to_string(), name.to_string(), 9);
        assert_eq!(
            describe(&prepared.operations, &names),
            [
                step("delete", "gone.txt"),
                step("index", "kept.txt"),
                step("index", "new.txt")
            ]
        );
        let last = prepared.last.expect("the container's own document, last");
        assert_eq!(describe(&[last], &names), [step("index", "a.tar")]);
        let mut stats = SyncStats::default();
        let mut member_skips = MemberSkips::default();
        for outcome in &prepared.outcomes {
            outcome.count(&mut stats, &mut member_skips);
        }
        assert_eq!((stats.updated, stats.members, stats.containers), (1, 2, 1));
    }

    #[test]
    fn ids_are_short_and_distinct() {
        let long = "/x".repeat(1000);
        assert_eq!(document_id(&long).len(), 64);
        assert_ne!(document_id("/a"), document_id("/b"));
    }
}
