//! Choosing the fragments of a text to show, and cutting them out with their marks.
//!
//! Widths are counted as the fragment will print: one per character, a run of blanks (whitespace,
//! control characters) counting once, since it prints as one space. Everything here is linear in
//! the text and the matches: a 1 MB document with tens of thousands of matches costs a few passes
//! over it.

use std::cmp::Reverse;
use std::ops::Range;

use crate::index::tokenizer::continues_token;

use super::marked::{is_blank, MarkedText};
use super::pattern::Match;

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

/// Where a fragment lies in the text and which matches it marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Extent {
    /// Byte range of the fragment in the text.
    pub range: Range<usize>,
    /// Indexes into the match list of the matches inside the fragment.
    pub marks: Range<usize>,
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
/// marks every match it holds. A text without matches gets its beginning, unmarked.
pub fn select_fragments(
    text: &str,
    matches: &[Match],
    options: FragmentOptions,
) -> Vec<MarkedText> {
    select_extents(text, matches, options)
        .into_iter()
        .map(|extent| {
            let marks: Vec<Range<usize>> = matches[extent.marks]
                .iter()
                .map(|m| m.range.clone())
                .collect();
            MarkedText::cut(text, extent.range, &marks)
        })
        .filter(|fragment| !fragment.pieces.is_empty())
        .collect()
}

/// Where [`select_fragments`] cuts its fragments.
pub(super) fn select_extents(
    text: &str,
    matches: &[Match],
    options: FragmentOptions,
) -> Vec<Extent> {
    if options.count == 0 || options.max_chars == 0 {
        return Vec::new();
    }
    if matches.is_empty() {
        return vec![beginning(text, options.max_chars)];
    }
    let mut candidates = candidates(text, matches, options.max_chars);
    let core = |candidate: &Candidate| {
        matches[candidate.matches.start].range.start..matches[candidate.matches.end - 1].range.end
    };
    // The best candidate not overlapping those chosen, again and again: what taking them in order
    // of quality would choose (a candidate passed over overlaps a fragment for good), without
    // sorting them all, for a few fragments out of thousands of candidates.
    let mut chosen: Vec<Extent> = Vec::new();
    while chosen.len() < options.count {
        let best = candidates
            .iter()
            .enumerate()
            .filter(|(_, candidate)| {
                let core = core(candidate);
                !chosen
                    .iter()
                    .any(|taken| core.start < taken.range.end && taken.range.start < core.end)
            })
            .max_by_key(|(_, candidate)| {
                let quality = (candidate.distinct, candidate.matches.len());
                (quality, Reverse(candidate.matches.start))
            })
            .map(|(index, _)| index);
        let Some(best) = best else {
            break;
        };
        let candidate = candidates.swap_remove(best);
        let core = core(&candidate);
        let lower = chosen
            .iter()
            .map(|taken| taken.range.end)
            .filter(|&end| end <= core.start)
            .max()
            .unwrap_or(0);
        let upper = chosen
            .iter()
            .map(|taken| taken.range.start)
            .filter(|&start| start >= core.end)
            .min()
            .unwrap_or(text.len());
        let range = pad(text, core, lower..upper, options.max_chars);
        let range = drop_partial_matches(text, matches, &candidate.matches, range);
        // Every match inside the fragment is marked, not only the window's: padding may take in
        // matches on either side.
        let first = matches.partition_point(|m| m.range.end <= range.start);
        let end = matches.partition_point(|m| m.range.start < range.end);
        chosen.push(Extent {
            range,
            marks: first..end.max(first),
        });
    }
    chosen
}

/// The beginning of a text without matches: its first `max_chars` characters, blanks skipped.
fn beginning(text: &str, max_chars: usize) -> Extent {
    let start = text.len() - text.trim_start_matches(is_blank).len();
    let (hard_end, _) = advance(text, start, text.len(), max_chars);
    // A first word longer than the fragment is cut rather than nothing shown.
    let end = match snap_end(text, start, hard_end) {
        end if end == start => hard_end,
        end => end,
    };
    Extent {
        range: trim_blanks(text, start..end),
        marks: 0..0,
    }
}

/// For every match, the longest run of matches starting there that fits in `max_chars`, with its
/// count of distinct patterns. A single match wider than that is kept alone (and cut when padded).
/// Two pointers over the matches: linear in the matches.
fn candidates(text: &str, matches: &[Match], max_chars: usize) -> Vec<Candidate> {
    let columns = columns(text, matches, max_chars);
    let patterns = matches.iter().map(|m| m.pattern).max().map_or(0, |p| p + 1);
    let mut counts = vec![0usize; patterns];
    let mut distinct = 0;
    let mut end = 0;
    let mut candidates = Vec::with_capacity(matches.len());
    for first in 0..matches.len() {
        while end < matches.len()
            && (end == first || columns[end].end - columns[first].start <= max_chars)
        {
            let count = &mut counts[matches[end].pattern];
            distinct += usize::from(*count == 0);
            *count += 1;
            end += 1;
        }
        candidates.push(Candidate {
            matches: first..end,
            distinct,
        });
        let count = &mut counts[matches[first].pattern];
        *count -= 1;
        distinct -= usize::from(*count == 0);
    }
    candidates
}

/// The column (printed width of the text before it) of every match's start and end. Columns are
/// only ever compared within `max_chars` of each other, so once a gap between two positions is
/// wider than that, the rest of it is skipped: its width then counts as just over `max_chars`.
/// The cost is bounded by the matches and the fragment size, not by the length of the text.
/// Every gap is walked (up to `max_chars`), which makes this the hot loop for common words: ASCII
/// bytes are classified without decoding characters.
fn columns(text: &str, matches: &[Match], max_chars: usize) -> Vec<Range<usize>> {
    let mut counter = ColumnCounter {
        text,
        max_chars,
        column: 0,
        counted_to: 0,
        previous_blank: false,
    };
    matches
        .iter()
        .map(|m| counter.column_at(m.range.start)..counter.column_at(m.range.end))
        .collect()
}

/// The state of [`columns`]' walk through the text.
struct ColumnCounter<'t> {
    text: &'t str,
    max_chars: usize,
    /// The column of `counted_to`.
    column: usize,
    /// Where the walk has reached (a char boundary).
    counted_to: usize,
    /// Whether the character before `counted_to` is blank.
    previous_blank: bool,
}

/// Bytes of ASCII text [`ColumnCounter`] counts at once.
const CHUNK: usize = 16;

impl ColumnCounter<'_> {
    /// The column of `at` (not before `counted_to`), a gap wider than `max_chars` counted as just
    /// over it. ASCII text is counted up to [`CHUNK`] bytes at a time (the last chunk before `at`
    /// may be shorter: a match's own few bytes are one), other characters one by one.
    fn column_at(&mut self, at: usize) -> usize {
        let bytes = &self.text.as_bytes()[..at];
        let limit = self.column + self.max_chars;
        let (mut column, mut previous_blank, mut offset) =
            (self.column, self.previous_blank, self.counted_to);
        while offset < at && column <= limit {
            let end = at.min(offset + CHUNK);
            let chunk = &bytes[offset..end];
            // A whole chunk has a length known when compiled, which lets it be vectorized.
            let blanks = match <&[u8; CHUNK]>::try_from(chunk) {
                Ok(whole) => ascii_blanks(whole),
                Err(_) => ascii_blanks(chunk),
            };
            if let Some(blanks) = blanks {
                let len = end - offset;
                // A blank after a blank adds nothing.
                let after_blank = (blanks << 1) | u32::from(previous_blank);
                column += len - (blanks & after_blank).count_ones() as usize;
                previous_blank = (blanks >> (len - 1)) & 1 != 0;
                offset = end;
                continue;
            }
            let c = self.text[offset..].chars().next().unwrap_or_default();
            offset += c.len_utf8();
            let blank = is_blank(c);
            column += usize::from(!(blank && previous_blank));
            previous_blank = blank;
        }
        if offset < at {
            previous_blank = self.text[..at].chars().next_back().is_some_and(is_blank);
        }
        // A chunk may overshoot; the width of a gap is counted up to just over `max_chars`.
        self.column = column.min(limit + 1);
        self.previous_blank = previous_blank;
        self.counted_to = at;
        self.column
    }
}

/// When `chunk` (at most [`CHUNK`] bytes) is all ASCII, a mask of its blanks (bit `i` for byte
/// `i`). Written so that the compiler makes it a few vector instructions.
#[inline(always)]
fn ascii_blanks(chunk: &[u8]) -> Option<u32> {
    let mut blanks = 0;
    let mut high = 0;
    for (i, &byte) in chunk.iter().enumerate() {
        high |= byte;
        blanks |= u32::from(is_ascii_blank(byte)) << i;
    }
    high.is_ascii().then_some(blanks)
}

/// [`is_blank`] for an ASCII byte: whitespace and control characters.
fn is_ascii_blank(byte: u8) -> bool {
    byte <= b' ' || byte == 0x7f
}

/// The printed width of `c` after `previous`: a blank after a blank adds nothing.
fn width(previous: Option<char>, c: char) -> usize {
    usize::from(!(is_blank(c) && previous.is_some_and(is_blank)))
}

/// Grows `core` into a fragment of at most `max_chars` within `bounds`, context split evenly on
/// both sides, its edges moved off the middle of words. Costs O(`max_chars`) plus the core.
fn pad(text: &str, core: Range<usize>, bounds: Range<usize>, max_chars: usize) -> Range<usize> {
    let (mut core_end, core_width) = advance(text, core.start, core.end, max_chars);
    let clipped = core_end < core.end;
    if clipped {
        // A match wider than a fragment: show its beginning, cut between words if it can be.
        core_end = match snap_end(text, core.start, core_end) {
            end if end == core.start => core_end,
            end => end,
        };
    }
    let spare = max_chars - core_width;
    let (_, before) = retreat(text, core.start, bounds.start, spare / 2);
    let (end, after) = advance(text, core_end, bounds.end, spare - before);
    // Whatever one side cannot use, the other may.
    let (start, _) = retreat(text, core.start, bounds.start, spare - after);
    let start = snap_start(text, start, core.start);
    let end = if clipped {
        core_end
    } else {
        snap_end(text, core_end, end)
    };
    trim_blanks(text, start..end)
}

/// Moves the edges of `range` off matches it would cut, other than those of the window it was
/// grown from (a window's single match may be wider than a fragment and is then cut).
fn drop_partial_matches(
    text: &str,
    matches: &[Match],
    window: &Range<usize>,
    mut range: Range<usize>,
) -> Range<usize> {
    let first = matches.partition_point(|m| m.range.end <= range.start);
    if let Some(m) = matches.get(first) {
        if m.range.start < range.start && !window.contains(&first) {
            range.start = m.range.end.min(range.end);
        }
    }
    let last = matches.partition_point(|m| m.range.start < range.end);
    if let Some(index) = last.checked_sub(1) {
        let m = &matches[index];
        if m.range.end > range.end && !window.contains(&index) {
            range.end = m.range.start.max(range.start);
        }
    }
    trim_blanks(text, range)
}

/// Shrinks `range` so it neither starts nor ends with a blank.
fn trim_blanks(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start_matches(is_blank).len());
    let end = range.end - (slice.len() - slice.trim_end_matches(is_blank).len());
    start..end.max(start)
}

/// Walks forward from `from`, not past `limit`, taking at most `budget` of width: the byte offset
/// reached and the width taken.
fn advance(text: &str, from: usize, limit: usize, budget: usize) -> (usize, usize) {
    let mut previous = text[..from].chars().next_back();
    let mut taken = 0;
    for (offset, c) in text[from..limit].char_indices() {
        let w = width(previous, c);
        if taken + w > budget {
            return (from + offset, taken);
        }
        taken += w;
        previous = Some(c);
    }
    (limit, taken)
}

/// Walks back from `from`, not before `limit`, taking at most `budget` of width: the byte offset
/// reached and the width taken.
fn retreat(text: &str, from: usize, limit: usize, budget: usize) -> (usize, usize) {
    let mut taken = 0;
    let mut at = from;
    let mut chars = text[..at].char_indices().rev().peekable();
    while let Some((offset, c)) = chars.next() {
        if offset < limit {
            break;
        }
        let previous = chars.peek().map(|&(_, p)| p);
        let w = width(previous, c);
        if taken + w > budget {
            break;
        }
        taken += w;
        at = offset;
    }
    (at, taken)
}

/// Moves a fragment's start forward, but not past `limit`, so it does not begin mid-word.
fn snap_start(text: &str, start: usize, limit: usize) -> usize {
    text[start..limit]
        .char_indices()
        .map(|(offset, _)| start + offset)
        .find(|&at| can_cut(text, at))
        .unwrap_or(limit)
}

/// Moves a fragment's end back, but not before `limit`, so it does not end mid-word.
fn snap_end(text: &str, limit: usize, end: usize) -> usize {
    if can_cut(text, end) {
        return end;
    }
    text[limit..end]
        .char_indices()
        .rev()
        .map(|(offset, _)| limit + offset)
        .find(|&at| can_cut(text, at))
        .unwrap_or(limit)
}

/// True when a fragment may begin or end at byte offset `at` (a char boundary): not between two
/// word characters, nor before a character that modifies the one before it (a combining accent,
/// an emoji's skin tone) or after a zero-width joiner.
fn can_cut(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) => {
            let inside_word = is_word_char(b) && is_word_char(a);
            !(inside_word || extends_previous(a) || b == '\u{200D}')
        }
        _ => true,
    }
}

/// What a fragment keeps whole for display: the characters that continue a token, and `_`, so
/// `snake_case` names are not cut. Ideographs and kana are excluded: a fragment may begin or end
/// between any two of them, or a sentence would be one long word.
fn is_word_char(c: char) -> bool {
    continues_token(c) || c == '_'
}

/// Characters that belong with the one before them: combining marks, joiners, variation
/// selectors, emoji modifiers and tags.
fn extends_previous(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`columns`] computes, a character at a time: each gap's width, up to just over
    /// `max_chars`.
    fn columns_by_chars(text: &str, matches: &[Match], max_chars: usize) -> Vec<Range<usize>> {
        let mut column = 0;
        let mut counted_to = 0;
        let mut previous = None;
        let mut column_at = |at: usize| {
            let mut gap = 0;
            for c in text[counted_to..at].chars() {
                gap += width(previous, c);
                previous = Some(c);
            }
            column += gap.min(max_chars + 1);
            counted_to = at;
            column
        };
        matches
            .iter()
            .map(|m| column_at(m.range.start)..column_at(m.range.end))
            .collect()
    }

    #[test]
    fn ascii_blanks_are_blanks() {
        for byte in 0..=127u8 {
            assert_eq!(is_ascii_blank(byte), is_blank(char::from(byte)), "{byte}");
        }
    }

    #[test]
    fn a_blank_after_a_chunk_counts_unless_the_chunk_ends_blank() {
        let text = "aaaaaaaaaaaaaa b c";
        let at = |start: usize| {
            [Match {
                range: start..start + 1,
                pattern: 0,
            }]
        };
        assert_eq!(columns(text, &at(17), 64)[0], 17..18);
        let text = "aaaaaaaaaaaaaaa  c";
        assert_eq!(columns(text, &at(17), 64)[0], 16..17);
    }

    proptest! {
        #[test]
        fn columns_count_as_characters_do(
            text in "([a-z]{1,20}|[ \t\n]{1,3}|[ ]{16,40}|\u{0}|é|\u{3000}|猫|\u{85}){0,80}",
            cuts in proptest::collection::vec(0usize..10_000, 0..8),
            max_chars in 1usize..80,
        ) {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(offset, _)| offset)
                .chain([text.len()])
                .collect();
            let mut cuts: Vec<usize> = cuts.iter().map(|cut| boundaries[cut % boundaries.len()]).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let matches: Vec<Match> = cuts
                .chunks_exact(2)
                .map(|pair| Match { range: pair[0]..pair[1], pattern: 0 })
                .collect();
            prop_assert_eq!(
                columns(&text, &matches, max_chars),
                columns_by_chars(&text, &matches, max_chars)
            );
        }
    }
}
