//! Queries that cost the most: each must run in bounded memory, and its work must end with its
//! answer, in every front end.

mod util;

use util::{encode, Dir, ServerGuard};

/// The address space a search may use here: far above what these small indexes need (the
/// binary, its threads and the index mapped), far below what an unbounded query takes.
const MEMORY_LIMIT: u64 = 1 << 30;

/// A folder holding a document where `the` is every seventh of 20,000 words (as in English
/// prose), and a few ordinary documents, indexed.
fn repeated_word() -> Dir {
    let dir = Dir::new();
    let others = [
        "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "cat",
    ];
    let words: Vec<&str> = (0..20_000)
        .map(|at| {
            if at % 7 == 0 {
                "the"
            } else {
                others[at % others.len()]
            }
        })
        .collect();
    dir.create("docs/the.txt", words.join(" "));
    dir.create(
        "docs/rust.md",
        "Good error handling in Rust means you handle the error where it happens.",
    );
    dir.create("docs/other.txt", "Handling of errors, elsewhere.");
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    dir
}

/// `"WORD WORD ..."~SLOP`, the word `count` times.
fn repeated_phrase(word: &str, count: usize, slop: u32) -> String {
    format!("\"{}\"~{slop}", vec![word; count].join(" "))
}

#[test]
fn a_sloppy_phrase_of_one_repeated_word_runs_in_bounded_memory() {
    let dir = repeated_word();
    for (count, slop) in [(10, 100), (8, 100_000), (5, 30)] {
        let query = repeated_phrase("the", count, slop);
        let output = dir
            .lantern()
            .memory_limit(MEMORY_LIMIT)
            .args(["search", "--format", "json", &query])
            .assert_success();
        let found = util::SearchJson::parse(&dir, &output.stdout);
        // The document repeats the word: the phrase matches it (and it is marked); the one
        // `the` of another document is not ten.
        assert_eq!(found.paths(), ["docs/the.txt"], "{query}");
        assert!(!found.hits[0].fragments.is_empty(), "{query}");
    }
}

#[test]
fn the_api_answers_a_sloppy_phrase_of_one_repeated_word_in_bounded_memory() {
    let dir = repeated_word();
    let server = ServerGuard::start_command(dir.lantern().memory_limit(MEMORY_LIMIT), &[]);
    let query = repeated_phrase("the", 10, 100_000);
    let (status, found) = server.get_json(&format!("/api/search?q={}", encode(&query)));
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total"], 1, "{found}");
    // Still serving: it was not killed for its memory.
    let (status, _) = server.get_json("/api/search?q=error");
    assert_eq!(status, 200);
}

#[test]
fn ordinary_phrases_keep_their_hits() {
    let dir = repeated_word();
    assert_eq!(dir.hit_paths("\"error handling\"~5"), ["docs/rust.md"]);
    assert_eq!(
        dir.hit_paths("\"error handling in rust\""),
        ["docs/rust.md"]
    );
    // handle, the, error (one position off), where, it, happens (two off): three in all.
    assert_eq!(
        dir.hit_paths("\"handle error happens\"~3"),
        ["docs/rust.md"]
    );
    let none = dir
        .lantern()
        .args(["search", "--format", "json", "\"handle error happens\"~2"])
        .run();
    assert_eq!(util::SearchJson::parse(&dir, &none.stdout).total, 0);
    // Enough slop lets words swap, as in Lucene.
    assert_eq!(dir.hit_paths("\"rust in handling\"~4"), ["docs/rust.md"]);
}

/// The CPU time `pid` has used so far, in clock ticks (user and system, from `/proc/PID/stat`).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc/PID/stat");
    // The fields after the command name (which may hold spaces) in parentheses: utime and
    // stime are the 12th and 13th.
    let after_name = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |at: usize| fields[at].parse::<u64>().expect("a number of ticks");
    ticks(11) + ticks(12)
}

#[test]
fn a_server_stops_working_on_a_search_once_it_answers() {
    let dir = Dir::new();
    // One document of 200,000 `the`: a phrase of a thousand `the` matches from almost every
    // one of them, a thousand words each, far more work than a search's five seconds.
    dir.create("docs/the.txt", vec!["the"; 200_000].join(" "));
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let query = format!("\"{}\"", vec!["the"; 1000].join(" "));
    let (status, body) = server.get(&format!("/api/search?q={}", encode(&query)));
    assert!(status == 200 || status == 503, "{status}: {body}");
    // A moment for the answer's own last steps, then the server must be idle: a search left
    // running would keep a core busy, two seconds of CPU in two (on a loaded machine, at least
    // half of that); an idle server spends next to none.
    // SAFETY: sysconf only reads a system setting.
    let ticks_per_second = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let before = cpu_ticks(server.pid());
    std::thread::sleep(std::time::Duration::from_secs(2));
    let spent = cpu_ticks(server.pid()) - before;
    assert!(
        spent <= ticks_per_second * 2 / 5,
        "the server kept working after answering ({status}): {spent} ticks in 2 s"
    );
}
