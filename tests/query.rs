//! Every query type of the Lucene syntax end to end: which documents match, and exactly what is
//! marked in their fragments and paths.

mod util;

use util::{marked, sorted, Dir};

/// Short documents (under the 64-character fragment size, so a fragment is the whole text), each
/// made for one kind of query.
fn corpus() -> Dir {
    let dir = Dir::new();
    for (path, text) in CORPUS {
        dir.create(path, text);
    }
    dir.index(&["docs"]);
    dir
}

const CORPUS: &[(&str, &str)] = &[
    ("docs/phrase.txt", "Good error handling matters."),
    (
        "docs/scattered.txt",
        "An error occurred; its handling came later.",
    ),
    ("docs/error-only.txt", "an error without the other word"),
    (
        "docs/near.txt",
        "jakarta one two three four apache; then jakarta big apache",
    ),
    ("docs/far.txt", "jakarta is a city and apache is a server"),
    ("docs/words.txt", "test text tent toast tester contest"),
    ("docs/fuzzy.txt", "roam foam rooms realm"),
    ("docs/names.txt", "john jonathan johnathon jonathon"),
    ("docs/math.txt", "(1+1):2 is two"),
    ("docs/notes/todo.md", "kiwi salad"),
    ("docs/notes/ideas.txt", "mango"),
];

/// The only hit of `query`, which must be `path`, and its fragments.
fn only_hit(dir: &Dir, query: &str, path: &str) -> Vec<String> {
    let results = dir.search_json(&[query]);
    assert_eq!(results.paths(), [path], "hits of {query}");
    results.hits[0].fragments.clone()
}

#[test]
fn a_phrase_is_marked_where_it_occurs_as_a_phrase_only() {
    let dir = corpus();
    assert_eq!(
        only_hit(&dir, "\"error handling\"", "docs/phrase.txt"),
        ["Good <b>error handling</b> matters."]
    );
    // The other text has both words, apart: it matches only through "occurred", and its scattered
    // words are not marked.
    let results = dir.search_json(&["\"error handling\" OR occurred"]);
    assert_eq!(
        sorted(results.paths()),
        ["docs/phrase.txt", "docs/scattered.txt"]
    );
    assert_eq!(
        results.hit("docs/scattered.txt").fragments,
        ["An error <b>occurred</b>; its handling came later."]
    );
    // A boosted phrase is still a phrase.
    assert_eq!(
        only_hit(&dir, "\"error handling\"^2", "docs/phrase.txt"),
        ["Good <b>error handling</b> matters."]
    );
}

#[test]
fn a_proximity_phrase_matches_and_marks_only_within_the_slop() {
    let dir = corpus();
    // "jakarta big apache" is within 2 positions; "jakarta one two three four apache" is not.
    assert_eq!(
        only_hit(&dir, "\"jakarta apache\"~2", "docs/near.txt"),
        ["jakarta one two three four apache; then <b>jakarta</b> big <b>apache</b>"]
    );
    let wide = dir.search_json(&["\"jakarta apache\"~10"]);
    assert_eq!(sorted(wide.paths()), ["docs/far.txt", "docs/near.txt"]);
    assert_eq!(
        wide.hit("docs/near.txt").fragments,
        ["<b>jakarta</b> one two three four <b>apache</b>; then <b>jakarta</b> big <b>apache</b>"]
    );
    // Without slop the words must be adjacent: no text has that.
    assert!(dir.hit_paths("\"jakarta apache\"").is_empty());
}

#[test]
fn wildcards_match_and_mark_their_expansions() {
    let dir = corpus();
    assert_eq!(
        only_hit(&dir, "te?t", "docs/words.txt"),
        ["<b>test</b> <b>text</b> <b>tent</b> toast tester contest"]
    );
    assert_eq!(
        only_hit(&dir, "test*", "docs/words.txt"),
        ["<b>test</b> text tent toast <b>tester</b> contest"]
    );
    assert_eq!(
        only_hit(&dir, "te*t", "docs/words.txt"),
        ["<b>test</b> <b>text</b> <b>tent</b> toast tester contest"]
    );
    assert_eq!(
        only_hit(&dir, "*test", "docs/words.txt"),
        ["<b>test</b> text tent toast tester <b>contest</b>"]
    );
    assert!(dir.hit_paths("tex?t").is_empty());
}

#[test]
fn fuzzy_terms_match_and_mark_words_within_the_distance() {
    let dir = corpus();
    assert_eq!(
        only_hit(&dir, "roam~1", "docs/fuzzy.txt"),
        ["<b>roam</b> <b>foam</b> rooms realm"]
    );
    // The default distance is 2.
    assert_eq!(
        only_hit(&dir, "roam~", "docs/fuzzy.txt"),
        ["<b>roam</b> <b>foam</b> <b>rooms</b> <b>realm</b>"]
    );
}

#[test]
fn a_regular_expression_matches_and_marks_whole_words() {
    let dir = corpus();
    assert_eq!(
        only_hit(&dir, "/joh?n(ath[oa]n)/", "docs/names.txt"),
        ["john <b>jonathan</b> <b>johnathon</b> <b>jonathon</b>"]
    );
    // The expression must match a whole word, not a part of one.
    assert!(dir.hit_paths("/jonath/").is_empty());
}

#[test]
fn a_boost_changes_the_order() {
    let dir = Dir::new();
    // Two texts alike but for their word: without a boost they score the same.
    dir.create("docs/kiwi.txt", "kiwi kiwi and some filler");
    dir.create("docs/mango.txt", "mango mango and some filler");
    dir.index(&["docs"]);
    assert_eq!(
        dir.hit_paths("kiwi^4 mango"),
        ["docs/kiwi.txt", "docs/mango.txt"]
    );
    assert_eq!(
        dir.hit_paths("kiwi mango^4"),
        ["docs/mango.txt", "docs/kiwi.txt"]
    );
    let boosted = dir.search_json(&["kiwi^4 mango"]);
    let plain = dir.search_json(&["kiwi mango"]);
    assert!((boosted.hits[0].score - 4.0 * plain.hit("docs/kiwi.txt").score).abs() < 1e-3);
}

#[test]
fn required_and_excluded_terms_select_documents_and_exclusions_are_never_marked() {
    let dir = corpus();
    for query in [
        "error -handling",
        "+error -handling",
        "error NOT handling",
        "error AND NOT handling",
        "error && !handling",
    ] {
        assert_eq!(
            only_hit(&dir, query, "docs/error-only.txt"),
            ["an <b>error</b> without the other word"],
            "{query}"
        );
    }
    // "error" is only under a NOT: never marked. "handling" is in the text, but its clause
    // did not match (the text holds "error"), so it did not make the document match.
    assert_eq!(
        only_hit(&dir, "good (handling -error)", "docs/phrase.txt"),
        ["<b>Good</b> error handling matters."]
    );
    assert_eq!(
        only_hit(
            &dir,
            "matters -(occurred AND handling) -nothing",
            "docs/phrase.txt"
        ),
        ["Good error handling <b>matters</b>."]
    );
    // A query of exclusions only means everything else.
    assert_eq!(
        dir.search_json(&["--", "-error"]).total,
        CORPUS.len() as u64 - 3
    );
}

#[test]
fn symbol_operators_work_like_words() {
    let dir = corpus();
    assert_eq!(
        sorted(dir.hit_paths("kiwi || mango")),
        ["docs/notes/ideas.txt", "docs/notes/todo.md"]
    );
    assert_eq!(
        sorted(dir.hit_paths("kiwi OR mango")),
        sorted(dir.hit_paths("kiwi || mango"))
    );
    assert_eq!(
        only_hit(&dir, "kiwi && salad", "docs/notes/todo.md"),
        ["<b>kiwi</b> <b>salad</b>"]
    );
    assert!(dir.hit_paths("kiwi && mango").is_empty());
    assert_eq!(dir.search_json(&["!kiwi"]).total, CORPUS.len() as u64 - 1);
}

#[test]
fn a_path_query_matches_components_and_marks_them_in_the_path() {
    let dir = corpus();
    let results = dir.search_json(&["path:notes"]);
    assert_eq!(
        sorted(results.paths()),
        ["docs/notes/ideas.txt", "docs/notes/todo.md"]
    );
    let root = dir.root().display();
    assert_eq!(
        results.hit("docs/notes/todo.md").marked_path,
        format!("{root}/docs/<b>notes</b>/todo.md")
    );
    // Text only matched on its path is shown unmarked.
    assert_eq!(results.hit("docs/notes/todo.md").fragments, ["kiwi salad"]);

    let md = dir.search_json(&["path:*.md"]);
    assert_eq!(md.paths(), ["docs/notes/todo.md"]);
    assert_eq!(
        md.hits[0].marked_path,
        format!("{root}/docs/notes/<b>todo.md</b>")
    );

    // Leading wildcards (searched over reversed components) are case-insensitive like the rest,
    // and `?` counts one character.
    assert_eq!(dir.hit_paths("path:*DO.MD"), ["docs/notes/todo.md"]);
    assert_eq!(
        sorted(dir.hit_paths("path:?otes")),
        ["docs/notes/ideas.txt", "docs/notes/todo.md"]
    );
    assert!(dir.hit_paths("path:*o.m").is_empty());

    // Scoping a text search to part of the tree marks both the path and the text.
    let scoped = dir.search_json(&["kiwi AND path:notes"]);
    assert_eq!(scoped.paths(), ["docs/notes/todo.md"]);
    assert_eq!(
        scoped.hits[0].marked_path,
        format!("{root}/docs/<b>notes</b>/todo.md")
    );
    assert_eq!(scoped.hits[0].fragments, ["<b>kiwi</b> salad"]);
    // A component must match whole: "note" is not "notes".
    assert!(dir.hit_paths("path:note").is_empty());
    assert_eq!(
        dir.hit_paths("path:notes -path:*.md"),
        ["docs/notes/ideas.txt"]
    );

    // The text format marks the path line the same way.
    let text = dir.search_text(&["path:*.md"]);
    assert_eq!(
        text,
        format!("1 total matching documents.\n\n1. {root}/docs/notes/<b>todo.md</b>:1\n   line 1: kiwi salad\n")
    );
}

#[test]
fn a_range_on_the_text_matches_and_marks_the_words_between_its_bounds() {
    let dir = corpus();
    for query in ["contents:[roal TO roan]", "contents:[ROAL TO ROAN]"] {
        assert_eq!(
            only_hit(&dir, query, "docs/fuzzy.txt"),
            ["<b>roam</b> foam rooms realm"],
            "{query}"
        );
    }
    assert!(dir.hit_paths("contents:{roam TO roan}").is_empty());
    assert_eq!(
        only_hit(&dir, "contents:[roam TO roams]", "docs/fuzzy.txt"),
        ["<b>roam</b> foam rooms realm"]
    );
}

#[test]
fn a_path_range_selects_whole_paths_between_its_bounds() {
    let dir = corpus();
    let root = dir.root().display().to_string();
    let in_range = |lower: &str, upper: &str, inclusive: bool| -> Vec<String> {
        let mut paths: Vec<String> = CORPUS
            .iter()
            .map(|(path, _)| path.to_string())
            .filter(|path| {
                if inclusive {
                    path.as_str() >= lower && path.as_str() <= upper
                } else {
                    path.as_str() > lower && path.as_str() < upper
                }
            })
            .collect();
        paths.sort();
        paths
    };

    let inclusive = format!("path:[{root}/docs/far.txt TO {root}/docs/names.txt]");
    let expected = in_range("docs/far.txt", "docs/names.txt", true);
    assert_eq!(
        expected,
        [
            "docs/far.txt",
            "docs/fuzzy.txt",
            "docs/math.txt",
            "docs/names.txt"
        ]
    );
    assert_eq!(sorted(dir.hit_paths(&inclusive)), expected);

    let exclusive = format!("path:{{{root}/docs/far.txt TO {root}/docs/names.txt}}");
    assert_eq!(
        sorted(dir.hit_paths(&exclusive)),
        in_range("docs/far.txt", "docs/names.txt", false)
    );

    let open = format!("path:[{root}/docs/p TO *]");
    assert_eq!(
        sorted(dir.hit_paths(&open)),
        ["docs/phrase.txt", "docs/scattered.txt", "docs/words.txt"]
    );
    // Bounds are whole absolute paths: relative ones select nothing, and say nothing wrong.
    assert!(dir.hit_paths("path:[a TO m]").is_empty());
}

#[test]
fn escaped_special_characters_are_searched_as_text() {
    let dir = corpus();
    assert_eq!(
        only_hit(&dir, r"\(1\+1\)\:2", "docs/math.txt"),
        ["(<b>1+1):2</b> is two"]
    );

    // Each escaped query next to a text holding it literally, and decoys that would match if the
    // special characters kept their meaning.
    let dir = Dir::new();
    let documents = [
        ("docs/call.txt", "call f(okapi) now"),
        ("docs/key.txt", "the key quoll:tapir here"),
        ("docs/apart.txt", "tapir came before quoll"),
        ("docs/bracket.txt", "[xerus TO yapok] as written"),
        ("docs/between.txt", "xylophone"),
        ("docs/ops.txt", "!&&|| and ~^*? alone"),
        ("docs/quoted.txt", "say \"quokka\" then numbat"),
    ];
    for (path, text) in documents {
        dir.create(path, text);
    }
    dir.index(&["docs"]);
    let hits = |query: &str| {
        let results = dir.search_json(&["--limit", "100", query]);
        let found: Vec<(String, Vec<String>)> = results
            .hits
            .iter()
            .map(|hit| (hit.path.clone(), marked(&hit.snippet, "<b>", "</b>")))
            .collect();
        assert_eq!(results.total, found.len() as u64, "{query}");
        found
    };
    let hit = |path: &str, marks: &[&str]| {
        (
            path.to_string(),
            marks
                .iter()
                .map(|mark| mark.to_string())
                .collect::<Vec<_>>(),
        )
    };
    // Parentheses are not a group.
    assert_eq!(hits(r"\(okapi\)"), [hit("docs/call.txt", &["okapi"])]);
    // A colon is not a field: the words are one name, found whole first and marked whole, then
    // apart.
    assert_eq!(
        hits(r"quoll\:tapir"),
        [
            hit("docs/key.txt", &["quoll:tapir"]),
            hit("docs/apart.txt", &["tapir", "quoll"])
        ]
    );
    // Brackets are not a range: "xylophone", between the bounds, is no match.
    assert_eq!(
        hits(r"\[xerus TO yapok\]"),
        [hit("docs/bracket.txt", &["xerus", "TO", "yapok"])]
    );
    // Quotes are not a phrase: the words match in any order.
    assert_eq!(
        hits(r#"\"numbat quokka\""#),
        [hit("docs/quoted.txt", &["quokka", "numbat"])]
    );
    // Operators and wildcards made only of escaped characters are no words at all: they match
    // nothing, where unescaped `*` matches everything and `!&&||` is a malformed query.
    assert!(hits(r"\!\&\&\|\|").is_empty());
    assert!(hits(r"\~\^\*\?").is_empty());
    assert_eq!(dir.search_json(&["*"]).total, documents.len() as u64);
    dir.lantern().args(["search", "!&&||"]).assert_exit(2);
}

#[test]
fn terms_of_a_clause_that_did_not_match_are_not_marked() {
    let dir = corpus();
    let results = dir.search_json(&["matters OR (error -handling)"]);
    assert_eq!(
        results.hit("docs/phrase.txt").fragments,
        ["Good error handling <b>matters</b>."]
    );
}

#[test]
fn a_wildcard_of_many_terms_marks_every_token_it_matches() {
    // Past 512 terms, the highlighter tests tokens against the pattern, looking only at the
    // tokens that start as all its terms do: here `zq`, in any case.
    let dir = Dir::new();
    let many: Vec<String> = (0..600).map(|n| format!("zq{n}")).collect();
    dir.create("docs/many.txt", many.join(" "));
    dir.create(
        "docs/target.txt",
        "first ZQuux then azq zqfoo, Zq7 and\nzq-9 last",
    );
    dir.index(&["docs"]);
    let results = dir.search_json(&["zq*", "--fragments", "1", "--fragment-chars", "200"]);
    let target = results
        .hits
        .iter()
        .find(|hit| hit.path == "docs/target.txt")
        .expect("the target matches");
    assert_eq!(
        target.fragments,
        ["first <b>ZQuux</b> then azq <b>zqfoo</b>, <b>Zq7</b> and <b>zq</b>-9 last"]
    );
}
