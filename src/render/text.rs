//! The plain-text printer: the layout of the Lucene demo this project grew from, with the
//! document's own characters, matches marked by tags, or by colour when the writer takes colour
//! (ripgrep's way: colour is a property of the writer, not a flag of the printer).

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use super::{Marks, QueryProblem, ResultsPrinter, FRAGMENT_SEPARATOR};
use crate::highlight::MarkedText;
use crate::search::{Facets, SearchResults};

/// The line that says a search's results are partial.
const TIMED_OUT: &str = "The search ran out of time (--timeout): these are the hits found so far, \
                         and the total counts only the part of the index searched.";

/// What separates a hit's path from its title.
const TITLE_SEPARATOR: &str = "  — ";

/// Prints `N total matching documents.`, then per hit its path (and title, if any) and its snippet, a blank line
/// between hits. The text is the document's own, never escaped, so that it pipes into `grep` as
/// ripgrep's does. On a writer that takes colour, matches are bold red and paths bold magenta;
/// otherwise matches are wrapped in the marks.
#[derive(Clone, Debug, Default)]
pub struct TextPrinter {
    /// Marks placed around matches when not in colour.
    pub marks: Marks,
}

impl TextPrinter {
    /// Writes `marked` in the colours of `base`, matches in bold red; or, on a writer without
    /// colour, with matches wrapped in the marks.
    fn write_marked(
        &self,
        out: &mut dyn WriteColor,
        marked: &MarkedText,
        base: &ColorSpec,
    ) -> io::Result<()> {
        if !out.supports_color() {
            return out.write_all(self.marks.plain(marked).as_bytes());
        }
        let mut highlight = base.clone();
        highlight.set_fg(Some(Color::Red)).set_bold(true);
        for piece in &marked.pieces {
            out.set_color(if piece.marked { &highlight } else { base })?;
            out.write_all(piece.text.as_bytes())?;
        }
        out.reset()
    }
}

impl ResultsPrinter for TextPrinter {
    fn print_results(&self, results: &SearchResults, out: &mut dyn WriteColor) -> io::Result<()> {
        writeln!(out, "{} total matching documents.", results.total)?;
        if results.timed_out {
            writeln!(out, "{TIMED_OUT}")?;
        }
        if let Some(facets) = &results.facets {
            writeln!(out, "{}", facets_line(facets))?;
        }
        let mut path = ColorSpec::new();
        path.set_fg(Some(Color::Magenta)).set_bold(true);
        let plain = ColorSpec::new();
        let mut title_color = ColorSpec::new();
        title_color.set_fg(Some(Color::Cyan));
        for hit in &results.hits {
            writeln!(out)?;
            self.write_marked(out, &hit.marked_path, &path)?;
            if let Some(title) = &hit.title {
                out.write_all(TITLE_SEPARATOR.as_bytes())?;
                self.write_marked(out, title, &title_color)?;
            }
            writeln!(out)?;
            for (index, fragment) in hit.fragments.iter().enumerate() {
                if index > 0 {
                    out.write_all(FRAGMENT_SEPARATOR.as_bytes())?;
                }
                self.write_marked(out, fragment, &plain)?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn print_problem(&self, _problem: &QueryProblem, _out: &mut dyn WriteColor) -> io::Result<()> {
        Ok(())
    }
}

/// The facets on one line: `type: pdf 12, html 3 | modified: 2024-03 5, 2024-02 10`.
fn facets_line(facets: &Facets) -> String {
    let counts = |counts: &[(String, usize)]| {
        counts
            .iter()
            .map(|(value, count)| format!("{value} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "type: {} | modified: {}",
        counts(&facets.types),
        counts(&facets.months)
    )
}
