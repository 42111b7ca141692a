//! OpenDocument: text (.odt), presentation (.odp) and spreadsheet (.ods) files, zip packages
//! whose text is all in `content.xml` and whose title is in `meta.xml`.

use quick_xml::events::BytesStart;

use super::office_text::{attribute, document_properties, Role, Space, Walker};
use super::zip::{has_mimetype, BoundedZip};
use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format};

/// OpenDocument text.
pub const ODT: Format = Format {
    kind: DocumentType::Odt,
    extensions: &["odt", "ott"],
    magic: is_odt,
    binary: true,
    extract: super::Reader::Document(extract_inline),
};

/// OpenDocument presentations: each page (slide) ends with a form feed.
pub const ODP: Format = Format {
    kind: DocumentType::Odp,
    extensions: &["odp", "otp"],
    magic: is_odp,
    binary: true,
    extract: super::Reader::Document(extract_inline),
};

/// OpenDocument spreadsheets: each sheet ends with a form feed.
pub const ODS: Format = Format {
    kind: DocumentType::Ods,
    extensions: &["ods", "ots"],
    magic: is_ods,
    binary: true,
    extract: super::Reader::Document(extract_ods),
};

// A template's type starts with its document's (`...opendocument.text-template`).
fn is_odt(head: &[u8]) -> bool {
    has_mimetype(head, "application/vnd.oasis.opendocument.text")
}

fn is_odp(head: &[u8]) -> bool {
    has_mimetype(head, "application/vnd.oasis.opendocument.presentation")
}

fn is_ods(head: &[u8]) -> bool {
    has_mimetype(head, "application/vnd.oasis.opendocument.spreadsheet")
}

/// Text documents and presentations, whose tables are part of the running text.
fn extract_inline(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    extract(bytes, options, Tables::Inline)
}

fn extract_ods(bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    extract(bytes, options, Tables::Sheets)
}

/// Whether a table is part of the running text or a sheet of its own.
#[derive(Clone, Copy)]
enum Tables {
    /// Tables end like paragraphs (text documents, presentations).
    Inline,
    /// Each table is a page (spreadsheets).
    Sheets,
}

/// The text of the document in `bytes`, its tables read as `tables` say.
fn extract(
    bytes: &[u8],
    options: &ExtractOptions,
    tables: Tables,
) -> Result<Extracted, ExtractError> {
    let mut zip = BoundedZip::new(bytes, options.max_inflated)?;
    // An encrypted package lists how each part is encrypted in its manifest.
    if zip
        .read_text("META-INF/manifest.xml")?
        .is_some_and(|manifest| manifest.contains("encryption-data"))
    {
        return Err(ExtractError::Encrypted);
    }
    let content = zip
        .read_text("content.xml")?
        .ok_or_else(|| ExtractError::Damaged("it has no content.xml".to_string()))?;
    let mut walker = Walker::new(options.max_inflated, &[]);
    walker.read("content.xml", &content, |space, local, element| {
        vocabulary(space, local, element, tables)
    })?;
    let properties = document_properties(&mut zip, "meta.xml", options.max_inflated)?;
    Ok(Extracted {
        text: walker.into_text(),
        title: properties.title,
        date: properties.date,
    })
}

/// What the elements of OpenDocument content mean.
fn vocabulary(space: Space, local: &str, element: &BytesStart, tables: Tables) -> Role {
    match (space, local) {
        (Space::Text, "p" | "h") => Role::Prose,
        (Space::Text, "s") => Role::Spaces(
            attribute(element, "c")
                .and_then(|count| count.trim().parse().ok())
                .unwrap_or(1),
        ),
        (Space::Text, "tab") => Role::Tab,
        (Space::Text, "line-break") => Role::LineBreak,
        // A footnote's number would glue to the word it follows; deleted text is not text.
        (Space::Text, "note-citation" | "tracked-changes") => Role::Skip,
        (Space::Table, "table-cell" | "covered-table-cell") => Role::Cell,
        (Space::Table, "table-row") => Role::Block,
        (Space::Table, "table") => match tables {
            Tables::Inline => Role::Block,
            Tables::Sheets => Role::Page,
        },
        (Space::Draw, "page") => Role::Page,
        _ => Role::Inherit,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::office_text::testing::{extracted, package, sample};
    use super::super::{recognise, ExtractError, ExtractOptions, Extracted};
    use super::{ODP, ODS, ODT};

    #[test]
    fn text_paragraphs_spans_spaces_tabs_breaks_and_tables() {
        let letter = extracted("documents/letter.odt");
        assert_eq!(
            letter.text,
            "Letter from the juniper grove\n\
             Dear reader, spaces   counted, a\ttab\nand a new line & an entity.\n\
             Second paragraph\nthird paragraph\n\
             left cell\tright cell"
        );
        assert_eq!(letter.title.as_deref(), Some("Juniper letter"));
    }

    #[test]
    fn presentation_pages_even_empty_ones() {
        let talk = extracted("documents/talk.odp");
        assert_eq!(
            talk.text,
            "Obsidian talk\nfirst page\u{c}\u{c}third page about the lagoon"
        );
        assert_eq!(talk.title.as_deref(), Some("Obsidian talk"));
    }

    #[test]
    fn spreadsheet_cells_rows_and_one_sheet_a_page() {
        let sheet = extracted("documents/sheet.ods");
        assert_eq!(
            sheet.text,
            "Item\tCount\npelican feed\t12\nquasar lamp\t3\u{c}marzipan"
        );
        assert_eq!(sheet.title.as_deref(), Some("Marzipan stock"));
    }

    #[test]
    fn documents_are_known_by_their_mimetype_without_an_extension() {
        for (path, kind) in [
            ("documents/letter.odt", ODT.kind),
            ("documents/talk.odp", ODP.kind),
            ("documents/sheet.ods", ODS.kind),
        ] {
            let bytes = sample(path);
            let format = recognise(Path::new("renamed"), &bytes[..bytes.len().min(8192)]);
            assert_eq!(format.map(|format| format.kind), Some(kind), "{path}");
        }
    }

    #[test]
    fn an_encrypted_document_is_encrypted() {
        let document = package(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">\
                 <manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
            ),
            ("content.xml", "\u{1}\u{2}garbage"),
        ]);
        let outcome = ODT.read_document(&document, &ExtractOptions::default());
        assert!(
            matches!(outcome, Err(ExtractError::Encrypted)),
            "{outcome:?}"
        );
    }

    #[test]
    fn an_empty_title_is_none() {
        let document = package(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<office:document-content/>"),
            (
                "meta.xml",
                "<office:document-meta xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
                 <dc:title>  </dc:title></office:document-meta>",
            ),
        ]);
        let extracted = ODT
            .read_document(&document, &ExtractOptions::default())
            .expect("extracted");
        assert_eq!(extracted, Extracted::default());
    }
}
