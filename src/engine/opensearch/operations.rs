//! The `_bulk` operations of one change of a sync, and what the summary counts of them.
//!
//! A put reads the file as the local engine does: a plain document is one `index` operation. A
//! container (an archive, a compressed file, a mailbox) also gives one document per member, keyed
//! as locally (`a.zip` NUL `::x.txt`), carrying the container's size, mtime and external version.
//! Its operations come in an order that survives a kill: a put of each member as it is read (a
//! large archive never waits whole in memory), the deletes of its old members that its new version
//! lacks, and its own put apart ([`Prepared::last`]), which the sync sends only once everything
//! before it is acknowledged: the container's document is the mark that the container is complete
//! on the engine.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::json;
use sha2::Digest;

use super::catalog::Change;
use super::mapping::{copy_key, folder_prefixes, path_parts};
use super::OpenSearchError;
use crate::extract::{Document, DocumentType};
use crate::index::path_key::{display_key, member_key};
use crate::index::text::{read_file, SkipReason};
use crate::index::walk::FileEntry;
use crate::index::{IndexObserver, IndexOptions, IndexStats, IndexWarning, MemberRules};

/// The document id of a path key: a hash, since `_id` is at most 512 bytes and paths are not.
pub(super) fn document_id(key: &str) -> String {
    sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What became of one file or member, to count once the parallel part is over.
pub(super) enum Outcome {
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
pub(super) struct TextNotes {
    kind: DocumentType,
    lossy: bool,
    truncated: bool,
}

/// Why a file was skipped, as the summary counts it.
pub(super) enum Skip {
    Binary,
    TooLarge,
    Unreadable,
    Failed(&'static str),
}

/// The members skipped as binary or too large: the record of a root counts only its files.
#[derive(Default)]
pub(super) struct MemberSkips {
    pub(super) binary: u64,
    pub(super) too_large: u64,
}

impl TextNotes {
    fn of(file: &Document) -> TextNotes {
        TextNotes {
            kind: file.kind,
            lossy: file.lossy,
            truncated: file.truncated,
        }
    }

    fn count(&self, stats: &mut IndexStats) {
        if self.kind != DocumentType::Text {
            *stats.extracted.entry(self.kind).or_default() += 1;
        }
        stats.lossy += u64::from(self.lossy);
        stats.truncated += u64::from(self.truncated);
    }
}

impl Skip {
    fn count(&self, stats: &mut IndexStats) {
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
    pub(super) fn count(&self, stats: &mut IndexStats, member_skips: &mut MemberSkips) {
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
pub(super) struct Prepared {
    /// Operations that may reach the engine in any order with other changes' operations.
    pub(super) operations: Vec<Vec<String>>,
    /// A container's own document, sent only once its members' operations are acknowledged:
    /// it is the mark that the container is complete on the engine, so a run killed before it
    /// leaves the container at its old version and the next run sends everything again.
    pub(super) last: Option<Vec<String>>,
    /// What became of the file and of each member.
    pub(super) outcomes: Vec<Outcome>,
}

/// What one change of the sync needs besides the change itself.
pub(super) struct PrepareContext<'a> {
    pub(super) root_key: &'a str,
    pub(super) member_rules: &'a MemberRules,
    pub(super) options: &'a IndexOptions,
    pub(super) observer: &'a dyn IndexObserver,
}

/// Where the put of each member goes as soon as it is read: a large archive never waits whole in
/// memory.
pub(super) type MemberSink<'s> = dyn Fn(Vec<String>) -> Result<(), OpenSearchError> + Sync + 's;

/// The `_bulk` operations of one change (reading and extracting the file, and its members, for
/// a put): for a container, a put of each member (at the container's version) handed to `send`
/// as it is read, then in the answer the deletes of its old members that the new version lacks
/// (known once every member is read; they and the puts name distinct documents, so their order
/// does not matter) and, apart, the container's own put. Fails only when `send` does.
pub(super) fn prepare(
    change: &Change,
    context: &PrepareContext<'_>,
    send: &MemberSink<'_>,
) -> Result<Prepared, OpenSearchError> {
    let (entry, key, previous, old_members) = match change {
        Change::Delete { own, members } => {
            let operations = own
                .iter()
                .chain(members)
                .map(|document| vec![delete_line(&document.key, document.mtime)])
                .collect();
            // A file is removed once, whatever its members.
            let outcomes = own.iter().map(|_| Outcome::Removed).collect();
            return Ok(Prepared {
                operations,
                last: None,
                outcomes,
            });
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
    let mut outcomes = Vec::new();
    let mut member_keys = HashSet::new();
    let mut failure = None;
    let read = read_file(
        &entry.path,
        options.max_file_size,
        options.max_text_bytes(),
        &options.extract,
        &admit,
        &mut |member| {
            if failure.is_some() {
                return;
            }
            let member_key = member_key(key, &member.path);
            let shown = shown_path(&member_key);
            match member.outcome {
                Ok(document) => {
                    warn_truncated(&shown, &document, context);
                    outcomes.push(Outcome::Member(TextNotes::of(&document)));
                    let put = put_operation(&member_key, entry, version, &document, context);
                    match send(put) {
                        Ok(()) => {
                            member_keys.insert(member_key);
                        }
                        Err(err) => failure = Some(err),
                    }
                }
                Err(unread) => {
                    let skip = warn_skip(&shown, unread, *observer);
                    outcomes.push(Outcome::MemberSkipped(skip));
                }
            }
        },
    );
    observer.file_done(entry.size);
    if let Some(err) = failure {
        return Err(err);
    }
    // The old members the new version lacks (all of them when it cannot be read any more: a
    // file that can no longer be read loses its old text).
    let mut operations: Vec<Vec<String>> = old_members
        .iter()
        .filter(|old| !member_keys.contains(&old.key))
        .map(|old| vec![delete_line(&old.key, version)])
        .collect();
    let opened = match read {
        Ok(opened) => opened,
        Err(reason) => {
            outcomes.push(Outcome::Skipped(warn_skip(&entry.path, reason, *observer)));
            if let Some(old) = previous {
                operations.push(vec![delete_line(key, *old)]);
            }
            return Ok(Prepared {
                operations,
                last: None,
                outcomes,
            });
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
    let (operations, last) = if operations.is_empty() && member_keys.is_empty() {
        (vec![own], None)
    } else {
        (operations, Some(own))
    };
    Ok(Prepared {
        operations,
        last,
        outcomes,
    })
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
pub(super) fn delete_line(key: &str, version: u64) -> String {
    json!({ "delete": {
        "_id": document_id(key),
        "version": version,
        "version_type": "external_gte",
    }})
    .to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::engine::opensearch::catalog::EngineFile;
    use crate::index::path_key::path_key;
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
    fn a_changed_container_sends_its_members_drops_stale_ones_and_puts_itself_last() {
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
        let sent = std::sync::Mutex::new(Vec::new());
        let send = |operation| {
            sent.lock().expect("not poisoned").push(operation);
            Ok(())
        };
        let prepared = prepare(&change, &context, &send).expect("prepared");
        let names = [
            (key.clone(), "a.tar"),
            (member("gone.txt"), "gone.txt"),
            (member("kept.txt"), "kept.txt"),
            (member("new.txt"), "new.txt"),
        ];
        let step = |verb: &str, name: &str| (verb.to_string(), name.to_string(), 9);
        // The members as they were read, then the member the new version lacks.
        let sent = sent.into_inner().expect("not poisoned");
        assert_eq!(
            describe(&sent, &names),
            [step("index", "kept.txt"), step("index", "new.txt")]
        );
        assert_eq!(
            describe(&prepared.operations, &names),
            [step("delete", "gone.txt")]
        );
        let last = prepared.last.expect("the container's own document, last");
        assert_eq!(describe(&[last], &names), [step("index", "a.tar")]);
        let mut stats = IndexStats::default();
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
