//! Fonts as text extraction needs them: the text of each character code and how far its
//! glyph advances the pen.

use std::collections::HashMap;

use lopdf::{Dictionary, Object};

use super::cmap::{self, ToUnicode};
use super::glyphs::{self, BaseEncoding, CodeMap};
use super::lexer::{Lexer, Token};
use super::objects::Objects;
use super::ExtractError;

/// The advance, in thousandths of an em, assumed for a glyph whose width the font omits.
const DEFAULT_WIDTH: f32 = 500.0;

/// A `/W` array's ranges are cut past this many codes in all.
const MAX_CID_WIDTHS: u32 = 0x1_0000;

/// What a font's codes mean and how wide their glyphs are.
#[derive(Debug)]
pub(super) struct Font {
    codes: Codes,
    /// Glyph space to text space: 1/1000, or a Type 3 font's own `/FontMatrix`.
    scale: f32,
}

/// The codes of a simple font (one byte each) or of a composite font (two bytes each).
#[derive(Debug)]
enum Codes {
    Simple {
        text: Box<[Box<str>]>,
        widths: Box<[f32; 256]>,
    },
    Composite {
        text: HashMap<u32, Box<str>>,
        widths: HashMap<u32, f32>,
        default_width: f32,
    },
}

/// The glyphs of one shown string.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Shown {
    /// The sum of the glyphs' advances, in text space units of a 1-point font.
    pub(super) advance: f32,
    /// How many glyphs the string shows.
    pub(super) glyphs: usize,
    /// How many of them are the one-byte code 32, which word spacing widens.
    pub(super) spaces: usize,
}

impl Font {
    /// Reads the font dictionary `dict`.
    pub(super) fn load(objects: &Objects, dict: &Dictionary) -> Result<Font, ExtractError> {
        let to_unicode = match objects.stream(dict, b"ToUnicode") {
            Some(stream) => objects.data(stream)?.map(|data| cmap::parse(&data)),
            None => None,
        };
        let subtype = objects.name(dict, b"Subtype").unwrap_or_default();
        let scale = match subtype {
            b"Type3" => objects
                .array(dict, b"FontMatrix")
                .and_then(|matrix| objects.resolve(matrix.first()?)?.as_float().ok())
                .filter(|scale| scale.is_finite() && *scale != 0.0)
                .unwrap_or(0.001),
            _ => 0.001,
        };
        let codes = match subtype {
            b"Type0" => composite(objects, dict, to_unicode),
            _ => simple(objects, dict, to_unicode, scale)?,
        };
        Ok(Font { codes, scale })
    }

    /// The font of a `Tf` naming one the page's resources lack (a file cut short): codes read
    /// as Latin-1, glyphs half an em wide.
    pub(super) fn fallback() -> Font {
        let text: Vec<Box<str>> = (0..=255u8)
            .map(|code| match code {
                0x20..=0x7E | 0xA0..=0xFF => char::from(code).to_string().into_boxed_str(),
                _ => Box::from(""),
            })
            .collect();
        Font {
            codes: Codes::Simple {
                text: text.into_boxed_slice(),
                widths: Box::new([DEFAULT_WIDTH; 256]),
            },
            scale: 0.001,
        }
    }

    /// Appends the text of the string `bytes` to `out` and measures its glyphs.
    pub(super) fn show(&self, bytes: &[u8], out: &mut String) -> Shown {
        let mut shown = Shown::default();
        let mut width_sum = 0.0;
        match &self.codes {
            Codes::Simple { text, widths } => {
                for &code in bytes {
                    push_text(out, &text[usize::from(code)]);
                    width_sum += widths[usize::from(code)];
                    shown.spaces += usize::from(code == b' ');
                }
                shown.glyphs = bytes.len();
            }
            Codes::Composite {
                text,
                widths,
                default_width,
            } => {
                for pair in bytes.chunks(2) {
                    let code = pair.iter().fold(0, |code, &b| code << 8 | u32::from(b));
                    if let Some(text) = text.get(&code) {
                        push_text(out, text);
                    }
                    width_sum += widths.get(&code).copied().unwrap_or(*default_width);
                    shown.glyphs += 1;
                }
            }
        }
        shown.advance = width_sum * self.scale;
        shown
    }
}

/// Appends a code's text, ligatures spelled out.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        glyphs::push_char(out, c);
    }
}

/// A composite font: two-byte codes, their text from the ToUnicode CMap (there is no other
/// source short of the font program), their widths from the descendant font's `/W`.
fn composite(objects: &Objects, dict: &Dictionary, to_unicode: Option<ToUnicode>) -> Codes {
    let descendant = objects
        .array(dict, b"DescendantFonts")
        .and_then(|fonts| objects.resolve(fonts.first()?)?.as_dict().ok());
    let mut widths = HashMap::new();
    let mut default_width = 1000.0;
    if let Some(descendant) = descendant {
        default_width = objects.number(descendant, b"DW").unwrap_or(1000.0);
        if let Some(w) = objects.array(descendant, b"W") {
            cid_widths(objects, w, &mut widths);
        }
    }
    Codes::Composite {
        text: to_unicode.map(|cmap| cmap.map).unwrap_or_default(),
        widths,
        default_width,
    }
}

/// Reads a `/W` array: `c [w1 w2 ...]` gives widths from `c` on, `c1 c2 w` one width to a range.
fn cid_widths(objects: &Objects, w: &[Object], widths: &mut HashMap<u32, f32>) {
    let number = |object: &Object| objects.resolve(object)?.as_float().ok();
    let mut budget = MAX_CID_WIDTHS;
    let mut at = 0;
    while let Some(first) = w.get(at).and_then(number) {
        let first = first.max(0.0) as u32;
        match w.get(at + 1).and_then(|object| objects.resolve(object)) {
            Some(Object::Array(list)) => {
                for (offset, width) in list.iter().filter_map(number).enumerate() {
                    widths.insert(first.saturating_add(offset as u32), width);
                }
                at += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) =
                    (last.as_float().ok(), w.get(at + 2).and_then(number))
                else {
                    return;
                };
                let count = (last.max(0.0) as u32).saturating_sub(first).min(budget);
                budget -= count;
                for code in first..=first.saturating_add(count) {
                    widths.insert(code, width);
                }
                at += 3;
            }
            None => return,
        }
    }
}

/// A simple font: one-byte codes, their text from the ToUnicode CMap where it has them and
/// otherwise from the encoding, their widths from `/Widths`.
fn simple(
    objects: &Objects,
    dict: &Dictionary,
    to_unicode: Option<ToUnicode>,
    scale: f32,
) -> Result<Codes, ExtractError> {
    let codes = code_map(objects, dict, to_unicode.is_some())?;
    let mut text: Vec<Box<str>> = codes
        .iter()
        .map(|&c| match c {
            '\0' => Box::from(""),
            c => c.to_string().into_boxed_str(),
        })
        .collect();
    if let Some(cmap) = to_unicode.filter(|cmap| cmap.code_len == 1) {
        for (code, mapped) in cmap.map {
            if let Some(slot) = text.get_mut(code as usize) {
                *slot = mapped;
            }
        }
    }
    let descriptor = objects.dict(dict, b"FontDescriptor");
    let missing = descriptor
        .and_then(|descriptor| objects.number(descriptor, b"MissingWidth"))
        .filter(|width| *width > 0.0);
    let mut widths = Box::new([missing.unwrap_or(DEFAULT_WIDTH * 0.001 / scale); 256]);
    if let Some(list) = objects.array(dict, b"Widths") {
        let first = objects.number(dict, b"FirstChar").unwrap_or(0.0).max(0.0) as usize;
        for (slot, width) in widths.iter_mut().skip(first).zip(list) {
            if let Some(width) = objects.resolve(width).and_then(|w| w.as_float().ok()) {
                *slot = width;
            }
        }
    }
    Ok(Codes::Simple {
        text: text.into_boxed_slice(),
        widths,
    })
}

/// The characters of a simple font's codes: its base encoding (named, else the font program's
/// own for an embedded Type 1 font without a ToUnicode CMap, else the standard one) with its
/// `/Differences` applied.
fn code_map(
    objects: &Objects,
    dict: &Dictionary,
    has_to_unicode: bool,
) -> Result<CodeMap, ExtractError> {
    let encoding = objects.get(dict, b"Encoding");
    let (named, differences) = match encoding {
        Some(Object::Name(name)) => (BaseEncoding::from_name(name), None),
        Some(Object::Dictionary(encoding)) => (
            objects
                .name(encoding, b"BaseEncoding")
                .and_then(BaseEncoding::from_name),
            objects.array(encoding, b"Differences"),
        ),
        _ => (None, None),
    };
    let mut codes = match named {
        Some(base) => base.code_map(),
        None if has_to_unicode => BaseEncoding::Standard.code_map(),
        None => match builtin_encoding(objects, dict)? {
            Some(codes) => codes,
            None if objects.name(dict, b"Subtype") == Some(b"TrueType") => {
                BaseEncoding::WinAnsi.code_map()
            }
            None => BaseEncoding::Standard.code_map(),
        },
    };
    if let Some(differences) = differences {
        let mut code = 0usize;
        for item in differences {
            match objects.resolve(item) {
                Some(Object::Integer(number)) => code = (*number).clamp(0, 256) as usize,
                Some(Object::Name(name)) => {
                    if let Some(slot) = codes.get_mut(code) {
                        *slot = glyphs::glyph_char(name)
                            .or_else(|| glyphs::numbered_glyph_char(name))
                            .unwrap_or('\0');
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    Ok(codes)
}

/// The encoding an embedded Type 1 font program declares in its clear-text part
/// (`dup 65 /A put`...), if it declares one other than the standard encoding.
fn builtin_encoding(objects: &Objects, dict: &Dictionary) -> Result<Option<CodeMap>, ExtractError> {
    let Some(program) = objects
        .dict(dict, b"FontDescriptor")
        .and_then(|descriptor| objects.stream(descriptor, b"FontFile"))
    else {
        return Ok(None);
    };
    let Some(data) = objects.data(program)? else {
        return Ok(None);
    };
    let clear = objects
        .number(&program.dict, b"Length1")
        .map_or(data.len(), |length| {
            (length.max(0.0) as usize).min(data.len())
        });
    let clear = &data[..clear];
    let clear = memchr::memmem::find(clear, b"eexec").map_or(clear, |end| &clear[..end]);
    let Some(start) = memchr::memmem::find(clear, b"/Encoding") else {
        return Ok(None);
    };
    let mut codes = ['\0'; 256];
    let tokens = Lexer::new(&clear[start + b"/Encoding".len()..]);
    let mut pending: Option<f32> = None;
    for token in tokens {
        match token {
            Token::Operator(b"StandardEncoding") => return Ok(None),
            Token::Operator(b"def" | b"readonly") => break,
            Token::Number(number) => pending = Some(number),
            Token::Name(name) => {
                if let Some(slot) = pending.take().and_then(|code| codes.get_mut(code as usize)) {
                    *slot = glyphs::glyph_char(name).unwrap_or('\0');
                }
            }
            _ => {}
        }
    }
    Ok(Some(codes))
}
