//! The plain-text printer: the layout of the Lucene demo this project grew from, with the
//! document's own characters, matches marked by tags, or by colour when the writer takes colour
//! (ripgrep's way: colour is a property of the writer, not a flag of the printer).

use std::io;

use termcolor::{Color, ColorSpec, HyperlinkSpec, WriteColor};

use super::urls::file_url;
use super::{envelope, Marks, QueryProblem, ResultsPrinter, ENVELOPE_SEPARATOR};
use crate::highlight::MarkedText;
use crate::search::{Facets, Location, SearchResults};

/// The line that says a search's results are partial.
const TIMED_OUT: &str = "The search ran out of time (--timeout): these are the hits found so far, \
                         and the total counts only the part of the index searched.";

/// What separates a hit's path from its title.
const TITLE_SEPARATOR: &str = "  — ";

/// What leads each fragment's line, under its hit's path.
const FRAGMENT_INDENT: &str = "   ";

/// Where a fragment is, as a reader looks for it: `p. N` in a document with pages (a PDF),
/// `line N` otherwise.
fn place_label(location: &Location) -> String {
    match location.page {
        Some(page) => format!("p. {page}"),
        None => format!("line {}", location.line),
    }
}

/// Prints `N total matching documents.`, then per hit its rank, its path (followed by `:LINE` of
/// the best fragment, for an editor to open there, unless the document has pages) and title, if
/// any, and one line per fragment led by where it is (`line N` or `p. N`), a blank line between
/// hits. The text is the document's own, never escaped, so that it pipes into `grep` as
/// ripgrep's does. On a writer that takes colour the path is also a hyperlink to the file
/// (OSC 8), as ripgrep's are: hyperlinks follow colour, so neither reaches a pipe. On a writer that takes colour, matches are bold red and paths bold magenta;
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
        let mut place = ColorSpec::new();
        place.set_fg(Some(Color::Green));
        for hit in &results.hits {
            writeln!(out)?;
            write!(out, "{}. ", hit.rank)?;
            // On a terminal, the path is a link to the file (OSC 8), which a click opens.
            let link = file_url(&hit.path);
            if out.supports_hyperlinks() {
                out.set_hyperlink(&HyperlinkSpec::open(link.as_bytes()))?;
            }
            self.write_marked(out, &hit.marked_path, &path)?;
            if let Some(Location { line, page: None }) = hit.locations.first() {
                out.set_color(&path)?;
                write!(out, ":{line}")?;
                out.reset()?;
            }
            if out.supports_hyperlinks() {
                out.set_hyperlink(&HyperlinkSpec::close())?;
            }
            if let Some(title) = &hit.title {
                out.write_all(TITLE_SEPARATOR.as_bytes())?;
                self.write_marked(out, title, &title_color)?;
            }
            // A message is recognised by who sent it and when, besides its subject.
            let envelope = envelope(hit);
            if !envelope.is_empty() {
                write!(out, "{ENVELOPE_SEPARATOR}{envelope}")?;
            }
            writeln!(out)?;
            if !hit.also_at.is_empty() {
                writeln!(out, "{FRAGMENT_INDENT}{}", also_at_line(&hit.also_at))?;
            }
            for (fragment, location) in hit.fragments.iter().zip(&hit.locations) {
                out.set_color(&place)?;
                write!(out, "{FRAGMENT_INDENT}{}:", place_label(location))?;
                out.reset()?;
                out.write_all(b" ")?;
                self.write_marked(out, fragment, &plain)?;
                writeln!(out)?;
            }
        }
        Ok(())
    }

    fn print_problem(&self, _problem: &QueryProblem, _out: &mut dyn WriteColor) -> io::Result<()> {
        Ok(())
    }
}

/// How many copies' paths the text output names; it counts the others.
const COPIES_NAMED: usize = 3;

/// The line naming a hit's copies: `also at: a, b, c (+N more)`.
fn also_at_line(paths: &[String]) -> String {
    let named = &paths[..paths.len().min(COPIES_NAMED)];
    let mut line = format!("also at: {}", named.join(", "));
    if paths.len() > named.len() {
        line.push_str(&format!(" (+{} more)", paths.len() - named.len()));
    }
    line
}

/// The facets on one line: `type: pdf 12, html 3 | modified: 2024-03 5, 2024-02 10 | folders:
/// drivers 40, fs 12`, without the folders when there are none.
fn facets_line(facets: &Facets) -> String {
    let counts = |counts: &[(String, usize)]| {
        counts
            .iter()
            .map(|(value, count)| format!("{value} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut line = format!(
        "type: {} | modified: {}",
        counts(&facets.types),
        counts(&facets.months)
    );
    // No folders when every match is directly in a root (or in the folder drilled into).
    if !facets.folders.is_empty() {
        line.push_str(&format!(" | folders: {}", counts(&facets.folders)));
    }
    line
}
