//! Choosing the fragments of a text to show, and cutting them out with their marks.

use std::ops::Range;

use super::matches::Match;

/// A piece of text, marked (a query match) or not. The text is the document's own, with runs of
/// whitespace collapsed to one space and control characters dropped; it is not escaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text of the piece.
    pub text: String,
    /// True when the piece is a query match.
    pub marked: bool,
}

/// A fragment of a document (or a whole path) as a sequence of marked and unmarked pieces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkedText {
    /// The pieces, in order; adjacent pieces never have the same `marked`.
    pub pieces: Vec<Piece>,
}

impl MarkedText {
    /// The text with every mark wrapped in `pre`/`post` and everything else HTML-escaped.
    pub fn to_html(&self, pre: &str, post: &str) -> String {
        let mut html = String::new();
        for piece in &self.pieces {
            if piece.marked {
                html.push_str(pre);
            }
            html_escape::encode_text_to_string(&piece.text, &mut html);
            if piece.marked {
                html.push_str(post);
            }
        }
        html
    }

    /// The text without marks or escaping.
    pub fn plain(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| piece.text.as_str())
            .collect()
    }

    /// True when some piece is marked.
    pub fn has_marks(&self) -> bool {
        self.pieces.iter().any(|piece| piece.marked)
    }

    /// Cuts `range` out of `text`, marking the parts covered by `marks` (sorted, non-overlapping).
    pub fn cut(text: &str, range: Range<usize>, marks: &[Range<usize>]) -> MarkedText {
        let mut marked = MarkedText::default();
        let mut at = range.start;
        for mark in marks {
            let start = mark.start.clamp(at, range.end);
            let end = mark.end.clamp(start, range.end);
            marked.push(&text[at..start], false);
            marked.push(&text[start..end], true);
            at = end;
        }
        marked.push(&text[at..range.end], false);
        marked
    }

    /// Appends `text` (collapsing whitespace) as a piece, merging it with the last piece when both
    /// are alike.
    fn push(&mut self, text: &str, marked: bool) {
        let mut cleaned = String::with_capacity(text.len());
        let mut after_space = self
            .pieces
            .last()
            .is_some_and(|piece| piece.text.ends_with(' '));
        for c in text.chars() {
            if c.is_whitespace() {
                if !after_space {
                    cleaned.push(' ');
                }
                after_space = true;
            } else if !c.is_control() {
                cleaned.push(c);
                after_space = false;
            }
        }
        if cleaned.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(last) if last.marked == marked => last.text.push_str(&cleaned),
            _ => self.pieces.push(Piece {
                text: cleaned,
                marked,
            }),
        }
    }
}

/// How many fragments to cut and how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragmentOptions {
    /// At most this many fragments per document.
    pub count: usize,
    /// At most this many characters per fragment.
    pub max_chars: usize,
}

impl Default for FragmentOptions {
    fn default() -> Self {
        FragmentOptions {
            count: 3,
            max_chars: 64,
        }
    }
}

/// A window of consecutive matches that fits in one fragment.
struct Candidate {
    /// Indexes into the match list: `first..end`.
    matches: Range<usize>,
    /// Distinct patterns among them.
    distinct: usize,
}

/// Chooses up to `options.count` non-overlapping fragments of `text` around `matches` (sorted,
/// non-overlapping), best first: more distinct patterns beat more matches, which beat earlier
/// position. Each fragment is at most `options.max_chars` characters, avoids cutting words, and
/// marks the matches it holds. A text without matches gets its beginning, unmarked.
pub fn select_fragments(
    text: &str,
    matches: &[Match],
    options: FragmentOptions,
) -> Vec<MarkedText> {
    if options.count == 0 || options.max_chars == 0 {
        return Vec::new();
    }
    if matches.is_empty() {
        let hard_end = advance_chars(text, 0, options.max_chars);
        // A first word longer than the fragment is cut rather than nothing shown.
        let end = match snap_end(text, 0, hard_end) {
            0 => hard_end,
            end => end,
        };
        let fragment = MarkedText::cut(text, trim_whitespace(text, 0..end), &[]);
        return if fragment.pieces.is_empty() {
            Vec::new()
        } else {
            vec![fragment]
        };
    }
    let mut candidates = candidates(text, matches, options.max_chars);
    candidates.sort_by(|a, b| {
        (b.distinct, b.matches.len())
            .cmp(&(a.distinct, a.matches.len()))
            .then(a.matches.start.cmp(&b.matches.start))
    });
    let mut chosen: Vec<Range<usize>> = Vec::new();
    let mut fragments = Vec::new();
    for candidate in candidates {
        if fragments.len() == options.count {
            break;
        }
        let core = matches[candidate.matches.start].range.start
            ..matches[candidate.matches.end - 1].range.end;
        if chosen
            .iter()
            .any(|taken| core.start < taken.end && taken.start < core.end)
        {
            continue;
        }
        let lower = chosen
            .iter()
            .map(|taken| taken.end)
            .filter(|&end| end <= core.start)
            .max()
            .unwrap_or(0);
        let upper = chosen
            .iter()
            .map(|taken| taken.start)
            .filter(|&start| start >= core.end)
            .min()
            .unwrap_or(text.len());
        let extent = pad(text, core, lower..upper, options.max_chars);
        let marks: Vec<Range<usize>> = matches[candidate.matches.clone()]
            .iter()
            .map(|m| m.range.clone())
            .collect();
        fragments.push(MarkedText::cut(text, extent.clone(), &marks));
        chosen.push(extent);
    }
    fragments
}

/// For every match, the longest run of matches starting there that fits in `max_chars`. A single
/// match longer than that is kept alone (and cut when padded).
fn candidates(text: &str, matches: &[Match], max_chars: usize) -> Vec<Candidate> {
    let mut candidates = Vec::with_capacity(matches.len());
    for first in 0..matches.len() {
        let start = matches[first].range.start;
        let limit = advance_chars(text, start, max_chars);
        let mut end = first + 1;
        while end < matches.len() && matches[end].range.end <= limit {
            end += 1;
        }
        let mut patterns: Vec<usize> = matches[first..end].iter().map(|m| m.pattern).collect();
        patterns.sort_unstable();
        patterns.dedup();
        candidates.push(Candidate {
            matches: first..end,
            distinct: patterns.len(),
        });
    }
    candidates
}

/// Grows `core` into a fragment of at most `max_chars` characters within `bounds`, context split
/// evenly on both sides, its edges moved off the middle of words.
fn pad(text: &str, core: Range<usize>, bounds: Range<usize>, max_chars: usize) -> Range<usize> {
    let core_end = advance_chars(text, core.start, max_chars).min(core.end);
    let core_chars = text[core.start..core_end].chars().count();
    let spare = max_chars - core_chars;
    let before = text[bounds.start..core.start]
        .chars()
        .rev()
        .take(spare / 2)
        .count();
    let after = text[core_end..bounds.end]
        .chars()
        .take(spare - before)
        .count();
    // Whatever one side cannot use, the other may.
    let before = text[bounds.start..core.start]
        .chars()
        .rev()
        .take(spare - after)
        .count();
    let start = retreat_chars(text, core.start, before);
    let end = advance_chars(text, core_end, after);
    let start = snap_start(text, start, core.start);
    let end = if core_end < core.end {
        core_end
    } else {
        snap_end(text, core_end, end)
    };
    trim_whitespace(text, start..end)
}

/// Shrinks `range` so it neither starts nor ends with whitespace.
fn trim_whitespace(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

/// The byte offset `count` characters after `from` (or the end of the text).
fn advance_chars(text: &str, from: usize, count: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(offset, _)| from + offset)
}

/// The byte offset `count` characters before `from` (or 0).
fn retreat_chars(text: &str, from: usize, count: usize) -> usize {
    if count == 0 {
        return from;
    }
    text[..from]
        .char_indices()
        .rev()
        .nth(count - 1)
        .map_or(0, |(offset, _)| offset)
}

/// Moves a fragment's start forward, but not past `limit`, so it does not begin mid-word.
fn snap_start(text: &str, start: usize, limit: usize) -> usize {
    if start == 0 || !splits_word(text, start) {
        return start;
    }
    text[start..limit]
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(limit, |(offset, _)| start + offset)
}

/// Moves a fragment's end back, but not before `limit`, so it does not end mid-word.
fn snap_end(text: &str, limit: usize, end: usize) -> usize {
    if end == text.len() || !splits_word(text, end) {
        return end;
    }
    text[limit..end]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(limit, |(offset, c)| limit + offset + c.len_utf8())
        .max(limit)
}

/// True when byte offset `at` (a char boundary) falls between two word characters.
fn splits_word(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    matches!((before, after), (Some(b), Some(a)) if is_word_char(b) && is_word_char(a))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
