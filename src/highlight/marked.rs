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

    /// Where in `text`, the text this was cut from, its first marked piece begins (its start
    /// when nothing is marked). Pieces show each run of blanks as one space, so they are walked
    /// back over the text.
    pub fn first_mark_in(&self, text: &str) -> usize {
        let mut rest = text.get(self.start..).unwrap_or_default();
        for piece in &self.pieces {
            // A run of blanks may have been dropped at a piece's start, and one shows as ' '.
            rest = rest.trim_start_matches(is_blank);
            if piece.marked {
                return text.len() - rest.len();
            }
            for c in piece.text.chars().filter(|c| *c != ' ') {
                rest = rest.trim_start_matches(is_blank);
                match rest.strip_prefix(c) {
                    Some(after) => rest = after,
                    None => return self.start,
                }
            }
        }
        self.start
    }

    /// This text without its first characters when they show `prefix` (blanks collapsed as
    /// pieces collapse them), marks kept: a path shown under a folder named elsewhere. `None`
    /// when the text does not start with `prefix`.
    pub fn strip_prefix(&self, prefix: &str) -> Option<MarkedText> {
        let shown = MarkedText::cut(prefix, 0..prefix.len(), &[]).plain();
        if !self.plain().starts_with(&shown) {
            return None;
        }
        let mut skip = shown.len();
        let mut pieces = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            if skip >= piece.text.len() {
                skip -= piece.text.len();
                continue;
            }
            pieces.push(Piece {
                // A boundary of characters: `shown` is a prefix of the pieces' text.
                text: piece.text[skip..].to_string(),
                marked: piece.marked,
            });
            skip = 0;
        }
        Some(MarkedText {
            pieces,
            start: self.start + prefix.len(),
        })
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
    /// merging it with the last piece when both are alike. Runs of printable ASCII are copied
    /// whole; other characters are looked at one by one.
    fn push(&mut self, text: &str, marked: bool) {
        let mut cleaned = String::with_capacity(text.len());
        let mut after_space = self
            .pieces
            .last()
            .is_some_and(|piece| piece.text.ends_with(' '));
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let printable = rest
                .bytes()
                .position(|byte| !byte.is_ascii_graphic())
                .unwrap_or(rest.len());
            if printable > 0 {
                cleaned.push_str(&rest[..printable]);
                after_space = false;
                rest = &rest[printable..];
                continue;
            }
            rest = &rest[c.len_utf8()..];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_mark_is_found_back_in_the_text_despite_collapsed_blanks() {
        let text = "end of page\u{c}\n\n  Next   page: the\tlamp is lit";
        let lamp = text.find("lamp").unwrap();
        let lamp_mark = lamp..lamp + 4;
        let fragment = MarkedText::cut(text, 4..text.len(), std::slice::from_ref(&lamp_mark));
        assert_eq!(fragment.plain(), "of page Next page: the lamp is lit");
        assert_eq!(fragment.first_mark_in(text), lamp);
        let unmarked = MarkedText::cut(text, 4..20, &[]);
        assert_eq!(unmarked.first_mark_in(text), 4);
    }

    #[test]
    fn a_prefix_is_stripped_with_the_marks_after_it() {
        let path = "/home/a  b/docs/notes.txt";
        let notes = path.find("notes").unwrap();
        let marked = MarkedText::cut(
            path,
            0..path.len(),
            std::slice::from_ref(&(notes..notes + 5)),
        );
        let under = marked.strip_prefix("/home/a  b/").expect("the prefix");
        assert_eq!(under.plain(), "docs/notes.txt");
        assert_eq!(under.pieces[1].text, "notes");
        assert!(under.pieces[1].marked);
        assert_eq!(marked.strip_prefix("/home/b/"), None);
    }

    proptest::proptest! {
        /// Pieces show the text a character at a time: each run of blanks as one space, also
        /// across a mark's edges.
        #[test]
        fn pieces_collapse_blanks_as_characters_do(
            text in "([a-z]{1,4}|[ \t\n\u{c}\u{7f}\u{85}\u{a0}\u{3000}]|é|猫|[.,~]){0,40}",
            cut in 0usize..40,
        ) {
            let mut collapsed = String::new();
            for c in text.chars() {
                if !is_blank(c) {
                    collapsed.push(c);
                } else if !collapsed.ends_with(' ') {
                    collapsed.push(' ');
                }
            }
            let at = text.char_indices().map(|(at, _)| at).nth(cut).unwrap_or(text.len());
            let mark = at..text.len();
            let marked = MarkedText::cut(&text, 0..text.len(), std::slice::from_ref(&mark));
            proptest::prop_assert_eq!(marked.plain(), collapsed);
        }

        /// Stripping a prefix leaves the text after it, its marks where they were.
        #[test]
        fn stripping_a_prefix_leaves_the_rest(
            prefix in "([a-z]{1,3}|[ /]|é|\t){0,8}",
            rest in "([a-z]{1,3}|[ /]|猫|\n){0,8}",
            mark in 0usize..16,
        ) {
            let text = format!("{prefix}{rest}");
            let at = text.char_indices().map(|(at, _)| at).nth(mark).unwrap_or(text.len());
            let marked = MarkedText::cut(&text, 0..text.len(), std::slice::from_ref(&(at..text.len())));
            let stripped = marked.strip_prefix(&prefix).expect("the text starts with it");
            let shown = MarkedText::cut(&prefix, 0..prefix.len(), &[]).plain();
            proptest::prop_assert_eq!(stripped.plain(), marked.plain()[shown.len()..].to_string());
            let marked_text = |text: &MarkedText| text.pieces.iter().filter(|piece| piece.marked)
                .map(|piece| piece.text.clone()).collect::<String>();
            proptest::prop_assert!(marked_text(&marked).ends_with(&marked_text(&stripped)));
        }
    }
}
