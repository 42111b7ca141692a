//! The language an index stems its words in: every Snowball stemmer (English by default), or
//! none. Recorded with the index (see [`super::Catalog`]), since its stemmed fields hold the stems
//! of that language; shown by `status`.

use std::borrow::Cow;
use std::fmt;

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// How an index stems its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// No stemming: only folded exact forms match.
    None,
    /// Snowball stemming with this algorithm.
    Snowball(Algorithm),
}

impl Default for Language {
    /// English, the language of most of what people index.
    fn default() -> Language {
        Language::Snowball(Algorithm::English)
    }
}

impl Language {
    /// The language named `name`: `none`, or a Snowball algorithm's name or code (`english`,
    /// `en`, `german`, `de`...), in any case.
    pub fn from_name(name: &str) -> Result<Language, String> {
        if name.trim().eq_ignore_ascii_case("none") {
            return Ok(Language::None);
        }
        Algorithm::from_name(name)
            .map(Language::Snowball)
            .map_err(|_| {
                format!(
                    "unknown language '{name}': one of {}",
                    Language::names().join(", ")
                )
            })
    }

    /// The name recorded and shown: `none` or the Snowball algorithm's.
    pub fn name(self) -> &'static str {
        match self {
            Language::None => "none",
            Language::Snowball(algorithm) => algorithm.name(),
        }
    }

    /// Every language name accepted, `none` last.
    pub fn names() -> Vec<&'static str> {
        Algorithm::all()
            .iter()
            .map(|algorithm| algorithm.name())
            .chain(["none"])
            .collect()
    }

    /// The stemmer of this language, if it stems.
    pub fn stemmer(self) -> Option<Stemmer> {
        match self {
            Language::None => None,
            Language::Snowball(algorithm) => Some(Stemmer::new(algorithm)),
        }
    }

    /// True when the folded word `word` has the stem `stem` in this language.
    pub fn stems_to(self, word: &str, stem: &str) -> bool {
        self.stemmer()
            .is_some_and(|stemmer| stemmer.stem(word) == stem)
    }

    /// The stem of the folded word `word`, or `None` when the language does not stem.
    pub fn stem(self, word: &str) -> Option<String> {
        self.stemmer()
            .map(|stemmer| stemmer.stem(word).into_owned())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Language, D::Error> {
        let name = String::deserialize(deserializer)?;
        Language::from_name(&name).map_err(serde::de::Error::custom)
    }
}

/// A token filter that replaces each (folded) token by its stem: the analyzer of the stemmed
/// fields is the text tokenizer followed by this.
#[derive(Clone, Copy)]
pub struct Stemming(pub Stemmer);

impl TokenFilter for Stemming {
    type Tokenizer<T: Tokenizer> = StemmingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemmingFilter<T> {
        StemmingFilter {
            tokenizer,
            stemmer: self.0,
            stems: FxHashMap::default(),
        }
    }
}

/// How many distinct words a [`StemmingFilter`] remembers the stems of before it forgets them
/// all: a few hundred thousand words cover most of a large tree's tokens (the Linux tree has
/// about 1.5 million distinct words in hundreds of millions of tokens), at about 50 bytes each.
const STEM_CACHE_WORDS: usize = 200_000;

/// A tokenizer whose tokens [`Stemming`] stems. It remembers the stems of the words it has seen:
/// Snowball costs more than tokenizing, and most tokens are words seen before.
#[derive(Clone)]
pub struct StemmingFilter<T> {
    tokenizer: T,
    stemmer: Stemmer,
    /// Each word seen, and its stem when it is not the word itself.
    stems: FxHashMap<String, Option<String>>,
}

impl<T: Tokenizer> Tokenizer for StemmingFilter<T> {
    type TokenStream<'a> = StemmingStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() >= STEM_CACHE_WORDS {
            self.stems.clear();
        }
        StemmingStream {
            tail: self.tokenizer.token_stream(text),
            stemmer: self.stemmer,
            stems: &mut self.stems,
        }
    }
}

/// The token stream of [`StemmingFilter`].
pub struct StemmingStream<'a, S> {
    tail: S,
    stemmer: Stemmer,
    stems: &'a mut FxHashMap<String, Option<String>>,
}

impl<S: TokenStream> TokenStream for StemmingStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !self.stems.contains_key(&token.text) {
            // A word that is its own stem is remembered as `None`.
            let stem = match self.stemmer.stem(&token.text) {
                Cow::Owned(stem) => Some(stem),
                Cow::Borrowed(_) => None,
            };
            self.stems.insert(token.text.clone(), stem);
        }
        if let Some(Some(stem)) = self.stems.get(&token.text) {
            // Into the token's own buffer: no allocation per token.
            token.text.clear();
            token.text.push_str(stem);
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
    fn names_round_trip_and_none_is_a_language() {
        assert_eq!(Language::from_name("EN"), Ok(Language::default()));
        assert_eq!(Language::from_name("none"), Ok(Language::None));
        assert_eq!(
            Language::from_name("german").map(Language::name),
            Ok("german")
        );
        assert!(Language::from_name("klingon").is_err());
        assert!(Language::names().contains(&"french"));
        assert_eq!(
            Language::default().stem("threads").as_deref(),
            Some("thread")
        );
        assert_eq!(Language::None.stem("threads"), None);
    }

    #[test]
    fn remembered_stems_are_the_stemmer_s_own() {
        let language = Language::default();
        let mut analyzer = crate::index::schema::stemmed_analyzer(language);
        let text = "threads running threads ran runs thread Running";
        let stems = |analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
            let mut stream = analyzer.token_stream(text);
            let mut stems = Vec::new();
            while stream.advance() {
                stems.push(stream.token().text.clone());
            }
            stems
        };
        let expected: Vec<String> = text
            .split(' ')
            .map(|word| language.stem(&word.to_lowercase()).unwrap())
            .collect();
        // Seen for the first time, then remembered.
        assert_eq!(stems(&mut analyzer), expected);
        assert_eq!(stems(&mut analyzer), expected);
    }
}
