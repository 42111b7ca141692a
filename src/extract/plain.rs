//! Plain text: telling a binary file from a text one, and decoding text (UTF-8, or UTF-16 and
//! UTF-32 with a byte order mark) into a string.

/// How many leading bytes are searched for a NUL byte to call a file binary (like git and ripgrep).
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

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

/// A Unicode encoding whose code units are wider than a byte, told by its byte order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WideEncoding {
    Utf32Le,
    Utf32Be,
    Utf16Le,
    Utf16Be,
}

impl WideEncoding {
    /// The bytes of one code unit.
    pub fn unit_len(self) -> usize {
        match self {
            WideEncoding::Utf32Le | WideEncoding::Utf32Be => 4,
            WideEncoding::Utf16Le | WideEncoding::Utf16Be => 2,
        }
    }

    /// The encoding `bytes` declares by their byte order mark, if a wide one, with the length
    /// of the mark. UTF-32 LE's mark starts with UTF-16 LE's, so it is looked for first.
    pub fn of(bytes: &[u8]) -> Option<(WideEncoding, usize)> {
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
pub fn is_binary(start: &[u8]) -> bool {
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
pub fn decode_text(mut bytes: Vec<u8>) -> DecodedText {
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
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("héllo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).unwrap().text, "héllo");
        let mut be = vec![0xFE, 0xFF];
        be.extend("héllo".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be).unwrap().text, "héllo");
    }
}
