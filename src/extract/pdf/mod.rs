//! PDF: the text of every page, pages separated by form feeds, read by Lantern's own lean
//! extractor or, when the user opts in, by poppler's `pdftotext`.
//!
//! The builtin extractor loads the file's objects with lopdf (which repairs a damaged
//! cross-reference table and decrypts a file its empty user password opens), then runs each
//! page's content streams for the strings they show ([`content`]), decoded through each
//! font's ToUnicode CMap or encoding ([`font`]). It does only what search needs: text in stream
//! order, with the spaces and line breaks the glyphs' positions imply.

mod bidi;
mod cmap;
mod content;
mod font;
mod glyphs;
mod lexer;
mod matrix;
mod objects;
mod salvage;

use std::io::Write;
use std::process::{Command, Stdio};

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format, PdfExtractor};
use content::{FontCache, TextWriter};
use objects::Objects;

use crate::calendar::parse_document_date;

/// Portable Document Format.
pub const FORMAT: Format = Format {
    kind: DocumentType::Pdf,
    extensions: &["pdf"],
    magic: is_pdf,
    binary: true,
    extract: super::Reader::Document(extract),
};

/// The separator between two pages' text.
const PAGE_BREAK: char = '\x0c';

/// How many `/Parent` links are followed looking for a page's inherited resources.
const MAX_PAGE_TREE_DEPTH: usize = 32;

/// True when `head` holds a PDF header. Readers accept one anywhere in the first KiB, after
/// whatever junk precedes it.
fn is_pdf(head: &[u8]) -> bool {
    memchr::memmem::find(&head[..head.len().min(1024)], b"%PDF-").is_some()
}

/// Extracts the text and title of the PDF in `bytes` with the extractor `options` chooses.
fn extract(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    match options.pdf {
        PdfExtractor::Builtin => extract_builtin(bytes, options.max_inflated),
        PdfExtractor::Pdftotext => extract_pdftotext(bytes),
    }
}

/// Extracts every page's text, refusing a stream that inflates past `max_inflated` bytes and
/// text past that size. A page whose content cannot be read leaves its text out (its page
/// break stays). A file whose objects cannot be loaded, or that has no pages, keeps the text
/// [`salvage`] finds in it; one without any is damaged.
fn extract_builtin(bytes: &[u8], max_inflated: u64) -> Result<Extracted, ExtractError> {
    let limit = usize::try_from(max_inflated).unwrap_or(usize::MAX);
    let salvaged = |failure: ExtractError| match salvage::salvage(bytes, limit)? {
        Some(text) => Ok(Extracted {
            text,
            ..Extracted::default()
        }),
        None => Err(failure),
    };
    let document = match open(bytes, max_inflated) {
        Ok(document) => document,
        Err(failure @ ExtractError::Damaged(_)) => return salvaged(failure),
        Err(failure) => return Err(failure),
    };
    let objects = Objects {
        document,
        max_inflated: limit,
    };
    let pages = objects.document.get_pages();
    if pages.is_empty() {
        return salvaged(ExtractError::Damaged("it has no pages".to_string()));
    }
    let mut text = String::new();
    let mut fonts = FontCache::default();
    for (number, &page) in pages.values().enumerate() {
        if number > 0 {
            text.push(PAGE_BREAK);
        }
        page_text(&objects, &mut fonts, page, &mut text)?;
    }
    if is_truncated(bytes) && text.chars().all(|c| c.is_whitespace()) {
        return Err(ExtractError::Damaged(
            "truncated, and no text could be recovered".to_string(),
        ));
    }
    Ok(Extracted {
        text,
        title: title(&objects.document),
        date: date(&objects.document),
    })
}

/// Appends the text of the page `page` to `text`.
fn page_text(
    objects: &Objects,
    fonts: &mut FontCache,
    page: ObjectId,
    text: &mut String,
) -> Result<(), ExtractError> {
    let Ok(dict) = objects.document.get_dictionary(page) else {
        return Ok(());
    };
    let resources = page_resources(objects, dict);
    let mut content = Vec::new();
    for id in objects.document.get_page_contents(page) {
        let Some(stream) = objects
            .document
            .get_object(id)
            .ok()
            .and_then(|object| object.as_stream().ok())
        else {
            continue;
        };
        if let Some(data) = objects.data(stream)? {
            content.extend_from_slice(&data);
            content.push(b'\n');
        }
    }
    let start = text.len();
    TextWriter::new(objects, fonts, text).run(&content, resources, 0)?;
    // A page's own form feeds would shift every later page number.
    if text[start..].contains(PAGE_BREAK) {
        let page = text.split_off(start).replace(PAGE_BREAK, "\n");
        text.push_str(&page);
    }
    if let Some(page) = bidi::reading_order(&text[start..]) {
        text.truncate(start);
        text.push_str(&page);
    }
    // The page's last line ends like its others, so that no fragment runs on across the page
    // break (a hit's page is that of its fragment's start).
    if text.len() > start && !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(())
}

/// The page's resources, its own or the nearest ancestor's in the page tree.
fn page_resources<'a>(objects: &'a Objects, mut page: &'a Dictionary) -> Option<&'a Dictionary> {
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        if let Some(resources) = objects.dict(page, b"Resources") {
            return Some(resources);
        }
        page = objects.dict(page, b"Parent")?;
    }
    None
}

/// True when `bytes` lacks the end-of-file marker a complete PDF closes with (give or take
/// trailing junk). lopdf reads what such a file still holds; only when that is nothing is it
/// damaged.
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    memchr::memmem::rfind(tail, b"%%EOF").is_none()
}

/// Loads the PDF in `bytes`, decrypted with the empty user password when it is encrypted.
fn open(bytes: &[u8], max_inflated: u64) -> Result<Document, ExtractError> {
    let options = LoadOptions {
        max_decompressed_size: Some(usize::try_from(max_inflated).unwrap_or(usize::MAX)),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options).map_err(|err| match err {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::Encrypted,
        err => ExtractError::Damaged(err.to_string()),
    })?;
    // lopdf leaves a file its empty password does not open encrypted.
    if document.trailer.has(b"Encrypt") {
        return Err(ExtractError::Encrypted);
    }
    Ok(document)
}

/// The trimmed `/Title` of the document information dictionary, if it is not empty.
fn title(document: &Document) -> Option<String> {
    let title = info_string(document, b"Title")?;
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The document's own date: `/CreationDate` of the document information dictionary, else
/// `/ModDate`, when it reads as a date.
fn date(document: &Document) -> Option<u64> {
    [b"CreationDate".as_slice(), b"ModDate"]
        .into_iter()
        .find_map(|key| info_string(document, key).and_then(|date| parse_document_date(&date)))
}

/// The text string `key` of the document information dictionary, decoded.
fn info_string(document: &Document, key: &[u8]) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    let value = info.as_dict().ok()?.get(key).ok()?;
    let (_, value) = document.dereference(value).ok()?;
    let Object::String(value, _) = value else {
        return None;
    };
    Some(decode_text_string(value))
}

/// Decodes a PDF text string: UTF-16 or UTF-8 after a byte order mark, PDFDocEncoding otherwise.
fn decode_text_string(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| from([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => bytes
            .iter()
            .filter_map(|&byte| glyphs::pdf_doc_char(byte))
            .collect(),
    }
}

/// Extracts with `pdftotext -enc UTF-8 - -`, the PDF on its standard input; the title comes from
/// lopdf's reading of the document information alone.
fn extract_pdftotext(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => ExtractError::Damaged(
                "pdftotext is not installed: install poppler-utils, or use the builtin PDF \
                 extractor"
                    .to_string(),
            ),
            _ => ExtractError::Damaged(format!("cannot run pdftotext: {err}")),
        })?;
    let mut stdin = child.stdin.take();
    // Writing on this thread while pdftotext's output fills its pipe would deadlock.
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                // pdftotext may stop reading a damaged file early; its status tells why.
                let _ = stdin.write_all(bytes);
            }
        });
        child.wait_with_output()
    })
    .map_err(|err| ExtractError::Damaged(format!("pdftotext failed: {err}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("password") {
            return Err(ExtractError::Encrypted);
        }
        return Err(ExtractError::Damaged(format!(
            "pdftotext failed ({}): {}",
            output.status,
            stderr.trim()
        )));
    }
    let mut text = match String::from_utf8(output.stdout) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
    // pdftotext ends every page, the last too, with a form feed; pages are separated here.
    if text.ends_with(PAGE_BREAK) {
        text.pop();
    }
    let metadata = Document::load_metadata_mem(bytes).ok();
    let title = metadata
        .as_ref()
        .and_then(|metadata| metadata.title.as_deref())
        .map(|title| title.trim().to_string())
        .filter(|title| !title.is_empty());
    let date = metadata.and_then(|metadata| {
        [metadata.creation_date, metadata.modification_date]
            .into_iter()
            .flatten()
            .find_map(|date| parse_document_date(&date))
    });
    Ok(Extracted { text, title, date })
}

#[cfg(test)]
mod tests {
    use super::super::office_text::testing::sample;
    use super::*;

    fn options(pdf: PdfExtractor) -> ExtractOptions {
        ExtractOptions {
            pdf,
            ..ExtractOptions::default()
        }
    }

    /// Checks the manual's pages, words and title as `extractor` reads them.
    fn assert_reads_manual(extractor: PdfExtractor, file: &str) {
        let extracted = extract(&sample(file), &options(extractor)).unwrap();
        let pages: Vec<&str> = extracted.text.split(PAGE_BREAK).collect();
        assert_eq!(pages.len(), 3, "{extractor:?}: {:?}", extracted.text);
        assert!(pages[0].contains("Keeper's Manual"), "{:?}", pages[0]);
        assert!(pages[1].contains("The lighthouse lamp must be lit at sunset"));
        assert!(!pages[0].contains("lighthouse") && !pages[2].contains("lighthouse"));
        assert!(pages[2].contains("passing ships"));
        assert_eq!(
            extracted.title.as_deref(),
            Some("Keeper's Manual: The Lighthouse")
        );
    }

    #[test]
    fn builtin_reads_every_page_and_the_title() {
        assert_reads_manual(PdfExtractor::Builtin, "documents/manual.pdf");
    }

    #[test]
    fn builtin_decrypts_with_the_empty_user_password() {
        assert_reads_manual(PdfExtractor::Builtin, "documents/protected.pdf");
    }

    #[test]
    fn a_user_password_is_reported_as_encryption() {
        let bytes = sample("broken/encrypted.pdf");
        let builtin = extract(&bytes, &options(PdfExtractor::Builtin));
        assert!(
            matches!(builtin, Err(ExtractError::Encrypted)),
            "{builtin:?}"
        );
    }

    #[test]
    fn a_truncated_file_keeps_the_pages_it_still_holds() {
        // lopdf rebuilds the cross-reference table of a cut file from its objects (pdftotext
        // gives up: tests/documents.rs).
        let bytes = sample("broken/truncated.pdf");
        let builtin = extract(&bytes, &options(PdfExtractor::Builtin)).unwrap();
        assert!(builtin.text.contains("The lighthouse lamp"), "{builtin:?}");
    }

    #[test]
    fn a_file_cut_before_its_pages_is_damaged() {
        let bytes = sample("documents/manual.pdf");
        for cut in [0, 9, 300] {
            let outcome = extract(&bytes[..cut], &options(PdfExtractor::Builtin));
            assert!(
                matches!(outcome, Err(ExtractError::Damaged(_))),
                "{cut} bytes: {outcome:?}"
            );
        }
    }

    #[test]
    fn text_past_the_cap_is_refused() {
        let small = ExtractOptions {
            max_inflated: 50,
            ..ExtractOptions::default()
        };
        let outcome = extract(&sample("documents/manual.pdf"), &small);
        assert!(matches!(outcome, Err(ExtractError::TooLarge { limit: 50 })));
    }

    #[test]
    fn the_header_is_found_after_junk() {
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\0\0junk%PDF-1.4"));
        assert!(!is_pdf(b"PK\x03\x04"));
    }

    #[test]
    fn text_strings_decode_from_every_encoding() {
        assert_eq!(decode_text_string(b"\xFE\xFF\0A\0\xE9"), "Aé");
        assert_eq!(decode_text_string(b"\xFF\xFEA\0"), "A");
        assert_eq!(decode_text_string(b"\xEF\xBB\xBFcaf\xC3\xA9"), "café");
        assert_eq!(decode_text_string(b"caf\xE9"), "café");
    }
}
