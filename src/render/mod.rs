//! Printers for search results: plain text (optionally coloured), JSON and an HTML page. Each
//! formats one [`SearchResults`] value; none knows how the results or fragments were made.

mod html;
mod json;
mod text;

use std::io::{self, Write};

pub use html::HtmlPrinter;
pub use json::JsonPrinter;
pub use text::TextPrinter;

use crate::highlight::MarkedText;
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
    /// `text` with every match wrapped in these marks and everything else HTML-escaped.
    pub fn apply(&self, text: &MarkedText) -> String {
        text.to_html(&self.pre, &self.post)
    }
}

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

/// Writes search results, or the reason there are none, in one output format.
pub trait ResultsPrinter {
    /// Writes the results.
    fn print_results(&self, results: &SearchResults, out: &mut dyn Write) -> io::Result<()>;
    /// Writes a query error in this format (plain text formats leave it to stderr and write
    /// nothing).
    fn print_problem(&self, problem: &QueryProblem, out: &mut dyn Write) -> io::Result<()>;
}

/// The fragments of a hit joined as the one-line snippet every format shows.
pub fn snippet(fragments: &[String]) -> String {
    fragments.join("...")
}
