//! A document laid out for its page: line by line, each match numbered (`#m1`, `#m2`, ...) where
//! it starts, with links to the matches before and after each line's own.

use std::ops::Range;

/// One line of the document.
pub(super) struct Line {
    /// Counted from 1.
    pub(super) number: usize,
    /// The line's text (line break removed) in marked and unmarked pieces.
    pub(super) segments: Vec<Segment>,
    /// For a line where matches start: where the neighbouring matches are.
    pub(super) nav: Option<LineNav>,
}

/// A piece of a line; the template escapes its text.
pub(super) struct Segment {
    pub(super) text: String,
    /// Part of a match.
    pub(super) marked: bool,
    /// The match's number, on the piece where the match starts.
    pub(super) id: Option<usize>,
}

/// Links from a line holding matches.
pub(super) struct LineNav {
    /// The match before the line's first, if any.
    pub(super) previous: Option<usize>,
    /// The match after the line's last, if any.
    pub(super) next: Option<usize>,
    /// Opens the line's first match in the editor.
    pub(super) editor_href: String,
}

/// A laid-out document.
pub(super) struct LaidOut {
    pub(super) lines: Vec<Line>,
    /// How many matches there are.
    pub(super) matches: usize,
    /// Line and column (from 1; the column in characters) of the first match, 1:1 when none.
    pub(super) first: (usize, usize),
}

/// Lays `text` out in lines with `matches` (sorted byte ranges, not overlapping) marked; a
/// match across a line break is marked on each of its lines. `editor` makes the link opening a
/// line and column in the editor.
pub(super) fn lay_out(
    text: &str,
    matches: &[Range<usize>],
    editor: impl Fn(usize, usize) -> String,
) -> LaidOut {
    let mut lines = Vec::new();
    let mut next_match = 0;
    let mut first = None;
    let mut line_start = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line_end = line_start + raw.len();
        let shown_end = line_start + raw.strip_suffix('\r').unwrap_or(raw).len();
        let mut segments = Vec::new();
        let mut at = line_start;
        let mut started = Vec::new();
        while let Some(range) = matches.get(next_match) {
            // A match that starts past this line's text belongs to a later line; one that
            // started on an earlier line and goes on (`range.start < line_start`) continues here.
            if range.start >= line_end && range.start >= line_start {
                break;
            }
            let start = range.start.clamp(at, shown_end);
            let end = range.end.clamp(start, shown_end);
            if range.start >= line_start {
                started.push((next_match + 1, text[line_start..start].chars().count() + 1));
            }
            push(&mut segments, &text[at..start], false, None);
            push(
                &mut segments,
                &text[start..end],
                true,
                (range.start >= line_start).then_some(next_match + 1),
            );
            at = end;
            if range.end <= line_end {
                next_match += 1;
            } else {
                break;
            }
        }
        push(&mut segments, &text[at..shown_end], false, None);
        let nav = match (started.first(), started.last()) {
            (Some(&(first_id, column)), Some(&(last_id, _))) => {
                first.get_or_insert((number, column));
                Some(LineNav {
                    previous: (first_id > 1).then(|| first_id - 1),
                    next: (last_id < matches.len()).then(|| last_id + 1),
                    editor_href: editor(number, column),
                })
            }
            _ => None,
        };
        lines.push(Line {
            number,
            segments,
            nav,
        });
        line_start = line_end + 1;
    }
    LaidOut {
        lines,
        matches: matches.len(),
        first: first.unwrap_or((1, 1)),
    }
}

/// Appends a segment, unless it is an unmarked empty one.
fn push(segments: &mut Vec<Segment>, text: &str, marked: bool, id: Option<usize>) {
    if text.is_empty() && id.is_none() {
        return;
    }
    segments.push(Segment {
        text: text.to_string(),
        marked,
        id,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(laid: &LaidOut) -> Vec<String> {
        laid.lines
            .iter()
            .map(|line| {
                line.segments
                    .iter()
                    .map(|segment| match (segment.marked, segment.id) {
                        (true, Some(id)) => format!("[{id}:{}]", segment.text),
                        (true, None) => format!("[{}]", segment.text),
                        (false, _) => segment.text.clone(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn matches_are_numbered_per_line_and_split_across_breaks() {
        let text = "a cat\r\nno\nbig cat sat\ncat";
        let find = |word: &str, from: usize| {
            let start = text[from..].find(word).expect("word") + from;
            start..start + word.len()
        };
        let cat2 = find("cat", 12);
        let phrase = find("sat\ncat", 0);
        let laid = lay_out(text, &[find("cat", 0), cat2, phrase], |line, column| {
            format!("{line}:{column}")
        });
        assert_eq!(
            shown(&laid),
            ["a [1:cat]", "no", "big [2:cat] [3:sat]", "[cat]"]
        );
        assert_eq!(laid.matches, 3);
        assert_eq!(laid.first, (1, 3));
        let nav = laid.lines[2].nav.as_ref().expect("matches on line 3");
        assert_eq!((nav.previous, nav.next), (Some(1), None));
        assert_eq!(nav.editor_href, "3:5");
        assert!(laid.lines[1].nav.is_none());
    }
}
