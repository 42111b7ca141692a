//! The plain-text printer: the layout of the Lucene demo this project grew from, with marks as
//! tags, or as colour on a terminal.

use std::io::{self, Write};

use super::{snippet, Marks, QueryProblem, ResultsPrinter};
use crate::highlight::MarkedText;
use crate::search::SearchResults;

const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_MAGENTA: &str = "\x1b[1;35m";
const RESET: &str = "\x1b[0m";

/// The line that says a search's results are partial.
const TIMED_OUT: &str = "The search ran out of time (--timeout): these are the hits found so far, \
                         and the total counts only the part of the index searched.";

/// Prints `N total matching documents.`, then per hit its path and its snippet, a blank line
/// between hits.
#[derive(Clone, Debug, Default)]
pub struct TextPrinter {
    /// Marks placed around matches when not in colour.
    pub marks: Marks,
    /// Show matches in colour instead of tags; text is then shown as is, not HTML-escaped.
    pub color: bool,
}

impl TextPrinter {
    /// `marked` as printed: matches in colour, or wrapped in the marks.
    fn line(&self, marked: &MarkedText) -> String {
        if !self.color {
            return self.marks.apply(marked);
        }
        let mut line = String::new();
        for piece in &marked.pieces {
            if piece.marked {
                line.push_str(BOLD_RED);
                line.push_str(&piece.text);
                line.push_str(RESET);
            } else {
                line.push_str(&piece.text);
            }
        }
        line
    }
}

impl ResultsPrinter for TextPrinter {
    fn print_results(&self, results: &SearchResults, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} total matching documents.", results.total)?;
        if results.timed_out {
            writeln!(out, "{TIMED_OUT}")?;
        }
        for hit in &results.hits {
            writeln!(out)?;
            let path = self.line(&hit.marked_path);
            if self.color {
                writeln!(out, "{BOLD_MAGENTA}{path}{RESET}")?;
            } else {
                writeln!(out, "{path}")?;
            }
            let fragments: Vec<String> = hit.fragments.iter().map(|f| self.line(f)).collect();
            writeln!(out, "{}", snippet(&fragments))?;
        }
        Ok(())
    }

    fn print_problem(&self, _problem: &QueryProblem, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
