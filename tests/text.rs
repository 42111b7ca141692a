//! Text of unusual kinds end to end: Chinese and Japanese words, and a document larger than the
//! text the indexer reads ahead.

mod util;

use std::fs;
use std::io::{BufWriter, Write};

use util::{marked, visible_text, Dir, IndexSummary};

#[test]
fn a_japanese_word_is_found_inside_a_sentence_and_marked() {
    let dir = Dir::new();
    dir.create(
        "docs/tokyo.txt",
        "東京都に住んでいます。Tokyo is a metropolis.",
    );
    // Both characters, apart: no match for the word.
    dir.create("docs/apart.txt", "京都と東北");
    dir.create("docs/english.txt", "nothing Japanese here");
    dir.index(&["docs"]);

    let results = dir.search_json(&["東京"]);
    assert_eq!(results.paths(), ["docs/tokyo.txt"]);
    let fragment = &results.hits[0].fragments[0];
    assert!(
        fragment.contains("<b>東京</b>") || fragment.contains("<b>東</b><b>京</b>"),
        "{fragment}"
    );
    assert_eq!(
        marked(fragment, "<b>", "</b>").concat(),
        "東京",
        "{fragment}"
    );
    assert!(
        visible_text(fragment, "<b>", "</b>").contains("東京都に住んでいます"),
        "{fragment}"
    );
    // The text format shows the same.
    let text = dir.search_text(&["東京"]);
    assert!(text.starts_with("1 total matching documents.\n"), "{text}");
    assert!(text.contains(fragment.as_str()), "{text}");
    // A single character is a word of its own.
    assert_eq!(
        util::sorted(dir.hit_paths("東")),
        ["docs/apart.txt", "docs/tokyo.txt"]
    );
}

/// The indexer reads at most this much text ahead of the indexing threads
/// (`READ_AHEAD_BYTES` in `src/index/pipeline.rs`).
const READ_AHEAD_BYTES: u64 = 64 << 20;

#[test]
fn a_document_larger_than_the_read_ahead_budget_is_indexed_with_the_others() {
    let dir = Dir::new();
    dir.create("docs/a-small.txt", "aardvark before");
    dir.create("docs/z-small.txt", "zorilla after");
    // Over the budget, by a margin, with one word at its very end only.
    let big_size = READ_AHEAD_BYTES + (6 << 20);
    // The budget counts bytes, not words: mostly blank lines keep a debug build quick.
    let mut line = "lorem ipsum dolor sit amet".to_string();
    line.push_str(&" ".repeat(4095 - line.len()));
    line.push('\n');
    let file = fs::File::create(dir.path("docs/big.txt")).expect("create big.txt");
    let mut big = BufWriter::with_capacity(1 << 20, file);
    let mut written = 0;
    while written < big_size {
        big.write_all(line.as_bytes()).expect("write big.txt");
        written += line.len() as u64;
    }
    big.write_all(b"farthestword\n").expect("write big.txt");
    big.flush().expect("write big.txt");
    drop(big);
    for file in 0..20 {
        dir.create(&format!("docs/m{file:02}.txt"), format!("middling{file}"));
    }

    // In one run, so the small files are read while the big one is in flight.
    let output = dir
        .lantern()
        .args(["index", "--max-file-size", "100M", "docs"])
        .assert_success();
    assert_eq!(
        IndexSummary::parse(&output.stdout),
        IndexSummary {
            indexed: 23,
            added: 23,
            ..IndexSummary::default()
        },
        "{output}"
    );
    // Reading 70 MB back takes a debug build seconds: no time limit, that is not what this checks.
    let farthest = dir.search_json(&["--timeout", "0", "farthestword"]);
    assert_eq!(farthest.paths(), ["docs/big.txt"]);
    assert_eq!(
        marked(&farthest.hits[0].snippet, "<b>", "</b>"),
        ["farthestword"]
    );
    assert_eq!(dir.hit_paths("aardvark"), ["docs/a-small.txt"]);
    assert_eq!(dir.hit_paths("zorilla"), ["docs/z-small.txt"]);
    assert_eq!(dir.hit_paths("middling7"), ["docs/m07.txt"]);
}

/// The hits of `query`, relative paths (every copy of a text), whatever the exit status of a
/// search that finds none.
fn hits(dir: &Dir, query: &str) -> Vec<String> {
    let output = dir
        .lantern()
        .args(["search", "--format", "json", "--no-collapse", query])
        .run();
    util::SearchJson::parse(dir, &output.stdout).paths()
}

#[test]
fn utf32_with_a_bom_is_decoded() {
    let dir = Dir::new();
    let text = "a numbat in the woodland\n";
    let mut le = vec![0xFF, 0xFE, 0, 0];
    le.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
    dir.create("docs/le.txt", le);
    let mut be = vec![0, 0, 0xFE, 0xFF];
    be.extend(text.chars().flat_map(|c| u32::from(c).to_be_bytes()));
    dir.create("docs/be.txt", be);
    let summary = dir.index(&["docs"]);
    assert_eq!((summary.added, summary.lossy), (2, 0), "{summary:?}");
    assert_eq!(
        util::sorted(hits(&dir, "numbat")),
        ["docs/be.txt", "docs/le.txt"]
    );
}

#[test]
fn a_doctypes_internal_subset_is_not_text_and_its_entities_are_not_expanded() {
    let dir = Dir::new();
    let subset = r#"<!DOCTYPE svg [
  <!ENTITY lol "lolword">
  <!ENTITY quoted "a > quotedword">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!-- a comment in the subset, with a ] and a > and a ' -->
  <!ENTITY lol2 '&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'>
  <!ELEMENT svg ANY>
]>"#;
    dir.create(
        "docs/laughs.svg",
        format!("<?xml version=\"1.0\"?>\n{subset}\n<svg><text>svglaughs &lol2;</text></svg>"),
    );
    dir.create(
        "docs/laughs.xhtml",
        format!(
            "<?xml version=\"1.0\"?>\n{}\n<html><body><p>pagelaughs &lol2;</p></body></html>",
            subset.replace("svg", "html")
        ),
    );
    dir.index(&["docs"]);
    for (word, path) in [
        ("svglaughs", "docs/laughs.svg"),
        ("pagelaughs", "docs/laughs.xhtml"),
    ] {
        let found = dir.search_json(&[word]);
        assert_eq!(found.paths(), [path]);
        let fragment = found.hits[0].fragments.concat();
        assert!(
            !fragment.contains("]&gt;") && !fragment.contains("]>"),
            "the subset's end is not text: {fragment}"
        );
        assert!(!fragment.contains("lolword"), "never expanded: {fragment}");
    }
    for word in ["lolword", "quotedword", "ENTITY", "ELEMENT", "comment"] {
        assert!(hits(&dir, word).is_empty(), "{word} is not text");
    }
}

/// Runs `lantern index ARGS...` on `dir`'s index, reading its peak resident memory (`VmHWM`)
/// from /proc until it exits: its exit code, stdout, stderr and peak in bytes.
fn index_with_peak_memory(dir: &Dir, args: &[&str]) -> (Option<i32>, String, String, u64) {
    use std::io::Read;
    let mut child = dir.lantern().arg("index").args(args).spawn_piped();
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let started = std::time::Instant::now();
    let code = loop {
        if let Ok(report) = fs::read_to_string(&status) {
            let kilobytes = report
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                });
            peak = peak.max(kilobytes.unwrap_or(0) * 1024);
        }
        if let Some(exit) = child.try_wait().expect("wait for lantern") {
            break exit.code();
        }
        assert!(started.elapsed() < util::HANG_LIMIT, "lantern index hung");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let stdout = stdout.join().expect("stdout");
    let stderr = stderr.join().expect("stderr");
    (code, stdout, stderr, peak)
}

#[test]
fn a_document_past_a_quarter_of_the_memory_is_truncated_said_and_counted() {
    let dir = Dir::new();
    dir.create("docs/small.txt", "aardvark");
    // 120 MB on one line, a word at each end.
    let file = fs::File::create(dir.path("docs/huge.txt")).expect("create");
    let mut writer = BufWriter::new(file);
    writer.write_all(b"frontword ").expect("write");
    for _ in 0..(120 << 20) / 32 {
        writer
            .write_all(b"filler text filler text filler! ")
            .expect("write");
    }
    writer.write_all(b" tailword").expect("write");
    writer.flush().expect("flush");
    drop(writer);

    // --memory 64M: at most 16 MiB of one document's text is indexed.
    let (code, stdout, stderr, peak) = index_with_peak_memory(
        &dir,
        &[
            "--memory",
            "64M",
            "--threads",
            "1",
            "--max-file-size",
            "1G",
            "docs",
        ],
    );
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("truncated") && stderr.contains(&dir.display("docs/huge.txt")),
        "{stderr}"
    );
    assert!(stdout.contains("; 1 truncated;"), "{stdout}");
    assert!(
        peak < 300 << 20,
        "peak memory {} MB for a 120 MB document under --memory 64M",
        peak >> 20
    );
    assert_eq!(hits(&dir, "frontword"), ["docs/huge.txt"]);
    assert!(hits(&dir, "tailword").is_empty(), "past the cut");
    assert_eq!(hits(&dir, "aardvark"), ["docs/small.txt"]);
}
