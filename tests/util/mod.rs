//! Helpers for the end-to-end tests: a temporary folder to put documents in, a wrapper that runs the
//! real `lantern` binary against an index inside that folder, and checks on what it prints.
//!
//! Each test file includes this module with `mod util;`; not every file uses every helper.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

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

    /// Creates (or overwrites) the file `relative` with `contents`, creating its folders.
    pub fn create(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&path, contents).unwrap_or_else(|err| panic!("write {}: {err}", path.display()));
    }

    /// Deletes the file `relative`.
    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove file");
    }

    /// `lantern --index <root>/index`, run in the folder.
    pub fn lantern(&self) -> TestCommand {
        let mut command = lantern();
        command
            .cmd
            .current_dir(&self.root)
            .arg("--index")
            .arg(self.index_dir());
        command
    }

    /// `lantern index ARGS...`, which must succeed; returns its summary line.
    pub fn index(&self, args: &[&str]) -> IndexSummary {
        let output = self.lantern().arg("index").args(args).assert_success();
        IndexSummary::parse(&output.stdout)
    }

    /// `lantern search --format json ARGS...`, which must succeed; returns the parsed document.
    pub fn search_json(&self, args: &[&str]) -> SearchJson {
        let output = self
            .lantern()
            .args(["search", "--format", "json"])
            .args(args)
            .assert_success();
        SearchJson::parse(self, &output.stdout)
    }

    /// The hit paths (relative to the folder) of a search, best first.
    pub fn hit_paths(&self, query: &str) -> Vec<String> {
        self.search_json(&[query]).paths()
    }

    /// `lantern search --color never ARGS...`, which must succeed; returns stdout.
    pub fn search_text(&self, args: &[&str]) -> String {
        self.lantern()
            .args(["search", "--color", "never"])
            .args(args)
            .assert_success()
            .stdout
    }
}

/// `lantern` with no index chosen, not even through `LANTERN_INDEX`: for the commands that need
/// none (`--help`, `--version`, `completions`, `man`).
pub fn lantern() -> TestCommand {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lantern"));
    cmd.env_remove("LANTERN_INDEX");
    TestCommand { cmd }
}

/// A `lantern` command line being built.
pub struct TestCommand {
    cmd: Command,
}

impl TestCommand {
    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> TestCommand {
        self.cmd.arg(arg);
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> TestCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Runs the command to the end. Whatever the outcome, it must not have panicked.
    pub fn run(mut self) -> Output {
        let output = self.cmd.output().expect("run lantern");
        let output = Output {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        };
        assert!(
            !output.stderr.contains("panicked"),
            "lantern panicked:\n{output}"
        );
        output
    }

    /// Runs the command, which must exit 0.
    pub fn assert_success(self) -> Output {
        self.assert_exit(0)
    }

    /// Runs the command, which must exit with `code`.
    pub fn assert_exit(self, code: i32) -> Output {
        let description = format!("{:?}", self.cmd);
        let output = self.run();
        assert_eq!(
            output.code,
            Some(code),
            "unexpected exit status of {description}\n{output}"
        );
        output
    }

    /// Starts the command in the background, its output discarded.
    pub fn spawn(mut self) -> Child {
        self.cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start lantern")
    }
}

/// What a finished command did.
#[derive(Debug)]
pub struct Output {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The numbers of the summary line that ends every `lantern index` run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexSummary {
    pub indexed: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub binary: u64,
    pub too_large: u64,
    pub unreadable: u64,
    pub lossy: u64,
}

impl IndexSummary {
    /// Reads the summary line out of `index`'s stdout.
    pub fn parse(stdout: &str) -> IndexSummary {
        let pattern = regex::Regex::new(
            r"^indexed (\d+) files \((\d+) added, (\d+) updated, (\d+) removed, (\d+) unchanged\); skipped (\d+) \((\d+) binary, (\d+) too large, (\d+) unreadable\); (\d+) with invalid UTF-8 replaced; [\d.]+ MB in [\d.]+ s \([\d.]+ MB/s\)$",
        )
        .expect("valid regex");
        let line = stdout.lines().last().unwrap_or_default();
        let numbers = pattern
            .captures(line)
            .unwrap_or_else(|| panic!("not a summary line: {stdout:?}"));
        let n = |i: usize| numbers[i].parse::<u64>().expect("a number");
        IndexSummary {
            indexed: n(1),
            added: n(2),
            updated: n(3),
            removed: n(4),
            unchanged: n(5),
            skipped: n(6),
            binary: n(7),
            too_large: n(8),
            unreadable: n(9),
            lossy: n(10),
        }
    }
}

/// The JSON output of `lantern search --format json`, checked against the documented schema.
#[derive(Debug)]
pub struct SearchJson {
    pub total: u64,
    pub hits: Vec<JsonHit>,
    pub raw: Value,
}

/// One hit of the JSON output, its path relative to the test folder.
#[derive(Debug, Clone)]
pub struct JsonHit {
    pub rank: u64,
    pub score: f64,
    pub path: String,
    pub marked_path: String,
    pub fragments: Vec<String>,
    pub snippet: String,
}

impl SearchJson {
    /// Parses `stdout`, asserting it follows the schema exactly.
    pub fn parse(dir: &Dir, stdout: &str) -> SearchJson {
        let raw: Value = serde_json::from_str(stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{stdout}"));
        assert_keys(&raw, &["query", "total", "elapsed_ms", "hits"]);
        assert!(raw["query"].is_string(), "query is a string: {raw}");
        let total = raw["total"].as_u64().expect("total is an integer");
        let elapsed = raw["elapsed_ms"].as_f64().expect("elapsed_ms is a number");
        assert!(elapsed >= 0.0);
        let hits: Vec<JsonHit> = raw["hits"]
            .as_array()
            .expect("hits is an array")
            .iter()
            .map(|hit| {
                assert_keys(
                    hit,
                    &[
                        "rank",
                        "score",
                        "path",
                        "marked_path",
                        "fragments",
                        "snippet",
                    ],
                );
                let string = |key: &str| {
                    hit[key]
                        .as_str()
                        .unwrap_or_else(|| panic!("{key} is a string: {hit}"))
                        .to_string()
                };
                let path = string("path");
                assert!(path.starts_with('/'), "path is absolute: {path}");
                JsonHit {
                    rank: hit["rank"].as_u64().expect("rank is an integer"),
                    score: hit["score"].as_f64().expect("score is a number"),
                    path: dir.relative(&path),
                    marked_path: string("marked_path"),
                    fragments: hit["fragments"]
                        .as_array()
                        .expect("fragments is an array")
                        .iter()
                        .map(|f| f.as_str().expect("a fragment is a string").to_string())
                        .collect(),
                    snippet: string("snippet"),
                }
            })
            .collect();
        assert!(
            hits.len() as u64 <= total,
            "more hits than the total: {raw}"
        );
        for (i, hit) in hits.iter().enumerate() {
            assert_eq!(hit.rank, i as u64 + 1, "ranks count from 1: {raw}");
            assert_eq!(hit.snippet, hit.fragments.join("..."), "snippet: {raw}");
        }
        for pair in hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "best first: {raw}");
        }
        SearchJson { total, hits, raw }
    }

    /// The hit paths, best first.
    pub fn paths(&self) -> Vec<String> {
        self.hits.iter().map(|hit| hit.path.clone()).collect()
    }

    /// The hit for `path`.
    pub fn hit(&self, path: &str) -> &JsonHit {
        self.hits
            .iter()
            .find(|hit| hit.path == path)
            .unwrap_or_else(|| panic!("no hit for {path} in {}", self.raw))
    }
}

/// Asserts `value` is an object with exactly these keys.
pub fn assert_keys(value: &Value, keys: &[&str]) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"));
    let mut found: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut expected = keys.to_vec();
    found.sort_unstable();
    expected.sort_unstable();
    assert_eq!(found, expected, "keys of {value}");
}

/// The text a reader sees in marked, escaped output: tags removed, entities decoded.
pub fn visible_text(marked: &str, pre: &str, post: &str) -> String {
    let untagged = marked.replace(pre, "").replace(post, "");
    html_escape::decode_html_entities(&untagged).into_owned()
}

/// The sorted paths of `paths`, to compare hit sets whose order does not matter.
pub fn sorted(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

/// Asserts `page` is a complete HTML5 page whose tags balance: a doctype, `html`, `head` with a
/// `title`, `body`; every non-void element closed in order; attribute values quoted; no `&` that
/// does not start an entity; no `<script>`. (A strict structural check, stricter than what a
/// forgiving HTML5 parser would accept.)
pub fn assert_well_formed_html(page: &str) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let trimmed = page.trim_start();
    assert!(
        trimmed.to_ascii_lowercase().starts_with("<!doctype html>"),
        "no doctype:\n{page}"
    );
    let mut open: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut rest = trimmed;
    while let Some(start) = rest.find(['<', '&']) {
        let tail = &rest[start..];
        if let Some(after) = tail.strip_prefix('&') {
            let near: String = tail.chars().take(40).collect();
            let name = &after[..after
                .find(';')
                .unwrap_or_else(|| panic!("raw '&' in text near {near:?}"))];
            let valid = !name.is_empty()
                && (name.chars().all(|c| c.is_ascii_alphanumeric())
                    || name
                        .strip_prefix('#')
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_alphanumeric())));
            assert!(valid, "raw '&' in text near {near:?}");
            rest = after;
            continue;
        }
        let end = tag_end(tail).unwrap_or_else(|| panic!("unterminated tag: {tail:.40}"));
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            let expected = open.pop();
            assert_eq!(
                expected.as_deref(),
                Some(name.as_str()),
                "</{name}> closes the wrong element"
            );
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(!name.is_empty(), "not a tag: <{tag}>");
        assert_ne!(name, "script", "a <script> element in the page");
        seen.push(name.clone());
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            // Raw text up to </style>.
            let close = rest.find("</style>").expect("<style> is closed");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        open.push(name);
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    for required in ["html", "head", "title", "body"] {
        assert!(
            seen.iter().any(|name| name == required),
            "no <{required}> in the page"
        );
    }
}

/// The index of the `>` ending the tag that starts `tag`, skipping quoted attribute values; panics
/// on an unquoted attribute value containing a character that would need quotes.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => panic!("'<' inside a tag: {:.60}", tag),
            (None, '>') => return Some(i),
            (None, _) => {}
        }
    }
    None
}

/// The element text of the first `<tag ...>...</tag>` in `page` (tags inside kept).
pub fn element<'a>(page: &'a str, tag: &str) -> &'a str {
    let open = page
        .find(&format!("<{tag}"))
        .unwrap_or_else(|| panic!("no <{tag}> in page"));
    let content = open + page[open..].find('>').expect("tag ends") + 1;
    let close = content
        + page[content..]
            .find(&format!("</{tag}>"))
            .unwrap_or_else(|| panic!("no </{tag}> in page"));
    &page[content..close]
}

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
