//! The bundled demo corpus, `sample-docs/`, indexed and searched as the README shows.

mod util;

use std::fs;
use std::path::Path;

use util::{Dir, IndexSummary};

/// Copies `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Regular files under `dir`, not counting hidden ones.
fn visible_files(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .expect("read folder")
        .map(|entry| entry.expect("entry"))
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| {
            if entry.file_type().expect("file type").is_dir() {
                visible_files(&entry.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn the_sample_corpus_indexes_and_answers_its_demo_queries() {
    let dir = Dir::new();
    // A copy, so that hits lie under the test folder.
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-docs"),
        &dir.path("sample-docs"),
    );
    let files = visible_files(&dir.path("sample-docs"));
    let summary = dir.index(&["sample-docs"]);
    assert_eq!(
        summary,
        IndexSummary {
            indexed: files - 3,
            added: files - 3,
            skipped: 3,
            binary: 1,
            // broken/bomb.docx and broken/encrypted.pdf (broken/truncated.pdf is read as far as
            // it goes)
            failed: 2,
            // broken/invalid-utf8.txt
            lossy: 1,
            ..IndexSummary::default()
        }
    );

    // The binary file and the hidden folder are not indexed; the UTF-16 file shares a word with
    // the binary one.
    assert_eq!(
        dir.hit_paths("zeppelin"),
        ["sample-docs/international/utf16-le-bom.txt"]
    );
    assert!(dir.hit_paths("hiddenword").is_empty());
    // The first word after a UTF-8 BOM, and a word among invalid UTF-8 bytes.
    let quince = dir.search_json(&["quince"]);
    assert_eq!(quince.paths(), ["sample-docs/international/utf8-bom.txt"]);
    assert!(quince.hits[0].fragments[0].starts_with("<b>Quince</b> is the very first word"));
    assert_eq!(
        dir.hit_paths("kumquat"),
        ["sample-docs/broken/invalid-utf8.txt"]
    );
    // Accents fold: `café` also finds the travel note's `cafe`.
    assert_eq!(
        util::sorted(dir.hit_paths("café")),
        [
            "sample-docs/international/unicode.txt",
            "sample-docs/notes/travel/lisbon.md"
        ]
    );

    // A web page is indexed as its visible text, title apart: its script is not, and markup in
    // its text is escaped in results.
    let escapology = dir.search_json(&["escapology"]);
    assert_eq!(escapology.paths()[0], "sample-docs/web/escaping.html");
    let page = &escapology.hits[0];
    assert_eq!(page.doc_type, "html");
    assert_eq!(page.title.as_deref(), Some("Escapology test page"));
    assert!(dir.hit_paths("xss").is_empty());
    let code = dir.search_json(&["\"a < b\""]);
    assert_eq!(code.paths()[0], "sample-docs/web/escaping.html");
    assert!(
        code.hits[0].fragments[0].contains("<b>a &lt; b</b>"),
        "{:?}",
        code.hits[0]
    );

    let mutex = dir.search_json(&["mutex"]);
    for expected in [
        "sample-docs/notes/rust-concurrency.md",
        "sample-docs/src/rust/mutex_counter.rs",
    ] {
        assert!(mutex.paths().iter().any(|p| p == expected), "{expected}");
    }
    assert!(mutex
        .hits
        .iter()
        .all(|hit| hit.fragments.iter().any(|f| f.contains("<b>"))));
}
