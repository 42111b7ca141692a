//! The tag scanner and text builder shared by the HTML, XML and EPUB extractors: one lenient
//! pass over markup that yields text, tags and CDATA, skips comments, doctypes and processing
//! instructions, and never fails, whatever the input.
//!
//! It is not a validating parser: it keeps no element tree and accepts unclosed, misnested or
//! uppercase tags and stray `<`, as browsers do. Each extractor decides what the tags mean.

use memchr::{memchr, memchr3, memmem};

mod text;

pub use text::{decode_entities, source_text, title, Gap, TextBuilder, Whitespace};

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
                Some(b'!') if self.starts_with_at(after, b"!doctype") => {
                    match doctype_len(&bytes[lt..]) {
                        Some(len) => self.position = lt + len,
                        None => {
                            self.skip_past(after, b">");
                        }
                    }
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
            doctype_len(rest)
        } else {
            return rest;
        };
        match end {
            Some(end) => rest = &rest[end..],
            None => return rest,
        }
    }
}

/// The length of the document type declaration `bytes` starts with (`<!DOCTYPE`), its closing
/// `>` included; `None` when it does not end. Quoted strings, an internal subset in `[...]` and
/// the comments in it may all hold a `>`: the whole declaration is skipped, its entities
/// declared and never expanded, its words never text.
fn doctype_len(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut in_subset = false;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'"' | b'\'') => at += 1 + memchr(quote, &bytes[at + 1..])?,
            b'<' if bytes[at..].starts_with(b"<!--") => {
                at += memmem::find(&bytes[at..], b"-->")? + 2;
            }
            b'[' => in_subset = true,
            b']' => in_subset = false,
            b'>' if !in_subset => return Some(at + 1),
            _ => {}
        }
        at += 1;
    }
    None
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
    fn a_doctypes_internal_subset_is_skipped_whole() {
        let found = tokens(
            "<!DOCTYPE svg [\n<!ENTITY lol 'a > b'>\n<!-- ] > ' -->\n<!ENTITY x \"]>\">\n]>t &lol;",
        );
        assert_eq!(found, [Token::Text("t &lol;")]);
        // One that never ends is skipped up to its first `>`, as before.
        assert_eq!(tokens("<!DOCTYPE x 'open>t"), [Token::Text("t")]);
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

    proptest::proptest! {
        /// Whatever the markup, scanning and building text never panics (no slicing inside a
        /// character) and the text has no trailing whitespace.
        #[test]
        fn any_markup_scans(source in "([<>&/!?=\"' \n#;x]|[a-c]|é|--|CDATA\\[|]]|amp|pre){0,40}") {
            let mut scanner = Scanner::new(&source);
            let mut text = TextBuilder::new(Whitespace::KeepLines);
            while let Some(token) = scanner.next() {
                match token {
                    Token::Text(raw) => text.text(raw),
                    Token::Cdata(raw) => text.verbatim(raw),
                    Token::Start(tag) => {
                        let _ = tag.attribute("a");
                        text.literal(scanner.raw_text(tag.name));
                    }
                    Token::End(_) => text.gap(Gap::Line),
                }
            }
            let text = text.finish();
            proptest::prop_assert_eq!(text.trim_end(), &text);
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
    fn prologue_is_skipped() {
        let head = b"\xEF\xBB\xBF <?xml version='1.0'?>\n<!-- c --><!DOCTYPE svg><svg>";
        let subset = b"<!DOCTYPE svg [<!ENTITY a 'x > y'><!-- ] > --><!ENTITY b \"]>\">]>\n<svg>";
        assert!(skip_prologue(subset, true).starts_with(b"<svg"));
        assert_eq!(skip_prologue(head, true), b"<svg>");
        assert!(skip_prologue(head, false).starts_with(b"<!DOCTYPE"));
    }
}
