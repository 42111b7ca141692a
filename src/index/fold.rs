//! Folding: the one definition of when two spellings of a word are the same word.
//!
//! A word is folded by compatibility decomposition (NFKD), dropping the diacritics it leaves as
//! combining marks, lower-casing, and spelling out the few letters that are not a base letter
//! with a mark (`ß` → `ss`, `œ` → `oe`, `ø` → `o`, the dotless `ı` → `i`...). So `Café`, `cafe`
//! and a decomposed `cafe` + U+0301 are one term, `İstanbul` is `istanbul`, `Straße` is
//! `strasse`, and the ligature `ﬁ` of a PDF is `fi`.
//!
//! Why NFKD rather than NFC: folding means equating more spellings, not fewer. NFC would make
//! `é` and `e` + U+0301 equal but keep `ﬁ`, full-width `Ａ` or a superscript `²` apart from
//! `fi`, `a` and `2`, which are the same words to a reader; NFKC equates them too, and dropping
//! the marks after the decomposition gives NFKC's equalities and accent folding in one step.
//! Text is never normalized as a whole: each token is folded on its own while its offsets stay
//! those of the original text, so fragments, highlights and locations refer to what the file
//! says.
//!
//! Only the marks of the combining diacritical blocks (accents, cedillas, rings, the dot of
//! `İ`) are dropped: the vowel signs of Indic scripts, Hebrew and Arabic points and the kana
//! voicing marks change the word and are kept.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Appends `word` folded to `out`; see the module documentation.
pub fn fold_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_hangul_syllable(c) {
            // NFKD would spell the syllable as its jamo: a different, longer term for nothing.
            out.push(c);
        } else {
            decompose_compatible(c, |part| {
                if !is_diacritic(part) {
                    part.to_lowercase()
                        .for_each(|lower| push_folded(lower, out));
                }
            });
        }
    }
}

/// `text` folded, as a new string.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends the lower-case letter `c` to `out`, spelled out when it is a letter that folding
/// equates with others but that has no decomposition.
fn push_folded(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'þ' => out.push_str("th"),
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ł' => out.push('l'),
        'ħ' => out.push('h'),
        'ı' => out.push('i'),
        // Final sigma is sigma: full case folding.
        'ς' => out.push('σ'),
        other => out.push(other),
    }
}

/// True for a combining mark of the diacritical blocks: what folding drops.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// True for a combining mark of any script: it belongs to the word before it (a decomposed `é`
/// is one word, not `e` and a separator).
pub fn is_mark(c: char) -> bool {
    !c.is_ascii() && is_combining_mark(c)
}

/// Precomposed Hangul syllables.
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A token filter that folds each token (what the text tokenizer does in its own pass): for
/// analyzers built of tantivy's parts, as the one of path components.
#[derive(Clone, Copy, Default)]
pub struct Folder;

impl TokenFilter for Folder {
    type Tokenizer<T: Tokenizer> = FolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FolderFilter<T> {
        FolderFilter {
            tokenizer,
            buffer: String::new(),
        }
    }
}

/// A tokenizer whose tokens [`Folder`] folds.
#[derive(Clone)]
pub struct FolderFilter<T> {
    tokenizer: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FolderFilter<T> {
    type TokenStream<'a> = FolderStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FolderStream {
            tail: self.tokenizer.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream of [`FolderFilter`].
pub struct FolderStream<'a, S> {
    tail: S,
    buffer: &'a mut String,
}

impl<S: TokenStream> TokenStream for FolderStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else {
            self.buffer.clear();
            fold_into(&token.text, self.buffer);
            std::mem::swap(&mut token.text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_compatibility_forms() {
        for (text, folded) in [
            ("Straße", "strasse"),
            ("STRASSE", "strasse"),
            ("İstanbul", "istanbul"),
            ("ıstanbul", "istanbul"),
            ("Café", "cafe"),
            ("cafe\u{301}", "cafe"),
            ("Ångström", "angstrom"),
            ("Œuvre", "oeuvre"),
            ("naïve", "naive"),
            ("\u{FB01}le", "file"),
            ("ＡＢＣ", "abc"),
            ("ΣΟΦΟΣ", "σοφοσ"),
            ("한국어", "한국어"),
            ("ক্ষ", "ক্ষ"),
        ] {
            assert_eq!(fold(text), folded, "{text}");
        }
    }
}
