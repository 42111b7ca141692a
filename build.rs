//! Build script: records which commit the binary is built from, for `lantern --version`.
//!
//! It sets `LANTERN_BUILD_VERSION` to the package version followed by the commit and its date,
//! `0.1.0 (commit 3e977a2, 2026-11-30)`, with `-dirty` after the hash when the files the binary is
//! built from differ from that commit. Without a `.git` next to `Cargo.toml` (a crates.io download,
//! a source tarball) or without a working `git`, it says `0.1.0 (not built from a git checkout)`.
//! It never fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files and folders the binary is compiled from: a change to any of them makes the build
/// dirty, and only a change to them (or to git's HEAD, branch or index) reruns this script.
const SOURCES: &[&str] = &["src", "templates", "build.rs", "Cargo.toml", "Cargo.lock"];

fn main() {
    let package_version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let build = match commit(&manifest_dir) {
        Some(commit) => {
            for path in commit.watched {
                println!("cargo:rerun-if-changed={}", path.display());
            }
            format!("commit {}, {}", commit.description, commit.date)
        }
        None => "not built from a git checkout".to_string(),
    };
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
    }
    println!("cargo:rustc-env=LANTERN_BUILD_VERSION={package_version} ({build})");
}

/// What the version says about the commit, and the git files whose change invalidates it.
struct Commit {
    /// The short hash, with `-dirty` when the sources differ from it.
    description: String,
    /// The commit date, `YYYY-MM-DD`.
    date: String,
    /// HEAD, the branch it points to (or `packed-refs` when the branch has no file of its own) and
    /// the index: committing, switching branches or staging changes rewrites one of them.
    watched: Vec<PathBuf>,
}

/// Describes the commit checked out in `dir`, or `None` when `dir` is not the top of a git checkout
/// (a `.git` folder, or a `.git` file for a worktree) or git cannot be run.
fn commit(dir: &Path) -> Option<Commit> {
    // Only the package's own checkout counts: a downloaded crate unpacked somewhere inside an
    // unrelated repository must not report that repository's commit.
    if !dir.join(".git").exists() {
        return None;
    }
    let hash = git(dir, &["rev-parse", "--short", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cd", "--date=short"])?;
    // Untracked files are left out, as `git describe --dirty` does: a new file changes the build
    // only once a tracked file names it.
    let mut status = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    status.extend(SOURCES);
    let dirty = !git(dir, &status)?.is_empty();

    let git_path = |name: &str| git(dir, &["rev-parse", "--git-path", name]).map(|p| dir.join(p));
    let mut watched = vec![git_path("HEAD")?, git_path("index")?];
    // A detached HEAD names no branch; `--symbolic-full-name` then prints `HEAD` itself.
    if let Some(branch) = git(dir, &["rev-parse", "--symbolic-full-name", "HEAD"]) {
        if branch != "HEAD" {
            let loose = git_path(&branch)?;
            // Cargo reruns a script on every build while a watched file is missing, so a packed
            // branch is watched through `packed-refs`.
            watched.push(if loose.exists() {
                loose
            } else {
                git_path("packed-refs")?
            });
        }
    }
    Some(Commit {
        description: if dirty { format!("{hash}-dirty") } else { hash },
        date,
        watched,
    })
}

/// Runs `git ARGS` in `dir` and returns its trimmed output, or `None` if it cannot run or fails.
///
/// `GIT_OPTIONAL_LOCKS=0` keeps it a read-only look: otherwise `git status` refreshes the stat
/// cache in `.git/index`, a file this script watches, and the next `cargo` command would run the
/// script and compile the crate again for nothing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
