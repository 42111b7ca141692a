//! Turning the bytes of a file, or of a member of an archive, into the text Lantern indexes:
//! PDF, HTML, office and e-book files through the extractor of their format, archives through a
//! reader that yields their members (see [`container`]), compressed files inflated on the way
//! (see [`compression`]), e-mail messages as documents whose attachments are their members and
//! mailboxes as archives of messages (see [`mail`], [`mbox`]); every other file is plain text. No
//! engine and no index in here.
//!
//! A format is one file in this folder exposing a [`Format`] and one line in [`FORMATS`]. A
//! file is recognised by its extension and, when that is missing or lies about a binary format,
//! by its first bytes. Extraction runs on its own thread, under a time limit, with panics caught:
//! no document can stop, hang or crash an indexing run.

use std::io::{Read, Seek};
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

mod archive;
pub mod compression;
pub mod container;
mod epub;
mod html;
mod leaders;
mod mail;
mod markup;
mod mbox;
mod odf;
mod office_text;
mod ooxml;
mod pdf;
pub mod plain;
mod xml;
mod zip;

/// What kind of document a file is: the value of its `type` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentType {
    /// Plain text: source code, Markdown, logs, CSV...
    Text,
    /// Portable Document Format.
    Pdf,
    /// HTML or XHTML.
    Html,
    /// Scalable Vector Graphics.
    Svg,
    /// Any other XML.
    Xml,
    /// Word (Office Open XML).
    Docx,
    /// PowerPoint (Office Open XML).
    Pptx,
    /// Excel (Office Open XML).
    Xlsx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument presentation.
    Odp,
    /// OpenDocument spreadsheet.
    Ods,
    /// EPUB e-book.
    Epub,
    /// Zip archive (its document lists its members, each a document of its own).
    Zip,
    /// Tar archive, compressed or not.
    Tar,
    /// 7z archive.
    SevenZ,
    /// An e-mail message (`.eml`, a file of a Maildir, a message of a mailbox): its title is
    /// its subject, its text its body, its attachments are its members.
    Mail,
    /// A mailbox in the mbox format (its document lists its messages, each a document).
    Mbox,
}

impl DocumentType {
    /// Every type, in the order summaries list them.
    pub const ALL: [DocumentType; 17] = [
        DocumentType::Text,
        DocumentType::Pdf,
        DocumentType::Html,
        DocumentType::Svg,
        DocumentType::Xml,
        DocumentType::Docx,
        DocumentType::Pptx,
        DocumentType::Xlsx,
        DocumentType::Odt,
        DocumentType::Odp,
        DocumentType::Ods,
        DocumentType::Epub,
        DocumentType::Zip,
        DocumentType::Tar,
        DocumentType::SevenZ,
        DocumentType::Mail,
        DocumentType::Mbox,
    ];

    /// True for an archive or a mailbox, whose members are documents of their own: the index
    /// summary counts such files as archives.
    pub fn is_archive(self) -> bool {
        matches!(
            self,
            DocumentType::Zip | DocumentType::Tar | DocumentType::SevenZ | DocumentType::Mbox
        )
    }

    /// The type's name, as indexed and as `type:NAME` matches it.
    pub fn name(self) -> &'static str {
        match self {
            DocumentType::Text => "text",
            DocumentType::Pdf => "pdf",
            DocumentType::Html => "html",
            DocumentType::Svg => "svg",
            DocumentType::Xml => "xml",
            DocumentType::Docx => "docx",
            DocumentType::Pptx => "pptx",
            DocumentType::Xlsx => "xlsx",
            DocumentType::Odt => "odt",
            DocumentType::Odp => "odp",
            DocumentType::Ods => "ods",
            DocumentType::Epub => "epub",
            DocumentType::Zip => "zip",
            DocumentType::Tar => "tar",
            DocumentType::SevenZ => "7z",
            DocumentType::Mail => "mail",
            DocumentType::Mbox => "mbox",
        }
    }
}

/// The text of a document and what it says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The text that is stored, searched and highlighted. Pages of a paginated document are
    /// separated by a form feed (`\f`); paragraphs and block elements by line breaks.
    pub text: String,
    /// The document's own title (PDF document info, `<title>`, document properties), if it has
    /// a non-empty one.
    pub title: Option<String>,
    /// The document's own date, in nanoseconds since the Unix epoch, when it gives one: when it
    /// was made (a PDF's `/CreationDate`, an office file's `dcterms:created`, an ODF file's
    /// `meta:creation-date`, an e-book's `dc:date`), else when it was last saved.
    pub date: Option<u64>,
}

/// Who wrote an e-mail message and to whom, as its headers say: what a person recognises a
/// message by, besides its subject and date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    /// The `From:` addresses, as `Name <address>`, comma-separated.
    pub from: String,
    /// The `To:`, `Cc:` and `Bcc:` addresses: everyone it was sent to.
    pub to: String,
}

/// Why a document's text could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The document is encrypted.
    #[error("it is encrypted")]
    Encrypted,
    /// The document is malformed, truncated, or uses a feature the extractor cannot read.
    #[error("it is damaged or unreadable ({0})")]
    Damaged(String),
    /// An archive's parts inflate past the cap: a zip bomb, or a document too large to hold.
    #[error("its parts inflate past {} MiB (a zip bomb?)", .limit >> 20)]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// Extraction took longer than the time limit.
    #[error("extracting its text took longer than {}s (raise --extract-timeout)", .0.as_secs_f64())]
    TimedOut(Duration),
    /// The extractor panicked.
    #[error("the {0} extractor failed on it ({1})")]
    Crashed(&'static str, String),
    /// Archives nested deeper than the limit (a 42.zip-style bomb?).
    #[error("archives are nested more than {0} deep in it")]
    TooDeep(u32),
    /// An archive with more members than the limit.
    #[error("it has more than {0} members")]
    TooManyMembers(u64),
}

impl ExtractError {
    /// A short name for the reason, under which failures are counted.
    pub fn reason(&self) -> &'static str {
        match self {
            ExtractError::Encrypted => "encrypted",
            ExtractError::Damaged(_) => "damaged",
            ExtractError::TooLarge { .. } => "too large unpacked",
            ExtractError::TimedOut(_) => "timed out",
            ExtractError::Crashed(..) => "extractor crashed",
            ExtractError::TooDeep(_) => "nested too deep",
            ExtractError::TooManyMembers(_) => "too many members",
        }
    }
}

/// How extraction runs: its limits and its tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Give up on a document after this long (`None`: never).
    pub timeout: Option<Duration>,
    /// Refuse an archive (DOCX, EPUB...) whose parts inflate past this many bytes, and a
    /// document whose text grows past it.
    pub max_inflated: u64,
    /// What extracts the text of PDFs.
    pub pdf: PdfExtractor,
    /// How far archives and compressed files are followed.
    pub container: container::ContainerLimits,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            timeout: Some(Duration::from_secs(30)),
            max_inflated: 256 << 20,
            pdf: PdfExtractor::Builtin,
            container: container::ContainerLimits::default(),
        }
    }
}

/// What extracts the text of PDFs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PdfExtractor {
    /// The extractor built into Lantern.
    #[default]
    Builtin,
    /// Poppler's `pdftotext`, when it is installed (opt-in).
    Pdftotext,
}

/// One document format: how a file of it is recognised and how its text is extracted.
pub struct Format {
    /// The type documents of this format are indexed as.
    pub kind: DocumentType,
    /// Lower-case file name extensions, without the dot.
    pub extensions: &'static [&'static str],
    /// True when a file's first bytes (up to 8 KiB) show it is of this format.
    pub magic: fn(&[u8]) -> bool,
    /// Whether this is a binary format. A binary format is recognised by its magic whatever the
    /// extension (a file of it would otherwise be skipped as binary). A markup format is
    /// recognised by its extension when the file is text, even without the magic (an HTML
    /// fragment has no doctype), and by its magic only in a file without an extension, so a
    /// `.csproj` or a `.xsd` that opens with `<?xml` stays searchable as source.
    pub binary: bool,
    /// Reads it: the text of a document, the members of an archive, or a message and its
    /// attachments.
    pub extract: Reader,
}

impl Format {
    /// Extracts the text of a whole document of this format, on this thread (for tests).
    #[cfg(test)]
    pub fn read_document(
        &self,
        bytes: &[u8],
        options: &ExtractOptions,
    ) -> Result<Extracted, ExtractError> {
        match self.extract {
            Reader::Document(read) => read(bytes, options),
            Reader::Archive(_) | Reader::Message(_) => {
                panic!("{} is not a plain document", self.kind.name())
            }
        }
    }

    /// Extracts the text of `bytes` as [`extract`] does, on a thread under the time limit
    /// (for tests).
    #[cfg(test)]
    pub fn run(&self, bytes: Vec<u8>, options: ExtractOptions) -> Result<Extracted, ExtractError> {
        match self.extract {
            Reader::Document(read) => extract(self.kind, read, bytes, options),
            Reader::Archive(_) | Reader::Message(_) => {
                panic!("{} is not a plain document", self.kind.name())
            }
        }
    }
}

/// How a format is read.
#[derive(Clone, Copy)]
pub enum Reader {
    /// A document: its whole bytes in, its text out.
    Document(DocumentReader),
    /// An archive: its bytes as a stream in, its members out one by one.
    Archive(ArchiveReader),
    /// An e-mail message: its whole bytes in, its text and envelope out, and its attachments,
    /// which the container walk reads as its members.
    Message(MessageReader),
}

/// Extracts an e-mail message.
pub type MessageReader = fn(&[u8], &ExtractOptions) -> Result<Message, ExtractError>;

/// An e-mail message, read.
#[derive(Debug, Default)]
pub struct Message {
    /// Its body as text, its subject as title.
    pub extracted: Extracted,
    /// Who sent it, to whom.
    pub envelope: Envelope,
    /// Its `Date:`, in nanoseconds since the Unix epoch, when it has a valid one.
    pub date: Option<u64>,
    /// Its attachments, decoded, in the order they appear.
    pub attachments: Vec<Attachment>,
}

/// A file attached to a message.
#[derive(Debug)]
pub struct Attachment {
    /// Its file name (unique within the message).
    pub name: String,
    /// Its bytes, decoded.
    pub bytes: Vec<u8>,
}

/// Extracts the text of a whole document.
pub type DocumentReader = fn(&[u8], &ExtractOptions) -> Result<Extracted, ExtractError>;

/// Hands each member of an archive to the callback as it streams past; the `u64` is how many
/// bytes the reader may hold in memory if the format cannot stream.
pub type ArchiveReader = fn(
    Input<'_>,
    u64,
    &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError>;

/// Something to read and seek: a file, or a member held in memory.
pub trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// The bytes of a file or a member: seekable (a file on disk, a member in memory) or only a
/// stream (inflated on the fly).
pub enum Input<'a> {
    /// Can be read from anywhere.
    Seekable(&'a mut dyn ReadSeek),
    /// Can only be read in order.
    Stream(&'a mut dyn Read),
}

/// A member as an archive's reader yields it.
pub struct RawMember<'a> {
    /// Its name as stored (a label only: never a path written to).
    pub name: String,
    /// Its size as declared by the archive (which may lie), or 0 when the archive declares none
    /// and its reader holds the member already (a message of a mailbox, within its own cap).
    pub size: u64,
    /// True when it is encrypted: its bytes are not offered.
    pub encrypted: bool,
    /// Its bytes, inflated.
    pub reader: &'a mut dyn Read,
}

/// What a file or a member holds, as it is indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The text: decoded, or extracted from a document.
    pub text: String,
    /// The document's own title, if it has one.
    pub title: Option<String>,
    /// Its type.
    pub kind: DocumentType,
    /// True when decoding had to replace invalid bytes.
    pub lossy: bool,
    /// True when the text was longer than the cap and only its start is here.
    pub truncated: bool,
    /// For an e-mail message: who sent it, to whom.
    pub envelope: Option<Envelope>,
    /// The document's own date (an e-mail's `Date:`, see [`Extracted::date`] for the others),
    /// in nanoseconds since the Unix epoch.
    pub date: Option<u64>,
}

/// Why a file or a member has no document.
#[derive(Debug)]
pub enum Unread {
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Larger than the size cap.
    TooLarge {
        /// Its size in bytes (as far as it was read, or as declared).
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// Opening or reading failed.
    Unreadable(std::io::Error),
    /// The document's text could not be extracted.
    Unextractable {
        /// What it was taken for.
        kind: DocumentType,
        /// Why its text could not be had.
        error: ExtractError,
    },
}

/// The document in `bytes`, named `name`: through its format's extractor when it has one,
/// decoded as plain text otherwise; its text cut at `max_text` bytes, at a character. Of an
/// e-mail message, the message's own document: its attachments are read as its members by the
/// container walk (see [`container::open`]), not here.
pub fn document(
    name: &Path,
    bytes: Vec<u8>,
    options: &ExtractOptions,
    max_text: u64,
) -> Result<Document, Unread> {
    let (mut text, title, date, kind, lossy) =
        match recognise(name, &bytes[..bytes.len().min(8192)]) {
            Some(Format {
                kind,
                extract: Reader::Message(read),
                ..
            }) => {
                return message(*kind, *read, bytes, options, max_text)
                    .map(|(document, _)| document)
            }
            Some(Format {
                kind,
                extract: Reader::Document(read),
                ..
            }) => {
                let extracted = extract(*kind, *read, bytes, *options)
                    .map_err(|error| Unread::Unextractable { kind: *kind, error })?;
                (
                    extracted.text,
                    extracted.title,
                    extracted.date,
                    *kind,
                    false,
                )
            }
            Some(Format {
                kind,
                extract: Reader::Archive(_),
                ..
            }) => {
                return Err(Unread::Unextractable {
                    kind: *kind,
                    error: ExtractError::Damaged("an archive read as a document".to_string()),
                })
            }
            None => {
                let decoded =
                    plain::decode(bytes).map_err(|plain::NotText::Binary| Unread::Binary)?;
                (decoded.text, None, None, DocumentType::Text, decoded.lossy)
            }
        };
    let truncated = cut_text(&mut text, max_text);
    Ok(Document {
        text,
        title,
        kind,
        lossy,
        truncated,
        envelope: None,
        date,
    })
}

/// The document of the e-mail message in `bytes` (of type `kind`, read by `read`), its text cut
/// at `max_text` bytes, and its attachments.
pub fn message(
    kind: DocumentType,
    read: MessageReader,
    bytes: Vec<u8>,
    options: &ExtractOptions,
    max_text: u64,
) -> Result<(Document, Vec<Attachment>), Unread> {
    let Message {
        extracted,
        envelope,
        date,
        attachments,
    } = isolated(kind, read, bytes, *options)
        .map_err(|error| Unread::Unextractable { kind, error })?;
    let Extracted {
        mut text, title, ..
    } = clean(extracted);
    let truncated = cut_text(&mut text, max_text);
    let document = Document {
        text,
        title,
        kind,
        lossy: false,
        truncated,
        envelope: Some(envelope),
        date,
    };
    Ok((document, attachments))
}

/// Cuts `text` at `max_text` bytes, at a character; true when it was longer.
fn cut_text(text: &mut String, max_text: u64) -> bool {
    let truncated = text.len() as u64 > max_text;
    if truncated {
        text.truncate(text.floor_char_boundary(usize::try_from(max_text).unwrap_or(usize::MAX)));
        text.shrink_to_fit();
    }
    truncated
}

/// Every format Lantern extracts, in the order their magic is tried.
const FORMATS: &[&Format] = &[
    &pdf::FORMAT,
    &html::HTML,
    &xml::SVG,
    &xml::XML,
    &ooxml::DOCX,
    &ooxml::PPTX,
    &ooxml::XLSX,
    &odf::ODT,
    &odf::ODP,
    &odf::ODS,
    &epub::EPUB,
    // Last: office documents and e-books are zips too, told apart by their parts.
    &archive::ZIP,
    &archive::TAR,
    &archive::SEVEN_Z,
    // Before messages: a mailbox opens with a message's headers behind its `From ` line.
    &mbox::MBOX,
    &mail::MESSAGE,
];

/// The format files named like `path` have by their extension, if any.
fn named(path: &Path) -> Option<&'static Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    FORMATS
        .iter()
        .find(|format| format.extensions.contains(&extension.as_str()))
        .copied()
}

/// The type files named like `path` are taken for by their extension alone.
pub fn kind_by_name(path: &Path) -> DocumentType {
    named(path).map_or(DocumentType::Text, |format| format.kind)
}

/// True when files named like `path` are archives by their extension.
pub fn is_archive_name(path: &Path) -> bool {
    named(path).is_some_and(|format| matches!(format.extract, Reader::Archive(_)))
}

impl Format {
    /// True when a document of this format holds others: an archive its members, a message
    /// its attachments.
    pub fn holds_members(&self) -> bool {
        match self.extract {
            Reader::Archive(_) | Reader::Message(_) => true,
            Reader::Document(_) => false,
        }
    }
}

/// The format of the file at `path` whose first bytes are `head`, or `None` for plain text.
/// The extension decides when the head agrees with it (for markup: when the head is text);
/// otherwise a binary format's magic does; a file without an extension may also be recognised
/// as markup by its head.
pub fn recognise(path: &Path, head: &[u8]) -> Option<&'static Format> {
    let agrees = |format: &&Format| {
        (format.magic)(head) || (!format.binary && memchr::memchr(0, head).is_none())
    };
    if let Some(format) = named(path).filter(agrees) {
        return Some(format);
    }
    let has_extension = path.extension().is_some();
    FORMATS
        .iter()
        .find(|format| (format.binary || !has_extension) && (format.magic)(head))
        .copied()
}

/// Extracts the text of `bytes`, a document of type `kind`, with `read`, on a thread of its own
/// so that a parser that loops or panics costs this document only. After `options.timeout` the
/// thread is abandoned (it cannot be stopped) and the document fails.
pub fn extract(
    kind: DocumentType,
    read: DocumentReader,
    bytes: Vec<u8>,
    options: ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let extracted = isolated(kind, read, bytes, options)?;
    if extracted.text.len() as u64 > options.max_inflated {
        return Err(ExtractError::TooLarge {
            limit: options.max_inflated,
        });
    }
    Ok(clean(extracted))
}

/// `extracted` with its title on one line and leader dots stripped from its text.
fn clean(extracted: Extracted) -> Extracted {
    Extracted {
        title: extracted.title.as_deref().and_then(one_line_title),
        date: extracted.date,
        text: leaders::strip_leaders(&extracted.text).unwrap_or(extracted.text),
    }
}

/// Runs `read` (the reader of documents of type `kind`) on `bytes`, on a thread of its own under
/// the time limit, a panic caught as a failure: see [`extract`].
fn isolated<T: Send + 'static>(
    kind: DocumentType,
    read: fn(&[u8], &ExtractOptions) -> Result<T, ExtractError>,
    bytes: Vec<u8>,
    options: ExtractOptions,
) -> Result<T, ExtractError> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let name = kind.name();
    let spawned = std::thread::Builder::new()
        .name(format!("extract-{name}"))
        .spawn(move || {
            let outcome =
                std::panic::catch_unwind(|| read(&bytes, &options)).unwrap_or_else(|panic| {
                    Err(ExtractError::Crashed(
                        name,
                        crate::panic::panic_message(panic.as_ref()),
                    ))
                });
            // The receiver is gone when the document timed out: nobody waits for this.
            let _ = sender.send(outcome);
        });
    if let Err(err) = spawned {
        return Err(ExtractError::Damaged(format!(
            "no thread to extract it: {err}"
        )));
    }
    let outcome = match options.timeout {
        Some(timeout) => receiver.recv_timeout(timeout).map_err(|err| match err {
            RecvTimeoutError::Timeout => ExtractError::TimedOut(timeout),
            RecvTimeoutError::Disconnected => ExtractError::Crashed(name, "no answer".to_string()),
        }),
        None => receiver
            .recv()
            .map_err(|_| ExtractError::Crashed(name, "no answer".to_string())),
    };
    outcome?
}

/// Titles longer than this many characters are cut: a title is shown on one line.
const MAX_TITLE_CHARS: usize = 300;

/// `title` as one line: runs of whitespace and control characters (which a terminal would
/// obey) become one space, and it is cut to [`MAX_TITLE_CHARS`]; `None` when nothing is left.
fn one_line_title(title: &str) -> Option<String> {
    let words = title.split(|c: char| c.is_whitespace() || c.is_control());
    let line = words
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let line: String = line.chars().take(MAX_TITLE_CHARS).collect();
    (!line.is_empty()).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_clean_line() {
        assert_eq!(
            one_line_title("  The\u{1b}[31m  Manual\n of\tLanterns "),
            Some("The [31m Manual of Lanterns".to_string())
        );
        assert_eq!(one_line_title(" \n\t "), None);
        assert_eq!(
            one_line_title(&"x".repeat(1000)).map(|title| title.len()),
            Some(MAX_TITLE_CHARS)
        );
    }

    /// Runs `read` as the extractor of an HTML document, for testing the runner.
    fn run(read: DocumentReader, options: ExtractOptions) -> Result<Extracted, ExtractError> {
        extract(DocumentType::Html, read, b"x".to_vec(), options)
    }

    #[test]
    fn a_panicking_extractor_fails_its_document_only() {
        let outcome = run(|_, _| panic!("bad table"), ExtractOptions::default());
        assert!(
            matches!(&outcome, Err(ExtractError::Crashed("html", message)) if message == "bad table"),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_slow_extractor_is_abandoned_at_the_time_limit() {
        let slow: DocumentReader = |_, _| {
            std::thread::sleep(Duration::from_secs(5));
            Ok(Extracted::default())
        };
        let options = ExtractOptions {
            timeout: Some(Duration::from_millis(50)),
            ..ExtractOptions::default()
        };
        let started = std::time::Instant::now();
        let outcome = run(slow, options);
        assert!(
            matches!(outcome, Err(ExtractError::TimedOut(_))),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn text_past_the_cap_is_refused() {
        let long: DocumentReader = |_, _| {
            Ok(Extracted {
                text: "x".repeat(100),
                ..Extracted::default()
            })
        };
        let options = ExtractOptions {
            max_inflated: 10,
            ..ExtractOptions::default()
        };
        let outcome = run(long, options);
        assert!(
            matches!(outcome, Err(ExtractError::TooLarge { limit: 10 })),
            "{outcome:?}"
        );
    }

    #[test]
    fn plain_text_files_have_no_format() {
        assert!(recognise(Path::new("notes.txt"), b"hello").is_none());
        assert!(recognise(Path::new("Makefile"), b"all: build").is_none());
    }

    /// The type `recognise` gives a file called `name` starting with `head`.
    fn kind_of(name: &str, head: &[u8]) -> Option<&'static str> {
        recognise(Path::new(name), head).map(|format| format.kind.name())
    }

    #[test]
    fn markup_counts_by_its_extension_or_in_a_file_without_one() {
        assert_eq!(kind_of("page.HTML", b"<p>no doctype</p>"), Some("html"));
        assert_eq!(kind_of("page", b"<!DOCTYPE html><p>x</p>"), Some("html"));
        assert_eq!(kind_of("data", b"<?xml version=\"1.0\"?><a/>"), Some("xml"));
        // Source that happens to be XML stays searchable as source.
        assert_eq!(kind_of("app.csproj", b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(kind_of("notes.md", b"<html> in a note"), None);
        // Binary bytes behind a markup name are not markup.
        assert_eq!(kind_of("page.html", b"\0\x01binary"), None);
    }

    #[test]
    fn a_binary_format_is_known_by_its_bytes_whatever_its_name() {
        let odt = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0mimetypeapplication/vnd.oasis.opendocument.text";
        assert_eq!(kind_of("letter.txt", odt), Some("odt"));
        assert_eq!(kind_of("letter", odt), Some("odt"));
        // A name that lies the other way: not a zip, so not a document.
        assert_eq!(kind_of("notes.docx", b"just text"), None);
    }

    #[test]
    fn type_names_are_distinct() {
        let names: std::collections::BTreeSet<&str> =
            DocumentType::ALL.iter().map(|kind| kind.name()).collect();
        assert_eq!(names.len(), DocumentType::ALL.len());
    }
}
