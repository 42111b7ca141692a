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
