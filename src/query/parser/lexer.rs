//! The lexer of the Lucene classic query parser: turns a query into tokens that carry their
//! position in characters. Follows the token definitions of Lucene's `QueryParser.jj`.

use std::ops::Bound;

use super::QuerySyntaxError;
use crate::query::MAX_BOOST;

/// A bare word as typed, after escapes were resolved.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Word {
    /// The word with backslashes removed.
    pub(super) text: String,
    /// The wildcard pattern if the word has an unescaped `*` or `?`; literal `*`, `?` and `\`
    /// stay escaped with a backslash.
    pub(super) pattern: Option<String>,
    /// Whether the word is exactly an unescaped `*`.
    pub(super) star: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Word(Word),
    Phrase(String),
    Regex(String),
    Range {
        lower: Bound<String>,
        upper: Bound<String>,
    },
    And,
    Or,
    Not,
    Plus,
    Minus,
    LParen,
    RParen,
    Colon,
    /// `^N`, with the number already read.
    Caret(f32),
    /// `~` and whatever term characters follow it (a fuzzy distance or phrase slop, maybe empty).
    Tilde(String),
    Eof,
    /// A lexing error; it ends the token list so the parser reports errors in reading order.
    Error(QuerySyntaxError),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// Character position of the token's first character.
    pub(super) pos: usize,
    /// The token as typed, for error messages.
    pub(super) raw: String,
}

/// Characters that cannot start a bare word (besides whitespace); `\\` starts an escape instead.
const SPECIAL: &[char] = &[
    '+', '-', '!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '*', '?', '\\', '/',
];

/// Characters that may start a bare word (Lucene's `_TERM_START_CHAR`, minus escapes).
fn is_term_start(c: char) -> bool {
    !c.is_whitespace() && !SPECIAL.contains(&c)
}

/// Characters that may continue a bare word (Lucene's `_TERM_CHAR`, minus escapes): `foo-bar` and
/// `c++` are single words.
fn is_term_char(c: char) -> bool {
    is_term_start(c) || c == '-' || c == '+'
}

/// Lexes `chars`; the list always ends with `Tok::Eof` or `Tok::Error`.
pub(super) fn lex(chars: &[char]) -> Vec<Token> {
    Lexer { chars, pos: 0 }.run()
}

struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Lexer<'_> {
    /// Lexes the whole input; the list always ends with `Eof` or `Error`.
    fn run(mut self) -> Vec<Token> {
        let mut tokens = Vec::new();
        loop {
            self.skip_whitespace();
            let start = self.pos;
            let tok = self.token().unwrap_or_else(Tok::Error);
            let raw = self.chars[start..self.pos.min(self.chars.len())]
                .iter()
                .collect();
            let last = matches!(tok, Tok::Eof | Tok::Error(_));
            tokens.push(Token {
                tok,
                pos: start,
                raw,
            });
            if last {
                return tokens;
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// The error for a `\` at the current position with nothing after it.
    fn dangling_escape(&self) -> QuerySyntaxError {
        QuerySyntaxError::new(
            "dangling '\\': add the character to escape after it, or remove it",
            self.pos,
        )
    }

    fn token(&mut self) -> Result<Tok, QuerySyntaxError> {
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Tok::Eof);
        };
        match c {
            '(' | ')' | ':' => {
                self.pos += 1;
                Ok(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Colon,
                })
            }
            '+' | '-' | '!' => {
                self.pos += 1;
                if self.peek().is_some_and(char::is_whitespace) {
                    return Err(QuerySyntaxError::new(
                        format!("'{c}' must be followed directly by a clause, without a space (or escape it: '\\{c}')"),
                        start,
                    ));
                }
                Ok(match c {
                    '+' => Tok::Plus,
                    '-' => Tok::Minus,
                    _ => Tok::Not,
                })
            }
            '&' | '|' if self.peek_at(1) == Some(c) => {
                self.pos += 2;
                Ok(if c == '&' { Tok::And } else { Tok::Or })
            }
            '"' => self.quoted().map(Tok::Phrase),
            '/' => self.regex(),
            '[' | '{' => self.range(),
            ']' | '}' => Err(QuerySyntaxError::new(
                format!("unexpected '{c}': a range looks like '[a TO b]' or '{{a TO b}}'"),
                start,
            )),
            '^' => self.boost(),
            '~' => {
                self.pos += 1;
                let from = self.pos;
                while self.peek().is_some_and(is_term_char) {
                    self.pos += 1;
                }
                Ok(Tok::Tilde(self.chars[from..self.pos].iter().collect()))
            }
            _ => self.word(),
        }
    }

    /// A bare word; `AND`, `OR` and `NOT` (upper case, unescaped) become operators.
    fn word(&mut self) -> Result<Tok, QuerySyntaxError> {
        let (mut text, mut pattern) = (String::new(), String::new());
        let (mut wildcard, mut escaped) = (false, false);
        while let Some(c) = self.peek() {
            if c == '\\' {
                let Some(next) = self.peek_at(1) else {
                    return Err(self.dangling_escape());
                };
                text.push(next);
                if matches!(next, '*' | '?' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(next);
                escaped = true;
                self.pos += 2;
            } else if c == '*' || c == '?' || is_term_char(c) {
                wildcard |= c == '*' || c == '?';
                text.push(c);
                pattern.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        if !escaped {
            match text.as_str() {
                "AND" => return Ok(Tok::And),
                "OR" => return Ok(Tok::Or),
                "NOT" => return Ok(Tok::Not),
                _ => {}
            }
        }
        let star = !escaped && text == "*";
        Ok(Tok::Word(Word {
            text,
            pattern: wildcard.then_some(pattern),
            star,
        }))
    }

    /// A `"quoted phrase"` (also used for quoted range bounds); `\x` stands for `x`.
    fn quoted(&mut self) -> Result<String, QuerySyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => break,
                Some('"') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some('\\') if self.peek_at(1).is_some() => {
                    text.extend(self.peek_at(1));
                    self.pos += 2;
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        Err(QuerySyntaxError::new(
            "unclosed quote: add a closing '\"'",
            start,
        ))
    }

    /// A `/regular expression/`: `\/` stands for `/`, other backslashes are kept for the regex engine.
    fn regex(&mut self) -> Result<Tok, QuerySyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut pattern = String::new();
        while let Some(c) = self.peek() {
            match (c, self.peek_at(1)) {
                ('/', _) => {
                    self.pos += 1;
                    return Ok(Tok::Regex(pattern));
                }
                ('\\', Some('/')) => pattern.push('/'),
                ('\\', Some(next)) => {
                    pattern.push('\\');
                    pattern.push(next);
                }
                ('\\', None) => break,
                _ => {
                    pattern.push(c);
                    self.pos += 1;
                    continue;
                }
            }
            self.pos += 2;
        }
        Err(QuerySyntaxError::new(
            "unclosed regular expression: add a closing '/'",
            start,
        ))
    }

    /// `^N` where N is a non-negative decimal number such as `4`, `0.5` or `2.`.
    fn boost(&mut self) -> Result<Tok, QuerySyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let from = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        let digits: String = self.chars[from..self.pos].iter().collect();
        match parse_decimal(&digits).map(|n| n as f32) {
            Some(boost) if boost <= MAX_BOOST => Ok(Tok::Caret(boost)),
            Some(_) => Err(QuerySyntaxError::new(
                format!("boost is too large: at most {MAX_BOOST}"),
                from,
            )),
            None => Err(QuerySyntaxError::new("expected a number after '^'", start)),
        }
    }

    /// `[a TO b]`, `{a TO b}` or a mix; `*` is an open end, bounds may be quoted.
    fn range(&mut self) -> Result<Tok, QuerySyntaxError> {
        let start = self.pos;
        let lower_inclusive = self.chars[start] == '[';
        self.pos += 1;
        // Each item: its text, whether it was quoted or escaped (so never `TO` nor `*`), position.
        let mut items: Vec<(String, bool, usize)> = Vec::new();
        let (upper_inclusive, close_pos) = loop {
            self.skip_whitespace();
            let item_pos = self.pos;
            match self.peek() {
                None => {
                    return Err(QuerySyntaxError::new(
                        "unclosed range: expected ']' or '}'",
                        start,
                    ))
                }
                Some(c @ (']' | '}')) => {
                    self.pos += 1;
                    break (c == ']', item_pos);
                }
                Some('"') => items.push((self.quoted()?, true, item_pos)),
                Some(_) => {
                    let (mut text, mut literal) = (String::new(), false);
                    while let Some(c) = self
                        .peek()
                        .filter(|&c| !c.is_whitespace() && c != ']' && c != '}')
                    {
                        if c == '\\' {
                            let Some(next) = self.peek_at(1) else {
                                return Err(self.dangling_escape());
                            };
                            text.push(next);
                            literal = true;
                            self.pos += 2;
                        } else {
                            text.push(c);
                            self.pos += 1;
                        }
                    }
                    items.push((text, literal, item_pos));
                }
            }
        };
        let is_to = |item: &(String, bool, usize)| !item.1 && item.0 == "TO";
        match items.as_slice() {
            [] => Err(QuerySyntaxError::new(
                "empty range: write it as '[a TO b]'",
                close_pos,
            )),
            [_] => Err(QuerySyntaxError::new("expected 'TO' in range", close_pos)),
            [_, to, ..] if !is_to(to) => Err(QuerySyntaxError::new("expected 'TO' in range", to.2)),
            [_, _] => Err(QuerySyntaxError::new(
                "expected an upper bound after 'TO'",
                close_pos,
            )),
            [_, _, _, extra, ..] => Err(QuerySyntaxError::new(
                "expected ']' or '}' after the range's upper bound",
                extra.2,
            )),
            [lower, _, upper] => {
                let bound = |(text, literal, _): &(String, bool, usize), inclusive: bool| {
                    if !literal && text == "*" {
                        Bound::Unbounded
                    } else if inclusive {
                        Bound::Included(text.clone())
                    } else {
                        Bound::Excluded(text.clone())
                    }
                };
                Ok(Tok::Range {
                    lower: bound(lower, lower_inclusive),
                    upper: bound(upper, upper_inclusive),
                })
            }
        }
    }
}

/// Parses digits with at most one `.` and at least one digit (`4`, `0.5`, `2.`); nothing else.
pub(super) fn parse_decimal(s: &str) -> Option<f64> {
    let valid = s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|&c| c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit());
    valid.then(|| s.parse::<f64>().ok()).flatten()
}
