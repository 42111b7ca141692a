//! Filters given beside a query (the CLI's `--type`, `--path`, `--modified`, `--date` and `--size`, the
//! same parameters of the web page, the HTTP API and MCP's `search` tool), turned into query
//! clauses: the query a front end runs is the query typed plus one clause per filter field, so a
//! filter means exactly what the query language says, and the query run can be shown.

/// The filters of a search; each list may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Document types (`pdf`, `html`...): a document of any of them passes.
    pub types: Vec<String>,
    /// Folders or path fragments (`drivers/net`): a document whose path holds any of them, as
    /// consecutive components, passes.
    pub paths: Vec<String>,
    /// Values of `modified:` (`2024-03`, `>now-7d`, `[2024-01-01 TO 2024-06-30]`): a document
    /// must pass every one.
    pub modified: Vec<String>,
    /// Values of `size:` (`>10M`, `[1K TO 1M]`): a document must pass every one.
    pub sizes: Vec<String>,
    /// Values of `date:`, the document's own date, as `modified:` takes them: a document must
    /// pass every one (and so have a date).
    pub dates: Vec<String>,
}

impl Filters {
    /// Whether no filter is set (blank values count as unset).
    pub fn is_empty(&self) -> bool {
        self.clauses().is_empty()
    }

    /// The query to run: `(QUERY) AND CLAUSE AND ...`, one clause per filter field (types and
    /// paths as alternatives, `(type:"pdf" OR type:"html")`, dates and sizes each required); the
    /// filters alone when `query` is blank, `query` itself without filters.
    ///
    /// Types and paths are quoted phrases (`"` and `\` escaped), so they are words and never
    /// syntax: `path:"drivers/net"` matches `/src/linux/drivers/net/loopback.c`. A date or size
    /// is the value of its clause as typed, kept to one value: a range (`[...]` or `{...}`)
    /// stands as it is when it closes only at its end, anything else has its special characters
    /// escaped, so that a value can be wrong (and is then refused with a caret) but never adds
    /// clauses of its own.
    pub fn compose(&self, query: &str) -> String {
        let clauses = self.clauses();
        if clauses.is_empty() {
            return query.to_string();
        }
        let filters = clauses.join(" AND ");
        if query.trim().is_empty() {
            filters
        } else {
            format!("({query}) AND {filters}")
        }
    }

    /// Where `query` starts, in characters, in the query [`Filters::compose`] makes of it: after
    /// the `(` that opens `(QUERY) AND FILTERS`, or at 0.
    pub fn query_start(&self, query: &str) -> usize {
        usize::from(self.compose(query) != query && !query.trim().is_empty())
    }

    /// The query text inside `composed`, a query [`Filters::compose`] made from `query` and
    /// these filters and then rewritten inside the query's part only (as spelling correction
    /// does: the filters are quoted phrases and single values, never corrected); `None` when
    /// `composed` does not have these filters' clauses around it.
    pub fn query_text(&self, composed: &str, query: &str) -> Option<String> {
        let original = self.compose(query);
        // The query stands first, or after the '(' that opens `(QUERY) AND FILTERS`.
        let before = self.query_start(query);
        let after = original.get(before + query.len()..)?;
        composed
            .strip_suffix(after)?
            .get(before..)
            .map(str::to_string)
    }

    /// One clause per field that has a value.
    fn clauses(&self) -> Vec<String> {
        let mut clauses = Vec::new();
        let alternatives = |field: &str, values: &[String]| {
            let phrases: Vec<String> = values
                .iter()
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(|value| format!("{field}:{}", quoted(value)))
                .collect();
            match phrases.len() {
                0 => None,
                1 => phrases.into_iter().next(),
                _ => Some(format!("({})", phrases.join(" OR "))),
            }
        };
        clauses.extend(alternatives("type", &self.types));
        clauses.extend(alternatives("path", &self.paths));
        for (field, values) in [
            ("modified", &self.modified),
            ("date", &self.dates),
            ("size", &self.sizes),
        ] {
            clauses.extend(
                values
                    .iter()
                    .map(|value| value.trim())
                    .filter(|value| !value.is_empty())
                    .map(|value| format!("{field}:{}", one_value(value))),
            );
        }
        clauses
    }
}

/// `text` as a quoted phrase, its `"` and `\` escaped.
fn quoted(text: &str) -> String {
    let mut phrase = String::from("\"");
    for c in text.chars() {
        if c == '"' || c == '\\' {
            phrase.push('\\');
        }
        phrase.push(c);
    }
    phrase.push('"');
    phrase
}

/// A date or size value kept to one token: a range that closes only at its end as it is,
/// anything else with whitespace and the query language's special characters escaped.
fn one_value(value: &str) -> String {
    let closers = value.matches([']', '}']).count();
    let is_range = value.starts_with(['[', '{'])
        && value.ends_with([']', '}'])
        && closers == 1
        && !value.contains(['(', ')', '"']);
    if is_range {
        return value.to_string();
    }
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        // `-` stays: dates need it (`2024-03`, `now-7d`), and inside a word it is no operator.
        if c.is_whitespace() || "+!():^[]\"{}~*?\\/&|".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse, DefaultOperator};

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    #[test]
    fn filters_become_clauses() {
        assert_eq!(Filters::default().compose("mutex"), "mutex");
        let filters = Filters {
            types: strings(&["pdf", "html"]),
            paths: strings(&["drivers/net", " "]),
            modified: strings(&[">=2024-03", "[2024-01-01 TO 2024-06-30]"]),
            sizes: strings(&["<10M"]),
            dates: strings(&["2020"]),
        };
        assert_eq!(
            filters.compose("a OR b"),
            "(a OR b) AND (type:\"pdf\" OR type:\"html\") AND path:\"drivers/net\" AND \
             modified:>=2024-03 AND modified:[2024-01-01 TO 2024-06-30] AND date:2020 AND \
             size:<10M"
        );
        let path = Filters {
            paths: strings(&["x\"y\\z"]),
            ..Filters::default()
        };
        assert_eq!(path.compose(" "), "path:\"x\\\"y\\\\z\"");
    }

    #[test]
    fn a_rewritten_composed_query_gives_back_its_query_text() {
        let none = Filters::default();
        assert_eq!(
            none.query_text("kernel", "kernl").as_deref(),
            Some("kernel")
        );
        let filters = Filters {
            types: strings(&["pdf"]),
            paths: strings(&["a b"]),
            ..Filters::default()
        };
        assert_eq!(
            filters
                .query_text(
                    "(kernel task) AND type:\"pdf\" AND path:\"a b\"",
                    "kernl task"
                )
                .as_deref(),
            Some("kernel task")
        );
        assert_eq!(filters.query_text("other", "kernl"), None);
    }

    #[test]
    fn a_value_never_adds_clauses() {
        for hostile in ["1 OR *", "[1 TO 2] OR *", ">1) OR (*", "1\" OR \"x"] {
            let filters = Filters {
                sizes: strings(&[hostile]),
                ..Filters::default()
            };
            let query = filters.compose("word");
            assert!(
                parse(&query, DefaultOperator::Or).is_err(),
                "{hostile}: {query}"
            );
        }
    }
}
