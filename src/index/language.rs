//! The language an index stems its words in: every Snowball stemmer (English by default), or
//! none. Recorded with the index (see [`super::Catalog`]), since its stemmed fields hold the stems
//! of that language; shown by `status`.

use std::borrow::Cow;
use std::fmt;

use frostem::{Algorithm, Stemmer};
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
        }
    }
}

/// A tokenizer whose tokens [`Stemming`] stems.
#[derive(Clone)]
pub struct StemmingFilter<T> {
    tokenizer: T,
    stemmer: Stemmer,
}

impl<T: Tokenizer> Tokenizer for StemmingFilter<T> {
    type TokenStream<'a> = StemmingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmingStream {
            tail: self.tokenizer.token_stream(text),
            stemmer: self.stemmer,
        }
    }
}

/// The token stream of [`StemmingFilter`].
pub struct StemmingStream<S> {
    tail: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for StemmingStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // A word that is its own stem costs no allocation.
        let stem = match self.stemmer.stem(&token.text) {
            Cow::Owned(stem) => Some(stem),
            Cow::Borrowed(_) => None,
        };
        if let Some(stem) = stem {
            token.text = stem;
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
}
