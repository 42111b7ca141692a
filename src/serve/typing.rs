//! Search as you type: while a query is being typed, its last word is usually unfinished, so the
//! results that follow the keys read it as a prefix (`font enc` already finds `encoding`, as
//! Meilisearch and Typesense do). Only the requests the page's script sends while typing ask
//! for this (`&typing=1`); a submitted query means exactly what it says.

/// A last word shorter than this stays a word: a one-letter prefix expands to most of the
/// vocabulary, costly and no help.
const MIN_PREFIX_CHARS: usize = 2;

/// `query` with its last word made a prefix (`enc` → `enc*`), when it ends in a plain word: one
/// of letters and digits, right after a blank or `(` or at the start, outside a phrase, not an
/// operator. Anything else (a phrase, a field, a pattern, a trailing blank: the word is done)
/// is returned as it is.
pub(super) fn last_word_as_prefix(query: &str) -> String {
    let word_start = query
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map(|(at, _)| at);
    let Some(start) = word_start else {
        return query.to_string();
    };
    let word = &query[start..];
    let before = query[..start].chars().next_back();
    let in_phrase = query[..start].matches('"').count() % 2 == 1;
    let operator = matches!(word, "AND" | "OR" | "NOT");
    let after_blank = before.is_none_or(|c| c.is_whitespace() || c == '(');
    if in_phrase || operator || !after_blank || word.chars().count() < MIN_PREFIX_CHARS {
        return query.to_string();
    }
    format!("{query}*")
}

#[cfg(test)]
mod tests {
    use super::last_word_as_prefix;

    #[test]
    fn the_unfinished_last_word_becomes_a_prefix() {
        assert_eq!(last_word_as_prefix("font enc"), "font enc*");
        assert_eq!(last_word_as_prefix("enc"), "enc*");
        assert_eq!(last_word_as_prefix("(a OR éco"), "(a OR éco*");
    }

    #[test]
    fn anything_but_a_plain_last_word_is_left_alone() {
        for query in [
            "",
            "font ",
            "a",
            "font e",
            "\"font enc",
            "title:enc",
            "enc*",
            "a AND",
            "x-enc",
            "font~",
            "path:src/enc",
        ] {
            assert_eq!(last_word_as_prefix(query), query, "{query:?}");
        }
    }
}
