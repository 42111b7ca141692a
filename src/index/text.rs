//! Reading a file as a document: its format's extractor for a document, decoding for plain
//! text, nothing for a binary file.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::extract::{self, DocumentType, ExtractError, ExtractOptions};

/// How many leading bytes are searched for a NUL byte to call a file binary (like git and ripgrep).
const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Why a file's bytes were not turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// A NUL byte in the first 8 KiB: the file is binary.
    Binary,
}

/// The decoded text of a file and whether decoding had to replace invalid bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedText {
    /// The text, without any byte-order mark.
    pub text: String,
    /// True when invalid UTF-8 (or unpaired UTF-16 surrogates) were replaced by U+FFFD.
    pub lossy: bool,
}

/// Why a file was not indexed.
#[derive(Debug)]
pub enum SkipReason {
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Larger than the configured cap.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
    },
    /// Opening or reading failed.
    Unreadable(std::io::Error),
    /// The document's text could not be extracted.
    Unextractable {
        /// What the file was taken for.
        kind: DocumentType,
        /// Why its text could not be had.
        error: ExtractError,
    },
}

/// What a file holds, as it is indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileText {
    /// The text: decoded, or extracted from a document.
    pub text: String,
    /// The document's own title, if it has one.
    pub title: Option<String>,
    /// The file's type.
    pub kind: DocumentType,
    /// True when decoding had to replace invalid bytes.
    pub lossy: bool,
    /// True when the text was longer than the cap and only its start is here.
    pub truncated: bool,
}

/// Reads the file at `path` as a document: a format with an extractor (recognised by its
/// extension and first bytes) gives its extracted text and title; any other file is decoded as
/// plain text unless it is binary. Only the first 8 KiB are read from a binary file, and
/// nothing from a file larger than `max_size` bytes. Whatever the file turned into since the walk
/// saw it, nothing blocks: it is opened without waiting (a FIFO or a device would wait for a
/// writer) and read only if it is still a regular file; memory for its bytes is asked for, not
/// assumed, so a file too large to hold fails alone. Of a text longer than `max_text` bytes only
/// the start is kept, cut at a character: of a plain text file, only that much is read.
pub fn read_file(
    path: &Path,
    max_size: u64,
    max_text: u64,
    options: &ExtractOptions,
) -> Result<FileText, SkipReason> {
    let mut file = open_without_blocking(path).map_err(SkipReason::Unreadable)?;
    let metadata = file.metadata().map_err(SkipReason::Unreadable)?;
    if !metadata.is_file() {
        return Err(SkipReason::Unreadable(std::io::Error::other(
            "not a regular file",
        )));
    }
    let size = metadata.len();
    if size > max_size {
        return Err(SkipReason::TooLarge { size });
    }
    let mut bytes = Vec::new();
    (&mut file)
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut bytes)
        .map_err(SkipReason::Unreadable)?;
    if let Some(format) = extract::recognise(path, &bytes) {
        read_rest(&mut file, &mut bytes, size, max_size)?;
        let extracted = extract::extract(format, bytes, *options).map_err(|error| {
            SkipReason::Unextractable {
                kind: format.kind,
                error,
            }
        })?;
        let mut text = extracted.text;
        let truncated = text.len() as u64 > max_text;
        if truncated {
            text.truncate(
                text.floor_char_boundary(usize::try_from(max_text).unwrap_or(usize::MAX)),
            );
            text.shrink_to_fit();
        }
        return Ok(FileText {
            text,
            title: extracted.title,
            kind: format.kind,
            lossy: false,
            truncated,
        });
    }
    if is_binary(&bytes) {
        return Err(SkipReason::Binary);
    }
    let truncated = if size > max_text {
        read_start(&mut file, &mut bytes, max_text)?
    } else {
        read_rest(&mut file, &mut bytes, size, max_size)?;
        false
    };
    let decoded = decode_text(bytes);
    Ok(FileText {
        text: decoded.text,
        title: None,
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

/// A Unicode encoding whose code units are wider than a byte, told by its byte order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WideEncoding {
    Utf32Le,
    Utf32Be,
    Utf16Le,
    Utf16Be,
}

impl WideEncoding {
    /// The bytes of one code unit.
    fn unit_len(self) -> usize {
        match self {
            WideEncoding::Utf32Le | WideEncoding::Utf32Be => 4,
            WideEncoding::Utf16Le | WideEncoding::Utf16Be => 2,
        }
    }

    /// The encoding `bytes` declares by their byte order mark, if a wide one, with the length
    /// of the mark. UTF-32 LE's mark starts with UTF-16 LE's, so it is looked for first.
    fn of(bytes: &[u8]) -> Option<(WideEncoding, usize)> {
        const MARKS: [(&[u8], WideEncoding); 4] = [
            (&[0xFF, 0xFE, 0, 0], WideEncoding::Utf32Le),
            (&[0, 0, 0xFE, 0xFF], WideEncoding::Utf32Be),
            (&[0xFF, 0xFE], WideEncoding::Utf16Le),
            (&[0xFE, 0xFF], WideEncoding::Utf16Be),
        ];
        MARKS
            .iter()
            .find(|(mark, _)| bytes.starts_with(mark))
            .map(|&(mark, encoding)| (encoding, mark.len()))
    }
}

/// True when the start of a file marks it as binary: a NUL byte, unless it is UTF-16 or UTF-32
/// with a BOM.
fn is_binary(start: &[u8]) -> bool {
    WideEncoding::of(start).is_none() && start[..start.len().min(BINARY_SNIFF_LEN)].contains(&0)
}

/// Decodes a file's bytes: UTF-16 and UTF-32 with a BOM are decoded, a UTF-8 BOM is dropped, invalid UTF-8 is
/// replaced by U+FFFD, and a NUL byte in the first 8 KiB marks the file as binary.
pub fn decode(bytes: Vec<u8>) -> Result<DecodedText, NotText> {
    if is_binary(&bytes) {
        return Err(NotText::Binary);
    }
    Ok(decode_text(bytes))
}

/// Decodes the bytes of a file already known not to be binary.
fn decode_text(mut bytes: Vec<u8>) -> DecodedText {
    if let Some((encoding, mark)) = WideEncoding::of(&bytes) {
        let rest = &bytes[mark..];
        return match encoding {
            WideEncoding::Utf32Le => decode_utf32(rest, u32::from_le_bytes),
            WideEncoding::Utf32Be => decode_utf32(rest, u32::from_be_bytes),
            WideEncoding::Utf16Le => decode_utf16(rest, u16::from_le_bytes),
            WideEncoding::Utf16Be => decode_utf16(rest, u16::from_be_bytes),
        };
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => DecodedText { text, lossy: false },
        Err(err) => DecodedText {
            text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
            lossy: true,
        },
    }
}

/// Decodes UTF-16 code units read with `unit` (little or big endian), lossily.
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> DecodedText {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut lossy = !bytes.len().is_multiple_of(2);
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                lossy = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    DecodedText { text, lossy }
}

/// Decodes UTF-32 code units read with `unit` (little or big endian), lossily: a unit that is
/// no Unicode scalar value, or a trailing partial one, becomes U+FFFD.
fn decode_utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> DecodedText {
    let mut lossy = !bytes.len().is_multiple_of(4);
    let mut text = String::with_capacity(bytes.len() / 4);
    for quad in bytes.chunks_exact(4) {
        let decoded = char::from_u32(unit([quad[0], quad[1], quad[2], quad[3]]));
        text.push(decoded.unwrap_or_else(|| {
            lossy = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if lossy && !bytes.len().is_multiple_of(4) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    DecodedText { text, lossy }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_kept() {
        let decoded = decode(b"hello".to_vec()).unwrap();
        assert_eq!(decoded.text, "hello");
        assert!(!decoded.lossy);
    }

    #[test]
    fn nul_byte_means_binary() {
        assert_eq!(decode(b"ab\0cd".to_vec()), Err(NotText::Binary));
    }

    #[test]
    fn nul_after_sniff_window_is_text() {
        let mut bytes = vec![b'a'; BINARY_SNIFF_LEN];
        bytes.push(0);
        assert!(decode(bytes).is_ok());
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()).unwrap().text, "hi");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let decoded = decode(b"a\xFFb".to_vec()).unwrap();
        assert_eq!(decoded.text, "a\u{FFFD}b");
        assert!(decoded.lossy);
    }

    #[cfg(unix)]
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
        let outcome = read_file(&fifo, 1 << 20, 1 << 20, &ExtractOptions::default());
        assert!(
            matches!(&outcome, Err(SkipReason::Unreadable(err)) if err.to_string() == "not a regular file"),
            "{outcome:?}"
        );
    }

    #[test]
    fn utf32_with_bom_is_decoded_and_bad_units_replaced() {
        let mut le = vec![0xFF, 0xFE, 0, 0];
        le.extend("héllo 😀".chars().flat_map(|c| u32::from(c).to_le_bytes()));
        let decoded = decode(le.clone()).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.lossy), ("héllo 😀", false));
        let mut be = vec![0, 0, 0xFE, 0xFF];
        be.extend("héllo".chars().flat_map(|c| u32::from(c).to_be_bytes()));
        assert_eq!(decode(be).unwrap().text, "héllo");
        le.extend(0xD800u32.to_le_bytes());
        le.push(b'x');
        let decoded = decode(le).unwrap();
        assert!(
            decoded.text.ends_with("😀\u{FFFD}\u{FFFD}"),
            "{:?}",
            decoded.text
        );
        assert!(decoded.lossy);
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
            let read = read_file(path, 1 << 20, 10_001, &ExtractOptions::default()).unwrap();
            assert!(read.truncated && !read.lossy, "{path:?}");
            assert_eq!(read.text, "é".repeat(kept), "{path:?}");
        }
        let whole = read_file(&utf8, 1 << 20, 40_000, &ExtractOptions::default()).unwrap();
        assert!(!whole.truncated);
        assert_eq!(whole.text.len(), 40_000);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("héllo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).unwrap().text, "héllo");
        let mut be = vec![0xFE, 0xFF];
        be.extend("héllo".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be).unwrap().text, "héllo");
    }
}
