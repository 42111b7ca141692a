//! Office Open XML: Word (.docx), PowerPoint (.pptx) and Excel (.xlsx) files, zip packages of
//! XML parts. Each format names the parts that hold its text and what their elements mean; the
//! [`Walker`] does the reading.

use quick_xml::events::BytesStart;

use super::office_text::{attribute, document_properties, Role, Space, Walker};
use super::zip::{has_part_under, BoundedZip};
use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format};

/// Word documents.
pub const DOCX: Format = Format {
    kind: DocumentType::Docx,
    extensions: &["docx", "docm", "dotx", "dotm"],
    magic: is_docx,
    binary: true,
    extract: super::Reader::Document(extract_docx),
};

/// PowerPoint presentations.
pub const PPTX: Format = Format {
    kind: DocumentType::Pptx,
    extensions: &["pptx", "pptm", "ppsx", "potx"],
    magic: is_pptx,
    binary: true,
    extract: super::Reader::Document(extract_pptx),
};

/// Excel workbooks.
pub const XLSX: Format = Format {
    kind: DocumentType::Xlsx,
    extensions: &["xlsx", "xlsm", "xltx"],
    magic: is_xlsx,
    binary: true,
    extract: super::Reader::Document(extract_xlsx),
};

/// The first bytes of an OLE compound file, the container of an encrypted package.
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The name of the stream an encrypted package is kept in, as an OLE directory spells it
/// (UTF-16LE).
const ENCRYPTED_PACKAGE: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

/// The properties part, which holds the title.
const CORE_PROPERTIES: &str = "docProps/core.xml";

fn is_docx(head: &[u8]) -> bool {
    has_part_under(head, "word/") || is_encrypted(head)
}

fn is_pptx(head: &[u8]) -> bool {
    has_part_under(head, "ppt/") || is_encrypted(head)
}

fn is_xlsx(head: &[u8]) -> bool {
    has_part_under(head, "xl/") || is_encrypted(head)
}

/// True when `head` starts an encrypted Office Open XML file: an OLE compound file whose
/// directory shows an encrypted package. Other OLE files (legacy .doc, .xls, .msg) are not
/// Office Open XML at all and are left alone.
fn is_encrypted(head: &[u8]) -> bool {
    head.starts_with(OLE) && memchr::memmem::find(head, ENCRYPTED_PACKAGE).is_some()
}

fn extract_docx(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let mut zip = open(bytes, options)?;
    let mut walker = Walker::new(options.max_inflated, &[]);
    let body = required(&mut zip, "word/document.xml")?;
    walker.read("word/document.xml", &body, word)?;
    // Then what is printed around and below the body, each once.
    let names = zip.names();
    let around = [
        "word/header",
        "word/footer",
        "word/footnotes",
        "word/endnotes",
    ]
    .into_iter()
    .flat_map(|stem| numbered(&names, stem, ".xml"));
    for name in around {
        if let Some(xml) = zip.read_text(&name)? {
            walker.break_line();
            walker.read(&name, &xml, word)?;
        }
    }
    finish(&mut zip, walker, options)
}

fn extract_pptx(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let mut zip = open(bytes, options)?;
    let mut walker = Walker::new(options.max_inflated, &[]);
    let slides = numbered(&zip.names(), "ppt/slides/slide", ".xml");
    if slides.is_empty() && zip.read_text("ppt/presentation.xml")?.is_none() {
        return Err(ExtractError::Damaged(
            "it has no ppt/presentation.xml".to_string(),
        ));
    }
    for (number, name) in slides.iter().enumerate() {
        if number > 0 {
            walker.break_page();
        }
        walker.read(name, &required(&mut zip, name)?, drawing)?;
    }
    finish(&mut zip, walker, options)
}

fn extract_xlsx(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let mut zip = open(bytes, options)?;
    let shared = match zip.read_text("xl/sharedStrings.xml")? {
        Some(xml) => {
            let mut walker = Walker::new(options.max_inflated, &[]);
            walker.read("xl/sharedStrings.xml", &xml, spreadsheet())?;
            walker.into_entries()
        }
        None => Vec::new(),
    };
    let sheets = numbered(&zip.names(), "xl/worksheets/sheet", ".xml");
    if sheets.is_empty() && zip.read_text("xl/workbook.xml")?.is_none() {
        return Err(ExtractError::Damaged(
            "it has no xl/workbook.xml".to_string(),
        ));
    }
    let mut walker = Walker::new(options.max_inflated, &shared);
    for (number, name) in sheets.iter().enumerate() {
        if number > 0 {
            walker.break_page();
        }
        walker.read(name, &required(&mut zip, name)?, spreadsheet())?;
    }
    finish(&mut zip, walker, options)
}

/// What the elements of WordprocessingML mean.
fn word(space: Space, local: &str, _: &BytesStart) -> Role {
    match (space, local) {
        (Space::Word, "t") => Role::Text,
        (Space::Word, "p" | "tr") => Role::Block,
        (Space::Word, "tc") => Role::Cell,
        (Space::Word, "tab" | "ptab") => Role::Tab,
        (Space::Word, "br" | "cr") => Role::LineBreak,
        // Properties hold tab stops (`w:tab`) and placeholders, not text.
        (Space::Word, "pPr" | "rPr" | "sdtPr") => Role::Skip,
        (Space::Compatibility, "Fallback") => Role::Skip,
        _ => Role::Inherit,
    }
}

/// What the elements of DrawingML (the text of slides) mean.
fn drawing(space: Space, local: &str, _: &BytesStart) -> Role {
    match (space, local) {
        (Space::Drawing, "t") => Role::Text,
        (Space::Drawing, "p" | "tr") => Role::Block,
        (Space::Drawing, "tc") => Role::Cell,
        (Space::Drawing, "br") => Role::LineBreak,
        (Space::Compatibility, "Fallback") => Role::Skip,
        _ => Role::Inherit,
    }
}

/// What the elements of SpreadsheetML (shared strings and worksheets) mean. A cell's value is
/// the number of a shared string when the cell's type says so.
fn spreadsheet() -> impl FnMut(Space, &str, &BytesStart) -> Role {
    let mut shared_cell = false;
    move |space, local, element| match (space, local) {
        (Space::Sheet, "si") => Role::Entry,
        (Space::Sheet, "t") => Role::Text,
        (Space::Sheet, "row") => Role::Block,
        (Space::Sheet, "c") => {
            shared_cell = attribute(element, "t").as_deref() == Some("s");
            Role::Cell
        }
        (Space::Sheet, "v") if shared_cell => Role::SharedString,
        (Space::Sheet, "v") => Role::Text,
        // Formulas, phonetic guides and extensions are not what a cell shows.
        (Space::Sheet, "f" | "rPh" | "extLst") => Role::Skip,
        (Space::Compatibility, "Fallback") => Role::Skip,
        _ => Role::Inherit,
    }
}

/// Opens the package in `bytes`; an OLE compound file in its place is an encrypted package.
fn open<'a>(bytes: &'a [u8], options: &ExtractOptions) -> Result<BoundedZip<'a>, ExtractError> {
    if bytes.starts_with(OLE) {
        return Err(ExtractError::Encrypted);
    }
    BoundedZip::new(bytes, options.max_inflated)
}

/// The part `name`, which the package must have.
fn required(zip: &mut BoundedZip, name: &str) -> Result<String, ExtractError> {
    zip.read_text(name)?
        .ok_or_else(|| ExtractError::Damaged(format!("it has no {name}")))
}

/// The names of the parts `{stem}{number}{suffix}` (`ppt/slides/slide3.xml`), by number; the
/// part `{stem}{suffix}` comes first.
fn numbered(names: &[String], stem: &str, suffix: &str) -> Vec<String> {
    let mut parts: Vec<(u64, &String)> = names
        .iter()
        .filter_map(|name| {
            let number = name.strip_prefix(stem)?.strip_suffix(suffix)?;
            if number.is_empty() {
                Some((0, name))
            } else if number.bytes().all(|byte| byte.is_ascii_digit()) {
                Some((number.parse().ok()?, name))
            } else {
                None
            }
        })
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, name)| name.clone()).collect()
}

/// The text read by `walker` and the title in the package's properties.
fn finish(
    zip: &mut BoundedZip,
    walker: Walker,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let properties = document_properties(zip, CORE_PROPERTIES, options.max_inflated)?;
    Ok(Extracted {
        text: walker.into_text(),
        title: properties.title,
        date: properties.date,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::{Duration, Instant};

    use super::super::office_text::testing::{extracted, package, sample};
    use super::super::{recognise, ExtractError, ExtractOptions};
    use super::{DOCX, PPTX, XLSX};

    #[test]
    fn word_paragraphs_runs_tabs_breaks_tables_and_headers() {
        let report = extracted("documents/report.docx");
        assert_eq!(
            report.text,
            "Quarterly report\n\
             The aurora team met at Smith & Sons.\tTabbed\nbroken line\n\
             Second paragraph\nthird paragraph\n\
             cell one\tcell two\ncell three\tcell four\n\
             Confidential header"
        );
        assert_eq!(report.title.as_deref(), Some("Aurora quarterly report"));
    }

    #[test]
    fn slides_in_numeric_order_one_page_each() {
        let slides = extracted("documents/slides.pptx");
        let pages: Vec<&str> = slides.text.split('\u{c}').collect();
        assert_eq!(
            pages,
            [
                "Glacier talk\nfirst slide",
                "second slide",
                "third slide <3",
                "tenth slide mentions the fjord",
            ]
        );
        assert_eq!(slides.title.as_deref(), Some("Glacier talk"));
    }

    #[test]
    fn workbook_cells_shared_inline_and_numeric_one_sheet_a_page() {
        let budget = extracted("documents/budget.xlsx");
        assert_eq!(
            budget.text,
            "Item\tCost\ntundra tent\t249.5\nStove & fuel\t24.95\nsleeping bag\t120\
             \u{c}Saffron\t7"
        );
        assert_eq!(budget.title.as_deref(), Some("Tundra trip budget"));
    }

    #[test]
    fn packages_are_known_by_their_parts_without_an_extension() {
        for (path, kind) in [
            ("documents/report.docx", DOCX.kind),
            ("documents/slides.pptx", PPTX.kind),
            ("documents/budget.xlsx", XLSX.kind),
        ] {
            let bytes = sample(path);
            let format = recognise(Path::new("renamed"), &bytes[..bytes.len().min(8192)]);
            assert_eq!(format.map(|format| format.kind), Some(kind), "{path}");
        }
    }

    #[test]
    fn an_encrypted_package_is_encrypted_and_a_legacy_file_is_left_alone() {
        let mut encrypted = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        encrypted.resize(1024, 0);
        let legacy = encrypted.clone();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let format = recognise(Path::new("secret.docx"), &encrypted).expect("recognised");
        assert_eq!(format.kind, DOCX.kind);
        let outcome = format.run(encrypted, ExtractOptions::default());
        assert!(
            matches!(outcome, Err(ExtractError::Encrypted)),
            "{outcome:?}"
        );
        assert!(recognise(Path::new("old.doc"), &legacy).is_none());
        assert!(recognise(Path::new("old.docx"), &legacy).is_none());
    }

    #[test]
    fn a_zip_bomb_is_refused_at_once() {
        let start = Instant::now();
        let outcome = DOCX.run(sample("broken/bomb.docx"), ExtractOptions::default());
        assert!(
            matches!(outcome, Err(ExtractError::TooLarge { limit }) if limit == 256 << 20),
            "{outcome:?}"
        );
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn text_past_the_cap_is_refused() {
        // Each cell repeats a long shared string: a small package, a large text.
        let long = "x".repeat(1000);
        let cells = "<row><c t=\"s\"><v>0</v></c></row>".repeat(100);
        let workbook = package(&[
            (
                "xl/sharedStrings.xml",
                &format!("<sst xmlns=\"{SHEET}\"><si><t>{long}</t></si></sst>"),
            ),
            (
                "xl/worksheets/sheet1.xml",
                &format!("<worksheet xmlns=\"{SHEET}\"><sheetData>{cells}</sheetData></worksheet>"),
            ),
        ]);
        let options = ExtractOptions {
            max_inflated: 50_000,
            ..ExtractOptions::default()
        };
        let outcome = XLSX.read_document(&workbook, &options);
        assert!(
            matches!(outcome, Err(ExtractError::TooLarge { .. })),
            "{outcome:?}"
        );
    }

    const SHEET: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    #[test]
    fn damaged_packages_and_parts_are_damaged() {
        let report = sample("documents/report.docx");
        let truncated = &report[..report.len() / 2];
        let unclosed = package(&[(
            "word/document.xml",
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body><w:p><w:t>cut</w:t></w:body></w:document>",
        )]);
        let missing = package(&[("word/styles.xml", "<w:styles/>")]);
        for bytes in [truncated, &unclosed, &missing] {
            let outcome = DOCX.read_document(bytes, &ExtractOptions::default());
            assert!(
                matches!(outcome, Err(ExtractError::Damaged(_))),
                "{outcome:?}"
            );
        }
    }
}
