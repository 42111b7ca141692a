//! The filter controls of the search page, turned into query clauses: the query a page runs is
//! the text in the search box plus one clause per filter, so the filters mean exactly what the
//! query language says.

/// The query the search page runs for the search box `query` and the path filter
/// `path_filter`.
///
/// An empty filter adds nothing. Otherwise the filter becomes the phrase `path:"FILTER"` (its
/// `"` and `\` escaped with `\`), which matches documents whose path holds the filter's
/// components one after the other, as words, case-insensitively: `drivers/net` matches
/// `/src/linux/drivers/net/loopback.c`. With a query, the result is `(QUERY) AND path:"FILTER"`;
/// alone, the filter lists the documents under such folders.
pub fn compose_query(query: &str, path_filter: &str) -> String {
    let path_filter = path_filter.trim();
    if path_filter.is_empty() {
        return query.to_string();
    }
    let mut clause = String::from("path:\"");
    for c in path_filter.chars() {
        if c == '"' || c == '\\' {
            clause.push('\\');
        }
        clause.push(c);
    }
    clause.push('"');
    if query.trim().is_empty() {
        clause
    } else {
        format!("({query}) AND {clause}")
    }
}

/// The search box text of `composed`, a query composed by [`compose_query`] from the box text
/// `query` and `path_filter` and then rewritten inside the box's part only (as spelling
/// correction does: the filter is a phrase, never corrected); `None` when `composed` does not
/// have the filter's clause around it.
pub fn search_box_text(composed: &str, query: &str, path_filter: &str) -> Option<String> {
    let original = compose_query(query, path_filter);
    // The box text stands first, or after the '(' that opens `(QUERY) AND path:"FILTER"`.
    let before = if original == query { 0 } else { 1 };
    let after = original.get(before + query.len()..)?;
    composed
        .strip_suffix(after)?
        .get(before..)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::{compose_query, search_box_text};

    #[test]
    fn a_rewritten_composed_query_gives_back_its_search_box_text() {
        assert_eq!(
            search_box_text("kernel", "kernl", "").as_deref(),
            Some("kernel")
        );
        assert_eq!(
            search_box_text("(kernel task) AND path:\"a b\"", "kernl task", "a b").as_deref(),
            Some("kernel task")
        );
        assert_eq!(search_box_text("other", "kernl", "a b"), None);
    }

    #[test]
    fn a_path_filter_becomes_a_quoted_path_clause() {
        assert_eq!(compose_query("mutex", ""), "mutex");
        assert_eq!(
            compose_query("a OR b", "drivers/net"),
            "(a OR b) AND path:\"drivers/net\""
        );
        assert_eq!(compose_query(" ", "x\"y\\z"), "path:\"x\\\"y\\\\z\"");
    }
}
