//! What users see when things go wrong: malformed queries, a missing index, a damaged index.

mod util;

use std::fs;

use serde_json::Value;
use util::{assert_keys, assert_well_formed_html, visible_text, Dir};

/// A folder with a small index.
fn indexed() -> Dir {
    let dir = Dir::new();
    dir.create("docs/a.txt", "some words to find");
    dir.create("docs/b.txt", "more words");
    dir.index(&["docs"]);
    dir
}

/// Malformed queries, where the problem is (a character offset), and a word of the message.
const MALFORMED: &[(&str, usize, &str)] = &[
    ("\"unclosed", 0, "quote"),
    ("(a OR", 3, "OR"),
    ("AND", 0, "AND"),
    ("a^", 1, "^"),
    ("[a TO", 0, "range"),
    ("words)", 5, ")"),
    ("path:", 5, "path"),
];

#[test]
fn a_malformed_query_is_explained_with_a_caret_and_exits_2() {
    let dir = indexed();
    for &(query, position, word) in MALFORMED {
        let output = dir
            .lantern()
            .args(["search", "--color", "never", query])
            .assert_exit(2);
        assert_eq!(output.stdout, "", "text output stays empty for {query:?}");
        let lines: Vec<&str> = output.stderr.lines().collect();
        assert_eq!(lines.len(), 3, "message, query, caret:\n{output}");
        assert!(
            lines[0].starts_with("lantern: invalid query: ") && lines[0].contains(word),
            "{query:?}: {}",
            lines[0]
        );
        assert_eq!(lines[1], query);
        assert_eq!(
            lines[2],
            format!("{}^", " ".repeat(position)),
            "caret of {query:?}"
        );
    }
}

#[test]
fn a_malformed_query_in_json_is_an_error_object() {
    let dir = indexed();
    for &(query, position, word) in MALFORMED {
        let output = dir
            .lantern()
            .args(["search", "--format", "json", query])
            .assert_exit(2);
        let document: Value = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|err| panic!("not JSON ({err}):\n{output}"));
        assert_keys(&document, &["query", "error"]);
        assert_keys(&document["error"], &["message", "position"]);
        assert_eq!(document["query"], query);
        let message = document["error"]["message"].as_str().expect("a message");
        assert!(message.contains(word), "{query:?}: {message}");
        assert!(!message.contains('\n'));
        assert_eq!(document["error"]["position"], position, "{query:?}");
        // stderr says the same.
        assert!(output.stderr.contains(message), "{output}");
    }
}

#[test]
fn a_malformed_query_in_html_is_an_error_page() {
    let dir = indexed();
    let query = "<b>\"unclosed & open";
    let output = dir
        .lantern()
        .args(["search", "--format", "html", query])
        .assert_exit(2);
    let page = &output.stdout;
    assert_well_formed_html(page);
    assert!(!page.contains(query), "raw query in the page:\n{page}");
    let visible = visible_text(page, "", "");
    assert!(visible.contains("unclosed quote"), "{page}");
    // The query with the caret under the opening quote.
    assert!(visible.contains(&format!("{query}\n   ^")), "{page}");
}

#[test]
fn an_invalid_regular_expression_is_a_one_line_query_error() {
    let dir = indexed();
    let output = dir
        .lantern()
        .args(["search", "--color", "never", "/[/"])
        .assert_exit(2);
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line:\n{output}");
    assert!(
        lines[0].starts_with("lantern: invalid query: invalid regular expression /[/: "),
        "{output}"
    );
    assert!(lines[0].contains("unclosed character class"), "{output}");

    let json = dir
        .lantern()
        .args(["search", "--format", "json", "/[/"])
        .assert_exit(2);
    let document: Value = serde_json::from_str(&json.stdout).expect("JSON");
    let message = document["error"]["message"].as_str().expect("a message");
    assert!(!message.contains('\n'), "{message:?}");
}

#[test]
fn searching_without_an_index_says_how_to_make_one() {
    let dir = Dir::new();
    for format in ["text", "json", "html"] {
        let output = dir
            .lantern()
            .args(["search", "--format", format, "anything"])
            .assert_exit(1);
        assert_eq!(
            output.stderr,
            format!(
                "lantern: no index at {}; run 'lantern index <DIR>' first\n",
                dir.index_dir().display()
            )
        );
        assert_eq!(output.stdout, "");
    }
    assert!(!dir.index_dir().exists(), "searching created no index");
}

#[test]
fn the_index_location_comes_from_the_environment_when_not_given() {
    let dir = indexed();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lantern"))
        .args(["search", "--format", "json", "words"])
        .env("LANTERN_INDEX", dir.index_dir())
        .output()
        .expect("run lantern");
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["total"], 2);
}

/// Damages the index with `damage`, then checks that each command of `commands` fails with exit
/// code 1 and a message that names the index, says it is damaged and what to do, without a panic.
fn assert_damage_is_reported(damage: impl Fn(&Dir), what: &str, commands: &[&[&str]]) {
    let dir = indexed();
    damage(&dir);
    let index = dir.index_dir().display().to_string();
    for args in commands {
        let output = dir.lantern().args(*args).assert_exit(1);
        let stderr = &output.stderr;
        assert!(
            stderr.starts_with("lantern: ") && stderr.contains(&index),
            "{what}, {args:?}: the message names the index\n{output}"
        );
        assert!(
            stderr.contains("corrupt") || stderr.contains("damaged"),
            "{what}, {args:?}: the message says the index is damaged\n{output}"
        );
        assert!(
            stderr.contains("lantern index"),
            "{what}, {args:?}: the message says what to do\n{output}"
        );
    }
}

const SEARCHES: &[&[&str]] = &[
    &["search", "words"],
    &["search", "--format", "json", "words"],
    &["search", "--format", "html", "words"],
];
const ALL_COMMANDS: &[&[&str]] = &[
    &["search", "words"],
    &["search", "--format", "json", "words"],
    &["status"],
    &["index", "docs"],
];

/// Empties or garbles every file of one kind (by extension) in the index.
fn damage_segment_files(dir: &Dir, extension: &str, remove: bool) {
    for file in segment_files(dir, extension) {
        if remove {
            fs::remove_file(file).unwrap();
        } else {
            let len = fs::metadata(&file).unwrap().len() as usize;
            fs::write(&file, vec![0x5a; len]).unwrap();
        }
    }
}

/// The index files of one kind (by extension).
fn segment_files(dir: &Dir, extension: &str) -> Vec<std::path::PathBuf> {
    let files: Vec<_> = fs::read_dir(dir.index_dir())
        .expect("read the index folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    assert!(!files.is_empty(), "no .{extension} file in the index");
    files
}

#[test]
fn a_truncated_meta_json_is_reported() {
    assert_damage_is_reported(
        |dir| fs::write(dir.index_dir().join("meta.json"), "").unwrap(),
        "empty meta.json",
        ALL_COMMANDS,
    );
}

#[test]
fn a_garbled_meta_json_is_reported() {
    assert_damage_is_reported(
        |dir| {
            let meta = dir.index_dir().join("meta.json");
            let text = fs::read_to_string(&meta).unwrap();
            fs::write(&meta, &text[..text.len() / 2]).unwrap();
        },
        "half a meta.json",
        ALL_COMMANDS,
    );
}

#[test]
fn a_missing_or_garbled_segment_file_is_reported_by_search() {
    for extension in ["idx", "store", "term", "pos", "fast"] {
        for remove in [true, false] {
            assert_damage_is_reported(
                |dir| damage_segment_files(dir, extension, remove),
                &format!("{extension} (removed: {remove})"),
                SEARCHES,
            );
        }
    }
}

#[test]
fn a_missing_or_garbled_segment_file_is_reported_by_status_and_index() {
    for (extension, remove) in [("idx", true), ("store", false)] {
        assert_damage_is_reported(
            |dir| damage_segment_files(dir, extension, remove),
            &format!("{extension} (removed: {remove})"),
            &[&["status"], &["index", "docs"]],
        );
    }
}

#[test]
fn the_cause_of_a_damaged_index_is_printed_once() {
    let dir = indexed();
    fs::write(dir.index_dir().join("meta.json"), "").unwrap();
    let output = dir.lantern().args(["search", "words"]).assert_exit(1);
    assert_eq!(
        output
            .stderr
            .matches("Meta file cannot be deserialized")
            .count(),
        1,
        "{output}"
    );
}

/// The schema of the index Lantern made before path, title and type became fast fields (they
/// were stored) or, with `fast_fields`, before the path was stored besides being a fast field.
fn older_schema(fast_fields: bool) -> tantivy::schema::Schema {
    use lantern::index::schema::{PATH_TOKENIZER, TEXT_TOKENIZER};
    use tantivy::schema::{
        IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
    };
    let indexed = |tokenizer| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let shown: TextOptions = if fast_fields {
        STRING | FAST
    } else {
        STRING | STORED
    };
    let mut builder = Schema::builder();
    builder.add_text_field("path", shown.clone());
    builder.add_text_field("path_parts", indexed(PATH_TOKENIZER));
    builder.add_text_field("path_parts_reversed", STRING);
    builder.add_text_field("contents", indexed(TEXT_TOKENIZER).set_stored());
    let title = indexed(TEXT_TOKENIZER);
    builder.add_text_field(
        "title",
        if fast_fields {
            title.set_fast(tantivy::tokenizer::RAW_TOKENIZER_NAME)
        } else {
            title.set_stored()
        },
    );
    builder.add_text_field("type", shown);
    builder.add_u64_field("mtime", FAST);
    builder.add_u64_field("size", FAST);
    builder.build()
}

/// Makes at `index` an empty index with `schema` and one complete root, `root`.
fn create_index_with(index: &std::path::Path, schema: tantivy::schema::Schema, root: &str) {
    fs::create_dir_all(index).expect("create the index folder");
    let old = tantivy::Index::create_in_dir(index, schema).expect("create the index");
    lantern::index::schema::register_tokenizers(&old);
    let mut writer: tantivy::IndexWriter = old.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut commit = writer.prepare_commit().expect("prepare a commit");
    let roots = serde_json::json!({"roots": {root: {"last_indexed": 1, "complete": true}}});
    commit.set_payload(&roots.to_string());
    commit.commit().expect("commit");
}

#[test]
fn an_index_whose_paths_are_not_stored_is_rebuilt_by_index() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a quokka smiles\nat the wombat");
    create_index_with(&dir.index_dir(), older_schema(true), &dir.display("docs"));
    let output = dir.lantern().args(["index", "docs"]).assert_success();
    assert!(output.stderr.contains("rebuilding the index"), "{output}");
    assert_eq!(dir.hit_paths("wombat"), ["docs/a.txt"]);
    let hit = dir.search_json(&["wombat"]).hits[0].clone();
    assert_eq!(hit.path, "docs/a.txt");
    assert_eq!(hit.fragments, ["a quokka smiles at the <b>wombat</b>"]);
    let bare = dir.search_json(&["quokka", "--fragments", "0"]);
    assert_eq!(bare.paths(), ["docs/a.txt"]);
}

#[test]
fn an_index_made_before_fast_fields_is_refused_until_rebuilt_with_its_roots() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a quokka smiles");
    create_index_with(&dir.index_dir(), older_schema(false), &dir.display("docs"));
    for command in [&["search", "quokka"][..], &["status"]] {
        let output = dir.lantern().args(command).assert_exit(1);
        assert!(
            output.stderr.contains("another version of Lantern")
                && output.stderr.contains("run 'lantern index'"),
            "{command:?}: {output}"
        );
    }
    // With no folder named, the rebuild indexes the old index's roots again.
    let summary = dir.index(&[]);
    assert_eq!(summary.added, 1);
    assert_eq!(dir.hit_paths("quokka"), ["docs/a.txt"]);
    let hit = dir.search_json(&["quokka"]).hits[0].clone();
    assert_eq!((hit.doc_type.as_str(), hit.title), ("text", None));
}
