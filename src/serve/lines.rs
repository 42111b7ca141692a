//! A part of a document laid out for its page: line by line, each match numbered (`#m1`,
//! `#m2`, ...) where it starts, with links to the matches before and after each line's own.
//! Linear in the length of the text and the number of matches, however many matches share a
//! line.

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
    /// The page the match starts on, on that piece, in a document with pages (a PDF).
    pub(super) page: Option<usize>,
}

/// Links from a line holding matches.
pub(super) struct LineNav {
    /// Where the match before the line's first is, if there is one.
    pub(super) previous_href: Option<String>,
    /// Where the match after the line's last is, if there is one.
    pub(super) next_href: Option<String>,
    /// Opens the line's first match in the editor.
    pub(super) editor_href: String,
}

/// A match to mark in the text laid out.
#[derive(Clone, Debug)]
pub(super) struct Mark {
    /// Its bytes in the text laid out (a match begun before the text starts at 0).
    pub(super) range: Range<usize>,
    /// Its number (from 1), when it starts in the text laid out.
    pub(super) id: Option<usize>,
    /// The page it starts on, in a document with pages.
    pub(super) page: Option<usize>,
}

/// Where the links of a laid-out text lead.
pub(super) trait Links {
    /// The link to the match numbered `id`, which may be outside the text laid out.
    fn to_match(&self, id: usize) -> String;
    /// The link opening `line` at `column` (characters, from 1) in the editor.
    fn to_editor(&self, line: usize, column: usize) -> String;
}

/// A laid-out text.
pub(super) struct LaidOut {
    pub(super) lines: Vec<Line>,
    /// Line and column (from 1; the column in characters) of the first match starting in the
    /// text, if any.
    pub(super) first: Option<(usize, usize)>,
    /// Bytes read to count columns: never more than the text's length.
    #[cfg(test)]
    columns_counted: usize,
}

/// Lays `text` out in lines numbered from `first_line`, with `marks` (sorted, not overlapping)
/// marked; a match across a line break is marked on each of its lines. `matches` is how many
/// matches the whole document has (the last has no next).
pub(super) fn lay_out(
    text: &str,
    first_line: usize,
    marks: &[Mark],
    matches: usize,
    links: &impl Links,
) -> LaidOut {
    let mut lines = Vec::new();
    let mut next_mark = 0;
    let mut first = None;
    let mut line_start = 0;
    #[cfg(test)]
    let mut columns_counted = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let number = first_line + index;
        let line_end = line_start + raw.len();
        let shown_end = line_start + raw.strip_suffix('\r').unwrap_or(raw).len();
        let mut segments = Vec::new();
        let mut at = line_start;
        // Columns are counted from where the last one was, never again from the line's start.
        let (mut counted_to, mut column) = (line_start, 1);
        let mut started = Vec::new();
        while let Some(mark) = marks.get(next_mark) {
            let range = &mark.range;
            // A match that starts past this line's text belongs to a later line; one that
            // started on an earlier line and goes on (`range.start < line_start`) continues here.
            if range.start >= line_end && range.start >= line_start {
                break;
            }
            let start = range.start.clamp(at, shown_end);
            let end = range.end.clamp(start, shown_end);
            let id = mark.id.filter(|_| range.start >= line_start);
            if let Some(id) = id {
                column += text[counted_to..start].chars().count();
                #[cfg(test)]
                {
                    columns_counted += start - counted_to;
                }
                counted_to = start;
                started.push((id, column));
            }
            push(&mut segments, &text[at..start], None);
            push(
                &mut segments,
                &text[start..end],
                Some(MarkStart {
                    id,
                    page: mark.page.filter(|_| id.is_some()),
                }),
            );
            at = end;
            if range.end <= line_end {
                next_mark += 1;
            } else {
                break;
            }
        }
        push(&mut segments, &text[at..shown_end], None);
        let nav = match (started.first(), started.last()) {
            (Some(&(first_id, column)), Some(&(last_id, _))) => {
                first.get_or_insert((number, column));
                Some(LineNav {
                    previous_href: (first_id > 1).then(|| links.to_match(first_id - 1)),
                    next_href: (last_id < matches).then(|| links.to_match(last_id + 1)),
                    editor_href: links.to_editor(number, column),
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
        first,
        #[cfg(test)]
        columns_counted,
    }
}

/// What a marked segment says of its match: its number and page where the match starts.
struct MarkStart {
    id: Option<usize>,
    page: Option<usize>,
}

/// Appends a segment, marked when `mark` is given, unless it is an empty one with no number.
fn push(segments: &mut Vec<Segment>, text: &str, mark: Option<MarkStart>) {
    let (marked, id, page) = match mark {
        Some(mark) => (true, mark.id, mark.page),
        None => (false, None, None),
    };
    if text.is_empty() && id.is_none() {
        return;
    }
    segments.push(Segment {
        text: text.to_string(),
        marked,
        id,
        page,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links as `#mID` and `LINE:COLUMN`.
    struct Plain;

    impl Links for Plain {
        fn to_match(&self, id: usize) -> String {
            format!("#m{id}")
        }
        fn to_editor(&self, line: usize, column: usize) -> String {
            format!("{line}:{column}")
        }
    }

    fn numbered(ranges: &[Range<usize>]) -> Vec<Mark> {
        ranges
            .iter()
            .enumerate()
            .map(|(index, range)| Mark {
                range: range.clone(),
                id: Some(index + 1),
                page: None,
            })
            .collect()
    }

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
        let marks = numbered(&[find("cat", 0), find("cat", 12), find("sat\ncat", 0)]);
        let laid = lay_out(text, 1, &marks, 3, &Plain);
        assert_eq!(
            shown(&laid),
            ["a [1:cat]", "no", "big [2:cat] [3:sat]", "[cat]"]
        );
        assert_eq!(laid.first, Some((1, 3)));
        let nav = laid.lines[2].nav.as_ref().expect("matches on line 3");
        assert_eq!(
            (nav.previous_href.as_deref(), nav.next_href.as_deref()),
            (Some("#m1"), None)
        );
        assert_eq!(nav.editor_href, "3:5");
        assert!(laid.lines[1].nav.is_none());
    }

    #[test]
    fn a_part_continues_the_numbers_and_the_match_it_starts_in() {
        // The rest of "big cat sat\ncat" from inside "sat", matches 7 to 9 of 12.
        let text = "at\ncat é cat";
        let marks = [
            Mark {
                range: 0..2,
                id: None,
                page: None,
            },
            Mark {
                range: 3..6,
                id: Some(8),
                page: None,
            },
            Mark {
                range: 10..13,
                id: Some(9),
                page: None,
            },
        ];
        let laid = lay_out(text, 41, &marks, 12, &Plain);
        assert_eq!(shown(&laid), ["[at]", "[8:cat] é [9:cat]"]);
        assert_eq!(laid.lines[0].number, 41);
        assert!(laid.lines[0].nav.is_none());
        let nav = laid.lines[1].nav.as_ref().expect("matches on line 42");
        assert_eq!(
            (nav.previous_href.as_deref(), nav.next_href.as_deref()),
            (Some("#m7"), Some("#m10"))
        );
        assert_eq!(laid.first, Some((42, 1)));
    }

    #[test]
    fn columns_are_counted_once_however_many_matches_share_a_line() {
        // One line of `n` one-letter words, each a match: counting each match's column from
        // the line's start read n²/2 bytes (50k marks took 0.36 s, 200k 5.64 s).
        for words in [10, 1_000, 20_000] {
            let text = "é ".repeat(words);
            let ranges: Vec<Range<usize>> = (0..words).map(|n| 3 * n..3 * n + 2).collect();
            let laid = lay_out(&text, 1, &numbered(&ranges), words, &Plain);
            assert!(
                laid.columns_counted <= text.len(),
                "{words} matches: {} bytes read for {} of text",
                laid.columns_counted,
                text.len()
            );
            let nav = laid.lines[0].nav.as_ref().expect("matches");
            assert_eq!(nav.editor_href, "1:1");
            let mut ids = laid.lines[0]
                .segments
                .iter()
                .filter_map(|segment| segment.id);
            assert_eq!(ids.next_back(), Some(words));
        }
    }
}
