//! EPUB e-books: the text of their XHTML parts in reading (spine) order, separated by blank
//! lines, and the package's `<dc:title>`.
//!
//! `META-INF/container.xml` names the package (OPF) file; its manifest maps ids to parts, its
//! spine lists the ids in reading order. Parts are read under the inflation cap.

use std::collections::HashMap;

use super::markup::{self, Scanner, Token};
use super::zip::{self, BoundedZip};
use super::{html, DocumentType, ExtractError, ExtractOptions, Extracted, Format};
use crate::calendar::parse_document_date;

/// EPUB 2 and 3 e-books.
pub const EPUB: Format = Format {
    kind: DocumentType::Epub,
    extensions: &["epub"],
    magic: is_epub,
    binary: true,
    extract: super::Reader::Document(extract),
};

fn is_epub(head: &[u8]) -> bool {
    zip::has_mimetype(head, "application/epub+zip")
}

fn extract(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let mut archive = BoundedZip::new(bytes, options.max_inflated)?;
    let container = archive
        .read_text("META-INF/container.xml")?
        .ok_or_else(|| damaged("it has no META-INF/container.xml"))?;
    let package_path =
        package_path(&container).ok_or_else(|| damaged("its container names no package"))?;
    let package = archive
        .read_text(&package_path)?
        .ok_or_else(|| damaged(&format!("its package {package_path} is missing")))?;
    let package = Package::parse(&package);
    let folder = package_path
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    let mut text = String::new();
    for href in package.reading_order() {
        // A part the spine names but the archive lacks is skipped: the rest of the book is
        // still worth reading.
        let Some(part) = archive.read_text(&resolve(folder, href))? else {
            continue;
        };
        let part = html::to_text(&part).text;
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&part);
    }
    Ok(Extracted {
        text,
        title: package.title,
        date: package.date,
    })
}

fn damaged(why: &str) -> ExtractError {
    ExtractError::Damaged(why.to_string())
}

/// The path of the package file that `container.xml` names: its first `<rootfile>`.
fn package_path(container: &str) -> Option<String> {
    Scanner::new(container).find_map(|token| match token {
        Token::Start(tag) if markup::local_name(tag.name) == "rootfile" => {
            tag.attribute("full-path").filter(|path| !path.is_empty())
        }
        Token::Start(_) | Token::End(_) | Token::Text(_) | Token::Cdata(_) => None,
    })
}

/// What Lantern reads of a package (OPF) file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Package {
    /// The first non-empty `<dc:title>`.
    title: Option<String>,
    /// The first `<dc:date>` that reads as a date (publication), in nanoseconds since the epoch.
    date: Option<u64>,
    /// Manifest item ids to the href and media type of their part.
    manifest: HashMap<String, (String, String)>,
    /// Item ids in reading order.
    spine: Vec<String>,
}

impl Package {
    fn parse(source: &str) -> Package {
        let mut package = Package::default();
        let mut scanner = Scanner::new(source);
        while let Some(token) = scanner.next() {
            let Token::Start(tag) = token else { continue };
            match markup::local_name(tag.name) {
                "title" if !tag.self_closing => {
                    let title = markup::title(scanner.raw_text(tag.name));
                    package.title = package.title.or(title);
                }
                "date" if !tag.self_closing => {
                    let date = parse_document_date(scanner.raw_text(tag.name));
                    package.date = package.date.or(date);
                }
                "item" => {
                    if let (Some(id), Some(href)) = (tag.attribute("id"), tag.attribute("href")) {
                        let media_type = tag.attribute("media-type").unwrap_or_default();
                        package.manifest.insert(id, (href, media_type));
                    }
                }
                "itemref" => package.spine.extend(tag.attribute("idref")),
                _ => {}
            }
        }
        package
    }

    /// The hrefs of the spine's (X)HTML parts, in reading order.
    fn reading_order(&self) -> impl Iterator<Item = &str> {
        self.spine
            .iter()
            .filter_map(|id| self.manifest.get(id))
            .filter(|(_, media_type)| {
                matches!(
                    media_type.as_str(),
                    "application/xhtml+xml" | "text/html" | ""
                )
            })
            .map(|(href, _)| href.as_str())
    }
}

/// The archive path of `href`, relative to the package's `folder`: fragment dropped,
/// percent-escapes decoded, `.` and `..` resolved.
fn resolve(folder: &str, href: &str) -> String {
    let href = href.split_once('#').map_or(href, |(path, _)| path);
    let href = percent_decode(href);
    let mut segments: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        folder
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect()
    };
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    segments.join("/")
}

/// `text` with its `%XX` escapes decoded (invalid UTF-8 replaced); a `%` not followed by two
/// hex digits stays.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .filter(|_| bytes[at] == b'%')
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use ::zip::write::SimpleFileOptions;
    use ::zip::{CompressionMethod, ZipWriter};

    use super::*;

    const CONTAINER: &str = r#"<?xml version="1.0"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
        <rootfiles><rootfile full-path="OEBPS/content.opf"
            media-type="application/oebps-package+xml"/></rootfiles></container>"#;

    const PACKAGE: &str = r#"<?xml version="1.0"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0">
        <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
          <dc:title> The  Book &amp; Co </dc:title></metadata>
        <manifest>
          <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
          <item id="two" href="text/chapter%202.xhtml#start" media-type="application/xhtml+xml"/>
          <item id="one" href="./text/../text/one.xhtml" media-type="application/xhtml+xml"/>
          <item id="css" href="style.css" media-type="text/css"/>
          <item id="gone" href="missing.xhtml" media-type="application/xhtml+xml"/>
        </manifest>
        <spine><itemref idref="one"/><itemref idref="css"/><itemref idref="gone"/>
          <itemref idref="two"/></spine></package>"#;

    /// An EPUB holding `parts` after its `mimetype`, each deflated.
    fn epub(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        writer.start_file("mimetype", stored).unwrap();
        writer.write_all(b"application/epub+zip").unwrap();
        for (name, content) in parts {
            let deflated =
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
            writer.start_file(*name, deflated).unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn book() -> Vec<u8> {
        epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", PACKAGE),
            (
                "OEBPS/text/one.xhtml",
                "<html><head><title>One</title></head><body><h1>Chapter one</h1><p>Alpha</p></body></html>",
            ),
            (
                "OEBPS/text/chapter 2.xhtml",
                "<html><body><p>Beta <em>gamma</em></p><script>no()</script></body></html>",
            ),
        ])
    }

    #[test]
    fn reads_the_spine_parts_in_order_with_the_title() {
        let bytes = book();
        assert!(is_epub(&bytes));
        let extracted = extract(&bytes, &ExtractOptions::default()).unwrap();
        assert_eq!(extracted.text, "Chapter one\nAlpha\n\nBeta gamma");
        assert_eq!(extracted.title.as_deref(), Some("The Book & Co"));
    }

    #[test]
    fn the_sample_novel() {
        let bytes = include_bytes!("../../sample-docs/documents/novel.epub");
        let format = super::super::recognise(std::path::Path::new("novel.epub"), bytes);
        assert_eq!(format.map(|f| f.kind), Some(DocumentType::Epub));
        let extracted = extract(bytes, &ExtractOptions::default()).unwrap();
        let title = "The Cartographer\u{2019}s Daughter";
        assert_eq!(extracted.title.as_deref(), Some(title));
        let text = &extracted.text;
        assert!(text.starts_with("The Map Room\nInes unrolled the portolan chart"));
        assert!(text.contains("not guessed.\u{201d}\n\nThe Astrolabe\nAt midnight"));
        assert!(text.ends_with("outlast them both."));
        assert!(!text.contains("small-caps") && !text.contains("Contents"));
    }

    #[test]
    fn refuses_parts_inflating_past_the_cap() {
        let big = format!("<p>{}</p>", "a ".repeat(100_000));
        let bytes = epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", PACKAGE),
            ("OEBPS/text/one.xhtml", &big),
        ]);
        let options = ExtractOptions {
            max_inflated: 64 << 10,
            ..ExtractOptions::default()
        };
        assert!(matches!(
            extract(&bytes, &options),
            Err(ExtractError::TooLarge { limit }) if limit == 64 << 10
        ));
    }

    #[test]
    fn damaged_books_are_refused() {
        let options = ExtractOptions::default();
        for bytes in [
            b"PK\x03\x04 not really a zip".to_vec(),
            epub(&[("OEBPS/content.opf", PACKAGE)]),
            epub(&[("META-INF/container.xml", "<container/>")]),
            epub(&[("META-INF/container.xml", CONTAINER)]),
        ] {
            assert!(matches!(
                extract(&bytes, &options),
                Err(ExtractError::Damaged(_))
            ));
        }
    }

    #[test]
    fn hrefs_resolve_against_the_package_folder() {
        assert_eq!(
            resolve("OEBPS", "text/a%20b.xhtml#x"),
            "OEBPS/text/a b.xhtml"
        );
        assert_eq!(resolve("", "a.xhtml"), "a.xhtml");
        assert_eq!(resolve("a/b", "../c/./d.xhtml"), "a/c/d.xhtml");
        assert_eq!(resolve("a", "/root.xhtml"), "root.xhtml");
        assert_eq!(percent_decode("%C3%A9t%C3%A9 100% %zz"), "été 100% %zz");
    }
}
