//! Stemming end to end: an unquoted word finds every form with its stem, marked like an exact
//! match; the form as typed ranks first; quoted text means exact forms; the language is chosen
//! per index, recorded and shown.

mod util;

use util::Dir;

/// Texts with forms of `thread`, of the same length so that only the form decides the order.
fn threads_corpus(language: Option<&str>) -> Dir {
    let dir = Dir::new();
    dir.create("docs/plural.txt", "Two threads share one lock here.");
    dir.create("docs/singular.txt", "One thread holds one lock here.");
    dir.create("docs/verb.txt", "She threaded the needle quickly.");
    dir.create("docs/other.txt", "Nothing about locking at all.");
    let mut args = vec!["docs"];
    if let Some(language) = language {
        args.extend(["--language", language]);
    }
    dir.index(&args);
    dir
}

#[test]
fn an_unquoted_word_finds_every_form_with_the_exact_form_first() {
    let dir = threads_corpus(None);
    let paths = dir.hit_paths("threads");
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(paths[0], "docs/plural.txt");
    let paths = dir.hit_paths("thread");
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(paths[0], "docs/singular.txt");
    let paths = dir.hit_paths("threaded");
    assert_eq!(paths[0], "docs/verb.txt");
}

#[test]
fn stemmed_matches_are_marked_like_exact_ones() {
    let dir = threads_corpus(None);
    let results = dir.search_json(&["thread"]);
    let fragment = |path: &str| results.hit(path).fragments[0].clone();
    assert!(
        fragment("docs/plural.txt").contains("<b>threads</b>"),
        "{}",
        fragment("docs/plural.txt")
    );
    assert!(
        fragment("docs/verb.txt").contains("<b>threaded</b>"),
        "{}",
        fragment("docs/verb.txt")
    );
    assert!(fragment("docs/singular.txt").contains("<b>thread</b>"));
    // The raw ranges agree with the marks.
    let (text, ranges) = &results.hit("docs/verb.txt").raw_fragments[0];
    let marked: Vec<String> = ranges
        .iter()
        .map(|[from, to]| text.chars().skip(*from).take(to - from).collect())
        .collect();
    assert_eq!(marked, ["threaded"]);
    // In text output too.
    let text = dir.search_text(&["threads"]);
    assert!(text.contains("threaded"), "{text}");
}

#[test]
fn quoted_text_means_exact_forms() {
    let dir = threads_corpus(None);
    assert_eq!(dir.hit_paths("\"threads\""), ["docs/plural.txt"]);
    assert_eq!(dir.hit_paths("\"one thread\""), ["docs/singular.txt"]);
    let results = dir.search_json(&["\"threads\""]);
    assert!(!results.hits[0].fragments[0].contains("<b>thread</b>"));
}

#[test]
fn stemming_and_folding_together() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "Les Cafés de Paris");
    dir.create("docs/b.txt", "A naïve approach");
    dir.index(&["docs"]);
    assert_eq!(dir.hit_paths("cafe"), ["docs/a.txt"]);
    assert_eq!(dir.hit_paths("naively"), ["docs/b.txt"]);
    let results = dir.search_json(&["cafe"]);
    assert!(
        results.hits[0].fragments[0].contains("<b>Cafés</b>"),
        "{:?}",
        results.hits[0].fragments
    );
}

#[test]
fn language_none_matches_exact_forms_only() {
    let dir = threads_corpus(Some("none"));
    assert_eq!(dir.hit_paths("threads"), ["docs/plural.txt"]);
    assert_eq!(dir.status_json()["language"], "none");
    let status = dir.lantern().arg("status").assert_success();
    assert!(status.stdout.contains("language:  none"), "{status}");
}

#[test]
fn another_language_stems_its_own_words_and_changing_it_reads_nothing_again() {
    let dir = Dir::new();
    dir.create("docs/fr.txt", "Ils chantaient.");
    dir.index(&["docs"]);
    assert_eq!(dir.status_json()["language"], "english");
    assert!(dir.hit_paths("chanter").is_empty());

    // Words are stemmed when searched: naming another language re-reads no file.
    let output = dir
        .lantern()
        .args(["index", "docs", "--language", "french"])
        .assert_success();
    assert!(!output.stderr.contains("rebuilding"), "{output}");
    assert_eq!(
        util::IndexSummary::parse(&output.stdout).added,
        0,
        "{output}"
    );
    assert_eq!(dir.status_json()["language"], "french");
    assert_eq!(dir.hit_paths("chanter"), ["docs/fr.txt"]);

    // The index keeps its language when none is named.
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    assert!(!output.stderr.contains("rebuilding"), "{output}");
    assert_eq!(dir.status_json()["language"], "french");
}

#[test]
fn an_unknown_language_is_refused_with_the_list() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a");
    let output = dir
        .lantern()
        .args(["index", "docs", "--language", "klingon"])
        .assert_exit(2);
    assert!(
        output.stderr.contains("klingon") && output.stderr.contains("english"),
        "{output}"
    );
}
