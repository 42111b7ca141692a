//! `lantern search` on a real terminal (a pseudo-terminal made by `script`): hyperlinks and the
//! pager appear there and never in a pipe.

mod util;

use std::process::Command;

use util::{available, Dir, Need};

/// A link to `path` as OSC 8 opens it.
fn link_to(path: &str) -> String {
    format!("\x1b]8;;file://{path}\x1b\\")
}

/// What a pager made of `sed` prints before each line, to show the output went through it.
const PAGED: &str = "paged: ";

/// An indexed folder with one document holding `gecko`.
fn corpus() -> Dir {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a gecko");
    dir.index(&["docs"]);
    dir
}

/// Runs `lantern search ARGS` on a pseudo-terminal with the environment `env` (and `TERM`
/// set, `NO_COLOR` and `LESS` unset): what the terminal shows.
fn on_terminal(dir: &Dir, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!(
        "'{}' --index '{}' search {args}",
        env!("CARGO_BIN_EXE_lantern"),
        dir.index_dir().display()
    );
    let mut script = Command::new("script");
    script
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir.root())
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("PAGER")
        .env_remove("LANTERN_PAGER");
    for (name, value) in env {
        script.env(name, value);
    }
    let output = script.output().expect("run script");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_paths_are_hyperlinks_and_results_go_through_the_pager() {
    if !available(
        Need::Command("script"),
        "on_a_terminal_paths_are_hyperlinks",
    ) {
        return;
    }
    let dir = corpus();
    let path = dir.display("docs/a.txt");
    let pager = format!("sed 's/^/{PAGED}/'");
    let shown = on_terminal(&dir, "gecko", &[("LANTERN_PAGER", &pager)]);
    assert!(shown.contains(&link_to(&path)), "{shown:?}");
    assert!(
        shown.contains(&format!("{PAGED}1 total matching documents.")),
        "{shown:?}"
    );
    assert!(shown.contains(&format!("{PAGED}1. ")), "{shown:?}");

    // --no-pager, or an empty LANTERN_PAGER: straight to the terminal, links kept.
    for (args, env) in [("--no-pager gecko", pager.as_str()), ("gecko", "")] {
        let shown = on_terminal(&dir, args, &[("LANTERN_PAGER", env)]);
        assert!(!shown.contains(PAGED), "{args} {env:?}: {shown:?}");
        assert!(
            shown.starts_with("1 total matching documents."),
            "{shown:?}"
        );
        assert!(shown.contains(&link_to(&path)), "{shown:?}");
    }

    // NO_COLOR and --color never ask for plain text: no colour, no links.
    for (args, env) in [("gecko", "1"), ("--color never gecko", "")] {
        let mut vars = vec![("LANTERN_PAGER", "")];
        if !env.is_empty() {
            vars.push(("NO_COLOR", env));
        }
        let shown = on_terminal(&dir, args, &vars);
        assert!(!shown.contains('\x1b'), "{args}: {shown:?}");
        assert!(shown.contains("a <b>gecko</b>"), "{args}: {shown:?}");
    }
}

#[test]
fn in_a_pipe_there_is_no_pager_and_no_hyperlink() {
    let dir = corpus();
    let piped = dir
        .lantern()
        .args(["search", "gecko"])
        .env("LANTERN_PAGER", format!("sed 's/^/{PAGED}/'"))
        .env("TERM", "xterm-256color")
        .assert_success()
        .stdout;
    assert!(
        piped.starts_with("1 total matching documents."),
        "{piped:?}"
    );
    assert!(!piped.contains(PAGED), "{piped:?}");
    assert!(!piped.contains('\x1b'), "{piped:?}");
}
