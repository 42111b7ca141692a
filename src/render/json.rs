//! The JSON printer: one document per search, a stable schema documented in the README.

use std::io;

use termcolor::WriteColor;

use serde::Serialize;

use super::{snippet, Marks, QueryProblem, ResultsPrinter};
use crate::calendar::format_utc;
use crate::highlight::MarkedText;
use crate::search::{Correction, Facets, SearchResults};

/// Prints results as one JSON document.
#[derive(Clone, Debug, Default)]
pub struct JsonPrinter {
    /// Marks placed around matches.
    pub marks: Marks,
}

#[derive(Serialize)]
struct JsonResults<'a> {
    query: &'a str,
    /// With `corrected_query`: the query as given, whose hits these are not.
    #[serde(skip_serializing_if = "Option::is_none")]
    original_query: Option<&'a str>,
    /// The corrected query, whose hits these are, when spelling correction replaced words.
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected_query: Option<&'a str>,
    /// A correction that would find many more hits than the query's few.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggested_query: Option<&'a str>,
    /// For a lenient search of a query that is not valid syntax: why not (its words were
    /// searched).
    #[serde(skip_serializing_if = "Option::is_none")]
    syntax_error: Option<JsonError<'a>>,
    total: usize,
    elapsed_ms: f64,
    timed_out: bool,
    /// How many copies the hits stand for besides themselves (the sum of their `also_at`).
    collapsed: usize,
    /// Only when asked for (`--facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<JsonFacets<'a>>,
    hits: Vec<JsonHit<'a>>,
}

/// Counts of all matching documents, `{"value": ..., "count": ...}` each, largest count first
/// (months newest first).
#[derive(Serialize)]
struct JsonFacets<'a> {
    #[serde(rename = "type")]
    types: Vec<JsonCount<'a>>,
    modified: Vec<JsonCount<'a>>,
    /// By folder relative to its root, one level below the roots or the one path filter.
    folders: Vec<JsonCount<'a>>,
}

#[derive(Serialize)]
struct JsonCount<'a> {
    value: &'a str,
    count: usize,
}

impl<'a> JsonFacets<'a> {
    fn new(facets: &'a Facets) -> JsonFacets<'a> {
        let counts = |counts: &'a [(String, usize)]| {
            counts
                .iter()
                .map(|(value, count)| JsonCount {
                    value,
                    count: *count,
                })
                .collect()
        };
        JsonFacets {
            types: counts(&facets.types),
            modified: counts(&facets.months),
            folders: counts(&facets.folders),
        }
    }
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
    /// For a member of an archive: the file on disk that holds it (`path` is the container, `::`
    /// and the member).
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<String>,
    /// For a member of an archive: its path inside the container (nested levels joined by `::`).
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Option<String>,
    marked_path: String,
    /// The document's own title, `null` when it has none.
    title: Option<String>,
    /// The title with the words the query found in it marked.
    marked_title: Option<String>,
    #[serde(rename = "type")]
    doc_type: &'a str,
    /// For an e-mail: its sender, as `Name <address>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    /// The document's own date (an e-mail's `Date:`, PDF or office metadata),
    /// `YYYY-MM-DDTHH:MM:SSZ`; only when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    fragments: Vec<String>,
    locations: Vec<JsonLocation>,
    snippet: String,
    /// Where the `path:` clauses matched in `path`.
    path_matches: Vec<[usize; 2]>,
    /// Where the query matched in `title`; `null` when there is no title.
    title_matches: Option<Vec<[usize; 2]>>,
    /// The fragments again as the document's own text, unescaped, with where they match: for
    /// scripts that would otherwise parse the HTML of `fragments`.
    raw_fragments: Vec<RawFragment>,
    /// The paths of the other matching documents with the same text, folded into this hit;
    /// only when it has any.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    also_at: &'a [String],
}

/// A fragment's own text and the character ranges of its matches.
#[derive(Serialize)]
struct RawFragment {
    text: String,
    matches: Vec<[usize; 2]>,
}

impl RawFragment {
    fn new(fragment: &MarkedText) -> RawFragment {
        RawFragment {
            text: fragment.plain(),
            matches: match_ranges(fragment),
        }
    }
}

/// The `[start, end)` ranges of the marked pieces of `text`, in characters (Unicode scalar
/// values) of its plain text: what Python's `str` and jq index by, where byte offsets would split
/// characters.
fn match_ranges(text: &MarkedText) -> Vec<[usize; 2]> {
    let mut ranges = Vec::new();
    let mut at = 0;
    for piece in &text.pieces {
        let end = at + piece.text.chars().count();
        if piece.marked {
            ranges.push([at, end]);
        }
        at = end;
    }
    ranges
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
                let (container, member) = hit.container_and_member().unzip();
                let fragments: Vec<String> = hit
                    .fragments
                    .iter()
                    .map(|fragment| self.marks.html(fragment))
                    .collect();
                JsonHit {
                    rank: hit.rank,
                    score: hit.score,
                    path: &hit.path,
                    key: hit.distinct_key(),
                    container,
                    member,
                    marked_path: self.marks.html(&hit.marked_path),
                    title: hit.title.as_ref().map(|title| title.plain()),
                    marked_title: hit.title.as_ref().map(|title| self.marks.html(title)),
                    path_matches: match_ranges(&hit.marked_path),
                    title_matches: hit.title.as_ref().map(match_ranges),
                    raw_fragments: hit.fragments.iter().map(RawFragment::new).collect(),
                    doc_type: &hit.doc_type,
                    from: hit.from.as_deref(),
                    date: hit.date.map(format_utc),
                    also_at: &hit.also_at,
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
        let (corrected_query, suggested_query) = match &results.correction {
            Some(Correction::Applied { corrected }) => (Some(corrected.as_str()), None),
            Some(Correction::Suggested { suggested }) => (None, Some(suggested.as_str())),
            None => (None, None),
        };
        JsonResults {
            query: &results.query,
            original_query: corrected_query.map(|_| results.query.as_str()),
            corrected_query,
            suggested_query,
            syntax_error: results.syntax_error.as_ref().map(|err| JsonError {
                message: &err.message,
                position: Some(err.position),
            }),
            total: results.total,
            elapsed_ms: (results.elapsed.as_secs_f64() * 1e6).round() / 1e3,
            timed_out: results.timed_out,
            collapsed: results.collapsed,
            facets: results.facets.as_ref().map(JsonFacets::new),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Piece;

    proptest::proptest! {
        /// Each range, cut out of the plain text by characters, is exactly a marked piece.
        #[test]
        fn match_ranges_cut_out_the_marked_pieces(
            pieces in proptest::collection::vec(("[a-zé東<&]{1,6}", proptest::bool::ANY), 0..8),
        ) {
            let mut text = MarkedText::default();
            for (piece, marked) in pieces {
                match text.pieces.last_mut() {
                    Some(last) if last.marked == marked => last.text.push_str(&piece),
                    _ => text.pieces.push(Piece { text: piece, marked }),
                }
            }
            let plain: Vec<char> = text.plain().chars().collect();
            let cut: Vec<String> = match_ranges(&text)
                .iter()
                .map(|[start, end]| plain[*start..*end].iter().collect())
                .collect();
            let marked: Vec<String> = text
                .pieces
                .iter()
                .filter(|piece| piece.marked)
                .map(|piece| piece.text.clone())
                .collect();
            proptest::prop_assert_eq!(cut, marked);
        }
    }
}
