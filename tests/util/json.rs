//! The output of `lantern search --format json`, parsed and checked against the documented schema.

use serde_json::Value;

use super::Dir;

/// The JSON output of `lantern search --format json`, checked against the documented schema.
#[derive(Debug)]
pub struct SearchJson {
    pub total: u64,
    pub timed_out: bool,
    /// How many copies the hits stand for besides themselves: the sum of their `also_at`.
    pub collapsed: u64,
    pub hits: Vec<JsonHit>,
    /// The corrected query whose hits these are, when spelling correction replaced words.
    pub corrected_query: Option<String>,
    /// A correction the search suggests (its hits are the query's own).
    pub suggested_query: Option<String>,
    /// For a lenient search of a malformed query: the syntax error's message and position.
    pub syntax_error: Option<(String, u64)>,
    pub raw: Value,
}

/// One hit of the JSON output, its path relative to the test folder.
#[derive(Debug, Clone)]
pub struct JsonHit {
    pub rank: u64,
    pub score: f64,
    pub path: String,
    /// The document's path key (absolute), present only when it differs from the path.
    pub key: Option<String>,
    /// For a member of an archive: the archive (relative to the test folder).
    pub container: Option<String>,
    /// For a member of an archive: its path inside the archive.
    pub member: Option<String>,
    pub marked_path: String,
    /// The document's title, if it has one.
    pub title: Option<String>,
    /// The title with its matches marked.
    pub marked_title: Option<String>,
    /// `text`, `pdf`, `html`...
    pub doc_type: String,
    /// For an e-mail: its sender.
    pub from: Option<String>,
    /// The document's own date (`YYYY-MM-DDTHH:MM:SSZ`), present only when it has one.
    pub date: Option<String>,
    pub fragments: Vec<String>,
    /// Each fragment's (line, page), in the order of `fragments`.
    pub locations: Vec<(u64, Option<u64>)>,
    pub snippet: String,
    /// The fragments as the document's own text, with their matches' character ranges.
    pub raw_fragments: Vec<(String, Vec<[usize; 2]>)>,
    /// The other matching documents with the same text (relative to the test folder), present
    /// only when there are some.
    pub also_at: Vec<String>,
}

impl SearchJson {
    /// Parses `stdout`, asserting it follows the schema exactly.
    pub fn parse(dir: &Dir, stdout: &str) -> SearchJson {
        SearchJson::parse_marked(dir, stdout, ("<b>", "</b>"))
    }

    /// Parses `stdout` printed with `marks` (`--pre-tag`, `--post-tag`), asserting it follows
    /// the schema exactly.
    pub fn parse_marked(dir: &Dir, stdout: &str, marks: (&str, &str)) -> SearchJson {
        let raw: Value = serde_json::from_str(stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{stdout}"));
        // What the search made of the query appears only when it made something of it.
        let mut keys = vec![
            "query",
            "total",
            "elapsed_ms",
            "timed_out",
            "collapsed",
            "hits",
        ];
        let corrected_query = optional_string(&raw, "corrected_query");
        if corrected_query.is_some() {
            keys.push("corrected_query");
            keys.push("original_query");
            assert_eq!(raw["original_query"], raw["query"], "{raw}");
        }
        let suggested_query = optional_string(&raw, "suggested_query");
        if suggested_query.is_some() {
            keys.push("suggested_query");
        }
        let syntax_error = raw.get("syntax_error").map(|error| {
            assert_keys(error, &["message", "position"]);
            keys.push("syntax_error");
            (
                error["message"].as_str().expect("a message").to_string(),
                error["position"].as_u64().expect("a position"),
            )
        });
        // `facets` only when asked for (`--facets`).
        if raw.get("facets").is_some() {
            keys.push("facets");
        }
        assert_keys(&raw, &keys);
        assert!(raw["query"].is_string(), "query is a string: {raw}");
        let timed_out = raw["timed_out"].as_bool().expect("timed_out is a boolean");
        let total = raw["total"].as_u64().expect("total is an integer");
        let elapsed = raw["elapsed_ms"].as_f64().expect("elapsed_ms is a number");
        assert!(elapsed >= 0.0);
        let hits: Vec<JsonHit> = raw["hits"]
            .as_array()
            .expect("hits is an array")
            .iter()
            .map(|hit| {
                let mut keys = vec![
                    "rank",
                    "score",
                    "path",
                    "marked_path",
                    "title",
                    "marked_title",
                    "type",
                    "fragments",
                    "locations",
                    "snippet",
                    "path_matches",
                    "title_matches",
                    "raw_fragments",
                ];
                let key = optional_string(hit, "key");
                if key.is_some() {
                    keys.push("key");
                }
                let also_at: Vec<String> = match hit.get("also_at") {
                    Some(paths) => {
                        keys.push("also_at");
                        let paths: Vec<String> = paths
                            .as_array()
                            .expect("also_at is an array")
                            .iter()
                            .map(|path| {
                                let path = path.as_str().expect("a path is a string");
                                dir.relative(path)
                            })
                            .collect();
                        assert!(!paths.is_empty(), "also_at only when not empty: {hit}");
                        paths
                    }
                    None => Vec::new(),
                };
                let container = optional_string(hit, "container");
                let member = optional_string(hit, "member");
                assert_eq!(
                    container.is_some(),
                    member.is_some(),
                    "container with member: {hit}"
                );
                if let (Some(container), Some(member)) = (&container, &member) {
                    keys.extend(["container", "member"]);
                    let path = hit["path"].as_str().unwrap_or_default();
                    assert_eq!(path, format!("{container}::{member}"), "a member's path");
                }
                let from = optional_string(hit, "from");
                if from.is_some() {
                    keys.push("from");
                }
                let date = optional_string(hit, "date");
                if let Some(date) = &date {
                    keys.push("date");
                    let rfc3339 = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
                        .expect("valid regex");
                    assert!(rfc3339.is_match(date), "date in RFC 3339: {hit}");
                }
                assert_keys(hit, &keys);
                let string = |key: &str| {
                    hit[key]
                        .as_str()
                        .unwrap_or_else(|| panic!("{key} is a string: {hit}"))
                        .to_string()
                };
                let path = string("path");
                assert!(path.starts_with('/'), "path is absolute: {path}");
                assert_ne!(key.as_ref(), Some(&path), "a key only when not the path");
                JsonHit {
                    rank: hit["rank"].as_u64().expect("rank is an integer"),
                    score: hit["score"].as_f64().expect("score is a number"),
                    path: dir.relative(&path),
                    key,
                    container: container.map(|container| dir.relative(&container)),
                    member,
                    marked_path: string("marked_path"),
                    title: optional_string(hit, "title"),
                    marked_title: optional_string(hit, "marked_title"),
                    doc_type: string("type"),
                    from,
                    date,
                    fragments: hit["fragments"]
                        .as_array()
                        .expect("fragments is an array")
                        .iter()
                        .map(|f| f.as_str().expect("a fragment is a string").to_string())
                        .collect(),
                    locations: hit["locations"]
                        .as_array()
                        .expect("locations is an array")
                        .iter()
                        .map(|location| {
                            let line = location["line"].as_u64().expect("line is an integer");
                            assert!(line >= 1, "lines count from 1: {location}");
                            (
                                line,
                                location
                                    .get("page")
                                    .map(|page| page.as_u64().expect("page is an integer")),
                            )
                        })
                        .collect(),
                    snippet: string("snippet"),
                    raw_fragments: hit["raw_fragments"]
                        .as_array()
                        .expect("raw_fragments is an array")
                        .iter()
                        .map(|raw| {
                            assert_keys(raw, &["text", "matches"]);
                            let text = raw["text"].as_str().expect("text is a string");
                            (text.to_string(), ranges(&raw["matches"]))
                        })
                        .collect(),
                    also_at,
                }
            })
            .collect();
        let collapsed = raw["collapsed"].as_u64().expect("collapsed is an integer");
        assert_eq!(
            collapsed,
            hits.iter().map(|hit| hit.also_at.len() as u64).sum::<u64>(),
            "collapsed counts the copies in also_at: {raw}"
        );
        assert!(
            hits.len() as u64 <= total,
            "more hits than the total: {raw}"
        );
        for (i, hit) in hits.iter().enumerate() {
            assert_eq!(hit.rank, i as u64 + 1, "ranks count from 1: {raw}");
            assert_eq!(hit.snippet, hit.fragments.join("..."), "snippet: {raw}");
            let marked: Vec<String> = hit
                .raw_fragments
                .iter()
                .map(|(text, matches)| marked_html(text, matches, marks))
                .collect();
            assert_eq!(
                marked, hit.fragments,
                "raw fragments and their ranges: {raw}"
            );
            assert_eq!(
                hit.locations.len(),
                hit.fragments.len(),
                "a location per fragment: {raw}"
            );
        }
        for pair in hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "best first: {raw}");
        }
        SearchJson {
            total,
            timed_out,
            collapsed,
            hits,
            corrected_query,
            suggested_query,
            syntax_error,
            raw,
        }
    }

    /// The hit paths, best first.
    pub fn paths(&self) -> Vec<String> {
        self.hits.iter().map(|hit| hit.path.clone()).collect()
    }

    /// The hit for `path`.
    pub fn hit(&self, path: &str) -> &JsonHit {
        self.hits
            .iter()
            .find(|hit| hit.path == path)
            .unwrap_or_else(|| panic!("no hit for {path} in {}", self.raw))
    }
}

/// The `[start, end]` character ranges in `value`, which must be sorted and disjoint.
fn ranges(value: &Value) -> Vec<[usize; 2]> {
    let ranges: Vec<[usize; 2]> = serde_json::from_value(value.clone())
        .unwrap_or_else(|err| panic!("not a list of [start, end] ({err}): {value}"));
    for pair in ranges.windows(2) {
        assert!(pair[0][1] <= pair[1][0], "ranges overlap: {value}");
    }
    ranges
}

/// `text` HTML-escaped with `marks` at the character `ranges`: what `fragments` shows.
fn marked_html(text: &str, ranges: &[[usize; 2]], (pre, post): (&str, &str)) -> String {
    let chars: Vec<char> = text.chars().collect();
    let piece = |range: std::ops::Range<usize>| -> String {
        let piece: String = chars[range].iter().collect();
        html_escape::encode_text(&piece).into_owned()
    };
    let mut html = String::new();
    let mut at = 0;
    for &[start, end] in ranges {
        assert!(
            start < end && end <= chars.len(),
            "range {start}..{end} of {text:?}"
        );
        html.push_str(&piece(at..start));
        html.push_str(pre);
        html.push_str(&piece(start..end));
        html.push_str(post);
        at = end;
    }
    html.push_str(&piece(at..chars.len()));
    html
}

/// The string at `key`, or `None` for `null`; anything else fails the test.
fn optional_string(value: &Value, key: &str) -> Option<String> {
    match &value[key] {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => panic!("{key} is a string or null, not {other}"),
    }
}

/// Asserts `value` is an object with exactly these keys.
pub fn assert_keys(value: &Value, keys: &[&str]) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"));
    let mut found: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut expected = keys.to_vec();
    found.sort_unstable();
    expected.sort_unstable();
    assert_eq!(found, expected, "keys of {value}");
}
