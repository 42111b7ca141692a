//! The text of the XML parts of office documents. One walker reads every part of every office
//! format; a format says what its elements mean through a vocabulary, a function from an element
//! to its [`Role`].
//!
//! Separators between blocks, cells and words are held back until the next text, and the
//! strongest one wins, so that words are never glued across paragraphs or cells, runs of one
//! word (`<w:t>aur</w:t>...<w:t>ora</w:t>`) stay one word, and no part ends in a stray break.

use std::ops::Range;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::zip::BoundedZip;
use super::ExtractError;
use crate::calendar::parse_document_date;

/// The namespaces office vocabularies speak of, by their usual prefix; any namespace has one
/// whatever prefix a file binds it to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    /// WordprocessingML (`w:`).
    Word,
    /// DrawingML (`a:`), the text of slides and shapes.
    Drawing,
    /// SpreadsheetML, the default namespace of workbook parts.
    Sheet,
    /// Markup compatibility (`mc:`), whose fallbacks repeat content.
    Compatibility,
    /// Dublin Core (`dc:`), of document properties.
    DublinCore,
    /// OpenDocument text (`text:`).
    Text,
    /// OpenDocument tables (`table:`).
    Table,
    /// OpenDocument drawings (`draw:`), the pages of presentations.
    Draw,
    /// OpenDocument office (`office:`).
    Office,
    /// Any other namespace, or none.
    Other,
}

impl Space {
    /// The namespace called `uri`: transitional and strict Office Open XML, OpenDocument.
    fn of(uri: &str) -> Space {
        match uri {
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Space::Word,
            "http://schemas.openxmlformats.org/drawingml/2006/main"
            | "http://purl.oclc.org/ooxml/drawingml/main" => Space::Drawing,
            "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            | "http://purl.oclc.org/ooxml/spreadsheetml/main" => Space::Sheet,
            "http://schemas.openxmlformats.org/markup-compatibility/2006" => Space::Compatibility,
            "http://purl.org/dc/elements/1.1/" => Space::DublinCore,
            "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Space::Text,
            "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Space::Table,
            "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => Space::Draw,
            "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Space::Office,
            _ => Space::Other,
        }
    }
}

/// What an element means to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Nothing of its own: its children are read as its parent's are.
    Inherit,
    /// Its text is content, as written (`w:t`, `a:t`, a cell's value).
    Text,
    /// A paragraph whose text is content, each run of white space one space (OpenDocument's
    /// `text:p`, `text:h`).
    Prose,
    /// Left out, with everything inside (properties, deleted text, fallbacks).
    Skip,
    /// Its text is the number of a shared string, which is the content (a spreadsheet cell).
    SharedString,
    /// Ends a line: a paragraph, a table row, a shape.
    Block,
    /// Ends a table cell: a tab, unless a page ends with it.
    Cell,
    /// Ends a page: a form feed, kept even when the page is empty.
    Page,
    /// One string of a list: its text is recorded apart (`si` of the shared strings).
    Entry,
    /// A tab.
    Tab,
    /// A line break inside a paragraph.
    LineBreak,
    /// This many spaces.
    Spaces(usize),
}

/// How text met at some depth is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Outside any text: text is white space between elements.
    Structure,
    /// Text as written.
    Verbatim,
    /// Text with its white space collapsed.
    Collapsed,
    /// Collected, then read as the number of a shared string.
    Reference,
    /// Nothing inside counts.
    Skipped,
}

/// A separator held back until more text comes; stronger ones are later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Separator {
    Space,
    Tab,
    Line,
}

/// Reads XML parts into one text, under a cap on its length.
pub struct Walker<'s> {
    text: String,
    pending: Option<Separator>,
    /// Form feeds held back: pages ended since the last text.
    pages: usize,
    limit: u64,
    /// The strings `Role::SharedString` refers to.
    shared: &'s [String],
    /// Where the text of each `Role::Entry` lies in `text`.
    entries: Vec<Range<usize>>,
}

impl<'s> Walker<'s> {
    /// A walker whose text may grow to `limit` bytes, resolving shared strings in `shared`.
    pub fn new(limit: u64, shared: &'s [String]) -> Self {
        Walker {
            text: String::new(),
            pending: None,
            pages: 0,
            limit,
            shared,
            entries: Vec::new(),
        }
    }

    /// Reads the text of the part `name`, whose XML is `xml`, each element meaning what
    /// `vocabulary` says of its namespace, local name and attributes.
    pub fn read(
        &mut self,
        name: &str,
        xml: &str,
        mut vocabulary: impl FnMut(Space, &str, &BytesStart) -> Role,
    ) -> Result<(), ExtractError> {
        let damaged = |err: &dyn std::fmt::Display| ExtractError::Damaged(format!("{name}: {err}"));
        let mut reader = NsReader::from_str(xml);
        // Each open element, and the mode of the text inside it.
        let mut open: Vec<(Role, Mode)> = Vec::new();
        let mut reference = String::new();
        loop {
            let (namespace, event) = reader.read_resolved_event().map_err(|err| damaged(&err))?;
            let mode = open.last().map_or(Mode::Structure, |&(_, mode)| mode);
            match event {
                Event::Start(_) if mode == Mode::Skipped => open.push((Role::Skip, mode)),
                Event::Start(element) => {
                    let role = vocabulary(space(&namespace), local(&element), &element);
                    self.open(role)?;
                    open.push((role, mode_inside(role, mode)));
                }
                Event::Empty(_) if mode == Mode::Skipped => {}
                Event::Empty(element) => {
                    let role = vocabulary(space(&namespace), local(&element), &element);
                    self.open(role)?;
                    self.close(role, &mut reference)?;
                }
                Event::End(_) => {
                    let (role, _) = open.pop().ok_or_else(|| damaged(&"an unopened element"))?;
                    if mode != Mode::Skipped {
                        self.close(role, &mut reference)?;
                    }
                }
                Event::Text(text) => self.content(mode, &text.xml10_content(), &mut reference)?,
                Event::CData(data) => self.content(mode, &data.xml10_content(), &mut reference)?,
                Event::GeneralRef(entity) => {
                    if let Some(character) = resolve(&entity).map_err(|err| damaged(&err))? {
                        self.content(mode, character.encode_utf8(&mut [0; 4]), &mut reference)?;
                    }
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => break,
            }
        }
        if open.is_empty() {
            Ok(())
        } else {
            Err(damaged(&"it ends inside an element"))
        }
    }

    /// Holds back a line break, as between two parts.
    pub fn break_line(&mut self) {
        self.separate(Separator::Line);
    }

    /// Ends a page: a form feed comes before any further text.
    pub fn break_page(&mut self) {
        self.pages += 1;
        self.pending = None;
    }

    /// The text read, without trailing separators.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The text of each `Role::Entry` read, in order.
    pub fn into_entries(self) -> Vec<String> {
        self.entries
            .into_iter()
            .map(|range| self.text[range].to_string())
            .collect()
    }

    /// Starts an element of role `role`.
    fn open(&mut self, role: Role) -> Result<(), ExtractError> {
        match role {
            Role::Tab => self.push("\t"),
            Role::LineBreak => self.push("\n"),
            Role::Spaces(count) => {
                self.room(count)?;
                self.push(&" ".repeat(count))
            }
            Role::Entry => {
                self.flush();
                self.entries.push(self.text.len()..self.text.len());
                Ok(())
            }
            Role::Inherit
            | Role::Text
            | Role::Prose
            | Role::Skip
            | Role::SharedString
            | Role::Block
            | Role::Cell
            | Role::Page => Ok(()),
        }
    }

    /// Ends an element of role `role`; `reference` holds the text of a shared string's number.
    fn close(&mut self, role: Role, reference: &mut String) -> Result<(), ExtractError> {
        match role {
            Role::Prose | Role::Block => self.separate(Separator::Line),
            Role::Cell => {
                if self.pages == 0 {
                    self.pending = Some(Separator::Tab);
                }
            }
            Role::Page => self.break_page(),
            Role::Entry => {
                if let Some(entry) = self.entries.last_mut() {
                    entry.end = self.text.len();
                }
                self.pending = None;
            }
            Role::SharedString => {
                let shared = self.shared;
                let string = reference
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| shared.get(index));
                reference.clear();
                if let Some(string) = string {
                    self.push(string)?;
                }
            }
            Role::Inherit
            | Role::Text
            | Role::Skip
            | Role::Tab
            | Role::LineBreak
            | Role::Spaces(_) => {}
        }
        Ok(())
    }

    /// Takes in `text` met in mode `mode`.
    fn content(
        &mut self,
        mode: Mode,
        text: &str,
        reference: &mut String,
    ) -> Result<(), ExtractError> {
        match mode {
            Mode::Structure | Mode::Skipped => Ok(()),
            Mode::Verbatim => self.push(text),
            Mode::Reference => {
                if reference.len() < 32 {
                    reference.push_str(text);
                }
                Ok(())
            }
            Mode::Collapsed => {
                let mut words = text.split(|c: char| c.is_ascii_whitespace()).peekable();
                while let Some(word) = words.next() {
                    self.push(word)?;
                    if words.peek().is_some() {
                        self.separate(Separator::Space);
                    }
                }
                Ok(())
            }
        }
    }

    /// Holds back `separator`, unless a stronger one is.
    fn separate(&mut self, separator: Separator) {
        if self.pages == 0 {
            self.pending = self.pending.max(Some(separator));
        }
    }

    /// Writes the separators held back.
    fn flush(&mut self) {
        if self.pages > 0 {
            self.text.extend(std::iter::repeat_n('\u{c}', self.pages));
            self.pages = 0;
        } else if let Some(separator) = self.pending {
            if !self.text.is_empty() {
                self.text.push(match separator {
                    Separator::Space => ' ',
                    Separator::Tab => '\t',
                    Separator::Line => '\n',
                });
            }
        }
        self.pending = None;
    }

    /// Appends `text`, after the separators held back (none when `text` is empty).
    fn push(&mut self, text: &str) -> Result<(), ExtractError> {
        if text.is_empty() {
            return Ok(());
        }
        self.room(text.len() + self.pages + 1)?;
        self.flush();
        self.text.push_str(text);
        Ok(())
    }

    /// Fails when `more` bytes would take the text past the cap.
    fn room(&self, more: usize) -> Result<(), ExtractError> {
        if (self.text.len() + more) as u64 > self.limit {
            Err(ExtractError::TooLarge { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

/// The mode inside an element of role `role` whose parent's mode is `outer`.
fn mode_inside(role: Role, outer: Mode) -> Mode {
    match role {
        Role::Text => Mode::Verbatim,
        Role::Prose => Mode::Collapsed,
        Role::Skip => Mode::Skipped,
        Role::SharedString => Mode::Reference,
        Role::Inherit
        | Role::Block
        | Role::Cell
        | Role::Page
        | Role::Entry
        | Role::Tab
        | Role::LineBreak
        | Role::Spaces(_) => outer,
    }
}

/// The namespace an element's name resolved to.
fn space(namespace: &ResolveResult) -> Space {
    match namespace {
        ResolveResult::Bound(namespace) => Space::of(namespace.as_ref()),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => Space::Other,
    }
}

/// An element's name without its prefix.
fn local<'e>(element: &'e BytesStart) -> &'e str {
    let name = element.name().0;
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// The character an entity reference stands for: a character reference or one of XML's five
/// predefined entities (office files declare no others; they are left out).
fn resolve(entity: &BytesRef) -> Result<Option<char>, quick_xml::Error> {
    if let Some(character) = entity.resolve_char_ref()? {
        return Ok(Some(character));
    }
    Ok(quick_xml::escape::resolve_xml_entity(entity)
        .and_then(|replacement| replacement.chars().next()))
}

/// The value of the attribute of `element` whose local name is `name`, as written.
pub fn attribute<'e>(element: &'e BytesStart, name: &str) -> Option<std::borrow::Cow<'e, str>> {
    element
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|attribute| attribute.key.local_name().as_ref() == name)
        .map(|attribute| attribute.value)
}

/// What a document's properties part says of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties {
    /// Its `dc:title`, if not empty.
    pub title: Option<String>,
    /// Its own date (see [`super::Extracted::date`]).
    pub date: Option<u64>,
}

/// The elements of a properties part that date a document, most telling first: when it was
/// created (`dcterms:created` in office files, `meta:creation-date` in ODF), then when it was
/// last saved (`dcterms:modified`; ODF's `dc:date`).
const DATE_ELEMENTS: [&str; 4] = ["created", "creation-date", "modified", "date"];

/// The title and date in the document properties part `name` (`docProps/core.xml`,
/// `meta.xml`); none when the part is missing.
pub fn document_properties(
    zip: &mut BoundedZip,
    name: &str,
    limit: u64,
) -> Result<Properties, ExtractError> {
    let Some(xml) = zip.read_text(name)? else {
        return Ok(Properties::default());
    };
    let mut walker = Walker::new(limit, &[]);
    walker.read(name, &xml, |space, local, _| match (space, local) {
        (Space::DublinCore, "title") => Role::Prose,
        _ => Role::Inherit,
    })?;
    let title = walker.into_text();
    Ok(Properties {
        title: (!title.is_empty()).then_some(title),
        date: properties_date(&xml),
    })
}

/// The first of [`DATE_ELEMENTS`] in `xml` whose text reads as a date. A part that is not
/// well-formed XML has none past its fault.
fn properties_date(xml: &str) -> Option<u64> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Option<usize> = None;
    let mut found: [Option<u64>; DATE_ELEMENTS.len()] = [None; DATE_ELEMENTS.len()];
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => {
                let local = element.local_name();
                open = DATE_ELEMENTS
                    .iter()
                    .position(|name| *name == local.into_inner());
            }
            Ok(Event::Text(text)) => {
                if let Some(at) = open {
                    let text = text.xml10_content();
                    found[at] = found[at].or(parse_document_date(&text));
                }
            }
            Ok(Event::End(_)) => open = None,
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    found.into_iter().flatten().next()
}

/// What the tests of office formats share: sample files and packages made on the spot.
#[cfg(test)]
pub mod testing {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    /// The bytes of `sample-docs/{path}`.
    pub fn sample(path: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-docs")
            .join(path);
        std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }

    /// What the format `recognise` finds for `sample-docs/{path}` extracts from it.
    pub fn extracted(path: &str) -> super::super::Extracted {
        let bytes = sample(path);
        let head = &bytes[..bytes.len().min(8192)];
        let format = super::super::recognise(std::path::Path::new(path), head)
            .unwrap_or_else(|| panic!("{path} is not recognised"));
        format
            .read_document(&bytes, &super::super::ExtractOptions::default())
            .expect("extracted")
    }

    /// A zip archive of `parts` (name, text), stored in that order.
    pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            writer.start_file(*name, options).expect("start a part");
            writer.write_all(text.as_bytes()).expect("write a part");
        }
        writer.finish().expect("finish the archive").into_inner()
    }
}
