//! OpenDocument: text (.odt), presentation (.odp) and spreadsheet (.ods) files, zip packages
//! whose text is all in `content.xml` and whose title is in `meta.xml`.

use quick_xml::events::BytesStart;

use super::office_text::{attribute, document_title, Role, Space, Walker};
use super::zip::{has_mimetype, BoundedZip};
use super::{DocumentType, ExtractError, ExtractOptions, Extracted, Format};

/// OpenDocument text.
pub const ODT: Format = Format {
    kind: DocumentType::Odt,
    extensions: &["odt", "ott"],
    magic: is_odt,
    binary: true,
    extract: extract_inline,
};

/// OpenDocument presentations: each page (slide) ends with a form feed.
pub const ODP: Format = Format {
    kind: DocumentType::Odp,
    extensions: &["odp", "otp"],
    magic: is_odp,
    binary: true,
    extract: extract_inline,
};

/// OpenDocument spreadsheets: each sheet ends with a form feed.
pub const ODS: Format = Format {
    kind: DocumentType::Ods,
    extensions: &["ods", "ots"],
    magic: is_ods,
    binary: true,
    extract: extract_ods,
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
    Ok(Extracted {
        text: walker.into_text(),
        title: document_title(&mut zip, "meta.xml", options.max_inflated)?,
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
