//! The agents' printer: search results as the small JSON values `lantern mcp`'s `search` tool
//! returns. Fragments are the document's own text (agents read characters, not markup), each
//! match between `**` marks, with the line (and page) where it starts.

use rmcp::schemars::{self, JsonSchema};
use serde::Serialize;

use super::Marks;
use crate::highlight::MarkedText;
use crate::search::{Correction, Facets, Hit, Location, SearchResults};

/// The marks around a match in a fragment.
const MARK: &str = "**";

/// A page of search results as an agent gets it (what the MCP `search` tool returns).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgentResults {
    /// How many documents match in all, not only those returned.
    pub total: usize,
    /// True when the search ran out of time: `total` and `hits` are then partial.
    pub timed_out: bool,
    /// The hits of this page, best first.
    pub hits: Vec<AgentHit>,
    /// How many copies the hits stand for besides themselves (the sum of their `also_at`).
    #[serde(skip_serializing_if = "is_zero")]
    pub collapsed: usize,
    /// When asked for: counts of all matching documents by type, month and folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<AgentFacets>,
    /// The `offset` of the next page, when more hits exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<usize>,
    /// When spelling correction replaced words of the query: the corrected query, whose hits
    /// these are (search again with `correct: false` for the query as written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_query: Option<String>,
    /// A correction that would find many more hits than the query's few.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_query: Option<String>,
    /// What the search made of the query, in a sentence: the syntax error it read past (the
    /// hits are then those of the query's words), the correction it applied or suggests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Counts of all matching documents, largest first (months newest first).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgentFacets {
    /// By document type.
    #[serde(rename = "type")]
    pub types: Vec<AgentCount>,
    /// By month of modification, `YYYY-MM` (UTC).
    pub modified: Vec<AgentCount>,
    /// By folder relative to its root (`drivers/usb`).
    pub folders: Vec<AgentCount>,
}

/// How many matching documents have a value.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgentCount {
    /// The type, month or folder.
    pub value: String,
    /// How many matching documents.
    pub count: usize,
}

impl AgentFacets {
    fn new(facets: &Facets) -> AgentFacets {
        let counts = |counts: &[(String, usize)]| {
            counts
                .iter()
                .map(|(value, count)| AgentCount {
                    value: value.clone(),
                    count: *count,
                })
                .collect()
        };
        AgentFacets {
            types: counts(&facets.types),
            modified: counts(&facets.months),
            folders: counts(&facets.folders),
        }
    }
}

/// One matching document.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgentHit {
    /// 1 for the best hit of the whole list (not of this page).
    pub rank: usize,
    /// BM25 relevance score, to three decimals.
    pub score: f64,
    /// The document's absolute path, as `read` takes it (unless `key` is set).
    pub path: String,
    /// Only when the path has bytes that are not UTF-8 (shown in `path` as U+FFFD): the
    /// document's exact identity, which `read` takes as its `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The document's own title (of a PDF, web page, office file or e-book), if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The document's type: text, pdf, html, docx...
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The best fragments of its text, best first.
    pub fragments: Vec<AgentFragment>,
    /// The paths of the other matching documents with the same text (its copies), when
    /// copies are collapsed (the default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<String>,
}

/// For serde: a count of zero is left out.
fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// A short piece of a document's text around matches.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgentFragment {
    /// The text, whitespace runs shown as one space, each match between `**` and `**`.
    pub text: String,
    /// The 1-based line where the fragment starts.
    pub line: usize,
    /// The 1-based page where it starts, for paginated text (pages separated by form feeds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// The page of `results` that starts at `offset`: at most `limit` of its hits, converted while
/// their JSON stays within `max_bytes` (the first one always), and the offset of the next page
/// if more hits exist. The search asks for one hit more than `limit` to know that: `total`
/// cannot tell, since it counts the copies folded into the hits.
pub fn agent_results(
    results: &SearchResults,
    (offset, limit): (usize, usize),
    max_bytes: usize,
) -> AgentResults {
    let hits = page_of_hits(results.hits.iter().take(limit), max_bytes);
    let more = results.hits.len() > hits.len();
    let shown = offset + hits.len();
    let (corrected_query, suggested_query) = match &results.correction {
        Some(Correction::Applied { corrected }) => (Some(corrected.clone()), None),
        Some(Correction::Suggested { suggested }) => (None, Some(suggested.clone())),
        None => (None, None),
    };
    AgentResults {
        total: results.total,
        timed_out: results.timed_out,
        collapsed: hits.iter().map(|hit| hit.also_at.len()).sum(),
        facets: results.facets.as_ref().map(AgentFacets::new),
        hits,
        next_offset: more.then_some(shown),
        corrected_query,
        suggested_query,
        note: note(results),
    }
}

/// The sentences saying what the search made of its query, if it made anything of it.
fn note(results: &SearchResults) -> Option<String> {
    let mut sentences = Vec::new();
    if let Some(syntax) = &results.syntax_error {
        sentences.push(format!(
            "The query is not valid syntax ({syntax}), so its words were searched instead."
        ));
    }
    match &results.correction {
        Some(Correction::Applied { corrected }) => sentences.push(format!(
            "Showing results for {corrected}; search with correct: false for the query as written."
        )),
        Some(Correction::Suggested { suggested }) => {
            sentences.push(format!("Did you mean {suggested}?"))
        }
        None => {}
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// The hits, converted, while their JSON stays within `max_bytes` (the first one always).
fn page_of_hits<'a>(hits: impl Iterator<Item = &'a Hit>, max_bytes: usize) -> Vec<AgentHit> {
    let mut page = Vec::new();
    let mut bytes = 0;
    for hit in hits {
        let hit = hit_output(hit);
        bytes += serde_json::to_string(&hit).map_or(0, |json| json.len());
        if bytes > max_bytes && !page.is_empty() {
            break;
        }
        page.push(hit);
    }
    page
}

/// A hit as the tool shows it.
fn hit_output(hit: &Hit) -> AgentHit {
    AgentHit {
        rank: hit.rank,
        // Three decimals tell hits apart; the float's other digits are noise to an agent.
        score: (f64::from(hit.score) * 1000.0).round() / 1000.0,
        path: hit.path.clone(),
        key: hit.distinct_key().map(str::to_string),
        title: hit.title.as_ref().map(MarkedText::plain),
        doc_type: hit.doc_type.clone(),
        fragments: hit
            .fragments
            .iter()
            .zip(&hit.locations)
            .map(|(fragment, location)| fragment_output(fragment, *location))
            .collect(),
        also_at: hit.also_at.clone(),
    }
}

/// A fragment as plain text with `**` around each match.
fn fragment_output(fragment: &MarkedText, location: Location) -> AgentFragment {
    let marks = Marks {
        pre: MARK.to_string(),
        post: MARK.to_string(),
    };
    AgentFragment {
        text: marks.plain(fragment),
        line: location.line,
        page: location.page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Piece;

    fn piece(text: &str, marked: bool) -> Piece {
        Piece {
            text: text.to_string(),
            marked,
        }
    }

    fn hit(rank: usize, text: &str) -> Hit {
        Hit {
            rank,
            score: 1.0,
            path: format!("/docs/{rank}.txt"),
            key: format!("/docs/{rank}.txt"),
            marked_path: MarkedText::default(),
            title: None,
            doc_type: "text".to_string(),
            from: None,
            date: None,
            fragments: vec![MarkedText {
                pieces: vec![piece(text, false)],
                start: 0,
            }],
            locations: vec![Location {
                line: 1,
                page: None,
            }],
            also_at: Vec::new(),
        }
    }

    #[test]
    fn matches_are_between_stars_and_locations_follow() {
        let fragment = MarkedText {
            pieces: vec![
                piece("a ", false),
                piece("mutex", true),
                piece(" guards", false),
            ],
            start: 10,
        };
        let output = fragment_output(
            &fragment,
            Location {
                line: 3,
                page: Some(2),
            },
        );
        assert_eq!(output.text, "a **mutex** guards");
        assert_eq!((output.line, output.page), (3, Some(2)));
    }

    #[test]
    fn a_page_stops_at_the_byte_cap_but_keeps_its_first_hit() {
        let hits: Vec<Hit> = (1..=10).map(|rank| hit(rank, &"x".repeat(500))).collect();
        let page = page_of_hits(hits.iter(), 1_200);
        assert_eq!(page.iter().map(|hit| hit.rank).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(page_of_hits(hits.iter().skip(9), 10).len(), 1);
    }
}
