//! A long document cut into parts, one per document page, so that a page's size is bounded
//! whatever the document holds: each part has at most [`PartBudget::lines`] lines,
//! [`PartBudget::bytes`] bytes of text and [`PartBudget::marks`] matches starting in it. A
//! document of a million empty lines, one line of two megabytes or a query matching every word
//! then gives many pages of ordinary size instead of one of hundreds of megabytes.

use std::ops::Range;

/// The most one part may hold.
#[derive(Clone, Copy, Debug)]
pub(super) struct PartBudget {
    /// Lines (a line cut between two parts counts in each).
    pub(super) lines: usize,
    /// Bytes of text, at least 4 (a character's longest encoding); a part may hold the line
    /// break ending its last line on top.
    pub(super) bytes: usize,
    /// Matches starting in the part, at least 1.
    pub(super) marks: usize,
}

/// One part of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Part {
    /// The bytes of the document's text it shows.
    pub(super) bytes: Range<usize>,
    /// The number (from 1) of its first line, which began in an earlier part when the part
    /// starts inside a line.
    pub(super) first_line: usize,
    /// The matches (indices into the document's sorted list) that start in it.
    pub(super) matches: Range<usize>,
}

/// Cuts `text` into parts within `budget`, in order and covering it all; `matches` are sorted,
/// non-overlapping byte ranges of `text`. A part ends after a line break when it can, inside a
/// line (at a character boundary) only when one line alone exceeds the budget. Linear in the
/// length of the text and the number of matches.
pub(super) fn cut(text: &str, matches: &[Range<usize>], budget: PartBudget) -> Vec<Part> {
    let bytes = budget.bytes.max(4);
    let marks = budget.marks.max(1);
    let lines = budget.lines.max(1);
    let mut parts = Vec::new();
    let mut start: usize = 0;
    let mut first_line = 1;
    let mut next_match = 0;
    loop {
        let mut end = text.floor_char_boundary(start.saturating_add(bytes).min(text.len()));
        if let Some(break_at) =
            memchr::memchr_iter(b'\n', &text.as_bytes()[start..end]).nth(lines - 1)
        {
            end = start + break_at + 1;
        }
        if let Some(beyond) = matches.get(next_match + marks) {
            end = end.min(beyond.start);
        }
        if end < text.len() && !text[..end].ends_with('\n') {
            // Cut after the part's last line break, if it has one.
            if let Some(last_break) = memchr::memrchr(b'\n', &text.as_bytes()[start..end]) {
                end = start + last_break + 1;
            }
        }
        // The line break ending the part's last line stays with it (one byte over the budget),
        // so that the next part does not start with an empty line.
        for ending in ["\r\n", "\n"] {
            if text[end..].starts_with(ending) && !text[..end].ends_with('\n') {
                end += ending.len();
                break;
            }
        }
        let first_match = next_match;
        while matches
            .get(next_match)
            .is_some_and(|range| range.start < end)
        {
            next_match += 1;
        }
        parts.push(Part {
            bytes: start..end,
            first_line,
            matches: first_match..next_match,
        });
        if end >= text.len() {
            return parts;
        }
        first_line += memchr::memchr_iter(b'\n', &text.as_bytes()[start..end]).count();
        start = end;
    }
}

/// The index (into `parts`) of the part where the match numbered `index` (from 0) starts.
pub(super) fn part_of_match(parts: &[Part], index: usize) -> usize {
    parts.partition_point(|part| part.matches.end <= index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SMALL: PartBudget = PartBudget {
        lines: 3,
        bytes: 10,
        marks: 2,
    };

    fn words(text: &str, word: &str) -> Vec<Range<usize>> {
        text.match_indices(word)
            .map(|(start, found)| start..start + found.len())
            .collect()
    }

    #[test]
    fn parts_end_at_line_breaks_within_the_budget() {
        let text = "a\nb\nc\nd\ne";
        let parts = cut(text, &[], SMALL);
        let shown: Vec<&str> = parts.iter().map(|part| &text[part.bytes.clone()]).collect();
        assert_eq!(shown, ["a\nb\nc\n", "d\ne"]);
        assert_eq!(parts[1].first_line, 4);
    }

    #[test]
    fn a_line_longer_than_the_budget_is_cut_inside_and_keeps_its_number() {
        let text = "short\néééééééééé\nend";
        let parts = cut(text, &[], SMALL);
        let shown: Vec<&str> = parts.iter().map(|part| &text[part.bytes.clone()]).collect();
        assert_eq!(shown, ["short\n", "ééééé", "ééééé\n", "end"]);
        let numbers: Vec<usize> = parts.iter().map(|part| part.first_line).collect();
        assert_eq!(numbers, [1, 2, 2, 3]);
    }

    #[test]
    fn matches_past_the_budget_start_the_next_part() {
        let text = "x x x\nx";
        let matches = words(text, "x");
        let parts = cut(text, &matches, SMALL);
        let shown: Vec<&str> = parts.iter().map(|part| &text[part.bytes.clone()]).collect();
        assert_eq!(shown, ["x x ", "x\nx"]);
        assert_eq!(parts[0].matches, 0..2);
        assert_eq!(parts[1].matches, 2..4);
        assert_eq!(part_of_match(&parts, 1), 0);
        assert_eq!(part_of_match(&parts, 3), 1);
    }

    #[test]
    fn an_empty_text_is_one_empty_part() {
        assert_eq!(
            cut("", &[], SMALL),
            [Part {
                bytes: 0..0,
                first_line: 1,
                matches: 0..0
            }]
        );
    }

    proptest! {
        #[test]
        fn parts_cover_the_text_within_the_budget(
            text in "[ab\\n é]{0,200}",
            lines in 1usize..5,
            bytes in 4usize..30,
            marks in 1usize..4,
        ) {
            let matches = words(&text, "a");
            let parts = cut(&text, &matches, PartBudget { lines, bytes, marks });
            let mut at = 0;
            let mut next_match = 0;
            for part in &parts {
                prop_assert_eq!(part.bytes.start, at);
                prop_assert!(part.bytes.end > at || text.is_empty());
                prop_assert!(part.bytes.len() <= bytes + 2);
                let shown = &text[part.bytes.clone()];
                prop_assert!(shown.split_inclusive('\n').count() <= lines);
                prop_assert_eq!(part.first_line, text[..at].matches('\n').count() + 1);
                prop_assert_eq!(part.matches.start, next_match);
                prop_assert!(part.matches.len() <= marks);
                for index in part.matches.clone() {
                    prop_assert!(part.bytes.contains(&matches[index].start));
                }
                at = part.bytes.end;
                next_match = part.matches.end;
            }
            prop_assert_eq!(at, text.len());
            prop_assert_eq!(next_match, matches.len());
        }
    }
}
