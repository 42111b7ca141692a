//! Searching an OpenSearch index: the query is parsed and lowered by Lantern, translated to the
//! engine's JSON ([`super::query`]), and the engine finds, scores, sorts and counts the hits
//! (and with `--facets`, all matches by type, month and folder, [`super::facets`]), folding
//! copies ([`super::copies`]); misspelled words are corrected first ([`super::spelling`]).
//! Each hit's text comes back from the engine's `_source`, and Lantern's own highlighter cuts the
//! fragments from it, so the output is the same whichever engine answered.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use super::client::Client;
use super::copies::{collapse, copies_of};
use super::operations::document_id;
use super::query::{translate, Untranslatable};
use super::spelling::EngineWords;
use super::sync::engine_roots;
use crate::deadline::Deadline;
use crate::engine::folders::FolderScope;
use crate::engine::spelling::{correctable_tokens, rewrite, search_correcting, Corrected};
use crate::engine::{
    EngineError, Facets, FoundDocument, Hit, HitMarkers, SearchRequest, SearchResults, SortKey,
    StoredDocument,
};
use crate::index::language::Language;
use crate::index::path_key::path_key;
use crate::index::schema::text_analyzer;
use crate::query::{
    check_size, lower, parse, parse_with_words, Analyzers, DefaultOperator, LowerError, Lowered,
    QueryError,
};

/// The most hits the engine returns with `from` + `size` (its `index.max_result_window`).
const MAX_WINDOW: usize = 10_000;

/// Runs `request` on the index `client` names, which stems in `language`. Misspelled words
/// are corrected (or a correction suggested) by Lantern's rules from the engine's own words
/// ([`super::spelling`]), as locally. A lenient search of a query that is not valid syntax
/// searches its words, as locally.
pub(super) fn remote_search(
    client: &Client,
    language: Language,
    request: &SearchRequest,
) -> Result<SearchResults, EngineError> {
    let started = Instant::now();
    // The analyzers of the index's own language, which its stemmed sub-fields hold.
    let mut analyzers = Analyzers::new(language);
    let (query, syntax_error) = request.searched_query(&mut analyzers.contents)?;
    let (_, words) =
        parse_with_words(&query, request.default_operator).map_err(QueryError::from)?;
    let tokens = if request.correct {
        correctable_tokens(&query, &words, &mut text_analyzer())
    } else {
        Vec::new()
    };
    // One request about the query's words, only when it has words to correct.
    let engine_words = if tokens.is_empty() {
        EngineWords::default()
    } else {
        EngineWords::fetch(client, &tokens)?
    };
    let spell = |misspelled| rewrite(&engine_words, &query, &tokens, misspelled);
    let run = |searched: &str, count_only: bool| {
        let page = search_page(client, language, request, searched, count_only)?;
        let total = page.total;
        Ok((page, total))
    };
    let Corrected {
        searched,
        found,
        correction,
    } = search_correcting(&query, request.correct, spell, run)?;
    Ok(SearchResults {
        query: request.query_run(),
        searched,
        total: found.total,
        elapsed: started.elapsed(),
        timed_out: found.timed_out,
        collapsed: found.hits.iter().map(|hit| hit.also_at.len()).sum(),
        hits: found.hits,
        correction,
        syntax_error,
        facets: found.facets,
    })
}

/// What the engine found for one query.
struct Page {
    /// How many documents match.
    total: usize,
    /// The hits asked for, highlighted.
    hits: Vec<Hit>,
    /// The facets, when asked for.
    facets: Option<Facets>,
    /// Whether the engine ran out of time.
    timed_out: bool,
}

/// Runs the query `searched` as `request` asks (or, `count_only`, only counts its matches).
fn search_page(
    client: &Client,
    language: Language,
    request: &SearchRequest,
    searched: &str,
    count_only: bool,
) -> Result<Page, EngineError> {
    let mut scope = None;
    let (lowered, analyzers) = lower_query(language, searched, request.default_operator)?;
    let offset = request.offset.min(MAX_WINDOW);
    let limit = if count_only {
        0
    } else {
        request.limit.min(MAX_WINDOW - offset)
    };
    let wants_text = request.fragments.count > 0;
    let query = translate(&lowered)?;
    let collapsed = request.collapse && limit > 0;
    let mut body = json!({
        "query": query,
        "from": offset,
        "size": limit,
        "track_total_hits": true,
        "_source": if wants_text { json!(["path", "title", "type", "from", "date", "body"]) } else { json!(["path", "title", "type", "from", "date"]) },
        "sort": sort_clauses(request),
    });
    if collapsed {
        body["collapse"] = collapse();
    }
    if request.facets && !count_only {
        let roots = engine_roots(client)?;
        let roots: Vec<String> = roots.iter().map(|root| path_key(root)).collect();
        let folders = FolderScope::new(
            roots.iter().map(String::as_str),
            FolderScope::base_of(&request.filters.paths),
        );
        body["aggs"] = super::facets::aggregations(&folders);
        scope = Some(folders);
    }
    if let Some(timeout) = request.timeout {
        body["timeout"] = json!(format!("{}ms", timeout.as_millis().max(1)));
    }
    // Ranked by relevance, every shard scores with the statistics of the whole index (one more
    // short round to the shards): copies then score alike wherever they are, so that the copy
    // kept is the local engine's, and hits rank as in one local index.
    let path = if request.sort.key == SortKey::Relevance {
        "/_search?search_type=dfs_query_then_fetch"
    } else {
        "/_search"
    };
    let answer = client.json("POST", path, &body)?;
    let total = answer
        .pointer("/hits/total/value")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let mut markers = HitMarkers::new(&lowered, analyzers, request.fragments);
    // Hits in another order than relevance are not scored, as locally: their score is 0.
    let scored = request.sort.key == SortKey::Relevance;
    let found = answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // The other copies of the hits are asked for while the hits are highlighted.
    let (hits, copies) = std::thread::scope(|scope| {
        let copies = collapsed.then(|| scope.spawn(|| copies_of(client, &query, found)));
        let hits = highlighted(&mut markers, found, (offset, scored, wants_text));
        let copies = match copies {
            Some(asked) => asked
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Ok(vec![Vec::new(); found.len()]),
        };
        (hits, copies)
    });
    let hits = hits
        .into_iter()
        .zip(copies?)
        .map(|(hit, also_at)| Hit { also_at, ..hit })
        .collect();
    Ok(Page {
        total: usize::try_from(total).unwrap_or(usize::MAX),
        hits,
        facets: scope.map(|folders| super::facets::read(&answer, &folders)),
        timed_out: answer["timed_out"].as_bool().unwrap_or(false),
    })
}

/// The hits of `found` (the engine's, in order) with their fragments and marks:
/// `(offset, scored, wants_text)` say the rank of the first, whether the hits are ranked by
/// score, and whether their text came back to be cut into fragments.
fn highlighted(
    markers: &mut HitMarkers,
    found: &[Value],
    (offset, scored, wants_text): (usize, bool, bool),
) -> Vec<Hit> {
    found
        .iter()
        .enumerate()
        .map(|(rank, hit)| {
            let source = &hit["_source"];
            let key = source["path"].as_str().unwrap_or_default();
            markers.hit(FoundDocument {
                rank: offset + rank + 1,
                score: if scored {
                    hit["_score"].as_f64().unwrap_or(0.0) as f32
                } else {
                    0.0
                },
                key: key.to_string(),
                title: source["title"].as_str().unwrap_or_default(),
                doc_type: source["type"].as_str().unwrap_or_default().to_string(),
                from: source["from"]
                    .as_str()
                    .filter(|from| !from.is_empty())
                    .map(str::to_string),
                date: source["date"].as_u64(),
                text: wants_text.then(|| source["body"].as_str().unwrap_or_default()),
            })
        })
        .collect()
}

/// The engine's `sort` for `request`: relevance, or the field of the key (numbers largest
/// first, paths A to Z, as locally), ties broken by path so that the order is the same
/// whatever the shards; by relevance, the shortest path first among equal scores, so that of
/// copies scoring alike the copy kept is the one the local engine keeps.
fn sort_clauses(request: &SearchRequest) -> Value {
    let (field, natural) = match request.sort.key {
        SortKey::Relevance => ("_score", "desc"),
        SortKey::Modified => ("mtime", "desc"),
        SortKey::Date => ("date", "desc"),
        SortKey::Size => ("size", "desc"),
        SortKey::Path => ("path", "asc"),
    };
    let order = match (natural, request.sort.reversed) {
        ("desc", false) | ("asc", true) => "desc",
        _ => "asc",
    };
    // Documents without a date of their own come last in either direction, as locally.
    let first = match field {
        "_score" => json!({ field: order }),
        _ => json!({ field: { "order": order, "missing": "_last" } }),
    };
    if request.sort.key == SortKey::Relevance {
        json!([first, { "path_length": "asc" }, { "path": "asc" }])
    } else {
        json!([first, { "path": "asc" }])
    }
}

/// Parses, checks and lowers `query` for an index stemming in `language`, with no expansion:
/// patterns stay patterns, which the engine expands over its own terms. Returns the analyzers
/// the lowering used, which the highlighters must use too.
fn lower_query(
    language: Language,
    query: &str,
    default_operator: DefaultOperator,
) -> Result<(Lowered, Analyzers), EngineError> {
    let tree = parse(query, default_operator).map_err(QueryError::from)?;
    check_size(&tree)?;
    let mut analyzers = Analyzers::new(language);
    let lowered = lower(&tree, &mut analyzers, None).map_err(|err| match err {
        LowerError::Query(err) => EngineError::Query(err),
        LowerError::Index(err) => EngineError::Untranslatable(Untranslatable(err.to_string())),
    })?;
    Ok((lowered, analyzers))
}

/// The document whose path key is exactly `key`, fetched by its `_id` (never searched), its
/// text cut to `max_bytes`, and with a `query`, every match of it located by Lantern's
/// highlighter, as the local engine does.
pub(super) fn remote_document(
    client: &Client,
    language: Language,
    key: &str,
    query: Option<(&str, DefaultOperator)>,
    max_bytes: usize,
    deadline: &Arc<Deadline>,
) -> Result<Option<StoredDocument>, EngineError> {
    let lowered = query
        .map(|(query, operator)| lower_query(language, query, operator))
        .transpose()?;
    // Only the path when no text is wanted: a lookup that the document is there.
    let fields = if max_bytes == 0 && lowered.is_none() {
        "path"
    } else {
        "path,body"
    };
    let path = format!("/_doc/{}?_source={fields}", document_id(key));
    let (status, answer) = client.send("GET", &path, None, "application/json")?;
    // A document that is not there is a 404 with `found: false`; a missing index is a 404
    // with an error.
    if status == 404 && answer.get("error").is_some() {
        return Err(client.not_found(answer).into());
    }
    // The id is a hash: the key itself must match too.
    let source = &answer["_source"];
    if answer["found"].as_bool() != Some(true) || source["path"].as_str() != Some(key) {
        return Ok(None);
    }
    let stored = source["body"].as_str().unwrap_or_default();
    Ok(Some(StoredDocument::cut(
        key, stored, max_bytes, lowered, deadline,
    )))
}
