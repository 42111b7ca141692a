//! A running `lantern serve` on a test's index, stopped when the test ends, and plain HTTP
//! requests to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

use super::{Dir, TestCommand};

/// How long the server may take to say where it listens.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

/// A `lantern serve` child process, killed when dropped.
pub struct ServerGuard {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl ServerGuard {
    /// Starts `lantern serve --bind 127.0.0.1:0 EXTRA...` on `dir`'s index and waits for its
    /// `listening on http://ADDR` line.
    pub fn start(dir: &Dir, extra: &[&str]) -> ServerGuard {
        ServerGuard::start_command(dir.lantern(), extra)
    }

    /// Starts `lantern serve --bind 127.0.0.1:0` on `dir`'s index with at most `limit` open
    /// files, as under `ulimit -n LIMIT`.
    pub fn start_with_descriptor_limit(dir: &Dir, limit: u64) -> ServerGuard {
        ServerGuard::start_command(dir.lantern().descriptor_limit(limit), &[])
    }

    /// Starts `COMMAND serve --bind 127.0.0.1:0 EXTRA...`, `command` a `lantern` command line
    /// with its index chosen (and perhaps limits set), and waits for its `listening on` line.
    pub fn start_command(command: TestCommand, extra: &[&str]) -> ServerGuard {
        let mut child = command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .spawn_piped();
        let stdout = child.stdout.take().expect("stdout");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = send.send(lines.next());
            // Keep draining, so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let mut guard = ServerGuard {
            child,
            base: String::new(),
            addr: String::new(),
        };
        let first = match receive.recv_timeout(STARTUP_LIMIT) {
            Ok(Some(Ok(line))) => line,
            other => {
                let mut stderr = String::new();
                let _ = guard.child.kill();
                if let Some(mut pipe) = guard.child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                panic!("lantern serve did not start ({other:?}); stderr:\n{stderr}");
            }
        };
        let base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        guard.addr = base.trim_start_matches("http://").to_string();
        guard.base = base;
        guard
    }

    /// The server's process id (to read its resource use from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The URL of `target` (a path and query) on this server.
    pub fn url(&self, target: &str) -> String {
        format!("{}{target}", self.base)
    }

    /// GETs `target`: the status and the body.
    pub fn get(&self, target: &str) -> (u16, String) {
        self.get_within(target, Duration::from_secs(60))
    }

    /// GETs `target`, failing the test when the whole answer takes longer than `limit` (a
    /// generous bound saying the server answers at all, not how fast).
    pub fn get_within(&self, target: &str, limit: Duration) -> (u16, String) {
        let agent = ureq::AgentBuilder::new().timeout(limit).build();
        match agent.get(&self.url(target)).call() {
            Ok(response) => (response.status(), body(response)),
            Err(ureq::Error::Status(status, response)) => (status, body(response)),
            Err(err) => panic!("GET {target} failed: {err}"),
        }
    }

    /// GETs `target` and parses the body as JSON: the status and the value.
    pub fn get_json(&self, target: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.get(target);
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|err| panic!("GET {target}: not JSON ({err}):\n{body}"));
        (status, value)
    }

    /// Sends `GET target` with the Host header `host` over a bare connection: the whole
    /// response (status line, headers and body).
    pub fn raw_get(&self, target: &str, host: &str) -> String {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("set a read timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send the request");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("read the response");
        response
    }
}

fn body(response: ureq::Response) -> String {
    response.into_string().expect("a UTF-8 body")
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `text` percent-encoded for a query parameter.
pub fn encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
