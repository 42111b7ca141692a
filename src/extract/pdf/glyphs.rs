//! Characters of simple fonts: the standard encodings and the glyph names a font's own encoding
//! or `/Differences` array uses, after the Adobe Glyph List.

#[path = "glyph_tables.rs"]
mod tables;

use tables::{
    GLYPH_NAMES, MAC_ROMAN_ENCODING, PDF_DOC_ENCODING, STANDARD_ENCODING, WIN_ANSI_ENCODING,
};

/// A simple font's code to character map; `'\0'` where a code stands for nothing known.
pub(super) type CodeMap = [char; 256];

/// The base encodings a font can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
}

impl BaseEncoding {
    /// The encoding `/Encoding` or `/BaseEncoding` names, if it is one we know.
    pub(super) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            _ => None,
        }
    }

    /// The encoding's code map.
    pub(super) fn code_map(self) -> CodeMap {
        let table = match self {
            BaseEncoding::Standard => &STANDARD_ENCODING,
            BaseEncoding::WinAnsi => &WIN_ANSI_ENCODING,
            BaseEncoding::MacRoman => &MAC_ROMAN_ENCODING,
        };
        table.map(|unit| char::from_u32(u32::from(unit)).unwrap_or('\0'))
    }
}

/// The character of a PDFDocEncoding byte, if it has one.
pub(super) fn pdf_doc_char(byte: u8) -> Option<char> {
    match PDF_DOC_ENCODING[usize::from(byte)] {
        0 => None,
        unit => char::from_u32(u32::from(unit)),
    }
}

/// The character a glyph name stands for: a name from the glyph list, a single letter,
/// `uniXXXX` or `uXXXX[XX]`, or any of these with a `.suffix` (small capitals, old-style
/// figures...) or as the first part of an `_`-joined ligature name.
pub(super) fn glyph_char(name: &[u8]) -> Option<char> {
    let name = name.split(|&b| b == b'.').next().unwrap_or(name);
    if let Some(c) = known_ligature(name) {
        return Some(c);
    }
    let name = name.split(|&b| b == b'_').next().unwrap_or(name);
    match name {
        [letter] if letter.is_ascii_alphabetic() => return Some(char::from(*letter)),
        [] => return None,
        _ => {}
    }
    let name = std::str::from_utf8(name).ok()?;
    if let Ok(at) = GLYPH_NAMES.binary_search_by(|(known, _)| (*known).cmp(name)) {
        return char::from_u32(u32::from(GLYPH_NAMES[at].1));
    }
    let hex = name
        .strip_prefix("uni")
        .filter(|hex| hex.len() >= 4)
        .map(|hex| &hex[..4])
        .or_else(|| {
            name.strip_prefix('u')
                .filter(|hex| (4..=6).contains(&hex.len()))
        })?;
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

/// The character of a glyph name that only numbers its code, as bitmap (Type 3) fonts from TeX
/// do: one or two letters then two or three decimal digits (`a65` is `A`). Poppler reads them
/// the same way.
pub(super) fn numbered_glyph_char(name: &[u8]) -> Option<char> {
    let digits = name.iter().position(u8::is_ascii_digit)?;
    let (letters, number) = name.split_at(digits);
    if !(1..=2).contains(&letters.len())
        || !letters.iter().all(u8::is_ascii_alphabetic)
        || !(2..=3).contains(&number.len())
        || !number.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let code = std::str::from_utf8(number).ok()?.parse::<u8>().ok()?;
    (code >= 0x20).then(|| char::from(code))
}

/// The ligature characters of `_`-joined names TeX fonts use.
fn known_ligature(name: &[u8]) -> Option<char> {
    match name {
        b"f_f" => Some('\u{FB00}'),
        b"f_i" => Some('\u{FB01}'),
        b"f_l" => Some('\u{FB02}'),
        b"f_f_i" => Some('\u{FB03}'),
        b"f_f_l" => Some('\u{FB04}'),
        _ => None,
    }
}

/// Appends `c` to `out`, spelling out the Latin ligatures a search must see as letters.
pub(super) fn push_char(out: &mut String, c: char) {
    match c {
        '\u{FB00}' => out.push_str("ff"),
        '\u{FB01}' => out.push_str("fi"),
        '\u{FB02}' => out.push_str("fl"),
        '\u{FB03}' => out.push_str("ffi"),
        '\u{FB04}' => out.push_str("ffl"),
        '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
        '\u{AD}' => {}
        c if c.is_control() => out.push(' '),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_become_characters() {
        assert_eq!(glyph_char(b"a"), Some('a'));
        assert_eq!(glyph_char(b"eacute"), Some('é'));
        assert_eq!(glyph_char(b"fi"), Some('\u{FB01}'));
        assert_eq!(glyph_char(b"f_f_i"), Some('\u{FB03}'));
        assert_eq!(glyph_char(b"quoteright"), Some('\u{2019}'));
        assert_eq!(glyph_char(b"uni00E9"), Some('é'));
        assert_eq!(glyph_char(b"u1F600"), Some('😀'));
        assert_eq!(glyph_char(b"a.sc"), Some('a'));
        assert_eq!(glyph_char(b"zero.oldstyle"), Some('0'));
        assert_eq!(glyph_char(b"nonsense"), None);
    }

    #[test]
    fn numbered_glyph_names_are_their_codes() {
        assert_eq!(numbered_glyph_char(b"a65"), Some('A'));
        assert_eq!(numbered_glyph_char(b"g101"), Some('e'));
        assert_eq!(numbered_glyph_char(b"a5"), None);
        assert_eq!(numbered_glyph_char(b"abc65"), None);
        assert_eq!(numbered_glyph_char(b"a300"), None);
    }

    #[test]
    fn base_encodings_differ_where_they_should() {
        assert_eq!(BaseEncoding::Standard.code_map()[0x27], '\u{2019}');
        assert_eq!(BaseEncoding::WinAnsi.code_map()[0xE9], 'é');
        assert_eq!(BaseEncoding::MacRoman.code_map()[0x8E], 'é');
    }

    #[test]
    fn ligatures_are_spelled_out() {
        let mut out = String::new();
        for c in ['e', '\u{FB03}', 'c', 'i', 'e', 'n', 't'] {
            push_char(&mut out, c);
        }
        assert_eq!(out, "efficient");
    }
}
