//! `/ToUnicode` CMaps: the text each character code of a font stands for.

use std::collections::HashMap;

use super::lexer::{Lexer, Token};

/// A `bfrange` longer than this is cut: no font has that many glyphs, and a crafted CMap could
/// otherwise ask for billions of entries.
const MAX_RANGE: u32 = 0x1_0000;

/// A parsed ToUnicode CMap: code to text, and the code length its code space declares.
#[derive(Debug, Default)]
pub(super) struct ToUnicode {
    pub(super) map: HashMap<u32, Box<str>>,
    /// Bytes per code, from the first `codespacerange` (1 when none is given).
    pub(super) code_len: usize,
}

/// Decodes a CMap destination: UTF-16BE text.
fn utf16(bytes: &[u8]) -> Box<str> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| match *pair {
            [high, low] => u16::from_be_bytes([high, low]),
            [low] => u16::from(low),
            _ => 0,
        })
        .collect();
    String::from_utf16_lossy(&units).into_boxed_str()
}

/// The code a source string of a CMap stands for.
fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |code, &byte| code << 8 | u32::from(byte))
}

/// Parses the CMap in `data`, skipping what it cannot read.
pub(super) fn parse(data: &[u8]) -> ToUnicode {
    let mut cmap = ToUnicode {
        map: HashMap::new(),
        code_len: 0,
    };
    let mut tokens = Lexer::new(data);
    let mut budget = MAX_RANGE * 4;
    while let Some(token) = tokens.next() {
        match token {
            Token::Operator(b"begincodespacerange") => {
                if let Some(Token::String(low)) = tokens.next() {
                    if cmap.code_len == 0 {
                        cmap.code_len = low.len().clamp(1, 4);
                    }
                }
            }
            Token::Operator(b"beginbfchar") => {
                while let Some(Token::String(source)) = tokens.next() {
                    if let Some(Token::String(target)) = tokens.next() {
                        cmap.map.insert(code(&source), utf16(&target));
                    }
                }
            }
            Token::Operator(b"beginbfrange") => {
                while let Some(Token::String(low)) = tokens.next() {
                    let Some(Token::String(high)) = tokens.next() else {
                        break;
                    };
                    let (low, high) = (code(&low), code(&high));
                    let count = high.saturating_sub(low).min(MAX_RANGE).min(budget);
                    budget -= count;
                    match tokens.next() {
                        Some(Token::String(first)) => range(&mut cmap.map, low, count, &first),
                        Some(Token::ArrayStart) => {
                            let mut code = low;
                            while let Some(Token::String(target)) = tokens.next() {
                                if code <= low + count {
                                    cmap.map.insert(code, utf16(&target));
                                }
                                code += 1;
                            }
                        }
                        _ => break,
                    }
                }
            }
            _ => {}
        }
    }
    cmap.code_len = cmap.code_len.max(1);
    cmap
}

/// Maps `low..=low+count` to `first` and its successors: the last UTF-16 unit counts up.
fn range(map: &mut HashMap<u32, Box<str>>, low: u32, count: u32, first: &[u8]) {
    let mut target = first.to_vec();
    for offset in 0..=count {
        map.insert(low + offset, utf16(&target));
        let Some(last) = target.len().checked_sub(1) else {
            return;
        };
        let (carry, overflow) = target[last].overflowing_add(1);
        target[last] = carry;
        if overflow && last > 0 {
            target[last - 1] = target[last - 1].wrapping_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_and_ranges() {
        let cmap = parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
              2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar
              2 beginbfrange <0041> <0043> <0061> <0050> <0051> [<00E9> <00E8>] endbfrange",
        );
        assert_eq!(cmap.code_len, 2);
        let text = |code| cmap.map.get(&code).map(|text| &**text);
        assert_eq!(text(3), Some(" "));
        assert_eq!(text(0x10), Some("fi"));
        assert_eq!(text(0x42), Some("b"));
        assert_eq!(text(0x43), Some("c"));
        assert_eq!(text(0x44), None);
        assert_eq!(text(0x51), Some("è"));
    }

    #[test]
    fn huge_ranges_are_cut() {
        let cmap = parse(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.code_len, 1);
        assert_eq!(cmap.map.len(), MAX_RANGE as usize + 1);
    }
}
