//! The tag scanner and text builder shared by the HTML, XML and EPUB extractors: one lenient
//! pass over markup that yields text, tags and CDATA, skips comments, doctypes and processing
//! instructions, and never fails, whatever the input.
//!
//! It is not a validating parser: it keeps no element tree and accepts unclosed, misnested or
//! uppercase tags and stray `<`, as browsers do. Each extractor decides what the tags mean.

use std::borrow::Cow;

use memchr::{memchr, memchr3, memmem};

/// One piece of markup, borrowed from the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// Character data, entities not yet decoded.
    Text(&'a str),
    /// The content of a `<![CDATA[...]]>` section: literal text.
    Cdata(&'a str),
    /// A start tag, or an empty-element tag (`<br/>`).
    Start(Tag<'a>),
    /// An end tag's name.
    End(&'a str),
}

/// A start tag: its name and its attributes, unparsed until asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The name as written (case and prefix kept).
    pub name: &'a str,
    attributes: &'a str,
    /// True for `<name .../>`.
    pub self_closing: bool,
}

impl<'a> Tag<'a> {
    /// The value of the attribute called `name` (ASCII case ignored), entities decoded.
    pub fn attribute(&self, name: &str) -> Option<String> {
        let mut rest = self.attributes;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let (attribute, after) = rest.split_at(name_end);
            let after = after.trim_start();
            let (value, after) = match after.strip_prefix('=') {
                Some(value) => attribute_value(value.trim_start()),
                None => ("", after),
            };
            if attribute.eq_ignore_ascii_case(name) {
                let mut decoded = String::new();
                decode_entities(value, &mut decoded);
                return Some(decoded);
            }
            rest = after;
        }
    }
}

/// Splits `text` (just after `=`) into an attribute value, quoted or not, and what follows it.
fn attribute_value(text: &str) -> (&str, &str) {
    match text.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => match memchr(quote, &text.as_bytes()[1..]) {
            Some(end) => (&text[1..end + 1], &text[end + 2..]),
            None => (&text[1..], ""),
        },
        _ => text.split_at(
            text.find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(text.len()),
        ),
    }
}

/// The local part of a name: `title` for `dc:title`.
pub fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// The tokens of a markup document, in order.
pub struct Scanner<'a> {
    source: &'a str,
    position: usize,
}

impl<'a> Scanner<'a> {
    /// Scans `source` from its start.
    pub fn new(source: &'a str) -> Self {
        Scanner {
            source,
            position: 0,
        }
    }

    /// Everything up to the end tag `</name` (ASCII case ignored), which is consumed too; the
    /// rest of the source when there is none. Reads the content of elements whose text is not
    /// markup, such as `<script>`, `<style>` and `<title>`.
    pub fn raw_text(&mut self, name: &str) -> &'a str {
        let bytes = self.source.as_bytes();
        let start = self.position;
        for at in memmem::find_iter(&bytes[start..], b"</").map(|at| start + at) {
            let name_end = at + 2 + name.len();
            let named = bytes
                .get(at + 2..name_end)
                .is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes()));
            let ends = bytes
                .get(name_end)
                .is_none_or(|&next| next == b'>' || next == b'/' || next.is_ascii_whitespace());
            if named && ends {
                self.position =
                    memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |end| name_end + end + 1);
                return &self.source[start..at];
            }
        }
        self.position = bytes.len();
        &self.source[start..]
    }

    /// Whether the source at `at` starts with `prefix` (ASCII case ignored).
    fn starts_with_at(&self, at: usize, prefix: &[u8]) -> bool {
        self.source
            .as_bytes()
            .get(at..at + prefix.len())
            .is_some_and(|found| found.eq_ignore_ascii_case(prefix))
    }

    /// Moves past the first `end` at or after `from` (to the end of the source when there is
    /// none) and returns where `end` started.
    fn skip_past(&mut self, from: usize, end: &[u8]) -> usize {
        let bytes = self.source.as_bytes();
        let found = memmem::find(&bytes[from..], end).map_or(bytes.len(), |at| from + at);
        self.position = (found + end.len()).min(bytes.len());
        found
    }

    /// The tag starting at `at` (just after `<`): its name and where it ends (just after `>`).
    fn tag_at(&self, at: usize) -> (Tag<'a>, usize) {
        let bytes = self.source.as_bytes();
        let name_end = bytes[at..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
            .map_or(bytes.len(), |end| at + end);
        // `>` inside a quoted attribute value does not end the tag; an unclosed quote is
        // ignored rather than allowed to swallow the rest of the document.
        let mut cursor = name_end;
        let close = loop {
            match memchr3(b'>', b'"', b'\'', &bytes[cursor..]).map(|found| cursor + found) {
                Some(found) if bytes[found] == b'>' => break Some(found),
                Some(quote) => match memchr(bytes[quote], &bytes[quote + 1..]) {
                    Some(end) => cursor = quote + 1 + end + 1,
                    None => break memchr(b'>', &bytes[name_end..]).map(|end| name_end + end),
                },
                None => break None,
            }
        };
        let close = close.unwrap_or(bytes.len());
        let self_closing = close > name_end && bytes[close - 1] == b'/';
        let tag = Tag {
            name: &self.source[at..name_end],
            attributes: &self.source[name_end..close],
            self_closing,
        };
        (tag, (close + 1).min(bytes.len()))
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.source.as_bytes();
        loop {
            let start = self.position;
            if start >= bytes.len() {
                return None;
            }
            let Some(lt) = memchr(b'<', &bytes[start..]).map(|at| start + at) else {
                self.position = bytes.len();
                return Some(Token::Text(&self.source[start..]));
            };
            if lt > start {
                self.position = lt;
                return Some(Token::Text(&self.source[start..lt]));
            }
            let after = lt + 1;
            match bytes.get(after) {
                Some(b'!') if self.starts_with_at(after, b"!--") => {
                    self.skip_past(after + 3, b"-->");
                }
                Some(b'!') if self.starts_with_at(after, b"![CDATA[") => {
                    let content = after + 8;
                    let end = self.skip_past(content, b"]]>");
                    return Some(Token::Cdata(&self.source[content..end]));
                }
                Some(b'!' | b'?') => {
                    self.skip_past(after, b">");
                }
                Some(b'/') => {
                    let (tag, end) = self.tag_at(after + 1);
                    self.position = end;
                    if !tag.name.is_empty() {
                        return Some(Token::End(tag.name));
                    }
                }
                Some(first) if first.is_ascii_alphabetic() => {
                    let (tag, end) = self.tag_at(after);
                    self.position = end;
                    return Some(Token::Start(tag));
                }
                // A `<` that opens no tag is text.
                _ => {
                    self.position = after;
                    return Some(Token::Text(&self.source[lt..after]));
                }
            }
        }
    }
}

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

/// `head` without a leading byte order mark, whitespace, XML declaration, comments and (when
/// `doctype`) document type declaration: where a markup file's first element starts.
pub fn skip_prologue(head: &[u8], doctype: bool) -> &[u8] {
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        rest = rest.trim_ascii_start();
        let end = if rest.starts_with(b"<?") {
            memmem::find(rest, b"?>").map(|end| end + 2)
        } else if rest.starts_with(b"<!--") {
            memmem::find(rest, b"-->").map(|end| end + 3)
        } else if doctype && starts_with_ignore_case(rest, b"<!doctype") {
            memchr(b'>', rest).map(|end| end + 1)
        } else {
            return rest;
        };
        match end {
            Some(end) => rest = &rest[end..],
            None => return rest,
        }
    }
}

/// True when `bytes` starts with `prefix`, ASCII case ignored.
pub fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> Vec<Token<'_>> {
        Scanner::new(source).collect()
    }

    #[test]
    fn scans_text_tags_and_cdata_and_skips_the_rest() {
        let found =
            tokens("<!DOCTYPE x><?pi x?>a<!-- <b> -->b<P class='x>y'>c</P ><![CDATA[<d>]]><br/>");
        assert_eq!(found.len(), 7, "{found:?}");
        assert_eq!(found[0], Token::Text("a"));
        assert_eq!(found[1], Token::Text("b"));
        let Token::Start(p) = found[2] else { panic!() };
        assert_eq!((p.name, p.self_closing), ("P", false));
        assert_eq!(p.attribute("CLASS").as_deref(), Some("x>y"));
        assert_eq!(found[3], Token::Text("c"));
        assert_eq!(found[4], Token::End("P"));
        assert_eq!(found[5], Token::Cdata("<d>"));
        let Token::Start(br) = found[6] else { panic!() };
        assert!(br.self_closing);
    }

    #[test]
    fn a_stray_lt_is_text_and_broken_ends_do_not_panic() {
        assert_eq!(
            tokens("a < b <3"),
            [
                Token::Text("a "),
                Token::Text("<"),
                Token::Text(" b "),
                Token::Text("<"),
                Token::Text("3")
            ]
        );
        for broken in [
            "<",
            "<a",
            "<a href='x",
            "</",
            "<!--",
            "<![CDATA[x",
            "<?x",
            "</>",
            "<a b=\"c>d",
        ] {
            let _ = tokens(broken);
        }
    }

    #[test]
    fn attributes_quoted_unquoted_and_bare() {
        let source = r#"<item id=c1 hidden href="a%20b.xhtml" media-type='x&amp;y'/>"#;
        let Some(Token::Start(tag)) = Scanner::new(source).next() else {
            panic!()
        };
        assert_eq!(tag.attribute("id").as_deref(), Some("c1"));
        assert_eq!(tag.attribute("hidden").as_deref(), Some(""));
        assert_eq!(tag.attribute("href").as_deref(), Some("a%20b.xhtml"));
        assert_eq!(tag.attribute("media-type").as_deref(), Some("x&y"));
        assert_eq!(tag.attribute("missing"), None);
    }

    #[test]
    fn raw_text_runs_to_its_end_tag_whatever_it_holds() {
        let mut scanner = Scanner::new("<script>if (a</b) x = '</scriptx>';</SCRIPT >after");
        assert!(matches!(scanner.next(), Some(Token::Start(_))));
        assert_eq!(scanner.raw_text("script"), "if (a</b) x = '</scriptx>';");
        assert_eq!(scanner.next(), Some(Token::Text("after")));
        let mut unclosed = Scanner::new("<style>p {}");
        unclosed.next();
        assert_eq!(unclosed.raw_text("style"), "p {}");
        assert_eq!(unclosed.next(), None);
    }

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

    #[test]
    fn prologue_is_skipped() {
        let head = b"\xEF\xBB\xBF <?xml version='1.0'?>\n<!-- c --><!DOCTYPE svg><svg>";
        assert_eq!(skip_prologue(head, true), b"<svg>");
        assert!(skip_prologue(head, false).starts_with(b"<!DOCTYPE"));
    }
}
