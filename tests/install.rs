//! What Lantern offers as an installed command-line tool: shell completions, a manual page and a
//! version that says which commit it was built from. The subcommands, options and values the tests
//! expect are read from the binary's own `-h` output, so a new one is checked without editing them.

mod util;

use std::fs;
use std::path::Path;
use std::process::Command;

use regex::Regex;
use util::{available, lantern, Dir, Need};

/// The lines of the section of `help` under `heading` (such as `Options:`), up to a blank line.
fn help_section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = help
        .lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .collect();
    assert!(!lines.is_empty(), "no {heading:?} section in:\n{help}");
    lines
}

/// `lantern ARGS -h`, which must succeed.
fn short_help(args: &[&str]) -> String {
    lantern().args(args).arg("-h").assert_success().stdout
}

/// The subcommands `lantern -h` lists.
fn subcommands() -> Vec<String> {
    let help = short_help(&[]);
    let names: Vec<String> = help_section(&help, "Commands:")
        .iter()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(names.iter().any(|name| name == "search"), "{help}");
    names
}

/// The options `lantern ARGS -h` lists, as typed: `-n`, `--limit`, ...
fn options(args: &[&str]) -> Vec<String> {
    let help = short_help(args);
    let option = Regex::new(r"^\s+(?:(-\w), )?(--[\w-]+)").expect("valid regex");
    let found: Vec<String> = help_section(&help, "Options:")
        .iter()
        .filter_map(|line| option.captures(line))
        .flat_map(|captures| [captures.get(1), captures.get(2)])
        .flatten()
        .map(|name| name.as_str().to_string())
        .collect();
    assert!(found.iter().any(|name| name == "--help"), "{help}");
    found
}

/// The `[possible values: ...]` that `lantern ARGS -h` lists for the argument whose line starts
/// with `argument` (`--format` or `<SHELL>`).
fn possible_values(args: &[&str], argument: &str) -> Vec<String> {
    let help = short_help(args);
    let line = help
        .lines()
        .find(|line| line.trim_start().starts_with(argument))
        .unwrap_or_else(|| panic!("no {argument} in:\n{help}"));
    let values = Regex::new(r"\[possible values: ([^\]]+)\]")
        .expect("valid regex")
        .captures(line)
        .unwrap_or_else(|| panic!("no possible values for {argument}: {line}"));
    values[1].split(", ").map(str::to_string).collect()
}

/// Whether `word` occurs in `text` on its own, not as part of a longer name.
fn names(text: &str, word: &str) -> bool {
    Regex::new(&format!(r"(^|[^\w-]){}($|[^\w-])", regex::escape(word)))
        .expect("valid regex")
        .is_match(text)
}

#[test]
fn every_shell_gets_a_completion_script_naming_every_subcommand() {
    let shells = possible_values(&["completions"], "<SHELL>");
    assert!(shells.iter().any(|shell| shell == "bash"), "{shells:?}");
    let subcommands = subcommands();
    for shell in &shells {
        let script = lantern()
            .args(["completions", shell])
            .assert_success()
            .stdout;
        assert!(!script.trim().is_empty(), "empty {shell} script");
        for subcommand in &subcommands {
            assert!(
                names(&script, subcommand),
                "the {shell} script does not name {subcommand}"
            );
        }
    }
}

/// What bash offers after `words`, the last being the word under the cursor, with the script of
/// `lantern completions bash` loaded.
fn bash_completions(script: &Path, words: &[&str]) -> Vec<String> {
    let source = fs::read_to_string(script).expect("read the script");
    let function = Regex::new(r"complete -F (\S+)")
        .expect("valid regex")
        .captures(&source)
        .unwrap_or_else(|| panic!("the script registers no function:\n{source}"))[1]
        .to_string();
    // Bash calls a completion function with the command, the current word and the one before.
    let program = format!(
        r#"source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
{function} "$1" "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(program)
        .arg("bash")
        .arg(script)
        .args(words)
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands_options_and_format_values() {
    if !available(
        Need::Command("bash"),
        "bash_completes_subcommands_options_and_format_values",
    ) {
        return;
    }
    let dir = Dir::new();
    let script = lantern()
        .args(["completions", "bash"])
        .assert_success()
        .stdout;
    dir.create("lantern.bash", script);
    let script = dir.path("lantern.bash");

    let offered = bash_completions(&script, &["lantern", ""]);
    for subcommand in subcommands() {
        assert!(offered.contains(&subcommand), "{subcommand}: {offered:?}");
    }

    let offered = bash_completions(&script, &["lantern", "search", "--"]);
    for option in options(&["search"]) {
        if option.starts_with("--") {
            assert!(offered.contains(&option), "{option}: {offered:?}");
        }
    }

    let offered = bash_completions(&script, &["lantern", "search", "--format", ""]);
    assert_eq!(offered, possible_values(&["search"], "--format"));
}

/// The manual page as a reader sees its words: roff's font changes and escapes undone, the
/// sections split at each `.SH` heading into the heading and their text lines.
fn manual_sections() -> Vec<(String, Vec<String>)> {
    let page = lantern().arg("man").assert_success().stdout;
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in page.lines() {
        let line = line
            .replace(r"\fB", "")
            .replace(r"\fI", "")
            .replace(r"\fR", "")
            .replace(r"\*(Aq", "'")
            .replace(r"\-", "-")
            .replace(r"\\", r"\");
        if let Some(heading) = line.strip_prefix(".SH ") {
            sections.push((heading.trim_matches('"').to_string(), Vec::new()));
        } else if !line.starts_with('.') {
            if let Some((_, text)) = sections.last_mut() {
                text.push(line);
            }
        }
    }
    assert!(!sections.is_empty(), "no sections in:\n{page}");
    sections
}

/// The text lines of the section headed `heading`.
fn manual_section<'a>(sections: &'a [(String, Vec<String>)], heading: &str) -> &'a [String] {
    let headings: Vec<&String> = sections.iter().map(|(heading, _)| heading).collect();
    &sections
        .iter()
        .find(|(found, _)| found == heading)
        .unwrap_or_else(|| panic!("no {heading} section among {headings:?}"))
        .1
}

#[test]
fn the_manual_page_names_every_option_of_every_subcommand() {
    let sections = manual_sections();
    let global = manual_section(&sections, "OPTIONS").join("\n");
    for option in options(&[]) {
        assert!(names(&global, &option), "OPTIONS lacks {option}");
    }
    // `lantern help` is clap's own and repeats what the page says; every other subcommand has
    // its options under a heading of its own.
    for subcommand in subcommands().iter().filter(|name| *name != "help") {
        let heading = format!("LANTERN {} OPTIONS", subcommand.to_uppercase());
        let text = manual_section(&sections, &heading).join("\n");
        for option in options(&[subcommand.as_str()]) {
            assert!(names(&text, &option), "{heading} lacks {option}");
        }
    }
}

#[test]
fn the_manual_page_explains_queries_formats_exit_status_and_environment() {
    let sections = manual_sections();

    // The same text as `lantern search -h` shows, line for line.
    let help = short_help(&["search"]);
    let syntax: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Query syntax"))
        .take_while(|line| !line.is_empty())
        .collect();
    assert!(syntax.len() > 5, "no query syntax in:\n{help}");
    assert_eq!(manual_section(&sections, "QUERY SYNTAX"), syntax);

    let formats = manual_section(&sections, "OUTPUT FORMATS").join("\n");
    for format in possible_values(&["search"], "--format") {
        assert!(
            formats.contains(&format!("--format {format}")),
            "{format} is not described:\n{formats}"
        );
    }

    let exit_status = manual_section(&sections, "EXIT STATUS");
    for code in ["0", "1", "2"] {
        assert!(
            exit_status.iter().any(|line| line == code),
            "exit status {code} is not described: {exit_status:?}"
        );
    }
    // As grep and ripgrep: a search that finds nothing exits 1, and both the manual and the
    // help say so.
    assert!(
        exit_status.join(" ").contains("search found nothing"),
        "{exit_status:?}"
    );
    assert!(
        help.contains("Exit status: 0 when something matched, 1 when nothing did"),
        "{help}"
    );

    let environment = manual_section(&sections, "ENVIRONMENT").join("\n");
    let variables: Vec<String> = Regex::new(r"\[env: (\w+)=")
        .expect("valid regex")
        .captures_iter(&short_help(&[]))
        .map(|captures| captures[1].to_string())
        .collect();
    assert!(variables.contains(&"LANTERN_INDEX".to_string()));
    for variable in variables {
        assert!(
            names(&environment, &variable),
            "{variable} is not described"
        );
    }
}

/// `git ARGS` in the package's folder: its trimmed output, or `None` if git cannot run or fails.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

#[test]
fn version_names_the_package_and_the_commit_it_was_built_from() {
    let version = lantern().arg("--version").assert_success().stdout;
    let package = format!("lantern {}", env!("CARGO_PKG_VERSION"));
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists();
    let commit = git(&["rev-parse", "--short", "HEAD"]).filter(|_| checkout);
    match commit {
        Some(hash) => {
            let date = git(&["log", "-1", "--format=%cd", "--date=short"]).expect("commit date");
            // Whether the sources were dirty when the binary was built cannot be told from here.
            let expected = format!(
                r"^{} \(commit {}(-dirty)?, {}\)\n$",
                regex::escape(&package),
                regex::escape(&hash),
                regex::escape(&date)
            );
            assert!(
                Regex::new(&expected)
                    .expect("valid regex")
                    .is_match(&version),
                "{version:?} does not match {expected}"
            );
        }
        None => assert_eq!(
            version,
            format!("{package} (not built from a git checkout)\n")
        ),
    }
    assert_eq!(lantern().arg("-V").assert_success().stdout, version);
}

/// The build script looks at git without writing: `git status` would otherwise refresh the stat
/// cache in `.git/index`, a file the script watches, and the README's second `cargo run` would
/// run the script and compile the crate a second time for nothing.
#[test]
fn the_build_script_leaves_the_git_index_it_watches_untouched() {
    let test = "the_build_script_leaves_the_git_index_it_watches_untouched";
    if !available(Need::Command("git"), test) {
        return;
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !source.join(".git").exists() {
        return;
    }
    let dir = Dir::new();
    let checkout = dir.path("checkout");
    let cloned = Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(source)
        .arg(&checkout)
        .status()
        .is_ok_and(|status| status.success());
    assert!(cloned, "git clone of {}", source.display());
    // A file whose stat no longer matches the index, as after a copy: `git status` would refresh
    // its entry and rewrite the index.
    let cargo_toml = checkout.join("Cargo.toml");
    let contents = fs::read(&cargo_toml).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    fs::write(&cargo_toml, contents).unwrap();

    let script = dir.path("build-script");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let compiled = Command::new(rustc)
        .args(["--edition", "2021", "-O", "-o"])
        .arg(&script)
        .arg(source.join("build.rs"))
        .output()
        .expect("run rustc");
    assert!(compiled.status.success(), "{compiled:?}");

    let index = checkout.join(".git/index");
    let before = fs::read(&index).unwrap();
    let modified = fs::metadata(&index).unwrap().modified().unwrap();
    let output = Command::new(&script)
        .env("CARGO_MANIFEST_DIR", &checkout)
        .env("CARGO_PKG_VERSION", "0.0.0")
        .output()
        .expect("run the build script");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains(&format!("cargo:rerun-if-changed={}", index.display())),
        "the script watches the index: {printed}"
    );
    assert!(
        printed.contains("LANTERN_BUILD_VERSION=0.0.0 (commit "),
        "{printed}"
    );
    assert_eq!(fs::metadata(&index).unwrap().modified().unwrap(), modified);
    assert!(
        fs::read(&index).unwrap() == before,
        "the git index was rewritten"
    );
}
