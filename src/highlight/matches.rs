//! Finding where a query's patterns occur in a text, token by token.

use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::pattern::{Match, Pattern};
use crate::deadline::Deadline;
use crate::index::tokenizer::is_plain_token;
use crate::query::proximity::PhraseMatcher;

/// About how many tokens are looked at between two looks at the deadline.
const STEPS_PER_CHECK: usize = 4096;

/// A token of the text that some pattern matches: its byte range and position.
struct Token {
    range: Range<usize>,
    position: usize,
}

/// Finds every occurrence of `patterns` in `text`, tokenized by `analyzer` exactly as the index
/// tokenized it. Matches come sorted by start and never overlap: where two would, the earlier (then
/// the longer) one wins.
///
/// Each token is looked up once among the patterns' words (a binary search, no allocation) and
/// only matching tokens are kept; phrases step from word to word by binary search, so the cost is
/// O(tokens × log words) whatever the phrase slop.
#[cfg(test)]
pub fn find_matches(text: &str, analyzer: &mut TextAnalyzer, patterns: &[Pattern]) -> Vec<Match> {
    let whole = 0..text.len();
    find_matches_in(text, std::slice::from_ref(&whole), analyzer, patterns)
}

/// Like [`find_matches`], but tokenizes only `regions` of `text` (sorted, disjoint, each starting
/// and ending between tokens). Tokens of different regions are never adjacent for phrases.
/// `analyzer` must be the text analyzer, which [`super::Prefilter`] finds regions for: a region
/// that is one plain word is taken as its own token without it.
#[cfg(test)]
pub fn find_matches_in(
    text: &str,
    regions: &[Range<usize>],
    analyzer: &mut TextAnalyzer,
    patterns: &[Pattern],
) -> Vec<Match> {
    static NEVER: Deadline = Deadline::never();
    find_matches_until(text, regions, analyzer, patterns, &NEVER)
}

/// The matches of `patterns` in `regions` of `text` (see `find_matches_in`) found before
/// `deadline` passes: the scan of the text and the search for phrases look at it as they go (a
/// text can be a gigabyte).
pub fn find_matches_until(
    text: &str,
    regions: &[Range<usize>],
    analyzer: &mut TextAnalyzer,
    patterns: &[Pattern],
    deadline: &Deadline,
) -> Vec<Match> {
    if patterns.is_empty() {
        return Vec::new();
    }
    let vocabulary = Vocabulary::new(patterns);
    let scan = scan(text, regions, analyzer, patterns, &vocabulary, deadline);
    // The indexes of the tokens equal to a vocabulary word.
    let occurrences = |word: &str| -> &[usize] {
        vocabulary
            .id(word)
            .map_or(&[][..], |id| &scan.occurrences[id])
    };
    let mut matches = Vec::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let mut mark_word = |word: &str| {
            matches.extend(occurrences(word).iter().map(|&token| Match {
                range: scan.tokens[token].range.clone(),
                pattern: index,
            }));
        };
        match pattern {
            Pattern::Word(word) => mark_word(word),
            Pattern::Terms(terms) => terms.iter().for_each(|term| mark_word(term)),
            Pattern::Phrase { words, slop } => {
                // A phrase with a word no token is can match nowhere.
                let ids: Option<Vec<usize>> =
                    words.iter().map(|word| vocabulary.id(word)).collect();
                if let Some(ids) = ids {
                    let lists: Vec<&[usize]> = scan.occurrences.iter().map(Vec::as_slice).collect();
                    let phrase = Phrase {
                        words: &ids,
                        slop: *slop,
                        pattern: index,
                    };
                    find_phrases(&scan.tokens, &lists, &phrase, deadline, &mut matches);
                }
            }
            Pattern::Regex { .. }
            | Pattern::Fuzzy { .. }
            | Pattern::Range { .. }
            | Pattern::Stem { .. } => {}
        }
    }
    matches.extend(scan.other_hits.iter().map(|&(token, pattern)| Match {
        range: scan.tokens[token].range.clone(),
        pattern,
    }));
    matches.sort_unstable_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end), m.pattern));
    let mut kept: Vec<Match> = Vec::with_capacity(matches.len());
    for candidate in matches {
        match kept.last() {
            Some(last) if candidate.range.start < last.range.end => {}
            _ => kept.push(candidate),
        }
    }
    kept
}

/// Every exact word the patterns look for (words, phrase words, expanded terms), sorted, each
/// with an id.
struct Vocabulary<'p> {
    words: Vec<&'p str>,
}

impl<'p> Vocabulary<'p> {
    fn new(patterns: &'p [Pattern]) -> Vocabulary<'p> {
        let mut words: Vec<&str> = patterns.iter().flat_map(Pattern::exact_words).collect();
        words.sort_unstable();
        words.dedup();
        Vocabulary { words }
    }

    fn id(&self, word: &str) -> Option<usize> {
        self.words.binary_search(&word).ok()
    }
}

/// The tokens of a text that matter to the patterns.
struct Scan {
    /// Tokens that are a vocabulary word or match a regex, fuzzy or range pattern, in text order.
    tokens: Vec<Token>,
    /// For each vocabulary word, the indexes of its tokens.
    occurrences: Vec<Vec<usize>>,
    /// (token index, pattern index) for regex, fuzzy and range patterns.
    other_hits: Vec<(usize, usize)>,
}

/// Tokenizes `regions` of `text` and keeps the tokens some pattern matches. Positions of a region
/// start well past the previous region's, so no phrase spans two regions.
fn scan(
    text: &str,
    regions: &[Range<usize>],
    analyzer: &mut TextAnalyzer,
    patterns: &[Pattern],
    vocabulary: &Vocabulary<'_>,
    deadline: &Deadline,
) -> Scan {
    const REGION_GAP: usize = 1 << 20;
    let others: Vec<(usize, &Pattern)> = patterns
        .iter()
        .enumerate()
        .filter(|(_, pattern)| {
            matches!(
                pattern,
                Pattern::Regex { .. }
                    | Pattern::Fuzzy { .. }
                    | Pattern::Range { .. }
                    | Pattern::Stem { .. }
            )
        })
        .collect();
    let mut scan = Scan {
        tokens: Vec::new(),
        occurrences: vec![Vec::new(); vocabulary.words.len()],
        other_hits: Vec::new(),
    };
    // Keeps a token that some pattern matches.
    let record = |scan: &mut Scan, token: &str, range: Range<usize>, position: usize| {
        let word = vocabulary.id(token);
        let first_other = scan.other_hits.len();
        let index = scan.tokens.len();
        for &(pattern, other) in &others {
            if other.matches_token(token) {
                scan.other_hits.push((index, pattern));
            }
        }
        if word.is_none() && scan.other_hits.len() == first_other {
            return;
        }
        if let Some(word) = word {
            scan.occurrences[word].push(index);
        }
        scan.tokens.push(Token { range, position });
    };
    let mut lower = String::new();
    let mut base = 0;
    let mut steps = 0usize;
    // Counts a region or a token; true when it is time to stop.
    let mut late = || {
        steps += 1;
        steps.is_multiple_of(STEPS_PER_CHECK) && deadline.passed()
    };
    for region in regions {
        if late() {
            break;
        }
        let region_text = &text[region.clone()];
        // A region that is one plain word (most regions of word queries: the prefilter's
        // occurrences) is its own token, lower-cased: no token stream needed.
        if is_plain_token(region_text) {
            lower.clear();
            lower.push_str(region_text);
            lower.make_ascii_lowercase();
            record(&mut scan, &lower, region.clone(), base);
            base += REGION_GAP;
            continue;
        }
        let mut last_position = None;
        let mut stream = analyzer.token_stream(region_text);
        while let Some(token) = stream.next() {
            if late() {
                return scan;
            }
            last_position = Some(token.position);
            let range = region.start + token.offset_from..region.start + token.offset_to;
            record(&mut scan, &token.text, range, base + token.position);
        }
        if let Some(last) = last_position {
            base += last + REGION_GAP;
        }
    }
    scan
}

/// A phrase to mark: its word ids, its slop, and the index of its pattern.
struct Phrase<'a> {
    words: &'a [usize],
    slop: u32,
    pattern: usize,
}

/// Marks the matches of `phrase` (see [`PhraseMatcher`] for what matches) found before
/// `deadline`, `lists` the token indexes of each word's occurrences. An exact phrase is marked as
/// one span; a sloppy one (`"a b"~N`) word by word, so the words between stay unmarked.
fn find_phrases(
    tokens: &[Token],
    lists: &[&[usize]],
    phrase: &Phrase<'_>,
    deadline: &Deadline,
    out: &mut Vec<Match>,
) {
    let position = |index: usize| tokens[index].position;
    let mut matcher = PhraseMatcher::new(lists, phrase.words, position, phrase.slop);
    let pattern = phrase.pattern;
    matcher.each_match(deadline, |found| {
        if phrase.slop == 0 {
            if let (Some(&first), Some(&last)) = (found.first(), found.last()) {
                out.push(Match {
                    range: tokens[first].range.start..tokens[last].range.end,
                    pattern,
                });
            }
        } else {
            out.extend(found.iter().map(|&index| Match {
                range: tokens[index].range.clone(),
                pattern,
            }));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::text_analyzer;

    fn analyzer() -> TextAnalyzer {
        text_analyzer()
    }

    fn marked<'a>(text: &'a str, patterns: &[Pattern]) -> Vec<&'a str> {
        find_matches(text, &mut analyzer(), patterns)
            .into_iter()
            .map(|m| &text[m.range])
            .collect()
    }

    fn phrase(words: &[&str], slop: u32) -> Pattern {
        Pattern::Phrase {
            words: words.iter().map(|w| w.to_string()).collect(),
            slop,
        }
    }

    #[test]
    fn a_passed_deadline_stops_the_scan_and_the_phrases() {
        use std::time::Duration;
        let passed = Deadline::after(Some(Duration::ZERO));
        let never = Deadline::never();
        let until = |text: &str, patterns: &[Pattern], deadline: &Deadline| {
            let whole = 0..text.len();
            let regions = std::slice::from_ref(&whole);
            find_matches_until(text, regions, &mut analyzer(), patterns, deadline).len()
        };
        // The only match is past the first few thousand tokens: a scan stopped at the deadline
        // never gets there.
        let text = format!("{}needle", "hay ".repeat(10_000));
        let needle = [Pattern::Word("needle".into())];
        assert_eq!(until(&text, &needle, &never), 1);
        assert_eq!(until(&text, &needle, &passed), 0);
        // Every word a phrase's: only those scanned by the deadline are marked.
        let text = "a ".repeat(30_000);
        let phrase = [phrase(&["a"; 3], 0)];
        assert_eq!(until(&text, &phrase, &never), 10_000);
        assert!(until(&text, &phrase, &passed) < 2000);
    }

    #[test]
    fn words_match_case_insensitively() {
        let text = "Mutex and mutex, MUTEX!";
        assert_eq!(
            marked(text, &[Pattern::Word("mutex".into())]),
            ["Mutex", "mutex", "MUTEX"]
        );
    }

    #[test]
    fn phrase_marks_only_adjacent_words() {
        let text = "error here, handling there. Error handling matters.";
        assert_eq!(
            marked(text, &[phrase(&["error", "handling"], 0)]),
            ["Error handling"]
        );
    }

    #[test]
    fn enough_slop_lets_phrase_words_swap() {
        let text = "apache big jakarta";
        assert!(marked(text, &[phrase(&["jakarta", "apache"], 2)]).is_empty());
        assert_eq!(
            marked(text, &[phrase(&["jakarta", "apache"], 3)]),
            ["apache", "jakarta"]
        );
    }

    #[test]
    fn sloppy_phrase_marks_words_within_slop() {
        let text = "jakarta the apache; jakarta a b c d apache";
        assert_eq!(
            marked(text, &[phrase(&["jakarta", "apache"], 1)]),
            ["jakarta", "apache"]
        );
    }
}
