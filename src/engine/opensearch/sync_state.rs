//! The sync state an index records in its mapping's `_meta` (`lantern_sync`), so that a re-sync
//! of folders that did not change needs one small request, the mapping check it sends anyway.
//!
//! A run that is about to write marks the index *writing* (with a token of its own) before its
//! first `_bulk`. A run that ends well, its writes acknowledged and refreshed, marks it *clean*
//! and records, for each root it synced completely, a digest of the root's walk (every path,
//! size and mtime, and the options that decide what is indexed). The next run that finds the
//! index clean and the same digest for its walk knows the engine holds exactly what the disk
//! holds: it sends no `_tasks` wait, no refresh and no catalog request.
//!
//! Killed at any moment, a run leaves the index marked writing (or, before its mark, untouched):
//! the next run then does what every run did before this state existed: it waits for the
//! `_bulk` requests still running, refreshes and diffs the whole catalog. The state lives in the
//! index itself, so an index deleted and made again starts without one. A mapping update
//! replaces the whole `_meta`, so each mark writes back the version and language beside it.
//!
//! A clean mark is written only if the state is still the one this run found or wrote: a run
//! that another run marked over leaves the clean mark to that run.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::Digest;

use super::client::Client;
use super::durability;
use super::mapping::MAPPING_VERSION;
use super::OpenSearchError;
use crate::index::walk::FileEntry;
use crate::index::IndexOptions;

/// The `_meta` entry holding the state.
const STATE_ENTRY: &str = "lantern_sync";

/// What one root held when a clean sync ended: enough to answer the next no-op alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootRecord {
    /// [`walk_digest`] of the root's walk.
    pub digest: String,
    /// Files of the walk skipped as binary, counted again in a no-op's summary.
    pub binary: u64,
    /// Files of the walk skipped as too large, likewise.
    pub too_large: u64,
}

/// The state an index records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Every write acknowledged and refreshed; the roots whose walk the engine holds exactly, by
    /// path key.
    Clean(BTreeMap<String, RootRecord>),
    /// A run with this token started writing and has not ended well (yet); `relaxed` when the
    /// index's translog durability was relaxed meanwhile ([`super::durability`]) and must be
    /// restored.
    Writing { token: String, relaxed: bool },
    /// No state recorded (an index older than the state, or just created): as writing.
    Unknown,
}

impl SyncState {
    /// True when a run marked the index writing with its durability relaxed.
    fn relaxed(&self) -> bool {
        matches!(self, SyncState::Writing { relaxed: true, .. })
    }

    /// The state an index's `GET /INDEX/_mapping` answer records.
    pub fn from_mapping(mapping: &Value) -> SyncState {
        meta(mapping)
            .get(STATE_ENTRY)
            .and_then(|state| serde_json::from_value(state.clone()).ok())
            .unwrap_or(SyncState::Unknown)
    }
}

/// The `_meta` object of an index's `GET /INDEX/_mapping` answer (empty when it has none).
fn meta(mapping: &Value) -> Map<String, Value> {
    mapping
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|index| index.pointer("/mappings/_meta"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A digest of the walk of a root (sorted by path key) under `options`: equal digests mean the
/// same files with the same sizes and mtimes, read with the same rules, by the same Lantern.
pub fn walk_digest(walked: &[(String, FileEntry)], options: &IndexOptions) -> String {
    let mut hasher = sha2::Sha256::new();
    // What decides which files are documents and what their text is, besides the files.
    let rules = format!(
        "lantern {} mapping {MAPPING_VERSION} max_file_size {} max_text {} walk {:?} extract {:?}",
        env!("CARGO_PKG_VERSION"),
        options.max_file_size,
        options.max_text_bytes(),
        options.walk,
        options.extract,
    );
    hasher.update(rules.as_bytes());
    for (key, entry) in walked {
        hasher.update([0]);
        hasher.update(key.as_bytes());
        hasher.update([0]);
        hasher.update(entry.size.to_le_bytes());
        hasher.update(entry.mtime.to_le_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// True when writing under one root may change the catalog of the other: the same folder, or
/// one inside the other.
fn overlap(a: &str, b: &str) -> bool {
    Path::new(a).starts_with(b) || Path::new(b).starts_with(a)
}

/// The sync state of one index as a run found it, and the marks the run writes.
pub struct StateKeeper<'a> {
    client: &'a Client,
    found: SyncState,
    /// This run's token in its writing mark.
    token: String,
    /// Whether this run marked the index writing.
    marked: AtomicBool,
    /// Whether the index's durability is relaxed by this run, or was by a run this one found or
    /// marked over (and this run restores it).
    relaxed: AtomicBool,
    /// Whether this run waited for the running `_bulk` requests and refreshed (so what a
    /// killed run left behind is in the catalog it read).
    settled: AtomicBool,
    /// Roots this run wrote under, by path key.
    touched: Mutex<Vec<String>>,
    /// Roots this run synced completely, by path key.
    synced: Mutex<Vec<(String, RootRecord)>>,
}

impl<'a> StateKeeper<'a> {
    /// The state the index's `GET /INDEX/_mapping` answer records, kept for this run.
    pub fn new(client: &'a Client, mapping: &Value) -> StateKeeper<'a> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let found = SyncState::from_mapping(mapping);
        StateKeeper {
            client,
            relaxed: AtomicBool::new(found.relaxed()),
            found,
            token: format!("{}-{nanos}", std::process::id()),
            marked: AtomicBool::new(false),
            settled: AtomicBool::new(false),
            touched: Mutex::new(Vec::new()),
            synced: Mutex::new(Vec::new()),
        }
    }

    /// True when the index was clean: no run was writing, every write is visible.
    pub fn found_clean(&self) -> bool {
        matches!(self.found, SyncState::Clean(_))
    }

    /// What the clean index records of the root `key`, if anything.
    pub fn recorded(&self, key: &str) -> Option<&RootRecord> {
        match &self.found {
            SyncState::Clean(roots) => roots.get(key),
            SyncState::Writing { .. } | SyncState::Unknown => None,
        }
    }

    /// Notes that this run waited for the running `_bulk` requests and refreshed.
    pub fn settled(&self) {
        self.settled.store(true, Ordering::SeqCst);
    }

    /// Notes a root this run synced completely (nothing unreadable), for the clean mark.
    pub fn synced(&self, key: String, record: RootRecord) {
        lock(&self.synced).push((key, record));
    }

    /// Marks the index writing, once, before this run's first write under the root `key`.
    pub fn writing(&self, key: &str) -> Result<(), OpenSearchError> {
        {
            let mut touched = lock(&self.touched);
            if !touched.iter().any(|known| known == key) {
                touched.push(key.to_string());
            }
        }
        if self.marked.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.mark()
    }

    /// Relaxes the index's durability for the rest of this run (a large one), unless it is
    /// relaxed already or set to `async` by someone else; the writing mark says so first, so a
    /// run killed from then on leaves it to the next run to restore.
    pub fn relax(&self) -> Result<(), OpenSearchError> {
        if self.relaxed.load(Ordering::SeqCst) || durability::already_async(self.client)? {
            return Ok(());
        }
        self.relaxed.store(true, Ordering::SeqCst);
        self.mark()?;
        durability::relax(self.client)
    }

    /// Writes this run's writing mark, relaxed if this run relaxed the durability or the mark
    /// it replaces said so.
    fn mark(&self) -> Result<(), OpenSearchError> {
        let mapping = self.mapping()?;
        if SyncState::from_mapping(&mapping).relaxed() {
            self.relaxed.store(true, Ordering::SeqCst);
        }
        self.write(&mapping, &self.writing_mark())?;
        self.marked.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// This run's writing mark.
    fn writing_mark(&self) -> SyncState {
        SyncState::Writing {
            token: self.token.clone(),
            relaxed: self.relaxed.load(Ordering::SeqCst),
        }
    }

    /// Marks the index clean at the end of a run that ended well, recording the roots it synced
    /// completely (and, when it found the index clean, the records of the roots its writes
    /// could not have changed). Does nothing when the state is no longer the one this run
    /// found or wrote, or when the index was not clean and this run did not settle.
    pub fn finish(&self) -> Result<(), OpenSearchError> {
        // Durability is restored whatever the state: a run that relaxed it puts it back.
        if self.relaxed.load(Ordering::SeqCst) && !durability::restore_and_flush(self.client)? {
            return Ok(());
        }
        let marked = self.marked.load(Ordering::SeqCst);
        if !self.found_clean() && !self.settled.load(Ordering::SeqCst) {
            return Ok(());
        }
        let touched = lock(&self.touched).clone();
        let mut roots = match &self.found {
            SyncState::Clean(roots) => roots.clone(),
            SyncState::Writing { .. } | SyncState::Unknown => BTreeMap::new(),
        };
        roots.retain(|key, _| !touched.iter().any(|written| overlap(key, written)));
        roots.extend(lock(&self.synced).iter().cloned());
        let clean = SyncState::Clean(roots);
        if !marked && clean == self.found {
            return Ok(());
        }
        let mapping = self.mapping()?;
        let expected = if marked {
            self.writing_mark()
        } else {
            self.found.clone()
        };
        if SyncState::from_mapping(&mapping) != expected {
            return Ok(());
        }
        self.write(&mapping, &clean)
    }

    /// The index's mapping, as it is now.
    fn mapping(&self) -> Result<Value, OpenSearchError> {
        match self
            .client
            .send("GET", "/_mapping", None, "application/json")?
        {
            (404, answer) => Err(self.client.not_found(answer)),
            (_, answer) => Ok(answer),
        }
    }

    /// Writes `state` into the index's `_meta`, keeping its other entries (`mapping` is the
    /// index's current mapping answer).
    fn write(&self, mapping: &Value, state: &SyncState) -> Result<(), OpenSearchError> {
        let mut entries = meta(mapping);
        entries.insert(STATE_ENTRY.to_string(), json!(state));
        self.client
            .json("PUT", "/_mapping", &json!({ "_meta": entries }))?;
        Ok(())
    }
}

/// Locks a mutex whose holder cannot leave its data half-changed.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::path::PathBuf;

    fn walked(files: &[(&str, u64, u64)]) -> Vec<(String, FileEntry)> {
        files
            .iter()
            .map(|(key, size, mtime)| {
                let entry = FileEntry {
                    path: PathBuf::from(key),
                    size: *size,
                    mtime: *mtime,
                };
                (key.to_string(), entry)
            })
            .collect()
    }

    /// Options of a one-thread run reading files of up to `max_file_size` bytes.
    pub(in crate::engine::opensearch) fn options(max_file_size: u64) -> IndexOptions {
        IndexOptions {
            threads: 1,
            heap_bytes: 64 << 20,
            max_file_size,
            commit_every_bytes: 1 << 30,
            rebuild: false,
            language: None,
            walk: crate::index::walk::WalkOptions::default(),
            extract: crate::extract::ExtractOptions::default(),
        }
    }

    #[test]
    fn the_digest_changes_with_a_path_a_size_an_mtime_or_the_rules() {
        let options = options(1000);
        let base = walk_digest(&walked(&[("/r/a", 1, 1), ("/r/b", 2, 2)]), &options);
        assert_eq!(
            base,
            walk_digest(&walked(&[("/r/a", 1, 1), ("/r/b", 2, 2)]), &options)
        );
        // A file moved with its size and mtime, as `mv` keeps them.
        for changed in [
            walked(&[("/r/a", 1, 1), ("/r/c", 2, 2)]),
            walked(&[("/r/a", 1, 1), ("/r/b", 3, 2)]),
            walked(&[("/r/a", 1, 1), ("/r/b", 2, 3)]),
            walked(&[("/r/a", 1, 1)]),
            walked(&[("/r/a", 1, 1), ("/r/b", 2, 2), ("/r/c", 0, 0)]),
            // Not the same as the two files above, though the bytes run on.
            walked(&[("/r/a", 1, 1), ("/r/b", 2, 2), ("", 0, 0)]),
        ] {
            assert_ne!(base, walk_digest(&changed, &options));
        }
        let larger = self::options(1001);
        assert_ne!(
            base,
            walk_digest(&walked(&[("/r/a", 1, 1), ("/r/b", 2, 2)]), &larger)
        );
    }

    #[test]
    fn roots_overlap_when_one_holds_the_other() {
        assert!(overlap("/r", "/r"));
        assert!(overlap("/r", "/r/sub"));
        assert!(overlap("/r/sub", "/r"));
        assert!(!overlap("/r", "/rs"));
        assert!(!overlap("/r/a", "/r/b"));
    }

    #[test]
    fn the_state_is_read_back_from_a_mapping_answer() {
        let mut roots = BTreeMap::new();
        roots.insert(
            "/r".to_string(),
            RootRecord {
                digest: "d".to_string(),
                binary: 1,
                too_large: 0,
            },
        );
        let clean = SyncState::Clean(roots);
        let answer = json!({ "docs": { "mappings": { "_meta": { "lantern_mapping": 3, STATE_ENTRY: clean } } } });
        assert_eq!(SyncState::from_mapping(&answer), clean);
        let writing = json!({ "docs": { "mappings": { "_meta": {
            STATE_ENTRY: { "writing": { "token": "t", "relaxed": true } }
        } } } });
        let found = SyncState::from_mapping(&writing);
        assert_eq!(
            found,
            SyncState::Writing {
                token: "t".to_string(),
                relaxed: true
            }
        );
        assert!(found.relaxed());
        let none = json!({ "docs": { "mappings": {} } });
        assert_eq!(SyncState::from_mapping(&none), SyncState::Unknown);
    }
}
