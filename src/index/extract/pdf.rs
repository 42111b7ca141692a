//! PDF: the text of every page, pages separated by form feeds, read by pdf_oxide (pure Rust) or,
//! when the user opts in, by poppler's `pdftotext`.

use std::io::Write;
use std::process::{Command, Stdio};

use pdf_oxide::converters::ConversionOptions;
use pdf_oxide::document::PdfDocument;
use pdf_oxide::error::Error as PdfError;

use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format, PdfExtractor};

/// Portable Document Format.
pub const FORMAT: Format = Format {
    kind: DocumentType::Pdf,
    extensions: &["pdf"],
    magic: is_pdf,
    binary: true,
    extract,
};

/// The separator between two pages' text.
const PAGE_BREAK: char = '\x0c';

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

/// Extracts with pdf_oxide, page by page, refusing text past `max_text` bytes. A page that
/// cannot be read leaves its text out (its page break stays); a document none of whose pages
/// can be read, or a truncated one without any text left, is damaged.
///
/// pdf_oxide refuses on its own any stream that inflates past 100 MB or 100 times its size;
/// its API does not let `max_text` lower that cap.
fn extract_builtin(bytes: &[u8], max_text: u64) -> Result<Extracted, ExtractError> {
    let document = open(bytes)?;
    let pages = document.page_count().map_err(pdf_error)?;
    // Table detection costs more than the text itself and only pads cells with spaces.
    let conversion = ConversionOptions {
        extract_tables: false,
        ..ConversionOptions::default()
    };
    let mut text = String::new();
    let mut first_failure = None;
    let mut read = 0;
    for page in 0..pages {
        if page > 0 {
            text.push(PAGE_BREAK);
        }
        match document.extract_text_with_options(page, &conversion) {
            Ok(page_text) => {
                push_page(&mut text, &page_text);
                read += 1;
            }
            Err(PdfError::EncryptedPdf) => return Err(ExtractError::Encrypted),
            Err(err) => {
                first_failure.get_or_insert(err);
            }
        }
        if text.len() as u64 > max_text {
            return Err(ExtractError::TooLarge { limit: max_text });
        }
    }
    if let Some(err) = first_failure.filter(|_| read == 0) {
        return Err(pdf_error(err));
    }
    if is_truncated(bytes) && text.chars().all(|c| c.is_whitespace()) {
        return Err(ExtractError::Damaged(
            "truncated, and no text could be recovered".to_string(),
        ));
    }
    Ok(Extracted {
        text,
        title: title(&document),
    })
}

/// True when `bytes` lacks the end-of-file marker a complete PDF closes with (give or take
/// trailing junk). pdf_oxide reads what such a file still holds; only when that is nothing is
/// it damaged.
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    memchr::memmem::rfind(tail, b"%%EOF").is_none()
}

/// Opens the PDF in `bytes`, decrypted with the empty user password when it is encrypted.
fn open(bytes: &[u8]) -> Result<PdfDocument, ExtractError> {
    let document = PdfDocument::from_bytes(bytes.to_vec()).map_err(pdf_error)?;
    if !document.is_authenticated() {
        return Err(ExtractError::Encrypted);
    }
    Ok(document)
}

/// Appends one page's text, whose own form feeds would shift every later page number.
fn push_page(text: &mut String, page_text: &str) {
    text.extend(page_text.chars().map(|c| match c {
        PAGE_BREAK => '\n',
        c => c,
    }));
}

/// The error a pdf_oxide failure becomes.
fn pdf_error(err: PdfError) -> ExtractError {
    match err {
        PdfError::EncryptedPdf => ExtractError::Encrypted,
        err => ExtractError::Damaged(err.to_string()),
    }
}

/// The trimmed `/Title` of the document information dictionary, if it is not empty.
fn title(document: &PdfDocument) -> Option<String> {
    let info = document.trailer().as_dict()?.get("Info")?;
    let info = document.resolve_object(info).ok()?;
    let title = document
        .resolve_object(info.as_dict()?.get("Title")?)
        .ok()?;
    let title = decode_text_string(title.as_string()?);
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
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
            .filter_map(|&byte| pdf_oxide::fonts::font_dict::pdfdoc_encoding_lookup(byte))
            .collect(),
    }
}

/// Extracts with `pdftotext -enc UTF-8 - -`, the PDF on its standard input; the title comes from
/// pdf_oxide, which reads no more than the document information for it.
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
    let title = PdfDocument::from_bytes(bytes.to_vec())
        .ok()
        .and_then(|document| title(&document));
    Ok(Extracted { text, title })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Vec<u8> {
        let path = format!("{}/sample-docs/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    fn options(pdf: PdfExtractor) -> ExtractOptions {
        ExtractOptions {
            pdf,
            ..ExtractOptions::default()
        }
    }

    fn pdftotext_installed() -> bool {
        Command::new("pdftotext").arg("-v").output().is_ok()
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
    fn pdftotext_reads_every_page_and_the_title() {
        if pdftotext_installed() {
            assert_reads_manual(PdfExtractor::Pdftotext, "documents/manual.pdf");
        }
    }

    #[test]
    fn a_user_password_is_reported_as_encryption() {
        let bytes = sample("broken/encrypted.pdf");
        let builtin = extract(&bytes, &options(PdfExtractor::Builtin));
        assert!(
            matches!(builtin, Err(ExtractError::Encrypted)),
            "{builtin:?}"
        );
        if pdftotext_installed() {
            let external = extract(&bytes, &options(PdfExtractor::Pdftotext));
            assert!(
                matches!(external, Err(ExtractError::Encrypted)),
                "{external:?}"
            );
        }
    }

    #[test]
    fn a_truncated_file_keeps_the_pages_it_still_holds() {
        // pdf_oxide rebuilds the cross-reference table of a cut file from its objects;
        // pdftotext gives up.
        let bytes = sample("broken/truncated.pdf");
        let builtin = extract(&bytes, &options(PdfExtractor::Builtin)).unwrap();
        assert!(builtin.text.contains("The lighthouse lamp"), "{builtin:?}");
        if pdftotext_installed() {
            let external = extract(&bytes, &options(PdfExtractor::Pdftotext));
            assert!(
                matches!(external, Err(ExtractError::Damaged(_))),
                "{external:?}"
            );
        }
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
