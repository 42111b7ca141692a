//! Documents indexed as their text: web pages, office files, e-books and PDFs, with their title
//! and type; damaged and hostile documents skipped with a warning.

mod util;

use std::path::Path;

use util::{available, Dir, IndexSummary, Need};

/// The bundled sample documents: file name, type, a word of its text (not of its title), title.
const SAMPLES: &[(&str, &str, &str, &str)] = &[
    (
        "manual.pdf",
        "pdf",
        "sunset",
        "Keeper's Manual: The Lighthouse",
    ),
    ("page.html", "html", "fishing", "Harbour & Lighthouse Notes"),
    ("diagram.svg", "svg", "canal", "Windmill sketch"),
    ("report.docx", "docx", "tabbed", "Aurora quarterly report"),
    ("slides.pptx", "pptx", "tenth", "Glacier talk"),
    ("budget.xlsx", "xlsx", "stove", "Tundra trip budget"),
    ("letter.odt", "odt", "reader", "Juniper letter"),
    ("talk.odp", "odp", "lagoon", "Obsidian talk"),
    ("sheet.ods", "ods", "pelican", "Marzipan stock"),
    (
        "novel.epub",
        "epub",
        "portolan",
        "The Cartographer’s Daughter",
    ),
];

/// The bytes of `sample-docs/NAME`.
fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-docs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A folder holding every sample document under `docs/`.
fn samples() -> Dir {
    let dir = Dir::new();
    for (name, ..) in SAMPLES {
        dir.create(
            &format!("docs/{name}"),
            sample(&format!("documents/{name}")),
        );
    }
    dir
}

/// The `extracted ...` counts of an index run's summary line, e.g. `1 pdf, 2 html`.
fn extracted(stdout: &str) -> Option<String> {
    let line = stdout.lines().last().unwrap_or_default();
    let rest = line.split("; extracted ").nth(1)?;
    Some(rest.split(';').next().unwrap_or_default().to_string())
}

#[test]
fn every_format_is_indexed_as_its_text_with_its_title_and_type() {
    let dir = samples();
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    assert_eq!(
        extracted(&output.stdout).as_deref(),
        Some("1 pdf, 1 html, 1 svg, 1 docx, 1 pptx, 1 xlsx, 1 odt, 1 odp, 1 ods, 1 epub"),
        "{output}"
    );
    for (name, kind, word, title) in SAMPLES {
        // Quoted: the exact form only (unquoted, `tabbed` also finds the ODT's `tab`).
        let results = dir.search_json(&[&format!("\"{word}\"")]);
        assert_eq!(results.paths(), [format!("docs/{name}")], "{word}");
        let hit = &results.hits[0];
        assert_eq!(hit.doc_type, *kind, "{name}");
        assert_eq!(hit.title.as_deref(), Some(*title), "{name}");
        assert!(hit.fragments[0].contains("<b>"), "{name}: {hit:?}");
        // Their markup is not indexed.
        assert!(
            !hit.fragments.concat().contains("&lt;w:"),
            "{name}: {hit:?}"
        );
    }
    assert!(dir.hit_paths("xmlns").is_empty());
    assert!(dir.hit_paths("spine").is_empty());
}

#[test]
fn hits_without_fragments_keep_their_title_and_type() {
    let dir = samples();
    dir.index(&["docs"]);
    let all: Vec<&str> = SAMPLES.iter().map(|(_, _, word, _)| *word).collect();
    let results = dir.search_json(&["--fragments", "0", &all.join(" OR ")]);
    assert_eq!(results.hits.len(), SAMPLES.len(), "{}", results.raw);
    for (name, kind, _, title) in SAMPLES {
        let hit = results.hit(&format!("docs/{name}"));
        assert_eq!(
            (hit.doc_type.as_str(), hit.title.as_deref()),
            (*kind, Some(*title))
        );
        assert!(
            hit.fragments.is_empty() && hit.locations.is_empty(),
            "{hit:?}"
        );
    }
}

#[test]
fn type_and_title_narrow_a_search() {
    let dir = samples();
    dir.create("docs/notes.txt", "a canal and a lagoon");
    dir.index(&["docs"]);
    assert_eq!(dir.hit_paths("type:odp"), ["docs/talk.odp"]);
    assert_eq!(dir.hit_paths("lagoon AND type:TEXT"), ["docs/notes.txt"]);
    assert_eq!(dir.hit_paths("title:glacier"), ["docs/slides.pptx"]);
    // A word of the text only is not in the title.
    assert!(dir.hit_paths("title:canal").is_empty());
    assert_eq!(
        util::sorted(dir.hit_paths("canal -type:text")),
        ["docs/diagram.svg"]
    );
    let unknown = dir.lantern().args(["search", "kind:pdf"]).assert_exit(2);
    assert!(
        unknown.stderr.contains(
            "known fields are 'contents', 'title' (or 'subject'), 'path', 'type', 'from', 'to', 'modified', 'date' and 'size'"
        ),
        "{unknown}"
    );
}

#[test]
fn a_title_match_ranks_first_and_is_marked_in_every_output() {
    let dir = Dir::new();
    let page = |title: &str| {
        format!("<html><head><title>{title}</title></head><body><p>Notes on feeding the otter at noon.</p></body></html>")
    };
    dir.create("a.html", page("Weekly notes"));
    dir.create("b.html", page("Otter care"));
    dir.create("c.txt", "Notes on feeding the otter at noon.");
    dir.index(&["."]);
    let results = dir.search_json(&["otter"]);
    assert_eq!(results.paths()[0], "b.html", "{:?}", results.raw);
    assert_eq!(
        results.hits[0].marked_title.as_deref(),
        Some("<b>Otter</b> care")
    );
    assert_eq!(results.hits.len(), 3);

    let text = dir.search_text(&["otter"]);
    let first = text.lines().nth(2).unwrap_or_default();
    assert!(first.starts_with("1. "), "{text}");
    assert!(first.ends_with("b.html:1  — <b>Otter</b> care"), "{text}");

    let html = dir
        .lantern()
        .args(["search", "--format", "html", "otter"])
        .assert_success()
        .stdout;
    assert!(
        html.contains("<div class=\"title\"><b>Otter</b> care</div>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"type\">html</span>"), "{html}");
}

#[test]
fn one_title_word_does_not_outrank_the_page_that_treats_the_topic() {
    // The title counts when more than half of the query's words are in it (bench/relevance/
    // measured it): one common word in a short title is not enough, and it is still marked.
    let dir = Dir::new();
    let page = |title: &str, body: &str| {
        format!("<html><head><title>{title}</title></head><body><p>{body}</p></body></html>")
    };
    dir.create(
        "queue.html",
        page(
            "A synchronized queue class",
            "The queue module implements first-in, first-out queues shared by threads.",
        ),
    );
    dir.create(
        "datamodel.html",
        page(
            "Data model",
            "Every class object has a namespace. A class object is created by a class \
             statement, and calling the class object makes an instance object.",
        ),
    );
    for n in 0..4 {
        dir.create(
            &format!("note{n}.txt"),
            "A note with one class and one object.",
        );
    }
    dir.index(&["."]);
    let results = dir.search_json(&["class object"]);
    assert_eq!(results.paths()[0], "datamodel.html", "{:?}", results.raw);
    let queue = results
        .hits
        .iter()
        .find(|hit| hit.path.ends_with("queue.html"))
        .expect("the queue page matches by its title");
    assert_eq!(
        queue.marked_title.as_deref(),
        Some("A synchronized queue <b>class</b>")
    );
    let html = dir
        .lantern()
        .args(["search", "--format", "html", "class object"])
        .assert_success()
        .stdout;
    assert!(
        html.contains("<div class=\"title\">A synchronized queue <b>class</b></div>"),
        "{html}"
    );

    // Two of three words in the title: it counts.
    let results = dir.search_json(&["synchronized queue threads"]);
    assert_eq!(results.paths()[0], "queue.html", "{:?}", results.raw);
    assert_eq!(
        results.hits[0].marked_title.as_deref(),
        Some("A <b>synchronized</b> <b>queue</b> class")
    );
}

#[test]
fn titles_are_escaped_in_html_and_json() {
    let dir = Dir::new();
    dir.create(
        "x.html",
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; beacon</title><p>beacon text</p>",
    );
    dir.index(&["."]);
    let results = dir.search_json(&["beacon"]);
    assert_eq!(
        results.hits[0].title.as_deref(),
        Some("<script>alert(1)</script> beacon")
    );
    assert_eq!(
        results.hits[0].marked_title.as_deref(),
        Some("&lt;script&gt;alert(1)&lt;/script&gt; <b>beacon</b>")
    );
    let html = dir
        .lantern()
        .args(["search", "--format", "html", "beacon"])
        .assert_success()
        .stdout;
    assert!(!html.contains("<script>alert"), "{html}");
}

#[test]
fn a_pdf_is_searched_page_by_page() {
    let dir = samples();
    dir.index(&["docs"]);
    // Three pages: the word of each page is found on that page. A hit's page is that of its
    // fragment's start, and a fragment may begin on the page before: each word is far enough
    // into its page for its fragment to begin there too.
    for (word, page) in [("duties", 1), ("sunset", 2), ("fault", 3)] {
        let results = dir.search_json(&[&format!("{word} AND type:pdf")]);
        assert_eq!(results.paths(), ["docs/manual.pdf"], "{word}");
        assert_eq!(
            results.hits[0].locations[0].1,
            Some(page),
            "{word}: {results:?}"
        );
    }
    // The text format says the page, not a line, and puts no line after the path.
    let text = dir.search_text(&["sunset AND type:pdf"]);
    assert!(text.contains("\n   p. 2: "), "{text}");
    assert!(text.contains("docs/manual.pdf  — "), "{text}");
    // A phrase across a line break of the page.
    assert_eq!(dir.hit_paths("\"polish the lens\""), ["docs/manual.pdf"]);
}

#[test]
fn a_pdf_locked_only_against_editing_is_read_and_one_locked_against_reading_is_not() {
    let dir = Dir::new();
    dir.create("docs/protected.pdf", sample("documents/protected.pdf"));
    dir.create("docs/encrypted.pdf", sample("broken/encrypted.pdf"));
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    assert!(output.stdout.contains("1 failed: 1 encrypted"), "{output}");
    assert!(
        output.stderr.contains(&format!(
            "skipped {} (pdf): it is encrypted",
            dir.display("docs/encrypted.pdf")
        )),
        "{output}"
    );
    assert_eq!(dir.hit_paths("sunset"), ["docs/protected.pdf"]);
}

#[test]
fn damaged_and_hostile_documents_are_skipped_with_a_warning_and_counted() {
    let dir = Dir::new();
    dir.create("docs/bomb.docx", sample("broken/bomb.docx"));
    // A zip archive cut short, named as an e-book.
    let mut cut = sample("documents/novel.epub");
    cut.truncate(cut.len() / 2);
    dir.create("docs/cut.epub", cut);
    // A PDF cut in half: whatever of it can be read is, and nothing else happens.
    dir.create("docs/cut.pdf", sample("broken/truncated.pdf"));
    dir.create("docs/fine.txt", "a fine beacon");
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    let summary = IndexSummary::parse(&output.stdout);
    assert_eq!(summary.indexed + summary.failed, 4, "{output}");
    assert!(summary.failed >= 2, "{output}");
    assert!(
        output
            .stdout
            .contains("2 failed: 1 damaged, 1 too large unpacked"),
        "{output}"
    );
    for (name, kind, reason) in [
        ("bomb.docx", "docx", "inflate past 256 MiB"),
        ("cut.epub", "epub", "damaged"),
    ] {
        let warning = format!(
            "warning: skipped {} ({kind}): ",
            dir.display(&format!("docs/{name}"))
        );
        let line = output
            .stderr
            .lines()
            .find(|line| line.contains(&warning))
            .unwrap_or_else(|| panic!("no warning for {name}: {output}"));
        assert!(line.contains(reason), "{line}");
    }
    assert_eq!(dir.hit_paths("beacon"), ["docs/fine.txt"]);
}

#[test]
fn a_document_past_the_time_limit_is_skipped_and_the_run_goes_on() {
    let dir = Dir::new();
    let body = "<p>slow words for a slow page</p>\n".repeat(300_000);
    dir.create(
        "docs/huge.html",
        format!("<html><body>{body}</body></html>"),
    );
    dir.create("docs/quick.txt", "quick beacon");
    let output = dir
        .lantern()
        .args(["index", "--extract-timeout", "1ms", "docs"])
        .assert_success();
    assert!(output.stdout.contains("1 failed: 1 timed out"), "{output}");
    assert!(
        output.stderr.contains("raise --extract-timeout"),
        "{output}"
    );
    assert_eq!(dir.hit_paths("beacon"), ["docs/quick.txt"]);
    // With the default limit it is indexed.
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    assert_eq!(
        extracted(&output.stdout).as_deref(),
        Some("1 html"),
        "{output}"
    );
    assert_eq!(dir.hit_paths("slow"), ["docs/huge.html"]);
}

#[test]
fn unchanged_documents_are_not_extracted_again() {
    let dir = samples();
    dir.index(&["docs"]);
    let again = dir.lantern().arg("index").assert_success();
    let summary = IndexSummary::parse(&again.stdout);
    assert_eq!(summary.unchanged, SAMPLES.len() as u64, "{again}");
    assert_eq!(extracted(&again.stdout), None, "{again}");
    // A changed one is.
    dir.create("docs/report.docx", sample("documents/letter.odt"));
    let changed = dir.lantern().arg("index").assert_success();
    assert_eq!(
        extracted(&changed.stdout).as_deref(),
        Some("1 odt"),
        "{changed}"
    );
}

#[test]
fn status_counts_documents_by_type() {
    let dir = samples();
    dir.create("docs/a.txt", "a");
    dir.create("docs/b.md", "b");
    dir.index(&["docs"]);
    let status = dir.lantern().arg("status").assert_success();
    assert!(
        status.stdout.contains(
            "documents: 12 (2 text, 1 pdf, 1 html, 1 svg, 1 docx, 1 pptx, 1 xlsx, 1 odt, 1 odp, 1 ods, 1 epub)"
        ),
        "{status}"
    );
}

#[test]
fn poppler_reads_pdfs_when_asked() {
    if !available(Need::Pdftotext, "poppler_reads_pdfs_when_asked") {
        return;
    }
    let dir = Dir::new();
    dir.create("docs/manual.pdf", sample("documents/manual.pdf"));
    let output = dir
        .lantern()
        .args(["index", "--pdf-extractor", "pdftotext", "docs"])
        .assert_success();
    assert_eq!(
        extracted(&output.stdout).as_deref(),
        Some("1 pdf"),
        "{output}"
    );
    let results = dir.search_json(&["sunset"]);
    assert_eq!(results.paths(), ["docs/manual.pdf"]);
    assert_eq!(results.hits[0].locations[0].1, Some(2));
    assert_eq!(
        results.hits[0].title.as_deref(),
        Some("Keeper's Manual: The Lighthouse")
    );
}

#[test]
fn poppler_failures_are_named_and_counted() {
    if !available(Need::Pdftotext, "poppler_failures_are_named_and_counted") {
        return;
    }
    let dir = Dir::new();
    dir.create("docs/locked.pdf", sample("broken/encrypted.pdf"));
    // The built-in extractor rebuilds a cut file's cross-references; pdftotext gives up.
    dir.create("docs/cut.pdf", sample("broken/truncated.pdf"));
    let output = dir
        .lantern()
        .args(["index", "--pdf-extractor", "pdftotext", "docs"])
        .assert_success();
    let summary = IndexSummary::parse(&output.stdout);
    assert_eq!(summary.failed, 2, "{output}");
    for (file, cause) in [("locked.pdf", "encrypted"), ("cut.pdf", "damaged")] {
        assert!(
            output
                .stderr
                .lines()
                .any(|line| line.contains(file) && line.contains(cause)),
            "{file} is named as {cause}: {output}"
        );
    }
}
