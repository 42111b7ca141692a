//! Reading a file as a document: its format's extractor for a document, decoding for plain
//! text, nothing for a binary file; an archive or a compressed file through the extraction
//! layer's container walk, its members handed on one by one.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::extract::container::{self, Member, Opened};
use crate::extract::plain::{self, WideEncoding, BINARY_SNIFF_LEN};
use crate::extract::{self, Document, DocumentType, ExtractOptions, Input, Unread};

/// Why a file was not indexed.
pub type SkipReason = Unread;

/// What a file holds, as it is indexed.
pub type FileText = Document;

/// Reads the file at `path` as a document: a format with an extractor (recognised by its
/// extension and first bytes) gives its extracted text and title; any other file is decoded as
/// plain text unless it is binary. Only the first 8 KiB are read from a binary file, and
/// nothing from a file larger than `max_size` bytes. Whatever the file turned into since the walk
/// saw it, nothing blocks: it is opened without waiting (a FIFO or a device would wait for a
/// writer) and read only if it is still a regular file; memory for its bytes is asked for, not
/// assumed, so a file too large to hold fails alone. Of a text longer than `max_text` bytes only
/// the start is kept, cut at a character: of a plain text file, only that much is read.
///
/// An archive or a compressed file is read as a stream whatever its size (`max_size` bounds
/// each document in it, the container limits the whole); each member that `admit` admits goes
/// to `each_member`.
pub fn read_file(
    path: &Path,
    max_size: u64,
    max_text: u64,
    options: &ExtractOptions,
    admit: &dyn Fn(&[String]) -> bool,
    each_member: &mut dyn FnMut(Member),
) -> Result<Opened, SkipReason> {
    let mut file = open_without_blocking(path).map_err(SkipReason::Unreadable)?;
    let metadata = file.metadata().map_err(SkipReason::Unreadable)?;
    if !metadata.is_file() {
        return Err(SkipReason::Unreadable(std::io::Error::other(
            "not a regular file",
        )));
    }
    let size = metadata.len();
    let mut bytes = Vec::new();
    (&mut file)
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut bytes)
        .map_err(SkipReason::Unreadable)?;
    if container::is_container(path, &bytes) {
        file.seek(SeekFrom::Start(0))
            .map_err(SkipReason::Unreadable)?;
        let input = Input::Seekable(&mut file);
        let limits = container::Bounds {
            disk_size: size,
            max_size,
            max_text,
        };
        return container::open(path, input, limits, options, admit, each_member);
    }
    if size > max_size {
        return Err(SkipReason::TooLarge {
            size,
            limit: max_size,
        });
    }
    let document = if extract::recognise(path, &bytes).is_some() {
        read_rest(&mut file, &mut bytes, size, max_size)?;
        extract::document(path, bytes, options, max_text)?
    } else {
        read_plain(&mut file, bytes, size, max_size, max_text)?
    };
    Ok(Opened {
        document,
        stopped: None,
    })
}

/// Reads the rest of the plain text `file` of `size` bytes, whose first bytes are `bytes`: of a
/// text longer than `max_text` bytes only that much is read.
fn read_plain(
    file: &mut File,
    mut bytes: Vec<u8>,
    size: u64,
    max_size: u64,
    max_text: u64,
) -> Result<Document, SkipReason> {
    if plain::is_binary(&bytes) {
        return Err(SkipReason::Binary);
    }
    let truncated = if size > max_text {
        read_start(file, &mut bytes, max_text)?
    } else {
        read_rest(file, &mut bytes, size, max_size)?;
        false
    };
    let decoded = plain::decode_text(bytes);
    Ok(Document {
        text: decoded.text,
        title: None,
        date: None,
        kind: DocumentType::Text,
        lossy: decoded.lossy,
        truncated,
    })
}

/// Reads `file`, whose first bytes are in `bytes`, up to `max_text` bytes in all, cut at a
/// character; true when there was more.
fn read_start(file: &mut File, bytes: &mut Vec<u8>, max_text: u64) -> Result<bool, SkipReason> {
    let cap = usize::try_from(max_text).unwrap_or(usize::MAX);
    // One byte more than the cap tells whether there is more, and where a character starts.
    let wanted = cap.saturating_add(1).saturating_sub(bytes.len());
    bytes.try_reserve_exact(wanted).map_err(|_| {
        SkipReason::Unreadable(std::io::Error::from(std::io::ErrorKind::OutOfMemory))
    })?;
    file.take(wanted as u64)
        .read_to_end(bytes)
        .map_err(SkipReason::Unreadable)?;
    if bytes.len() <= cap {
        return Ok(false);
    }
    let cut = match WideEncoding::of(bytes) {
        Some((encoding, mark)) => {
            let unit = encoding.unit_len();
            mark + (cap.saturating_sub(mark)) / unit * unit
        }
        // The last character start at or before the cap (a UTF-8 character is 4 bytes at most).
        None => (cap.saturating_sub(3)..=cap)
            .rev()
            .find(|&at| bytes.get(at).is_none_or(|&byte| byte & 0xC0 != 0x80))
            .unwrap_or(cap),
    };
    bytes.truncate(cut);
    Ok(true)
}

/// Reads the rest of `file`, whose first bytes are in `bytes` and whose size was `size`, keeping
/// to `max_size` bytes in all.
fn read_rest(
    file: &mut File,
    bytes: &mut Vec<u8>,
    size: u64,
    max_size: u64,
) -> Result<(), SkipReason> {
    let rest = usize::try_from(size.saturating_sub(bytes.len() as u64)).unwrap_or(usize::MAX);
    bytes
        .try_reserve_exact(rest.saturating_add(1))
        .map_err(|_| {
            SkipReason::Unreadable(std::io::Error::from(std::io::ErrorKind::OutOfMemory))
        })?;
    // The size may have changed since it was checked; the cap still holds.
    file.take(max_size.saturating_sub(bytes.len() as u64) + 1)
        .read_to_end(bytes)
        .map_err(SkipReason::Unreadable)?;
    if bytes.len() as u64 > max_size {
        return Err(SkipReason::TooLarge {
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    Ok(())
}

/// Opens `path` for reading without waiting for anything: `O_NONBLOCK` makes opening a FIFO
/// with no writer, or reading a device with nothing to say, fail at once instead of blocking.
/// Regular files ignore the flag.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let folder = tempfile::tempdir().unwrap();
        let fifo = folder.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO with no writer would block this thread for good: the test would hang.
        let outcome = read_file(
            &fifo,
            1 << 20,
            1 << 20,
            &ExtractOptions::default(),
            &|_| true,
            &mut |_| {},
        );
        assert!(
            matches!(&outcome, Err(SkipReason::Unreadable(err)) if err.to_string() == "not a regular file"),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_text_past_the_cap_is_cut_at_a_character() {
        let folder = tempfile::tempdir().unwrap();
        let utf8 = folder.path().join("utf8.txt");
        std::fs::write(&utf8, "é".repeat(20_000)).unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("é".repeat(20_000).encode_utf16().flat_map(u16::to_le_bytes));
        let wide = folder.path().join("utf16.txt");
        std::fs::write(&wide, utf16).unwrap();
        for (path, kept) in [(&utf8, 5_000), (&wide, 4_999)] {
            let read = read_file(
                path,
                1 << 20,
                10_001,
                &ExtractOptions::default(),
                &|_| true,
                &mut |_| {},
            )
            .unwrap()
            .document;
            assert!(read.truncated && !read.lossy, "{path:?}");
            assert_eq!(read.text, "é".repeat(kept), "{path:?}");
        }
        let whole = read_file(
            &utf8,
            1 << 20,
            40_000,
            &ExtractOptions::default(),
            &|_| true,
            &mut |_| {},
        )
        .unwrap()
        .document;
        assert!(!whole.truncated);
        assert_eq!(whole.text.len(), 40_000);
    }
}
