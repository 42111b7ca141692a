//! Reading the parts of a zip-based document (Office Open XML, OpenDocument, EPUB) with a cap
//! on how much they may inflate to, so that a zip bomb is refused instead of filling memory.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::ExtractError;

/// A zip archive whose parts are read under one shared cap on inflated bytes.
pub struct BoundedZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Inflated bytes that may still be read.
    remaining: u64,
    limit: u64,
}

impl<'a> BoundedZip<'a> {
    /// Opens the archive in `bytes`; all its parts together may inflate to `limit` bytes.
    pub fn new(bytes: &'a [u8], limit: u64) -> Result<Self, ExtractError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|err| ExtractError::Damaged(format!("not a valid zip archive: {err}")))?;
        Ok(BoundedZip {
            archive,
            remaining: limit,
            limit,
        })
    }

    /// The names of the archive's parts, in the order they are stored (names that cannot be
    /// read are left out).
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|name| name.into_owned())
            .collect()
    }

    /// The part called `name` as text (invalid UTF-8 replaced), or `None` when there is none.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        let mut part = match self.archive.by_name(name) {
            Ok(part) => part,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(what)) if what.contains("ncrypt") => {
                return Err(ExtractError::Encrypted)
            }
            Err(err) => return Err(ExtractError::Damaged(format!("{name}: {err}"))),
        };
        // A bomb usually declares its size: refuse it before inflating a byte. One that lies
        // is stopped by the bounded read below.
        if part.size() > self.remaining {
            return Err(ExtractError::TooLarge { limit: self.limit });
        }
        let mut bytes = Vec::new();
        (&mut part)
            .take(self.remaining + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| ExtractError::Damaged(format!("{name}: {err}")))?;
        if bytes.len() as u64 > self.remaining {
            return Err(ExtractError::TooLarge { limit: self.limit });
        }
        self.remaining -= bytes.len() as u64;
        Ok(Some(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        }))
    }
}

/// True when `head` starts a zip archive whose first part is an uncompressed `mimetype` holding
/// `mime`, as OpenDocument and EPUB files begin.
pub fn has_mimetype(head: &[u8], mime: &str) -> bool {
    // A local file header is 30 bytes, then the name, then (stored, no extra field) the data.
    const NAME: &[u8] = b"mimetype";
    head.starts_with(b"PK\x03\x04")
        && head.get(30..30 + NAME.len()) == Some(NAME)
        && head
            .get(38..38 + mime.len())
            .is_some_and(|data| data == mime.as_bytes())
}

/// True when `head` starts a zip archive one of whose first parts is named under `folder`
/// (`"word/"`), as the parts of an Office Open XML file show its kind.
pub fn has_part_under(head: &[u8], folder: &str) -> bool {
    // A local file header is a signature, 26 bytes of fields, then the name.
    is_zip(head)
        && memchr::memmem::find_iter(head, b"PK\x03\x04").any(|at| {
            head.get(at + 30..)
                .is_some_and(|name| name.starts_with(folder.as_bytes()))
        })
}

/// True when `head` starts a zip archive.
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}
