//! Narrowing a search: `modified:` and `size:` clauses in every form, and `type:`/`path:`
//! clauses that filter, each checked against a brute-force pass over the files' own dates and
//! sizes.

mod util;

use std::fs::File;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use util::{sorted, Dir};

/// Seconds from the epoch to a UTC date and time.
fn utc(year: i32, month: u32, day: u32, hour: u64) -> u64 {
    // Days from 1970-01-01, by counting (the test's own arithmetic, not Lantern's).
    let mut days = 0u64;
    for y in 1970..year {
        days += if is_leap(y) { 366 } else { 365 };
    }
    let lengths = [
        31,
        if is_leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += lengths[..month as usize - 1].iter().sum::<u64>();
    days += u64::from(day) - 1;
    days * 86_400 + hour * 3_600
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// A file of the corpus: its name, modification time (seconds since the epoch) and size.
struct Doc {
    name: &'static str,
    modified: u64,
    size: usize,
}

/// Files around the edges the queries test: the ends of years, months and days, and sizes
/// around 1 KiB and 1 MiB. Every file holds the word `lantern`.
fn docs() -> Vec<Doc> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let doc = |name, modified, size| Doc {
        name,
        modified,
        size,
    };
    vec![
        doc("old.txt", utc(2023, 12, 31, 23), 10),
        doc("new-year.txt", utc(2024, 1, 1, 0), 1023),
        doc("march.txt", utc(2024, 3, 15, 12), 1024),
        doc("june-end.txt", utc(2024, 6, 30, 23), 1025),
        doc("july.txt", utc(2024, 7, 1, 0), 1 << 20),
        doc("big.txt", utc(2025, 2, 28, 12), (1 << 20) + 1),
        doc("recent.txt", now - 2 * 86_400, 3000),
    ]
}

/// A folder `docs/` of [`docs`], with their times set, indexed.
fn corpus() -> (Dir, Vec<Doc>) {
    let dir = Dir::new();
    let docs = docs();
    for doc in &docs {
        let path = format!("docs/{}", doc.name);
        let mut text = "lantern ".repeat(doc.size / 8 + 1).into_bytes();
        text.truncate(doc.size);
        dir.create(&path, text);
        File::options()
            .write(true)
            .open(dir.path(&path))
            .and_then(|file| file.set_modified(UNIX_EPOCH + Duration::from_secs(doc.modified)))
            .expect("set the modification time");
    }
    dir.index(&["docs"]);
    (dir, docs)
}

/// The files of `docs` for which `keep` holds, as search results name them, sorted.
fn expected(docs: &[Doc], keep: impl Fn(&Doc) -> bool) -> Vec<String> {
    sorted(
        docs.iter()
            .filter(|doc| keep(doc))
            .map(|doc| format!("docs/{}", doc.name))
            .collect(),
    )
}

#[test]
fn dates_and_sizes_select_what_a_brute_force_pass_selects() {
    let (dir, docs) = corpus();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let kib = 1024;
    let mib = 1 << 20;
    let start_2024 = utc(2024, 1, 1, 0);
    let start_july = utc(2024, 7, 1, 0);
    let start_march = utc(2024, 3, 1, 0);
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, Box<dyn Fn(&Doc) -> bool>)> = vec![
        (
            "lantern modified:[2024-01-01 TO 2024-06-30]",
            Box::new(move |d| d.modified >= start_2024 && d.modified < start_july),
        ),
        (
            "lantern modified:{2024-01-01 TO 2024-06-30}",
            Box::new(move |d| {
                d.modified >= start_2024 + 86_400 && d.modified < start_july - 86_400
            }),
        ),
        (
            "modified:2024",
            Box::new(move |d| d.modified >= start_2024 && d.modified < utc(2025, 1, 1, 0)),
        ),
        (
            "modified:2024-03",
            Box::new(move |d| d.modified >= start_march && d.modified < utc(2024, 4, 1, 0)),
        ),
        (
            "modified:>=2024-03",
            Box::new(move |d| d.modified >= start_march),
        ),
        (
            "modified:>2024-06",
            Box::new(move |d| d.modified >= start_july),
        ),
        ("modified:<2024", Box::new(move |d| d.modified < start_2024)),
        (
            "modified:<=2024-06-30",
            Box::new(move |d| d.modified < start_july),
        ),
        (
            "modified:>now-7d",
            Box::new(move |d| d.modified > now - 7 * 86_400),
        ),
        (
            "modified:now-7d",
            Box::new(move |d| d.modified > now - 7 * 86_400),
        ),
        ("size:>1K", Box::new(move |d| d.size > kib)),
        ("size:>=1K", Box::new(move |d| d.size >= kib)),
        ("size:<1k", Box::new(move |d| d.size < kib)),
        ("size:1024", Box::new(move |d| d.size == kib)),
        ("size:{1M TO *]", Box::new(move |d| d.size > mib)),
        (
            "size:[1KiB TO 1MB}",
            Box::new(move |d| d.size >= kib && d.size < mib),
        ),
        ("size:[* TO 1.5K]", Box::new(move |d| d.size <= 1536)),
        (
            "lantern size:>1K modified:2024",
            Box::new(move |d| {
                d.size > kib && d.modified >= start_2024 && d.modified < utc(2025, 1, 1, 0)
            }),
        ),
        ("lantern AND -size:>1K", Box::new(move |d| d.size <= kib)),
    ];
    for (query, keep) in cases {
        let want = expected(&docs, keep);
        assert!(!want.is_empty(), "{query}: a test that selects nothing");
        assert_eq!(sorted(dir.hit_paths(query)), want, "{query}");
    }
}

#[test]
fn malformed_dates_and_sizes_point_at_the_value() {
    let (dir, _) = corpus();
    for (query, message, column) in [
        ("lantern size:>10Q", "'10Q' is not a size", 14),
        ("modified:2024-02-30", "'2024-02-30' is not a date", 9),
        ("modified:>now-3", "'now-3' is not a date", 10),
        ("size:(1 2)", "size: takes a size", 5),
    ] {
        let output = dir.lantern().args(["search", query]).assert_exit(2);
        assert!(output.stderr.contains(message), "{query}: {output}");
        let caret = format!("\n{}^", " ".repeat(column));
        assert!(
            output.stderr.contains(&caret),
            "{query}: caret at {column}: {output}"
        );
    }
}

#[test]
fn type_and_path_beside_words_filter() {
    let dir = Dir::new();
    dir.create("docs/howto/logging.txt", "logging how to");
    dir.create("docs/guide/logging.txt", "logging logging logging guide");
    dir.create(
        "docs/howto/page.html",
        "<html><body>logging in html</body></html>",
    );
    dir.create(
        "docs/other.html",
        "<html><body>nothing relevant</body></html>",
    );
    dir.index(&["docs"]);
    assert_eq!(
        sorted(dir.hit_paths("path:howto logging")),
        ["docs/howto/logging.txt", "docs/howto/page.html"]
    );
    assert_eq!(dir.hit_paths("type:html logging"), ["docs/howto/page.html"]);
    // Two types are alternatives; the type and the path are both required.
    assert_eq!(
        sorted(dir.hit_paths("type:html type:text logging path:howto")),
        ["docs/howto/logging.txt", "docs/howto/page.html"]
    );
    // Written with OR, a field clause is one alternative among others, as in Lucene.
    assert_eq!(
        sorted(dir.hit_paths("type:html OR logging")),
        [
            "docs/guide/logging.txt",
            "docs/howto/logging.txt",
            "docs/howto/page.html",
            "docs/other.html"
        ]
    );
}

/// A mix of types and folders for the filter flags and parameters.
fn mixed() -> Dir {
    let dir = Dir::new();
    dir.create("docs/howto/logging.txt", "logging how to");
    dir.create("docs/guide/logging.txt", "logging logging logging guide");
    dir.create(
        "docs/howto/page.html",
        "<html><body>logging in html</body></html>",
    );
    dir.create(
        "docs/guide/page.html",
        "<html><body>more logging in html</body></html>",
    );
    dir.index(&["docs"]);
    dir
}

#[test]
fn filter_flags_and_the_query() {
    let dir = mixed();
    let paths = |args: &[&str]| sorted(dir.search_json(args).paths());
    assert_eq!(
        paths(&["--type", "html", "logging"]),
        ["docs/guide/page.html", "docs/howto/page.html"]
    );
    assert_eq!(
        paths(&["--type", "html", "--path", "howto", "logging"]),
        ["docs/howto/page.html"]
    );
    // Repeated types and paths are alternatives.
    assert_eq!(
        paths(&["--type", "html", "--type", "text", "--path", "howto", "logging"]),
        ["docs/howto/logging.txt", "docs/howto/page.html"]
    );
    // Repeated sizes all hold; no query: every document passing the filters.
    assert_eq!(
        paths(&["--size", ">20", "--size", "<40"]),
        ["docs/guide/logging.txt"]
    );
    assert_eq!(paths(&["--modified", ">now-1h", "--type", "text"]).len(), 2);
    assert!(paths(&["--modified", "<2000", "logging"]).is_empty());
    // The query run, with the filters' clauses, is the one reported.
    let json = dir.search_json(&["--type", "html", "logging"]);
    assert_eq!(json.raw["query"], "(logging) AND type:\"html\"");
}

#[test]
fn a_malformed_filter_value_gets_a_caret_under_it() {
    let dir = mixed();
    let output = dir
        .lantern()
        .args(["search", "logging", "--size", ">10Q"])
        .assert_exit(2);
    assert!(output.stderr.contains("'10Q' is not a size"), "{output}");
    assert!(
        output
            .stderr
            .contains(&format!("(logging) AND size:>10Q\n{}^", " ".repeat(20))),
        "{output}"
    );
    // A value cannot smuggle clauses in.
    let output = dir
        .lantern()
        .args(["search", "logging", "--size", "1 OR *"])
        .assert_exit(2);
    assert!(output.stderr.contains("is not a size"), "{output}");
}

#[test]
fn a_lenient_search_reads_past_the_query_but_keeps_its_filters() {
    let dir = mixed();
    // `logging (` is not valid syntax: its words are searched, still only as the filters say.
    let json = dir.search_json(&[
        "--lenient",
        "--type",
        "html",
        "--path",
        "howto",
        "logging (",
    ]);
    assert_eq!(sorted(json.paths()), ["docs/howto/page.html"]);
    assert_eq!(
        json.raw["query"],
        "(logging () AND type:\"html\" AND path:\"howto\""
    );
    // The syntax error points into the query run, one past where it is in the query alone.
    let alone = dir.search_json(&["--lenient", "logging ("]);
    let position = |json: &util::SearchJson| {
        json.raw["syntax_error"]["position"]
            .as_u64()
            .expect("a syntax error with a position")
    };
    assert_eq!(position(&json), position(&alone) + 1, "{}", json.raw);
    // A malformed filter value is no query to read past: it is refused.
    let output = dir
        .lantern()
        .args(["search", "--lenient", "logging (", "--size", ">10Q"])
        .assert_exit(2);
    assert!(output.stderr.contains("'10Q' is not a size"), "{output}");
}

#[test]
fn the_api_takes_the_same_filters() {
    let dir = mixed();
    let server = util::ServerGuard::start(&dir, &[]);
    let target = format!(
        "/api/search?q=logging&type=html,text&path=howto&size={}",
        util::encode(">10")
    );
    let (status, json) = server.get_json(&target);
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        util::sorted(dir.json_hit_paths(&json)),
        ["docs/howto/logging.txt", "docs/howto/page.html"]
    );
    let (status, error) = server.get_json("/api/search?q=logging&modified=2024-13");
    assert_eq!(status, 400, "{error}");
    assert!(error["error"]["message"]
        .as_str()
        .expect("message")
        .contains("'2024-13' is not a date"));
}

#[test]
fn sorted_by_date_size_or_path_in_either_direction() {
    let (dir, docs) = corpus();
    let order = |key: fn(&Doc) -> (u64, &'static str), descending: bool, limit: usize| {
        let mut docs: Vec<&Doc> = docs.iter().collect();
        docs.sort_by_key(|doc| key(doc));
        if descending {
            docs.reverse();
        }
        docs.iter()
            .take(limit)
            .map(|doc| format!("docs/{}", doc.name))
            .collect::<Vec<_>>()
    };
    let by_date = |doc: &Doc| (doc.modified, doc.name);
    let by_size = |doc: &Doc| (doc.size as u64, doc.name);
    let by_name = |doc: &Doc| (0, doc.name);
    for (sort, key, descending) in [
        ("modified", by_date as fn(&Doc) -> (u64, &'static str), true),
        ("-modified", by_date, false),
        ("size", by_size, true),
        ("-size", by_size, false),
        ("path", by_name, false),
        ("-path", by_name, true),
    ] {
        for limit in [3, 50] {
            let limit_text = limit.to_string();
            let json = dir.search_json(&["lantern", "--sort", sort, "--limit", &limit_text]);
            assert_eq!(json.total, docs.len() as u64, "{sort}");
            assert_eq!(
                json.paths(),
                order(key, descending, limit),
                "--sort {sort} --limit {limit}"
            );
        }
    }
    // Filters and sorting together; the API takes the same order.
    let json = dir.search_json(&["--sort", "-modified", "--size", ">1K", "--limit", "2"]);
    assert_eq!(json.paths(), ["docs/june-end.txt", "docs/july.txt"]);
    let server = util::ServerGuard::start(&dir, &[]);
    let (status, found) = server.get_json("/api/search?q=lantern&sort=-size&limit=2");
    assert_eq!(status, 200, "{found}");
    let paths = dir.json_hit_paths(&found);
    assert_eq!(paths, ["docs/old.txt", "docs/new-year.txt"]);
    let (status, error) = server.get_json("/api/search?q=lantern&sort=created");
    assert_eq!(status, 400, "{error}");
}

/// A file of the many-files corpus: its path, whether it holds `beam`, its modification time
/// and size.
struct Many {
    path: String,
    beam: bool,
    modified: u64,
    size: u64,
}

#[test]
fn a_sorted_top_n_is_the_top_of_every_match_sorted_by_brute_force() {
    // More files than a block of the sorted walk (128 documents), in runs that share a
    // modification time and sizes that repeat, as files unpacked together do: many ties.
    let dir = Dir::new();
    let mut files = Vec::new();
    for n in 0..400u64 {
        let folder = if n % 3 == 0 { "left" } else { "right" };
        let path = format!("many/{folder}/{n:03}.txt");
        let beam = n % 2 == 0;
        let words = if beam { "beam lantern" } else { "lantern" };
        let text = format!("{words} file {n}{}\n", " pad".repeat((n % 7) as usize * 40));
        let modified = utc(2024, 1, 1, 0) + (n / 50 + n % 3) * 86_400;
        dir.create(&path, &text);
        File::options()
            .write(true)
            .open(dir.path(&path))
            .and_then(|file| file.set_modified(UNIX_EPOCH + Duration::from_secs(modified)))
            .expect("set the modification time");
        files.push(Many {
            path,
            beam,
            modified,
            size: text.len() as u64,
        });
    }
    dir.index(&["many"]);
    type Key = fn(&Many) -> u64;
    let by_date: Key = |file| file.modified;
    let by_size: Key = |file| file.size;
    type Passes = fn(&Many) -> bool;
    let filters: [(&[&str], Passes); 3] = [
        (&[], |_| true),
        (&["--path", "many/left"], |file| {
            file.path.contains("/left/")
        }),
        (&["--size", ">300"], |file| file.size > 300),
    ];
    for query in ["beam", "lantern"] {
        for (filter, passes) in &filters {
            // Every match, read from the files themselves.
            let matches: Vec<&Many> = files
                .iter()
                .filter(|file| passes(file))
                .filter(|file| query == "lantern" || file.beam)
                .collect();
            for (sort, key, descending) in [
                ("modified", by_date, true),
                ("-modified", by_date, false),
                ("size", by_size, true),
                ("-size", by_size, false),
            ] {
                for limit in [1, 10, 90] {
                    let mut keys: Vec<u64> = matches.iter().map(|file| key(file)).collect();
                    keys.sort_unstable();
                    if descending {
                        keys.reverse();
                    }
                    keys.truncate(limit);
                    let limit = limit.to_string();
                    let mut args = vec![query, "--sort", sort, "--limit", &limit];
                    args.extend_from_slice(filter);
                    let json = dir.search_json(&args);
                    let what = format!("{args:?}");
                    assert_eq!(json.total, matches.len() as u64, "{what}");
                    // Ties may come in any order: the keys in order, each hit a distinct match.
                    let paths = json.paths();
                    let found: Vec<u64> = paths
                        .iter()
                        .map(|path| {
                            let file = matches.iter().find(|file| &file.path == path);
                            key(file.unwrap_or_else(|| panic!("{path} is no match: {what}")))
                        })
                        .collect();
                    assert_eq!(found, keys, "{what}");
                    let mut distinct = sorted(paths.clone());
                    distinct.dedup();
                    assert_eq!(distinct.len(), paths.len(), "{what}");
                }
            }
        }
    }
}

#[test]
fn an_unknown_sort_is_an_argument_error() {
    let (dir, _) = corpus();
    let output = dir
        .lantern()
        .args(["search", "lantern", "--sort", "-relevance"])
        .assert_exit(2);
    assert!(
        output.stderr.contains("unknown sort '-relevance'"),
        "{output}"
    );
}

#[test]
fn the_search_page_corrects_the_box_and_reads_it_leniently_under_its_filters() {
    let dir = mixed();
    let server = util::ServerGuard::start(&dir, &[]);
    // A misspelled box under a type filter: the box's word is corrected, the filter kept, in
    // the hits and in the correction's links.
    let (status, page) = server.get("/search?q=loging&type=html");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(r#"id="corrected-query" href="/search?q=logging&#38;type=html">logging</a>"#),
        "{page}"
    );
    assert!(
        page.contains(
            r#"id="original-query" href="/search?q=loging&#38;type=html&#38;correct=0">"#
        ),
        "{page}"
    );
    assert!(page.contains("howto/page.html"), "{page}");
    assert!(!page.contains("logging.txt"), "{page}");
    // A box that is not valid syntax is searched as its words, the filters as they are.
    let (status, page) = server.get("/search?q=logging%20(&type=html&path=howto");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"id="syntax-error""#), "{page}");
    // One hit, the web page under howto (its path's `howto` marked).
    assert!(page.contains(">1 total matching documents"), "{page}");
    assert!(page.contains("/page.html"), "{page}");
    assert!(!page.contains("guide/page.html"), "{page}");
    assert!(!page.contains("logging.txt"), "{page}");
}

#[test]
fn the_search_page_keeps_its_filters_and_sort_and_shows_the_query_run() {
    let dir = mixed();
    let server = util::ServerGuard::start(&dir, &[]);
    let (status, page) =
        server.get("/search?q=logging&type=html&size=%3E10&sort=-path&modified=%3Enow-1d");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(
            "Query run: <code>(logging) AND type:&#34;html&#34; AND modified:&#62;now-1d AND size:&#62;10</code>"
        ),
        "{page}"
    );
    for control in [
        r#"id="type" name="type" type="text" value="html""#,
        r#"id="size" name="size" type="text" value="&#62;10""#,
        r#"<option value="-path" selected>"#,
    ] {
        assert!(page.contains(control), "{control}: {page}");
    }
    // Path Z to A: howto before guide, and only the web pages.
    let howto = page.find("howto/page.html").expect("the howto page");
    let guide = page.find("guide/page.html").expect("the guide page");
    assert!(howto < guide, "{page}");
    assert!(!page.contains("logging.txt"), "{page}");
    // A hostile value is text, never markup; a bad one is explained.
    let (status, page) = server.get("/search?q=logging&size=%22%3E%3Cb%3E");
    assert_eq!(status, 400, "{page}");
    assert!(!page.contains("\"><b>"), "{page}");
    assert!(page.contains("is not a size"), "{page}");
}

/// `YYYY-MM` of a time in seconds since the epoch, by scanning month starts.
fn month_of(seconds: u64) -> String {
    let mut found = String::new();
    for year in 1970..2100 {
        for month in 1..=12 {
            if utc(year, month, 1, 0) <= seconds {
                found = format!("{year:04}-{month:02}");
            }
        }
    }
    found
}

#[test]
fn facets_count_every_match_by_type_and_month() {
    let (dir, docs) = corpus();
    dir.create("docs/page.html", "<html><body>lantern page</body></html>");
    File::options()
        .write(true)
        .open(dir.path("docs/page.html"))
        .and_then(|file| file.set_modified(UNIX_EPOCH + Duration::from_secs(utc(2024, 3, 2, 5))))
        .expect("set the modification time");
    dir.index(&["docs"]);
    let mut months: Vec<(String, u64)> = Vec::new();
    for modified in docs
        .iter()
        .map(|doc| doc.modified)
        .chain([utc(2024, 3, 2, 5)])
    {
        let month = month_of(modified);
        match months.iter_mut().find(|(seen, _)| *seen == month) {
            Some((_, count)) => *count += 1,
            None => months.push((month, 1)),
        }
    }
    months.sort_by(|a, b| b.0.cmp(&a.0));
    for sort in ["relevance", "-size"] {
        let json = dir.search_json(&["lantern", "--facets", "--limit", "2", "--sort", sort]);
        assert_eq!(json.hits.len(), 2);
        assert_eq!(json.total, docs.len() as u64 + 1);
        let facets = &json.raw["facets"];
        assert_eq!(
            facets["type"],
            serde_json::json!([{"value": "text", "count": docs.len()}, {"value": "html", "count": 1}]),
            "{sort}"
        );
        let expected: Vec<serde_json::Value> = months
            .iter()
            .map(|(month, count)| serde_json::json!({"value": month, "count": count}))
            .collect();
        assert_eq!(
            facets["modified"],
            serde_json::Value::Array(expected),
            "{sort}"
        );
    }
    // A filter narrows the counts too; text output has them on one line.
    let text = dir.search_text(&["lantern", "--facets", "--modified", "2024-03"]);
    assert!(
        text.contains("\ntype: html 1, text 1 | modified: 2024-03 2\n"),
        "{text}"
    );
    // Without --facets, JSON has no facets.
    assert!(dir.search_json(&["lantern"]).raw.get("facets").is_none());
}

/// The same text at three paths, and another text that matches the same word.
fn copies() -> Dir {
    let dir = Dir::new();
    let text = "The lighthouse keeper's log: fog at dawn, a ship at noon.\n";
    for path in ["a/notes.txt", "b/c/notes.txt", "backup/old/notes.txt"] {
        dir.create(path, text);
    }
    dir.create("other.txt", "A lighthouse, seen from the other shore.\n");
    dir.index(&["."]);
    dir
}

#[test]
fn copies_of_one_text_are_one_hit_that_names_the_others() {
    let dir = copies();
    let json = dir.search_json(&["lighthouse"]);
    // Every copy is a match; the list shows each text once.
    assert_eq!(json.total, 4);
    assert_eq!(json.hits.len(), 2, "{}", json.raw);
    // Copies score alike: the shortest path stands for them.
    let kept = json.hit("a/notes.txt");
    assert_eq!(
        sorted(kept.also_at.clone()),
        ["b/c/notes.txt", "backup/old/notes.txt"]
    );
    assert!(json.hit("other.txt").also_at.is_empty());
    assert_eq!(json.collapsed, 2);
    // --no-collapse lists every copy.
    let all = dir.search_json(&["lighthouse", "--no-collapse"]);
    assert_eq!(
        sorted(all.paths()),
        [
            "a/notes.txt",
            "b/c/notes.txt",
            "backup/old/notes.txt",
            "other.txt"
        ]
    );
    assert!(all.hits.iter().all(|hit| hit.also_at.is_empty()));
    assert_eq!(all.collapsed, 0);
    // Text output names them under the hit.
    let text = dir.search_text(&["lighthouse", "--fragments", "0"]);
    let line = format!(
        "also at: {}, {}\n",
        dir.display("b/c/notes.txt"),
        dir.display("backup/old/notes.txt")
    );
    assert!(text.contains(&line), "{text}");
    // In another order, the first copy in that order stands for the others.
    let json = dir.search_json(&["lighthouse", "--sort", "-path"]);
    assert_eq!(json.paths(), ["other.txt", "backup/old/notes.txt"]);
    assert_eq!(
        json.hits[1].also_at,
        ["a/notes.txt", "b/c/notes.txt"],
        "{}",
        json.raw
    );
    // A filter leaves out the copies it does not pass: they are not matches.
    let json = dir.search_json(&["lighthouse", "--path", "backup"]);
    assert_eq!(json.paths(), ["backup/old/notes.txt"]);
    assert!(json.hits[0].also_at.is_empty());
}

#[test]
fn copies_past_the_first_candidates_still_leave_as_many_distinct_hits() {
    let dir = Dir::new();
    // Forty copies of the best text, then three texts that match less well.
    let best = "beacon beacon beacon beacon\n";
    for n in 0..40 {
        dir.create(&format!("copies/{n:02}/best.txt"), best);
    }
    for (n, text) in ["beacon one", "beacon two words", "beacon three more words"]
        .iter()
        .enumerate()
    {
        dir.create(
            &format!("distinct/{n}.txt"),
            format!("{text} and a longer tail of text\n"),
        );
    }
    dir.index(&["."]);
    let json = dir.search_json(&["beacon", "--limit", "3"]);
    assert_eq!(json.total, 43);
    assert_eq!(json.hits.len(), 3, "{}", json.raw);
    assert_eq!(json.hits[0].path, "copies/00/best.txt");
    // Every other copy is named, though most were never among the candidates.
    let expected: Vec<String> = (1..40).map(|n| format!("copies/{n:02}/best.txt")).collect();
    assert_eq!(json.hits[0].also_at, expected);
    assert!(json.hits[1..]
        .iter()
        .all(|hit| hit.path.starts_with("distinct/")));
    // The text output names three and counts the rest.
    let text = dir.search_text(&["beacon", "--limit", "1", "--fragments", "0"]);
    assert!(text.contains(" (+36 more)\n"), "{text}");
    // Paging goes on past the folded copies.
    let json = dir.search_json(&["beacon", "--limit", "50"]);
    assert_eq!(json.hits.len(), 4);
}

#[test]
fn documents_without_text_are_never_copies() {
    let dir = Dir::new();
    dir.create("empty/one.txt", "");
    dir.create("empty/two.txt", "  \n");
    dir.index(&["."]);
    let json = dir.search_json(&["path:empty"]);
    assert_eq!(sorted(json.paths()), ["empty/one.txt", "empty/two.txt"]);
}

/// Counts by folder one level below `base` (relative to the root `tree/`), from hit paths
/// relative to the test folder: the test's own count, largest first, then by name.
fn folder_counts(paths: &[String], base: &str) -> serde_json::Value {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for path in paths {
        let relative = path.strip_prefix("tree/").expect("under the root");
        let below = if base.is_empty() {
            Some(relative)
        } else {
            relative.strip_prefix(&format!("{base}/"))
        };
        let Some((folder, _)) = below.and_then(|below| below.split_once('/')) else {
            continue;
        };
        let folder = if base.is_empty() {
            folder.to_string()
        } else {
            format!("{base}/{folder}")
        };
        match counts.iter_mut().find(|(seen, _)| *seen == folder) {
            Some((_, count)) => *count += 1,
            None => counts.push((folder, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(value, count)| serde_json::json!({"value": value, "count": count}))
        .collect()
}

#[test]
fn folder_facets_count_every_match_by_folder_and_drill_down_a_path_filter() {
    let dir = Dir::new();
    // Names around `src/` in byte order (`src-old`, `src.txt`, `srcx`), a `src` deeper down,
    // files directly in the root and in folders.
    let files = [
        "src/a/one.txt",
        "src/a/two.txt",
        "src/a/deep/three.txt",
        "src/b/four.txt",
        "src/five.txt",
        "src-old/six.txt",
        "src.txt",
        "srcx/seven.txt",
        "docs/src/eight.txt",
        "docs/nine.txt",
        "top.txt",
    ];
    for (n, path) in files.iter().enumerate() {
        dir.create(
            &format!("tree/{path}"),
            format!("ember {}\n", "word ".repeat(n)),
        );
    }
    dir.create("tree/unrelated/other.txt", "nothing to see\n");
    dir.index(&["tree"]);
    for (args, base) in [
        (vec!["ember"], ""),
        (vec!["ember", "--path", "src"], "src"),
        (vec!["ember", "--path", "/src/a/"], "src/a"),
        (vec!["ember", "--type", "text"], ""),
    ] {
        let mut every = args.clone();
        every.extend(["--no-collapse", "--limit", "1000"]);
        let all = dir.search_json(&every);
        assert_eq!(all.hits.len() as u64, all.total);
        let mut faceted = args.clone();
        faceted.extend(["--facets", "--limit", "1"]);
        let json = dir.search_json(&faceted);
        assert_eq!(
            json.raw["facets"]["folders"],
            folder_counts(&all.paths(), base),
            "{args:?}"
        );
    }
    // The counts by hand, once: the first level, and under `src`.
    let json = dir.search_json(&["ember", "--facets"]);
    assert_eq!(
        json.raw["facets"]["folders"],
        serde_json::json!([
            {"value": "src", "count": 5},
            {"value": "docs", "count": 2},
            {"value": "src-old", "count": 1},
            {"value": "srcx", "count": 1},
        ])
    );
    let text = dir.search_text(&["ember", "--facets", "--path", "src"]);
    assert!(text.contains(" | folders: src/a 3, src/b 1\n"), "{text}");
}

/// A one-page PDF showing `text`, whose document information dictionary has `info` (e.g.
/// `/CreationDate (D:2020...)`), with a correct cross-reference table.
fn pdf(text: &str, info: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< {info} >>"),
    ];
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(bytes.len());
        bytes.extend(format!("{} 0 obj\n{object}\nendobj\n", n + 1).into_bytes());
    }
    let xref = bytes.len();
    bytes.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        bytes.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    bytes.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            objects.len()
        )
        .into_bytes(),
    );
    bytes
}

/// A Word document showing `text`, whose core properties are `properties` (elements such as
/// `<dcterms:created>`).
fn docx(text: &str, properties: &str) -> Vec<u8> {
    use std::io::Write;
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
                .to_string(),
        ),
        (
            "word/document.xml",
            format!(
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
                 <w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
            ),
        ),
        (
            "docProps/core.xml",
            format!(
                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
                 xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
                 {properties}</cp:coreProperties>"
            ),
        ),
    ];
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, part) in parts {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start a part");
        writer.write_all(part.as_bytes()).expect("write a part");
    }
    writer.finish().expect("finish the package").into_inner()
}

#[test]
fn documents_own_dates_are_queried_filtered_and_sorted_on() {
    let dir = Dir::new();
    // Created 2020-03-15 12:00 UTC (its later ModDate is not its date).
    dir.create(
        "docs/a.pdf",
        pdf(
            "zephyr alpha",
            "/CreationDate (D:20200315120000Z) /ModDate (D:20230101000000Z)",
        ),
    );
    // Created 2021-06-01.
    dir.create(
        "docs/b.docx",
        docx(
            "zephyr bravo",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-06-01T00:00:00Z</dcterms:created>\
             <dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-02-02T00:00:00Z</dcterms:modified>",
        ),
    );
    // Only a ModDate, two hours east of UTC: 2018-12-31 22:00 UTC.
    dir.create(
        "docs/c.pdf",
        pdf("zephyr charlie", "/ModDate (D:20190101000000+02'00')"),
    );
    // No date of its own; and a PDF whose date is not one.
    dir.create("docs/d.txt", "zephyr delta\n");
    dir.create(
        "docs/e.pdf",
        pdf("zephyr echo", "/CreationDate (yesterday)"),
    );
    dir.index(&["docs"]);
    let json = dir.search_json(&["zephyr", "--sort", "path"]);
    let dates: Vec<(&str, Option<&str>)> = json
        .hits
        .iter()
        .map(|hit| (hit.path.as_str(), hit.date.as_deref()))
        .collect();
    assert_eq!(
        dates,
        [
            ("docs/a.pdf", Some("2020-03-15T12:00:00Z")),
            ("docs/b.docx", Some("2021-06-01T00:00:00Z")),
            ("docs/c.pdf", Some("2018-12-31T22:00:00Z")),
            ("docs/d.txt", None),
            ("docs/e.pdf", None),
        ]
    );
    let found = |args: &[&str]| sorted(dir.search_json(args).paths());
    let cases: [(&[&str], &[&str]); 7] = [
        (&["date:2020"], &["docs/a.pdf"]),
        (&["date:[2018 TO 2020]"], &["docs/a.pdf", "docs/c.pdf"]),
        (&["date:<2019"], &["docs/c.pdf"]),
        (&["date:2018-12-31"], &["docs/c.pdf"]),
        (&["date:>2020-06"], &["docs/b.docx"]),
        (
            &["zephyr", "--date", ">=2019"],
            &["docs/a.pdf", "docs/b.docx"],
        ),
        (
            &["zephyr", "--date", "<now"],
            &["docs/a.pdf", "docs/b.docx", "docs/c.pdf"],
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(found(args), expected, "{args:?}");
    }
    // Newest first, or oldest first: documents without a date last either way.
    let order = |sort: &str| dir.search_json(&["zephyr", "--sort", sort]).paths();
    let newest = order("date");
    assert_eq!(newest[..3], ["docs/b.docx", "docs/a.pdf", "docs/c.pdf"]);
    assert_eq!(sorted(newest[3..].to_vec()), ["docs/d.txt", "docs/e.pdf"]);
    let oldest = order("-date");
    assert_eq!(oldest[..3], ["docs/c.pdf", "docs/a.pdf", "docs/b.docx"]);
    // A malformed date is refused with a caret.
    let output = dir
        .lantern()
        .args(["search", "date:2020-13"])
        .assert_exit(2);
    assert!(output.stderr.contains("is not a date"), "{output}");
}
