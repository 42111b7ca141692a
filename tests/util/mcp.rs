//! A conversation with `lantern mcp` in raw JSON-RPC, one message a line: the index's life
//! cycle, errors and tool calls, where the official client (tests/mcp_client.py) is too coarse.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{self, Receiver};

use serde_json::{json, Value};

use super::{Dir, TestCommand, HANG_LIMIT};

/// A conversation with `lantern mcp` in raw JSON-RPC, one message a line.
pub struct McpSession {
    child: Child,
    input: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
}

impl McpSession {
    /// Starts `lantern mcp` on the index of `dir` and completes the handshake.
    pub fn start(dir: &Dir) -> McpSession {
        McpSession::start_command(dir.lantern())
    }

    /// Starts `COMMAND mcp`, `command` a `lantern` command line with its index (or engine)
    /// chosen, and completes the handshake.
    pub fn start_command(command: TestCommand) -> McpSession {
        let mut child = command.arg("mcp").spawn_conversation();
        let input = child.stdin.take().expect("stdin");
        let output = child.stdout.take().expect("stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(output).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = McpSession {
            child,
            input,
            lines,
            next_id: 0,
        };
        let init = session.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "lantern-tests", "version": "0"},
            }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "lantern", "{init}");
        session.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        session
    }

    /// Writes one message, on its own line.
    pub fn send(&mut self, message: Value) {
        writeln!(self.input, "{message}").expect("write to lantern mcp");
        self.input.flush().expect("flush");
    }

    /// Writes `bytes` and a newline as they are, valid JSON-RPC or not.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).expect("write to lantern mcp");
        self.input.write_all(b"\n").expect("write to lantern mcp");
        self.input.flush().expect("flush");
    }

    /// The next message the server writes, which must be JSON.
    pub fn next_message(&mut self, waiting_for: &str) -> Value {
        let line = self
            .lines
            .recv_timeout(HANG_LIMIT)
            .unwrap_or_else(|err| panic!("no answer to {waiting_for}: {err}"));
        serde_json::from_str(&line)
            .unwrap_or_else(|err| panic!("stdout carries only the protocol, got {line:?}: {err}"))
    }

    /// The server's peak resident memory so far, in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read the server's /proc status");
        let kilobytes: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line");
        kilobytes * 1024
    }

    /// Sends a request and waits for its response; every line on stdout must be a JSON-RPC
    /// message.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .recv_timeout(HANG_LIMIT)
                .unwrap_or_else(|err| panic!("no answer to {method}: {err}"));
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|err| {
                panic!("stdout carries only the protocol, got {line:?}: {err}")
            });
            if message["id"] == id {
                return message;
            }
        }
    }

    /// Calls a tool; returns whether it is an error, and its output (structured, or the text).
    pub fn call(&mut self, tool: &str, arguments: Value) -> (bool, Value) {
        let response = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        let result = &response["result"];
        assert!(
            result.is_object(),
            "{tool}: a result, not a protocol error: {response}"
        );
        let output = match &result["structuredContent"] {
            Value::Null => result["content"][0]["text"].clone(),
            structured => structured.clone(),
        };
        (result["isError"] == true, output)
    }
}

impl Drop for McpSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the three documents the MCP scenarios search under `docs/`: `notes/locks.md` holds
/// "mutex" twice on line 12, far from the words of the lines before, and ranks first for it;
/// `notes/queues.md` holds it once; `other.txt` not at all.
pub fn create_mcp_notes(dir: &Dir) {
    let filler = "Background that says nothing about synchronisation at all, really.\n";
    dir.create(
        "docs/notes/locks.md",
        format!(
            "# Locks\n{}\nA mutex guards shared state, and code must take the mutex before \
             touching it.\nThen release it.\n",
            filler.repeat(9)
        ),
    );
    dir.create(
        "docs/notes/queues.md",
        format!(
            "A queue hands work between threads.\n{}A mutex is one way.\n",
            filler.repeat(20)
        ),
    );
    dir.create("docs/other.txt", "Nothing to see here.\n");
}
