//! Hostile and careless input, and faults: costly queries, damaged indexes, odd files and names,
//! permissions, a full disk. Nothing may hang, panic or lose documents.

mod util;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use util::needs::skip;
use util::{available, running_as_root, Dir, IndexSummary, Need};

/// `words` copies of `word`, separated by spaces.
fn repeated(word: &str, words: usize) -> String {
    vec![word; words].join(" ")
}

#[test]
fn a_costly_query_stops_at_the_timeout_with_what_it_found() {
    let dir = Dir::new();
    for file in 0..20 {
        dir.create(&format!("docs/the-{file:02}.txt"), repeated("the", 20_000));
    }
    dir.index(&["docs"]);
    // Sloppy phrases of one very common word: tantivy compares every position with every other
    // within the slop, in every document.
    let query = vec![r#""the the the the the"~200"#; 20].join(" ");
    // Whatever the format, the search stops at the deadline and says so: either the hits found
    // so far, flagged as partial, or, when the engine had none to show yet, a message naming
    // `--timeout` (exit 1).
    for format in ["json", "text"] {
        let output = dir
            .lantern()
            .args(["search", "--color", "never", "--timeout", "1ms"])
            .args(["--format", format, &query])
            .run();
        if output.stdout.is_empty() {
            assert_eq!(output.code, Some(1), "{output}");
            assert!(output.stderr.contains("--timeout"), "{output}");
            continue;
        }
        let total = if format == "json" {
            let results = util::SearchJson::parse(&dir, &output.stdout);
            assert!(
                results.timed_out,
                "the results say they are partial\n{output}"
            );
            results.total
        } else {
            assert!(output.stdout.contains("ran out of time"), "{output}");
            let total = output.stdout.split_once(' ').map(|(total, _)| total);
            total.and_then(|total| total.parse().ok()).expect("a total")
        };
        util::assert_found_status(&output, total);
    }
    // An ordinary search is not flagged.
    let normal = dir.search_json(&["the"]);
    assert!(!normal.timed_out);
    assert_eq!(normal.total, 20);
}

#[test]
fn huge_slop_on_long_phrases_is_kept_and_still_matches() {
    let dir = Dir::new();
    dir.create(
        "docs/far.txt",
        format!("alpha {} beta gamma", repeated("x", 300)),
    );
    dir.create("docs/near.txt", "alpha beta gamma");
    dir.index(&["docs"]);
    // Phrases of any length keep their slop (`far` is 300 positions apart), and the nearer
    // match ranks first.
    assert_eq!(
        dir.hit_paths(r#""alpha beta gamma"~1000000"#),
        ["docs/near.txt", "docs/far.txt"]
    );
    assert_eq!(
        dir.hit_paths(r#""alpha beta gamma"~299"#),
        ["docs/near.txt"]
    );
    assert_eq!(
        util::sorted(dir.hit_paths(r#""alpha beta"~1000000"#)),
        ["docs/far.txt", "docs/near.txt"]
    );
}

#[test]
fn queries_too_large_to_run_are_refused_with_exit_2() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "memory");
    dir.index(&["docs"]);
    let words: Vec<String> = (0..2000).map(|n| format!("w{n}")).collect();
    let wildcards: Vec<String> = (0..100).map(|n| format!("w{n}*")).collect();
    for (query, says) in [
        (words.join(" "), "at most 1024"),
        (wildcards.join(" "), "at most 64"),
        (format!("memory^34{}", "0".repeat(37)), "boost is too large"),
        ("((memory^9000)^9000)^9000".to_string(), "boosts multiply"),
    ] {
        let output = dir.lantern().args(["search", &query]).assert_exit(2);
        assert!(output.stderr.contains(says), "{query:.40}: {output}");
    }
    let ok = dir.search_json(&["memory^9000"]);
    assert!(ok.hits[0].score.is_finite() && ok.hits[0].score > 0.0);
}

#[test]
fn a_huge_limit_is_clamped_to_the_documents() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "memory");
    dir.create("docs/b.txt", "memory");
    dir.index(&["docs"]);
    for limit in ["18446744073709551615", "10000000000"] {
        let results = dir.search_json(&["--limit", limit, "memory", "--no-collapse"]);
        assert_eq!(results.hits.len(), 2);
        // Copies folded: as many candidates as documents, no more.
        let results = dir.search_json(&["--limit", limit, "memory"]);
        assert_eq!(results.hits.len(), 1);
        assert_eq!(results.hits[0].also_at.len(), 1);
    }
}

#[test]
fn out_of_range_output_options_are_usage_errors() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "memory");
    dir.index(&["docs"]);
    for args in [
        &["search", "--fragment-chars", "1000000", "memory"][..],
        &["search", "--fragments", "100000", "memory"],
        &["search", "--timeout", "forever", "memory"],
    ] {
        dir.lantern().args(args).assert_exit(2);
    }
}

#[test]
fn a_sloppy_phrase_over_a_repetitive_text_is_highlighted() {
    // 100,000 occurrences of the phrase's word, each within the slop of every other: the
    // highlighter finds phrases by binary search over the occurrences (O(tokens × log words),
    // whatever the slop; see highlight/matches.rs), so the search answers with marks.
    let dir = Dir::new();
    dir.create("docs/the.txt", repeated("the", 100_000));
    dir.index(&["docs"]);
    let results = dir.search_json(&["--limit", "3", r#""the the"~1000000"#]);
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].fragments.len(), 3);
    assert!(results.hits[0].fragments[0].contains("<b>the</b>"));
    let none = dir.search_json(&["--fragments", "0", r#""the the"~1000000"#]);
    assert!(none.hits[0].fragments.is_empty());
}

/// Garbles about 2% of the bytes in the middle third of `file`, the same way for the same seed.
fn garble(file: &PathBuf, seed: u64) {
    let mut bytes = fs::read(file).unwrap();
    let (start, end) = (bytes.len() / 3, bytes.len() * 2 / 3);
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for byte in &mut bytes[start..end] {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if (state >> 33).is_multiple_of(50) {
            *byte = (state >> 24) as u8;
        }
    }
    fs::write(file, bytes).unwrap();
}

#[test]
fn randomly_damaged_segment_files_never_panic_or_hang_and_rebuild_repairs_them() {
    for extension in ["term", "idx", "pos", "store"] {
        for seed in 1..=3 {
            let dir = Dir::new();
            for file in 0..40 {
                let text = format!("{} quokka{file} {}", repeated("filler", file * 40), file);
                dir.create(&format!("docs/f{file:02}.txt"), text);
            }
            dir.index(&["docs"]);
            let files: Vec<PathBuf> = fs::read_dir(dir.index_dir())
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == extension))
                .collect();
            assert!(!files.is_empty());
            for file in &files {
                garble(file, seed);
            }
            for args in [
                &["index", "docs"][..],
                &["status"],
                &["search", "quokka7 OR filler"],
                &["search", "--format", "json", r#""filler filler"~3"#],
            ] {
                // `run` fails on a panic message and on a hang.
                let output = dir.lantern().args(args).run();
                assert!(
                    matches!(output.code, Some(0 | 1)),
                    "{extension}/{seed} {args:?}\n{output}"
                );
                assert!(!output.stderr.contains("RUST_BACKTRACE"), "{output}");
                // Exit 1 is a damaged index, said so, or a search that found nothing.
                if output.code == Some(1) && output.stderr.is_empty() {
                    assert!(
                        output.stdout.contains("0 total matching documents")
                            || output.stdout.contains("\"total\": 0,"),
                        "{output}"
                    );
                } else if output.code == Some(1) {
                    assert!(
                        output.stderr.contains("lantern index --rebuild"),
                        "{output}"
                    );
                }
            }
            dir.lantern().args(["index", "--rebuild"]).assert_success();
            assert_eq!(
                dir.hit_paths("quokka7"),
                ["docs/f07.txt"],
                "{extension}/{seed}"
            );
        }
    }
}

#[test]
fn rebuild_recreates_an_index_whose_list_of_roots_is_damaged() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "wombat");
    dir.index(&["docs"]);
    fs::write(dir.index_dir().join("meta.json"), "{ not json").unwrap();
    let output = dir.lantern().args(["status"]).assert_exit(1);
    assert!(output.stderr.contains("damaged"), "{output}");
    dir.lantern()
        .args(["index", "--rebuild", "docs"])
        .assert_success();
    assert_eq!(dir.hit_paths("wombat"), ["docs/a.txt"]);
}

#[test]
fn a_fifo_or_a_blocking_device_never_stalls_the_run() {
    if !available(
        Need::Command("mkfifo"),
        "a_fifo_or_a_blocking_device_never_stalls_the_run",
    ) {
        return;
    }
    let dir = Dir::new();
    dir.create("docs/real.txt", "numbat");
    let fifo = dir.path("docs/pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink(&fifo, dir.path("docs/to-pipe.txt")).unwrap();
    if PathBuf::from("/proc/kmsg").exists() {
        std::os::unix::fs::symlink("/proc/kmsg", dir.path("docs/kmsg.txt")).unwrap();
    }
    // `run` fails on a hang.
    let output = dir
        .lantern()
        .args(["index", "--follow", "docs"])
        .assert_success();
    assert_eq!(IndexSummary::parse(&output.stdout).added, 1, "{output}");
    assert_eq!(dir.hit_paths("numbat"), ["docs/real.txt"]);
}

#[test]
fn names_differing_only_in_invalid_utf8_are_distinct_documents() {
    let dir = Dir::new();
    for byte in [0xfd_u8, 0xfe, 0xff] {
        dir.create_named("docs", &[b'a', byte, b'.', b't', b'x', b't'], "dingo");
    }
    for _ in 0..3 {
        dir.index(&["docs"]);
        let results = dir.search_json(&["dingo", "--no-collapse"]);
        assert_eq!(results.total, 3);
        for hit in &results.hits {
            assert!(hit.path.ends_with("a\u{FFFD}.txt"), "{}", hit.path);
        }
        let keys = util::sorted(
            results
                .hits
                .iter()
                .filter_map(|hit| hit.key.clone())
                .collect(),
        );
        let expected: Vec<String> = ["a\0fd.txt", "a\0fe.txt", "a\0ff.txt"]
            .iter()
            .map(|name| format!("{}/{name}", dir.display("docs")))
            .collect();
        assert_eq!(keys, expected, "each hit carries its own key");
    }
    let status = dir.lantern().args(["status"]).assert_success();
    assert!(status.stdout.contains("documents: 3"), "{status}");
}

#[test]
fn a_max_file_size_beyond_what_a_document_may_be_is_refused() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "echidna");
    let output = dir
        .lantern()
        .args(["index", "--max-file-size", "200G", "docs"])
        .assert_exit(2);
    assert!(output.stderr.contains("1G"), "{output}");
    // A sparse file as large as allowed is sniffed as binary without being read whole.
    let sparse = fs::File::create(dir.path("docs/sparse.bin")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    let summary = dir.index(&["--max-file-size", "1G", "docs"]);
    assert_eq!((summary.added, summary.binary), (1, 1));
}

#[test]
fn an_unreadable_folder_keeps_its_documents_and_an_unreadable_root_is_an_error() {
    let dir = Dir::new();
    dir.open_to_everyone();
    dir.create("docs/locked/inside.txt", "bilby");
    dir.create("docs/open.txt", "bilby");
    fs::set_permissions(dir.root().join("docs"), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(dir.path("docs/locked"), fs::Permissions::from_mode(0o777)).unwrap();
    dir.lantern()
        .unprivileged()
        .args(["index", "docs"])
        .assert_success();
    fs::set_permissions(dir.path("docs/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let output = dir
        .lantern()
        .unprivileged()
        .args(["index", "docs"])
        .assert_success();
    assert!(output.stderr.contains("permission denied"), "{output}");
    assert_eq!(IndexSummary::parse(&output.stdout).removed, 0, "{output}");
    let hits = dir
        .lantern()
        .unprivileged()
        .args(["search", "bilby"])
        .assert_success();
    assert!(hits.stdout.starts_with("2 total"), "{hits}");

    fs::set_permissions(dir.path("docs"), fs::Permissions::from_mode(0o000)).unwrap();
    let output = dir
        .lantern()
        .unprivileged()
        .args(["index", "docs"])
        .assert_exit(1);
    assert!(output.stderr.contains("permission denied"), "{output}");
    fs::set_permissions(dir.path("docs"), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(dir.path("docs/locked"), fs::Permissions::from_mode(0o777)).unwrap();
    let hits = dir
        .lantern()
        .unprivileged()
        .args(["search", "bilby"])
        .assert_success();
    assert!(hits.stdout.starts_with("2 total"), "{hits}");
}

#[test]
fn a_vanished_root_is_named_and_forget_drops_it() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "quoll");
    dir.create("more/b.txt", "quoll");
    dir.index(&["docs", "more"]);
    fs::remove_dir_all(dir.path("more")).unwrap();
    // A plain `index` re-indexes every root, and says which one is gone and what to do.
    let output = dir.lantern().args(["index"]).assert_exit(1);
    assert!(
        output.stderr.contains(&dir.display("more")) && output.stderr.contains("lantern forget"),
        "{output}"
    );
    let output = dir
        .lantern()
        .args(["forget", &dir.display("more")])
        .assert_success();
    assert!(output.stdout.contains("1 document"), "{output}");
    assert_eq!(dir.hit_paths("quoll"), ["docs/a.txt"]);
    let status = dir.lantern().args(["status"]).assert_success();
    assert!(!status.stdout.contains(&dir.display("more")), "{status}");
    dir.lantern().args(["index"]).assert_success();
    let output = dir.lantern().args(["forget", "nowhere"]).assert_exit(1);
    assert!(output.stderr.contains("not a root"), "{output}");
}

#[test]
fn the_index_folder_is_never_indexed() {
    // As the root itself.
    let dir = Dir::new();
    dir.create("index/placeholder.txt", "kowari");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lantern"))
        .current_dir(dir.index_dir())
        .env("LANTERN_INDEX", ".")
        .args(["index", "."])
        .output()
        .expect("run lantern");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("index folder itself"), "{stderr}");
    // Reached through a followed link.
    let dir = Dir::new();
    dir.create("docs/a.txt", "kowari");
    dir.index(&["docs"]);
    std::os::unix::fs::symlink(dir.index_dir(), dir.path("docs/link-to-index")).unwrap();
    let summary = dir.index(&["--follow", "docs"]);
    assert_eq!(summary.added, 0);
    let again = dir.index(&["--follow", "docs"]);
    assert_eq!((again.added, again.updated), (0, 0));
}

#[test]
fn an_index_another_user_cannot_read_says_permission_denied() {
    let dir = Dir::new();
    dir.open_to_everyone();
    dir.create("docs/a.txt", "potoroo");
    dir.index(&["docs"]);
    let meta = dir.index_dir().join("meta.json");
    fs::set_permissions(&meta, fs::Permissions::from_mode(0o600)).unwrap();
    if !running_as_root() {
        // The owner can read it: make it unreadable to the owner too.
        fs::set_permissions(&meta, fs::Permissions::from_mode(0o000)).unwrap();
    }
    for args in [&["search", "potoroo"][..], &["status"]] {
        let output = dir.lantern().unprivileged().args(args).assert_exit(1);
        assert!(output.stderr.contains("permission denied"), "{output}");
        assert!(!output.stderr.contains("damaged"), "{output}");
    }
    fs::set_permissions(&meta, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_full_disk_is_named_and_leaves_no_orphan_files() {
    let test = "a_full_disk_is_named_and_leaves_no_orphan_files";
    if !available(Need::Root, test) {
        return;
    }
    let dir = Dir::new();
    let mount = dir.path("small");
    fs::create_dir_all(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mount)
        .status()
        .map(|status| status.success())
        .unwrap_or(false);
    if !mounted {
        skip(Need::Root, test, "root cannot mount a tmpfs here");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let index = mount.join("index");
    dir.create("small-docs/a.txt", "bettong");
    dir.lantern_at(&index)
        .args(["index", "small-docs"])
        .assert_success();
    let files = || {
        let mut names: Vec<String> = fs::read_dir(&index)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files_before = files();
    for file in 0..200 {
        let words: Vec<String> = (0..2000).map(|n| format!("w{file}x{n}")).collect();
        dir.create(&format!("big-docs/f{file:03}.txt"), words.join(" "));
    }
    let output = dir
        .lantern_at(&index)
        .args(["index", "--commit-every", "1G", "big-docs"])
        .assert_exit(1);
    assert!(
        output.stderr.contains("no space left on device"),
        "{output}"
    );
    assert_eq!(output.stderr.matches("lantern:").count(), 1, "{output}");
    // The failed run's files are gone and the old index still answers.
    assert_eq!(files(), files_before, "{output}");
    let hits = dir
        .lantern_at(&index)
        .args(["search", "bettong"])
        .assert_success();
    assert!(hits.stdout.starts_with("1 total"), "{hits}");
}

#[test]
fn too_much_memory_for_the_threads_is_explained_once() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "woylie");
    let output = dir
        .lantern()
        .args(["index", "--memory", "8G", "--threads", "1", "docs"])
        .assert_exit(1);
    assert!(output.stderr.contains("--memory"), "{output}");
    assert_eq!(output.stderr.lines().count(), 1, "{output}");
}

#[test]
fn edits_of_files_dated_before_1970_are_seen() {
    let dir = Dir::new();
    dir.create("docs/old.txt", "numbat one");
    let touch = |date: &str| {
        let done = std::process::Command::new("touch")
            .args(["-d", date])
            .arg(dir.path("docs/old.txt"))
            .status()
            .expect("touch");
        assert!(done.success());
    };
    touch("1960-01-01 00:00:00");
    dir.index(&["docs"]);
    dir.create("docs/old.txt", "numbat two");
    touch("1961-01-01 00:00:00");
    let summary = dir.index(&["docs"]);
    assert_eq!(summary.updated, 1);
    assert_eq!(dir.hit_paths("two"), ["docs/old.txt"]);
}

#[test]
fn escape_sequences_in_file_names_never_reach_the_terminal() {
    let dir = Dir::new();
    dir.create("docs/red\u{1b}[31mname.txt", repeated("word", 100));
    let output = dir
        .lantern()
        .args(["index", "--max-file-size", "10", "docs"])
        .assert_success();
    assert!(output.stderr.contains("warning: skipped"), "{output}");
    assert!(!output.stderr.contains('\u{1b}'), "{output:?}");
    assert!(output.stderr.contains("\\u{1b}[31mname"), "{output}");
}

#[test]
fn error_causes_are_printed_once() {
    let dir = Dir::new();
    dir.create("file.txt", "x");
    for (args, cause) in [
        (&["index", "missing"][..], "does not exist"),
        (&["index", "file.txt"], "not a folder"),
    ] {
        let output = dir.lantern().args(args).assert_exit(1);
        assert_eq!(output.stderr.matches(cause).count(), 1, "{output}");
        assert_eq!(output.stderr.matches("os error").count(), 0, "{output}");
    }
}

#[test]
fn status_during_commits_never_fails() {
    let dir = Dir::new();
    dir.create("docs/seed.txt", "dunnart");
    dir.index(&["docs"]);
    for file in 0..400 {
        dir.create(
            &format!("docs/f{file:03}.txt"),
            repeated(&format!("w{file}"), 200),
        );
    }
    // Many small commits, each followed by tantivy's garbage collection of old files.
    let mut indexing = dir
        .lantern()
        .args(["index", "--commit-every", "2K", "--threads", "1", "docs"])
        .spawn();
    let mut statuses = 0;
    while indexing.try_wait().expect("wait for index").is_none() {
        // A reader never waits for the writer or trips over the files its commits retire.
        let output = dir.lantern().args(["status"]).assert_success();
        assert!(output.stdout.contains("documents: "), "{output}");
        statuses += 1;
    }
    assert!(indexing.wait().unwrap().success());
    assert!(statuses > 0);
    let final_status = dir.lantern().args(["status"]).assert_success();
    assert!(
        final_status.stdout.contains("documents: 401"),
        "{final_status}"
    );
}

#[test]
fn index_without_folders_needs_an_index_with_roots() {
    let dir = Dir::new();
    let output = dir.lantern().args(["index"]).assert_exit(1);
    assert!(output.stderr.contains("name one"), "{output}");
    assert!(!dir.index_dir().exists());
}
