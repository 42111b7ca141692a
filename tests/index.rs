//! `lantern index` and `lantern status` end to end: what gets indexed, re-indexing, the summary line,
//! warnings, the writer lock.

mod util;

use std::fs::{self, File};

use util::{running_as_root, Dir, IndexSummary};

#[test]
fn reindexing_the_same_folder_adds_no_duplicates() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "kiwi one");
    dir.create("docs/b.txt", "kiwi two");
    dir.create("docs/sub/c.txt", "kiwi three");

    let first = dir.index(&["docs"]);
    assert_eq!((first.indexed, first.added, first.unchanged), (3, 3, 0));
    assert_eq!(dir.search_json(&["kiwi"]).total, 3);

    let second = dir.index(&["docs"]);
    assert_eq!(
        second,
        IndexSummary {
            unchanged: 3,
            ..IndexSummary::default()
        }
    );
    assert_eq!(dir.search_json(&["kiwi"]).total, 3);
    // Naming the same folder another way (trailing slash, `./`) is still the same root.
    dir.index(&["./docs/"]);
    assert_eq!(dir.search_json(&["kiwi"]).total, 3);
}

#[test]
fn a_folder_named_twice_or_inside_another_in_one_run_is_indexed_once() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "kiwi one");
    dir.create("docs/sub/c.txt", "kiwi three");

    let summary = dir.index(&["docs", "docs/sub", "./docs"]);
    assert_eq!((summary.indexed, summary.added), (2, 2));
    assert_eq!(dir.search_json(&["kiwi"]).total, 2);
    // Each folder named is still a root of its own.
    let status = dir.lantern().arg("status").assert_success().stdout;
    let root = dir.root().display();
    assert!(
        status.contains(&format!("{root}/docs  2 documents")),
        "{status}"
    );
    assert!(
        status.contains(&format!("{root}/docs/sub  1 documents")),
        "{status}"
    );
}

#[test]
fn a_changed_file_is_reindexed() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "quince mango");
    dir.create("docs/b.txt", "mango");
    dir.index(&["docs"]);
    assert_eq!(dir.hit_paths("quince"), ["docs/a.txt"]);

    // A different length, so the change shows even where timestamps are coarse.
    dir.create("docs/a.txt", "papaya and mango, rewritten");
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.updated, summary.unchanged), (1, 1));

    assert_eq!(dir.hit_paths("papaya"), ["docs/a.txt"]);
    assert!(dir.hit_paths("quince").is_empty(), "the old text is gone");
    assert_eq!(dir.search_json(&["mango"]).total, 2);
}

#[test]
fn a_deleted_file_disappears_from_results() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "lychee");
    dir.create("docs/b.txt", "lychee");
    dir.index(&["docs"]);
    assert_eq!(dir.search_json(&["lychee"]).total, 2);

    dir.remove("docs/a.txt");
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.removed, summary.unchanged), (1, 1));
    assert_eq!(dir.hit_paths("lychee"), ["docs/b.txt"]);
}

#[test]
fn the_summary_counts_added_updated_removed_and_unchanged_files() {
    let dir = Dir::new();
    dir.create("docs/keep1.txt", "same");
    dir.create("docs/keep2.txt", "same");
    dir.create("docs/change.txt", "before");
    dir.create("docs/delete.txt", "doomed");
    dir.create("docs/skip.bin", b"\x00\x01\x02 binary");
    let first = dir.index(&["docs"]);
    assert_eq!(
        first,
        IndexSummary {
            indexed: 4,
            added: 4,
            skipped: 1,
            binary: 1,
            ..IndexSummary::default()
        }
    );

    dir.create("docs/change.txt", "after the change");
    dir.remove("docs/delete.txt");
    dir.create("docs/new.txt", "fresh");
    let second = dir.index(&["docs"]);
    assert_eq!(
        second,
        IndexSummary {
            indexed: 2,
            added: 1,
            updated: 1,
            removed: 1,
            // The binary file is remembered as nothing: it is looked at again, and skipped again.
            unchanged: 2,
            skipped: 1,
            binary: 1,
            ..IndexSummary::default()
        }
    );
}

#[test]
fn a_binary_file_is_skipped() {
    let dir = Dir::new();
    dir.create(
        "docs/image.dat",
        b"\x89PNG\r\n\x1a\n\x00\x00 wombat \x00\xff",
    );
    dir.create("docs/text.txt", "a text about a wombat");
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.indexed, summary.binary), (1, 1));
    assert_eq!(dir.hit_paths("wombat"), ["docs/text.txt"]);
}

#[test]
fn invalid_utf8_is_indexed_lossily() {
    let dir = Dir::new();
    dir.create("docs/broken.txt", b"caf\xe9 walrus \xff\xfe tail\xc3");
    dir.create("docs/fine.txt", "café walrus");
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.indexed, summary.lossy), (2, 1));
    let results = dir.search_json(&["walrus AND tail"]);
    assert_eq!(results.paths(), ["docs/broken.txt"]);
    assert_eq!(
        results.hits[0].fragments,
        ["caf\u{fffd} <b>walrus</b> \u{fffd}\u{fffd} <b>tail</b>\u{fffd}"]
    );
}

#[test]
fn utf16_with_a_bom_and_a_utf8_bom_are_decoded() {
    let dir = Dir::new();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Hello narwhal,\r\nnaïve café\r\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    dir.create("docs/utf16.txt", utf16);
    dir.create("docs/bom.txt", "\u{feff}firstword follows the BOM");
    assert_eq!(dir.index(&["docs"]).indexed, 2);

    let narwhal = dir.search_json(&["narwhal"]);
    assert_eq!(narwhal.paths(), ["docs/utf16.txt"]);
    assert_eq!(
        narwhal.hits[0].fragments,
        ["Hello <b>narwhal</b>, naïve café"]
    );
    assert_eq!(dir.hit_paths("café"), ["docs/utf16.txt"]);

    let first = dir.search_json(&["firstword"]);
    assert_eq!(first.paths(), ["docs/bom.txt"]);
    assert_eq!(
        first.hits[0].fragments,
        ["<b>firstword</b> follows the BOM"]
    );
}

#[test]
fn hidden_files_and_folders_are_skipped_unless_asked() {
    let dir = Dir::new();
    dir.create("docs/.secret/inside.txt", "platypus");
    dir.create("docs/.dotfile", "platypus");
    dir.create("docs/visible.txt", "echidna");
    assert_eq!(dir.index(&["docs"]).indexed, 1);
    assert!(dir.hit_paths("platypus").is_empty());

    assert_eq!(dir.index(&["--hidden", "docs"]).added, 2);
    assert_eq!(
        util::sorted(dir.hit_paths("platypus")),
        ["docs/.dotfile", "docs/.secret/inside.txt"]
    );
}

#[test]
fn a_hidden_root_is_still_walked() {
    let dir = Dir::new();
    dir.create(".config/app.txt", "quokka");
    assert_eq!(dir.index(&[".config"]).indexed, 1);
    assert_eq!(dir.hit_paths("quokka"), [".config/app.txt"]);
}

#[test]
fn an_empty_file_is_indexed_and_shown_without_fragments() {
    let dir = Dir::new();
    dir.create("docs/empty.txt", "");
    dir.create("docs/full.txt", "something");
    assert_eq!(dir.index(&["docs"]).indexed, 2);
    let results = dir.search_json(&["path:empty.txt"]);
    assert_eq!(results.paths(), ["docs/empty.txt"]);
    assert_eq!(results.hits[0].snippet, "");
}

#[test]
fn the_index_folder_inside_the_indexed_folder_is_not_indexed() {
    let dir = Dir::new();
    dir.create("a.txt", "alpaca");
    dir.create("b.txt", "alpaca");
    // The index lives in ./index, under the folder being indexed.
    assert_eq!(dir.index(&["."]).indexed, 2);
    let again = dir.index(&["."]);
    assert_eq!((again.indexed, again.unchanged), (0, 2));
    assert_eq!(dir.search_json(&["*"]).total, 2);
    // Words of tantivy's meta.json would be found if the index had indexed itself.
    assert_eq!(
        dir.search_json(&["segments OR schema OR tokenizer"]).total,
        0
    );
}

#[test]
fn a_too_large_file_is_skipped_with_a_warning() {
    let dir = Dir::new();
    dir.create("docs/big.txt", "capybara ".repeat(20));
    dir.create("docs/small.txt", "capybara");
    let output = dir
        .lantern()
        .args(["index", "--max-file-size", "100", "docs"])
        .assert_success();
    let summary = IndexSummary::parse(&output.stdout);
    assert_eq!((summary.indexed, summary.too_large), (1, 1));
    assert!(
        output.stderr.contains(&format!(
            "warning: skipped {}: 180 bytes is over the 100-byte limit",
            dir.display("docs/big.txt")
        )),
        "{output}"
    );
    assert_eq!(dir.hit_paths("capybara"), ["docs/small.txt"]);
}

#[test]
fn an_unreadable_file_gives_a_warning_and_the_run_goes_on() {
    let dir = Dir::new();
    dir.create("docs/a-readable.txt", "ocelot");
    dir.create("docs/z-readable.txt", "ocelot");
    let (unreadable, extra_args): (&str, &[&str]) = if running_as_root() {
        // Permissions do not stop root: use a file whose read fails for anyone instead.
        println!("note: running as root, so chmod 000 cannot make a file unreadable; using a symlink to /proc/self/mem (read fails with EIO) instead");
        std::os::unix::fs::symlink("/proc/self/mem", dir.path("docs/m-unreadable.txt"))
            .expect("symlink");
        ("docs/m-unreadable.txt", &["--follow"])
    } else {
        dir.create("docs/m-unreadable.txt", "ocelot");
        set_mode(&dir.path("docs/m-unreadable.txt"), 0o000);
        ("docs/m-unreadable.txt", &[])
    };
    let output = dir
        .lantern()
        .arg("index")
        .args(extra_args)
        .arg("docs")
        .assert_success();
    let summary = IndexSummary::parse(&output.stdout);
    assert_eq!((summary.indexed, summary.unreadable), (2, 1), "{output}");
    let warnings: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "one warning line: {output}");
    assert!(
        warnings[0].starts_with(&format!(
            "lantern: warning: skipped {}: ",
            dir.display(unreadable)
        )),
        "{output}"
    );
    assert_eq!(
        util::sorted(dir.hit_paths("ocelot")),
        ["docs/a-readable.txt", "docs/z-readable.txt"]
    );
}

#[test]
fn an_unreadable_folder_gives_a_warning_and_the_run_goes_on() {
    let dir = Dir::new();
    // Run as `nobody` when the tests run as root, whom permissions do not stop.
    dir.open_to_everyone();
    dir.create("docs/locked/inside.txt", "margay");
    dir.create("docs/open.txt", "margay");
    set_mode(&dir.path("docs"), 0o777);
    set_mode(&dir.path("docs/locked"), 0o000);
    let output = dir
        .lantern()
        .unprivileged()
        .args(["index", "docs"])
        .assert_success();
    set_mode(&dir.path("docs/locked"), 0o777);
    let summary = IndexSummary::parse(&output.stdout);
    assert_eq!((summary.indexed, summary.unreadable), (1, 1), "{output}");
    let warnings: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "one warning line: {output}");
    assert!(
        warnings[0].starts_with(&format!(
            "lantern: warning: skipped {}: ",
            dir.display("docs/locked")
        )),
        "{output}"
    );
    assert!(warnings[0].contains("permission denied"), "{output}");
    // On a first run, what is under the folder is simply not found.
    let search = dir
        .lantern()
        .unprivileged()
        .args(["search", "--format", "json", "margay"])
        .assert_success();
    assert_eq!(
        util::SearchJson::parse(&dir, &search.stdout).paths(),
        ["docs/open.txt"]
    );
}

#[test]
fn broken_symlinks_and_loops_are_warnings_when_following_links() {
    let dir = Dir::new();
    dir.create("docs/real.txt", "serval");
    std::os::unix::fs::symlink(dir.path("nowhere"), dir.path("docs/dangling.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path("docs"), dir.path("docs/loop")).unwrap();

    // Without --follow, symlinks are not files: nothing to warn about.
    let quiet = dir.lantern().args(["index", "docs"]).assert_success();
    assert_eq!(quiet.stderr, "");

    let output = dir
        .lantern()
        .args(["index", "--follow", "docs"])
        .assert_success();
    assert_eq!(
        IndexSummary::parse(&output.stdout).unreadable,
        2,
        "{output}"
    );
    assert!(
        output.stderr.contains(&dir.display("docs/dangling.txt")),
        "{output}"
    );
    assert!(
        output.stderr.contains(&dir.display("docs/loop")),
        "{output}"
    );
    assert_eq!(dir.hit_paths("serval"), ["docs/real.txt"]);
}

#[test]
fn a_missing_folder_to_index_is_an_error() {
    let dir = Dir::new();
    let output = dir.lantern().args(["index", "nope"]).assert_exit(1);
    assert!(output.stderr.contains("cannot index nope"), "{output}");
}

#[test]
fn a_second_indexer_is_told_the_index_is_busy() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "tapir");
    dir.index(&["docs"]);

    // Hold the lock tantivy's writer takes (an flock on this file), as a running indexer would.
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.index_dir().join(".tantivy-writer.lock"))
        .expect("open the writer lock file");
    lock.try_lock().expect("take the writer lock");

    dir.create("docs/b.txt", "tapir");
    let output = dir.lantern().args(["index", "docs"]).assert_exit(1);
    assert!(output.stderr.contains("busy"), "{output}");
    assert!(
        output
            .stderr
            .contains(&dir.index_dir().display().to_string()),
        "{output}"
    );
    // Searching needs no lock.
    assert_eq!(dir.hit_paths("tapir"), ["docs/a.txt"]);

    drop(lock);
    assert_eq!(dir.index(&["docs"]).added, 1);
    assert_eq!(dir.search_json(&["tapir"]).total, 2);
}

#[test]
fn status_lists_the_roots_and_document_counts() {
    let dir = Dir::new();
    dir.create("one/a.txt", "a");
    dir.create("one/b.txt", "b");
    dir.create("two/c.txt", "c");
    dir.index(&["one"]);
    dir.index(&["two"]);

    let output = dir.lantern().arg("status").assert_success();
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("index:     {}", dir.index_dir().display())
    );
    assert_eq!(lines[1], "documents: 3 (3 text)");
    assert!(lines[2].starts_with("size:      "), "{output}");
    assert_eq!(lines[3], "language:  english");
    assert_eq!(lines[4], "roots:");
    let roots = &lines[5..];
    assert_eq!(roots.len(), 2, "{output}");
    assert!(
        roots[0].starts_with(&format!(
            "  {}  2 documents, last indexed ",
            dir.display("one")
        )),
        "{output}"
    );
    assert!(
        roots[1].starts_with(&format!(
            "  {}  1 documents, last indexed ",
            dir.display("two")
        )),
        "{output}"
    );
}

#[test]
fn status_without_an_index_says_so() {
    let dir = Dir::new();
    let output = dir.lantern().arg("status").assert_exit(1);
    assert!(output.stderr.contains("no index at"), "{output}");
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}
