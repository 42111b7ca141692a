//! Roots of one index end to end: `--rebuild` of one root or of all of them, and roots whose
//! paths share a prefix (`docs` and `docs2`), which must stay apart when re-indexed or forgotten.

mod util;

use std::collections::BTreeMap;

use util::{Dir, IndexSummary};

/// What a user sees of a search: the total, and each hit's fragments by path (scores and so the
/// order of equal hits may change when documents are rewritten).
fn seen(dir: &Dir, query: &str) -> (u64, BTreeMap<String, Vec<String>>) {
    let results = dir.search_json(&["--limit", "1000", query]);
    let hits = results
        .hits
        .iter()
        .map(|hit| (hit.path.clone(), hit.fragments.clone()))
        .collect();
    (results.total, hits)
}

/// The line of `lantern status` for `root`, if it lists it.
fn status_line(dir: &Dir, root: &str) -> Option<String> {
    let status = dir.lantern().arg("status").assert_success().stdout;
    let prefix = format!("  {}  ", dir.display(root));
    status
        .lines()
        .find(|line| line.starts_with(&prefix))
        .map(str::to_string)
}

/// Asserts a run read every one of `files` files again and kept nothing as it was.
fn assert_read_again(summary: IndexSummary, files: u64) {
    assert_eq!(summary.indexed, files, "{summary:?}");
    assert_eq!(summary.added + summary.updated, files, "{summary:?}");
    assert_eq!(summary.unchanged, 0, "{summary:?}");
}

#[test]
fn rebuild_reads_every_file_again_and_finds_the_same() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "gecko one, a gecko");
    dir.create("docs/b.txt", "gecko two");
    dir.create("docs/sub/c.txt", "gecko three and <markup>");
    dir.create("more/d.txt", "gecko four");
    dir.create("more/e.txt", "skink only");
    dir.index(&["docs"]);
    dir.index(&["more"]);
    let before = seen(&dir, "gecko OR skink");
    assert_eq!(before.0, 5);

    // Nothing changed: a plain run reads nothing, a rebuild of `docs` reads all of it again and
    // leaves `more` alone.
    assert_eq!(dir.index(&["docs"]).unchanged, 3);
    assert_read_again(dir.index(&["--rebuild", "docs"]), 3);
    assert_eq!(seen(&dir, "gecko OR skink"), before);

    // With no folder, every root starts over.
    assert_read_again(dir.index(&["--rebuild"]), 5);
    assert_eq!(seen(&dir, "gecko OR skink"), before);
    assert!(status_line(&dir, "docs").is_some_and(|line| line.contains("3 documents")));
    assert!(status_line(&dir, "more").is_some_and(|line| line.contains("2 documents")));
    assert_eq!(dir.index(&[]).unchanged, 5);
}

#[test]
fn a_root_whose_path_is_a_prefix_of_another_leaves_it_alone() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "tuatara in docs");
    dir.create("docs/gone.txt", "tuatara soon gone");
    dir.create("docs2/b.txt", "tuatara in docs2");
    dir.create("docs2/c.txt", "tuatara also in docs2");
    dir.index(&["docs2"]);
    dir.index(&["docs"]);
    let docs2 = seen(&dir, "docs2");
    assert_eq!(docs2.0, 2);

    // Re-indexing `docs` alone neither removes nor reads `docs2`'s files, even changed ones.
    dir.remove("docs/gone.txt");
    dir.create("docs2/c.txt", "tuatara rewritten in docs2");
    assert_eq!(
        dir.index(&["docs"]),
        IndexSummary {
            removed: 1,
            unchanged: 1,
            ..IndexSummary::default()
        }
    );
    assert_eq!(seen(&dir, "docs2"), docs2);
    assert!(dir.hit_paths("rewritten").is_empty());
    // Nor does a rebuild of `docs`.
    assert_eq!(dir.index(&["--rebuild", "docs"]).indexed, 1);
    assert_eq!(seen(&dir, "docs2"), docs2);
    assert!(status_line(&dir, "docs2").is_some_and(|line| line.contains("2 documents")));

    // Forgetting `docs` drops its document only.
    let output = dir
        .lantern()
        .args(["forget", &dir.display("docs")])
        .assert_success();
    assert!(output.stdout.contains("1 document"), "{output}");
    assert_eq!(status_line(&dir, "docs"), None);
    assert!(status_line(&dir, "docs2").is_some());
    assert_eq!(
        util::sorted(dir.hit_paths("tuatara")),
        ["docs2/b.txt", "docs2/c.txt"]
    );
    assert_eq!(dir.index(&["docs2"]).updated, 1);
    assert_eq!(dir.hit_paths("rewritten"), ["docs2/c.txt"]);
}
