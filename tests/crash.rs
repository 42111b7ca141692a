//! Crash safety: an indexing run that dies leaves an index that opens at its last commit, and the
//! next run completes it.
//!
//! The crash comes at a known point, not after some wall-clock time: the test hook
//! `LANTERN_TEST_ABORT_AFTER_COMMITS=N` makes `lantern` abort right after its N-th commit, as
//! `kill -9` would stop it there.

mod util;

use std::collections::BTreeSet;
use std::fs;
use std::time::{Duration, Instant};

use util::{Dir, IndexSummary, HANG_LIMIT};

/// The environment variable of the test hook.
const ABORT_AFTER_COMMITS: &str = "LANTERN_TEST_ABORT_AFTER_COMMITS";

/// Files in the corpus.
const FILES: usize = 60;

/// `--commit-every` for the corpus: a few files' worth, so a run commits many times.
const COMMIT_EVERY: &str = "4K";

/// The word of file number `file`, found in that file only.
fn word(file: usize) -> String {
    format!("only{file:03}")
}

/// `FILES` files of about 1 KB under `folder`, each with the word "common" and its own [`word`].
fn generate_corpus(dir: &Dir, folder: &str) {
    for file in 0..FILES {
        let filler = format!(" filler{}", file % 7).repeat(120);
        dir.create(
            &format!("{folder}/f{file:03}.txt"),
            format!("common {}{filler}", word(file)),
        );
    }
}

/// Every path that matches `query`, asserting each is there once and the total counts them all.
fn all_hits(dir: &Dir, query: &str) -> BTreeSet<String> {
    let results = dir.search_json(&["--limit", "100000", "--fragments", "0", query]);
    let paths: BTreeSet<String> = results.paths().into_iter().collect();
    assert_eq!(paths.len(), results.hits.len(), "a duplicate hit: {query}");
    assert_eq!(results.total, paths.len() as u64, "the total: {query}");
    paths
}

/// `lantern index ARGS...` with the test hook set to abort after `commits` commits, which must
/// end it by a signal, not an exit.
fn index_until_abort(dir: &Dir, commits: usize, args: &[&str]) {
    let output = dir
        .lantern()
        .env(ABORT_AFTER_COMMITS, commits.to_string())
        .arg("index")
        .args(args)
        .run();
    assert_eq!(output.code, None, "the run was aborted\n{output}");
    assert_eq!(output.signal, Some(libc::SIGABRT), "{output}");
    assert!(
        !output.stdout.contains("indexed"),
        "no summary: the run did not finish\n{output}"
    );
}

/// Asserts the index holds each file of `folder` at most once, and every hit is whole: found by
/// its own word with the rest of its text. Returns the paths held.
fn assert_consistent(dir: &Dir, folder: &str) -> BTreeSet<String> {
    let held = all_hits(dir, "common");
    for file in 0..FILES {
        let path = format!("{folder}/f{file:03}.txt");
        let by_word = all_hits(dir, &word(file));
        if held.contains(&path) {
            assert_eq!(by_word, BTreeSet::from([path]), "{}", word(file));
        } else {
            assert!(by_word.is_empty(), "{path} is half there");
        }
    }
    held
}

#[test]
fn a_run_that_dies_after_a_commit_keeps_what_was_committed_and_the_next_run_finishes() {
    let dir = Dir::new();
    generate_corpus(&dir, "docs");
    index_until_abort(
        &dir,
        2,
        &["--commit-every", COMMIT_EVERY, "--threads", "1", "docs"],
    );

    // The index opens at its second commit: some of the files, each once and whole.
    let committed = assert_consistent(&dir, "docs");
    assert!(
        !committed.is_empty() && committed.len() < FILES,
        "{} of {FILES} files after the crash",
        committed.len()
    );
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(
        status.contains(&format!("documents: {}", committed.len())),
        "{status}"
    );
    let root_line = status
        .lines()
        .find(|line| line.contains(&format!("{}  ", dir.display("docs"))))
        .unwrap_or_else(|| panic!("no line for the root:\n{status}"));
    assert!(root_line.contains("interrupted"), "{status}");

    // The next run keeps what was committed and indexes the rest.
    let summary = dir.index(&["docs"]);
    let kept = committed.len() as u64;
    assert_eq!(
        summary,
        IndexSummary {
            indexed: FILES as u64 - kept,
            added: FILES as u64 - kept,
            unchanged: kept,
            ..IndexSummary::default()
        }
    );
    assert_eq!(assert_consistent(&dir, "docs").len(), FILES);
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(status.contains(&format!("documents: {FILES}")), "{status}");
    assert!(!status.contains("interrupted"), "{status}");
}

#[test]
fn a_run_that_dies_between_commits_leaves_other_roots_complete() {
    let dir = Dir::new();
    generate_corpus(&dir, "docs");
    dir.create("other/a.txt", "common elsewhere");
    dir.index(&["docs", "other"]);
    dir.create("docs/later.txt", "common latecomer");

    // Die after the first of the many commits of a run that starts `docs` over.
    index_until_abort(
        &dir,
        1,
        &[
            "--commit-every",
            COMMIT_EVERY,
            "--threads",
            "1",
            "--rebuild",
            "docs",
        ],
    );
    let status = dir.lantern().arg("status").assert_success().stdout;
    let line_of = |root: &str| {
        status
            .lines()
            .find(|line| line.contains(&format!("{}  ", dir.display(root))))
            .unwrap_or_else(|| panic!("no line for {root}:\n{status}"))
            .to_string()
    };
    assert!(line_of("docs").contains("interrupted"), "{status}");
    assert!(!line_of("other").contains("interrupted"), "{status}");
    assert_eq!(
        all_hits(&dir, "elsewhere"),
        BTreeSet::from(["other/a.txt".to_string()])
    );

    // The next run finishes `docs`: every file, once.
    let summary = dir.index(&["docs"]);
    assert_eq!(summary.removed, 0, "{summary:?}");
    let every: BTreeSet<String> = fs::read_dir(dir.path("docs"))
        .expect("list docs")
        .map(|entry| {
            format!(
                "docs/{}",
                entry.expect("an entry").file_name().to_string_lossy()
            )
        })
        .chain(["other/a.txt".to_string()])
        .collect();
    assert_eq!(every.len(), FILES + 2);
    assert_eq!(all_hits(&dir, "common"), every);
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(!status.contains("interrupted"), "{status}");
}

#[test]
fn a_run_that_dies_right_after_its_last_commit_loses_nothing() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "common");
    // The hook set beyond the run's commits (one remembering the new root, one at the end)
    // does nothing.
    let output = dir
        .lantern()
        .env(ABORT_AFTER_COMMITS, "3")
        .args(["index", "docs"])
        .assert_success();
    assert_eq!(IndexSummary::parse(&output.stdout).added, 1);

    // With the default --commit-every, a small run commits once, at its end, with its roots
    // marked complete: dying before the summary loses nothing.
    dir.create("docs/new.txt", "common newcomer");
    dir.create("docs/a.txt", "common rewritten");
    index_until_abort(&dir, 1, &["docs"]);
    assert_eq!(
        all_hits(&dir, "common"),
        BTreeSet::from(["docs/a.txt".to_string(), "docs/new.txt".to_string()])
    );
    assert_eq!(
        all_hits(&dir, "rewritten"),
        BTreeSet::from(["docs/a.txt".to_string()])
    );
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(!status.contains("interrupted"), "{status}");
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.indexed, summary.unchanged), (0, 2), "{summary:?}");
}

#[test]
fn a_run_killed_at_any_moment_leaves_an_index_the_next_run_completes() {
    let dir = Dir::new();
    generate_corpus(&dir, "docs");
    let mut indexer = dir
        .lantern()
        .args(["index", "--commit-every", COMMIT_EVERY, "docs"])
        .spawn();
    // Kill it once the index exists, whenever that is: during the walk, between commits, in one,
    // or after the run ended. What follows holds in every case.
    let started = Instant::now();
    while !dir.index_dir().join("meta.json").is_file()
        && indexer.try_wait().expect("poll the indexer").is_none()
    {
        assert!(started.elapsed() < HANG_LIMIT, "no index was created");
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = indexer.kill();
    indexer.wait().expect("reap the indexer");

    assert_consistent(&dir, "docs");
    let status = dir.lantern().arg("status").run();
    assert_eq!(status.code, Some(0), "{status}");

    let summary = dir.index(&["docs"]);
    assert_eq!(
        summary.added + summary.unchanged,
        FILES as u64,
        "{summary:?}"
    );
    assert_eq!(assert_consistent(&dir, "docs").len(), FILES);
}

#[test]
fn a_run_killed_before_its_first_commit_remembers_its_root() {
    use notify::event::{AccessKind, EventKind};
    use notify::{RecursiveMode, Watcher};

    let dir = Dir::new();
    // Enough files that reading them all takes far longer than a kill takes to land.
    for file in 0..2000 {
        dir.create(
            &format!("docs/f{file:04}.txt"),
            format!("common {}", word(file)),
        );
    }
    let (opened, files_opened) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let opens_a_file = matches!(event.kind, EventKind::Access(AccessKind::Open(_)))
                && event.paths.iter().any(|path| path.is_file());
            if opens_a_file {
                let _ = opened.send(());
            }
        }
    })
    .expect("a file watcher");
    watcher
        .watch(&dir.path("docs"), RecursiveMode::Recursive)
        .expect("watch docs");
    let mut indexer = dir
        .lantern()
        .args(["index", "--threads", "1", "docs"])
        .spawn();
    // Kill it as soon as it reads its first file: long before its first commit of documents.
    files_opened
        .recv_timeout(HANG_LIMIT)
        .expect("the indexer reads a file");
    let _ = indexer.kill();
    let status = indexer.wait().expect("reap the indexer");
    assert_eq!(status.code(), None, "killed, not finished");
    drop(watcher);

    let status = dir.lantern().arg("status").assert_success().stdout;
    let root_line = status
        .lines()
        .find(|line| line.contains(&format!("{}  ", dir.display("docs"))))
        .unwrap_or_else(|| panic!("the root is remembered:\n{status}"));
    assert!(root_line.contains("interrupted"), "{status}");

    // `lantern index` with no folder finishes it.
    let summary = dir.index(&[]);
    assert_eq!(summary.added + summary.unchanged, 2000, "{summary:?}");
    assert_eq!(all_hits(&dir, "common").len(), 2000);
    let status = dir.lantern().arg("status").assert_success().stdout;
    assert!(!status.contains("interrupted"), "{status}");
}
