//! The `read` tool: lines of an indexed document's stored text, found by its exact path.

use std::path::Path;

use rmcp::schemars::{self, JsonSchema};
use serde::{Deserialize, Serialize};

use super::ToolError;
use crate::deadline::Deadline;
use crate::engine::Engine;
use crate::index::path_key::path_key;

/// Lines returned when the agent names no end.
const DEFAULT_LINES: usize = 200;
/// The most lines one call returns.
const MAX_LINES: usize = 500;
/// The most bytes of text one call returns: a minified file's lines can be huge.
const MAX_BYTES: usize = 64_000;

/// Arguments of the `read` tool.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReadArgs {
    /// The document's absolute path, exactly as a search hit gave it, or the hit's `key` when
    /// it has one.
    pub path: String,
    /// The first line to return, 1-based (default 1).
    pub start_line: Option<usize>,
    /// The last line to return, inclusive (default: 199 lines after `start_line`; at most 500
    /// lines per call).
    pub end_line: Option<usize>,
}

/// What the `read` tool returns.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReadOutput {
    /// The document's path.
    pub path: String,
    /// The first line returned, 1-based.
    pub start_line: usize,
    /// The last line returned (less than `start_line` when the document is empty).
    pub end_line: usize,
    /// How many lines the document has.
    pub total_lines: usize,
    /// True when the byte cap (64 KB) ended the text before the lines asked for; a line too
    /// long for it is cut.
    pub truncated: bool,
    /// The lines, each ended by a newline, as the index stores them.
    pub text: String,
}

/// Reads the lines `args` asks for from `engine`, on its latest commit.
pub(super) fn run(engine: &dyn Engine, args: &ReadArgs) -> Result<ReadOutput, ToolError> {
    let start = args.start_line.unwrap_or(1);
    if start == 0 {
        return Err(ToolError::BadArgument(
            "start_line counts from 1".to_string(),
        ));
    }
    let end = args
        .end_line
        .unwrap_or(start.saturating_add(DEFAULT_LINES - 1));
    if end < start {
        return Err(ToolError::BadArgument(format!(
            "end_line {end} is before start_line {start}"
        )));
    }
    // Looked up by its exact path term in the index, never opened as a file. A hit's `key` is
    // valid UTF-8, and so its own key: both a path and a key find the document.
    engine.refresh().map_err(ToolError::Search)?;
    let document = engine
        .document(
            &path_key(Path::new(&args.path)),
            None,
            usize::MAX,
            &Deadline::after(None),
        )
        .map_err(ToolError::Search)?
        .ok_or_else(|| ToolError::NotInIndex(args.path.clone()))?;
    let text = document.text;
    let total_lines = text.lines().count();
    if start > total_lines.max(1) {
        return Err(ToolError::BadArgument(format!(
            "start_line {start} is past the end of {}, which has {total_lines} lines",
            args.path
        )));
    }
    let wanted = end.min(start + MAX_LINES - 1).min(total_lines) + 1 - start;
    let (text, lines, truncated) =
        capped_lines(text.lines().skip(start - 1).take(wanted), MAX_BYTES);
    Ok(ReadOutput {
        path: args.path.clone(),
        start_line: start,
        end_line: start + lines - 1,
        total_lines,
        truncated,
        text,
    })
}

/// The `lines`, each ended by a newline, while they fit in `max_bytes`; a first line too long is
/// cut at a character boundary. Returns the text, the number of lines in it and whether the cap
/// cut it short.
fn capped_lines<'a>(
    lines: impl Iterator<Item = &'a str>,
    max_bytes: usize,
) -> (String, usize, bool) {
    let mut text = String::new();
    let mut count = 0;
    for line in lines {
        if text.len() + line.len() < max_bytes {
            text.push_str(line);
            text.push('\n');
            count += 1;
            continue;
        }
        if count == 0 {
            let mut cut = max_bytes.min(line.len());
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            text.push_str(&line[..cut]);
            text.push('\n');
            count = 1;
        }
        return (text, count, true);
    }
    (text, count, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_stop_before_the_cap() {
        let lines = ["abc", "def", "ghi"];
        assert_eq!(
            capped_lines(lines.into_iter(), 100),
            ("abc\ndef\nghi\n".to_string(), 3, false)
        );
        assert_eq!(
            capped_lines(lines.into_iter(), 8),
            ("abc\ndef\n".to_string(), 2, true)
        );
        assert_eq!(
            capped_lines(lines.into_iter(), 7),
            ("abc\n".to_string(), 1, true)
        );
    }

    #[test]
    fn a_long_first_line_is_cut_between_characters() {
        let (text, count, truncated) = capped_lines(["ééé"].into_iter(), 3);
        assert_eq!((text.as_str(), count, truncated), ("é\n", 1, true));
    }
}
