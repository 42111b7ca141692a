//! The HTML printer: a standalone page rendered from `templates/` by askama, which escapes every
//! value unless told it is already safe (only our own marked, escaped fragments are).

use std::io;

use termcolor::WriteColor;

use askama::Template;

use super::urls::file_url;
use super::{Marks, QueryProblem, ResultsPrinter};
use crate::query::parser::caret_line;
use crate::search::{Hit, SearchResults};

/// Prints a complete results page.
#[derive(Clone, Debug, Default)]
pub struct HtmlPrinter {
    /// Marks placed around matches.
    pub marks: Marks,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage<'a> {
    query: &'a str,
    total: usize,
    elapsed_ms: String,
    timed_out: bool,
    hits: Vec<HtmlHit>,
}

/// One hit as the HTML pages show it (`templates/hit.html`, shared by this printer's page and
/// `lantern serve`'s): every text escaped and marked by [`Marks::html`], ready to print as is.
pub struct HtmlHit {
    pub(crate) rank: usize,
    pub(crate) score: String,
    /// Where the path links to.
    pub(crate) href: String,
    /// A link that opens the document in an editor, when the page offers one.
    pub(crate) editor_href: Option<String>,
    /// A link to the original file served by `lantern serve`, when the page offers one.
    pub(crate) original_href: Option<String>,
    /// The path shown, marked: the full path, or the part under a folder named above the hit.
    pub(crate) marked_path: String,
    /// The full path, as the link's tooltip says it.
    pub(crate) path: String,
    /// The document's title; empty when it has none.
    pub(crate) marked_title: String,
    pub(crate) doc_type: String,
    /// An e-mail's sender and date; empty for other documents.
    pub(crate) envelope: String,
    pub(crate) snippet: String,
}

impl HtmlHit {
    /// `hit` marked with `marks`, its path linking to `href`, with an editor link if given.
    pub fn new(hit: &Hit, marks: &Marks, href: String, editor_href: Option<String>) -> HtmlHit {
        HtmlHit {
            rank: hit.rank,
            score: format!("{:.2}", hit.score),
            href,
            editor_href,
            original_href: None,
            marked_path: marks.html(&hit.marked_path),
            path: hit.path.clone(),
            marked_title: marks.html_title(hit.title.as_ref()),
            doc_type: hit.doc_type.clone(),
            envelope: super::envelope(hit),
            snippet: marks.html_snippet(&hit.fragments),
        }
    }

    /// This hit with its path shown under `root`, a folder the page names once (the full path
    /// stays in the link's tooltip); as it was when the path is not under `root`.
    pub fn under_root(self, hit: &Hit, marks: &Marks, root: &str) -> HtmlHit {
        let prefix = if root.ends_with('/') {
            root.to_string()
        } else {
            format!("{root}/")
        };
        match hit.marked_path.strip_prefix(&prefix) {
            Some(under) => HtmlHit {
                marked_path: marks.html(&under),
                ..self
            },
            None => self,
        }
    }

    /// This hit with a link to its original file at `href`.
    pub fn with_original(self, href: String) -> HtmlHit {
        HtmlHit {
            original_href: Some(href),
            ..self
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    query: &'a str,
    message: &'a str,
    /// The query and a caret under the problem, on two lines.
    caret_line: Option<String>,
}

impl ResultsPrinter for HtmlPrinter {
    fn print_results(&self, results: &SearchResults, out: &mut dyn WriteColor) -> io::Result<()> {
        let page = ResultsPage {
            query: &results.query,
            total: results.total,
            elapsed_ms: format!("{:.1}", results.elapsed.as_secs_f64() * 1e3),
            timed_out: results.timed_out,
            hits: results
                .hits
                .iter()
                .map(|hit| HtmlHit::new(hit, &self.marks, file_url(&hit.path), None))
                .collect(),
        };
        write_page(&page, out)
    }

    fn print_problem(&self, problem: &QueryProblem, out: &mut dyn WriteColor) -> io::Result<()> {
        let page = ErrorPage {
            query: &problem.query,
            message: &problem.message,
            caret_line: problem
                .position
                .map(|position| caret_line(&problem.query, position)),
        };
        write_page(&page, out)
    }
}

fn write_page(page: &impl Template, out: &mut dyn WriteColor) -> io::Result<()> {
    let html = page.render().map_err(io::Error::other)?;
    writeln!(out, "{html}")
}
