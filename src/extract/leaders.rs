//! Leader dots: the `. . . . . 12` and `.........` a table of contents draws between an entry
//! and its page number. They are layout, not text: left in, they fill fragments (10 of the 51
//! fragments for `"page layout"` in the TeX Live manuals) and never match a query, since dots are
//! not words. Extracted documents lose them before indexing; plain text files keep theirs (an
//! ellipsis in source code is code).

/// A run of leaders at least this long (in dots; `…` counts three) is filler. Three dots are an
/// ellipsis and stay.
const MIN_LEADER_DOTS: usize = 4;

/// How many dots the character `c` draws, when it is a leader.
fn leader_dots(c: char) -> Option<usize> {
    match c {
        '.' | '·' | '․' => Some(1),
        '…' => Some(3),
        _ => None,
    }
}

/// True for the blank a leader run may have between its dots (`. . . .`): one space or tab,
/// never a line break, which would join two lines' runs.
fn is_leader_gap(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{a0}'
}

/// `text` with every run of leader dots replaced by one space, or `None` when it has none. Line
/// breaks and form feeds stay where they were, so lines and pages are counted as before.
pub fn strip_leaders(text: &str) -> Option<String> {
    let mut stripped = String::new();
    // Up to where `text` has been copied into `stripped`.
    let mut copied = 0;
    let mut rest = text.char_indices().peekable();
    while let Some((start, c)) = rest.next() {
        let Some(mut dots) = leader_dots(c) else {
            continue;
        };
        let mut end = start + c.len_utf8();
        // Extend the run: leaders, each possibly after one blank.
        let mut probe = text[end..].chars();
        loop {
            let mut next = probe.clone();
            let mut width = 0;
            let mut first = next.next();
            if let Some(gap) = first.filter(|&gap| is_leader_gap(gap)) {
                width += gap.len_utf8();
                first = next.next();
            }
            match first.and_then(|c| leader_dots(c).map(|n| (c, n))) {
                Some((c, n)) => {
                    dots += n;
                    end += width + c.len_utf8();
                    probe = next;
                }
                None => break,
            }
        }
        if dots >= MIN_LEADER_DOTS {
            stripped.push_str(&text[copied..start]);
            stripped.push(' ');
            copied = end;
        }
        while rest.next_if(|&(at, _)| at < end).is_some() {}
    }
    if copied == 0 {
        return None;
    }
    stripped.push_str(&text[copied..]);
    Some(stripped)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn table_of_contents_leaders_become_one_space() {
        assert_eq!(
            strip_leaders("3.2 Page layout . . . . . . . . 12\n3.3 Fonts.........14").as_deref(),
            Some("3.2 Page layout   12\n3.3 Fonts 14")
        );
        assert_eq!(
            strip_leaders("Index ………… 99").as_deref(),
            Some("Index   99")
        );
        assert_eq!(strip_leaders("a · · · · b").as_deref(), Some("a   b"));
    }

    #[test]
    fn ellipses_sentences_and_numbers_stay() {
        for text in [
            "Wait... what?",
            "a. b. c. d.",
            "version 1.2.3.4",
            "end.\n.\n.\n.",
            "x . . . y",
            "",
        ] {
            assert_eq!(strip_leaders(text), None, "{text:?}");
        }
    }

    proptest! {
        /// Whatever the text, its lines and pages are where they were and its words are kept.
        #[test]
        fn line_breaks_and_words_survive(text in "[a-z .…·\\n\\x0c\\t]{0,60}") {
            let stripped = strip_leaders(&text).unwrap_or_else(|| text.clone());
            let breaks = |s: &str| s.chars().filter(|c| *c == '\n' || *c == '\x0c').count();
            prop_assert_eq!(breaks(&stripped), breaks(&text));
            let words = |s: &str| {
                s.split(|c: char| !c.is_ascii_lowercase())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(words(&stripped), words(&text));
        }
    }
}
