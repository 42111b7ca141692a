//! `lantern search` end to end: ranking, totals, the three output formats, escaping, marks and
//! fragment limits.

mod util;

use util::{assert_well_formed_html, element, visible_text, Dir};

/// A corpus where BM25's order is unambiguous: more occurrences in a shorter text rank higher.
fn ranked_corpus() -> Dir {
    let dir = Dir::new();
    dir.create("docs/three.txt", "zebra zebra zebra");
    dir.create(
        "docs/two.txt",
        "zebra and zebra, with a few other words around them here",
    );
    dir.create(
        "docs/one.txt",
        "a zebra, only once, in a much longer text full of filler words that say \
         little: the quick brown fox jumps over the lazy dog again and again",
    );
    dir.create("docs/stripes.txt", "zebra stripes are black and white");
    dir.create("docs/scattered.txt", "the stripes on a zebra, the stripes");
    dir.create("docs/none.txt", "nothing to see");
    dir.index(&["docs"]);
    dir
}

#[test]
fn hits_come_in_bm25_order() {
    let dir = ranked_corpus();
    assert_eq!(
        dir.hit_paths("zebra -stripes"),
        ["docs/three.txt", "docs/two.txt", "docs/one.txt"]
    );
    // Same length, but one text says "stripes" twice.
    assert_eq!(
        dir.hit_paths("stripes"),
        ["docs/scattered.txt", "docs/stripes.txt"]
    );
    // The phrase occurs in one text only.
    assert_eq!(dir.hit_paths("\"zebra stripes\""), ["docs/stripes.txt"]);
    assert_eq!(
        util::sorted(dir.hit_paths("zebra AND stripes")),
        ["docs/scattered.txt", "docs/stripes.txt"]
    );
    assert!(dir.hit_paths("giraffe").is_empty());
}

#[test]
fn the_total_counts_every_match_even_beyond_the_limit() {
    let dir = ranked_corpus();
    let results = dir.search_json(&["--limit", "2", "zebra"]);
    assert_eq!(results.total, 5);
    assert_eq!(results.hits.len(), 2);
    assert_eq!(results.paths(), ["docs/three.txt", "docs/two.txt"]);

    let text = dir.search_text(&["-n", "1", "zebra"]);
    assert!(text.starts_with("5 total matching documents.\n"), "{text}");
    assert_eq!(text.lines().count(), 4, "one hit shown:\n{text}");
}

#[test]
fn the_text_format_is_the_total_then_rank_path_line_and_fragments_per_hit() {
    let dir = Dir::new();
    dir.create(
        "docs/a.txt",
        "Field notes\n\nAn ibex\nclimbs.\n\n  The ibex   rests; ibex.",
    );
    dir.create("docs/b.txt", "one ibex here");
    dir.index(&["docs"]);
    let text = dir.search_text(&["ibex"]);
    // The path is followed by the line of the best fragment's first match, as `path:line` for an
    // editor (the fragment itself may begin earlier, for context); each
    // fragment gets a line of its own, led by where it is.
    assert_eq!(
        text,
        format!(
            "2 total matching documents.\n\
             \n\
             1. {}:3\n   line 3: Field notes An <b>ibex</b> climbs. The <b>ibex</b> rests; <b>ibex</b>.\n\
             \n\
             2. {}:1\n   line 1: one <b>ibex</b> here\n",
            dir.display("docs/a.txt"),
            dir.display("docs/b.txt"),
        )
    );
    assert_eq!(
        dir.search_text(&["nothing"]),
        "0 total matching documents.\n"
    );
}

#[test]
fn each_fragment_of_a_hit_is_a_line_of_its_own_led_by_its_line_number() {
    let dir = Dir::new();
    let filler = "nothing to see in this line at all\n".repeat(40);
    dir.create(
        "docs/far.txt",
        format!("a lynx here\n{filler}another lynx there\n"),
    );
    dir.index(&["docs"]);
    let text = dir.search_text(&["--fragments", "2", "lynx"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[2],
        format!("1. {}:1", dir.display("docs/far.txt")),
        "{text}"
    );
    let mut places: Vec<&str> = lines[3..]
        .iter()
        .map(|line| line.split(':').next().unwrap_or_default())
        .collect();
    places.sort();
    assert_eq!(places, ["   line 1", "   line 42"], "{text}");
}

#[test]
fn the_text_format_uses_colour_only_when_asked() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a gecko");
    dir.index(&["docs"]);
    let coloured = dir
        .lantern()
        .args(["search", "--color", "always", "gecko"])
        .assert_success()
        .stdout;
    assert!(coloured.contains("\x1b["), "{coloured:?}");
    assert!(!coloured.contains("<b>"), "{coloured:?}");
    // Piped output with the default (auto) has no escape codes.
    let piped = dir
        .lantern()
        .args(["search", "gecko"])
        .assert_success()
        .stdout;
    assert!(!piped.contains('\x1b'), "{piped:?}");
    assert!(piped.contains("a <b>gecko</b>"), "{piped:?}");
}

#[test]
fn the_json_format_follows_the_schema() {
    let dir = ranked_corpus();
    // SearchJson::parse checks the exact keys, types, ranks, order and snippets.
    let results = dir.search_json(&["zebra"]);
    assert_eq!(results.raw["query"], "zebra");
    assert_eq!(results.total, 5);
    let best = &results.hits[0];
    assert_eq!(best.path, "docs/three.txt");
    assert_eq!(best.marked_path, dir.display("docs/three.txt"));
    assert_eq!(best.fragments, ["<b>zebra</b> <b>zebra</b> <b>zebra</b>"]);
    assert!(best.score > 0.0);

    let empty = dir.search_json(&["giraffe"]);
    assert_eq!(empty.total, 0);
    assert!(empty.hits.is_empty());
}

#[test]
fn the_html_format_is_a_complete_page_with_the_hits() {
    let dir = ranked_corpus();
    let page = dir
        .lantern()
        .args(["search", "--format", "html", "zebra stripes"])
        .assert_success()
        .stdout;
    assert_well_formed_html(&page);
    assert!(visible_text(element(&page, "title"), "", "").contains("zebra stripes"));
    assert!(visible_text(element(&page, "h1"), "", "").contains("zebra stripes"));
    assert!(page.contains("5 total matching documents"), "{page}");
    assert_eq!(page.matches("<li class=\"hit\">").count(), 5);
    let links: Vec<&str> = page
        .match_indices("href=\"file://")
        .map(|(at, attr)| {
            let rest = &page[at + attr.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    // The text with the two words side by side first (see tests/ranking.rs).
    let expected: Vec<String> = ["stripes", "scattered", "three", "two", "one"]
        .iter()
        .map(|name| dir.display(&format!("docs/{name}.txt")))
        .collect();
    assert_eq!(links, expected);
    assert!(
        page.contains("<b>zebra</b> <b>stripes</b> are black and white"),
        "{page}"
    );
    let ranks: Vec<&str> = page
        .match_indices("<span class=\"rank\">")
        .map(|(at, tag)| {
            let rest = &page[at + tag.len()..];
            &rest[..rest.find('<').unwrap()]
        })
        .collect();
    assert_eq!(ranks, ["1.", "2.", "3.", "4.", "5."]);
}

#[test]
fn markup_in_a_document_is_escaped_in_html_and_shown_as_it_is_in_text() {
    let dir = Dir::new();
    // Plain text that holds markup (a web page would be indexed as its visible text).
    let source = "<script>alert(1)</script> & stuff";
    dir.create("docs/evil.txt", source);
    dir.index(&["docs"]);
    let expected = "&lt;<b>script</b>&gt;alert(1)&lt;/<b>script</b>&gt; &amp; stuff";

    // In a pipe, text output is the document's own characters, as ripgrep prints them.
    let text = dir.search_text(&["script"]);
    assert!(
        text.contains("<<b>script</b>>alert(1)</<b>script</b>> & stuff"),
        "{text}"
    );
    assert!(!text.contains("&lt;"), "{text}");

    let results = dir.search_json(&["script"]);
    assert_eq!(results.hits[0].fragments, [expected]);
    assert_eq!(
        results.hits[0].raw_fragments,
        [(source.to_string(), vec![[1, 7], [18, 24]])]
    );
    assert!(!results.raw["hits"][0]["fragments"]
        .to_string()
        .contains("<script>"));

    let page = dir
        .lantern()
        .args(["search", "--format", "html", "script"])
        .assert_success()
        .stdout;
    assert_well_formed_html(&page);
    assert!(page.contains(expected), "{page}");
    assert!(!page.contains("<script>"), "{page}");
}

#[test]
fn markup_in_a_path_is_escaped_in_html_and_json() {
    let dir = Dir::new();
    dir.create("docs/<b>&x.txt", "oryx");
    dir.index(&["docs"]);
    let escaped_name = "&lt;b&gt;&amp;x.txt";

    let results = dir.search_json(&["oryx"]);
    assert_eq!(results.paths(), ["docs/<b>&x.txt"]);
    assert_eq!(
        results.hits[0].marked_path,
        format!("{}/{escaped_name}", dir.display("docs"))
    );
    let text = dir.search_text(&["oryx"]);
    assert!(
        text.contains(&format!("1. {}/<b>&x.txt:1\n", dir.display("docs"))),
        "text shows the name as it is: {text}"
    );

    let page = dir
        .lantern()
        .args(["search", "--format", "html", "oryx"])
        .assert_success()
        .stdout;
    assert_well_formed_html(&page);
    assert!(page.contains(escaped_name), "{page}");
    assert!(
        page.contains("%3Cb%3E%26x.txt\""),
        "the link is percent-encoded: {page}"
    );
}

#[test]
fn a_query_with_markup_is_escaped_in_the_html_page() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "fish and chips");
    dir.index(&["docs"]);
    for query in [
        "fish <chips>",
        "fish & \"chips\"",
        "<script>alert(1)<\\/script>",
    ] {
        let output = dir
            .lantern()
            .args(["search", "--format", "html", query])
            .run();
        let total = dir.search_json(&[query]).total;
        util::assert_found_status(&output, total);
        let page = output.stdout;
        assert_well_formed_html(&page);
        assert!(!page.contains(query), "raw query in the page: {page}");
        assert!(
            visible_text(element(&page, "h1"), "", "").contains(query),
            "{page}"
        );
        let results = dir.search_json(&[query]);
        assert_eq!(results.raw["query"], query);
    }
}

#[test]
fn pre_and_post_tags_replace_the_marks() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a <tiny> heron & a heron");
    dir.index(&["docs"]);
    let tags = ["--pre-tag", "[[", "--post-tag", "]]"];

    let text = dir.search_text(&[&tags[..], &["heron"]].concat());
    assert!(text.contains("a <tiny> [[heron]] & a [[heron]]"), "{text}");
    assert!(!text.contains("<b>"), "{text}");

    let results = dir.search_json(&[&tags[..], &["heron path:docs"]].concat());
    let hit = &results.hits[0];
    assert_eq!(
        hit.fragments,
        ["a &lt;tiny&gt; [[heron]] &amp; a [[heron]]"]
    );
    assert_eq!(
        hit.marked_path,
        format!("{}/[[docs]]/a.txt", dir.root().display())
    );

    let page = dir
        .lantern()
        .args(["search", "--format", "html"])
        .args(["--pre-tag", "<mark>", "--post-tag", "</mark>", "heron"])
        .assert_success()
        .stdout;
    assert_well_formed_html(&page);
    assert!(page.contains("<mark>heron</mark>"), "{page}");
}

/// A long text where the word occurs in many places, with multi-byte characters around it.
fn long_document() -> String {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "Paragraph {i}: the émeu 鳥 walks far; filler words go here and there, \
             then more filler words, and finally an émeu again. "
        ));
    }
    text
}

#[test]
fn fragment_count_and_length_limits_hold() {
    let dir = Dir::new();
    dir.create("docs/long.txt", long_document());
    dir.index(&["docs"]);

    for (count, chars) in [(3, 64), (2, 30), (1, 12), (5, 200)] {
        let results = dir.search_json(&[
            "--fragments",
            &count.to_string(),
            "--fragment-chars",
            &chars.to_string(),
            "émeu OR walks",
        ]);
        let fragments = &results.hits[0].fragments;
        // The word is everywhere: every allowed fragment is used.
        assert_eq!(fragments.len(), count, "{fragments:?}");
        for fragment in fragments {
            let visible = visible_text(fragment, "<b>", "</b>");
            assert!(
                visible.chars().count() <= chars,
                "{visible:?} is over {chars} characters"
            );
            assert!(fragment.contains("<b>"), "{fragment:?} has a match");
        }
    }
    // The defaults: three fragments of at most 64 characters.
    let results = dir.search_json(&["émeu"]);
    let fragments = &results.hits[0].fragments;
    assert_eq!(fragments.len(), 3);
    assert!(fragments
        .iter()
        .all(|f| visible_text(f, "<b>", "</b>").chars().count() <= 64));
}

#[test]
fn matches_late_in_a_long_document_are_found_and_highlighted() {
    let dir = Dir::new();
    let mut text = "filler text without the word. ".repeat(5_000);
    text.push_str("At the very end, a pangolin.");
    dir.create("docs/long.txt", text);
    dir.index(&["docs"]);
    let results = dir.search_json(&["pangolin"]);
    assert_eq!(results.hits[0].fragments.len(), 1);
    assert!(
        results.hits[0].fragments[0].contains("a <b>pangolin</b>."),
        "{:?}",
        results.hits[0].fragments
    );
}

#[test]
fn a_document_matched_only_by_path_shows_its_beginning_unmarked() {
    let dir = Dir::new();
    let text =
        "The beginning of this document is shown as is, even though nothing in it matches at all.";
    dir.create("docs/notes/a.txt", text);
    dir.index(&["docs"]);
    let results = dir.search_json(&["path:notes"]);
    let fragments = &results.hits[0].fragments;
    assert_eq!(fragments.len(), 1);
    assert!(!fragments[0].contains("<b>"));
    let visible = visible_text(&fragments[0], "<b>", "</b>");
    assert!(text.starts_with(&visible), "{visible:?}");
    assert!(visible.chars().count() <= 64 && visible.chars().count() > 40);
}

#[test]
fn the_default_operator_is_or_and_the_and_flag_flips_it() {
    let dir = Dir::new();
    dir.create("docs/both.txt", "salt and pepper");
    dir.create("docs/salt.txt", "salt");
    dir.create("docs/pepper.txt", "pepper");
    dir.index(&["docs"]);
    assert_eq!(dir.search_json(&["salt pepper"]).total, 3);
    assert_eq!(
        dir.search_json(&["--and", "salt pepper"]).paths(),
        ["docs/both.txt"]
    );
}

#[test]
fn searching_is_case_insensitive() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "The Manatee");
    dir.index(&["docs"]);
    let results = dir.search_json(&["MANATEE"]);
    assert_eq!(results.hits[0].fragments, ["The <b>Manatee</b>"]);
}

#[test]
fn the_html_check_itself_rejects_broken_pages() {
    let good = "<!DOCTYPE html><html><head><title>t &amp; u</title><style>a>b{}</style></head>\
                <body><p class=\"x\">a<br>b &#39; &#x27;</p></body></html>";
    assert_well_formed_html(good);
    let broken = [
        "<html><head><title>t</title></head><body></body></html>",
        "<!DOCTYPE html><html><head><title>t</title></head><body><p></body></html>",
        "<!DOCTYPE html><html><head><title>t</title></head><body></p></body></html>",
        "<!DOCTYPE html><html><head><title>a & b</title></head><body></body></html>",
        "<!DOCTYPE html><html><head><title>t</title></head><body><script>x</script></body></html>",
        "<!DOCTYPE html><html><body></body></html>",
    ];
    for page in broken {
        let outcome = std::panic::catch_unwind(|| assert_well_formed_html(page));
        assert!(outcome.is_err(), "accepted: {page}");
    }
}

#[test]
fn each_fragment_says_on_which_line_and_page_it_begins() {
    let dir = Dir::new();
    let mut text = String::new();
    for line in 1..=200 {
        let word = match line {
            10 => "needle here",
            120 => "more needle",
            _ => "filler words",
        };
        text.push_str(word);
        text.push('\n');
    }
    dir.create("docs/lines.txt", &text);
    // Pages separated by form feeds, as extracted PDF text is.
    dir.create(
        "docs/pages.txt",
        "page one\n\u{c}page two\nneedle\n\u{c}page three needle",
    );
    dir.index(&["docs"]);
    let results = dir.search_json(&["--fragment-chars", "6", "needle"]);
    let lines = results.hit("docs/lines.txt");
    let mut found: Vec<u64> = lines.locations.iter().map(|(line, _)| *line).collect();
    found.sort();
    assert_eq!(found, [10, 120], "{:?}", lines.fragments);
    assert!(lines.locations.iter().all(|(_, page)| page.is_none()));
    let pages = results.hit("docs/pages.txt");
    let mut found = pages.locations.clone();
    found.sort();
    assert_eq!(found, [(3, Some(2)), (4, Some(3))], "{:?}", pages.fragments);
}

#[test]
fn hits_without_fragments_show_the_same_documents_as_with_them() {
    // Paths are read two ways: with the text when fragments are cut, ahead in dictionary order
    // when not. Many folders and lengths, so that hits and path order differ.
    let dir = Dir::new();
    for folder in ["alpha", "beta/deep", "gamma", "zeta/x/y"] {
        for n in 0..12 {
            let filler = "pad ".repeat((n * 7) % 11);
            dir.create(
                &format!("{folder}/f{n:02}.txt"),
                format!("{filler}lantern {folder} {n}"),
            );
        }
    }
    dir.index(&["."]);
    let shown = |args: &[&str]| -> Vec<(u64, String, String)> {
        dir.search_json(args)
            .hits
            .into_iter()
            .map(|hit| (hit.rank, hit.path, format!("{:.6}", hit.score)))
            .collect()
    };
    let with = shown(&["lantern"]);
    assert_eq!(with.len(), 48);
    assert_eq!(shown(&["lantern", "--fragments", "0"]), with);
    // Each path is the document's own: its text names its folder and number.
    for hit in dir.search_json(&["lantern"]).hits {
        let (folder, file) = hit.path.rsplit_once('/').expect("a folder");
        let n: u32 = file[1..3].parse().expect("a number");
        assert!(
            hit.fragments[0].ends_with(&format!("{folder} {n}")),
            "{hit:?}"
        );
    }
}

#[test]
fn a_search_that_finds_nothing_exits_1_in_every_format_and_still_prints_its_results() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "kiwi");
    dir.index(&["docs"]);
    for (format, expected) in [
        ("text", "0 total matching documents."),
        ("json", "\"total\": 0"),
        ("html", "0 total matching documents"),
    ] {
        let output = dir
            .lantern()
            .args(["search", "--format", format, "takahe"])
            .assert_exit(1);
        assert!(output.stdout.contains(expected), "{output}");
        assert!(output.stderr.is_empty(), "not an error: {output}");
        let found = dir
            .lantern()
            .args(["search", "--format", format, "kiwi"])
            .assert_success();
        assert!(!found.stdout.contains(expected), "{found}");
    }
}

#[test]
fn several_words_unquoted_are_one_query() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "font encoding tables");
    dir.create("docs/b.txt", "a font of type");
    dir.create("docs/c.txt", "nothing here");
    dir.index(&["docs"]);
    let quoted = dir.search_json(&["font encoding"]);
    let unquoted = dir.search_json(&["font", "encoding"]);
    assert_eq!(unquoted.raw["query"], "font encoding");
    assert_eq!(unquoted.paths(), quoted.paths());
    assert_eq!(unquoted.paths(), ["docs/a.txt", "docs/b.txt"]);
    // Options may follow the words, and `--` still lets a query start with `-`.
    let and = dir.search_json(&["font", "encoding", "--and"]);
    assert_eq!(and.paths(), ["docs/a.txt"]);
    let excluded = dir.search_json(&["--", "-font"]);
    assert_eq!(excluded.paths(), ["docs/c.txt"]);
}
