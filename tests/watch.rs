//! `lantern watch`: changes to files reach the index while it runs, and it shares the index
//! politely with the other commands.

mod util;

use std::time::{Duration, Instant};

use util::{sorted, Dir, Watcher};

/// How long a change may take to become searchable before a test fails.
const DEADLINE: Duration = Duration::from_secs(20);

/// Polls `condition` until it holds, failing the test after [`DEADLINE`].
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < DEADLINE,
            "timed out waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The sorted paths of every document `query` matches, copies of one text included.
fn hits(dir: &Dir, query: &str) -> Vec<String> {
    sorted(
        dir.search_json(&["-n", "10000", "--no-collapse", query])
            .paths(),
    )
}

/// The document count `lantern status` shows.
fn documents(dir: &Dir) -> u64 {
    let status = dir.lantern().arg("status").assert_success();
    status
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("documents:"))
        .and_then(|counts| counts.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no document count in {status}"))
}

#[test]
fn files_created_modified_deleted_and_renamed_reach_the_index() {
    let dir = Dir::new();
    dir.create("docs/old.txt", "wombat");
    let _watcher = Watcher::start(&dir, &["docs"]);
    assert_eq!(hits(&dir, "wombat"), ["docs/old.txt"], "caught up");

    dir.create("docs/new.txt", "koala");
    wait_until("a created file is found", || {
        hits(&dir, "koala") == ["docs/new.txt"]
    });

    dir.create("docs/new.txt", "platypus");
    wait_until("a modified file's new word is found", || {
        hits(&dir, "platypus") == ["docs/new.txt"]
    });
    assert!(hits(&dir, "koala").is_empty(), "the old word is gone");

    std::fs::rename(dir.path("docs/new.txt"), dir.path("docs/renamed.txt")).expect("rename");
    wait_until("a renamed file is found under its new path only", || {
        hits(&dir, "platypus") == ["docs/renamed.txt"]
    });

    dir.remove("docs/old.txt");
    wait_until("a deleted file disappears", || {
        hits(&dir, "wombat").is_empty()
    });
}

#[test]
fn an_editors_atomic_save_is_seen() {
    let dir = Dir::new();
    dir.create("docs/note.md", "draft echidna");
    let _watcher = Watcher::start(&dir, &["docs"]);
    // Write a temporary file beside it, then rename it over the original.
    dir.create("docs/.note.md.swp", "final dingo");
    std::fs::rename(dir.path("docs/.note.md.swp"), dir.path("docs/note.md")).expect("rename");
    wait_until("the saved text is found", || {
        hits(&dir, "dingo") == ["docs/note.md"]
    });
    assert!(hits(&dir, "echidna").is_empty());
}

#[test]
fn folders_renamed_and_trees_deleted_move_and_drop_their_documents() {
    let dir = Dir::new();
    for file in ["a.txt", "b.txt", "deep/c.txt"] {
        dir.create(&format!("docs/sub/{file}"), "quokka");
        dir.create(&format!("docs/tree/{file}"), "numbat");
    }
    let _watcher = Watcher::start(&dir, &["docs"]);
    assert_eq!(hits(&dir, "quokka").len(), 3);

    std::fs::rename(dir.path("docs/sub"), dir.path("docs/moved")).expect("rename a folder");
    wait_until("hits move with the folder", || {
        hits(&dir, "quokka")
            == [
                "docs/moved/a.txt",
                "docs/moved/b.txt",
                "docs/moved/deep/c.txt",
            ]
    });

    // A folder moved in from outside the root is indexed, one moved out is dropped.
    dir.create("outside/in.txt", "bilby");
    std::fs::rename(dir.path("outside"), dir.path("docs/inside")).expect("move in");
    std::fs::rename(dir.path("docs/moved"), dir.path("gone")).expect("move out");
    wait_until(
        "a folder moved in is indexed, one moved out dropped",
        || hits(&dir, "bilby") == ["docs/inside/in.txt"] && hits(&dir, "quokka").is_empty(),
    );

    std::fs::remove_dir_all(dir.path("docs/tree")).expect("delete a tree");
    wait_until("a deleted tree's documents disappear", || {
        hits(&dir, "numbat").is_empty()
    });
}

#[test]
fn editing_gitignore_removes_and_restores_files() {
    let dir = Dir::new();
    dir.create("docs/keep.txt", "wallaby");
    dir.create("docs/drafts/idea.txt", "wallaby");
    // A .gitignore counts inside a git repository only.
    dir.create("docs/.git/HEAD", "ref: refs/heads/main\n");
    dir.create("docs/.gitignore", "build/\n");
    dir.create("docs/build/out.txt", "wallaby");
    let _watcher = Watcher::start(&dir, &["docs"]);
    assert_eq!(
        hits(&dir, "wallaby"),
        ["docs/drafts/idea.txt", "docs/keep.txt"]
    );

    dir.create("docs/.gitignore", "build/\ndrafts/\n");
    wait_until("newly ignored files are removed", || {
        hits(&dir, "wallaby") == ["docs/keep.txt"]
    });

    // Files written in ignored folders never appear; a later change proves a pass ran.
    dir.create("docs/build/more.txt", "wallaby");
    dir.create("docs/drafts/other.txt", "wallaby");
    dir.create("docs/marker.txt", "marker");
    wait_until("the marker is indexed", || {
        hits(&dir, "marker") == ["docs/marker.txt"]
    });
    assert_eq!(hits(&dir, "wallaby"), ["docs/keep.txt"]);

    dir.create("docs/.gitignore", "");
    wait_until("un-ignored files are added", || {
        hits(&dir, "wallaby").len() == 5
    });
}

#[test]
fn a_burst_of_two_thousand_files_ends_consistent() {
    let dir = Dir::new();
    dir.create("docs/first.txt", "seed");
    let _watcher = Watcher::start(&dir, &["docs"]);
    for n in 0..2000 {
        dir.create(
            &format!("docs/burst/{}/f{n}.txt", n % 20),
            format!("file {n} kangaroo"),
        );
    }
    wait_until("every file of the burst is indexed", || {
        documents(&dir) == 2001
    });
    assert_eq!(dir.search_json(&["kangaroo"]).total, 2000);
}

#[test]
fn index_refuses_to_run_and_status_shows_the_watcher() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "possum");
    let watcher = Watcher::start(&dir, &["docs"]);
    let output = dir.lantern().args(["index", "docs"]).assert_exit(1);
    let pid = watcher.pid().to_string();
    assert!(output.stderr.contains("a watcher (pid"), "{output}");
    assert!(output.stderr.contains(&pid), "{output}");
    assert!(output.stderr.contains("stop it first"), "{output}");
    let status = dir.lantern().arg("status").assert_success();
    assert!(
        status
            .stdout
            .contains(&format!("watcher:   running (pid {pid}) since")),
        "{status}"
    );
    // Searching goes on as usual.
    assert_eq!(hits(&dir, "possum"), ["docs/a.txt"]);

    // Once it is gone, its file no longer counts.
    watcher.kill();
    let status = dir.lantern().arg("status").assert_success();
    assert!(!status.stdout.contains("watcher:"), "{status}");
    dir.index(&["docs"]);
}

#[test]
fn a_watcher_killed_mid_burst_catches_up_when_restarted() {
    let dir = Dir::new();
    dir.create("docs/first.txt", "seed");
    let watcher = Watcher::start(&dir, &["docs"]);
    for n in 0..500 {
        dir.create(&format!("docs/burst/f{n}.txt"), format!("file {n} wombat"));
    }
    watcher.kill();
    for n in 500..600 {
        dir.create(&format!("docs/burst/f{n}.txt"), format!("file {n} wombat"));
    }
    // No folder named: every root of the index, with its rules.
    let _watcher = Watcher::start(&dir, &[]);
    assert_eq!(documents(&dir), 601, "the catch-up found every file");
    assert_eq!(dir.search_json(&["wombat"]).total, 600);
}

#[test]
fn sigterm_stops_the_watcher_cleanly() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "dunnart");
    let mut watcher = Watcher::start(&dir, &["docs"]);
    let pid = i32::try_from(watcher.pid()).expect("a pid");
    // SAFETY: sending a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = watcher.wait();
    assert_eq!(status.code(), Some(0));
    assert!(!dir.index_dir().join("watcher.json").exists());
    dir.index(&["docs"]);
}

#[test]
fn polling_finds_changes_without_notifications() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "cassowary");
    let _watcher = Watcher::start(&dir, &["docs", "--poll", "--poll-interval", "200ms"]);
    dir.create("docs/b.txt", "cassowary");
    wait_until("a poll finds the new file", || {
        hits(&dir, "cassowary").len() == 2
    });
}

#[test]
fn an_index_inside_the_watched_folder_does_not_wake_the_watcher() {
    let dir = Dir::new();
    dir.create("a.txt", "bandicoot");
    // The index lives in `index/` under the folder watched: its own commits are not changes.
    let watcher = Watcher::start(&dir, &["."]);
    dir.create("b.txt", "bandicoot");
    let first = watcher.wait_for_line("applied");
    assert!(first.contains(": 1 added"), "{first}");
    assert_eq!(hits(&dir, "bandicoot"), ["a.txt", "b.txt"]);
    // Had the commit woken it, its files would be changes: the next pass would count them with
    // those of the next file, written the same way (they would land in the same burst), or come
    // first and add nothing.
    let changes = |line: &str| {
        let after = line.split_once("applied ").expect("a pass line").1;
        after.split_once(' ').expect("a count").0.to_string()
    };
    dir.create("c.txt", "bandicoot");
    let next = watcher.wait_for_line("applied");
    assert!(
        next.contains(": 1 added") && changes(&next) == changes(&first),
        "the index's own commit was seen as a change: {first}\n{next}"
    );
}

/// The niceness of every thread of process `pid` (Linux: niceness is kept per thread).
#[cfg(target_os = "linux")]
fn thread_niceness(pid: &str) -> Vec<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("the process's threads");
    tasks
        .map(|task| {
            let stat = std::fs::read_to_string(task.expect("a thread").path().join("stat"))
                .expect("a thread's stat");
            // After "pid (name) ": the state is field 3, the niceness field 19.
            let fields = stat.rsplit_once(") ").expect("a stat line").1;
            let niceness = fields.split(' ').nth(16).expect("the niceness field");
            niceness.parse().expect("a number")
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn the_watcher_indexes_at_a_lower_cpu_priority_unless_told_otherwise() {
    let own = thread_niceness("self")[0];
    let dir = Dir::new();
    dir.create("docs/a.txt", "quokka");
    for (args, niceness) in [(vec!["docs"], 10), (vec!["--nice", "19", "docs"], 19)] {
        let watcher = Watcher::start(&dir, &args);
        // The watcher has started every thread it needs to notice a change.
        dir.create("docs/b.txt", "quokka numbat");
        wait_until("the new file is searchable", || {
            hits(&dir, "numbat") == ["docs/b.txt"]
        });
        let threads = thread_niceness(&watcher.pid().to_string());
        assert!(threads.len() > 1, "{threads:?}");
        assert!(
            threads.iter().all(|&n| n == niceness.max(own)),
            "niceness of the watcher's threads with {args:?}: {threads:?}"
        );
        watcher.kill();
        dir.remove("docs/b.txt");
    }
}

#[test]
fn a_root_deleted_and_created_again_is_followed() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "dunnart");
    let watcher = Watcher::start(&dir, &["docs"]);
    // Whether `lantern status` counts changes pending.
    let pending = |dir: &Dir| {
        let status = dir.lantern().arg("status").assert_success().stdout;
        status
            .split_whitespace()
            .zip(status.split_whitespace().skip(1))
            .any(|(count, what)| what.starts_with("change(s)") && count != "0")
    };

    // Deleted: the watcher says so, and nothing stays pending.
    std::fs::remove_dir_all(dir.path("docs")).expect("delete the root");
    let said = watcher.wait_for_line("deleted");
    assert!(said.contains(&dir.display("docs")), "{said}");
    wait_until("no change is pending for a root that is gone", || {
        !pending(&dir)
    });

    // Created again: new files are applied.
    dir.create("docs/b.txt", "kowari");
    wait_until("a file in the root created again is found", || {
        hits(&dir, "kowari") == ["docs/b.txt"]
    });

    // Deleted and created again at once: the watch follows the new folder too.
    std::fs::remove_dir_all(dir.path("docs")).expect("delete the root");
    dir.create("docs/c.txt", "mulgara");
    wait_until("a file in the root replaced at once is found", || {
        hits(&dir, "mulgara") == ["docs/c.txt"]
    });
    dir.create("docs/d.txt", "ningaui");
    wait_until("a later file in the replaced root is found", || {
        hits(&dir, "ningaui") == ["docs/d.txt"]
    });
    wait_until("nothing is pending", || !pending(&dir));
}

/// A zip archive of `members` (name, text).
fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in members {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start a member");
        writer.write_all(text.as_bytes()).expect("write a member");
    }
    writer.finish().expect("finish the zip").into_inner()
}

#[test]
fn an_archive_changed_or_deleted_under_the_watcher_has_its_members_replaced() {
    let dir = Dir::new();
    dir.create("docs/box.zip", zip_of(&[("a.txt", "wombat")]));
    let _watcher = Watcher::start(&dir, &["docs"]);
    assert_eq!(hits(&dir, "wombat"), ["docs/box.zip::a.txt"], "caught up");

    dir.create(
        "docs/box.zip",
        zip_of(&[("a.txt", "koala"), ("b/c.txt", "koala too")]),
    );
    wait_until("a changed archive's members are replaced", || {
        hits(&dir, "koala") == ["docs/box.zip::a.txt", "docs/box.zip::b/c.txt"]
    });
    assert!(
        hits(&dir, "wombat").is_empty(),
        "the old member's word is gone"
    );

    dir.remove("docs/box.zip");
    wait_until("a deleted archive's members disappear", || {
        hits(&dir, "koala").is_empty()
    });
}
