//! Printers for every front end: search results as plain text (optionally coloured), JSON, an
//! HTML page or hits for the web page, and an agent's JSON values; an index's status as text or
//! JSON. Each formats one [`SearchResults`] (or [`StatusReport`]) value; none knows how the
//! results or fragments were made. All markup, escaping and colour is here.

mod agent;
mod editor;
mod html;
mod json;
mod status;
mod text;
mod urls;

use std::io;

use termcolor::WriteColor;

pub use agent::{agent_results, AgentFragment, AgentHit, AgentResults};
pub use editor::{EditorLinks, EditorLinksError};
pub use html::{HtmlHit, HtmlPrinter};
pub use json::JsonPrinter;
pub use status::{RootLine, RootReport, StatusReport, StatusView, TypeCount, WatcherReport};
pub use text::TextPrinter;
pub(crate) use urls::{percent_encode_path, with_params};

use crate::highlight::MarkedText;
use crate::query::QueryError;
use crate::search::SearchResults;

/// The marks placed around query matches in fragments and paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marks {
    /// Written before each match.
    pub pre: String,
    /// Written after each match.
    pub post: String,
}

impl Marks {
    /// `text` with every match wrapped in these marks and everything else HTML-escaped: for
    /// HTML pages and the HTML fragments of JSON.
    pub fn html(&self, text: &MarkedText) -> String {
        self.write(text, |piece, out| {
            html_escape::encode_text_to_string(piece, out);
        })
    }

    /// `text` with every match wrapped in these marks and everything else as the document has
    /// it: for plain text in a pipe and for agents, which read characters, not markup.
    pub fn plain(&self, text: &MarkedText) -> String {
        self.write(text, |piece, out| out.push_str(piece))
    }

    /// `text` with its matches between the marks, each piece written by `write_piece`.
    fn write(&self, text: &MarkedText, write_piece: impl Fn(&str, &mut String)) -> String {
        let mut written = String::new();
        for piece in &text.pieces {
            if piece.marked {
                written.push_str(&self.pre);
            }
            write_piece(&piece.text, &mut written);
            if piece.marked {
                written.push_str(&self.post);
            }
        }
        written
    }

    /// A document's title escaped and marked, or nothing when it has none (the pages then show
    /// no title line).
    pub fn html_title(&self, title: Option<&MarkedText>) -> String {
        title.map_or_else(String::new, |title| self.html(title))
    }

    /// The fragments of a hit, each marked and escaped by [`Marks::html`] in a
    /// `<span class="fragment">`, separated by a spaced ellipsis that shows they are apart in
    /// the document (and that a reader copying the text sees too).
    pub fn html_snippet(&self, fragments: &[MarkedText]) -> String {
        let marked: Vec<String> = fragments
            .iter()
            .map(|fragment| format!("<span class=\"fragment\">{}</span>", self.html(fragment)))
            .collect();
        marked.join(HTML_FRAGMENT_GAP)
    }
}

/// What separates two fragments on an HTML page.
const HTML_FRAGMENT_GAP: &str = "<span class=\"gap\"> … </span>";

impl Default for Marks {
    fn default() -> Self {
        Marks {
            pre: "<b>".to_string(),
            post: "</b>".to_string(),
        }
    }
}

/// A query that could not be run, as shown to the user in any format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryProblem {
    /// The query as given.
    pub query: String,
    /// What is wrong.
    pub message: String,
    /// Character position of the problem in the query, when known.
    pub position: Option<usize>,
}

impl QueryProblem {
    /// The problem `err` found in `query`: a syntax error keeps its position, for the caret.
    pub fn from_error(query: &str, err: &QueryError) -> QueryProblem {
        let (message, position) = match err {
            QueryError::Syntax(syntax) => (syntax.message.clone(), Some(syntax.position)),
            other => (other.to_string(), None),
        };
        QueryProblem {
            query: query.to_string(),
            message,
            position,
        }
    }
}

/// Writes search results, or the reason there are none, in one output format. The writer says
/// whether it takes colour; only the text format uses it.
pub trait ResultsPrinter {
    /// Writes the results.
    fn print_results(&self, results: &SearchResults, out: &mut dyn WriteColor) -> io::Result<()>;
    /// Writes a query error in this format (plain text formats leave it to stderr and write
    /// nothing).
    fn print_problem(&self, problem: &QueryProblem, out: &mut dyn WriteColor) -> io::Result<()>;
}

/// What joins the fragments of a hit into the one-line snippet of JSON output.
const FRAGMENT_SEPARATOR: &str = "...";

/// The fragments of a hit joined as the one-line snippet of JSON output.
pub fn snippet(fragments: &[String]) -> String {
    fragments.join(FRAGMENT_SEPARATOR)
}

/// What separates an e-mail's sender from its date when a hit shows them.
const ENVELOPE_SEPARATOR: &str = " · ";

/// What names a message besides its subject, as text and HTML hits show it: its sender and date
/// (`Alice <alice@example.com> · 2024-05-14 09:30:00 UTC`); empty for a hit with neither.
fn envelope(hit: &crate::search::Hit) -> String {
    let parts: Vec<String> = hit
        .from
        .iter()
        .cloned()
        .chain(hit.date.map(utc_date))
        .collect();
    parts.join(ENVELOPE_SEPARATOR)
}

/// A document's date (nanoseconds since the Unix epoch) as people read it, in UTC:
/// `2024-05-14 09:30:00 UTC`.
fn utc_date(nanos: u64) -> String {
    crate::watch::utc_time(nanos / 1_000_000_000)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::highlight::Piece;

    /// Asserts `html` is text with balanced, unnested `<b>`/`</b>` and everything else escaped.
    fn assert_escaped(html: &str) {
        const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"];
        let mut rest = html;
        let mut open = false;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("<b>") {
                assert!(!open, "nested mark in {html:?}");
                open = true;
                rest = after;
            } else if let Some(after) = rest.strip_prefix("</b>") {
                assert!(open, "unopened mark in {html:?}");
                open = false;
                rest = after;
            } else {
                assert!(c != '<' && c != '>', "unescaped {c:?} in {html:?}");
                if c == '&' {
                    assert!(
                        ENTITIES.iter().any(|entity| rest.starts_with(entity)),
                        "bare & in {html:?}"
                    );
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        assert!(!open, "unclosed mark in {html:?}");
    }

    proptest! {
        /// Whatever the text, marks come out balanced and every other byte escaped.
        #[test]
        fn marked_text_prints_escaped(
            pieces in proptest::collection::vec(("[a-z<>&\"' é東]{1,8}", any::<bool>()), 0..8),
        ) {
            let text = MarkedText {
                pieces: pieces
                    .into_iter()
                    .map(|(text, marked)| Piece { text, marked })
                    .collect(),
                start: 0,
            };
            assert_escaped(&Marks::default().html(&text));
        }
    }
}
