//! Ranking end to end: identifiers (`exec_prefix`, `PyConfig.inspect`, `built-in`, CamelCase)
//! find the whole name first and their parts apart below it; query words side by side rank
//! above the same words scattered.

mod util;

use util::Dir;

#[test]
fn an_identifier_finds_the_whole_name_first_then_its_parts_apart() {
    let dir = Dir::new();
    dir.create(
        "whole.txt",
        "The exec_prefix setting names the folder of platform files.",
    );
    dir.create(
        "spaced.txt",
        "Set the exec prefix before the interpreter starts, long text here.",
    );
    dir.create(
        "apart.txt",
        "The prefix is read once; exec runs the program. More words follow here.",
    );
    dir.create(
        "one-part.txt",
        "Only a prefix is here, nothing else at all.",
    );
    dir.create("none.txt", "Nothing related at all.");
    dir.index(&["."]);

    let results = dir.search_json(&["exec_prefix"]);
    let paths = results.paths();
    assert_eq!(paths.len(), 4, "{paths:?}");
    // Written as typed, or with its parts side by side: both are the name.
    assert_eq!(
        util::sorted(paths[..2].to_vec()),
        ["spaced.txt", "whole.txt"],
        "{paths:?}"
    );
    assert_eq!(paths[2..], ["apart.txt", "one-part.txt"], "{paths:?}");
    // The name is marked as a whole where it stands together, each part where it stands apart.
    assert!(
        results.hit("whole.txt").fragments[0].contains("<b>exec_prefix</b>"),
        "{:?}",
        results.hit("whole.txt").fragments
    );
    assert!(
        results.hit("apart.txt").fragments[0].contains("<b>exec</b> runs"),
        "{:?}",
        results.hit("apart.txt").fragments
    );

    // A typo in one part still finds the pages with the other part, the name's first.
    let paths = dir.hit_paths("exec_prefx");
    assert_eq!(
        util::sorted(paths[..3].to_vec()),
        ["apart.txt", "spaced.txt", "whole.txt"],
        "{paths:?}"
    );

    // Quoted, the name is a phrase: only where its parts stand together.
    assert_eq!(
        util::sorted(dir.hit_paths("\"exec_prefix\"")),
        ["spaced.txt", "whole.txt"]
    );
    // Excluded, it excludes the whole name only, never a page that has one of its parts.
    assert_eq!(
        util::sorted(dir.hit_paths("prefix -exec_prefix")),
        ["apart.txt", "one-part.txt"]
    );
}

#[test]
fn dotted_and_hyphenated_names_whose_parts_are_apart_are_still_found() {
    let dir = Dir::new();
    dir.create(
        "config.txt",
        "PyConfig.inspect: enter interactive mode after running a script.",
    );
    dir.create(
        "overview.txt",
        "The PyConfig structure has many members; inspect is one of them.",
    );
    dir.create("builtin.txt", "A built-in function is always available.");
    dir.create("built.txt", "They built it in a day.");
    dir.index(&["."]);

    assert_eq!(
        dir.hit_paths("PyConfig.inspect"),
        ["config.txt", "overview.txt"]
    );
    let paths = dir.hit_paths("built-in");
    assert_eq!(paths[0], "builtin.txt", "{paths:?}");
    assert!(paths.contains(&"built.txt".to_string()), "{paths:?}");
}

#[test]
fn a_camel_case_name_also_finds_its_words() {
    let dir = Dir::new();
    dir.create("whole.txt", "Call getResponse to read the answer back.");
    dir.create(
        "words.txt",
        "To get the response, read it from the socket; there is more text here.",
    );
    dir.create("unrelated.txt", "Nothing about it.");
    dir.index(&["."]);

    let results = dir.search_json(&["getResponse"]);
    assert_eq!(results.paths(), ["whole.txt", "words.txt"]);
    assert!(
        results.hit("words.txt").fragments[0].contains("<b>get</b> the <b>response</b>"),
        "{:?}",
        results.hit("words.txt").fragments
    );
}

#[test]
fn words_side_by_side_rank_above_the_same_words_scattered() {
    let dir = Dir::new();
    // The same words, as often, in texts of the same length: only their distance differs.
    dir.create(
        "together.txt",
        "alpha beta gamma delta epsilon zeta eta theta page layout iota kappa lambda mu",
    );
    dir.create(
        "scattered.txt",
        "page alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu layout",
    );
    dir.index(&["."]);

    assert_eq!(
        dir.hit_paths("page layout"),
        ["together.txt", "scattered.txt"]
    );
}
