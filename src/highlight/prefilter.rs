//! Finding the regions of a long text worth tokenizing.
//!
//! Tokenizing a whole document to find a few matches is what made highlighting slow: 50 hits of a
//! source tree are megabytes of text. When every pattern is a plain word, a phrase of words or a
//! wildcard whose terms share a prefix, an ASCII case-insensitive search (of each word by its
//! rarest byte, of many words by the prefix they share or with Aho-Corasick) finds every place a
//! match can be; only a small neighbourhood of each is tokenized and checked. A word matched on
//! its own needs no neighbourhood: only its own token is tokenized, so a common word costs its
//! occurrences, not the text around them. A phrase is looked for around the occurrences of just
//! one of its words, the one this text holds fewest of (every match contains it), as many tokens
//! on each side as the phrase can span.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use super::pattern::{common_prefix, Pattern};
use crate::index::language::Language;
use crate::index::tokenizer::{continues_token, is_ideograph, is_token_char};

/// With phrases, regions this close are tokenized as one: a token stream costs an allocation and
/// some set-up, about what tokenizing a few dozen bytes does.
const JOIN_GAP: usize = 32;

/// Phrases with more slop than this span too much text around each word: their text is
/// tokenized whole.
const MAX_SLOP: u32 = 16;

/// Up to this many words without a long shared prefix are looked for one by one, each by its
/// rarest byte; more with one automaton.
const FEW_WORDS: usize = 3;

/// Words that share a prefix this long (`sched*`'s `schedule`, `scheduler`..., a stem's forms)
/// are found by that prefix: a search for one short word is several times faster than the
/// automaton's for hundreds (whose rare bytes, taken over all the words, are no longer rare),
/// and one search is cheaper than one per word.
const MIN_SHARED_PREFIX: usize = 3;

/// Locates the candidate regions of a text for a set of patterns.
#[derive(Clone, Debug)]
pub struct Prefilter {
    /// The finders of the words, one per group: a pattern's listed terms (a stem's forms, a
    /// wildcard's expansion) are a group, the other words another.
    words: Vec<Group>,
    /// For each word of `words`, whether some pattern matches it on its own: its occurrences are
    /// then regions by themselves.
    alone: Vec<bool>,
    /// For each phrase, the indexes of its words in `words`, and how many tokens on either side
    /// of any one of them a match can take in (its other words and its slop).
    phrases: Vec<(Vec<usize>, usize)>,
    /// What every token of some pattern starts with (a long expansion's shared prefix): each
    /// token starting with one is a region.
    prefixes: Vec<RareByte>,
}

/// A phrase among a prefilter's patterns, before its words are numbered.
struct PhraseWords<'p> {
    words: &'p [String],
    reach: usize,
}

impl Prefilter {
    /// A prefilter for `patterns`, or `None` when some pattern (a range, a fuzzy term or a
    /// regex not expanded to terms that share a prefix, a very sloppy phrase, a non-ASCII word)
    /// cannot be located by its words.
    pub fn new(patterns: &[Pattern]) -> Option<Prefilter> {
        let mut alone: Vec<&str> = Vec::new();
        let mut listed: Vec<&[String]> = Vec::new();
        let mut phrases: Vec<PhraseWords> = Vec::new();
        let mut prefixes: Vec<&str> = Vec::new();
        for pattern in patterns {
            match pattern {
                Pattern::Regex { prefix, .. }
                    if prefix.len() >= MIN_SHARED_PREFIX && prefix.is_ascii() =>
                {
                    prefixes.push(prefix)
                }
                Pattern::Stem { stem, language } => prefixes.push(stem_prefix(stem, *language)?),
                Pattern::Regex { .. } | Pattern::Fuzzy { .. } | Pattern::Range { .. } => {
                    return None
                }
                Pattern::Phrase { slop, .. } if *slop > MAX_SLOP => return None,
                Pattern::Phrase { words, slop } => phrases.push(PhraseWords {
                    words,
                    reach: words.len().saturating_sub(1) + *slop as usize,
                }),
                Pattern::Terms(terms) => {
                    listed.push(terms);
                    alone.extend(pattern.exact_words())
                }
                Pattern::Word(_) => alone.extend(pattern.exact_words()),
            }
        }
        let mut words: Vec<&str> = alone
            .iter()
            .copied()
            .chain(
                phrases
                    .iter()
                    .flat_map(|phrase| phrase.words.iter().map(String::as_str)),
            )
            .collect();
        // Only ASCII words: a token equal to one is then ASCII letters and digits, or a token
        // holding a character outside ASCII that folds to them (see `regions`).
        if (words.is_empty() && prefixes.is_empty()) || !words.iter().all(|word| word.is_ascii()) {
            return None;
        }
        words.sort_unstable();
        words.dedup();
        let index = |word: &str| words.binary_search(&word).unwrap_or_default();
        let mut alone_by_word = vec![false; words.len()];
        for word in alone {
            alone_by_word[index(word)] = true;
        }
        let phrases = phrases
            .iter()
            .map(|phrase| {
                let indexes = phrase.words.iter().map(|word| index(word)).collect();
                (indexes, phrase.reach)
            })
            .collect();
        // Each word in one group: that of the first pattern listing it, or the rest's.
        let mut group_of = vec![listed.len(); words.len()];
        for (group, terms) in listed.iter().enumerate().rev() {
            for term in terms.iter() {
                group_of[index(term)] = group;
            }
        }
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); listed.len() + 1];
        for (word, &group) in group_of.iter().enumerate() {
            groups[group].push(word);
        }
        let groups = groups
            .into_iter()
            .filter(|group| !group.is_empty())
            .map(|group| {
                let members: Vec<&str> = group.iter().map(|&word| words[word]).collect();
                Some(Group {
                    finder: Finder::new(&members)?,
                    words: group,
                })
            })
            .collect::<Option<Vec<Group>>>()?;
        Some(Prefilter {
            words: groups,
            alone: alone_by_word,
            phrases,
            prefixes: prefixes
                .iter()
                .map(|prefix| RareByte::new(prefix))
                .collect(),
        })
    }

    /// The regions of `text` to tokenize: each occurrence of a word matched alone, each token
    /// starting with a prefix, and around each occurrence of a phrase's rarest word here the
    /// tokens the phrase can span, merged when they touch. Sorted and disjoint, from token
    /// boundary to token boundary. A token holding a character outside ASCII may fold to any
    /// word or prefix (`Café` is `cafe`, the Kelvin sign is `k`): it counts as an occurrence of
    /// each.
    pub fn regions(&self, text: &str) -> Vec<Range<usize>> {
        let mut found: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.alone.len()];
        for (candidate, word) in candidates(&self.words, text) {
            // A candidate inside a longer token (`lock` in `spinlock`) cannot match. Words are
            // ASCII letters and digits, so no real match starts inside a skipped candidate.
            let before = text[..candidate.start].chars().next_back();
            let after = text[candidate.end..].chars().next();
            if !(before.is_some_and(continues_token) || after.is_some_and(continues_token)) {
                found[word].push(candidate);
            }
        }
        let folding = folding_tokens(text);
        if !folding.is_empty() {
            for occurrences in &mut found {
                occurrences.extend(folding.iter().cloned());
            }
        }
        let mut spans: Vec<Range<usize>> = Vec::new();
        for (word, _) in self.alone.iter().enumerate().filter(|(_, alone)| **alone) {
            spans.extend(found[word].iter().cloned());
        }
        if !self.prefixes.is_empty() {
            spans.extend(folding.iter().cloned());
        }
        for prefix in &self.prefixes {
            spans.extend(
                prefix
                    .find_iter(text)
                    .filter(|found| {
                        let before = text[..found.start].chars().next_back();
                        !before.is_some_and(continues_token)
                    })
                    .map(|found| found.start..token_end(text, found.start)),
            );
        }
        for (words, reach) in &self.phrases {
            // Every match of the phrase holds each of its words: the fewest will do.
            let Some(&anchor) = words.iter().min_by_key(|&&word| found[word].len()) else {
                continue;
            };
            spans.extend(found[anchor].iter().map(|occurrence| {
                tokens_back(text, occurrence.start, *reach)..tokens_on(text, occurrence.end, *reach)
            }));
        }
        spans.sort_unstable_by_key(|span| span.start);
        let mut regions: Vec<Range<usize>> = Vec::new();
        for span in spans {
            match regions.last_mut() {
                // Regions that overlap or touch are one. With phrases, so are regions that only
                // separators keep apart (the words of a phrase can be adjacent tokens however
                // much punctuation stands between them), and regions a few bytes apart, cheaper
                // to tokenize together than apart. Without, a word's occurrence stays a region
                // of its own, which needs no tokenizing (see `find_matches_in`).
                Some(last)
                    if span.start <= last.end
                        || (!self.phrases.is_empty()
                            && (span.start <= last.end + JOIN_GAP
                                || !has_token(&text[last.end..span.start]))) =>
                {
                    last.end = last.end.max(span.end)
                }
                _ => regions.push(span),
            }
        }
        regions
    }
}

/// How the words' occurrences are found. Either way every occurrence that is a whole token is
/// found: two such occurrences cannot overlap, and an occurrence that is not a whole token
/// cannot hide one (it would run into it with a letter or digit).
#[derive(Clone, Debug)]
enum Finder {
    /// A few words, each searched for on its own.
    Few(Vec<RareByte>),
    /// Many words sharing `prefix`: each whole token starting with it, looked up among `words`
    /// (sorted, lower-case, the index of each its word's).
    Prefixed {
        prefix: RareByte,
        words: Vec<String>,
    },
    /// Many words, in one pass.
    Many(AhoCorasick),
}

/// The words of one group and how they are found.
#[derive(Clone, Debug)]
struct Group {
    finder: Finder,
    /// The index of each of the finder's words among the prefilter's.
    words: Vec<usize>,
}

/// Occurrences of the words of `groups` in `text`, any case, by start: each with the index of
/// its word among the prefilter's.
fn candidates<'t>(
    groups: &'t [Group],
    text: &'t str,
) -> Box<dyn Iterator<Item = (Range<usize>, usize)> + 't> {
    let in_group = |group: &'t Group| {
        group
            .finder
            .candidates(text)
            .map(|(found, word)| (found, group.words[word]))
    };
    match groups {
        [group] => Box::new(in_group(group)),
        groups => {
            let mut all: Vec<(Range<usize>, usize)> = groups.iter().flat_map(in_group).collect();
            all.sort_unstable_by_key(|(found, _)| found.start);
            Box::new(all.into_iter())
        }
    }
}

impl Finder {
    /// The cheapest way to find `words` (sorted, distinct, ASCII): by the prefix they share
    /// when it is long enough (one search where one by one would be several), one by one when
    /// they are few, else with one automaton; `None` when the automaton cannot be built.
    fn new(words: &[&str]) -> Option<Finder> {
        let shared = common_prefix(words);
        Some(if words.len() > 1 && shared.len() >= MIN_SHARED_PREFIX {
            Finder::Prefixed {
                prefix: RareByte::new(shared),
                words: words.iter().map(|word| word.to_string()).collect(),
            }
        } else if words.len() <= FEW_WORDS {
            Finder::Few(words.iter().map(|word| RareByte::new(word)).collect())
        } else {
            // Leftmost-longest: where a longer word and its prefix both start, the longer is
            // found (a candidate that is not a whole token is skipped, see `regions`). Every
            // token equal to a word contains a match; the reverse need not hold: tokenizing the
            // region checks.
            Finder::Many(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(words)
                    .ok()?,
            )
        })
    }

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
            Finder::Prefixed { prefix, words } => {
                Box::new(prefix.find_iter(text).filter_map(|found| {
                    let end = token_end(text, found.start);
                    let token = &text.as_bytes()[found.start..end];
                    let word = words
                        .binary_search_by(|word| cmp_lower_ascii(word.as_bytes(), token))
                        .ok()?;
                    Some((found.start..end, word))
                }))
            }
            Finder::Many(words) => Box::new(
                words
                    .find_iter(text)
                    .map(|found| (found.range(), found.pattern().as_usize())),
            ),
        }
    }
}

/// Where the token that starts at `start` of `text` ends.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    start + rest.find(|c| !continues_token(c)).unwrap_or(rest.len())
}

/// What every (folded) word with the stem `stem` starts with ([`Language::stem_prefix`]);
/// `None` (tokenize the whole text) when there is no such prefix, when it is not ASCII (the
/// search for it is ASCII's), or when an irregular form of the stem starts otherwise.
fn stem_prefix(stem: &str, language: Language) -> Option<&str> {
    if language.irregular_forms(stem).next().is_some() {
        return None;
    }
    language
        .stem_prefix(stem)
        .filter(|prefix| prefix.is_ascii())
}

/// The tokens of `text` that hold a character outside ASCII other than an ideograph: tokens
/// whose folded form may equal an ASCII word without their text containing it.
fn folding_tokens(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(found) = first_outside_ascii(&bytes[at..]) {
        let start = at + found;
        let Some(c) = text[start..].chars().next() else {
            break;
        };
        if !continues_token(c) || is_ideograph(c) {
            at = start + c.len_utf8();
            continue;
        }
        let token_start = text[..start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| continues_token(c))
            .last()
            .map_or(start, |(offset, _)| offset);
        let end = token_end(text, start);
        tokens.push(token_start..end);
        at = end;
    }
    tokens
}

/// Where the first byte outside ASCII is in `bytes`: a chunk at a time (the standard library
/// checks a chunk a word at a time), then byte by byte in the chunk that has one. Source text is
/// mostly ASCII, and this runs over the whole of every hit's text.
fn first_outside_ascii(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 64;
    let mut at = 0;
    for chunk in bytes.chunks(CHUNK) {
        if !chunk.is_ascii() {
            return chunk
                .iter()
                .position(|byte| !byte.is_ascii())
                .map(|found| at + found);
        }
        at += chunk.len();
    }
    None
}

/// Orders the lower-case ASCII `word` against `token` lower-cased (ASCII letters only), byte by
/// byte: the order `word`s are sorted in, so that a binary search finds a token in any case.
fn cmp_lower_ascii(word: &[u8], token: &[u8]) -> std::cmp::Ordering {
    word.iter()
        .copied()
        .cmp(token.iter().map(u8::to_ascii_lowercase))
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

/// Where the `count`th token before the token boundary `at` starts (the text's start when there
/// are fewer): tokens as the text tokenizer makes them, runs of token characters or a single
/// ideograph.
fn tokens_back(text: &str, at: usize, count: usize) -> usize {
    let mut chars = text[..at].char_indices().rev().peekable();
    let mut start = at;
    for _ in 0..count {
        // Separators, then one token.
        while chars.next_if(|&(_, c)| !is_token_char(c)).is_some() {}
        let Some((offset, c)) = chars.next() else {
            return 0;
        };
        start = offset;
        if !is_ideograph(c) {
            while let Some((offset, _)) = chars.next_if(|&(_, c)| continues_token(c)) {
                start = offset;
            }
        }
    }
    start
}

/// Where the `count`th token after the token boundary `at` ends (the text's end when there are
/// fewer).
fn tokens_on(text: &str, at: usize, count: usize) -> usize {
    let mut chars = text[at..].char_indices().peekable();
    let mut end = at;
    for _ in 0..count {
        while chars.next_if(|&(_, c)| !is_token_char(c)).is_some() {}
        let Some((offset, c)) = chars.next() else {
            return text.len();
        };
        end = at + offset + c.len_utf8();
        if !is_ideograph(c) {
            while let Some((offset, c)) = chars.next_if(|&(_, c)| continues_token(c)) {
                end = at + offset + c.len_utf8();
            }
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::pattern::Match;
    use crate::highlight::{find_matches, find_matches_in};
    use crate::index::tokenizer::TextTokenizer;
    use proptest::prelude::*;
    use tantivy::tokenizer::TextAnalyzer;

    fn regions_of<'a>(text: &'a str, patterns: &[Pattern]) -> Vec<&'a str> {
        Prefilter::new(patterns)
            .unwrap()
            .regions(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    /// The matches of `patterns` found by tokenizing only `prefilter`'s regions of `text` (or
    /// all of it when it has none), then those found by tokenizing all of it: the oracle.
    fn regions_and_whole(
        prefilter: &Prefilter,
        text: &str,
        patterns: &[Pattern],
    ) -> (Vec<Match>, Vec<Match>) {
        let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
        let whole = find_matches(text, &mut analyzer, patterns);
        let regions = find_matches_in(text, &prefilter.regions(text), &mut analyzer, patterns);
        (regions, whole)
    }

    #[test]
    fn a_phrase_is_looked_for_around_its_rarest_word_as_far_as_it_can_reach() {
        let filler = "lorem ".repeat(100);
        let text = format!("held {filler}The MUTEX -- is held {filler}, held");
        let phrase = |slop| Pattern::Phrase {
            words: vec!["mutex".into(), "held".into()],
            slop,
        };
        // One `mutex` against three `held`: one region, a token (the phrase's other word) on
        // either side, whatever separators stand between.
        assert_eq!(regions_of(&text, &[phrase(0)]), ["The MUTEX -- is"]);
        // With slop 1, two tokens on either side.
        assert_eq!(
            regions_of(&text, &[phrase(1)]),
            ["lorem The MUTEX -- is held"]
        );
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
    fn close_regions_are_one_with_phrases_only() {
        let text = "lorem ipsum MUTEX, a mutex lorem ipsum";
        // Each occurrence of a word alone is one plain token, a region needing no tokenizing.
        let word = Pattern::Word("mutex".into());
        let regions = regions_of(text, std::slice::from_ref(&word));
        assert_eq!(regions, ["MUTEX", "mutex"]);
        // With a phrase, regions a few bytes apart are tokenized together.
        let phrase = Pattern::Phrase {
            words: vec!["lorem".into(), "ipsum".into()],
            slop: 0,
        };
        assert_eq!(regions_of(text, &[word, phrase]), [text]);
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
    fn tokens_outside_ascii_are_regions_of_their_own() {
        let word = Pattern::Word("kelvin".into());
        assert_eq!(
            regions_of("300 \u{212A}ELVIN and kelvin", &[word]),
            ["\u{212A}ELVIN", "kelvin"]
        );
        let word = Pattern::Word("cafe".into());
        let filler = "lorem ".repeat(10);
        assert_eq!(
            regions_of(
                &format!("Cafe\u{301} {filler}cafe {filler}caf\u{e9}s"),
                &[word]
            ),
            ["Cafe\u{301}", "cafe", "caf\u{e9}s"]
        );
    }

    #[test]
    fn a_pattern_is_looked_for_by_its_prefix_when_it_has_one() {
        let regex = |prefix: &str| Pattern::Regex {
            regex: regex::Regex::new("^mu.*$").unwrap(),
            prefix: prefix.to_string(),
        };
        assert!(Prefilter::new(&[regex("")]).is_none());
        assert!(Prefilter::new(&[regex("mu")]).is_none());
        let filler = "lorem ".repeat(10);
        let text = format!("a MUTEX {filler}mutual {filler}commute {filler}Mutt");
        assert_eq!(
            regions_of(&text, &[regex("mut")]),
            ["MUTEX", "mutual", "Mutt"]
        );
        // `İ` folds to `i`: `Mİx` starts with `mix`, unseen by ASCII search.
        assert_eq!(
            regions_of("a M\u{130}xer, a mixer", &[regex("mix")]),
            ["M\u{130}xer", "mixer"]
        );
    }

    #[test]
    fn many_words_with_a_prefix_are_found_by_it_as_whole_tokens() {
        let terms = ["sched", "schedule", "scheduler", "schedules"];
        let pattern = Pattern::Terms(terms.iter().map(|term| term.to_string()).collect());
        let prefilter = Prefilter::new(std::slice::from_ref(&pattern)).unwrap();
        assert!(matches!(
            prefilter.words[..],
            [Group {
                finder: Finder::Prefixed { .. },
                ..
            }]
        ));
        let filler = "lorem ".repeat(20);
        let text = format!("SCHED {filler}reschedule {filler}Scheduling {filler}the scheduler.");
        assert_eq!(regions_of(&text, &[pattern]), ["SCHED", "scheduler"]);
    }

    proptest! {
        /// A wildcard's many terms, found by their shared prefix, give the whole text's matches.
        #[test]
        fn prefixed_words_find_every_match(
            text in "((sc|SC|sch|Sch|scH|x)[a-cA-C]{0,3}|[ .,_\n]|é|ß|\u{212A}|猫|\u{301}){0,300}",
            absent in "sch[a-c]{0,3}",
        ) {
            let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
            let mut terms: Vec<String> = crate::query::analyze(&mut analyzer, &text)
                .into_iter()
                .filter(|word| word.is_ascii() && word.starts_with("sch"))
                .chain([absent])
                .collect();
            terms.sort_unstable();
            terms.dedup();
            prop_assume!(terms.len() > FEW_WORDS);
            let patterns = [Pattern::Terms(terms)];
            let prefilter = Prefilter::new(&patterns).unwrap();
            let prefixed = matches!(prefilter.words[..], [Group { finder: Finder::Prefixed { .. }, .. }]);
            prop_assert!(prefixed, "found by the prefix");
            let (regions, whole) = regions_and_whole(&prefilter, &text, &patterns);
            prop_assert_eq!(regions, whole);
        }

        /// A long expansion's pattern, found by the prefix its terms share, gives the whole
        /// text's matches, whatever characters lower-case into the prefix.
        #[test]
        fn a_pattern_found_by_its_prefix_finds_every_match(
            text in "((sc|SC|s\u{212A}|sc\u{130}|sci|Sch|sK|x)[a-cA-Ci]{0,3}|[ .,_\n]|é|猫|\u{301}){0,300}",
            prefix in "(sch|sci|skb)",
        ) {
            let patterns = [Pattern::Regex {
                regex: regex::Regex::new(&format!("^{prefix}.*$")).unwrap(),
                prefix,
            }];
            let prefilter = Prefilter::new(&patterns).unwrap();
            let (regions, whole) = regions_and_whole(&prefilter, &text, &patterns);
            prop_assert_eq!(regions, whole);
        }

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
            let (regions, whole) = regions_and_whole(&prefilter, &text, &patterns);
            prop_assert_eq!(regions, whole);
        }

        /// Listed terms (a stem's forms, a wildcard's expansion), each list found on its own
        /// beside a word that may be among them, give the whole text's matches.
        #[test]
        fn listed_terms_found_group_by_group_find_every_match(
            text in "((ab|AB|abc|Abd|x|xy|XYZ)[a-dA-D]{0,3}|[ .,\n]|é|ß|\u{212A}|\u{301}){0,300}",
            lists in proptest::collection::vec(proptest::collection::vec(0usize..1000, 1..6), 1..4),
            word in 0usize..1000,
        ) {
            let mut analyzer = TextAnalyzer::from(TextTokenizer::default());
            let mut words: Vec<String> = crate::query::analyze(&mut analyzer, &text)
                .into_iter()
                .filter(|word| word.is_ascii())
                .collect();
            words.sort_unstable();
            words.dedup();
            prop_assume!(!words.is_empty());
            let mut patterns: Vec<Pattern> = lists
                .iter()
                .map(|picks| {
                    let mut terms: Vec<String> =
                        picks.iter().map(|&at| words[at % words.len()].clone()).collect();
                    terms.sort_unstable();
                    terms.dedup();
                    Pattern::Terms(terms)
                })
                .collect();
            patterns.push(Pattern::Word(words[word % words.len()].clone()));
            let prefilter = Prefilter::new(&patterns).unwrap();
            let (regions, whole) = regions_and_whole(&prefilter, &text, &patterns);
            prop_assert_eq!(regions, whole);
        }
    }

    #[test]
    fn a_stem_with_an_irregular_form_has_no_prefix() {
        let english = Language::default();
        assert_eq!(stem_prefix("rcu", english), Some("rcu"));
        assert_eq!(stem_prefix("die", english), None);
        assert_eq!(stem_prefix("thread", Language::None), None);
    }
}
