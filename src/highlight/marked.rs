//! A fragment as marked and unmarked pieces of text: what the highlighter returns. How it prints
//! (tags, escaping, colour) is for the renderers to say.

use std::ops::Range;

/// A piece of text, marked (a query match) or not. The text is the document's own, with runs of
/// whitespace and control characters collapsed to one space; it is not escaped.
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
    /// Byte offset in the whole text where the fragment begins, to tell its line and page.
    pub start: usize,
}

impl MarkedText {
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

    /// Cuts `range` out of `text`, marking the parts covered by `marks` (sorted, non-overlapping;
    /// parts outside `range` are ignored). Linear in the length of `range` plus the marks.
    pub fn cut(text: &str, range: Range<usize>, marks: &[Range<usize>]) -> MarkedText {
        let mut marked = MarkedText {
            pieces: Vec::new(),
            start: range.start,
        };
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

    /// Appends `text` as a piece, each run of blanks (whitespace, control characters) as one space,
    /// merging it with the last piece when both are alike.
    fn push(&mut self, text: &str, marked: bool) {
        let mut cleaned = String::with_capacity(text.len());
        let mut after_space = self
            .pieces
            .last()
            .is_some_and(|piece| piece.text.ends_with(' '));
        for c in text.chars() {
            if is_blank(c) {
                if !after_space {
                    cleaned.push(' ');
                }
                after_space = true;
            } else {
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

/// True for the characters a fragment shows as (part of) a single space: whitespace, and control
/// characters, which would otherwise glue the words around them together.
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}
