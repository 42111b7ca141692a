//! Crash safety: an indexing run killed with SIGKILL leaves an index that opens at its last commit,
//! and the next run completes it.

mod util;

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Dir, IndexSummary};

const FILES: usize = 1500;

/// `FILES` files of about 1.7 KB of pseudo-random words, each with the word "common".
fn generate_corpus(dir: &Dir) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for file in 0..FILES {
        let mut text = String::from("common");
        for _ in 0..250 {
            // xorshift: cheap, deterministic, no dependency.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(&format!(" w{}", state % 5000));
        }
        dir.create(&format!("docs/f{file:04}.txt"), text);
    }
}

/// True once the index has a commit with at least one segment.
fn has_committed_segments(dir: &Dir) -> bool {
    fs::read_to_string(dir.index_dir().join("meta.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|meta| meta["segments"].as_array().map(|s| !s.is_empty()))
        .unwrap_or(false)
}

#[test]
fn an_indexing_run_killed_midway_leaves_a_searchable_index() {
    let dir = Dir::new();
    generate_corpus(&dir);

    // Commit every 64 KiB: many commits, so the run is slow and killed between or during them.
    let mut child = dir
        .lantern()
        .args(["index", "--commit-every", "64K", "docs"])
        .spawn();
    let started = Instant::now();
    while !has_committed_segments(&dir) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no commit within 30 s"
        );
        assert!(
            child.try_wait().expect("poll the indexer").is_none(),
            "the indexer ended before its first commit was seen"
        );
        thread::sleep(Duration::from_millis(10));
    }
    thread::sleep(Duration::from_millis(150));
    assert!(
        child.try_wait().expect("poll the indexer").is_none(),
        "the indexer finished before it could be killed: make the corpus bigger"
    );
    child.kill().expect("SIGKILL the indexer");
    child.wait().expect("reap the indexer");

    // The index opens at its last commit: some of the files, each once.
    let partial = dir.search_json(&["--limit", "1", "common"]);
    assert!(
        partial.total > 0 && partial.total < FILES as u64,
        "{} of {FILES} files after the crash",
        partial.total
    );
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(status.contains("interrupted"), "{status}");

    // The next run keeps what was committed and indexes the rest.
    let summary = dir.index(&["docs"]);
    assert_eq!(
        summary,
        IndexSummary {
            indexed: FILES as u64 - partial.total,
            added: FILES as u64 - partial.total,
            unchanged: partial.total,
            ..IndexSummary::default()
        }
    );
    assert_eq!(
        dir.search_json(&["--limit", "1", "common"]).total,
        FILES as u64
    );
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(status.contains(&format!("documents: {FILES}")), "{status}");
    assert!(!status.contains("interrupted"), "{status}");
}
