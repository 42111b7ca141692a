//! Text from markup: character references decoded, whitespace collapsed, gaps between
//! elements as wide as their kinds ask for.

use std::borrow::Cow;

use memchr::memchr;

/// Appends `text` to `out` with its character references decoded: named (`&mdash;`, the HTML5
/// table, which includes XML's five), decimal (`&#8212;`) and hexadecimal (`&#x2014;`).
/// A named reference needs its `;`; anything that is not a reference stays as written.
pub fn decode_entities(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_reference(rest) {
            Some((decoded, length)) => {
                match decoded {
                    Decoded::Char(c) => out.push(c),
                    Decoded::Str(s) => out.push_str(s),
                }
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// What a character reference stands for.
enum Decoded {
    Char(char),
    Str(&'static str),
}

/// The reference at the start of `text` (which starts with `&`) and its length in bytes.
fn decode_reference(text: &str) -> Option<(Decoded, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (radix, digits_start) = match bytes.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let digits = bytes[digits_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || (radix == 16 && b.is_ascii_hexdigit()))
            .count();
        if digits == 0 {
            return None;
        }
        let end = digits_start + digits;
        let value = u32::from_str_radix(&text[digits_start..end], radix).unwrap_or(u32::MAX);
        // As browsers do: a missing `;` is forgiven, a code point that cannot be is replaced.
        let c = char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        let length = end + usize::from(bytes.get(end) == Some(&b';'));
        return Some((Decoded::Char(c), length));
    }
    // The longest named reference, `&CounterClockwiseContourIntegral;`, has 31 letters.
    let name_length = bytes[1..]
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if bytes.get(1 + name_length) != Some(&b';') {
        return None;
    }
    let name = &bytes[1..1 + name_length];
    let entities = &html_escape::NAMED_ENTITIES;
    let index = entities
        .binary_search_by(|(entity, _)| entity.cmp(&name))
        .ok()?;
    Some((Decoded::Str(entities[index].1), name_length + 2))
}

/// Space to put between two pieces of text; the widest one asked for between them wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gap {
    /// Nothing: the pieces join into one word.
    None,
    /// A space.
    Space,
    /// A line break.
    Line,
}

/// How the whitespace in text is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whitespace {
    /// Every run of whitespace is one space (HTML).
    Collapse,
    /// A run of whitespace holding a line break is one line break, any other run one space
    /// (XML, whose line structure is the author's).
    KeepLines,
}

/// Builds the text of a document from its pieces: entities decoded, whitespace collapsed, no
/// whitespace at its start or end.
pub struct TextBuilder {
    text: String,
    gap: Gap,
    whitespace: Whitespace,
}

impl TextBuilder {
    /// An empty text whose whitespace is treated as `whitespace` says.
    pub fn new(whitespace: Whitespace) -> Self {
        TextBuilder {
            text: String::new(),
            gap: Gap::None,
            whitespace,
        }
    }

    /// Asks for at least `gap` before the next text.
    pub fn gap(&mut self, gap: Gap) {
        self.gap = self.gap.max(gap);
    }

    /// Adds character data, its entities decoded and its whitespace collapsed.
    pub fn text(&mut self, raw: &str) {
        if raw.contains('&') {
            let mut decoded = String::with_capacity(raw.len());
            decode_entities(raw, &mut decoded);
            self.literal(&decoded);
        } else {
            self.literal(raw);
        }
    }

    /// Adds text whose whitespace is collapsed but whose `&` is a literal ampersand (CDATA).
    pub fn literal(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let word_end = bytes[at..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(bytes.len(), |end| at + end);
            if word_end > at {
                self.flush_gap();
                self.text.push_str(&text[at..word_end]);
            }
            let space_end = bytes[word_end..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(bytes.len(), |end| word_end + end);
            if space_end > word_end {
                let breaks = self.whitespace == Whitespace::KeepLines
                    && memchr(b'\n', &bytes[word_end..space_end]).is_some();
                self.gap(if breaks { Gap::Line } else { Gap::Space });
            }
            at = space_end;
        }
    }

    /// Adds preformatted text as it is, entities decoded, apart from carriage returns and line
    /// breaks that would start a line (such as the one just after `<pre>`).
    pub fn verbatim(&mut self, raw: &str) {
        let mut decoded = String::with_capacity(raw.len());
        decode_entities(raw, &mut decoded);
        let decoded = decoded.replace('\r', "");
        let starts_line =
            self.gap == Gap::Line || self.text.is_empty() || self.text.ends_with('\n');
        let decoded = if starts_line {
            decoded.trim_start_matches('\n')
        } else {
            &decoded
        };
        if !decoded.is_empty() {
            self.flush_gap();
            self.text.push_str(decoded);
        }
    }

    /// The text built, without trailing whitespace.
    pub fn finish(mut self) -> String {
        self.text.truncate(self.text.trim_end().len());
        self.text
    }

    /// The text built, or `None` when it is empty: a title.
    pub fn finish_title(self) -> Option<String> {
        Some(self.finish()).filter(|title| !title.is_empty())
    }

    /// Writes the gap asked for, unless the text is empty or already ends with it.
    fn flush_gap(&mut self) {
        let gap = std::mem::replace(&mut self.gap, Gap::None);
        let last = self.text.as_bytes().last().copied();
        match (gap, last) {
            (Gap::None, _) | (_, None) | (_, Some(b'\n')) => {}
            (Gap::Space, Some(b' ')) => {}
            (Gap::Space, _) => self.text.push(' '),
            (Gap::Line, _) => {
                self.text.truncate(self.text.trim_end_matches(' ').len());
                self.text.push('\n');
            }
        }
    }
}

/// The title that the character data `raw` spells: entities decoded, whitespace collapsed,
/// `None` when empty.
pub fn title(raw: &str) -> Option<String> {
    let mut title = TextBuilder::new(Whitespace::Collapse);
    title.text(raw);
    title.finish_title()
}

/// The text of a markup file's bytes: UTF-8 without its byte order mark, invalid sequences
/// replaced. (Documents in legacy encodings come out with replacement characters.)
pub fn source_text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_decimal_and_hex_references() {
        let mut out = String::new();
        decode_entities(
            "a&nbsp;b &mdash; &#8212;&#x2014;&#X41 &amp;&lt;&apos; &bogus; & &#; &#0;",
            &mut out,
        );
        assert_eq!(out, "a\u{a0}b — ——A &<' &bogus; & &#; \u{fffd}");
    }

    #[test]
    fn builder_collapses_whitespace_and_keeps_the_widest_gap() {
        let mut text = TextBuilder::new(Whitespace::Collapse);
        text.text("  one \n two ");
        text.gap(Gap::Line);
        text.text("three");
        text.text("four&amp;");
        text.gap(Gap::Space);
        text.literal("a&amp;b  ");
        assert_eq!(text.finish(), "one two\nthreefour& a&amp;b");

        let mut lines = TextBuilder::new(Whitespace::KeepLines);
        lines.text("one  two\n  three");
        assert_eq!(lines.finish(), "one two\nthree");
    }
}
