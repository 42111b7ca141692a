//! Turning a document's bytes into the text Lantern indexes: PDF, HTML, office and e-book files
//! through the extractor of their format; every other file stays plain text.
//!
//! A format is one file in this folder exposing a [`Format`] and one line in [`FORMATS`]. A
//! file is recognised by its extension and, when that is missing or lies about a binary format,
//! by its first bytes. Extraction runs on its own thread, under a time limit, with panics caught:
//! no document can stop, hang or crash an indexing run.

use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

mod pdf;
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
}

impl DocumentType {
    /// Every type, in the order summaries list them.
    pub const ALL: [DocumentType; 12] = [
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
    ];

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
        }
    }

    /// The type called `name`, if any.
    pub fn from_name(name: &str) -> Option<DocumentType> {
        DocumentType::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
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
    #[error("its parts inflate past {limit} bytes (a zip bomb?)")]
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
}

impl ExtractError {
    /// A short name for the reason, under which failures are counted.
    pub fn reason(&self) -> &'static str {
        match self {
            ExtractError::Encrypted => "encrypted",
            ExtractError::Damaged(_) => "damaged",
            ExtractError::TooLarge { .. } => "too large",
            ExtractError::TimedOut(_) => "timed out",
            ExtractError::Crashed(..) => "extractor crashed",
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
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            timeout: Some(Duration::from_secs(30)),
            max_inflated: 256 << 20,
            pdf: PdfExtractor::Builtin,
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
    /// Whether `magic` alone, whatever the extension, makes a file this format. True for binary
    /// formats (whose files would otherwise be skipped as binary); false for markup, so a
    /// `.csproj` or a `.xsd` that opens with `<?xml` stays searchable as source.
    pub binary: bool,
    /// Extracts the text of a whole file.
    pub extract: fn(&[u8], &ExtractOptions) -> Result<Extracted, ExtractError>,
}

/// Every format Lantern extracts, in the order their magic is tried.
const FORMATS: &[&Format] = &[&pdf::FORMAT];

/// The format of the file at `path` whose first bytes are `head`, or `None` for plain text.
/// The extension decides when the head agrees with it; otherwise a binary format's magic does;
/// a file without an extension may also be recognised as markup by its head.
pub fn recognise(path: &Path, head: &[u8]) -> Option<&'static Format> {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    if let Some(extension) = &extension {
        let named = FORMATS
            .iter()
            .find(|format| format.extensions.contains(&extension.as_str()));
        if let Some(format) = named.filter(|format| (format.magic)(head)) {
            return Some(format);
        }
    }
    FORMATS
        .iter()
        .find(|format| (format.binary || extension.is_none()) && (format.magic)(head))
        .copied()
}

/// Extracts the text of `bytes` as `format`, on a thread of its own so that a parser that loops
/// or panics costs this document only. After `options.timeout` the thread is abandoned (it
/// cannot be stopped) and the document fails.
pub fn extract(
    format: &'static Format,
    bytes: Vec<u8>,
    options: ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let name = format.kind.name();
    let spawned = std::thread::Builder::new()
        .name(format!("extract-{name}"))
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| (format.extract)(&bytes, &options))
                .unwrap_or_else(|panic| {
                    Err(ExtractError::Crashed(
                        name,
                        crate::index::panic_message(panic.as_ref()),
                    ))
                });
            // The receiver is gone when the document timed out: nobody waits for this.
            let _ = sender.send(outcome);
        });
    if let Err(err) = spawned {
        return Err(ExtractError::Damaged(format!("no thread to extract it: {err}")));
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
    let extracted = outcome??;
    if extracted.text.len() as u64 > options.max_inflated {
        return Err(ExtractError::TooLarge {
            limit: options.max_inflated,
        });
    }
    Ok(extracted)
}
