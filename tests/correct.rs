//! Spelling correction and lenient queries on the command line: a misspelled word is replaced
//! by the index's own nearest word (and stderr says so), a good word never is, and a query that
//! is not valid syntax is refused unless `--lenient` searches its words.

mod util;

use util::Dir;

/// Six documents about the kernel's scheduler, one about rust, five that must, and filler
/// documents so that no word of a few documents is common.
fn corpus() -> Dir {
    let dir = Dir::new();
    for n in 0..6 {
        dir.create(
            &format!("docs/sched{n}.txt"),
            format!("the kernel scheduler picks task {n}"),
        );
    }
    dir.create("docs/rust.txt", "rust on old iron");
    for n in 0..5 {
        dir.create(
            &format!("docs/must{n}.txt"),
            format!("you must read note {n}"),
        );
    }
    for n in 0..60 {
        dir.create(
            &format!("docs/filler{n}.txt"),
            format!("plain filler page {n}"),
        );
    }
    dir.index(&["docs"]);
    dir
}

#[test]
fn a_misspelled_word_is_corrected_and_the_correction_said_on_stderr() {
    let dir = corpus();
    let output = dir
        .lantern()
        .args(["search", "--color", "never", "kernl"])
        .assert_success();
    assert!(
        output.stdout.starts_with("6 total matching documents."),
        "{output}"
    );
    assert!(output.stdout.contains("<b>kernel</b>"), "{output}");
    assert!(
        !output.stdout.contains("kernl"),
        "stdout is the hits alone: {output}"
    );
    assert!(
        output
            .stderr
            .contains("showing results for kernel; search instead for kernl with --no-correct"),
        "{output}"
    );

    let json = dir.search_json(&["kernl"]);
    assert_eq!(json.total, 6);
    assert_eq!(json.corrected_query.as_deref(), Some("kernel"));
    assert_eq!(json.raw["original_query"], "kernl");
    assert_eq!(json.raw["query"], "kernl");
}

#[test]
fn two_misspelled_words_make_one_correction() {
    let dir = corpus();
    let json = dir.search_json(&["--and", "kernl shceduler"]);
    assert_eq!(json.corrected_query.as_deref(), Some("kernel scheduler"));
    assert_eq!(json.total, 6);
    // Operators, other words and excluded words stay as typed.
    let json = dir.search_json(&["kernl AND task -shceduler"]);
    assert_eq!(
        json.corrected_query.as_deref(),
        Some("kernel AND task -shceduler")
    );
}

#[test]
fn good_words_are_never_corrected_even_rare_ones() {
    let dir = corpus();
    // `rust` is in one document, one edit from `must` in five: a real word, searched as typed.
    let json = dir.search_json(&["rust"]);
    assert_eq!(json.paths(), ["docs/rust.txt"]);
    assert_eq!(json.corrected_query, None);
    assert_eq!(json.suggested_query, None);
    let output = dir
        .lantern()
        .args(["search", "kernel scheduler"])
        .assert_success();
    assert_eq!(output.stderr, "", "{output}");
}

#[test]
fn only_index_words_are_offered() {
    let dir = corpus();
    // Nothing in the index is near: no correction, nothing found.
    let output = dir.lantern().args(["search", "xylophone"]).assert_exit(1);
    assert_eq!(output.stderr, "", "{output}");
    // Phrases mean what they say, patterns say how far to look: neither is corrected.
    for query in ["\"kernl\"", "kernl*", "kernl~1", "path:kernl"] {
        let json = dir.search_json(&[query]);
        assert_eq!(json.corrected_query, None, "{query}");
    }
    // A correction is a word of the index, which finds the documents holding it.
    let json = dir.search_json(&["fillr"]);
    assert_eq!(json.corrected_query.as_deref(), Some("filler"));
    assert_eq!(json.total, 60);
}

#[test]
fn no_correct_searches_the_query_as_written() {
    let dir = corpus();
    let output = dir
        .lantern()
        .args(["search", "--no-correct", "kernl"])
        .assert_exit(1);
    assert!(
        output.stdout.starts_with("0 total matching documents."),
        "{output}"
    );
    assert_eq!(output.stderr, "", "{output}");
    let json = dir.search_json(&["--no-correct", "kernl"]);
    assert_eq!((json.total, json.corrected_query), (0, None));
}

#[test]
fn a_word_far_rarer_than_its_neighbour_gets_a_suggestion_when_it_finds_few() {
    let dir = Dir::new();
    for n in 0..150 {
        dir.create(&format!("docs/r{n}.txt"), format!("we receive packet {n}"));
    }
    dir.create("docs/typo.txt", "we recieve one");
    for n in 0..6 {
        dir.create(&format!("docs/c{n}.txt"), format!("a signl here {n}"));
    }
    dir.create("docs/signal.txt", "the signal");
    dir.index(&["docs"]);
    // 1 document against 150: the query's own hit, and a suggestion.
    let json = dir.search_json(&["recieve"]);
    assert_eq!(json.corrected_query, None);
    assert_eq!(json.suggested_query.as_deref(), Some("receive"));
    assert_eq!(json.paths(), ["docs/typo.txt"]);
    let output = dir.lantern().args(["search", "recieve"]).assert_success();
    assert!(output.stderr.contains("did you mean receive?"), "{output}");
    // A query with enough hits gets none.
    let json = dir.search_json(&["recieve packet"]);
    assert_eq!(json.suggested_query, None);
    // 1 document against 6 the other way: a word used less than its neighbour is no typo
    // unless far less.
    let json = dir.search_json(&["signal"]);
    assert_eq!((json.corrected_query, json.suggested_query), (None, None));
}

#[test]
fn a_malformed_query_exits_2_unless_lenient() {
    let dir = corpus();
    let output = dir
        .lantern()
        .args(["search", "--", "--kernel scheduler"])
        .assert_exit(2);
    assert!(
        output.stderr.contains("expected a clause after '-'"),
        "{output}"
    );
    assert!(output.stderr.contains("--kernel scheduler\n^"), "{output}");

    let output = dir
        .lantern()
        .args([
            "search",
            "--lenient",
            "--color",
            "never",
            "--",
            "--kernel scheduler",
        ])
        .assert_success();
    assert!(
        output.stdout.starts_with("6 total matching documents."),
        "{output}"
    );
    assert!(
        output.stderr.contains("expected a clause after '-'"),
        "{output}"
    );
    assert!(output.stderr.contains("--kernel scheduler\n^"), "{output}");

    let json = dir.search_json(&["--lenient", "--", "--kernel scheduler"]);
    assert_eq!(json.total, 6);
    let (message, position) = json.syntax_error.expect("the syntax error");
    assert_eq!(
        (message.as_str(), position),
        ("expected a clause after '-'", 0)
    );
    // Nothing but syntax: still refused.
    dir.lantern()
        .args(["search", "--lenient", "--", "+ -"])
        .assert_exit(2);
}

#[test]
fn a_word_of_a_title_only_is_a_real_word() {
    let dir = Dir::new();
    dir.create(
        "docs/page.html",
        "<html><head><title>Quokka facts</title></head><body><p>The animal lives on an island.</p></body></html>",
    );
    dir.create("docs/many.txt", "quokkas everywhere");
    dir.index(&["docs"]);
    let json = dir.search_json(&["quokka"]);
    assert_eq!(json.corrected_query, None);
    // The title's word as typed first, then its plural in the other text (stemming).
    assert_eq!(json.paths(), ["docs/page.html", "docs/many.txt"]);
}
