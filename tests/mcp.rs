//! `lantern mcp`: the Model Context Protocol server, driven by a real client (the official
//! Python SDK, through tests/mcp_client.py) and, for the index's life cycle, by raw JSON-RPC
//! lines.

mod util;

use std::fs;

use serde_json::{json, Value};
use util::{available, create_mcp_notes, sorted, Dir, McpSession as Session, Need};

/// A folder with three documents ([`create_mcp_notes`]), indexed.
fn indexed() -> Dir {
    let dir = Dir::new();
    create_mcp_notes(&dir);
    dir.index(&["docs"]);
    dir
}

#[test]
fn a_real_mcp_client_searches_reads_and_gets_the_status() {
    if !available(
        Need::McpClient,
        "a_real_mcp_client_searches_reads_and_gets_the_status",
    ) {
        return;
    }
    let dir = indexed();
    dir.assert_mcp_client_scenario(dir.index_dir(), "mutex", "docs/notes/locks.md", 12, 3);
}

#[test]
fn a_running_server_sees_the_index_appear_and_change() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "wombat burrows\n");
    let mut session = Session::start(&dir);

    let (error, message) = session.call("status", json!({}));
    assert!(error, "no index yet: {message}");
    let message = message.as_str().expect("an error message");
    assert!(
        message.contains("no index at") && message.contains("lantern index"),
        "{message}"
    );
    let (error, _) = session.call("search", json!({"query": "wombat"}));
    assert!(error, "searching a missing index is a tool error");

    dir.index(&["docs"]);
    let (error, found) = session.call("search", json!({"query": "wombat"}));
    assert!(!error, "{found}");
    assert_eq!(found["total"], 1, "{found}");

    dir.create("docs/b.txt", "a wombat and a quokka\n");
    dir.index(&[]);
    let (_, found) = session.call("search", json!({"query": "quokka"}));
    assert_eq!(found["total"], 1, "a new commit is seen: {found}");
    assert_eq!(
        found["hits"][0]["path"],
        dir.display("docs/b.txt"),
        "{found}"
    );
    assert_eq!(
        found["hits"][0]["fragments"][0]["text"],
        "a wombat and a **quokka**"
    );
    let (_, status) = session.call("status", json!({}));
    assert_eq!(status["documents"], 2, "{status}");
    // The tool's status is the document `lantern status --format json` prints, field for field.
    assert_eq!(status, dir.status_json());
}

#[test]
fn a_damaged_index_is_a_tool_error_not_a_crash() {
    let dir = indexed();
    let mut session = Session::start(&dir);
    let locks = dir.display("docs/notes/locks.md");
    let (error, _) = session.call("read", json!({"path": locks}));
    assert!(!error, "readable before the damage");

    fs::write(dir.index_dir().join("meta.json"), "{ garbled").expect("damage meta.json");
    for (tool, arguments) in [
        ("search", json!({"query": "mutex"})),
        ("read", json!({"path": locks})),
        ("status", json!({})),
    ] {
        let (error, message) = session.call(tool, arguments);
        let message = message.as_str().unwrap_or_default().to_string();
        assert!(error, "{tool}: {message}");
        assert!(
            message.contains("damaged") && message.contains("lantern index --rebuild"),
            "{tool}: says the index is damaged and what to do: {message}"
        );
    }
}

#[test]
fn pages_of_hits_rank_from_the_top_and_read_ranges_are_checked() {
    let dir = Dir::new();
    for n in 1..=12 {
        dir.create(&format!("docs/{n:02}.txt"), "kiwi ".repeat(n));
    }
    dir.index(&["docs"]);
    let mut session = Session::start(&dir);

    let (_, first) = session.call("search", json!({"query": "kiwi"}));
    assert_eq!(first["total"], 12);
    assert_eq!(
        first["hits"].as_array().map(Vec::len),
        Some(10),
        "10 hits by default"
    );
    assert_eq!(first["next_offset"], 10);
    let (_, rest) = session.call(
        "search",
        json!({"query": "kiwi", "offset": 10, "fragments": 0}),
    );
    let ranks: Vec<&Value> = rest["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| &hit["rank"])
        .collect();
    assert_eq!(ranks, [11, 12], "{rest}");
    assert!(rest.get("next_offset").is_none(), "the last page: {rest}");
    assert_eq!(
        rest["hits"][0]["fragments"],
        json!([]),
        "no fragments asked for"
    );
    let (_, many) = session.call("search", json!({"query": "kiwi", "limit": 500}));
    assert_eq!(
        many["hits"].as_array().map(Vec::len),
        Some(12),
        "limit is capped, not refused"
    );

    let path = dir.display("docs/03.txt");
    let (error, message) = session.call("read", json!({"path": path, "start_line": 2}));
    assert!(error, "past the end");
    assert!(
        message.as_str().is_some_and(|m| m.contains("has 1 lines")),
        "{message}"
    );
    let (error, _) = session.call(
        "read",
        json!({"path": path, "start_line": 1, "end_line": 0}),
    );
    assert!(error, "end before start");
    let (error, lines) = session.call("read", json!({"path": path}));
    assert!(!error);
    assert_eq!(lines["text"], "kiwi kiwi kiwi \n");
    assert_eq!(
        (lines["total_lines"].as_u64(), lines["end_line"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_misspelled_query_is_corrected_and_a_malformed_one_searched_with_a_note() {
    let dir = indexed();
    let mut session = Session::start(&dir);

    let (error, found) = session.call("search", json!({"query": "mutx"}));
    assert!(!error, "{found}");
    assert_eq!(found["corrected_query"], "mutex", "{found}");
    assert_eq!(found["total"], 2, "{found}");
    let note = found["note"].as_str().unwrap_or_default();
    assert!(note.contains("Showing results for mutex"), "{found}");
    let (_, as_written) = session.call("search", json!({"query": "mutx", "correct": false}));
    assert_eq!(as_written["total"], 0, "{as_written}");
    assert!(as_written.get("corrected_query").is_none(), "{as_written}");
    assert!(as_written.get("note").is_none(), "{as_written}");

    // A good query carries no note.
    let (_, good) = session.call("search", json!({"query": "mutex"}));
    assert!(good.get("note").is_none(), "{good}");

    let (error, lenient) = session.call("search", json!({"query": "--best mutex queue"}));
    assert!(!error, "searched, not refused: {lenient}");
    assert_eq!(lenient["total"], 2, "{lenient}");
    let note = lenient["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("not valid syntax") && note.contains("expected a clause after '-'"),
        "{lenient}"
    );
}

#[test]
fn a_hit_whose_path_is_not_utf8_carries_the_key_read_takes() {
    let dir = Dir::new();
    dir.create_named("docs", b"caf\xe9.txt", "an espresso at the counter\n");
    dir.create("docs/plain.txt", "espresso, twice\n");
    dir.index(&["docs"]);
    let mut session = Session::start(&dir);

    let (error, found) = session.call("search", json!({"query": "espresso"}));
    assert!(!error, "{found}");
    let hits = found["hits"].as_array().expect("hits");
    let hit = |name: &str| {
        hits.iter()
            .find(|hit| hit["path"] == dir.display(&format!("docs/{name}")))
            .unwrap_or_else(|| panic!("no hit for {name}: {found}"))
    };
    assert!(
        hit("plain.txt").get("key").is_none(),
        "a UTF-8 path is its own key"
    );
    let odd = hit("caf\u{FFFD}.txt");
    let key = format!("{}/caf\0e9.txt", dir.display("docs"));
    assert_eq!(odd["key"], key.as_str(), "{found}");

    let (error, lines) = session.call("read", json!({"path": key}));
    assert!(!error, "read takes the key: {lines}");
    assert_eq!(lines["text"], "an espresso at the counter\n");
    let (error, message) = session.call("read", json!({"path": odd["path"]}));
    assert!(
        error,
        "the shown path is not the document's identity: {message}"
    );
}

#[test]
fn malformed_messages_get_json_rpc_errors_and_the_server_goes_on() {
    let dir = indexed();
    let mut session = Session::start(&dir);
    let error_of = |message: &Value| (message["error"]["code"].clone(), message["id"].clone());

    session.send_raw(b"{not json");
    let answer = session.next_message("malformed JSON");
    assert_eq!(error_of(&answer), (json!(-32700), Value::Null), "{answer}");
    assert_eq!(answer["jsonrpc"], "2.0", "{answer}");

    session.send_raw(br#"{"id": 41, "method": "tools/list"}"#);
    let answer = session.next_message("a message without jsonrpc");
    assert_eq!(error_of(&answer), (json!(-32600), json!(41)), "{answer}");

    session.send_raw(br#"[{"jsonrpc": "2.0", "id": "b1", "method": "tools/list"}]"#);
    let answer = session.next_message("a batch");
    let errors = answer.as_array().expect("a batch is answered by an array");
    assert_eq!(errors.len(), 1, "{answer}");
    assert_eq!(
        error_of(&errors[0]),
        (json!(-32600), json!("b1")),
        "{answer}"
    );

    session.send_raw(b"[]");
    let answer = session.next_message("an empty batch");
    assert_eq!(error_of(&answer), (json!(-32600), Value::Null), "{answer}");

    // 100 MB on one line: refused without being held in memory, with the id it starts with.
    let before = session.peak_memory();
    let huge = format!(
        r#"{{"jsonrpc": "2.0", "id": 42, "method": "tools/call", "params": {{"name": "search", "arguments": {{"query": "{}"}}}}}}"#,
        "a".repeat(100 << 20)
    );
    session.send_raw(huge.as_bytes());
    drop(huge);
    let answer = session.next_message("a 100 MB line");
    assert_eq!(error_of(&answer), (json!(-32600), json!(42)), "{answer}");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("longer than"), "{answer}");
    let grown = session.peak_memory().saturating_sub(before);
    assert!(
        grown < 20 << 20,
        "the server's peak memory grew by {grown} bytes"
    );

    // The server goes on.
    let (error, found) = session.call("search", json!({"query": "mutex"}));
    assert!(!error, "{found}");
    assert_eq!(found["total"], 2, "{found}");
}

#[test]
fn the_search_tool_takes_the_filters_of_the_cli() {
    let dir = indexed();
    dir.create(
        "docs/page.html",
        "<html><body>A mutex in a page.</body></html>",
    );
    dir.index(&["docs"]);
    let mut session = Session::start(&dir);
    let paths = |found: &Value| util::sorted(dir.json_hit_paths(found));
    let (_, html) = session.call("search", json!({"query": "mutex", "type": ["html"]}));
    assert_eq!(paths(&html), ["docs/page.html"], "{html}");
    let (_, notes) = session.call(
        "search",
        json!({"query": "mutex", "path": ["notes"], "size": ">100", "modified": ">now-1d"}),
    );
    assert_eq!(
        paths(&notes),
        ["docs/notes/locks.md", "docs/notes/queues.md"],
        "{notes}"
    );
    let (is_error, bad) = session.call("search", json!({"query": "mutex", "size": ">1Q"}));
    assert!(is_error, "{bad}");
    // Largest first: queues.md has more filler than locks.md.
    let (_, sorted) = session.call(
        "search",
        json!({"query": "mutex", "path": ["notes"], "sort": "size"}),
    );
    let in_order = dir.json_hit_paths(&sorted);
    assert_eq!(in_order, ["docs/notes/queues.md", "docs/notes/locks.md"]);
    let (is_error, bad) = session.call("search", json!({"query": "mutex", "sort": "created"}));
    assert!(is_error, "{bad}");
}

#[test]
fn the_search_tool_collapses_copies_and_counts_folders() {
    let dir = Dir::new();
    for path in [
        "docs/a/notes.txt",
        "docs/b/notes.txt",
        "docs/b/deep/notes.txt",
    ] {
        dir.create(path, "the heron nests by the weir\n");
    }
    dir.create("docs/b/other.txt", "a heron alone\n");
    dir.index(&["docs"]);
    let mut session = Session::start(&dir);
    let (error, found) = session.call("search", json!({"query": "heron", "facets": true}));
    assert!(!error, "{found}");
    assert_eq!(
        sorted(dir.json_hit_paths(&found)),
        ["docs/a/notes.txt", "docs/b/other.txt"],
        "{found}"
    );
    let copies: Vec<String> = found["hits"]
        .as_array()
        .and_then(|hits| hits.iter().find(|hit| hit["also_at"].is_array()))
        .and_then(|hit| hit["also_at"].as_array())
        .map(|paths| {
            paths
                .iter()
                .map(|path| dir.relative(path.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        copies,
        ["docs/b/deep/notes.txt", "docs/b/notes.txt"],
        "{found}"
    );
    assert_eq!(found["collapsed"], 2, "{found}");
    // Folders count every match, copies too.
    assert_eq!(
        found["facets"]["folders"],
        json!([{"value": "b", "count": 3}, {"value": "a", "count": 1}]),
        "{found}"
    );
    let (_, every) = session.call("search", json!({"query": "heron", "collapse": false}));
    assert_eq!(dir.json_hit_paths(&every).len(), 4, "{every}");
    assert!(every.get("facets").is_none(), "{every}");
}

#[test]
fn pages_of_folded_copies_neither_skip_nor_repeat_a_hit() {
    let dir = Dir::new();
    // Seven texts, some with copies (one at a path that is not UTF-8), more copies than
    // distinct texts near the end of the list.
    let mut files: Vec<String> = Vec::new();
    for n in 0..7usize {
        let text = format!("{} otter number {n}\n", "heron ".repeat(7 - n));
        for copy in 0..(n % 4) {
            let path = format!("docs/copies{copy}/{n}.txt");
            dir.create(&path, &text);
            files.push(dir.display(&path));
        }
        let path = format!("docs/{n}.txt");
        dir.create(&path, &text);
        files.push(dir.display(&path));
        if n == 6 {
            dir.create_named("docs/odd", b"caf\xe9.txt", &text);
            files.push(dir.display("docs/odd/caf\u{FFFD}.txt"));
        }
    }
    dir.index(&["docs"]);
    let mut session = Session::start(&dir);
    for sort in ["relevance", "path", "-path"] {
        let mut offset = 0;
        let mut shown: Vec<String> = Vec::new();
        let mut ranks = Vec::new();
        for page in 0.. {
            assert!(page < 10, "paging never ends: {sort}");
            let arguments = json!({"query": "heron", "limit": 2, "offset": offset, "sort": sort});
            let (error, found) = session.call("search", arguments);
            assert!(!error, "{found}");
            assert_eq!(found["total"], files.len(), "{found}");
            let hits = found["hits"].as_array().expect("hits");
            assert!(!hits.is_empty(), "a page with no hit ({sort}): {found}");
            for hit in hits {
                ranks.push(hit["rank"].as_u64().expect("rank"));
                shown.push(hit["path"].as_str().expect("path").to_string());
                let also_at = hit["also_at"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                shown.extend(
                    also_at
                        .iter()
                        .map(|path| path.as_str().expect("a path").into()),
                );
            }
            match found["next_offset"].as_u64() {
                Some(next) => offset = next,
                None => break,
            }
        }
        // Each text once, in rank order, every copy named once (the odd one lossily, as the
        // other paths are shown).
        assert_eq!(ranks, (1..=7).collect::<Vec<u64>>(), "{sort}");
        assert_eq!(sorted(shown), sorted(files.clone()), "{sort}");
    }
}
