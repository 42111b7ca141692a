//! Finding the regions of a long text worth tokenizing.
//!
//! Tokenizing a whole document to find a few matches is what made highlighting slow: 50 hits of a
//! source tree are megabytes of text. When every pattern is a plain word or a phrase of words, an
//! ASCII case-insensitive multi-word search (Aho-Corasick, SIMD-accelerated, cheap to build even
//! for the hundreds of terms a wildcard expands to) finds every place a match can be; only a
//! small neighbourhood of each is tokenized and checked. A word matched on its own needs no
//! neighbourhood: only its own token is tokenized, so a common word costs its occurrences, not
//! the text around them.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use super::pattern::Pattern;
use crate::index::tokenizer::{continues_token, is_token_char};

/// Bytes of context tokenized on each side of a candidate: enough for the words of a phrase
/// around any one of them, with some slop between.
const REACH: usize = 256;

/// Regions this close are tokenized as one: a token stream costs an allocation and some set-up,
/// about what tokenizing a few dozen bytes does.
const JOIN_GAP: usize = 32;

/// Phrases with more slop than this may span more than [`REACH`]: their text is tokenized whole.
const MAX_SLOP: u32 = 16;

/// Up to this many words are looked for one by one, each by its rarest byte; more (a wildcard's
/// expansion) with one automaton.
const FEW_WORDS: usize = 3;

/// Locates the candidate regions of a text for a set of patterns.
#[derive(Clone, Debug)]
pub struct Prefilter {
    words: Finder,
    /// For each word of `words`, the bytes of context tokenized around its candidates:
    /// [`REACH`] for a phrase's word (the phrase's other words must be tokenized with it), none
    /// for a word only ever matched alone.
    reach: Vec<usize>,
}

/// The only character outside ASCII that lower-cases to an ASCII letter (`K`, the Kelvin sign,
/// to `k`), which ASCII case-insensitive search does not see.
const KELVIN_SIGN: char = '\u{212A}';

impl Prefilter {
    /// A prefilter for `patterns`, or `None` when some pattern (a range, a wildcard, regex or fuzzy term
    /// not expanded to terms, a very sloppy phrase, a non-ASCII word) cannot be located by its
    /// words.
    pub fn new(patterns: &[Pattern]) -> Option<Prefilter> {
        let mut words: Vec<(&str, usize)> = Vec::new();
        for pattern in patterns {
            let reach = match pattern {
                Pattern::Regex { .. } | Pattern::Fuzzy { .. } | Pattern::Range { .. } => {
                    return None
                }
                Pattern::Phrase { slop, .. } if *slop > MAX_SLOP => return None,
                Pattern::Phrase { .. } => REACH,
                Pattern::Word(_) | Pattern::Terms(_) => 0,
            };
            words.extend(pattern.exact_words().map(|word| (word, reach)));
        }
        // Only ASCII words: a token equal to one is then ASCII letters and digits, except that
        // the Kelvin sign lower-cases to `k` (see `regions`).
        if words.is_empty() || !words.iter().all(|(word, _)| word.is_ascii()) {
            return None;
        }
        // One entry a word, with the widest reach any pattern asks of it.
        words.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
        words.dedup_by(|next, kept| next.0 == kept.0);
        let reach = words.iter().map(|&(_, reach)| reach).collect();
        if words.len() <= FEW_WORDS {
            let finders = words.iter().map(|&(word, _)| RareByte::new(word)).collect();
            return Some(Prefilter {
                words: Finder::Few(finders),
                reach,
            });
        }
        // Leftmost-longest: where a longer word and its prefix both start, the longer is found
        // (a candidate that is not a whole token is skipped, see `regions`). Every token equal
        // to a word contains a match; the reverse need not hold: tokenizing the region checks.
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(words.iter().map(|&(word, _)| word))
            .ok()
            .map(|words| Prefilter {
                words: Finder::Many(words),
                reach,
            })
    }

    /// The regions of `text` to tokenize: each candidate with its reach around it, widened
    /// to whole tokens, merged when they touch. Sorted and disjoint. `None` when the text holds
    /// a Kelvin sign: it must then be tokenized whole.
    pub fn regions(&self, text: &str) -> Option<Vec<Range<usize>>> {
        if text.contains(KELVIN_SIGN) {
            return None;
        }
        let mut regions: Vec<Range<usize>> = Vec::new();
        for (found, word) in self.words.candidates(text) {
            // A candidate inside a longer token (`lock` in `spinlock`) cannot match. Words are
            // ASCII letters and digits, so no real match starts inside a skipped candidate.
            let before = text[..found.start].chars().next_back();
            let after = text[found.end..].chars().next();
            if before.is_some_and(continues_token) || after.is_some_and(continues_token) {
                continue;
            }
            let reach = self.reach[word];
            let start = token_start(text, found.start.saturating_sub(reach));
            let end = token_end(text, (found.end + reach).min(text.len()));
            match regions.last_mut() {
                // Regions that touch, or that only separators keep apart (the words of a phrase
                // can be adjacent tokens however much punctuation stands between them), are one;
                // so are regions a few bytes apart, cheaper to tokenize together than apart.
                Some(last)
                    if start <= last.end + JOIN_GAP || !has_token(&text[last.end..start]) =>
                {
                    last.end = last.end.max(end)
                }
                _ => regions.push(start..end),
            }
        }
        Some(regions)
    }
}

/// How the words' occurrences are found. Either way every occurrence that is a whole token is
/// found: two such occurrences cannot overlap, and an occurrence that is not a whole token
/// cannot hide one (it would run into it with a letter or digit).
#[derive(Clone, Debug)]
enum Finder {
    /// A few words, each searched for on its own.
    Few(Vec<RareByte>),
    /// Many words, in one pass.
    Many(AhoCorasick),
}

impl Finder {
    /// Occurrences of the words in `text`, any case, by start: each with the index of its word.
    fn candidates<'t>(
        &'t self,
        text: &'t str,
    ) -> Box<dyn Iterator<Item = (Range<usize>, usize)> + 't> {
        match self {
            Finder::Few(finders) if finders.len() == 1 => {
                Box::new(finders[0].find_iter(text).map(|found| (found, 0)))
            }
            Finder::Few(finders) => {
                let mut all: Vec<(Range<usize>, usize)> = finders
                    .iter()
                    .enumerate()
                    .flat_map(|(word, finder)| {
                        finder.find_iter(text).map(move |found| (found, word))
                    })
                    .collect();
                all.sort_unstable_by_key(|(found, _)| found.start);
                Box::new(all.into_iter())
            }
            Finder::Many(words) => Box::new(
                words
                    .find_iter(text)
                    .map(|found| (found.range(), found.pattern().as_usize())),
            ),
        }
    }
}

/// Finds one ASCII word in any case: a vectorized search for its rarest byte (both cases),
/// then a comparison of the bytes around. Much cheaper than an automaton when the first letter
/// is common (`m` of `mutex`, found everywhere) and another is not (its `x`).
#[derive(Clone, Debug)]
struct RareByte {
    word: Vec<u8>,
    /// Where the rarest byte is in the word.
    at: usize,
}

/// Lower-case letters from the most to the least common in English and code, roughly; digits
/// and letters not listed count as rarer still.
const LETTERS_BY_FREQUENCY: &[u8] = b"etaoinsrlcdumhpfgbywvkxzqj";

impl RareByte {
    fn new(word: &str) -> RareByte {
        let word = word.as_bytes().to_ascii_lowercase();
        let rank = |byte: &u8| {
            LETTERS_BY_FREQUENCY
                .iter()
                .position(|letter| letter == byte)
                .unwrap_or(LETTERS_BY_FREQUENCY.len())
        };
        let at = (0..word.len()).max_by_key(|&i| rank(&word[i])).unwrap_or(0);
        RareByte { word, at }
    }

    /// Every occurrence of the word in `text`, any case, by start (overlapping ones too).
    fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let bytes = text.as_bytes();
        let rare = self.word.get(self.at).copied().unwrap_or_default();
        memchr::memchr2_iter(rare, rare.to_ascii_uppercase(), bytes).filter_map(move |found| {
            let start = found.checked_sub(self.at)?;
            let end = start + self.word.len();
            let candidate = bytes.get(start..end)?;
            candidate
                .eq_ignore_ascii_case(&self.word)
                .then_some(start..end)
        })
    }
}

/// True when `gap` holds a token character; stops at the first.
fn has_token(gap: &str) -> bool {
    gap.chars().any(is_token_char)
}

/// Moves `at` back to a char boundary that no token spans: just after a separator character.
fn token_start(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_token_char(*c))
        .map_or(0, |(offset, c)| offset + c.len_utf8())
}

/// Moves `at` forward to a char boundary that no token spans: a separator character.
fn token_end(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    text[at..]
        .char_indices()
        .find(|(_, c)| !is_token_char(*c))
        .map_or(text.len(), |(offset, _)| at + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::{find_matches, find_matches_in};
    use crate::index::tokenizer::TextTokenizer;
    use proptest::prelude::*;
    use tantivy::tokenizer::TextAnalyzer;

    fn regions_of<'a>(text: &'a str, patterns: &[Pattern]) -> Vec<&'a str> {
        Prefilter::new(patterns)
            .unwrap()
            .regions(text)
            .unwrap()
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn phrase_words_get_context_in_whole_tokens() {
        let filler = "lorem ".repeat(100);
        let text = format!("{filler}The MUTEX is held{filler}");
        let phrase = Pattern::Phrase {
            words: vec!["mutex".into(), "held".into()],
            slop: 0,
        };
        let regions = regions_of(&text, &[phrase]);
        assert_eq!(regions.len(), 1);
        assert!(regions[0].contains("The MUTEX is held"));
        assert!(regions[0].starts_with("lorem") && regions[0].ends_with("lorem"));
    }

    #[test]
    fn a_word_alone_is_only_its_token() {
        let filler = "lorem ".repeat(100);
        let text =
            format!("{filler}The MUTEX, and then after a long while at last, a mutex {filler}");
        let word = Pattern::Word("mutex".into());
        assert_eq!(
            regions_of(&text, std::slice::from_ref(&word)),
            ["MUTEX", "mutex"]
        );
        // The same word in a phrase too: the context the phrase needs.
        let phrase = Pattern::Phrase {
            words: vec!["a".into(), "mutex".into()],
            slop: 0,
        };
        assert_eq!(regions_of(&text, &[word, phrase]).len(), 1);
    }

    #[test]
    fn close_regions_are_one() {
        let text = "lorem ipsum MUTEX, a mutex lorem ipsum";
        let regions = regions_of(text, &[Pattern::Word("mutex".into())]);
        assert_eq!(regions, ["MUTEX, a mutex"]);
    }

    #[test]
    fn candidates_inside_longer_tokens_are_skipped() {
        let filler = "lorem ".repeat(100);
        let text = format!("spinlock {filler}Lock {filler}unlocked");
        let regions = regions_of(&text, &[Pattern::Word("lock".into())]);
        assert_eq!(regions.len(), 1);
        assert!(regions[0].contains("Lock") && !regions[0].contains("spinlock"));
    }

    #[test]
    fn kelvin_sign_means_whole_text() {
        let prefilter = Prefilter::new(&[Pattern::Word("kelvin".into())]).unwrap();
        assert_eq!(prefilter.regions("300 \u{212A}ELVIN"), None);
    }

    #[test]
    fn wildcards_have_no_prefilter() {
        let regex = regex::Regex::new("^mu.*$").unwrap();
        assert!(Prefilter::new(&[Pattern::Regex(regex)]).is_none());
    }

    proptest! {
        /// Tokenizing only the prefilter's regions finds exactly the matches of the whole text.
        #[test]
        fn regions_find_every_match(
            text in "([a-zA-Z]{1,6}|[ .,\n]|é|É|İ|ß|\u{212A}|猫|\u{301}){0,400}",
            picks in proptest::collection::vec((0usize..1000, 0usize..3, 0u32..3), 1..4),
        ) {
            let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
            // Phrases of consecutive ASCII words (others have no prefilter), adjacent or not.
            let words: Vec<String> = crate::query::analyze(&mut analyzer, &text)
                .into_iter()
                .filter(|word| word.is_ascii())
                .collect();
            prop_assume!(!words.is_empty());
            let patterns: Vec<Pattern> = picks
                .iter()
                .map(|&(at, len, slop)| {
                    let at = at % words.len();
                    let phrase: Vec<String> = words[at..(at + len + 1).min(words.len())].to_vec();
                    if phrase.len() == 1 {
                        Pattern::Word(phrase[0].clone())
                    } else {
                        Pattern::Phrase { words: phrase, slop }
                    }
                })
                .collect();
            let prefilter = Prefilter::new(&patterns);
            prop_assume!(prefilter.is_some());
            let prefilter = prefilter.unwrap();
            let whole = find_matches(&text, &mut analyzer, &patterns);
            let regions = match prefilter.regions(&text) {
                Some(regions) => find_matches_in(&text, &regions, &mut analyzer, &patterns),
                None => find_matches(&text, &mut analyzer, &patterns),
            };
            prop_assert_eq!(regions, whole);
        }
    }
}
