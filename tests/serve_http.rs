//! End-to-end tests of `lantern serve` over HTTP: the real binary on a temporary index, asked
//! the way a browser or a script asks.

mod util;

use std::time::{Duration, Instant};

use util::{encode, Dir, ServerGuard};

/// A folder with `count` documents that all hold `lantern`, indexed.
fn indexed(count: usize) -> Dir {
    let dir = Dir::new();
    for n in 0..count {
        // Different lengths, so that the scores (and the ranks) differ.
        let filler = "word ".repeat(n);
        dir.create(&format!("docs/d{n:02}.txt"), format!("lantern {filler}"));
    }
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    dir
}

#[test]
fn the_api_returns_the_cli_json_with_offset_and_ranks_from_the_top() {
    let dir = indexed(5);
    let server = ServerGuard::start(&dir, &[]);
    let (status, all) = server.get_json("/api/search?q=lantern");
    assert_eq!(status, 200, "{all}");
    let cli = dir.search_json(&["lantern"]);
    let mut without_timing = all.clone();
    let fields = without_timing.as_object_mut().expect("an object");
    assert_eq!(fields.remove("offset"), Some(0.into()));
    fields.remove("elapsed_ms");
    let mut cli_raw = cli.raw.clone();
    cli_raw
        .as_object_mut()
        .expect("an object")
        .remove("elapsed_ms");
    assert_eq!(without_timing, cli_raw, "the API document is the CLI's");

    let (status, page) = server.get_json("/api/search?q=lantern&limit=2&offset=2");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["offset"], 2);
    assert_eq!(page["total"], 5);
    let ranks: Vec<u64> = page["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["rank"].as_u64().expect("rank"))
        .collect();
    assert_eq!(ranks, [3, 4]);
    assert_eq!(page["hits"][0]["path"], all["hits"][2]["path"]);
    let (_, past) = server.get_json("/api/search?q=lantern&offset=9");
    assert_eq!(past["hits"].as_array().map(Vec::len), Some(0));
    assert_eq!(past["total"], 5);

    let (status, state) = server.get_json("/api/status");
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["documents"], 5);
    assert_eq!(state["roots"][0]["path"], dir.display("docs"));
    assert_eq!(state["roots"][0]["complete"], true);
    // The document `lantern status --format json` prints, plus this API's two earlier names.
    let mut current = state.clone();
    let fields = current.as_object_mut().expect("an object");
    assert_eq!(fields.remove("location").as_ref(), Some(&state["index"]));
    assert_eq!(
        fields.remove("size_on_disk").as_ref(),
        Some(&state["size_bytes"])
    );
    let cli = dir.status_json();
    assert_eq!(current, cli);
    util::assert_keys(
        &cli,
        &[
            "index",
            "documents",
            "types",
            "archives",
            "members",
            "size_bytes",
            "segments",
            "language",
            "watcher",
            "roots",
        ],
    );
    assert_eq!(
        cli["types"],
        serde_json::json!([{"type": "text", "documents": 5}])
    );
}

#[test]
fn bad_requests_get_json_errors_with_their_status() {
    let dir = indexed(1);
    let server = ServerGuard::start(&dir, &[]);
    let (status, error) = server.get_json(&format!("/api/search?q={}", encode("(lantern OR")));
    assert_eq!(status, 400);
    assert_eq!(error["query"], "(lantern OR");
    assert_eq!(error["error"]["position"], 9);
    assert!(error["error"]["message"]
        .as_str()
        .expect("message")
        .contains("OR"));
    for (target, status) in [
        ("/api/search", 400),
        ("/api/search?q=x&limit=201", 400),
        ("/api/search?q=x&limit=-1", 400),
        ("/api/search?q=x&offset=10001", 400),
        ("/api/nothing", 404),
    ] {
        let (got, error) = server.get_json(target);
        assert_eq!(got, status, "{target}: {error}");
        assert!(error["error"]["message"].is_string(), "{target}: {error}");
    }
    let long = "a".repeat(5000);
    let (status, error) = server.get_json(&format!("/api/search?q={long}"));
    assert_eq!(status, 414, "{error}");
    let (status, _) = server.get(&format!("/search?q={long}"));
    assert_eq!(status, 414);
    // The page searches a malformed query's words, the caret message beside the hits; a query
    // with no words is still refused.
    let (status, page) = server.get(&format!("/search?q={}", encode("(lantern OR")));
    assert_eq!(status, 200);
    assert!(page.contains("(lantern OR\n         ^"), "{page}");
    assert!(page.contains("1 total matching documents"), "{page}");
    let (status, page) = server.get(&format!("/search?q={}", encode("+ -")));
    assert_eq!(status, 400, "{page}");
}

#[test]
fn the_api_and_the_page_correct_misspelled_words_and_search_as_written_on_request() {
    let dir = indexed(3);
    dir.create("other/note.txt", "lantern in another folder");
    dir.index(&[dir.path("other").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let (status, corrected) = server.get_json("/api/search?q=lantrn");
    assert_eq!(status, 200, "{corrected}");
    assert_eq!(corrected["corrected_query"], "lantern");
    assert_eq!(corrected["original_query"], "lantrn");
    assert_eq!(corrected["total"], 4);
    let (_, as_written) = server.get_json("/api/search?q=lantrn&correct=0");
    assert_eq!(as_written["total"], 0);
    assert!(as_written.get("corrected_query").is_none(), "{as_written}");

    // The API refuses a malformed query unless asked to be lenient.
    let malformed = encode("--lantern");
    let (status, _) = server.get_json(&format!("/api/search?q={malformed}"));
    assert_eq!(status, 400);
    let (status, lenient) = server.get_json(&format!("/api/search?q={malformed}&lenient=1"));
    assert_eq!(status, 200, "{lenient}");
    assert_eq!(lenient["total"], 4);
    assert_eq!(lenient["syntax_error"]["position"], 0, "{lenient}");

    // The page, with a folder filter: the box's word is corrected, the filter kept, and the
    // link back searches the word as typed.
    let (status, page) = server.get("/search?q=lantrn&path=other");
    assert_eq!(status, 200);
    assert!(page.contains("1 total matching documents"), "{page}");
    assert!(
        page.contains(
            r#"<a id="corrected-query" href="/search?q=lantern&#38;path=other">lantern</a>"#
        ),
        "{page}"
    );
    let back = "/search?q=lantrn&path=other&correct=0";
    assert!(
        page.contains(&format!(
            r#"<a id="original-query" href="{}">lantrn</a>"#,
            back.replace('&', "&#38;")
        )),
        "{page}"
    );
    let (status, page) = server.get(back);
    assert_eq!(status, 200);
    assert!(page.contains("0 total matching documents"), "{page}");
    assert!(!page.contains("id=\"correction\""), "{page}");
}

#[test]
fn only_indexed_documents_are_shown_never_a_file_the_request_names() {
    let dir = indexed(1);
    dir.create("docs/later.txt", "lantern written after indexing");
    let server = ServerGuard::start(&dir, &[]);
    let indexed = dir.display("docs/d00.txt");
    let (status, page) = server.get(&format!("/doc?path={}&q=lantern", encode(&indexed)));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<mark id=\"m1\">lantern</mark>"), "{page}");
    let docs = dir.display("docs");
    for path in [
        "/etc/passwd".to_string(),
        format!("{docs}/../docs/d00.txt"),
        format!("{docs}/./d00.txt"),
        format!("{docs}/d00.txt/"),
        format!("{docs}/d00.txt\0"),
        dir.display("docs/later.txt"),
        "d00.txt".to_string(),
        String::new(),
    ] {
        let (status, page) = server.get(&format!("/doc?path={}", encode(&path)));
        assert_eq!(status, 404, "{path:?} must not be shown:\n{page}");
        assert!(!page.contains("root:"), "{page}");
    }
    // Percent-encoded traversal in the raw target, decoded once by the server.
    for target in [
        "/doc?path=%2Fetc%2Fpasswd",
        "/doc?path=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/doc?path=%252e%252e%252fetc%252fpasswd",
        "/doc?path=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/doc/../../etc/passwd",
        "/assets/../../../../etc/passwd",
    ] {
        let (status, page) = server.get(target);
        assert_eq!(status, 404, "{target}:\n{page}");
        assert!(!page.contains("root:"), "{target}: {page}");
    }
}

#[test]
fn a_host_header_naming_another_server_is_refused() {
    let dir = indexed(1);
    let server = ServerGuard::start(&dir, &[]);
    let port = server.addr.rsplit(':').next().expect("a port");
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "localhost:1".to_string(),
    ] {
        let response = server.raw_get("/api/search?q=lantern", &host);
        assert!(
            response.starts_with("HTTP/1.1 403"),
            "Host {host}:\n{response}"
        );
        assert!(!response.contains("d00.txt"), "{response}");
    }
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = server.raw_get("/api/search?q=lantern", &host);
        assert!(
            response.starts_with("HTTP/1.1 200"),
            "Host {host}:\n{response}"
        );
    }
    let page = server.raw_get("/", &server.addr);
    let headers = page.to_ascii_lowercase();
    assert!(
        headers.contains("content-security-policy: default-src 'self'"),
        "{page}"
    );
    assert!(
        headers.contains("x-content-type-options: nosniff"),
        "{page}"
    );
}

#[test]
fn markup_in_names_and_text_is_escaped_on_every_page() {
    let dir = Dir::new();
    let name = "docs/<img src=x onerror=alert(1)> \"q\" & 'a'.txt";
    dir.create(name, "<script>alert(1)</script> lantern <b>bold</b>");
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let path = dir.display(name);
    let query = "lantern OR script OR \"<b>\"";
    let pages = [
        format!("/search?q={}", encode(query)),
        format!("/search?q={}&path={}", encode(query), encode("<i>docs</i>")),
        format!("/doc?path={}&q={}", encode(&path), encode(query)),
        format!("/doc?path={}", encode(&format!("{path}<script>"))),
        format!("/search?q={}", encode("<script>alert(1)</script> (")),
    ];
    for target in &pages {
        let (_, page) = server.get(target);
        for raw in [
            "<script>alert",
            "<img",
            "<b>bold",
            "<i>docs",
            "onerror=alert(1)>",
        ] {
            assert!(
                !page.contains(raw),
                "{target} shows {raw:?} unescaped:\n{page}"
            );
        }
    }
    let (_, page) = server.get(&pages[0]);
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{page}"
    );
    let (_, page) = server.get(&pages[2]);
    assert!(
        page.contains("&#60;<mark id=\"m1\">script</mark>&#62;alert(1)"),
        "{page}"
    );
}

#[test]
fn a_commit_by_another_process_is_seen_without_a_restart() {
    let dir = indexed(1);
    let server = ServerGuard::start(&dir, &[]);
    let (_, before) = server.get_json("/api/search?q=newcomer");
    assert_eq!(before["total"], 0);
    dir.create("docs/new.txt", "a newcomer arrives");
    dir.index(&[]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, after) = server.get_json("/api/search?q=newcomer");
        if after["total"] == 1 {
            assert_eq!(after["hits"][0]["path"], dir.display("docs/new.txt"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new commit is not seen: {after}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, page) = server.get("/search?q=newcomer");
    assert_eq!(status, 200);
    assert!(page.contains("<b>newcomer</b>"), "{page}");
}

#[test]
fn the_search_page_pages_by_fifty_and_keeps_the_filter() {
    let dir = indexed(60);
    dir.create("other/x.txt", "lantern elsewhere");
    dir.index(&[dir.path("other").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &["--editor", "vscode"]);
    let (status, first) = server.get("/search?q=lantern");
    assert_eq!(status, 200);
    assert!(
        first.contains("61 total matching documents; showing 1–50"),
        "{first}"
    );
    assert!(
        first.contains("href=\"/search?q=lantern&#38;page=2\""),
        "{first}"
    );
    assert!(first.contains("vscode://file/"), "{first}");
    let (_, second) = server.get("/search?q=lantern&page=2");
    assert!(second.contains("showing 51–61"), "{second}");
    assert!(
        second.contains("<span class=\"rank\">51.</span>"),
        "{second}"
    );
    let (_, filtered) = server.get("/search?q=lantern&path=other");
    assert!(
        filtered.contains("1 total matching documents"),
        "{filtered}"
    );
    assert!(filtered.contains("x.txt"), "{filtered}");
    let (status, _) = server.get("/search?q=lantern&page=0");
    assert_eq!(status, 400);
}

#[test]
fn a_document_whose_name_is_not_utf8_opens_from_its_hit() {
    let dir = Dir::new();
    dir.create_named("docs", b"caf\xe9.txt", "an espresso at the counter\n");
    dir.index(&["docs"]);
    let server = ServerGuard::start(&dir, &[]);

    let (status, found) = server.get_json("/api/search?q=espresso");
    assert_eq!(status, 200, "{found}");
    let hit = &found["hits"][0];
    assert_eq!(hit["path"], dir.display("docs/caf\u{FFFD}.txt"), "{found}");
    let key = format!("{}/caf\0e9.txt", dir.display("docs"));
    assert_eq!(hit["key"], key.as_str(), "{found}");

    let (status, page) = server.get("/search?q=espresso");
    assert_eq!(status, 200, "{page}");
    let link = page
        .split("href=\"")
        .map(|rest| &rest[..rest.find('"').expect("a closed attribute")])
        .find(|href| href.starts_with("/doc?"))
        .unwrap_or_else(|| panic!("no document link in {page}"))
        .replace("&#38;", "&");
    assert!(
        link.starts_with(&format!("/doc?path={}&", encode(&key))),
        "the link names the key: {link}"
    );
    let (status, document) = server.get(&link);
    assert_eq!(status, 200, "{link}: {document}");
    assert!(
        document.contains("<mark id=\"m1\">espresso</mark>"),
        "{document}"
    );
    let shown = hit["path"].as_str().expect("a path");
    let (status, _) = server.get(&format!("/doc?path={}", encode(shown)));
    assert_eq!(status, 404, "the shown path is not the document's identity");
}

#[test]
fn searches_at_the_same_time_answer_as_a_search_alone() {
    // Alone, a search highlights its hits on several threads; beside others, on its own.
    let dir = Dir::new();
    for n in 0..60 {
        let filler = "word ".repeat(n);
        let text = format!("{filler}the lantern glows\nand a lantern {filler} again");
        dir.create(&format!("docs/d{n:02}.txt"), text);
    }
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let without_timing = |mut document: serde_json::Value| {
        document
            .as_object_mut()
            .expect("an object")
            .remove("elapsed_ms");
        document
    };
    let target = "/api/search?q=lantern%20glows&limit=60";
    let (status, alone) = server.get_json(target);
    assert_eq!(status, 200, "{alone}");
    assert_eq!(alone["hits"].as_array().map(Vec::len), Some(60));
    let alone = without_timing(alone);
    let answers: Vec<(u16, serde_json::Value)> = std::thread::scope(|scope| {
        let running: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| server.get_json(target)))
            .collect();
        running
            .into_iter()
            .map(|search| search.join().expect("the client thread"))
            .collect()
    });
    for (status, answer) in answers {
        assert_eq!(status, 200, "{answer}");
        assert_eq!(without_timing(answer), alone);
    }
}

#[test]
fn a_deleted_index_is_named_with_the_command_that_makes_one() {
    let dir = indexed(1);
    let server = ServerGuard::start(&dir, &[]);
    std::fs::remove_dir_all(dir.index_dir()).expect("delete the index folder");
    let missing = format!("no index at {}", dir.index_dir().display());
    for target in ["/", "/search?q=lantern"] {
        let (status, page) = server.get(target);
        assert_eq!(status, 503, "{target}:\n{page}");
        assert!(page.contains(&missing), "{target}:\n{page}");
        assert!(page.contains("lantern index"), "{target}:\n{page}");
    }
    for target in ["/api/search?q=lantern", "/api/status"] {
        let (status, error) = server.get_json(target);
        assert_eq!(status, 503, "{target}: {error}");
        let message = error["error"]["message"].as_str().expect("a message");
        assert!(message.contains(&missing), "{target}: {message}");
        assert!(message.contains("lantern index"), "{target}: {message}");
    }
}

/// A folder with `docs/small.txt` (holding `lantern`) and `docs/hostile.txt`: one line of
/// `words` one-letter words, every one a match of the query `a`.
fn with_hostile_document(words: usize) -> Dir {
    let dir = Dir::new();
    dir.create("docs/small.txt", "a lantern in the dark");
    dir.create("docs/hostile.txt", "a ".repeat(words));
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    dir
}

/// The `id="m…"` numbers on a page, in order.
fn match_ids(page: &str) -> Vec<usize> {
    page.split("<mark id=\"m")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').expect("a closed id")]
                .parse()
                .expect("a number")
        })
        .collect()
}

#[test]
fn a_document_page_is_bounded_and_long_documents_come_in_parts() {
    // Every word a match: the whole document on one page was 40 bytes of HTML per byte of
    // text. A document of empty lines: 100 bytes per line.
    let words = 300_000;
    let dir = with_hostile_document(words);
    dir.create("docs/lines.txt", "\n".repeat(600_000));
    dir.index(&[]);
    let server = ServerGuard::start(&dir, &[]);
    let path = encode(&dir.display("docs/hostile.txt"));
    let (status, first) = server.get(&format!("/doc?path={path}&q=a"));
    assert_eq!(status, 200, "{first}");
    assert!(first.len() < 4 << 20, "a page of {} bytes", first.len());
    assert!(
        first.contains(&format!("{words} matches")),
        "the count is the document's"
    );
    let ids = match_ids(&first);
    assert_eq!(ids.first(), Some(&1));
    assert!(
        ids.len() < 10_000,
        "{} matches marked on one page",
        ids.len()
    );
    assert!(first.contains("part 1 of "), "the page says it is a part");

    // The next part goes on where the first ends; the last ends with the last match.
    let second_href = first
        .split("id=\"next-part\" href=\"")
        .nth(1)
        .map(|rest| rest[..rest.find('"').expect("a closed href")].replace("&#38;", "&"))
        .expect("a link to the next part");
    let (status, second) = server.get(&second_href);
    assert_eq!(status, 200, "{second_href}: {second}");
    assert_eq!(
        match_ids(&second).first(),
        Some(&(ids.last().expect("ids") + 1))
    );
    let parts: usize = first
        .split("part 1 of ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|count| count.parse().ok())
        .expect("the number of parts");
    let (status, last) = server.get(&format!("/doc?path={path}&q=a&part={parts}"));
    assert_eq!(status, 200, "{last}");
    assert_eq!(match_ids(&last).last(), Some(&words));
    let (status, _) = server.get(&format!("/doc?path={path}&q=a&part={}", parts + 1));
    assert_eq!(status, 404);

    let lines = encode(&dir.display("docs/lines.txt"));
    let (status, page) = server.get(&format!("/doc?path={lines}"));
    assert_eq!(status, 200);
    assert!(page.len() < 4 << 20, "a page of {} bytes", page.len());
}

#[test]
fn searches_and_assets_are_answered_while_hostile_document_pages_are_made() {
    // One line of a million matches: laid out on the async threads (in time quadratic in
    // them), four such pages stalled every other request for minutes.
    let dir = with_hostile_document(1_000_000);
    let server = ServerGuard::start(&dir, &[]);
    let document = format!("/doc?path={}&q=a", encode(&dir.display("docs/hostile.txt")));
    std::thread::scope(|scope| {
        let pages: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| server.get(&document)))
            .collect();
        // Let the document requests reach the server first.
        std::thread::sleep(Duration::from_millis(300));
        for _ in 0..3 {
            let (status, css) = server.get_within("/assets/lantern.css", Duration::from_secs(30));
            assert_eq!(status, 200, "{css}");
            let (status, found) =
                server.get_within("/api/search?q=lantern", Duration::from_secs(30));
            assert_eq!(status, 200, "{found}");
            assert!(found.contains("small.txt"), "{found}");
        }
        for page in pages {
            let (status, page) = page.join().expect("a document request");
            // Made, or refused while the others are: never a hang.
            assert!(status == 200 || status == 503, "{status}: {page}");
        }
    });
}

/// Raises this test process's soft limit on open files to its hard limit, for tests that
/// open many connections.
fn raise_own_descriptor_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
    }
}

/// True when the server closed `stream` (end of file or reset) within `limit`; false when it
/// still held it open then.
fn closed_by_server_within(stream: &mut std::net::TcpStream, limit: Duration) -> bool {
    use std::io::Read;
    stream
        .set_read_timeout(Some(limit))
        .expect("set a read timeout");
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(err) => !matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn searches_are_answered_beyond_as_many_idle_connections_as_descriptors() {
    // Under `ulimit -n 256`, idle connections used every descriptor: the server could accept
    // nothing more, and a search waited in the listen backlog as long as they stayed open.
    raise_own_descriptor_limit();
    let dir = indexed(3);
    let server = ServerGuard::start_with_descriptor_limit(&dir, 256);
    let idle: Vec<std::net::TcpStream> = (0..400)
        .map(|_| std::net::TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    for round in 0..3 {
        let (status, found) = server.get_within("/api/search?q=lantern", Duration::from_secs(30));
        assert_eq!(status, 200, "round {round}: {found}");
        assert!(found.contains("d00.txt"), "{found}");
    }
    // More connections while the others stay open: still answered.
    let more: Vec<std::net::TcpStream> = (0..300)
        .map(|_| std::net::TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let (status, page) = server.get_within("/search?q=lantern", Duration::from_secs(30));
    assert_eq!(status, 200, "{page}");
    drop((idle, more));
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    use std::io::Write;
    let dir = indexed(1);
    let server = ServerGuard::start(&dir, &[]);
    // Slowloris: headers a byte at a time, never ended; and a connection that sends nothing.
    let mut slow = std::net::TcpStream::connect(&server.addr).expect("connect");
    let mut silent = std::net::TcpStream::connect(&server.addr).expect("connect");
    let mut writer = slow.try_clone().expect("clone the stream");
    let trickle = std::thread::spawn(move || {
        let headers = format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\n{}",
            "X-Pad: y\r\n".repeat(100)
        );
        for byte in headers.bytes() {
            if writer.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    // Generous: the server's limit is 10 s; this only says it closes them at all.
    assert!(
        closed_by_server_within(&mut slow, Duration::from_secs(90)),
        "a connection trickling its headers is still open"
    );
    assert!(
        closed_by_server_within(&mut silent, Duration::from_secs(30)),
        "an idle connection is still open"
    );
    trickle.join().expect("the trickling thread");
    let (status, _) = server.get("/api/search?q=lantern");
    assert_eq!(status, 200);
}

#[test]
fn a_client_that_stops_reading_its_answers_is_disconnected() {
    use std::io::{Read, Write};
    // A page of 256 KB of markup (five times that escaped), asked for twenty times in a row
    // on one connection that reads nothing: more than any socket buffers hold, so the server's
    // writes wait; they waited for good, holding the connection and its pages.
    let dir = Dir::new();
    dir.create("docs/markup.txt", "<&>\"'".repeat(50_000));
    dir.index(&[dir.path("docs").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let target = format!("/doc?path={}", encode(&dir.display("docs/markup.txt")));
    let (status, page) = server.get(&target);
    assert_eq!(status, 200);
    let requests = 20;
    let mut stream = std::net::TcpStream::connect(&server.addr).expect("connect");
    let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    stream
        .write_all(request.repeat(requests).as_bytes())
        .expect("send the requests");
    // The server's limit is 30 s without progress; this waits longer, then reads.
    std::thread::sleep(Duration::from_secs(50));
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("set a read timeout");
    let mut received = 0;
    let mut buffer = vec![0; 1 << 16];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => received += read,
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!("reading after {received} bytes: {err}"),
        }
    }
    assert!(
        received < requests * page.len(),
        "all {requests} answers were kept for a client that did not read ({received} bytes)"
    );
}

/// The bytes of `sample-docs/documents/NAME`.
fn sample_document(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-docs/documents")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The `/file` links of a search page, unescaped.
fn original_links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("a closed attribute")].replace("&#38;", "&"))
        .filter(|href| href.starts_with("/file?"))
        .collect()
}

/// GETs `target` with a real HTTP client: status, the headers asked for, and the body.
fn get_with_headers(
    server: &ServerGuard,
    target: &str,
    names: &[&str],
) -> (u16, Vec<Option<String>>, Vec<u8>) {
    let response = match ureq::get(&server.url(target)).call() {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("GET {target} failed: {err}"),
    };
    let status = response.status();
    let headers = names
        .iter()
        .map(|name| response.header(name).map(str::to_string))
        .collect();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut body).expect("read the body");
    (status, headers, body)
}

#[test]
fn every_hit_opens_its_original_file_through_the_server_and_only_indexed_ones() {
    let dir = Dir::new();
    let page = "<html><head><title>Kestrel</title></head><body><p>a kestrel hovers</p>\
                <script>document.title = 'ran'</script></body></html>";
    dir.create("docs/page.html", page);
    dir.create("docs/notes.txt", "kestrel notes");
    dir.create("docs/manual.pdf", sample_document("manual.pdf"));
    dir.index(&["docs"]);
    dir.create("docs/later.txt", "kestrel, written after indexing");
    let server = ServerGuard::start(&dir, &[]);

    let (status, results) = server.get("/search?q=kestrel");
    assert_eq!(status, 200, "{results}");
    // No file:// link, which a browser refuses from an http page.
    assert!(!results.contains("file://"), "{results}");
    let links = original_links(&results);
    assert_eq!(links.len(), 2, "{results}");
    let link_to = |name: &str| {
        links
            .iter()
            .find(|link| link.contains(&encode(&format!("/docs/{name}"))))
            .unwrap_or_else(|| panic!("no link to {name} in {links:?}"))
            .clone()
    };
    let names = [
        "content-type",
        "content-disposition",
        "content-security-policy",
        "x-content-type-options",
    ];

    // An HTML page: as it is, but sandboxed, so that its script cannot run on our origin.
    let (status, headers, body) = get_with_headers(&server, &link_to("page.html"), &names);
    assert_eq!(status, 200);
    assert_eq!(body, page.as_bytes());
    assert_eq!(headers[0].as_deref(), Some("text/html"));
    assert_eq!(
        headers[1].as_deref(),
        Some("inline; filename=\"page.html\"; filename*=UTF-8''page.html")
    );
    let policy = headers[2].clone().unwrap_or_default();
    assert!(policy.starts_with("sandbox;"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    assert_eq!(headers[3].as_deref(), Some("nosniff"));

    // Plain text is text, whatever it holds.
    let (status, headers, body) = get_with_headers(&server, &link_to("notes.txt"), &names);
    assert_eq!(status, 200);
    assert_eq!(body, b"kestrel notes");
    assert_eq!(headers[0].as_deref(), Some("text/plain; charset=utf-8"));

    // A PDF opens at the page of its best fragment.
    let (_, found) = server.get("/search?q=sunset");
    let pdf = original_links(&found)
        .into_iter()
        .find(|link| link.contains("manual.pdf"))
        .unwrap_or_else(|| panic!("no link to the PDF in {found}"));
    assert!(pdf.ends_with("#page=2"), "{pdf}");
    let target = pdf.split('#').next().unwrap_or_default();
    let (status, headers, body) = get_with_headers(&server, target, &names);
    assert_eq!(status, 200);
    assert_eq!(headers[0].as_deref(), Some("application/pdf"));
    assert_eq!(body, sample_document("manual.pdf"));

    // The document page links to the original too.
    let notes = encode(&dir.display("docs/notes.txt"));
    let (status, document) = server.get(&format!("/doc?path={notes}&q=kestrel"));
    assert_eq!(status, 200, "{document}");
    assert!(
        document.contains(&format!(
            "<a class=\"original\" href=\"/file?path={notes}\">"
        )),
        "{document}"
    );

    // A file the index does not hold is never served, even in an indexed folder.
    for path in [
        dir.display("docs/later.txt"),
        "/etc/passwd".to_string(),
        dir.display("docs"),
        format!("{}/../docs/notes.txt", dir.display("docs")),
    ] {
        let (status, body) = server.get(&format!("/file?path={}", encode(&path)));
        assert_eq!(status, 404, "{path}: {body}");
    }
}

#[test]
fn the_start_page_says_what_is_indexed_and_how_to_ask() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "one");
    dir.create("docs/b.txt", "two");
    dir.create("docs/c.html", "<html><body><p>three</p></body></html>");
    dir.create("more/d.txt", "four");
    dir.index(&["docs"]);
    dir.index(&["more"]);
    let server = ServerGuard::start(&dir, &[]);
    let (status, page) = server.get("/");
    assert_eq!(status, 200, "{page}");
    let summary = util::element(&page, "p");
    assert!(
        summary.contains("4 documents indexed: ")
            && summary.contains("3 text</span>, ")
            && summary.contains("1 html</span>."),
        "{summary}"
    );
    for (root, count) in [("docs", 3), ("more", 1)] {
        let line = format!(
            "<li><code>{}</code>: {count} documents, last indexed ",
            dir.display(root)
        );
        assert!(page.contains(&line), "{line} in {page}");
    }
    assert!(page.contains("<code>\"error handling\"</code>"), "{page}");
}

#[test]
fn markup_in_roots_filters_and_previewed_documents_is_escaped() {
    let dir = Dir::new();
    // `<b>` is the page's own mark: the hostile tags are others.
    let root = "<u>root</u> & \"co\"";
    let name = format!("{root}/<img src=x onerror=alert(1)>/<i>a</i>.txt");
    dir.create(&name, "<script>alert(1)</script> lantern");
    dir.create("plain/b.txt", "lantern");
    dir.index(&[dir.path(root).to_str().expect("UTF-8 path")]);
    dir.index(&[dir.path("plain").to_str().expect("UTF-8 path")]);
    let server = ServerGuard::start(&dir, &[]);
    let pages = [
        // One root: named above the list; with the other root, in a heading.
        format!(
            "/search?q=lantern&path={}",
            encode("<img src=x onerror=alert(1)>")
        ),
        "/search?q=lantern&sort=path".to_string(),
        // Filters in force, shown with their removal links.
        format!(
            "/search?q=lantern&type={}&size={}",
            encode("text,<script>alert(1)</script>"),
            encode(">1<u>")
        ),
        // What the preview pane shows.
        format!("/doc?path={}&q=lantern", encode(&dir.display(&name))),
    ];
    for target in &pages {
        let (_, page) = server.get(target);
        for raw in ["<script>alert", "<img", "<u>", "<i>a"] {
            assert!(
                !page.contains(raw),
                "{target} shows {raw:?} unescaped:\n{page}"
            );
        }
    }
    let (status, one_root) = server.get(&pages[0]);
    assert_eq!(status, 200, "{one_root}");
    assert!(
        one_root.contains("&#60;u&#62;root&#60;/u&#62; &#38; &#34;co&#34;</code>"),
        "the root, named once, escaped:\n{one_root}"
    );
    assert!(
        one_root.contains("<span class=\"value\">&#60;img src=x onerror=alert(1)&#62;</span>"),
        "the path filter in force, escaped:\n{one_root}"
    );
    let (_, two_roots) = server.get(&pages[1]);
    assert!(
        two_roots.contains("<li class=\"root\"><code>"),
        "{two_roots}"
    );
    assert!(
        two_roots.contains(">&lt;img src=x onerror=alert(1)&gt;/&lt;i&gt;a&lt;/i&gt;.txt</a>"),
        "the path under its root, escaped:\n{two_roots}"
    );
}
