//! `lantern --engine URL search`: the query is parsed and lowered by Lantern, translated to the
//! engine's JSON ([`super::query`]), and the engine finds, scores and counts the hits. Each hit's
//! text comes back from the engine's `_source`, and Lantern's own highlighter cuts the
//! fragments from it, so the output is the same whichever engine answered.

use std::time::Instant;

use serde_json::{json, Value};

use super::client::Client;
use super::query::{translate, Untranslatable};
use super::sync::index_language;
use super::OpenSearchError;
use crate::highlight::Highlighter;
use crate::index::path_key::display_key;
use crate::query::lenient::read_leniently;
use crate::query::{check_size, lower, parse, Analyzers, LowerError, QueryError, Target};
use crate::search::{Hit, Location, SearchRequest, SearchResults, Sort};

/// Why a search on the engine failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteSearchError {
    /// The query is malformed (exit 2, with a caret).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The query is well formed but means something the engine cannot run.
    #[error(transparent)]
    Untranslatable(#[from] Untranslatable),
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] OpenSearchError),
}

/// The most hits the engine returns with `from` + `size` (its `index.max_result_window`).
const MAX_WINDOW: usize = 10_000;

/// Runs `request` on the index `client` names. Spelling correction is the local engine's alone
/// (it reads the term dictionary): here a misspelled word finds what it finds, with no
/// correction or suggestion, whatever `request.correct` asks (see README, "Lantern on
/// OpenSearch"). A lenient search of a query that is not valid syntax searches its words, as
/// locally.
pub fn remote_search(
    client: &Client,
    request: &SearchRequest,
) -> Result<SearchResults, RemoteSearchError> {
    let started = Instant::now();
    // The analyzers of the index's own language, which its stemmed sub-fields hold.
    let mut analyzers = Analyzers::new(index_language(client)?);
    let (searched, syntax_error) = if request.lenient {
        read_leniently(
            &request.query,
            request.default_operator,
            &mut analyzers.contents,
        )
        .map_err(QueryError::from)?
    } else {
        (request.query.clone(), None)
    };
    // The filters' clauses beside the words, as locally (never read leniently).
    let searched = request.filters.compose(&searched);
    if request.sort != Sort::default() || request.facets {
        return Err(RemoteSearchError::Untranslatable(Untranslatable(
            "--sort and --facets run on the local engine only, for now".to_string(),
        )));
    }
    let tree = parse(&searched, request.default_operator).map_err(QueryError::from)?;
    check_size(&tree)?;
    // No expansion: patterns stay patterns, which the engine expands over its own terms.
    let lowered = lower(&tree, &mut analyzers, None).map_err(|err| match err {
        LowerError::Query(err) => RemoteSearchError::Query(err),
        LowerError::Index(err) => {
            RemoteSearchError::Untranslatable(Untranslatable(err.to_string()))
        }
    })?;
    let offset = request.offset.min(MAX_WINDOW);
    let limit = request.limit.min(MAX_WINDOW - offset);
    let wants_text = request.fragments.count > 0;
    let mut body = json!({
        "query": translate(&lowered)?,
        "from": offset,
        "size": limit,
        "track_total_hits": true,
        "_source": if wants_text { json!(["path", "title", "type", "date", "body"]) } else { json!(["path", "title", "type", "date"]) },
        // Ties in score come back in one order whatever the shards: by path.
        "sort": [{ "_score": "desc" }, { "path": "asc" }],
    });
    if let Some(timeout) = request.timeout {
        body["timeout"] = json!(format!("{}ms", timeout.as_millis().max(1)));
    }
    let answer = client.json("POST", "/_search", &body)?;
    let total = answer
        .pointer("/hits/total/value")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let mut contents = Highlighter::new(
        &lowered,
        Target::Contents,
        analyzers.contents.clone(),
        request.fragments,
    );
    let mut title_marker = Highlighter::marker(&lowered, Target::Title, analyzers.contents);
    let mut path_marker = Highlighter::marker(&lowered, Target::PathParts, analyzers.path);
    let hits = answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(rank, hit)| {
            let source = &hit["_source"];
            let key = source["path"].as_str().unwrap_or_default().to_string();
            let path = display_key(&key).into_owned();
            let text = source["body"].as_str().unwrap_or_default();
            let (fragments, locations) = if wants_text {
                let fragments = contents.fragments(text);
                let starts = fragments
                    .iter()
                    .map(|fragment| fragment.first_mark_in(text));
                let locations = Location::all_of(text, starts);
                (fragments, locations)
            } else {
                (Vec::new(), Vec::new())
            };
            let title = source["title"]
                .as_str()
                .filter(|title| !title.is_empty())
                .map(|title| title_marker.mark_all(title));
            Hit {
                rank: offset + rank + 1,
                score: hit["_score"].as_f64().unwrap_or(0.0) as f32,
                marked_path: path_marker.mark_all(&path),
                title,
                doc_type: source["type"].as_str().unwrap_or_default().to_string(),
                path,
                key,
                fragments,
                locations,
                // The engine has no text hashes: copies are hits of their own.
                also_at: Vec::new(),
                date: source["date"].as_u64(),
            }
        })
        .collect();
    Ok(SearchResults {
        query: request.query.clone(),
        searched,
        total: usize::try_from(total).unwrap_or(usize::MAX),
        elapsed: started.elapsed(),
        timed_out: answer["timed_out"].as_bool().unwrap_or(false),
        hits,
        correction: None,
        syntax_error,
        facets: None,
        collapsed: 0,
    })
}
