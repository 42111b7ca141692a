//! The command line itself: usage errors and their exit status, and output cut short by a closed
//! pipe (`lantern search x | head`).

mod util;

use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use util::{Dir, HANG_LIMIT};

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "aardwolf");
    dir.index(&["docs"]);
    for (args, says) in [
        (&["search", "--bogus", "aardwolf"][..], &["--bogus"][..]),
        (&["search"], &["required", "<QUERY>"]),
        (
            &["search", "--limit", "abc", "aardwolf"],
            &["abc", "--limit"],
        ),
        (&["frobnicate"], &["frobnicate", "subcommand"]),
        (&["index", "--threads", "-3", "docs"], &["-3"]),
    ] {
        let output = dir.lantern().args(args).assert_exit(2);
        for word in says {
            assert!(output.stderr.contains(word), "{args:?}: {output}");
        }
        assert!(
            output.stderr.contains("Usage") || output.stderr.contains("--help"),
            "{args:?}: {output}"
        );
        assert_eq!(output.stdout, "", "{args:?}: {output}");
    }
    // None of them touched the index.
    assert_eq!(dir.hit_paths("aardwolf"), ["docs/a.txt"]);
}

#[test]
fn a_reader_that_stops_early_ends_the_search_quietly() {
    let dir = Dir::new();
    // Far more output than a pipe holds (1 MiB at most on Linux): 20 hits of 100 fragments of
    // about 3,000 characters each.
    let paragraph = format!("bandicoot {}\n", "filler ".repeat(450));
    for file in 0..20 {
        dir.create(&format!("docs/f{file:02}.txt"), paragraph.repeat(100));
    }
    dir.index(&["docs"]);
    let mut search = dir
        .lantern()
        .args([
            "search",
            "--timeout",
            "0",
            "--fragments",
            "100",
            "--fragment-chars",
            "3000",
            "bandicoot",
        ])
        .spawn_piped();
    let mut stdout = BufReader::new(search.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("read the first line");
    assert_eq!(first, "20 total matching documents.\n");
    drop(stdout);

    let mut stderr = String::new();
    let reader = std::thread::spawn({
        let mut pipe = search.stderr.take().expect("stderr");
        move || {
            pipe.read_to_string(&mut stderr).expect("read stderr");
            stderr
        }
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = search.try_wait().expect("wait for lantern") {
            break status;
        }
        assert!(started.elapsed() < HANG_LIMIT, "lantern hung");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let stderr = reader.join().expect("stderr reader");
    assert_eq!(status.code(), Some(0), "{status:?}, stderr: {stderr}");
    assert_eq!(stderr, "");
}
