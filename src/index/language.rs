//! The language an index stems its words in: every Snowball stemmer (English by default), or
//! none. Recorded with the index (see [`super::Catalog`]) and shown by `status`. Words are indexed
//! as they are written; a search finds the other forms of a word at query time, among the index's
//! words that start as its stem does (see [`Language::stem_prefix`]).

use std::fmt;

use frostem::{Algorithm, Stemmer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

    /// True when the folded word `word` has the stem `stem` in this language. Words that cannot
    /// have it are told apart before the stemmer runs: a stem of ASCII letters has forms of ASCII
    /// letters only, starting as it does ([`Language::stem_prefix`]) unless irregular.
    pub fn stems_to(self, word: &str, stem: &str) -> bool {
        if forms_are_letters(stem) && !forms_are_letters(word) {
            return false;
        }
        if let Some(prefix) = self.stem_prefix(stem) {
            if !word.starts_with(prefix) && self.irregular_forms(stem).all(|form| form != word) {
                return false;
            }
        }
        self.stemmer()
            .is_some_and(|stemmer| stemmer.stem(word) == stem)
    }

    /// The stem of the folded word `word`, or `None` when the language does not stem.
    pub fn stem(self, word: &str) -> Option<String> {
        self.stemmer()
            .map(|stemmer| stemmer.stem(word).into_owned())
    }

    /// What every folded word with the stem `stem` starts with, so that the words of a sorted
    /// dictionary with that stem lie in one range; `None` for a stem under two letters (or not
    /// cut at a character boundary), whose other forms are then not looked for.
    ///
    /// English: the stem, but its last letter when that is one Snowball's English rules may
    /// have rewritten (`biliti` → `bl`, `y` → `i`, an `e` added or dropped: a stem ending in
    /// `e`, `i`, `y` or `bl`). They rewrite only the end of a word: checked over the 1.9 million
    /// distinct words of the documents corpus (the stem but its last letter, always) and the
    /// 484,000 words of letters of the Linux tree and the documents (this rule), every word
    /// starts so but the irregular forms of [`IRREGULAR_ENGLISH`]. The longer the prefix, the
    /// shorter the dictionary range a search walks: `irq`'s forms are looked for among the
    /// words starting with `irq`, not the thousands starting with `ir`. Other languages: the
    /// stem but its last two letters, which their suffix rules keep (German's stemmer also reads
    /// `ae`, `oe`, `ue` inside a word as umlauts: `mueller` is not found as a form of `muller`).
    pub fn stem_prefix(self, stem: &str) -> Option<&str> {
        let Language::Snowball(algorithm) = self else {
            return None;
        };
        let rewritten_end = ["e", "i", "y", "bl"].iter().any(|end| stem.ends_with(end));
        let cut = match algorithm {
            Algorithm::English if rewritten_end => 1,
            Algorithm::English => 0,
            _ => 2,
        };
        let prefix = stem.get(..stem.len().checked_sub(cut)?.max(2.min(stem.len())))?;
        (prefix.len() >= 2).then_some(prefix)
    }

    /// The words with the stem `stem` that do not start with [`Language::stem_prefix`]: the few
    /// irregular forms English's stemmer knows by heart (`dying` → `die`).
    pub fn irregular_forms(self, stem: &str) -> impl Iterator<Item = &'static str> + '_ {
        let english = self == Language::Snowball(Algorithm::English);
        IRREGULAR_ENGLISH
            .iter()
            .filter(move |(_, irregular_stem)| english && *irregular_stem == stem)
            .map(|(word, _)| *word)
    }
}

/// True when `stem` is lower-case ASCII letters alone, and so are all its forms: Snowball only
/// rewrites letters at a word's end, never a digit or `_` (`rcu_read_lock` is no form of `rcu`).
/// Also true of a word made of such letters.
pub fn forms_are_letters(stem: &str) -> bool {
    stem.bytes().all(|byte| byte.is_ascii_lowercase())
}

/// English words whose stem is not a prefix of them, with that stem (Snowball's exceptional
/// forms).
const IRREGULAR_ENGLISH: [(&str, &str); 3] = [("dying", "die"), ("lying", "lie"), ("tying", "tie")];

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
    fn english_words_start_with_the_prefix_of_their_stem() {
        let english = Language::default();
        for word in [
            "possibility",
            "possibly",
            "relational",
            "conditional",
            "organization",
            "hopeful",
            "hoping",
            "hopped",
            "generously",
            "happiness",
            "happily",
            "skies",
            "cried",
            "agreed",
            "electrical",
            "formality",
            "sensitiviti",
            "callousness",
            "digitizer",
            "threads",
            "lockless",
            "locking",
            "pages",
            "queued",
            "analogies",
            "happiness",
            "readability",
            "radically",
            "fully",
            "going",
            "cpus",
            "rcu",
        ] {
            let stem = english.stem(word).unwrap();
            let prefix = english.stem_prefix(&stem).unwrap();
            assert!(
                word.starts_with(prefix),
                "{word}: stem {stem}, prefix {prefix}"
            );
        }
        assert_eq!(english.stem_prefix("rcu"), Some("rcu"));
        assert_eq!(english.stem_prefix("happi"), Some("happ"));
        assert_eq!(english.stem_prefix("readabl"), Some("readab"));
        assert_eq!(english.stem_prefix("go"), Some("go"));
        assert_eq!(english.stem_prefix("a"), None);
        assert_eq!(
            english.irregular_forms("die").collect::<Vec<_>>(),
            ["dying"]
        );
        assert!(english.stems_to("dying", "die") && english.stems_to("locks", "lock"));
        assert!(!english.stems_to("lock_page", "lock") && !english.stems_to("block", "lock"));
        assert_eq!(english.stem("dying").as_deref(), Some("die"));
        assert_eq!(Language::None.stem_prefix("thread"), None);
        let french = Language::from_name("french").unwrap();
        assert_eq!(french.stem("chevaux").as_deref(), Some("cheval"));
        assert!("chevaux".starts_with(french.stem_prefix("cheval").unwrap()));
    }
}
