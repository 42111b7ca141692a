//! What a malformed query is told: the message, the position, and the caret line under it.

use std::fmt;

/// A query that could not be parsed: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuerySyntaxError {
    /// What is wrong, in lowercase plain English, with a hint when the fix is obvious.
    pub message: String,
    /// 0-based position in *characters* (not bytes) of the offending place.
    pub position: usize,
}

/// `query` on one line and a caret under its character at `position` on the next, e.g.
/// `"(a b\n^"`. Line breaks and tabs in the query are shown as spaces so the caret lines up.
pub fn caret_line(query: &str, position: usize) -> String {
    let line: String = query
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("{line}\n{}^", " ".repeat(position))
}

impl QuerySyntaxError {
    pub(super) fn new(message: impl Into<String>, position: usize) -> Self {
        QuerySyntaxError {
            message: message.into(),
            position,
        }
    }

    /// The query on one line and a caret under the offending character on the next; see
    /// [`caret_line`].
    pub fn caret_line(&self, query: &str) -> String {
        caret_line(query, self.position)
    }
}

impl fmt::Display for QuerySyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position + 1)
    }
}

impl std::error::Error for QuerySyntaxError {}
