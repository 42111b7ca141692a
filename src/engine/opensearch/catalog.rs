//! The engine's catalog of a root and the diff of a walk against it.
//!
//! The engine's paths under a root are streamed in sorted order (`search_after` on the `path`
//! keyword). A member of an archive or a mailbox is a document of its own, keyed by its
//! container's key, the member separator and its name (`a.zip` NUL `::x.txt`): it is no file on
//! disk, so the diff groups members under their container's key. A container gone from disk
//! takes its members with it; a changed one hands its old members to the sync, which deletes
//! those its new version no longer holds.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

use super::client::Client;
use super::OpenSearchError;
use crate::index::path_key::{path_key, MEMBER_SEPARATOR};
use crate::index::walk::FileEntry;
use crate::index::IndexStats;

/// Engine paths read per `_search` page of the catalog stream: the most one page may hold
/// (`index.max_result_window`), so a root of up to 10,000 documents is one request.
const CATALOG_PAGE: usize = 10_000;

/// One document as the engine knows it: a file's, or a member's (whose size and mtime are its
/// container's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EngineFile {
    pub(super) key: String,
    pub(super) size: u64,
    pub(super) mtime: u64,
}

/// The engine's documents of one file on disk: its own, and its members'. Its own is missing
/// when a run was killed after sending the members of a new container and before the
/// container's document, which is sent last.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct EngineEntry {
    pub(super) key: String,
    pub(super) own: Option<EngineFile>,
    pub(super) members: Vec<EngineFile>,
}

/// What the diff decided for one file on disk.
pub(super) enum Change {
    /// Read the file and (re)index it; `previous` is the engine's version when it had one, and
    /// `old_members` the engine's members of it (those the new version lacks are deleted).
    Put {
        entry: FileEntry,
        key: String,
        previous: Option<u64>,
        old_members: Vec<EngineFile>,
    },
    /// Delete the engine's documents of a file gone from disk: its own (when there is one) and
    /// its members', each at its version, so a newer one is not deleted.
    Delete {
        own: Option<EngineFile>,
        members: Vec<EngineFile>,
    },
}

/// Every document the engine holds under `root`, sorted by path key, members included.
pub(super) fn engine_catalog(
    client: &Client,
    root: &Path,
) -> Result<Vec<EngineFile>, OpenSearchError> {
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

/// True when the document keyed `key` is a member of a container, not a file on disk.
pub(super) fn is_member(key: &str) -> bool {
    key.contains(MEMBER_SEPARATOR)
}

/// The engine's documents grouped by the file on disk they come from, sorted by its key (the
/// walk's order). Members do not always follow their container in the engine's order (a file
/// whose name continues with an escaped byte sorts between them), hence the map.
pub(super) fn by_file(documents: Vec<EngineFile>) -> Vec<EngineEntry> {
    let mut entries: BTreeMap<String, EngineEntry> = BTreeMap::new();
    for document in documents {
        match document.key.split_once(MEMBER_SEPARATOR) {
            Some((container, _)) => {
                let container = container.to_string();
                let entry = entries.entry(container.clone()).or_default();
                entry.key = container;
                entry.members.push(document);
            }
            None => {
                let entry = entries.entry(document.key.clone()).or_default();
                entry.key.clone_from(&document.key);
                entry.own = Some(document);
            }
        }
    }
    entries.into_values().collect()
}

/// Merges the sorted walk and the engine's documents grouped by file ([`by_file`]) into the
/// changes to make, counting the unchanged files.
pub(super) fn diff(
    walked: Vec<(String, FileEntry)>,
    engine: Vec<EngineEntry>,
    stats: &mut IndexStats,
) -> Vec<Change> {
    let gone = |entry: EngineEntry| Change::Delete {
        own: entry.own,
        members: entry.members,
    };
    let mut changes = Vec::new();
    let mut engine = engine.into_iter().peekable();
    for (key, entry) in walked {
        while let Some(vanished) = engine.next_if(|known| known.key < key) {
            changes.push(gone(vanished));
        }
        match engine.next_if(|known| known.key == key) {
            Some(EngineEntry { own: Some(own), .. })
                if own.size == entry.size && own.mtime == entry.mtime =>
            {
                stats.unchanged += 1;
            }
            Some(known) => changes.push(Change::Put {
                entry,
                key,
                previous: known.own.map(|own| own.mtime),
                old_members: known.members,
            }),
            None => changes.push(Change::Put {
                entry,
                key,
                previous: None,
                old_members: Vec::new(),
            }),
        }
    }
    changes.extend(engine.map(gone));
    changes
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

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

    fn keys(files: &[EngineFile]) -> String {
        files
            .iter()
            .map(|file| file.key.replace('\0', ""))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn describe(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|change| match change {
                Change::Put {
                    key,
                    previous,
                    old_members,
                    ..
                } => format!("put {key} {previous:?} [{}]", keys(old_members)),
                Change::Delete { own, members } => {
                    let own = own.as_ref().map(|own| (own.key.as_str(), own.mtime));
                    format!("delete {own:?} [{}]", keys(members))
                }
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
        let mut stats = IndexStats::default();
        let changes = diff(walked, by_file(engine), &mut stats);
        assert_eq!(
            describe(&changes),
            [
                "delete Some((\"/r/b\", 5)) []",
                "put /r/c Some(2) []",
                "put /r/d None []",
                "delete Some((\"/r/e\", 7)) []"
            ]
        );
        assert_eq!(stats.unchanged, 1);
    }

    #[test]
    fn members_go_with_their_container_and_are_never_files_gone_from_disk() {
        let walked = vec![
            entry("/r/a.zip", 10, 2),
            entry("/r/b.tar", 10, 1),
            entry("/r/c.mbox", 5, 5),
        ];
        let engine = vec![
            // Changed: its members are handed to the put.
            known("/r/a.zip", 10, 1),
            known("/r/a.zip\0::x.txt", 10, 1),
            // A file whose name continues with an escaped byte, between a container and
            // its members in the engine's order.
            known("/r/a.zip\u{0}01", 3, 3),
            known("/r/a.zip\0::y.txt", 10, 1),
            // Unchanged with its members: nothing to do.
            known("/r/b.tar", 10, 1),
            known("/r/b.tar\0::m.txt", 10, 1),
            // Members of a container whose own document a killed run never sent.
            known("/r/c.mbox\0::1", 5, 5),
            // Gone from disk, with its members.
            known("/r/d.zip", 4, 4),
            known("/r/d.zip\0::z.txt", 4, 4),
            known("/r/d.zip\0::z.txt\0::deeper", 4, 4),
            // Members alone, of a container gone from disk.
            known("/r/e.zip\0::w.txt", 6, 6),
        ];
        let mut stats = IndexStats::default();
        let changes = diff(walked, by_file(engine), &mut stats);
        assert_eq!(
            describe(&changes),
            [
                "put /r/a.zip Some(1) [/r/a.zip::x.txt,/r/a.zip::y.txt]",
                "delete Some((\"/r/a.zip\\001\", 3)) []",
                "put /r/c.mbox None [/r/c.mbox::1]",
                "delete Some((\"/r/d.zip\", 4)) [/r/d.zip::z.txt,/r/d.zip::z.txt::deeper]",
                "delete None [/r/e.zip::w.txt]",
            ]
        );
        assert_eq!(stats.unchanged, 1);
    }
}
