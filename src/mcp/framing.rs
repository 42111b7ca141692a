//! The line framing of `lantern mcp` on stdio: one JSON-RPC message a line, checked before the
//! MCP library sees it.
//!
//! The library drops what it cannot parse (malformed JSON, a line past its own 16 MiB cap)
//! without a word, and answers some other mistakes with an error that carries no `id`: a client
//! waiting on its request's id then waits forever. Here each line is read with a bounded buffer
//! (a 100 MB line costs [`MAX_MESSAGE_BYTES`], not 100 MB) and judged: a well-formed message
//! goes on to the library, anything else is answered at once with a JSON-RPC error, `-32700`
//! for a parse error and `-32600` for an invalid request, with the message's id when it has
//! one and `null` otherwise, as JSON-RPC 2.0 asks.

use std::io;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::Deserializer as _;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// The longest message accepted, in bytes. An agent's requests are a query, a path and a few
/// numbers: a megabyte is far more than any needs, and bounds what one line can make the
/// server hold.
pub(super) const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// How much of the start of a line past [`MAX_MESSAGE_BYTES`] is kept, to find its id.
const ID_PREFIX_BYTES: usize = 4 << 10;

/// JSON-RPC's code for a message that is not JSON.
const PARSE_ERROR: i64 = -32700;

/// JSON-RPC's code for JSON that is not a valid message.
const INVALID_REQUEST: i64 = -32600;

/// What [`read_line`] found.
#[derive(Debug, PartialEq)]
enum LineRead {
    /// The input ended.
    Eof,
    /// A whole line, without its newline.
    Line,
    /// A line longer than [`MAX_MESSAGE_BYTES`]; only its first [`ID_PREFIX_BYTES`] were kept.
    TooLong,
}

/// Reads the next line of `input` into `line` (cleared first), holding at most
/// [`MAX_MESSAGE_BYTES`] of it: the rest of a longer line is read and dropped.
async fn read_line(
    input: &mut (impl AsyncBufRead + Unpin),
    line: &mut Vec<u8>,
) -> io::Result<LineRead> {
    line.clear();
    let mut too_long = false;
    loop {
        let available = input.fill_buf().await?;
        if available.is_empty() {
            // The last line may lack its newline.
            return Ok(match (too_long, line.is_empty()) {
                (true, _) => LineRead::TooLong,
                (false, true) => LineRead::Eof,
                (false, false) => LineRead::Line,
            });
        }
        let newline = memchr::memchr(b'\n', available);
        let take = newline.unwrap_or(available.len());
        if !too_long {
            if line.len() + take > MAX_MESSAGE_BYTES {
                too_long = true;
                let keep = ID_PREFIX_BYTES.saturating_sub(line.len()).min(take);
                line.extend_from_slice(&available[..keep]);
                line.truncate(ID_PREFIX_BYTES);
            } else {
                line.extend_from_slice(&available[..take]);
            }
        }
        input.consume(newline.map_or(take, |at| at + 1));
        if newline.is_some() {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// What to do with one line from the client.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// A well-formed message: the MCP library handles it.
    Pass,
    /// A blank line: nothing.
    Skip,
    /// Not a valid message: this answer goes back at once.
    Reply(Value),
}

/// Judges one whole line.
fn judge(line: &[u8]) -> Verdict {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.trim_ascii().is_empty() {
        return Verdict::Skip;
    }
    let message: Value = match serde_json::from_slice(line) {
        Ok(message) => message,
        Err(err) => {
            return Verdict::Reply(error_reply(
                Value::Null,
                PARSE_ERROR,
                format!("parse error: the line is not JSON ({err})"),
            ))
        }
    };
    match message {
        Value::Object(message) => match problem(&message) {
            None => Verdict::Pass,
            Some(why) => Verdict::Reply(invalid(id_of(&message), why)),
        },
        Value::Array(batch) if batch.is_empty() => {
            Verdict::Reply(invalid(Value::Null, "an empty batch".to_string()))
        }
        // MCP has no batches since its 2025-06-18 revision; each request in one is refused
        // with its own id, so that no client waits.
        Value::Array(batch) => Verdict::Reply(Value::Array(
            batch
                .iter()
                .map(|message| {
                    let id = message.as_object().map_or(Value::Null, id_of);
                    invalid(
                        id,
                        "batches are not supported: send one message a line".to_string(),
                    )
                })
                .collect(),
        )),
        other => Verdict::Reply(invalid(
            Value::Null,
            format!("a message is a JSON object, not {}", json_kind(&other)),
        )),
    }
}

/// What is wrong with a JSON-RPC 2.0 message, if anything the MCP library would answer
/// without the message's id.
/// A response (to a request of the server's) is never answered, whatever it holds: answering
/// a broken response with an error could start an exchange of errors that never ends.
fn problem(message: &Map<String, Value>) -> Option<String> {
    let response = !message.contains_key("method")
        && (message.contains_key("result") || message.contains_key("error"));
    if response {
        return None;
    }
    if message.get("jsonrpc") != Some(&json!("2.0")) {
        return Some(r#"the message lacks "jsonrpc": "2.0""#.to_string());
    }
    if message
        .get("id")
        .is_some_and(|id| !id.is_string() && !id.is_number())
    {
        return Some("the id is neither a string nor a number".to_string());
    }
    match message.get("method") {
        Some(Value::String(_)) => match message.get("params") {
            None | Some(Value::Object(_) | Value::Array(_)) => None,
            Some(other) => Some(format!("params is an object, not {}", json_kind(other))),
        },
        Some(other) => Some(format!("the method is a string, not {}", json_kind(other))),
        None => Some(
            "the message has no method (a request or notification) and is no response".to_string(),
        ),
    }
}

/// The message's id, when it has a valid one; `null` otherwise.
fn id_of(message: &Map<String, Value>) -> Value {
    message
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned()
        .unwrap_or(Value::Null)
}

/// The id of a message from the start of its line (the rest was too long to keep), when the
/// id comes before the cut, as clients write it: `{"jsonrpc": "2.0", "id": 7, ...`.
fn id_in_prefix(prefix: &[u8]) -> Value {
    /// Walks the message's keys until `id`, keeping its value; the error at the cut ends it.
    struct IdFinder<'a>(&'a mut Option<Value>);

    impl<'de> Visitor<'de> for IdFinder<'_> {
        type Value = ();

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a JSON-RPC message")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "id" {
                    *self.0 = Some(map.next_value()?);
                    return Ok(());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }

    let mut found = None;
    // The cut makes the message end too early: an error, expected, after the id was seen.
    let _cut = serde_json::Deserializer::from_slice(prefix).deserialize_map(IdFinder(&mut found));
    found
        .filter(|id| id.is_string() || id.is_number())
        .unwrap_or(Value::Null)
}

/// A JSON-RPC error response.
fn error_reply(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// An invalid-request error for `id`, saying why.
fn invalid(id: Value, why: String) -> Value {
    error_reply(id, INVALID_REQUEST, format!("invalid request: {why}"))
}

/// "a string", "an array"...: what a JSON value is, for a message.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the client's lines from `input`: well-formed messages go to `server` (the MCP
/// library's input), answers to the others to `replies`. Returns when the input ends (or
/// cannot be read, which ends the session the same way), closing `server`'s input.
pub(super) async fn forward_messages(
    input: impl AsyncRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    replies: mpsc::Sender<Vec<u8>>,
) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        let reply = match read_line(&mut input, &mut line).await {
            Ok(LineRead::Eof) | Err(_) => return,
            Ok(LineRead::TooLong) => invalid(
                id_in_prefix(&line),
                format!("the message is longer than {MAX_MESSAGE_BYTES} bytes"),
            ),
            Ok(LineRead::Line) => match judge(&line) {
                Verdict::Pass => {
                    line.push(b'\n');
                    if server.write_all(&line).await.is_err() || server.flush().await.is_err() {
                        // The library stopped reading: the session is over.
                        return;
                    }
                    continue;
                }
                Verdict::Skip => continue,
                Verdict::Reply(reply) => reply,
            },
        };
        let mut bytes = reply.to_string().into_bytes();
        bytes.push(b'\n');
        if replies.send(bytes).await.is_err() {
            return;
        }
    }
}

/// Writes the MCP library's messages (lines read from `server`) and the framing's `replies` to
/// `output`, each line whole, until both are done. Fails when `output` cannot be written: the
/// client is gone.
pub(super) async fn write_output(
    server: impl AsyncRead + Unpin,
    mut replies: mpsc::Receiver<Vec<u8>>,
    mut output: impl AsyncWrite + Unpin,
) -> io::Result<()> {
    let mut server = BufReader::new(server);
    let mut line = Vec::new();
    let (mut server_open, mut replies_open) = (true, true);
    while server_open || replies_open {
        tokio::select! {
            // Cancel-safe: a line read in part stays in `line`, and the next call goes on.
            read = server.read_until(b'\n', &mut line), if server_open => {
                if read? == 0 {
                    server_open = false;
                } else {
                    output.write_all(&line).await?;
                    output.flush().await?;
                    line.clear();
                }
            }
            reply = replies.recv(), if replies_open => match reply {
                Some(reply) => {
                    output.write_all(&reply).await?;
                    output.flush().await?;
                }
                None => replies_open = false,
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_messages_pass_and_others_are_answered_with_their_id() {
        let pass = [
            r#"{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}"#,
            r#"{"jsonrpc": "2.0", "method": "notifications/initialized", "params": {}}"#,
            r#"{"jsonrpc": "2.0", "id": "x", "result": {}}"#,
            r#"{"id": null, "error": {"code": -32600, "message": "x"}}"#,
        ];
        for line in pass {
            assert_eq!(judge(line.as_bytes()), Verdict::Pass, "{line}");
        }
        assert_eq!(judge(b"  \r"), Verdict::Skip);
        let answered = [
            ("{oops", PARSE_ERROR, Value::Null),
            (r#"{"id": 3, "method": "x"}"#, INVALID_REQUEST, json!(3)),
            (r#"{"jsonrpc": "2.0", "id": 4}"#, INVALID_REQUEST, json!(4)),
            (
                r#"{"jsonrpc": "2.0", "id": 5, "method": "x", "params": 5}"#,
                INVALID_REQUEST,
                json!(5),
            ),
            (
                r#"{"jsonrpc": "2.0", "id": [1], "method": "x"}"#,
                INVALID_REQUEST,
                Value::Null,
            ),
            ("7", INVALID_REQUEST, Value::Null),
        ];
        for (line, code, id) in answered {
            let Verdict::Reply(reply) = judge(line.as_bytes()) else {
                panic!("{line} passed");
            };
            assert_eq!(reply["error"]["code"], code, "{line}: {reply}");
            assert_eq!(reply["id"], id, "{line}: {reply}");
        }
    }

    #[test]
    fn the_id_is_found_at_the_start_of_a_cut_message() {
        assert_eq!(
            id_in_prefix(br#"{"jsonrpc": "2.0", "id": 42, "params": {"q": "aaa"#),
            json!(42)
        );
        assert_eq!(
            id_in_prefix(br#"{"jsonrpc": "2.0", "params": {"q": "a"#),
            Value::Null
        );
        assert_eq!(id_in_prefix(br#"{"id": "abc"#), Value::Null);
        assert_eq!(id_in_prefix(b"[1, 2"), Value::Null);
    }

    #[tokio::test]
    async fn a_long_line_is_dropped_with_bounded_memory_and_the_next_is_read() {
        let mut input = format!("{}\nnext\n", "x".repeat(3 * MAX_MESSAGE_BYTES)).into_bytes();
        input.extend_from_slice(b"last");
        let mut reader = BufReader::new(input.as_slice());
        let mut line = Vec::new();
        assert_eq!(
            read_line(&mut reader, &mut line).await.ok(),
            Some(LineRead::TooLong)
        );
        assert_eq!(line.len(), ID_PREFIX_BYTES);
        assert!(line.capacity() <= 2 * MAX_MESSAGE_BYTES);
        assert_eq!(
            read_line(&mut reader, &mut line).await.ok(),
            Some(LineRead::Line)
        );
        assert_eq!(line, b"next");
        assert_eq!(
            read_line(&mut reader, &mut line).await.ok(),
            Some(LineRead::Line)
        );
        assert_eq!(line, b"last");
        assert_eq!(
            read_line(&mut reader, &mut line).await.ok(),
            Some(LineRead::Eof)
        );
    }
}
