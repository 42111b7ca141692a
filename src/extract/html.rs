//! HTML and XHTML: the text a browser would show, one line per block element, and the
//! `<title>`. Scripts, styles, the rest of `<head>`, comments and attributes are left out, and so
//! is the chrome documentation generators add to every page: the `¶` permalinks after headings
//! (Sphinx, MkDocs) and the `»`, `|` between breadcrumb and navigation links.

use super::markup::{self, Gap, Scanner, Tag, TextBuilder, Token, Whitespace};
use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format};

/// HTML and XHTML pages.
pub const HTML: Format = Format {
    kind: DocumentType::Html,
    extensions: &["html", "htm", "xhtml"],
    magic: is_html,
    binary: false,
    extract: super::Reader::Document(extract),
};

/// True when `head` opens an HTML document: `<!doctype html` or `<html`, after any byte order
/// mark, whitespace, XML declaration and comments.
fn is_html(head: &[u8]) -> bool {
    let start = markup::skip_prologue(head, false);
    markup::starts_with_ignore_case(start, b"<!doctype html")
        || markup::starts_with_ignore_case(start, b"<html")
}

fn extract(bytes: &[u8], _options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    Ok(page_text(bytes))
}

/// The text and title of the HTML page in `bytes` (also the text of an e-mail's HTML body).
pub(super) fn page_text(bytes: &[u8]) -> Extracted {
    to_text(&markup::source_text(bytes))
}

/// What an element means for the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Element {
    /// Its content is code, not text: `<script>`, `<style>`.
    Hidden,
    /// `<title>`: the document's title, not part of its text.
    Title,
    /// `<head>`: nothing in it but the title is text.
    Head,
    /// May only appear in `<head>`, so it does not end it: `<meta>`, `<link>`, `<base>`.
    HeadOnly,
    /// `<body>`: ends the head.
    Body,
    /// `<pre>`: its line breaks and spaces are kept.
    Pre,
    /// Starts and ends a line: paragraphs, headings, list items, table cells, `<br>`...
    Block,
    /// Anything else, known or not, flows within a line: `foo<b>bar</b>` is one word.
    Inline,
}

impl Element {
    /// The element called `name`, whatever its case.
    fn named(name: &str) -> Element {
        // Element names are short: anything longer than the buffer is no element listed here.
        let mut buffer = [0u8; 12];
        let Some(lower) = buffer.get_mut(..name.len()) else {
            return Element::Inline;
        };
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        match &*lower {
            b"script" | b"style" => Element::Hidden,
            b"title" => Element::Title,
            b"head" => Element::Head,
            b"meta" | b"link" | b"base" => Element::HeadOnly,
            b"body" => Element::Body,
            b"pre" | b"listing" | b"xmp" => Element::Pre,
            b"address" | b"article" | b"aside" | b"blockquote" | b"br" | b"caption" | b"center"
            | b"dd" | b"details" | b"dialog" | b"div" | b"dl" | b"dt" | b"fieldset"
            | b"figcaption" | b"figure" | b"footer" | b"form" | b"h1" | b"h2" | b"h3" | b"h4"
            | b"h5" | b"h6" | b"header" | b"hgroup" | b"hr" | b"html" | b"legend" | b"li"
            | b"main" | b"menu" | b"nav" | b"ol" | b"option" | b"p" | b"section" | b"summary"
            | b"table" | b"tbody" | b"td" | b"tfoot" | b"th" | b"thead" | b"tr" | b"ul" => {
                Element::Block
            }
            _ => Element::Inline,
        }
    }
}

/// True for a heading's permalink, `<a class="headerlink">¶</a>`: a link to the heading, drawn
/// by the documentation generator, not text of the page.
fn is_permalink(tag: &Tag) -> bool {
    tag.name.eq_ignore_ascii_case("a")
        && tag.attribute("class").is_some_and(|class| {
            class
                .split_ascii_whitespace()
                .any(|class| class == "headerlink")
        })
}

/// Characters that, alone between links, separate them (`Python » Library » logging`,
/// `modules | next`): navigation, not text.
const LINK_SEPARATORS: &[char] = &['»', '›', '→', '|', '·'];

/// True when the text between two tags, `raw`, is only link separators and blanks (written as
/// characters or as entities, `&#187;`).
fn is_link_separator(raw: &str) -> bool {
    // A separator is a few characters: longer text is never one, and is not decoded here.
    let raw = raw.trim_ascii();
    if raw.is_empty() || raw.len() > 24 {
        return false;
    }
    let mut decoded = String::new();
    markup::decode_entities(raw, &mut decoded);
    decoded
        .chars()
        .all(|c| c.is_whitespace() || LINK_SEPARATORS.contains(&c))
}

/// The text and title of the HTML document `source`.
pub fn to_text(source: &str) -> Extracted {
    let mut text = TextBuilder::new(Whitespace::Collapse);
    let mut title = None;
    let mut in_head = false;
    let mut pre_depth = 0u32;
    let mut scanner = Scanner::new(source);
    while let Some(token) = scanner.next() {
        match token {
            Token::Text(raw) if pre_depth == 0 && is_link_separator(raw) => {}
            Token::Text(raw) => {
                // Text in `<head>` ends it, as in browsers: a page that never closes its head
                // still has a body.
                if in_head && raw.trim_ascii().is_empty() {
                    continue;
                }
                in_head = false;
                if pre_depth > 0 {
                    text.verbatim(raw);
                } else {
                    text.text(raw);
                }
            }
            Token::Cdata(raw) => text.literal(raw),
            Token::Start(tag) if is_permalink(&tag) => {
                if !tag.self_closing {
                    scanner.raw_text(tag.name);
                }
            }
            Token::Start(tag) => match Element::named(tag.name) {
                Element::Hidden if !tag.self_closing => {
                    scanner.raw_text(tag.name);
                }
                Element::Title if !tag.self_closing => {
                    let raw = scanner.raw_text(tag.name);
                    title = title.or_else(|| markup::title(raw));
                }
                Element::Head => in_head = true,
                Element::HeadOnly | Element::Hidden | Element::Title => {}
                Element::Body | Element::Block => {
                    in_head = false;
                    text.gap(Gap::Line);
                }
                Element::Pre => {
                    in_head = false;
                    pre_depth += 1;
                    text.gap(Gap::Line);
                }
                Element::Inline => in_head = false,
            },
            Token::End(name) => match Element::named(name) {
                Element::Head => in_head = false,
                Element::Pre => {
                    pre_depth = pre_depth.saturating_sub(1);
                    text.gap(Gap::Line);
                }
                Element::Body | Element::Block => text.gap(Gap::Line),
                Element::Hidden | Element::Title | Element::HeadOnly | Element::Inline => {}
            },
        }
    }
    Extracted {
        text: text.finish(),
        title,
        date: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        to_text(source).text
    }

    #[test]
    fn leaves_out_scripts_styles_head_comments_and_attributes() {
        let page = r#"<!DOCTYPE html><html><head><meta charset="utf-8">
            <title>The  &amp; Title</title><style>p { color: red }</style>
            <script>var x = "<p>hidden</p>";</script><link rel=stylesheet href=x.css></head>
            <body class="headerlink"><!-- a comment --><p title="tooltip">Shown</p>
            <script type="text/javascript">alert(1)</script></body></html>"#;
        let extracted = to_text(page);
        assert_eq!(extracted.text, "Shown");
        assert_eq!(extracted.title.as_deref(), Some("The & Title"));
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            text("<p>a&nbsp;b &mdash; &#169; &#x263A; &lt;tag&gt; &amp;amp; &unknown; AT&T</p>"),
            "a\u{a0}b — © ☺ <tag> &amp; &unknown; AT&T"
        );
    }

    #[test]
    fn blocks_break_lines_and_inline_elements_do_not_break_words() {
        let page = "<h1>Head</h1><p>foo<b>bar</b> <a href=x>link</a>, <em>em</em></p>\
                    <ul><li>one<li>two</ul>line<br>next<table><tr><td>c1<td>c2</table>";
        assert_eq!(
            text(page),
            "Head\nfoobar link, em\none\ntwo\nline\nnext\nc1\nc2"
        );
    }

    #[test]
    fn collapses_whitespace_but_keeps_preformatted_lines() {
        let page =
            "<p>  spread \n\t out  </p><pre>\nfn main() {\n    x &lt; 1;\n}\n</pre><p>after</p>";
        assert_eq!(text(page), "spread out\nfn main() {\n    x < 1;\n}\nafter");
    }

    #[test]
    fn tolerates_broken_html() {
        assert_eq!(
            text("<HTML><BODY><P>Upper<P>case & 1 < 2 <unclosed"),
            "Upper\ncase & 1 < 2"
        );
        assert_eq!(
            text("<head><title>t</title>Body text without body"),
            "Body text without body"
        );
        assert_eq!(text("<p>x<![CDATA[a & b]]>y</p>"), "xa & by");
        assert_eq!(text("<script>never closed <p>hidden"), "");
        assert_eq!(text("<p>a</p><!-- unclosed comment <p>b"), "a");
    }

    #[test]
    fn leaves_out_permalinks_and_breadcrumb_separators() {
        let page = r##"<body><div class="related"><ul>
            <li><a href="/">Python</a> &#187;</li>
            <li><a href="lib.html">Library</a> »</li>
            <li class="right"><a href="next.html">next</a> |</li></ul></div>
            <h1>logging<a class="headerlink" href="#logging" title="Permalink">¶</a></h1>
            <p>Pipes | and arrows » inside prose stay.</p><pre>a
|
b</pre></body>"##;
        assert_eq!(
            text(page),
            "Python\nLibrary\nnext\nlogging\nPipes | and arrows » inside prose stay.\na\n|\nb"
        );
    }

    #[test]
    fn an_empty_title_is_none() {
        assert_eq!(to_text("<title> \n </title>x").title, None);
        assert_eq!(to_text("<title/>x").title, None);
    }

    #[test]
    fn the_sample_page() {
        let bytes = include_bytes!("../../sample-docs/documents/page.html");
        let format = super::super::recognise(std::path::Path::new("page.html"), bytes);
        assert_eq!(format.map(|f| f.kind), Some(DocumentType::Html));
        let extracted = extract(bytes, &ExtractOptions::default()).unwrap();
        assert_eq!(
            extracted.title.as_deref(),
            Some("Harbour & Lighthouse Notes")
        );
        assert!(extracted
            .text
            .starts_with("The harbour at dawn\nFishing boats"));
        assert!(extracted.text.contains("sunrise\u{a0}— the tide decides"));
        assert!(extracted.text.contains("A tidetable hangs"));
        assert!(extracted.text.contains("“storm-proof” — mostly"));
        assert!(extracted
            .text
            .contains("high water  06:12\nlow water   12:31\n"));
        for hidden in [
            "lighthousekeeper",
            "stowaway",
            "smuggler",
            "mermaid",
            "headerlink",
        ] {
            assert!(!extracted.text.contains(hidden), "{hidden}");
        }
    }

    #[test]
    fn recognises_html_heads() {
        assert!(is_html(b"<!DOCTYPE html>\n<html>"));
        assert!(is_html(b"\xEF\xBB\xBF  <HTML lang=en>"));
        assert!(is_html(
            b"<?xml version=\"1.0\"?>\n<!-- x --><html xmlns=\"x\">"
        ));
        assert!(!is_html(b"<?xml version=\"1.0\"?><svg>"));
        assert!(!is_html(b"plain text <html>"));
    }
}
