//! The tokens of content streams and CMaps: numbers, strings, names, array brackets and
//! operators. Dictionaries are returned as their brackets; inline image data is skipped.

/// One token of a content stream.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Number(f32),
    /// A literal or hexadecimal string, its escapes decoded.
    String(Vec<u8>),
    /// A name without its slash.
    Name(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    /// An operator, or a keyword such as `true` or `null`.
    Operator(&'a [u8]),
}

/// Reads tokens from a content stream, never failing: malformed bytes are skipped.
pub(super) struct Lexer<'a> {
    data: &'a [u8],
    at: usize,
}

/// Literal strings nest their parentheses; deeper nesting is taken as text.
const MAX_STRING_DEPTH: usize = 64;

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Lexer { data, at: 0 }
    }

    /// Skips the data of an inline image, which follows its `ID` operator up to `EI`.
    pub(super) fn skip_inline_image(&mut self) {
        let rest = &self.data[self.at..];
        let mut from = 0;
        while let Some(found) = memchr::memmem::find(&rest[from..], b"EI") {
            let at = from + found;
            let before = at.checked_sub(1).map(|i| rest[i]);
            let after = rest.get(at + 2).copied();
            if before.is_some_and(is_whitespace) && after.is_none_or(|b| !is_regular(b)) {
                self.at += at + 2;
                return;
            }
            from = at + 2;
        }
        self.at = self.data.len();
    }

    fn skip_whitespace_and_comments(&mut self) {
        while let Some(&byte) = self.data.get(self.at) {
            if is_whitespace(byte) {
                self.at += 1;
            } else if byte == b'%' {
                while self
                    .data
                    .get(self.at)
                    .is_some_and(|&b| b != b'\n' && b != b'\r')
                {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.data.get(self.at).is_some_and(|&b| is_regular(b)) {
            self.at += 1;
        }
        &self.data[start..self.at]
    }

    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1;
        while let Some(&byte) = self.data.get(self.at) {
            self.at += 1;
            match byte {
                b'(' => {
                    depth += 1;
                    if depth <= MAX_STRING_DEPTH {
                        out.push(byte);
                    }
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(byte);
                }
                b'\\' => self.escape(&mut out),
                byte => out.push(byte),
            }
        }
        out
    }

    fn escape(&mut self, out: &mut Vec<u8>) {
        let Some(&byte) = self.data.get(self.at) else {
            return;
        };
        self.at += 1;
        match byte {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'\r' => {
                if self.data.get(self.at) == Some(&b'\n') {
                    self.at += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut value = u32::from(byte - b'0');
                for _ in 0..2 {
                    match self.data.get(self.at) {
                        Some(&digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xFF) as u8);
            }
            byte => out.push(byte),
        }
    }

    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high = None;
        while let Some(&byte) = self.data.get(self.at) {
            self.at += 1;
            let nibble = match byte {
                b'>' => break,
                b'0'..=b'9' => byte - b'0',
                b'a'..=b'f' => byte - b'a' + 10,
                b'A'..=b'F' => byte - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(high) => out.push(high << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        if let Some(high) = high {
            out.push(high << 4);
        }
        out
    }
}

/// Parses a PDF number (`12`, `-3.5`, `.5`, `+1`), if `text` is one.
fn parse_number(text: &[u8]) -> Option<f32> {
    let first = *text.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?;
    text.parse::<f32>().ok().or_else(|| {
        // Writers emit oddities such as `--5` or `1.2.3`; read what leads.
        let end = text
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
            .map_or(text.len(), |(at, _)| at);
        text[..end].trim_start_matches('+').parse().ok()
    })
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_whitespace_and_comments();
            let byte = *self.data.get(self.at)?;
            self.at += 1;
            return Some(match byte {
                b'(' => Token::String(self.literal_string()),
                b'<' if self.data.get(self.at) == Some(&b'<') => {
                    self.at += 1;
                    Token::DictStart
                }
                b'<' => Token::String(self.hex_string()),
                b'>' if self.data.get(self.at) == Some(&b'>') => {
                    self.at += 1;
                    Token::DictEnd
                }
                b'[' => Token::ArrayStart,
                b']' => Token::ArrayEnd,
                b'/' => Token::Name(self.regular_run()),
                b')' | b'>' | b'{' | b'}' => continue,
                _ => {
                    self.at -= 1;
                    let run = self.regular_run();
                    match parse_number(run) {
                        Some(number) => Token::Number(number),
                        None => Token::Operator(run),
                    }
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(data: &[u8]) -> Vec<Token<'_>> {
        Lexer::new(data).collect()
    }

    #[test]
    fn content_tokens() {
        assert_eq!(
            tokens(b"BT /F1 12 Tf [(A\\(b\\)) -250 <4142>] TJ % note\nET"),
            vec![
                Token::Operator(b"BT"),
                Token::Name(b"F1"),
                Token::Number(12.0),
                Token::Operator(b"Tf"),
                Token::ArrayStart,
                Token::String(b"A(b)".to_vec()),
                Token::Number(-250.0),
                Token::String(b"AB".to_vec()),
                Token::ArrayEnd,
                Token::Operator(b"TJ"),
                Token::Operator(b"ET"),
            ]
        );
    }

    #[test]
    fn escapes_and_odd_numbers() {
        assert_eq!(
            tokens(b"(\\101\\n\\\nx) .5 -.25 --3"),
            vec![
                Token::String(b"A\nx".to_vec()),
                Token::Number(0.5),
                Token::Number(-0.25),
                Token::Operator(b"--3"),
            ]
        );
    }

    #[test]
    fn inline_images_are_skipped() {
        let mut lexer = Lexer::new(b"ID \x01EI\xffEIx EI Q");
        assert_eq!(lexer.next(), Some(Token::Operator(b"ID")));
        lexer.skip_inline_image();
        assert_eq!(lexer.next(), Some(Token::Operator(b"Q")));
    }

    #[test]
    fn malformed_input_ends() {
        assert_eq!(tokens(b"(unterminated").len(), 1);
        assert_eq!(tokens(b"<4").len(), 1);
        assert_eq!(tokens(b")>}{"), vec![]);
    }
}
