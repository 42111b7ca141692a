//! Folding end to end: case, accents, compatibility forms and decomposed text find each other in
//! both directions, and what is marked is the original text, whole characters with their marks.
//! Also how an index made by another version of Lantern is treated.

mod util;

use util::Dir;

/// A folder of texts spelling the same words in different ways.
fn spelled_corpus() -> Dir {
    let dir = Dir::new();
    dir.create("docs/composed.txt", "Un café au lait, s'il vous plaît.");
    // `e` and a combining acute accent, as macOS and many PDFs write it.
    dir.create("docs/decomposed.txt", "Le cafe\u{301} noir est fort.");
    dir.create("docs/plain.txt", "A cafe on the corner.");
    dir.create("docs/turkish.txt", "Gezi: İstanbul ve Diyarbakır.");
    dir.create("docs/german.txt", "Die Hauptstraße ist lang.");
    dir.create("docs/swiss.txt", "Die Hauptstrasse ist kurz.");
    dir.create("docs/french.txt", "Son Œuvre complète, un chef-d'œuvre.");
    dir.create("docs/unit.txt", "One Ångström is 0.1 nm.");
    dir.index(&["docs"]);
    dir
}

#[test]
fn accents_fold_both_ways_and_decomposed_text_is_one_word() {
    let dir = spelled_corpus();
    let all_cafes = ["docs/composed.txt", "docs/decomposed.txt", "docs/plain.txt"];
    for query in ["cafe", "café", "CAFÉ", "cafe\u{301}"] {
        assert_eq!(util::sorted(dir.hit_paths(query)), all_cafes, "{query}");
    }
    assert_eq!(dir.hit_paths("angstrom"), ["docs/unit.txt"]);
    assert_eq!(dir.hit_paths("ÅNGSTRÖM"), ["docs/unit.txt"]);
}

#[test]
fn the_decomposed_word_is_marked_with_its_accent() {
    let dir = spelled_corpus();
    let results = dir.search_json(&["path:decomposed.txt", "cafe"]);
    let hit = results.hit("docs/decomposed.txt");
    // The mark stays inside the match: never `<b>cafe</b>́`.
    assert!(
        hit.fragments[0].contains("<b>cafe\u{301}</b> noir"),
        "{:?}",
        hit.fragments
    );
    let (text, ranges) = &hit.raw_fragments[0];
    let marked: Vec<String> = ranges
        .iter()
        .map(|[from, to]| text.chars().skip(*from).take(to - from).collect())
        .collect();
    assert_eq!(marked, ["cafe\u{301}"]);
}

#[test]
fn case_folds_fully_for_the_sharp_s_and_the_turkish_i() {
    let dir = spelled_corpus();
    let streets = ["docs/german.txt", "docs/swiss.txt"];
    assert_eq!(util::sorted(dir.hit_paths("hauptstrasse")), streets);
    assert_eq!(util::sorted(dir.hit_paths("Hauptstraße")), streets);
    assert_eq!(util::sorted(dir.hit_paths("HAUPTSTRASSE")), streets);
    assert_eq!(dir.hit_paths("istanbul"), ["docs/turkish.txt"]);
    assert_eq!(dir.hit_paths("İSTANBUL"), ["docs/turkish.txt"]);
    assert_eq!(dir.hit_paths("diyarbakir"), ["docs/turkish.txt"]);
    let results = dir.search_json(&["istanbul"]);
    assert!(
        results.hits[0].fragments[0].contains("<b>İstanbul</b>"),
        "{:?}",
        results.hits[0].fragments
    );
    let results = dir.search_json(&["hauptstrasse"]);
    let fragment = &results.hit("docs/german.txt").fragments[0];
    assert!(fragment.contains("<b>Hauptstraße</b>"), "{fragment}");
}

#[test]
fn ligatures_spell_out() {
    let dir = spelled_corpus();
    assert_eq!(dir.hit_paths("oeuvre"), ["docs/french.txt"]);
    let results = dir.search_json(&["œuvre"]);
    assert_eq!(results.paths(), ["docs/french.txt"]);
    let fragment = &results.hits[0].fragments[0];
    assert!(
        fragment.contains("<b>Œuvre</b>") && fragment.contains("<b>œuvre</b>"),
        "{fragment}"
    );
}

#[test]
fn a_wildcard_finds_accented_words() {
    let dir = spelled_corpus();
    let all_cafes = ["docs/composed.txt", "docs/decomposed.txt", "docs/plain.txt"];
    assert_eq!(util::sorted(dir.hit_paths("caf*")), all_cafes);
    assert_eq!(util::sorted(dir.hit_paths("CAFÉ*")), all_cafes);
    let results = dir.search_json(&["path:composed.txt", "caf*"]);
    assert!(
        results.hits[0].fragments[0].contains("<b>café</b>"),
        "{:?}",
        results.hits[0].fragments
    );
    assert_eq!(
        util::sorted(dir.hit_paths("hauptstraß*")),
        ["docs/german.txt", "docs/swiss.txt"]
    );
}

#[test]
fn paths_fold_too() {
    let dir = Dir::new();
    dir.create("docs/Café/menu.txt", "coffee");
    dir.create("docs/tea/menu.txt", "coffee");
    dir.index(&["docs"]);
    assert_eq!(dir.hit_paths("path:cafe"), ["docs/Café/menu.txt"]);
    assert_eq!(dir.hit_paths("path:CAFÉ"), ["docs/Café/menu.txt"]);
    assert_eq!(dir.hit_paths("path:caf*"), ["docs/Café/menu.txt"]);
}

/// Makes the index at `dir` look as if an older Lantern had made it: its commit records no
/// schema version, as none did before versions were recorded.
fn age_index(dir: &Dir) {
    let meta_path = dir.index_dir().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).expect("read meta.json");
    let mut meta: serde_json::Value = serde_json::from_str(&meta).expect("meta.json is JSON");
    let payload = meta["payload"].as_str().expect("a payload");
    let mut catalog: serde_json::Value = serde_json::from_str(payload).expect("payload is JSON");
    assert!(catalog["schema_version"].is_u64(), "{catalog}");
    catalog
        .as_object_mut()
        .expect("an object")
        .remove("schema_version");
    meta["payload"] = serde_json::Value::String(catalog.to_string());
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
}

#[test]
fn an_old_index_is_refused_by_search_and_status_and_rebuilt_by_index() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "Un café noir");
    dir.index(&["docs"]);
    age_index(&dir);

    for args in [
        &["search", "cafe"][..],
        &["search", "--format", "json", "cafe"],
        &["status"],
    ] {
        let output = dir.lantern().args(args).assert_exit(1);
        assert!(
            output.stderr.contains("made by another version of Lantern")
                && output.stderr.contains("run 'lantern index'"),
            "{args:?}: {output}"
        );
        assert!(output.stdout.is_empty(), "{args:?}: {output}");
    }

    // `index`, with or without the folder, rebuilds it, saying why in one line.
    let output = dir.lantern().arg("index").assert_success();
    let notices: Vec<&str> = output
        .stderr
        .lines()
        .filter(|line| line.contains("rebuilding the index"))
        .collect();
    assert_eq!(notices.len(), 1, "{output}");
    assert!(
        notices[0].contains("another version of Lantern"),
        "{output}"
    );
    assert_eq!(dir.hit_paths("cafe"), ["docs/a.txt"]);
    assert_eq!(dir.status_json()["roots"].as_array().map(Vec::len), Some(1));

    // Once rebuilt, it is this version's: no notice again.
    let output = dir.lantern().arg("index").assert_success();
    assert!(!output.stderr.contains("rebuilding"), "{output}");
}
