//! Helpers for the end-to-end tests: a temporary folder to put documents in, a wrapper that runs the
//! real `lantern` binary against an index inside that folder, and checks on what it prints.
//!
//! Each test file includes this module with `mod util;`; not every file uses every helper. The
//! concerns live in submodules, re-exported here: [`command`] runs the binary, [`summary`] reads
//! the `index` summary line, [`json`] the JSON output, [`html`] marked text and HTML pages,
//! [`server`] runs `lantern serve`, [`mcp`] talks to `lantern mcp`, [`watcher`] runs
//! `lantern watch`, [`containers`] writes archives and mailboxes.
#![allow(dead_code)]

mod command;
mod containers;
mod html;
mod json;
mod mcp;
pub mod needs;
mod server;
mod summary;
mod watcher;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

// Each test file uses some of these, none all of them.
#[allow(unused_imports)]
pub use command::{Output, TestCommand, HANG_LIMIT};
#[allow(unused_imports)]
pub use containers::{base64_lines, gzip, mbox, message, tar, zip};
#[allow(unused_imports)]
pub use html::{assert_well_formed_html, element, marked, visible_text};
#[allow(unused_imports)]
pub use json::{assert_keys, JsonHit, SearchJson};
#[allow(unused_imports)]
pub use mcp::{create_mcp_notes, McpSession};
#[allow(unused_imports)]
pub use needs::{available, Need};
#[allow(unused_imports)]
pub use server::{encode, ServerGuard};
#[allow(unused_imports)]
pub use summary::IndexSummary;
#[allow(unused_imports)]
pub use watcher::Watcher;

/// A temporary folder holding the test's documents and, in `index/`, its index.
pub struct Dir {
    root: PathBuf,
    // Deleted when the test ends.
    _tmp: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Dir {
        Dir::new()
    }
}

impl Dir {
    /// A fresh, empty folder.
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("lantern-test-")
            .tempdir()
            .expect("create a temporary folder");
        // Lantern shows canonical paths; so do the helpers, to compare them.
        let root = tmp
            .path()
            .canonicalize()
            .expect("canonicalize the temp dir");
        Dir { root, _tmp: tmp }
    }

    /// Lets every user into the folder (a temporary folder is its owner's alone), for commands
    /// run [`TestCommand::unprivileged`].
    pub fn open_to_everyone(&self) {
        use std::os::unix::fs::PermissionsExt;
        for path in [self.root.as_path(), self._tmp.path()] {
            fs::set_permissions(path, fs::Permissions::from_mode(0o777)).expect("chmod 777");
        }
    }

    /// The temporary folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index folder every command of [`Dir::lantern`] uses.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    /// The absolute path of `relative` inside the folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The absolute path of `relative`, as Lantern prints it.
    pub fn display(&self, relative: &str) -> String {
        self.path(relative).to_string_lossy().into_owned()
    }

    /// `absolute` made relative to the folder (for readable assertions on hit paths).
    pub fn relative(&self, absolute: &str) -> String {
        let prefix = format!("{}/", self.root.display());
        absolute
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{absolute} is not under {prefix}"))
            .to_string()
    }

    /// The hit paths of a JSON search result (`/api/search`, MCP's `search`), relative to the
    /// folder, in their order.
    pub fn json_hit_paths(&self, found: &serde_json::Value) -> Vec<String> {
        found["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| self.relative(hit["path"].as_str().expect("a path")))
            .collect()
    }

    /// Creates (or overwrites) the file `relative` with `contents`, creating its folders.
    pub fn create(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&path, contents).unwrap_or_else(|err| panic!("write {}: {err}", path.display()));
    }

    /// Creates the file named `name` (bytes, which need not be UTF-8) in the folder `folder`,
    /// creating it; returns the file's absolute path.
    pub fn create_named(&self, folder: &str, name: &[u8], contents: impl AsRef<[u8]>) -> PathBuf {
        use std::os::unix::ffi::OsStrExt;
        let path = self.path(folder).join(std::ffi::OsStr::from_bytes(name));
        fs::create_dir_all(self.path(folder)).expect("create the folder");
        fs::write(&path, contents).unwrap_or_else(|err| panic!("write {}: {err}", path.display()));
        path
    }

    /// Deletes the file `relative`.
    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove file");
    }

    /// `lantern --index <root>/index`, run in the folder.
    pub fn lantern(&self) -> TestCommand {
        self.lantern_at(&self.index_dir())
    }

    /// `lantern --index INDEX`, run in the folder, on the local engine whatever
    /// `LANTERN_ENGINE` says.
    pub fn lantern_at(&self, index: &Path) -> TestCommand {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lantern"));
        cmd.current_dir(&self.root)
            .env_remove("LANTERN_INDEX")
            .env_remove("LANTERN_ENGINE")
            .arg("--index")
            .arg(index);
        TestCommand::new(cmd)
    }

    /// Runs the whole scenario of the official MCP client (tests/mcp_client.py) against `lantern
    /// mcp` on `index` (an index folder or an engine URL): searching `query`, reading `path`
    /// around `line`, and expecting `documents` in the index. Panics with the client's output
    /// unless every check passed.
    pub fn assert_mcp_client_scenario(
        &self,
        index: impl AsRef<std::ffi::OsStr>,
        query: &str,
        path: &str,
        line: usize,
        documents: usize,
    ) {
        let mut cmd = Command::new("python3");
        cmd.current_dir(&self.root).env_remove("LANTERN_INDEX");
        let output = TestCommand::new(cmd)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp_client.py"))
            .arg(env!("CARGO_BIN_EXE_lantern"))
            .arg(index)
            .arg(query)
            .arg(self.path(path))
            .args([line.to_string(), documents.to_string()])
            .run();
        assert_eq!(
            output.code,
            Some(0),
            "the MCP client's checks failed\n{output}"
        );
        assert!(output.stdout.ends_with("ALL OK\n"), "{output}");
    }

    /// `lantern index ARGS...`, which must succeed; returns its summary line.
    pub fn index(&self, args: &[&str]) -> IndexSummary {
        let output = self.lantern().arg("index").args(args).assert_success();
        IndexSummary::parse(&output.stdout)
    }

    /// `lantern search --format json ARGS...`, which must run and exit 0 when something matched,
    /// 1 when nothing did; returns the parsed document.
    pub fn search_json(&self, args: &[&str]) -> SearchJson {
        let output = self
            .lantern()
            .args(["search", "--format", "json"])
            .args(args)
            .run();
        let tag = |name: &str| {
            args.iter()
                .position(|arg| *arg == name)
                .and_then(|at| args.get(at + 1).copied())
        };
        let marks = (
            tag("--pre-tag").unwrap_or("<b>"),
            tag("--post-tag").unwrap_or("</b>"),
        );
        let results = SearchJson::parse_marked(self, &output.stdout, marks);
        assert_found_status(&output, results.total);
        results
    }

    /// The paths (relative to the folder) of every document a search matches, best first:
    /// copies of one text each a hit (`--no-collapse`).
    pub fn hit_paths(&self, query: &str) -> Vec<String> {
        self.search_json(&[query, "--no-collapse"]).paths()
    }

    /// `lantern status --format json`, which must succeed, parsed.
    pub fn status_json(&self) -> serde_json::Value {
        let output = self
            .lantern()
            .args(["status", "--format", "json"])
            .assert_success();
        serde_json::from_str(&output.stdout)
            .unwrap_or_else(|err| panic!("status is not JSON ({err}):\n{output}"))
    }

    /// `lantern search --color never ARGS...`, which must run and exit 0 when something matched,
    /// 1 when nothing did; returns stdout.
    pub fn search_text(&self, args: &[&str]) -> String {
        let output = self
            .lantern()
            .args(["search", "--color", "never"])
            .args(args)
            .run();
        let total = output
            .stdout
            .split_once(" total matching documents.")
            .and_then(|(total, _)| total.parse().ok())
            .unwrap_or_else(|| panic!("no total line:\n{output}"));
        assert_found_status(&output, total);
        output.stdout
    }
}

/// Asserts a search that matched `total` documents exited as grep does: 0 when something
/// matched, 1 when nothing did.
pub fn assert_found_status(output: &Output, total: u64) {
    let expected = if total > 0 { 0 } else { 1 };
    assert_eq!(
        output.code,
        Some(expected),
        "a search matching {total} documents exits {expected}\n{output}"
    );
}

/// The sorted paths of `paths`, to compare hit sets whose order does not matter.
pub fn sorted(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

/// The user and group id of `nobody`, who unprivileged commands run as.
pub const NOBODY: u32 = 65534;

/// True when the tests run as root, for whom file permissions do not prevent reading.
pub fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("Uid:"))
                .and_then(|line| line.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// `lantern` with no index chosen, not even through `LANTERN_INDEX`: for the commands that need
/// none (`--help`, `--version`, `completions`, `man`).
pub fn lantern() -> TestCommand {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lantern"));
    cmd.env_remove("LANTERN_INDEX");
    TestCommand::new(cmd)
}
