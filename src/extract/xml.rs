//! SVG and other XML: the text nodes, one word boundary at least between elements; no tags,
//! attributes, comments or processing instructions. An SVG's title is its `<title>` child.

use super::markup::{self, Gap, Scanner, TextBuilder, Token, Whitespace};
use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format};

/// Scalable Vector Graphics.
pub const SVG: Format = Format {
    kind: DocumentType::Svg,
    extensions: &["svg"],
    magic: is_svg,
    binary: false,
    extract: super::Reader::Document(extract_svg),
};

/// Any other XML document.
pub const XML: Format = Format {
    kind: DocumentType::Xml,
    extensions: &["xml"],
    magic: is_xml,
    binary: false,
    extract: super::Reader::Document(extract_xml),
};

/// True when `head` opens an SVG image: `<svg` after any byte order mark, whitespace, XML
/// declaration, comments and doctype.
fn is_svg(head: &[u8]) -> bool {
    markup::skip_prologue(head, true).starts_with(b"<svg")
}

/// True when `head` opens with an XML declaration (after any byte order mark and whitespace)
/// or is an SVG image.
fn is_xml(head: &[u8]) -> bool {
    let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    start.trim_ascii_start().starts_with(b"<?xml") || is_svg(head)
}

fn extract_svg(bytes: &[u8], _options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    Ok(to_text(&markup::source_text(bytes), &Dialect::SVG))
}

fn extract_xml(bytes: &[u8], _options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    Ok(to_text(&markup::source_text(bytes), &Dialect::XML))
}

/// What differs between the XML documents read here.
struct Dialect {
    /// Local names of elements whose content is code, not text.
    hidden: &'static [&'static str],
    /// Whether the root element's `<title>` child is the document's title.
    titled: bool,
}

impl Dialect {
    /// SVG: scripts, style sheets and metadata (an editor's RDF: `image/svg+xml`...) are not
    /// text, and the image may have a title.
    const SVG: Dialect = Dialect {
        hidden: &["script", "style", "metadata"],
        titled: true,
    };
    /// Generic XML: every text node is text.
    const XML: Dialect = Dialect {
        hidden: &[],
        titled: false,
    };
}

/// The text and title of the XML document `source`, read as `dialect`.
fn to_text(source: &str, dialect: &Dialect) -> Extracted {
    let mut text = TextBuilder::new(Whitespace::KeepLines);
    let mut title = None;
    // The title's text while inside the root's `<title>` child.
    let mut title_text: Option<TextBuilder> = None;
    let mut depth = 0usize;
    let mut scanner = Scanner::new(source);
    while let Some(token) = scanner.next() {
        match token {
            Token::Text(raw) => {
                text.text(raw);
                if let Some(title_text) = &mut title_text {
                    title_text.text(raw);
                }
            }
            Token::Cdata(raw) => {
                text.literal(raw);
                if let Some(title_text) = &mut title_text {
                    title_text.literal(raw);
                }
            }
            Token::Start(tag) => {
                text.gap(Gap::Space);
                if tag.self_closing {
                    continue;
                }
                let name = markup::local_name(tag.name);
                if dialect.hidden.contains(&name) {
                    scanner.raw_text(tag.name);
                    continue;
                }
                if dialect.titled && depth == 1 && name == "title" && title.is_none() {
                    title_text = Some(TextBuilder::new(Whitespace::Collapse));
                }
                depth += 1;
            }
            Token::End(_) => {
                text.gap(Gap::Space);
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some(finished) = title_text.take() {
                        title = finished.finish_title();
                    }
                }
            }
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

    #[test]
    fn keeps_text_nodes_only_and_separates_elements() {
        let xml = r#"<?xml version="1.0"?><!-- comment --><?pi data?>
            <root attr="no"><a>x</a><b>y</b><c>&lt;&amp;&#65;</c><d><![CDATA[<raw> & co]]></d>
            <e/>z</root>"#;
        let extracted = to_text(xml, &Dialect::XML);
        assert_eq!(extracted.text, "x y <&A <raw> & co\nz");
        assert_eq!(extracted.title, None);
    }

    #[test]
    fn svg_title_is_the_root_title_and_code_is_left_out() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><title> The  Chart </title>
            <style>.x { fill: red }</style><script>alert(1)</script>
            <metadata><rdf:RDF><dc:format>image/svg+xml</dc:format></rdf:RDF></metadata>
            <g><title>nested</title><text x="1">Label</text></g></svg>"#;
        let extracted = to_text(svg, &Dialect::SVG);
        assert_eq!(extracted.title.as_deref(), Some("The Chart"));
        assert_eq!(extracted.text, "The Chart\nnested Label");
    }

    #[test]
    fn the_sample_diagram() {
        let bytes = include_bytes!("../../sample-docs/documents/diagram.svg");
        for name in ["diagram.svg", "diagram"] {
            let format = super::super::recognise(std::path::Path::new(name), bytes);
            assert_eq!(format.map(|f| f.kind), Some(DocumentType::Svg), "{name}");
        }
        let extracted = extract_svg(bytes, &ExtractOptions::default()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Windmill sketch"));
        assert_eq!(
            extracted.text,
            "Windmill sketch\nA windmill beside a canal, drawn with three shapes.\n\
             Polder & canal\nSails turning"
        );
    }

    #[test]
    fn recognises_svg_and_xml_heads() {
        let declared_svg = b"<?xml version='1.0'?>\n<!DOCTYPE svg PUBLIC 'x'>\n<svg>";
        assert!(is_svg(declared_svg) && is_xml(declared_svg));
        assert!(is_svg(b"\xEF\xBB\xBF<svg width='1'>"));
        assert!(is_xml(b"  <?xml version='1.0'?><root/>"));
        assert!(!is_svg(b"<?xml version='1.0'?><root/>"));
        assert!(!is_xml(b"<root/>") && !is_xml(b"text"));
    }
}
