//! What some tests need from the machine (a browser, poppler, the MCP client SDK, root, a few
//! commands), in one place: a test asks [`available`] and returns early when it says no.
//!
//! On a newcomer's machine a missing need skips the test visibly: a `SKIPPED` line is written
//! straight to the terminal (the test harness captures `eprintln!`, not direct writes), and a
//! record is left for `tests/skip_report.rs`, which cargo runs last and which lists every skipped
//! test and the one command that runs them all. In CI, `.ci/run` installs everything and sets the
//! need's variable, which turns a missing need into a failure.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The command that installs every need and runs the whole suite with none skipped.
pub const RUN_EVERYTHING: &str = "sudo bash .ci/run";

/// Something a test needs that a machine may lack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Headless Chromium and chromedriver, for the browser tests.
    Browser,
    /// poppler's `pdftotext`, for the opt-in PDF extractor.
    Pdftotext,
    /// python3 with the official MCP client SDK.
    McpClient,
    /// Root, to mount small file systems and run commands as another user.
    Root,
    /// A command of a usual Unix machine (`mkfifo`, `git`, `bash`, `script` for a terminal).
    Command(&'static str),
    /// A running OpenSearch cluster whose URL is in [`OPENSEARCH_URL_VARIABLE`].
    OpenSearch,
}

/// The variable holding the URL of the test OpenSearch cluster (`http://127.0.0.1:19200`), as
/// `.ci/run` sets it after starting `tools/opensearch-cluster/start`.
pub const OPENSEARCH_URL_VARIABLE: &str = "LANTERN_TEST_OPENSEARCH";

/// The URL of the test OpenSearch cluster, when one is named.
pub fn opensearch_url() -> Option<String> {
    std::env::var(OPENSEARCH_URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Where Chromium and chromedriver are looked for, as Debian installs them.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

impl Need {
    /// The needs a skip record can name, to read one back.
    const NAMED: [Need; 9] = [
        Need::Browser,
        Need::Pdftotext,
        Need::McpClient,
        Need::Root,
        Need::Command("mkfifo"),
        Need::Command("git"),
        Need::Command("bash"),
        Need::Command("script"),
        Need::OpenSearch,
    ];

    /// What the need is, in a few words.
    pub fn name(self) -> String {
        match self {
            Need::Browser => format!("{CHROMIUM} and {CHROMEDRIVER}"),
            Need::Pdftotext => "pdftotext".to_string(),
            Need::McpClient => "python3 with the MCP client SDK".to_string(),
            Need::Root => "root".to_string(),
            Need::Command(command) => format!("the command {command}"),
            Need::OpenSearch => format!("an OpenSearch cluster named in {OPENSEARCH_URL_VARIABLE}"),
        }
    }

    /// How to provide it alone.
    fn remedy(self) -> &'static str {
        match self {
            Need::Browser => "apt-get install chromium chromium-driver",
            Need::Pdftotext => "apt-get install poppler-utils",
            Need::McpClient => "pip install mcp==2.3.0",
            Need::Root => "run the tests as root",
            Need::Command("git") => "apt-get install git",
            Need::Command("script") => "apt-get install bsdutils",
            Need::Command(_) => "apt-get install coreutils bash",
            Need::OpenSearch => {
                "start one with `tools/opensearch-cluster/start DIR` (Java 17 and Maven) and set \
                 LANTERN_TEST_OPENSEARCH to the URL it prints"
            }
        }
    }

    /// The variable that makes the need required, as `.ci/run` sets it.
    fn variable(self) -> &'static str {
        match self {
            Need::Browser => "LANTERN_REQUIRE_BROWSER",
            Need::Pdftotext => "LANTERN_REQUIRE_PDFTOTEXT",
            Need::McpClient => "LANTERN_REQUIRE_MCP_CLIENT",
            Need::Root => "LANTERN_REQUIRE_ROOT_TESTS",
            Need::Command(_) => "LANTERN_REQUIRE_COMMANDS",
            Need::OpenSearch => "LANTERN_REQUIRE_OPENSEARCH",
        }
    }

    /// True when this machine meets the need.
    pub fn is_met(self) -> bool {
        match self {
            Need::Browser => Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            Need::Pdftotext => runs("pdftotext", &["-v"]),
            Need::McpClient => runs("python3", &["-c", "import mcp"]),
            Need::Root => super::running_as_root(),
            Need::Command(command) => runs("sh", &["-c", &format!("command -v {command}")]),
            Need::OpenSearch => opensearch_url().is_some_and(|url| cluster_answers(&url)),
        }
    }
}

/// True when the cluster at `url` answers its health request with green or yellow.
fn cluster_answers(url: &str) -> bool {
    ureq::get(&format!("{url}/_cluster/health"))
        .timeout(std::time::Duration::from_secs(10))
        .call()
        .ok()
        .and_then(|response| response.into_string().ok())
        .is_some_and(|body| !body.contains("\"status\":\"red\""))
}

/// True when `program ARGS` runs and succeeds.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// True when the machine meets `need`, for the test `test` (its function name). Otherwise the
/// test fails if the need's variable is set (CI), and else is recorded as skipped, with a line on
/// the terminal, and this returns false: the test should return at once.
pub fn available(need: Need, test: &str) -> bool {
    if need.is_met() {
        forget_skip(test);
        return true;
    }
    skip(need, test, &format!("{} is missing", need.name()));
    false
}

/// Skips `test` because of `need`, for `why` (when a need is there but does not work, e.g. root
/// that cannot mount a file system): fails instead if the need's variable is set (CI).
pub fn skip(need: Need, test: &str, why: &str) {
    assert!(
        std::env::var_os(need.variable()).is_none(),
        "{test}: {why}, and {} is set: {}",
        need.variable(),
        need.remedy()
    );
    let line = format!("SKIPPED {test}: {why} ({})\n", need.remedy());
    // Straight to the terminal: the harness captures only the print macros.
    let _ = std::io::stderr().write_all(line.as_bytes());
    let record = record_path(test);
    let _ = fs::create_dir_all(record.parent().unwrap_or(Path::new(".")));
    let _ = fs::write(record, format!("{}\n{why}\n", need.name()));
}

/// Removes the skip record of `test`, which now runs.
fn forget_skip(test: &str) {
    let _ = fs::remove_file(record_path(test));
}

/// The folder of skip records, shared by every test binary of this package.
pub fn records_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests")
}

/// Where the skip record of `test` is kept.
fn record_path(test: &str) -> PathBuf {
    records_dir().join(test)
}

/// A test that was skipped when it last ran, and why.
pub struct SkippedTest {
    /// The test's function name.
    pub test: String,
    /// Why it was skipped.
    pub why: String,
    /// What it needs, in a few words.
    pub need: String,
}

/// The tests skipped when they last ran, whose need this machine still lacks (a record left
/// before a tool was installed is dropped), sorted by name.
pub fn skipped_tests() -> Vec<SkippedTest> {
    let Ok(entries) = fs::read_dir(records_dir()) else {
        return Vec::new();
    };
    let mut skipped: Vec<SkippedTest> = entries
        .flatten()
        .filter_map(|entry| {
            let text = fs::read_to_string(entry.path()).ok()?;
            let mut lines = text.lines();
            let need = lines.next()?.to_string();
            let why = lines.next().unwrap_or_default().to_string();
            let still_missing = Need::NAMED
                .iter()
                .find(|named| named.name() == need)
                .is_none_or(|named| !named.is_met() || *named == Need::Root);
            if !still_missing {
                let _ = fs::remove_file(entry.path());
                return None;
            }
            Some(SkippedTest {
                test: entry.file_name().to_string_lossy().into_owned(),
                why,
                need,
            })
        })
        .collect();
    skipped.sort_by(|a, b| a.test.cmp(&b.test));
    skipped
}
