//! Lantern on a real OpenSearch cluster (`--engine URL`): sync after adds, edits, moves and
//! deletes, kill -9 during a sync then a rerun, the catalog against the local engine's, status,
//! and the errors a user meets. `.ci/run` starts a 2-node cluster (tools/opensearch-cluster) and
//! names it in LANTERN_TEST_OPENSEARCH; without one these tests are skipped visibly.

mod util;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use util::needs::{self, Need};
use util::{
    create_mcp_notes, encode, gzip, mbox, message, tar, zip, Dir, IndexSummary, McpSession, Output,
    ServerGuard, TestCommand, Watcher,
};

/// An index of the test cluster of its own, deleted when the test ends.
struct Remote {
    cluster: String,
    index: String,
}

impl Remote {
    /// A fresh index for `test`, or `None` (the test returns) when no cluster is there.
    fn new(test: &str) -> Option<Remote> {
        if !needs::available(Need::OpenSearch, test) {
            return None;
        }
        let cluster = needs::opensearch_url()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let index = format!(
            "lantern-{}-{}-{nanos}",
            test.replace('_', "-"),
            std::process::id()
        );
        let remote = Remote { cluster, index };
        remote.delete();
        Some(remote)
    }

    /// The `--engine` URL.
    fn url(&self) -> String {
        format!("{}/{}", self.cluster, self.index)
    }

    /// `lantern --engine URL ...` in `dir`.
    fn lantern(&self, dir: &Dir) -> TestCommand {
        dir.lantern().arg("--engine").arg(self.url())
    }

    /// `lantern --engine URL index ARGS`, which must succeed; its summary.
    fn index(&self, dir: &Dir, args: &[&str]) -> IndexSummary {
        let output = self.lantern(dir).arg("index").args(args).assert_success();
        IndexSummary::parse(&output.stdout)
    }

    /// Every document the engine holds, as path key → (body, number of copies).
    fn documents(&self) -> BTreeMap<String, (String, u64)> {
        let body =
            json!({ "size": 10000, "query": { "match_all": {} }, "_source": ["path", "body"] });
        let answer = self.post(&format!("/{}/_search", self.index), &body);
        let mut documents = BTreeMap::new();
        for hit in answer["hits"]["hits"].as_array().expect("hits") {
            let path = hit["_source"]["path"].as_str().expect("a path").to_string();
            let text = hit["_source"]["body"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            documents
                .entry(path)
                .and_modify(|(_, copies)| *copies += 1)
                .or_insert((text, 1));
        }
        documents
    }

    /// The number of documents, as `_count` says.
    fn count(&self) -> u64 {
        let answer = self.post(&format!("/{}/_count", self.index), &json!({}));
        answer["count"].as_u64().unwrap_or(0)
    }

    /// POST a JSON body to the cluster; the answer's JSON (an error body too).
    fn post(&self, path: &str, body: &Value) -> Value {
        let url = format!("{}{path}", self.cluster);
        let answer = match ureq::post(&url)
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
        {
            Ok(response) => response.into_string(),
            Err(ureq::Error::Status(_, response)) => response.into_string(),
            Err(err) => panic!("POST {url}: {err}"),
        };
        serde_json::from_str(&answer.expect("a body")).expect("JSON")
    }

    /// PUT a JSON body to the cluster.
    fn put(&self, path: &str, body: &Value) {
        ureq::put(&format!("{}{path}", self.cluster))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
            .expect("PUT");
    }

    /// The sync state the index records in its mapping's `_meta` (`lantern_sync`).
    fn sync_state(&self) -> Value {
        let url = format!("{}/{}/_mapping", self.cluster, self.index);
        let text = ureq::get(&url)
            .call()
            .expect("GET _mapping")
            .into_string()
            .expect("a body");
        let answer: Value = serde_json::from_str(&text).expect("JSON");
        answer[&self.index]["mappings"]["_meta"]["lantern_sync"].clone()
    }

    /// The index's translog durability as set on it (`None`: the default, `request`).
    fn durability(&self) -> Option<String> {
        let url = format!(
            "{}/{}/_settings/index.translog.durability",
            self.cluster, self.index
        );
        let text = ureq::get(&url)
            .call()
            .expect("GET _settings")
            .into_string()
            .expect("a body");
        let answer: Value = serde_json::from_str(&text).expect("JSON");
        answer[&self.index]["settings"]["index"]["translog"]["durability"]
            .as_str()
            .map(str::to_string)
    }

    fn delete(&self) {
        let _ = ureq::delete(&format!("{}/{}", self.cluster, self.index)).call();
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        self.delete();
    }
}

/// The path keys of `relative` files of `dir`, sorted (the engine's keys are absolute paths).
fn keys(dir: &Dir, relative: &[&str]) -> Vec<String> {
    let root = std::fs::canonicalize(dir.root()).expect("canonical root");
    let mut keys: Vec<String> = relative
        .iter()
        .map(|name| root.join(name).to_string_lossy().into_owned())
        .collect();
    keys.sort();
    keys
}

#[test]
fn one_index_run_reflects_adds_edits_moves_deletes_and_a_renamed_folder() {
    let Some(remote) =
        Remote::new("one_index_run_reflects_adds_edits_moves_deletes_and_a_renamed_folder")
    else {
        return;
    };
    let dir = Dir::new();
    dir.create("docs/a.txt", "apple one");
    dir.create("docs/b.txt", "banana two");
    dir.create("docs/old/c.txt", "cherry three");
    dir.create("docs/old/d.txt", "date four");
    dir.create("docs/e.txt", "elder five");

    let first = remote.index(&dir, &["docs"]);
    assert_eq!((first.indexed, first.added), (5, 5));
    let documents = remote.documents();
    assert_eq!(
        documents.keys().cloned().collect::<Vec<_>>(),
        keys(
            &dir,
            &[
                "docs/a.txt",
                "docs/b.txt",
                "docs/e.txt",
                "docs/old/c.txt",
                "docs/old/d.txt"
            ]
        )
    );

    // An edit (new size and mtime), a move, a delete, a folder renamed, an add.
    std::thread::sleep(Duration::from_millis(20));
    dir.create("docs/a.txt", "apple one edited");
    std::fs::rename(dir.path("docs/b.txt"), dir.path("docs/moved-b.txt")).expect("move");
    dir.remove("docs/e.txt");
    std::fs::rename(dir.path("docs/old"), dir.path("docs/new")).expect("rename folder");
    dir.create("docs/f.txt", "fig six");

    let second = remote.index(&dir, &["docs"]);
    assert_eq!(
        (
            second.added,
            second.updated,
            second.removed,
            second.unchanged
        ),
        (4, 1, 4, 0),
        "{second:?}"
    );
    let documents = remote.documents();
    let expected = keys(
        &dir,
        &[
            "docs/a.txt",
            "docs/f.txt",
            "docs/moved-b.txt",
            "docs/new/c.txt",
            "docs/new/d.txt",
        ],
    );
    assert_eq!(documents.keys().cloned().collect::<Vec<_>>(), expected);
    assert!(documents.values().all(|(_, copies)| *copies == 1));
    assert_eq!(documents[&expected[0]].0, "apple one edited");

    // With nothing changed, nothing is sent.
    let third = remote.index(&dir, &[]);
    assert_eq!((third.indexed, third.unchanged, third.removed), (0, 5, 0));
}

#[test]
fn the_engine_holds_what_the_local_index_holds_for_the_sample_documents() {
    let Some(remote) =
        Remote::new("the_engine_holds_what_the_local_index_holds_for_the_sample_documents")
    else {
        return;
    };
    let dir = Dir::new();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-docs");
    let local = dir.lantern().arg("index").arg(&samples).assert_success();
    let remote_run = remote
        .lantern(&dir)
        .arg("index")
        .arg(&samples)
        .assert_success();
    // The same files read, extracted, skipped and warned about.
    assert_eq!(
        IndexSummary::parse(&remote_run.stdout),
        IndexSummary::parse(&local.stdout)
    );
    // Replicas of a new index may still be starting: wait for them before reading the health.
    let health = format!(
        "{}/_cluster/health/{}?wait_for_status=green&timeout=60s",
        remote.cluster, remote.index
    );
    ureq::get(&health).call().expect("the index turns green");
    let mut local_warnings: Vec<&str> = local.stderr.lines().collect();
    let mut remote_warnings: Vec<&str> = remote_run.stderr.lines().collect();
    local_warnings.sort_unstable();
    remote_warnings.sort_unstable();
    assert_eq!(remote_warnings, local_warnings);

    // The same documents, by type.
    let local_status = dir.status_json();
    let status = remote
        .lantern(&dir)
        .args(["status", "--format", "json"])
        .assert_success();
    let status: Value = serde_json::from_str(&status.stdout).expect("status JSON");
    assert_eq!(status["documents"], local_status["documents"], "{status}");
    assert_eq!(
        remote.count(),
        status["documents"].as_u64().expect("a count")
    );
    assert_eq!(
        status["health"], "green",
        "a 2-node cluster holds every replica"
    );
    assert_eq!(status["nodes"], 2);
}

/// The paths of every document the engine `command` reads (`*`, at most 10,000), sorted.
fn all_paths(command: TestCommand) -> Vec<String> {
    let output = command
        .args(["search", "--format", "json", "--limit", "10000", "*"])
        .assert_success();
    let json: Value = serde_json::from_str(&output.stdout).expect("search JSON");
    let total = json["total"].as_u64().expect("a total");
    let mut paths: Vec<String> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["path"].as_str().expect("a path").to_string())
        .collect();
    assert_eq!(paths.len() as u64, total, "every document is listed");
    paths.sort();
    paths
}

/// `lantern search --format json --limit 100 QUERY` on the local index and on the engine: the
/// same exit code, and the hits by path (after the root's folder).
fn same_hits(remote: &Remote, dir: &Dir, query: &str) -> Vec<String> {
    let args = ["search", "--format", "json", "--limit", "100", query];
    let local = dir.lantern().args(args).run();
    let engine = remote.lantern(dir).args(args).run();
    assert_eq!(engine.code, local.code, "{query}:\n{engine}\n{local}");
    let hits = hits_by_path(&engine.stdout);
    assert_eq!(hits, hits_by_path(&local.stdout), "{query}");
    hits.1
        .iter()
        .map(|hit| {
            let path = hit[0].as_str().expect("a path");
            path.rsplit_once("/docs/")
                .map_or(path, |(_, tail)| tail)
                .to_string()
        })
        .collect()
}

#[test]
fn members_of_archives_and_mailboxes_are_the_same_documents_on_both_engines() {
    let Some(remote) =
        Remote::new("members_of_archives_and_mailboxes_are_the_same_documents_on_both_engines")
    else {
        return;
    };
    let dir = Dir::new();
    dir.create(
        "docs/bundle.zip",
        zip(&[
            ("notes/alpha.txt", b"quokka alpha"),
            ("beta.txt", b"quokka beta"),
        ]),
    );
    dir.create(
        "docs/logs.tar.gz",
        gzip(&tar(&[("day1.log", b"quokka wombat day")])),
    );
    let plain = message(
        "ann@example.com",
        "bob@example.com",
        "Lunch",
        "quokka lunch",
        &[],
    );
    let attached = message(
        "bob@example.com",
        "ann@example.com",
        "Figures",
        "see the attachment",
        &[("report.txt", "text/plain", b"quokka wombat report")],
    );
    dir.create("docs/inbox.mbox", mbox(&[plain, attached]));
    dir.create("docs/plain.txt", "nothing about marsupials");

    let local = dir.lantern().arg("index").arg("docs").assert_success();
    let first = remote.index(&dir, &["docs"]);
    // The same members counted, of the same archives.
    assert_eq!(first, IndexSummary::parse(&local.stdout));
    assert_eq!(
        (first.indexed, first.members, first.archives),
        (4, 6, 3),
        "{first:?}"
    );

    // Words only members hold find the same members on both engines.
    assert_eq!(
        same_hits(&remote, &dir, "quokka -wombat"),
        [
            "bundle.zip::beta.txt",
            "bundle.zip::notes/alpha.txt",
            "inbox.mbox::1"
        ]
    );
    assert_eq!(
        same_hits(&remote, &dir, "wombat"),
        ["inbox.mbox::2::report.txt", "logs.tar.gz::day1.log"]
    );
    same_hits(&remote, &dir, "path:report.txt");
    same_hits(&remote, &dir, "type:mbox OR type:zip");
    // Members are counted by type, month and folder (an archive is a folder of its members)
    // alike.
    let args = [
        "search",
        "--format",
        "json",
        "--facets",
        "--limit",
        "1",
        "quokka OR wombat",
    ];
    let facets = |output: Output| {
        serde_json::from_str::<Value>(&output.stdout).expect("JSON")["facets"].clone()
    };
    let local_facets = facets(dir.lantern().args(args).run());
    assert!(
        local_facets.to_string().contains("bundle.zip"),
        "{local_facets}"
    );
    assert_eq!(facets(remote.lantern(&dir).args(args).run()), local_facets);
    assert_eq!(
        all_paths(remote.lantern(&dir)),
        all_paths(dir.lantern()),
        "every document, members included"
    );

    // A zip replaced by one with other members, a mailbox deleted: after one run the engine
    // holds exactly the local engine's documents, no member left behind.
    std::thread::sleep(Duration::from_millis(20));
    dir.create("docs/bundle.zip", zip(&[("gamma.txt", b"quokka gamma")]));
    dir.remove("docs/inbox.mbox");
    let local = dir.lantern().arg("index").arg("docs").assert_success();
    let second = remote.index(&dir, &["docs"]);
    assert_eq!(second, IndexSummary::parse(&local.stdout));
    assert_eq!((second.updated, second.removed), (1, 1), "{second:?}");
    let on_engine = all_paths(remote.lantern(&dir));
    assert_eq!(on_engine, all_paths(dir.lantern()));
    assert!(on_engine
        .iter()
        .any(|path| path.ends_with("bundle.zip::gamma.txt")));
    assert!(!on_engine
        .iter()
        .any(|path| path.contains("inbox.mbox") || path.contains("alpha.txt")));
    assert_eq!(remote.count(), on_engine.len() as u64);
    assert_eq!(
        same_hits(&remote, &dir, "quokka -wombat"),
        ["bundle.zip::gamma.txt"]
    );

    // Nothing changed: nothing sent, and every member stays.
    let third = remote.index(&dir, &["docs"]);
    assert_eq!((third.indexed, third.removed, third.unchanged), (0, 0, 3));
    assert_eq!(remote.count(), on_engine.len() as u64);
}

#[test]
fn an_archive_of_more_members_than_one_bulk_request_holds_them_all_on_the_engine() {
    let Some(remote) = Remote::new(
        "an_archive_of_more_members_than_one_bulk_request_holds_them_all_on_the_engine",
    ) else {
        return;
    };
    let dir = Dir::new();
    // 1,200 members: their puts span three `_bulk` requests, sent while the archive is read.
    let texts: Vec<(String, String)> = (0..1200)
        .map(|n| (format!("part/{n:04}.txt"), format!("member number{n:04}")))
        .collect();
    let members: Vec<(&str, &[u8])> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_bytes()))
        .collect();
    dir.create("docs/many.zip", zip(&members));
    let local = dir.lantern().arg("index").arg("docs").assert_success();
    let synced = remote.index(&dir, &["docs"]);
    assert_eq!(synced, IndexSummary::parse(&local.stdout));
    assert_eq!((synced.members, synced.archives), (1200, 1), "{synced:?}");
    assert_eq!(remote.count(), 1201);
    assert_eq!(
        same_hits(&remote, &dir, "number0777"),
        ["many.zip::part/0777.txt"]
    );
}

#[test]
fn killed_during_a_sync_a_rerun_leaves_exactly_the_files_on_disk() {
    let Some(remote) = Remote::new("killed_during_a_sync_a_rerun_leaves_exactly_the_files_on_disk")
    else {
        return;
    };
    let dir = Dir::new();
    let mut names = Vec::new();
    for i in 0..3000 {
        let name = format!("docs/{:02}/file-{i}.txt", i % 40);
        dir.create(&name, format!("word{i} shared text for file {i}"));
        names.push(name);
    }
    let mut child = remote
        .lantern(&dir)
        .args(["index", "docs", "--threads", "1"])
        .spawn();
    // Kill it once some documents reached the engine, while it is still sending.
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the sync ended ({status}) before it could be killed");
        }
        if remote.count() > 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        // The count only grows on a refresh: ask for one.
        remote.post(&format!("/{}/_refresh", remote.index), &json!({}));
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");

    // Meanwhile files change: some go, one is edited.
    for name in names.iter().take(50) {
        dir.remove(name);
    }
    dir.create(&names[100], "edited after the kill");

    // The killed run had marked the index as being written, with its durability relaxed (a
    // large sync): the rerun cannot trust it clean, and must restore the durability.
    let state = remote.sync_state();
    assert_eq!(state["writing"]["relaxed"], true, "{state}");
    assert_eq!(remote.durability().as_deref(), Some("async"));

    remote.index(&dir, &["docs"]);
    let documents = remote.documents();
    let on_disk: Vec<&str> = names.iter().skip(50).map(String::as_str).collect();
    assert_eq!(
        documents.keys().cloned().collect::<Vec<_>>(),
        keys(&dir, &on_disk)
    );
    assert!(documents.values().all(|(_, copies)| *copies == 1));
    let edited = keys(&dir, &[names[100].as_str()]);
    assert_eq!(documents[&edited[0]].0, "edited after the kill");

    // The rerun ended well: the durability is the default again, the index is clean, and a
    // no-op counts every file unchanged.
    assert_eq!(remote.durability(), None);
    let root = std::fs::canonicalize(dir.path("docs")).expect("canonical root");
    let state = remote.sync_state();
    assert!(
        state["clean"][root.to_string_lossy().as_ref()]["digest"].is_string(),
        "{state}"
    );
    let again = remote.index(&dir, &["docs"]);
    assert_eq!((again.indexed, again.unchanged), (0, on_disk.len() as u64));
}

#[test]
fn killed_while_sending_archives_a_rerun_leaves_exactly_the_local_documents() {
    let Some(remote) =
        Remote::new("killed_while_sending_archives_a_rerun_leaves_exactly_the_local_documents")
    else {
        return;
    };
    let dir = Dir::new();
    let archive = |prefix: &str, count: usize| {
        let texts: Vec<(String, String)> = (0..count)
            .map(|n| (format!("{prefix}-{n}.txt"), format!("{prefix} member {n}")))
            .collect();
        let members: Vec<(&str, &[u8])> = texts
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_bytes()))
            .collect();
        zip(&members)
    };
    for i in 0..40 {
        dir.create(
            &format!("docs/a{i:02}.zip"),
            archive(&format!("old{i}"), 100),
        );
    }
    let mut child = remote
        .lantern(&dir)
        .args(["index", "docs", "--threads", "1"])
        .spawn();
    // Kill it once some members reached the engine, while it is still sending.
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the sync ended ({status}) before it could be killed");
        }
        if remote.count() > 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        remote.post(&format!("/{}/_refresh", remote.index), &json!({}));
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    // A container's own document is its commit mark: any that reached the engine came after
    // all its members.
    remote.post(&format!("/{}/_refresh", remote.index), &json!({}));
    let documents = remote.documents();
    for container in documents.keys().filter(|key| !key.contains("::")) {
        let members = documents
            .keys()
            .filter(|key| key.starts_with(&format!("{container}\0::")))
            .count();
        assert_eq!(members, 100, "{container}");
    }

    // Meanwhile an archive goes and another is replaced by one with other members.
    dir.remove("docs/a00.zip");
    dir.create("docs/a01.zip", archive("new", 3));

    dir.lantern().arg("index").arg("docs").assert_success();
    remote.index(&dir, &["docs"]);
    let on_engine = all_paths(remote.lantern(&dir));
    assert_eq!(on_engine, all_paths(dir.lantern()));
    assert_eq!(on_engine.len(), 39 + 38 * 100 + 3);
    let documents = remote.documents();
    assert_eq!(documents.len(), on_engine.len());
    assert!(documents.values().all(|(_, copies)| *copies == 1));
}

#[test]
fn after_a_clean_sync_a_no_op_still_sees_a_move_a_forget_and_skipped_files() {
    let Some(remote) =
        Remote::new("after_a_clean_sync_a_no_op_still_sees_a_move_a_forget_and_skipped_files")
    else {
        return;
    };
    let dir = Dir::new();
    dir.create("docs/a.txt", "apple");
    dir.create("docs/b.txt", "banana");
    dir.create("docs/sub/c.txt", "cherry");
    dir.create("docs/blob.bin", b"\0\x01binary\0");
    let first = remote.index(&dir, &["docs"]);
    assert_eq!((first.added, first.binary), (3, 1), "{first:?}");
    let root = std::fs::canonicalize(dir.path("docs")).expect("canonical root");
    let root_key = root.to_string_lossy().into_owned();
    let state = remote.sync_state();
    assert!(state["clean"][&root_key]["digest"].is_string(), "{state}");

    // Nothing changed: the same counts as a sync that reads the whole catalog.
    let noop = remote.index(&dir, &["docs"]);
    assert_eq!(
        (noop.indexed, noop.unchanged, noop.binary, noop.skipped),
        (0, 3, 1, 1),
        "{noop:?}"
    );

    // A move keeps the size and the mtime: the path alone tells it.
    std::fs::rename(dir.path("docs/b.txt"), dir.path("docs/sub/b.txt")).expect("move");
    let moved = remote.index(&dir, &["docs"]);
    assert_eq!(
        (moved.added, moved.removed, moved.unchanged),
        (1, 1, 2),
        "{moved:?}"
    );
    assert_eq!(
        remote.documents().keys().cloned().collect::<Vec<_>>(),
        keys(&dir, &["docs/a.txt", "docs/sub/b.txt", "docs/sub/c.txt"])
    );

    // Another command emptied the root on the engine: the next sync sends it all again.
    remote
        .lantern(&dir)
        .args(["forget", "docs"])
        .assert_success();
    assert_eq!(remote.count(), 0);
    let again = remote.index(&dir, &["docs"]);
    assert_eq!((again.added, again.unchanged), (3, 0), "{again:?}");
    assert_eq!(remote.count(), 3);
}

#[test]
fn forget_removes_a_root_and_status_lists_what_is_left() {
    let Some(remote) = Remote::new("forget_removes_a_root_and_status_lists_what_is_left") else {
        return;
    };
    let dir = Dir::new();
    dir.create("one/a.txt", "alpha");
    dir.create("two/b.txt", "beta");
    dir.create("two/c.txt", "gamma");
    remote.index(&dir, &["one", "two"]);

    let status = remote.lantern(&dir).arg("status").assert_success().stdout;
    assert!(status.contains("documents: 3"), "{status}");
    let forgot = remote
        .lantern(&dir)
        .args(["forget", "two"])
        .assert_success()
        .stdout;
    assert_eq!(forgot.trim(), "forgot 1 folder(s) and 2 document(s)");
    assert_eq!(
        remote.documents().keys().cloned().collect::<Vec<_>>(),
        keys(&dir, &["one/a.txt"])
    );
    let status = remote.lantern(&dir).arg("status").assert_success().stdout;
    assert!(status.contains("documents: 1"), "{status}");
    assert!(!status.contains("/two"), "{status}");
}

#[test]
fn a_missing_index_and_a_foreign_index_are_clear_errors() {
    let Some(remote) = Remote::new("a_missing_index_and_a_foreign_index_are_clear_errors") else {
        return;
    };
    let dir = Dir::new();
    // Every command says so, the servers when they start, not at their first request.
    for command in [
        &["status"][..],
        &["search", "x"],
        &["serve", "--bind", "127.0.0.1:0"],
    ] {
        let missing = remote.lantern(&dir).args(command).assert_exit(1);
        assert!(
            missing.stderr.contains(&format!(
                "the OpenSearch index '{}' does not exist",
                remote.index
            )),
            "{missing}"
        );
    }
    // An index Lantern did not make is not written into, nor served.
    remote.put(&format!("/{}", remote.index), &json!({}));
    dir.create("docs/a.txt", "alpha");
    let foreign = remote.lantern(&dir).args(["index", "docs"]).assert_exit(1);
    assert!(
        foreign.stderr.contains("has mapping version 0"),
        "{foreign}"
    );
    assert_eq!(remote.count(), 0);
    let served = remote
        .lantern(&dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .assert_exit(1);
    assert!(served.stderr.contains("has mapping version 0"), "{served}");
}

#[test]
fn an_index_of_an_older_mapping_is_refused_saying_to_rebuild_it() {
    let Some(remote) = Remote::new("an_index_of_an_older_mapping_is_refused_saying_to_rebuild_it")
    else {
        return;
    };
    // What the Lantern before members on the engine made (version 4): its archives are single
    // documents, and an unchanged archive would never get its members.
    remote.put(
        &format!("/{}", remote.index),
        &json!({ "mappings": { "_meta": { "lantern_mapping": 4, "lantern_language": "english" } } }),
    );
    let dir = Dir::new();
    dir.create("docs/a.txt", "alpha");
    for command in [&["index", "docs"][..], &["search", "alpha"]] {
        let refused = remote.lantern(&dir).args(command).assert_exit(1);
        assert!(
            refused
                .stderr
                .contains("has mapping version 4, this Lantern needs 5; rebuild it"),
            "{command:?}: {refused}"
        );
    }
    assert_eq!(remote.count(), 0);
}

#[test]
fn an_unreachable_engine_and_a_bad_url_are_clear_errors() {
    let dir = Dir::new();
    // A port nothing listens on: bind one, then free it.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let down = dir
        .lantern()
        .args([
            "--engine",
            &format!("http://127.0.0.1:{port}/docs"),
            "status",
        ])
        .assert_exit(1);
    assert!(down.stderr.contains("is unreachable"), "{down}");
    let bad = dir
        .lantern()
        .args(["--engine", "127.0.0.1:9200/docs", "status"])
        .assert_exit(1);
    assert!(
        bad.stderr.contains("must start with http:// or https://"),
        "{bad}"
    );
    let watch = dir
        .lantern()
        .args([
            "--engine",
            &format!("http://127.0.0.1:{port}/docs"),
            "watch",
        ])
        .assert_exit(1);
    assert!(watch.stderr.contains("is unreachable"), "{watch}");
}

#[test]
fn credentials_are_sent_but_never_shown() {
    // A server that records the request and refuses it, as a cluster with security does.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).expect("read") == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut stream = stream;
        let body =
            r#"{"error":{"type":"security_exception","reason":"unauthorized"},"status":401}"#;
        write!(
            stream,
            "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("answer");
        head
    });
    let dir = Dir::new();
    let output = dir
        .lantern()
        .env("LANTERN_ENGINE_USER", "alice")
        .env("LANTERN_ENGINE_PASSWORD", "s3cret-pass")
        .args([
            "--engine",
            &format!("http://127.0.0.1:{port}/docs"),
            "status",
        ])
        .assert_exit(1);
    let head = server.join().expect("server");
    // alice:s3cret-pass in base64.
    let encoded = "YWxpY2U6czNjcmV0LXBhc3M=";
    assert!(head.contains(&format!("Basic {encoded}")), "{head}");
    assert!(
        output.stderr.contains("refused the credentials (HTTP 401)"),
        "{output}"
    );
    for secret in ["s3cret-pass", encoded] {
        assert!(
            !output.stderr.contains(secret) && !output.stdout.contains(secret),
            "{output}"
        );
    }
    // And never on the command line: a URL with user information is refused unechoed.
    let inline = dir
        .lantern()
        .args([
            "--engine",
            "http://alice:s3cret-pass@127.0.0.1:9/docs",
            "status",
        ])
        .assert_exit(1);
    assert!(
        inline
            .stderr
            .contains("credentials do not belong on the command line"),
        "{inline}"
    );
    assert!(!inline.stderr.contains("s3cret-pass"), "{inline}");
}

/// Each hit of `lantern search --format json ARGS` as (path, title, type, fragments, locations,
/// copies), sorted by path: the two engines score alike but not identically (per-shard statistics), so
/// hit sets are compared, each with everything a reader sees of it.
fn hits_by_path(output: &str) -> (u64, Vec<Value>) {
    let json: Value = serde_json::from_str(output).expect("search JSON");
    let mut hits: Vec<Value> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            json!([
                hit["path"],
                hit["marked_title"],
                hit["type"],
                hit["fragments"],
                hit["locations"],
                hit["also_at"]
            ])
        })
        .collect();
    hits.sort_by_key(|hit| hit[0].as_str().unwrap_or_default().to_string());
    (json["total"].as_u64().expect("total"), hits)
}

#[test]
fn every_query_type_finds_the_same_hits_and_fragments_as_the_local_engine() {
    let Some(remote) =
        Remote::new("every_query_type_finds_the_same_hits_and_fragments_as_the_local_engine")
    else {
        return;
    };
    let dir = Dir::new();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-docs");
    dir.lantern().arg("index").arg(&samples).assert_success();
    remote
        .lantern(&dir)
        .arg("index")
        .arg(&samples)
        .assert_success();
    let queries = [
        "error",
        "\"error handling\"",
        "\"rust exceptions\"~3",
        "lant*",
        "te?t",
        "roam~1",
        "/lig.th(o|ou)se/",
        "+error -rust",
        "error AND handling",
        "error OR license",
        "license^4 error",
        "title:lighthouse",
        "type:pdf",
        "contents:[a TO b]",
        "東京",
        "*:*",
        // Folding: an accent, precomposed and decomposed in the file, a sharp s, Greek accents
        // (which an ASCII-only folding would keep).
        "cafe",
        "CAFÉ",
        "strasse",
        "καλημερα",
        // Stemming: an unquoted word finds its other forms, a quoted one only itself.
        "handle",
        "\"handles\"",
        "title:lighthouses",
        // Identifiers: their parts side by side rank first, each part alone still finds.
        "exec_prefix",
        "max_results",
        // The ranking-only proximity clause.
        "error handling rust",
        // Path components: a word, consecutive components, patterns (a leading wildcard too),
        // a fuzzy component, beside a word of the text.
        "path:notes",
        "path:2024/projects/lantern.md",
        "path:*.rs",
        "path:rust*",
        "path:notez~1",
        "path:src AND error",
    ];
    for query in queries {
        let local = dir
            .lantern()
            .args(["search", "--format", "json", "--limit", "100", query])
            .run();
        let engine = remote
            .lantern(&dir)
            .args(["search", "--format", "json", "--limit", "100", query])
            .run();
        assert_eq!(engine.code, local.code, "{query}:\n{engine}\n{local}");
        assert_eq!(
            hits_by_path(&engine.stdout),
            hits_by_path(&local.stdout),
            "{query}"
        );
    }
    // A typo is corrected on both, and says so alike; without correction it finds the same.
    let typo = "lighthose";
    let uncorrected = ["search", "--format", "json", "--no-correct", typo];
    let local = dir.lantern().args(uncorrected).run();
    let engine = remote.lantern(&dir).args(uncorrected).run();
    assert_eq!(engine.code, local.code, "{typo}:\n{engine}\n{local}");
    assert_eq!(hits_by_path(&engine.stdout), hits_by_path(&local.stdout));
    let corrected = dir.lantern().args(["search", typo]).assert_success();
    assert!(
        corrected.stderr.contains("showing results for lighthouse"),
        "{corrected}"
    );
    let engine = remote.lantern(&dir).args(["search", typo]).assert_success();
    assert_eq!(engine.stderr, corrected.stderr);
    // What the engine cannot mean as Lantern does is refused, saying why; a malformed query is
    // the same error as locally.
    let refused = remote
        .lantern(&dir)
        .args(["search", r"/\d+/"])
        .assert_exit(1);
    assert!(
        refused.stderr.contains(r"uses \d, which OpenSearch"),
        "{refused}"
    );
    let malformed = remote
        .lantern(&dir)
        .args(["search", "foo AND ("])
        .assert_exit(2);
    let local = dir.lantern().args(["search", "foo AND ("]).assert_exit(2);
    assert_eq!(malformed.stderr, local.stderr);
}

#[test]
fn folding_and_stemming_find_the_same_files_on_both_engines() {
    let Some(remote) = Remote::new("folding_and_stemming_find_the_same_files_on_both_engines")
    else {
        return;
    };
    let dir = Dir::new();
    // Spellings that folding equates beyond ASCII accents: the dotted and dotless i of
    // Turkish, a ligature, full-width letters, a final sigma, Greek and Cyrillic accents, a
    // decomposed accent, and stemmed forms.
    let files = [
        ("turkish.txt", "İstanbul ve Diyarbakır"),
        ("ligature.txt", "the ﬁle was ﬂagged"),
        ("wide.txt", "ＬＡＮＴＥＲＮ in full width"),
        ("greek.txt", "ΚΌΣΜΟΣ και κόσμος"),
        ("russian.txt", "йод и Ёлка"),
        ("decomposed.txt", "un cafe\u{301} noir"),
        ("stems.txt", "the crawlers were crawling"),
    ];
    for (name, text) in files {
        dir.create(&format!("docs/{name}"), text);
    }
    dir.lantern().args(["index", "docs"]).assert_success();
    remote.index(&dir, &["docs"]);
    let queries = [
        ("istanbul", "turkish.txt"),
        ("diyarbakir", "turkish.txt"),
        ("file", "ligature.txt"),
        ("flagged", "ligature.txt"),
        ("lantern", "wide.txt"),
        ("κοσμος", "greek.txt"),
        ("иод", "russian.txt"),
        ("елка", "russian.txt"),
        ("café", "decomposed.txt"),
        ("crawl", "stems.txt"),
    ];
    for (query, file) in queries {
        let args = ["search", "--format", "json", "--no-correct", query];
        let local = dir.lantern().args(args).run();
        let engine = remote.lantern(&dir).args(args).run();
        let (total, hits) = hits_by_path(&local.stdout);
        assert_eq!(total, 1, "{query}: {local}");
        assert!(
            hits[0][0].as_str().unwrap_or_default().ends_with(file),
            "{query}: {local}"
        );
        assert_eq!(
            hits_by_path(&engine.stdout),
            (total, hits),
            "{query}: {engine}"
        );
    }
}

#[test]
fn the_index_language_is_recorded_and_another_one_refused() {
    let Some(remote) = Remote::new("the_index_language_is_recorded_and_another_one_refused") else {
        return;
    };
    let dir = Dir::new();
    dir.create("docs/a.txt", "les chats dorment");
    // A language Lucene has no Snowball stemmer for cannot make an index.
    let greek = remote
        .lantern(&dir)
        .args(["index", "docs", "--language", "greek"])
        .assert_exit(1);
    assert!(
        greek.stderr.contains("no Snowball stemmer for greek"),
        "{greek}"
    );
    remote.index(&dir, &["docs", "--language", "french"]);
    let status = remote.lantern(&dir).arg("status").assert_success();
    assert!(status.stdout.contains("language:  french"), "{status}");
    // French stems: `chat` finds `chats`.
    let found = remote
        .lantern(&dir)
        .args(["search", "--format", "json", "chat"])
        .assert_success();
    assert_eq!(hits_by_path(&found.stdout).0, 1, "{found}");
    // Another language would need every stem again: refused, the index unchanged.
    let english = remote
        .lantern(&dir)
        .args(["index", "docs", "--language", "english"])
        .assert_exit(1);
    assert!(
        english.stderr.contains("it stems in french, not english"),
        "{english}"
    );
    remote.index(&dir, &["docs"]);
}

/// The sample documents, indexed by both engines in `dir`.
fn samples_on_both_engines(remote: &Remote, dir: &Dir) -> std::path::PathBuf {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-docs");
    dir.lantern().arg("index").arg(&samples).assert_success();
    remote
        .lantern(dir)
        .arg("index")
        .arg(&samples)
        .assert_success();
    samples
}

#[test]
fn serve_on_the_engine_answers_with_the_hits_and_pages_of_the_local_engine() {
    let Some(remote) =
        Remote::new("serve_on_the_engine_answers_with_the_hits_and_pages_of_the_local_engine")
    else {
        return;
    };
    let dir = Dir::new();
    let samples = samples_on_both_engines(&remote, &dir);
    let local = ServerGuard::start(&dir, &[]);
    let engine = ServerGuard::start_command(remote.lantern(&dir), &[]);
    for query in [
        "error",
        "\"error handling\"",
        "lant*",
        "title:lighthouse",
        "handle -rust",
    ] {
        let target = format!("/api/search?q={}&limit=100", encode(query));
        let (local_status, local_page) = local.get(&target);
        let (engine_status, engine_page) = engine.get(&target);
        assert_eq!(
            (engine_status, hits_by_path(&engine_page)),
            (local_status, hits_by_path(&local_page)),
            "{query}"
        );
    }
    // The search page shows as many hits of the same total, each with the same marked
    // fragments (in relevance order, which may differ where scores tie).
    let page_hits = |server: &ServerGuard| {
        let (status, page) = server.get("/?q=error+handling");
        assert_eq!(status, 200, "{page}");
        let total = page
            .split(" total matching documents")
            .next()
            .and_then(|before| before.rsplit('>').next())
            .unwrap_or_default()
            .to_string();
        let mut fragments: Vec<String> = page
            .split("<mark")
            .skip(1)
            .map(|after| {
                after
                    .split("</mark>")
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        fragments.sort();
        (total, page.matches("class=\"hit").count(), fragments)
    };
    let local_page = page_hits(&local);
    assert!(
        local_page.1 > 1 && local_page.0.parse::<u64>().is_ok(),
        "{local_page:?}"
    );
    assert_eq!(page_hits(&engine), local_page);
    // The HTTP API's paging and sorting, on the engine as locally.
    let target = "/api/search?q=error&sort=path&limit=2&offset=1";
    let page = |server: &ServerGuard| {
        let (status, page) = server.get_json(target);
        assert_eq!(status, 200, "{page}");
        let paths: Vec<Value> = page["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| json!([hit["rank"], hit["path"], hit["fragments"]]))
            .collect();
        (page["total"].clone(), page["offset"].clone(), paths)
    };
    assert_eq!(page(&engine), page(&local));

    // A document's page, with its matches marked, is the same page (it holds no score).
    let lighthouse = dir
        .lantern()
        .args(["search", "--format", "json", "lighthouse"])
        .assert_success();
    let key = serde_json::from_str::<Value>(&lighthouse.stdout).expect("JSON")["hits"][0]["path"]
        .as_str()
        .expect("a path")
        .to_string();
    let target = format!("/doc?path={}&q=lighthouse", encode(&key));
    let (status, local_doc) = local.get(&target);
    assert_eq!(status, 200, "{local_doc}");
    assert!(local_doc.contains("<mark"), "{local_doc}");
    assert_eq!(engine.get(&target), (200, local_doc));
    // The original file, found through the engine; a path it does not hold is not served.
    assert_eq!(engine.get(&format!("/file?path={}", encode(&key))).0, 200);
    let outside = format!("/file?path={}", encode("/etc/passwd"));
    assert_eq!(engine.get(&outside).0, 404);

    // The start page lists the root with its documents; the status API is the engine's own.
    let (status, start) = engine.get("/");
    assert_eq!(status, 200, "{start}");
    let root = std::fs::canonicalize(&samples).expect("canonical samples");
    assert!(start.contains(&*root.to_string_lossy()), "{start}");
    let (status, engine_status) = engine.get_json("/api/status");
    assert_eq!(status, 200, "{engine_status}");
    assert_eq!(engine_status["documents"], dir.status_json()["documents"]);
    assert_eq!(engine_status["index"], remote.index.as_str());
    // A malformed query is the same 400 with the same message.
    let malformed = format!("/api/search?q={}", encode("foo AND ("));
    assert_eq!(engine.get(&malformed), local.get(&malformed));
}

#[test]
fn mcp_on_the_engine_searches_reads_and_gives_the_status() {
    let test = "mcp_on_the_engine_searches_reads_and_gives_the_status";
    let Some(remote) = Remote::new(test) else {
        return;
    };
    if !needs::available(Need::McpClient, test) {
        return;
    }
    let dir = Dir::new();
    create_mcp_notes(&dir);
    // Documents without the word, so that each of the index's two shards holds enough for its
    // word statistics to rank as the whole index does.
    let filler = "Background that says nothing about synchronisation at all, really.\n";
    for n in 0..20 {
        dir.create(&format!("docs/filler/{n:02}.txt"), filler);
    }
    remote.index(&dir, &["docs"]);
    // The real MCP client's whole scenario: search, paging, a malformed query searched as its
    // words, read, refusals, status.
    dir.assert_mcp_client_scenario(remote.url(), "mutex", "docs/notes/locks.md", 12, 23);
}

#[test]
fn watch_on_the_engine_sends_an_added_and_a_deleted_file() {
    let Some(remote) = Remote::new("watch_on_the_engine_sends_an_added_and_a_deleted_file") else {
        return;
    };
    let dir = Dir::new();
    // With no folder named, the engine's roots are watched: an index holding none is an error,
    // as locally, not a watch of nothing.
    dir.create("empty/.keep", "");
    remote.index(&dir, &["empty"]);
    let nothing = remote.lantern(&dir).arg("watch").assert_exit(1);
    assert!(nothing.stderr.contains("no folder to index"), "{nothing}");
    dir.create("docs/old.txt", "wombat");
    dir.create("docs/gone.txt", "quokka");
    let watcher = Watcher::start_command(remote.lantern(&dir), &["docs"]);
    assert_eq!(
        remote.documents().into_keys().collect::<Vec<_>>(),
        keys(&dir, &["docs/gone.txt", "docs/old.txt"]),
        "caught up"
    );
    dir.create("docs/new.txt", "koala");
    watcher.wait_for_line("1 added");
    dir.remove("docs/gone.txt");
    watcher.wait_for_line("1 removed");
    let documents = remote.documents();
    assert_eq!(
        documents.keys().cloned().collect::<Vec<_>>(),
        keys(&dir, &["docs/new.txt", "docs/old.txt"])
    );
    assert!(documents.values().all(|(_, copies)| *copies == 1));
    // What the watch sent is what `index` would have: a run after it has nothing to do.
    watcher.kill();
    let after = remote.index(&dir, &["docs"]);
    assert_eq!((after.indexed, after.removed, after.unchanged), (0, 0, 2));
    assert_eq!(
        remote.lantern(&dir).args(["search", "koala"]).run().code,
        Some(0)
    );
}

#[test]
fn sorted_hits_and_facets_are_the_same_on_both_engines() {
    let Some(remote) = Remote::new("sorted_hits_and_facets_are_the_same_on_both_engines") else {
        return;
    };
    let dir = Dir::new();
    // Sizes and times all different, so each order has no ties to break; two types, three
    // months (one of them a leap day's).
    for (name, text, date) in [
        ("b.txt", "kiwi ".repeat(3), "2021-05-01 10:00:00"),
        ("a.txt", "kiwi ".to_string(), "2024-02-29 23:59:59"),
        ("d/c.txt", "kiwi ".repeat(7), "2019-11-30 10:00:00"),
        ("e.txt", "kiwi ".repeat(5), "2024-02-01 00:00:00"),
        (
            "f.html",
            "<p>kiwi kiwi</p>".to_string(),
            "2024-03-01 00:00:00",
        ),
    ] {
        dir.create(&format!("docs/{name}"), text);
        let touched = std::process::Command::new("touch")
            .args(["-d", &format!("{date} UTC")])
            .arg(dir.path(&format!("docs/{name}")))
            .status()
            .expect("touch");
        assert!(touched.success());
    }
    dir.index(&["docs"]);
    remote.index(&dir, &["docs"]);
    for sort in ["modified", "-modified", "size", "-size", "path", "-path"] {
        let args = ["search", "--format", "json", "--sort", sort, "kiwi"];
        let order = |output: Output| {
            let json: Value = serde_json::from_str(&output.stdout).expect("JSON");
            json["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|hit| json!([hit["rank"], hit["path"], hit["score"]]))
                .collect::<Vec<_>>()
        };
        let local = order(dir.lantern().args(args).assert_success());
        assert_eq!(local.len(), 5, "{sort}");
        assert_eq!(
            order(remote.lantern(&dir).args(args).assert_success()),
            local,
            "{sort}"
        );
    }
    // Facets count every match by type and month, whatever the page shows.
    for query in ["kiwi", "kiwi -type:html", "nothing-matches-this"] {
        let args = [
            "search", "--format", "json", "--facets", "--limit", "1", query,
        ];
        let facets = |output: Output| {
            serde_json::from_str::<Value>(&output.stdout).expect("JSON")["facets"].clone()
        };
        let local = facets(dir.lantern().args(args).run());
        assert!(local.is_object(), "{query}: {local}");
        assert_eq!(
            facets(remote.lantern(&dir).args(args).run()),
            local,
            "{query}"
        );
    }
}
#[test]
fn copies_fold_and_folders_count_as_on_the_local_engine() {
    let Some(remote) = Remote::new("copies_fold_and_folders_count_as_on_the_local_engine") else {
        return;
    };
    let dir = Dir::new();
    // One text at three paths (the shortest is kept), a text with a title twice (an HTML page
    // and its copy), a file without text at two paths (never copies of each other), and files
    // in folders two levels deep, including one next to the root's own files.
    let copy = "the owl hunts at dusk";
    dir.create("docs/birds/owl.txt", copy);
    dir.create("docs/backup/2024/owl.txt", copy);
    dir.create("docs/birds/night/owl.txt", copy);
    let page = "<html><head><title>Owls</title></head><body><p>an owl page</p></body></html>";
    dir.create("docs/birds/page.html", page);
    dir.create("docs/mirror/page.html", page);
    dir.create("docs/empty/a.txt", "");
    dir.create("docs/empty/b.txt", "");
    dir.create("docs/owl-notes.txt", "owl owl owl, seen twice");
    dir.create("docs/birds/night/bats.txt", "not an owl but a bat");
    dir.create("docs/trees/oak.txt", "an owl nests in the old oak tree");
    dir.index(&["docs"]);
    remote.index(&dir, &["docs"]);
    let hits = |output: Output| {
        let json: Value = serde_json::from_str(&output.stdout).expect("search JSON");
        let hits: Vec<Value> = json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| json!([hit["rank"], hit["path"], hit["also_at"]]))
            .collect();
        json!({ "total": json["total"], "collapsed": json["collapsed"], "hits": hits })
    };
    // Every copy, when asked for (in some order among equal scores).
    let args = ["search", "--format", "json", "--no-collapse", "owl"];
    let paths = |output: Output| {
        let json: Value = serde_json::from_str(&output.stdout).expect("search JSON");
        let mut paths = dir.json_hit_paths(&json);
        paths.sort();
        (json["total"].clone(), json["collapsed"].clone(), paths)
    };
    let local = paths(dir.lantern().args(args).assert_success());
    assert_eq!(local.2.len(), 8, "{local:?}");
    assert_eq!(
        paths(remote.lantern(&dir).args(args).assert_success()),
        local
    );
    for args in [
        &["owl"][..],
        &["--limit", "2", "owl"],
        &["--sort", "path", "owl"],
    ] {
        let args = [&["search", "--format", "json"][..], args].concat();
        let local = hits(dir.lantern().args(&args).assert_success());
        assert_eq!(
            hits(remote.lantern(&dir).args(&args).assert_success()),
            local,
            "{args:?}"
        );
        if args == ["search", "--format", "json", "owl"] {
            // What the test is about: the copies were folded, the shortest path kept.
            let hit = local["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .find(|hit| hit[1] == json!(dir.display("docs/birds/owl.txt")))
                .expect("the owl hit")
                .clone();
            assert_eq!(
                hit[2],
                json!([
                    dir.display("docs/backup/2024/owl.txt"),
                    dir.display("docs/birds/night/owl.txt")
                ]),
                "{local}"
            );
        }
    }
    // Every document scores alike: the same groups, in some order.
    let args = ["search", "--format", "json", "*:*"];
    let groups = |output: Output| {
        let mut found = hits(output);
        let hits = found["hits"].as_array_mut().expect("hits");
        for hit in hits.iter_mut() {
            hit[0] = json!(null);
        }
        hits.sort_by_key(|hit| hit[1].as_str().unwrap_or_default().to_string());
        found
    };
    let local = groups(dir.lantern().args(args).assert_success());
    assert_eq!(local["collapsed"], 3, "{local}");
    assert_eq!(
        groups(remote.lantern(&dir).args(args).assert_success()),
        local
    );
    // The text output says the same.
    let args = ["search", "--no-pager", "owl"];
    let local = dir.lantern().args(args).assert_success();
    let engine = remote.lantern(&dir).args(args).assert_success();
    assert!(local.stdout.contains("also at: "), "{local}");
    assert_eq!(engine.stdout, local.stdout);
    // Folders one level below the root, with counts of every match (copies included).
    let facets = |output: Output| {
        serde_json::from_str::<Value>(&output.stdout).expect("JSON")["facets"]["folders"].clone()
    };
    for query in ["owl", "*:*", "bat", "nothing-matches-this"] {
        let args = ["search", "--format", "json", "--facets", query];
        let local = facets(dir.lantern().args(args).run());
        assert_eq!(
            facets(remote.lantern(&dir).args(args).run()),
            local,
            "{query}"
        );
    }
    // Drilled into with a path filter: the folders one level below it.
    for path in ["birds", "backup", "birds/night", "empty"] {
        let args = [
            "search", "--format", "json", "--facets", "--path", path, "*:*",
        ];
        let local = facets(dir.lantern().args(args).run());
        assert_eq!(
            facets(remote.lantern(&dir).args(args).run()),
            local,
            "{path}"
        );
    }
    let args = [
        "search", "--format", "json", "--facets", "--path", "birds", "owl",
    ];
    assert_eq!(
        facets(dir.lantern().args(args).run()),
        json!([{ "value": "birds/night", "count": 2 }])
    );
    // The web page's folder panel, and the folder a click on it drills into, from the engine as
    // locally.
    let local_server = ServerGuard::start(&dir, &[]);
    let engine_server = ServerGuard::start_command(remote.lantern(&dir), &[]);
    let folder_panel = |server: &ServerGuard, target: &str| {
        let (status, page) = server.get(target);
        assert_eq!(status, 200, "{page}");
        page.split("<section class=\"facet\" data-param=\"path\">")
            .nth(1)
            .and_then(|panel| panel.split("</section>").next())
            .map(str::to_string)
    };
    for target in ["/?q=owl", "/search?q=owl&path=birds"] {
        let local = folder_panel(&local_server, target);
        assert!(
            local.as_deref().is_some_and(
                |panel| panel.contains("birds/") || panel.contains("data-value=\"birds")
            ),
            "{target}: {local:?}"
        );
        assert_eq!(folder_panel(&engine_server, target), local, "{target}");
    }
    let local = facets(
        dir.lantern()
            .args(["search", "--format", "json", "--facets", "owl"])
            .run(),
    );
    assert_eq!(
        local,
        json!([
            { "value": "birds", "count": 4 },
            { "value": "backup", "count": 1 },
            { "value": "mirror", "count": 1 },
            { "value": "trees", "count": 1 },
        ])
    );
}

#[test]
fn misspelled_words_are_corrected_and_suggested_as_on_the_local_engine() {
    let Some(remote) =
        Remote::new("misspelled_words_are_corrected_and_suggested_as_on_the_local_engine")
    else {
        return;
    };
    let dir = Dir::new();
    // `lighthouse` in twelve documents and misspelled (a transposition) in one: the typo is in
    // the index, far rarer than its neighbour. `keeper` and `kepler` are each one edit from
    // `keepr`, `keeper` the more frequent; `lantern` is in a title only.
    for n in 0..12 {
        let keeper = if n < 3 { " keeper" } else { "" };
        dir.create(
            &format!("docs/light{n:02}.txt"),
            format!("the lighthouse{keeper} n{n}"),
        );
    }
    dir.create("docs/typo.txt", "a lighthuose by the sea");
    dir.create("docs/kepler.txt", "kepler watched the sky");
    dir.create(
        "docs/page.html",
        "<html><head><title>Lantern</title></head><body><p>a lamp by the door</p></body></html>",
    );
    dir.index(&["docs"]);
    remote.index(&dir, &["docs"]);
    let fields = |output: Output| {
        let json: Value = serde_json::from_str(&output.stdout).expect("search JSON");
        let mut paths = dir.json_hit_paths(&json);
        paths.sort();
        json!({
            "total": json["total"],
            "corrected_query": json["corrected_query"],
            "original_query": json["original_query"],
            "suggested_query": json["suggested_query"],
            "paths": paths,
        })
    };
    let expected = [
        // Missing words: corrected, every word of the query at once, two edits away for a long
        // one that nothing is one edit from, to the word nearest, if rare.
        ("lighthosue keepr", json!("lighthouse keeper"), json!(null)),
        ("lighthoxze", json!("lighthouse"), json!(null)),
        ("lihgthuose", json!("lighthuose"), json!(null)),
        // A word the index holds, far more rarely than its neighbour: only suggested.
        ("lighthuose", json!(null), json!("lighthouse")),
        // Known words, a word of a title, short words and words with digits: left alone.
        ("lighthouse", json!(null), json!(null)),
        ("lantern", json!(null), json!(null)),
        ("lihg", json!(null), json!(null)),
        ("keepr2", json!(null), json!(null)),
        // Quoted words ask for exactly what is written.
        ("\"keepr\"", json!(null), json!(null)),
    ];
    for (query, corrected, suggested) in expected {
        let args = ["search", "--format", "json", query];
        let local = fields(dir.lantern().args(args).run());
        assert_eq!(local["corrected_query"], corrected, "{query}: {local}");
        assert_eq!(local["suggested_query"], suggested, "{query}: {local}");
        assert_eq!(
            fields(remote.lantern(&dir).args(args).run()),
            local,
            "{query}"
        );
        // The text output says the same, on standard error (hits scoring alike may come in
        // another order).
        let args = ["search", "--no-pager", query];
        let local = dir.lantern().args(args).run();
        let engine = remote.lantern(&dir).args(args).run();
        assert_eq!(
            (engine.code, &engine.stderr),
            (local.code, &local.stderr),
            "{query}"
        );
    }
    // The HTTP API, the web page and MCP say it too, from the engine as locally.
    let local_server = ServerGuard::start(&dir, &[]);
    let engine_server = ServerGuard::start_command(remote.lantern(&dir), &[]);
    let api = |server: &ServerGuard, query: &str| {
        let (status, found) = server.get_json(&format!("/api/search?q={}", encode(query)));
        assert_eq!(status, 200, "{found}");
        json!([
            found["total"],
            found["corrected_query"],
            found["original_query"],
            found["suggested_query"]
        ])
    };
    for query in ["lighthosue keepr", "lighthuose"] {
        assert_eq!(
            api(&engine_server, query),
            api(&local_server, query),
            "{query}"
        );
    }
    let (status, page) = engine_server.get("/?q=lighthosue+keepr");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("lighthouse keeper"), "{page}");
    assert!(page.contains("lighthosue keepr"), "{page}");
    let (_, local_page) = local_server.get("/?q=lighthosue+keepr");
    let correction = |page: &str| {
        page.split("lighthouse keeper")
            .nth(1)
            .and_then(|after| after.split("</p>").next())
            .map(str::to_string)
    };
    assert!(
        correction(&page).is_some_and(|after| after.contains("original-query")),
        "{page}"
    );
    assert_eq!(correction(&page), correction(&local_page), "{page}");
    let mut local_mcp = McpSession::start(&dir);
    let mut engine_mcp = McpSession::start_command(remote.lantern(&dir));
    for query in ["lighthosue keepr", "lighthuose"] {
        let arguments = json!({ "query": query });
        let (error, local) = local_mcp.call("search", arguments.clone());
        assert!(!error, "{local}");
        let (error, engine) = engine_mcp.call("search", arguments);
        assert!(!error, "{engine}");
        for field in ["total", "corrected_query", "suggested_query", "note"] {
            assert_eq!(engine[field], local[field], "{query}: {field}");
        }
    }
}

#[test]
fn a_text_with_a_hundred_copies_lists_them_all() {
    let Some(remote) = Remote::new("a_text_with_a_hundred_copies_lists_them_all") else {
        return;
    };
    let dir = Dir::new();
    // More copies than the engine's inner hits would list (100): all come with the hit.
    for n in 0..105 {
        dir.create(&format!("docs/c{n:03}/p.txt"), "the same penguin text");
    }
    dir.create("docs/solo.txt", "a penguin alone");
    dir.index(&["docs"]);
    remote.index(&dir, &["docs"]);
    let args = ["search", "--format", "json", "penguin"];
    let hits = |output: Output| {
        let json: Value = serde_json::from_str(&output.stdout).expect("search JSON");
        let hits: Vec<Value> = json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| json!([hit["path"], hit["also_at"]]))
            .collect();
        json!([json["total"], json["collapsed"], hits])
    };
    let local = hits(dir.lantern().args(args).assert_success());
    assert_eq!(local[1], 104, "{local}");
    assert_eq!(
        hits(remote.lantern(&dir).args(args).assert_success()),
        local
    );
}

/// A 2-node cluster of a test's own (tools/opensearch-cluster/start), for a test that stops a
/// node: the shared cluster stays healthy for the others. Stopped when dropped.
struct OwnCluster {
    /// The cluster's folder (nodes, logs, control requests, pid).
    dir: Dir,
    /// Its URL.
    url: String,
}

impl OwnCluster {
    /// Starts one on free loopback ports (HTTP on PORT and PORT+1, transport on PORT+100 and
    /// PORT+101) and returns once it is green with both nodes.
    fn start() -> OwnCluster {
        let dir = Dir::new();
        let port = (20000..30000)
            .step_by(7)
            .skip(std::process::id() as usize % 1000)
            .find(|&port| {
                [port, port + 1, port + 100, port + 101]
                    .iter()
                    .all(|&port| TcpListener::bind(("127.0.0.1", port)).is_ok())
            })
            .expect("four free ports");
        let output = std::process::Command::new(launcher("start"))
            .arg(dir.root())
            .arg(port.to_string())
            .output()
            .expect("run tools/opensearch-cluster/start");
        let url = String::from_utf8_lossy(&output.stdout).trim().to_string();
        let cluster = OwnCluster { dir, url };
        assert!(
            output.status.success(),
            "the test's own cluster did not start:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        cluster
    }

    /// Stops (`stop`) or starts again (`start`) node `node` with tools/opensearch-cluster/node.
    fn node(&self, action: &str, node: u32) {
        let output = std::process::Command::new(launcher("node"))
            .arg(self.dir.root())
            .args([action, &node.to_string()])
            .output()
            .expect("run tools/opensearch-cluster/node");
        assert!(
            output.status.success(),
            "could not {action} node {node}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Waits until the cluster has `nodes` nodes and `index` is `status` (or better).
    fn wait_for(&self, index: &str, status: &str, nodes: u32) {
        let url = format!(
            "{}/_cluster/health/{index}?wait_for_status={status}&wait_for_nodes={nodes}&timeout=120s",
            self.url
        );
        let answer: Value = serde_json::from_str(
            &ureq::get(&url)
                .call()
                .expect("cluster health")
                .into_string()
                .expect("a body"),
        )
        .expect("JSON");
        assert_eq!(answer["timed_out"], false, "{answer}");
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        // The JVM closes its nodes on SIGTERM; wait for it, so its folder can go.
        let Ok(pid) = std::fs::read_to_string(self.dir.path("pid")) else {
            return;
        };
        let pid = pid.trim().to_string();
        let _ = std::process::Command::new("kill").arg(&pid).status();
        for _ in 0..300 {
            let alive = std::process::Command::new("kill")
                .args(["-0", &pid])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if !alive {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A script of tools/opensearch-cluster.
fn launcher(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tools/opensearch-cluster")
        .join(name)
}

/// What one search answered while a node was being lost.
struct Answer {
    /// Whether it started after the node had stopped.
    after_stop: bool,
    output: util::Output,
}

#[test]
fn a_lost_node_neither_stops_searches_nor_a_sync() {
    // The shared cluster's presence says Java, Maven and the launcher are there; this test
    // starts a cluster of its own, since it stops one of its nodes.
    if !needs::available(
        Need::OpenSearch,
        "a_lost_node_neither_stops_searches_nor_a_sync",
    ) {
        return;
    }
    let cluster = OwnCluster::start();
    let remote = Remote {
        cluster: cluster.url.clone(),
        index: "lantern-failover".to_string(),
    };
    let dir = Dir::new();
    let mut names = Vec::new();
    for i in 0..400 {
        let name = format!("docs/{:02}/file-{i}.txt", i % 20);
        dir.create(&name, format!("word{i} shared text for file {i}"));
        names.push(name);
    }
    remote.index(&dir, &["docs"]);
    // Both copies of both shards placed: each node holds one of each shard's two copies.
    cluster.wait_for(&remote.index, "green", 2);

    // Searches keep running while node 1 stops.
    let stopped = std::sync::atomic::AtomicBool::new(false);
    let answers = std::thread::scope(|scope| {
        let searches = scope.spawn(|| {
            let mut answers = Vec::new();
            let mut after = 0;
            while after < 5 {
                let after_stop = stopped.load(std::sync::atomic::Ordering::SeqCst);
                let output = remote
                    .lantern(&dir)
                    .args(["search", "--format", "json", "--limit", "5", "shared"])
                    .run();
                after += u32::from(after_stop);
                answers.push(Answer { after_stop, output });
            }
            answers
        });
        std::thread::sleep(Duration::from_millis(300));
        cluster.node("stop", 1);
        // Once the cluster has seen the node leave, every search must answer whole.
        cluster.wait_for(&remote.index, "yellow", 1);
        stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        searches.join().expect("the search loop")
    });
    for answer in &answers {
        let output = &answer.output;
        match output.code {
            // Never a wrong total: every document has a copy on the node left.
            Some(0) => {
                let found: Value = serde_json::from_str(&output.stdout).expect("JSON");
                assert_eq!(found["total"], 400, "{output}");
            }
            // While the node goes, until the cluster has seen it leave, a search may meet
            // shards it could not ask: said, not hidden.
            Some(1) if !answer.after_stop => {
                assert!(
                    output.stderr.contains("the cluster is degraded"),
                    "{output}"
                );
            }
            _ => panic!("a search failed while a node was lost:\n{output}"),
        }
    }
    // The status names the cluster as degraded, with all its documents.
    let status = remote.lantern(&dir).arg("status").assert_success().stdout;
    assert!(status.contains("health:    yellow (degraded"), "{status}");
    assert!(status.contains("1 node(s)"), "{status}");
    assert!(status.contains("documents: 400"), "{status}");

    // Node 1 back, then lost again in the middle of a sync of many changes.
    cluster.node("start", 1);
    cluster.wait_for(&remote.index, "green", 2);
    for name in names.iter().take(100) {
        dir.remove(name);
    }
    for i in 400..2400 {
        let name = format!("docs/{:02}/file-{i}.txt", i % 20);
        dir.create(&name, format!("word{i} shared text for file {i}"));
        names.push(name);
    }
    let sync = remote
        .lantern(&dir)
        .args(["index", "docs", "--threads", "1"])
        .spawn_piped();
    let started = Instant::now();
    while remote.count() <= 400 && started.elapsed() < Duration::from_secs(60) {
        remote.post(&format!("/{}/_refresh", remote.index), &json!({}));
        std::thread::sleep(Duration::from_millis(20));
    }
    cluster.node("stop", 1);
    // The sync carries on with the copies left and ends well.
    let output = sync.wait_with_output().expect("wait for the sync");
    assert!(
        output.status.success(),
        "the sync failed when a node was lost: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let on_disk: Vec<&str> = names.iter().skip(100).map(String::as_str).collect();
    let documents = remote.documents();
    assert_eq!(
        documents.keys().cloned().collect::<Vec<_>>(),
        keys(&dir, &on_disk)
    );
    assert!(documents.values().all(|(_, copies)| *copies == 1));
    // And a rerun has nothing left to do.
    let again = remote.index(&dir, &["docs"]);
    assert_eq!(
        (again.indexed, again.removed, again.unchanged),
        (0, 0, 2300)
    );
}
