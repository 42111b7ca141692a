//! What an indexing run is asked to do and what it reports: its options, the observer that hears
//! its progress and warnings, and its statistics.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::language::Language;
use super::schema::SCHEMA_VERSION;
use super::walk::WalkOptions;
use crate::extract::{DocumentType, ExtractOptions};

/// How an indexing run behaves.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Threads for walking and for reading files and, as many again, for tantivy's indexing.
    pub threads: usize,
    /// Total memory for tantivy's in-memory segments, in bytes, shared by the indexing threads.
    pub heap_bytes: usize,
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
    /// Commit whenever this many bytes of text were indexed since the last commit, so an
    /// interrupted run keeps its work.
    pub commit_every_bytes: u64,
    /// Forget what the index holds under each root and index it from scratch.
    pub rebuild: bool,
    /// The language to stem in; `None` keeps the index's own (English for a new index). Another
    /// language than the index's is recorded: words are stemmed when searched, nothing is
    /// re-read.
    pub language: Option<Language>,
    /// Which files the walk yields.
    pub walk: WalkOptions,
    /// How the text of documents (PDF, HTML, office files...) is extracted.
    pub extract: ExtractOptions,
}

/// The least text of one document indexed, whatever the writer heap.
const MIN_TEXT_CAP: u64 = 1 << 20;

impl IndexOptions {
    /// At most this much of one document's text is indexed: a quarter of the writer heap. The
    /// engine holds a document's text several times over while it indexes it (the text, its
    /// stored copy, that copy compressed), so this keeps the memory one document costs, however
    /// large its file or its unpacked text, within a small multiple of `--memory`.
    pub fn max_text_bytes(&self) -> u64 {
        (self.heap_bytes as u64 / 4).max(MIN_TEXT_CAP)
    }
}

/// Receives the progress and warnings of an indexing run. The library never prints; the command
/// line shows these as it sees fit.
pub trait IndexObserver: Sync {
    /// The walk found one more file to read, of `bytes` bytes.
    fn found(&self, _bytes: u64) {}
    /// One planned file was handled (indexed or skipped).
    fn file_done(&self, _bytes: u64) {}
    /// Something was skipped or could not be read; the run goes on.
    fn warning(&self, warning: IndexWarning);
    /// The index is emptied and made anew, for the reason given.
    fn rebuilding(&self, why: Rebuild);
}

/// Why an index is rebuilt from scratch without being asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuild {
    /// It was made by another version of Lantern, whose terms or fields this one would misread.
    OtherVersion {
        /// The schema version it was made with.
        found: u32,
    },
}

impl fmt::Display for Rebuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rebuild::OtherVersion { found } => write!(
                f,
                "rebuilding the index: it was made by another version of Lantern (index schema \
                 version {found}, this Lantern's is {SCHEMA_VERSION})"
            ),
        }
    }
}

/// A file or folder that could not be indexed.
#[derive(Debug)]
pub enum IndexWarning {
    /// Permission denied, vanished mid-walk, a symlink loop, a read error...
    Unreadable {
        /// The path concerned, when known.
        path: Option<PathBuf>,
        /// What went wrong.
        message: String,
    },
    /// Larger than `--max-file-size`.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// A document whose text is longer than [`IndexOptions::max_text_bytes`]: only its start
    /// is indexed.
    Truncated {
        /// The file.
        path: PathBuf,
        /// The text indexed, in bytes.
        limit: u64,
    },
    /// A document whose text could not be extracted.
    Unextractable {
        /// The file.
        path: PathBuf,
        /// What it was taken for.
        kind: DocumentType,
        /// Why its text could not be had.
        message: String,
    },
}

impl fmt::Display for IndexWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexWarning::Unreadable {
                path: Some(path),
                message,
            } => write!(f, "skipped {}: {message}", path.display()),
            IndexWarning::Unreadable {
                path: None,
                message,
            } => write!(f, "skipped: {message}"),
            IndexWarning::TooLarge { path, size, limit } => write!(
                f,
                "skipped {}: {size} bytes is over the {limit}-byte limit (raise --max-file-size)",
                path.display()
            ),
            IndexWarning::Truncated { path, limit } => write!(
                f,
                "truncated {}: only the first {} MiB of its text are indexed (a quarter of \
                 --memory; raise --memory to index more of it)",
                path.display(),
                limit >> 20
            ),
            IndexWarning::Unextractable {
                path,
                kind,
                message,
            } => write!(f, "skipped {} ({}): {message}", path.display(), kind.name()),
        }
    }
}

/// What an indexing run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Files indexed for the first time.
    pub added: u64,
    /// Files re-indexed because their size or modification time changed.
    pub updated: u64,
    /// Documents deleted because their file vanished (or `--rebuild`).
    pub removed: u64,
    /// Files left alone because they did not change.
    pub unchanged: u64,
    /// Files skipped because they are binary.
    pub binary: u64,
    /// Files skipped because they exceed the size cap.
    pub too_large: u64,
    /// Files and folders skipped because they could not be read.
    pub unreadable: u64,
    /// Indexed files whose invalid UTF-8 was replaced by U+FFFD.
    pub lossy: u64,
    /// Indexed documents whose text was cut at [`IndexOptions::max_text_bytes`].
    pub truncated: u64,
    /// Bytes of text indexed, as decoded or extracted (a skipped file counts nothing).
    pub bytes: u64,
    /// Members of archives indexed as documents of their own (not counted in `added`).
    pub members: u64,
    /// Archives whose members were read.
    pub containers: u64,
    /// Documents whose text was extracted, by type (plain text files are not counted here).
    pub extracted: BTreeMap<DocumentType, u64>,
    /// Documents skipped because their text could not be extracted, by reason.
    pub failed: BTreeMap<&'static str, u64>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl IndexStats {
    /// Files skipped for any reason.
    pub fn skipped(&self) -> u64 {
        self.binary + self.too_large + self.unreadable + self.failed.values().sum::<u64>()
    }
}

/// An I/O error as a short lower-case message.
pub(super) fn io_message(err: std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no longer exists".to_string(),
        std::io::ErrorKind::OutOfMemory => "too large to hold in memory".to_string(),
        std::io::ErrorKind::WouldBlock => "reading it would wait (a device or a pipe?)".to_string(),
        _ => err.to_string(),
    }
}
