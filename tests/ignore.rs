//! Which files belong to a root: ignore files, globs, depth, and rules remembered with the root.

mod util;

use util::{sorted, Dir};

/// A folder with files that ignore files, globs and depth can leave out, each holding `wombat`.
fn project() -> Dir {
    let dir = Dir::new();
    for file in [
        "docs/readme.md",
        "docs/notes.txt",
        "docs/app.log",
        "docs/target/build.txt",
        "docs/drafts/idea.md",
        "docs/deep/er/down.md",
        "docs/secret.txt",
        "docs/vendor/lib.txt",
    ] {
        dir.create(file, "wombat");
    }
    // A .gitignore counts inside a git repository only, as in git and ripgrep.
    dir.create("docs/.git/HEAD", "ref: refs/heads/main\n");
    dir.create("docs/.gitignore", "target/\n*.log\n");
    dir.create("docs/.lanternignore", "secret.txt\n");
    dir.create("docs/.ignore", "vendor/\n");
    dir
}

fn wombats(dir: &Dir) -> Vec<String> {
    sorted(dir.hit_paths("wombat"))
}

#[test]
fn ignore_files_are_honoured_and_no_ignore_indexes_everything() {
    let dir = project();
    dir.index(&["docs"]);
    assert_eq!(
        wombats(&dir),
        [
            "docs/deep/er/down.md",
            "docs/drafts/idea.md",
            "docs/notes.txt",
            "docs/readme.md"
        ]
    );
    dir.index(&["--no-ignore", "docs"]);
    assert_eq!(wombats(&dir).len(), 8);
}

#[test]
fn globs_and_depth_choose_files() {
    let dir = project();
    dir.index(&["-g", "*.md", "--glob", "!drafts/**", "docs"]);
    assert_eq!(wombats(&dir), ["docs/deep/er/down.md", "docs/readme.md"]);
    dir.index(&["--max-depth", "0", "docs"]);
    assert_eq!(wombats(&dir), ["docs/notes.txt", "docs/readme.md"]);
    let output = dir
        .lantern()
        .args(["index", "--glob", "[", "docs"])
        .assert_exit(1);
    assert!(output.stderr.contains("invalid --glob"), "{output}");
}

#[test]
fn a_root_keeps_its_rules_for_later_runs_and_status_shows_them() {
    let dir = project();
    dir.index(&["--glob", "*.md", "docs"]);
    dir.create("docs/new.md", "wombat");
    dir.create("docs/new.txt", "wombat");
    // No folder named: every root, each with the rules it was indexed with.
    dir.lantern().args(["index"]).assert_success();
    assert!(wombats(&dir).contains(&"docs/new.md".to_string()));
    assert!(!wombats(&dir).contains(&"docs/new.txt".to_string()));
    let status = dir.lantern().args(["status"]).assert_success();
    assert!(status.stdout.contains("globs *.md"), "{status}");
    // Rules belong with folders named.
    let output = dir.lantern().args(["index", "--hidden"]).assert_exit(2);
    assert!(output.stderr.contains("DIR"), "{output}");
}

#[test]
fn editing_an_ignore_file_takes_effect_on_the_next_run() {
    let dir = project();
    dir.index(&["docs"]);
    dir.create("docs/.gitignore", "target/\n*.log\ndrafts/\n");
    let summary = dir.index(&["docs"]);
    assert_eq!(summary.removed, 1);
    assert!(!wombats(&dir).contains(&"docs/drafts/idea.md".to_string()));
    dir.create("docs/.gitignore", "");
    let summary = dir.index(&["docs"]);
    assert_eq!(summary.added, 3, "drafts, target and the log come back");
    assert!(wombats(&dir).contains(&"docs/app.log".to_string()));
}

#[test]
fn a_gitignore_outside_a_git_repository_is_not_honoured() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "wombat");
    dir.create("docs/b.log", "wombat");
    dir.create("docs/.gitignore", "/*\n");
    dir.create("docs/.lanternignore", "*.log\n");
    dir.index(&["docs"]);
    assert_eq!(wombats(&dir), ["docs/a.txt"]);
}
