//! An index on a read-only file system (a shared drive, a backup, a snapshot): every reader
//! works, every writer refuses and says why.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use util::{running_as_root, Dir, ServerGuard, HANG_LIMIT};

/// A read-only bind mount of a folder over itself, undone when dropped.
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    /// Makes `folder` read-only for everyone, root included (file permissions do not stop
    /// root, a read-only mount does). `None`, having said so, when the test must skip: not
    /// root, or no mount allowed here; a failure instead when `LANTERN_REQUIRE_ROOT_TESTS` is
    /// set, as in CI.
    fn new(test: &str, folder: &Path) -> Option<ReadOnlyMount> {
        let required = std::env::var_os("LANTERN_REQUIRE_ROOT_TESTS").is_some();
        if !running_as_root() {
            assert!(
                !required,
                "LANTERN_REQUIRE_ROOT_TESTS is set but the tests do not run as root"
            );
            eprintln!("SKIPPED {test}: a read-only mount needs root");
            return None;
        }
        let mount = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(folder)
                .arg(folder)
                .status()
                .is_ok_and(|status| status.success())
        };
        if !mount(&["--bind"]) {
            assert!(
                !required,
                "LANTERN_REQUIRE_ROOT_TESTS is set but a bind mount fails"
            );
            eprintln!("SKIPPED {test}: cannot bind-mount here");
            return None;
        }
        let guard = ReadOnlyMount(folder.to_path_buf());
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(folder)
            .status()
            .is_ok_and(|status| status.success());
        assert!(remounted, "cannot remount {} read-only", folder.display());
        assert!(
            std::fs::write(folder.join("probe"), "x").is_err(),
            "the mount is not read-only"
        );
        Some(guard)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Sends one JSON-RPC message a line to `lantern mcp` and returns the answer to `id`.
fn mcp_exchange(dir: &Dir, requests: &[Value], id: u64) -> Value {
    let mut child = dir.lantern().arg("mcp").spawn_conversation();
    let mut input = child.stdin.take().expect("stdin");
    for request in requests {
        writeln!(input, "{request}").expect("write to lantern mcp");
    }
    input.flush().expect("flush");
    let output = child.stdout.take().expect("stdout");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            let message: Value = serde_json::from_str(&line).expect("a JSON-RPC line");
            if message["id"] == id {
                let _ = send.send(message);
                return;
            }
        }
    });
    let answer = receive.recv_timeout(HANG_LIMIT).expect("an answer");
    let _ = child.kill();
    let _ = child.wait();
    answer
}

#[test]
fn a_read_only_index_is_searched_and_writers_say_it_is_read_only() {
    let dir = Dir::new();
    dir.create("docs/a.txt", "a bettong in the scrub\n");
    dir.index(&["docs"]);
    let Some(_mount) = ReadOnlyMount::new(
        "a_read_only_index_is_searched_and_writers_say_it_is_read_only",
        &dir.index_dir(),
    ) else {
        return;
    };

    let found = dir.search_json(&["bettong"]);
    assert_eq!(found.paths(), ["docs/a.txt"]);
    let status = dir.lantern().arg("status").assert_success();
    assert!(status.stdout.contains(&dir.display("docs")), "{status}");

    let server = ServerGuard::start(&dir, &[]);
    let (code, answer) = server.get_json("/api/search?q=bettong");
    assert_eq!(code, 200, "{answer}");
    assert_eq!(answer["total"], 1, "{answer}");
    let (code, answer) = server.get_json("/api/status");
    assert_eq!(code, 200, "{answer}");
    drop(server);

    let answer = mcp_exchange(
        &dir,
        &[
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "lantern-tests", "version": "0"},
            }}),
            json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                   "params": {"name": "search", "arguments": {"query": "bettong"}}}),
        ],
        2,
    );
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    assert_eq!(
        answer["result"]["structuredContent"]["total"], 1,
        "{answer}"
    );

    for writer in [
        &["index"][..],
        &["index", "docs"],
        &["index", "--rebuild", "docs"],
        &["forget", "docs"],
        &["watch"],
    ] {
        let output = dir.lantern().args(writer).assert_exit(1);
        assert!(output.stderr.contains("read-only"), "{writer:?}: {output}");
        assert!(
            !output.stderr.contains("damaged") && !output.stderr.contains("--rebuild"),
            "{writer:?}: no wrong advice: {output}"
        );
        assert_eq!(output.stderr.matches("lantern:").count(), 1, "{output}");
    }
}
