//! The `search` tool: a query's best hits, within the limits an agent's context allows, printed
//! by the agents' printer ([`crate::render::agent_results`]).

use std::time::Duration;

use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;

use super::ToolError;
use crate::engine::{Engine, SearchRequest, Sort};
use crate::highlight::FragmentOptions;
use crate::query::{DefaultOperator, Filters};
use crate::render::{agent_results, AgentResults};

/// Hits per call unless the agent asks for another number.
const DEFAULT_LIMIT: usize = 10;
/// The most hits one call returns.
const MAX_LIMIT: usize = 50;
/// How deep paging may go: every hit above the page is fetched and highlighted too.
const MAX_OFFSET: usize = 1000;
/// Fragments per hit unless the agent asks for another number.
const DEFAULT_FRAGMENTS: usize = 3;
/// The most fragments per hit.
const MAX_FRAGMENTS: usize = 10;
/// Characters per fragment, as the CLI's default.
const FRAGMENT_CHARS: usize = 64;
/// Past this many bytes of hits (as JSON), the remaining hits are left for the next page.
const MAX_HITS_BYTES: usize = 16_000;
/// How long a search may take; past it, the hits found so far come back flagged `timed_out`.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Arguments of the `search` tool.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// The query, in Lucene's classic syntax.
    pub query: String,
    /// How many hits to return, best first (default 10, at most 50).
    pub limit: Option<usize>,
    /// How many of the best hits to skip, to page through them (default 0, at most 1000).
    pub offset: Option<usize>,
    /// Fragments per hit (default 3, at most 10; 0 for paths only).
    pub fragments: Option<usize>,
    /// Whether words the index does not know are replaced by the nearest words it does
    /// (default true; the result then says so in `corrected_query` and `note`).
    pub correct: Option<bool>,
    /// The order of the hits: `relevance` (default, best first), `modified` (newest first),
    /// `date` (the document's own date, newest first), `size` (largest first) or `path` (A to
    /// Z); `-modified`, `-date`, `-size`, `-path` reverse them.
    pub sort: Option<String>,
    /// Only documents of these types (pdf, html, text, docx...): any of them.
    #[serde(rename = "type", default)]
    pub doc_type: Vec<String>,
    /// Only documents whose path holds one of these folders or path fragments (drivers/net).
    #[serde(default)]
    pub path: Vec<String>,
    /// Only documents modified then, as `modified:` takes it: `2024-03`, `>=2024-03`,
    /// `>now-7d`, `[2024-01-01 TO 2024-06-30]` (UTC).
    pub modified: Option<String>,
    /// Only documents of this size, as `size:` takes it: `>10M`, `<=512K`, `[1K TO 1M]`.
    pub size: Option<String>,
    /// Only documents whose own date (PDF or office metadata) is then, as `date:` takes it:
    /// `2020`, `>=2021-06`, `[2020 TO 2021]` (UTC).
    pub date: Option<String>,
    /// Whether to count all matching documents (not only those returned) by type, by month of
    /// modification and by folder (one level below the roots, or below the one `path` given):
    /// `facets` in the result (default false).
    pub facets: Option<bool>,
    /// Whether documents with the same text are one hit, the other copies' paths in its
    /// `also_at` (default true); false lists every copy as a hit of its own.
    pub collapse: Option<bool>,
}

/// Runs the search `args` asks for on `engine`, on its latest commit.
pub(super) fn run(engine: &dyn Engine, args: &SearchArgs) -> Result<AgentResults, ToolError> {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let offset = args.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ToolError::BadArgument(format!(
            "offset {offset} is too deep: at most {MAX_OFFSET}; narrow the query instead"
        )));
    }
    let sort = match &args.sort {
        Some(sort) => sort
            .parse::<Sort>()
            .map_err(|err| ToolError::BadArgument(err.to_string()))?,
        None => Sort::default(),
    };
    engine
        .refresh()
        .map_err(|err| ToolError::from_search(&args.query, err))?;
    // Ranks count from the top of the whole list.
    let filters = Filters {
        types: args.doc_type.clone(),
        paths: args.path.clone(),
        modified: args.modified.iter().cloned().collect(),
        sizes: args.size.iter().cloned().collect(),
        dates: args.date.iter().cloned().collect(),
    };
    let request = SearchRequest {
        query: args.query.clone(),
        filters,
        default_operator: DefaultOperator::Or,
        // One more than shown: whether another page exists (see `agent_results`).
        limit: limit + 1,
        sort,
        facets: args.facets.unwrap_or(false),
        collapse: args.collapse.unwrap_or(true),
        offset,
        fragments: FragmentOptions {
            count: args
                .fragments
                .unwrap_or(DEFAULT_FRAGMENTS)
                .min(MAX_FRAGMENTS),
            max_chars: FRAGMENT_CHARS,
        },
        timeout: Some(TIMEOUT),
        parallel: true,
        correct: args.correct.unwrap_or(true),
        // An agent's pasted text is searched, its syntax error noted in the result.
        lenient: true,
    };
    let results = engine
        .search(&request)
        .map_err(|err| ToolError::from_search(&request.query_run(), err))?;
    Ok(agent_results(&results, (offset, limit), MAX_HITS_BYTES))
}
