//! The JSON printer: one document per search, a stable schema documented in the README.

use std::io;

use termcolor::WriteColor;

use serde::Serialize;

use super::{snippet, Marks, QueryProblem, ResultsPrinter};
use crate::search::SearchResults;

/// Prints results as one JSON document.
#[derive(Clone, Debug, Default)]
pub struct JsonPrinter {
    /// Marks placed around matches.
    pub marks: Marks,
}

#[derive(Serialize)]
struct JsonResults<'a> {
    query: &'a str,
    total: usize,
    elapsed_ms: f64,
    timed_out: bool,
    hits: Vec<JsonHit<'a>>,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    rank: usize,
    score: f32,
    path: &'a str,
    /// The document's path key, only when it differs from `path` (a path with bytes that are
    /// not UTF-8): what `/doc?path=` and the MCP `read` tool take.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    marked_path: String,
    /// The document's own title, `null` when it has none.
    title: Option<String>,
    /// The title with the words the query found in it marked.
    marked_title: Option<String>,
    #[serde(rename = "type")]
    doc_type: &'a str,
    fragments: Vec<String>,
    locations: Vec<JsonLocation>,
    snippet: String,
}

#[derive(Serialize)]
struct JsonLocation {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    query: &'a str,
    error: JsonError<'a>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
    position: Option<usize>,
}

impl JsonPrinter {
    /// The document [`ResultsPrinter::print_results`] prints, as a value to serialize, for a
    /// caller that adds fields of its own (`lantern serve`'s API adds the offset) without
    /// printing and parsing it again.
    pub fn results_document<'r>(&self, results: &'r SearchResults) -> impl Serialize + 'r {
        let hits = results
            .hits
            .iter()
            .map(|hit| {
                let fragments: Vec<String> = hit
                    .fragments
                    .iter()
                    .map(|fragment| self.marks.apply(fragment))
                    .collect();
                JsonHit {
                    rank: hit.rank,
                    score: hit.score,
                    path: &hit.path,
                    key: hit.distinct_key(),
                    marked_path: self.marks.apply(&hit.marked_path),
                    title: hit.title.as_ref().map(|title| title.plain()),
                    marked_title: hit.title.as_ref().map(|title| self.marks.apply(title)),
                    doc_type: &hit.doc_type,
                    snippet: snippet(&fragments),
                    fragments,
                    locations: hit
                        .locations
                        .iter()
                        .map(|location| JsonLocation {
                            line: location.line,
                            page: location.page,
                        })
                        .collect(),
                }
            })
            .collect();
        JsonResults {
            query: &results.query,
            total: results.total,
            elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1e3,
            timed_out: results.timed_out,
            hits,
        }
    }

    /// The document [`ResultsPrinter::print_problem`] prints, as a value to serialize.
    pub fn problem_document<'p>(&self, problem: &'p QueryProblem) -> impl Serialize + 'p {
        JsonProblem {
            query: &problem.query,
            error: JsonError {
                message: &problem.message,
                position: problem.position,
            },
        }
    }
}

impl ResultsPrinter for JsonPrinter {
    fn print_results(&self, results: &SearchResults, out: &mut dyn WriteColor) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.results_document(results))?;
        writeln!(out)
    }

    fn print_problem(&self, problem: &QueryProblem, out: &mut dyn WriteColor) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.problem_document(problem))?;
        writeln!(out)
    }
}
