//! Lantern's tokenizers: [`TextTokenizer`] for document text, [`PathTokenizer`] for paths.
//!
//! The tokenizer of document text: words of letters and digits (with the combining marks that
//! follow them), folded (see [`super::fold`]), with each CJK ideograph or kana its own token.
//!
//! On ASCII text it produces the same tokens as tantivy's default analyzer (`SimpleTokenizer`,
//! then tokens over 40 bytes or more dropped, then lower-casing). Elsewhere it differs three ways:
//! a combining mark continues the word before it (a decomposed `é` is not a word break), tokens
//! are folded rather than only lower-cased, and CJK text, which `SimpleTokenizer` keeps as one
//! token per unbroken run, so that a search for a two-character word could never match inside a
//! sentence. Like Lucene's `StandardTokenizer`, we split ideographs and kana into single-character
//! tokens; a multi-character query becomes a phrase and matches them side by side. Doing all three
//! steps in one pass over the bytes, with a fast path for ASCII, also makes indexing cheaper.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use unicode_normalization::UnicodeNormalization;

use super::fold::{fold_into, is_mark};

/// Tokens of this many bytes or more (before lower-casing) are dropped, as tantivy's default
/// analyzer does: they are rarely words (base64, hashes) and bloat the term dictionary.
const TOKEN_BYTES_LIMIT: usize = 40;

/// Lantern's text tokenizer; see the module documentation.
#[derive(Clone, Default)]
pub struct TextTokenizer {
    token: Token,
}

/// The token stream of [`TextTokenizer`] over one text.
pub struct TextTokenStream<'a> {
    text: &'a str,
    offset: usize,
    token: &'a mut Token,
}

impl Tokenizer for TextTokenizer {
    type TokenStream<'a> = TextTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TextTokenStream<'a> {
        self.token.reset();
        TextTokenStream {
            text,
            offset: 0,
            token: &mut self.token,
        }
    }
}

/// What role a character plays in tokenization.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Separator,
    Word,
    /// A CJK ideograph or kana: a token on its own.
    Ideograph,
    /// A combining mark: part of the token before it, a separator where no token goes before.
    Mark,
}

fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if is_ideograph(c) {
        CharClass::Ideograph
    } else if is_token_char(c) {
        CharClass::Word
    } else if is_mark(c) {
        CharClass::Mark
    } else {
        CharClass::Separator
    }
}

/// The one definition of what tokens are made of: letters and digits, in any script. Everything
/// else separates tokens (`_` too).
pub fn is_token_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True when [`TextTokenizer`] makes all of `text` one token, the text itself lower-cased:
/// ASCII letters and digits, fewer than the bytes of a dropped token. Such a text needs no
/// token stream to be tokenized.
pub fn is_plain_token(text: &str) -> bool {
    !text.is_empty()
        && text.len() < TOKEN_BYTES_LIMIT
        && text.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

/// True when `c` next to a token would make it part of a longer token: a token character that
/// is not an ideograph (each ideograph is a token on its own), or a combining mark.
pub fn continues_token(c: char) -> bool {
    (is_token_char(c) && !is_ideograph(c)) || is_mark(c)
}

/// Han ideographs, hiragana and katakana: scripts written without spaces between words, each
/// character its own token.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F) // CJK extensions B–G
}

impl TextTokenStream<'_> {
    /// Finds the next token's byte range and what it is made of, or `None` at the end of the
    /// text. ASCII runs are scanned a byte slice at a time; other characters are classified one by
    /// one.
    fn next_range(&mut self) -> Option<(usize, usize, TokenKind)> {
        let bytes = self.text.as_bytes();
        // Skip separators.
        let start = loop {
            let skipped = bytes[self.offset..]
                .iter()
                .position(|byte| byte.is_ascii_alphanumeric() || !byte.is_ascii())?;
            self.offset += skipped;
            if bytes[self.offset].is_ascii() {
                break self.offset;
            }
            let c = self.text[self.offset..].chars().next()?;
            match classify(c) {
                CharClass::Separator | CharClass::Mark => self.offset += c.len_utf8(),
                CharClass::Ideograph => {
                    // With the marks that follow it: a decomposed `が` is `か` and a mark.
                    let start = self.offset;
                    self.offset += c.len_utf8();
                    self.offset += self.text[self.offset..]
                        .chars()
                        .take_while(|&c| is_mark(c))
                        .map(char::len_utf8)
                        .sum::<usize>();
                    return Some((start, self.offset, TokenKind::Ideograph));
                }
                CharClass::Word => break self.offset,
            }
        };
        // Extend over word characters.
        let mut kind = TokenKind::Ascii;
        loop {
            let run = bytes[self.offset..]
                .iter()
                .position(|byte| !byte.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - self.offset);
            self.offset += run;
            match bytes.get(self.offset) {
                Some(byte) if !byte.is_ascii() => {
                    let Some(c) = self.text[self.offset..].chars().next() else {
                        break;
                    };
                    if !matches!(classify(c), CharClass::Word | CharClass::Mark) {
                        break;
                    }
                    kind = TokenKind::Word;
                    self.offset += c.len_utf8();
                }
                _ => break,
            }
        }
        Some((start, self.offset, kind))
    }
}

/// What a token is made of, which decides how its term is spelled.
#[derive(Clone, Copy)]
enum TokenKind {
    /// ASCII letters and digits: lower-cased.
    Ascii,
    /// Letters, digits and marks, some outside ASCII: folded.
    Word,
    /// One ideograph or kana, with any marks after it: composed (NFC), so that a decomposed
    /// kana is the same term as a composed one; never decomposed, which would make `が` and `か`
    /// differ only by a mark.
    Ideograph,
}

impl TokenStream for TextTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((start, end, kind)) = self.next_range() else {
                return false;
            };
            // Like tantivy's RemoveLongFilter, a dropped token still takes a position.
            self.token.position = self.token.position.wrapping_add(1);
            if end - start >= TOKEN_BYTES_LIMIT {
                continue;
            }
            let word = &self.text[start..end];
            self.token.text.clear();
            match kind {
                TokenKind::Ascii => {
                    self.token.text.push_str(word);
                    self.token.text.make_ascii_lowercase();
                }
                TokenKind::Word => fold_into(word, &mut self.token.text),
                TokenKind::Ideograph => self.token.text.extend(word.nfc()),
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Splits a path into its components, the runs of characters between slashes (`/` or `\`):
/// `/usr/src/a.rs` gives `usr`, `src`, `a.rs`. The same tokens as tantivy's `RegexTokenizer`
/// with `[^/\\]+`, which indexes were built with, at a fraction of its cost: every hit of a
/// `path:` query has its path tokenized to mark it.
#[derive(Clone, Default)]
pub struct PathTokenizer {
    token: Token,
}

/// The token stream of [`PathTokenizer`] over one path.
pub struct PathTokenStream<'a> {
    path: &'a str,
    offset: usize,
    token: &'a mut Token,
}

impl Tokenizer for PathTokenizer {
    type TokenStream<'a> = PathTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, path: &'a str) -> PathTokenStream<'a> {
        self.token.reset();
        PathTokenStream {
            path,
            offset: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for PathTokenStream<'_> {
    fn advance(&mut self) -> bool {
        // Separators are ASCII: splitting the bytes at them keeps every character whole. A
        // `::` between an archive and its member separates components like a slash.
        let bytes = self.path.as_bytes();
        let is_separator = |at: usize| {
            matches!(bytes[at], b'/' | b'\\')
                || (bytes[at] == b':'
                    && (bytes.get(at + 1) == Some(&b':') || (at > 0 && bytes[at - 1] == b':')))
        };
        let Some(start) = (self.offset..bytes.len()).find(|&at| !is_separator(at)) else {
            self.offset = bytes.len();
            return false;
        };
        let end = (start..bytes.len())
            .find(|&at| is_separator(at))
            .unwrap_or(bytes.len());
        self.offset = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.clear();
        self.token.text.push_str(&self.path[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::fold::fold;
    use proptest::prelude::*;
    use tantivy::tokenizer::{RegexTokenizer, TextAnalyzer, TokenizerManager};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.offset_from,
                token.offset_to,
                token.position,
            ));
        }
        out
    }

    fn words(text: &str) -> Vec<String> {
        tokens(&mut TextAnalyzer::from(TextTokenizer::default()), text)
            .into_iter()
            .map(|token| token.0)
            .collect()
    }

    #[test]
    fn splits_lowercases_and_drops_long_tokens() {
        let long = "x".repeat(40);
        assert_eq!(
            words(&format!("Hello, Wörld! {long} ÉTÉ_42")),
            ["hello", "world", "ete", "42"]
        );
    }

    #[test]
    fn a_decomposed_letter_is_one_word_with_its_mark() {
        let text = "cafe\u{301} \u{301}x";
        let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
        assert_eq!(
            tokens(&mut analyzer, text),
            [("cafe".to_string(), 0, 6, 0), ("x".to_string(), 9, 10, 1)]
        );
    }

    #[test]
    fn ideographs_are_single_tokens() {
        assert_eq!(
            words("我喜欢螃蟹 and ひらがな"),
            ["我", "喜", "欢", "螃", "蟹", "and", "ひ", "ら", "が", "な"]
        );
    }

    proptest! {
        /// Outside CJK scripts and combining marks, the tokens are those of tantivy's default
        /// analyzer, folded.
        #[test]
        fn matches_default_analyzer_folded_outside_cjk(text in "[a-zA-Z0-9 ,.!_\\-éÉßİ\u{212A}\n\t]{0,200}") {
            let mut default = TokenizerManager::default().get("default").unwrap();
            let mut ours = TextAnalyzer::from(TextTokenizer::default());
            let folded: Vec<_> = tokens(&mut default, &text)
                .into_iter()
                .map(|(word, from, to, position)| (fold(&word), from, to, position))
                .collect();
            prop_assert_eq!(tokens(&mut ours, &text), folded);
        }

        /// A text and its decomposed form (NFD) give the same terms at the same positions, each
        /// token covering its marks.
        #[test]
        fn decomposed_text_gives_the_same_terms(text in "([a-zA-ZéÉÅåœçñİıが\u{301}\u{308}]{1,8}[ ,.]){0,12}") {
            let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
            let terms = |analyzer: &mut TextAnalyzer, text: &str| -> Vec<(String, usize)> {
                tokens(analyzer, text).into_iter().map(|(word, _, _, position)| (word, position)).collect()
            };
            let decomposed: String = text.nfd().collect();
            prop_assert_eq!(terms(&mut analyzer, &text), terms(&mut analyzer, &decomposed));
            for (_, from, to, _) in tokens(&mut analyzer, &decomposed) {
                let after = decomposed[to..].chars().next();
                prop_assert!(!after.is_some_and(is_mark), "a mark after {}..{}", from, to);
            }
        }

        /// Path components are exactly the tokens of the regex tokenizer indexes were built with.
        #[test]
        fn path_components_are_the_regex_tokenizers(path in "[a-zA-Z0-9/\\\\. éİ\u{301}]{0,80}") {
            let mut regex = TextAnalyzer::from(RegexTokenizer::new(r"[^/\\]+").unwrap());
            let mut ours = TextAnalyzer::from(PathTokenizer::default());
            prop_assert_eq!(tokens(&mut ours, &path), tokens(&mut regex, &path));
        }
    }
}
