//! Finding where a query's patterns occur in a text, token by token.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::pattern::Pattern;

/// One occurrence of a pattern in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Byte range of the marked text.
    pub range: Range<usize>,
    /// Index of the pattern that matched (distinct patterns make a better fragment).
    pub pattern: usize,
}

/// A token of the text: its analysed form, byte range and position.
struct Token {
    text: String,
    range: Range<usize>,
    position: usize,
}

/// Finds every occurrence of `patterns` in `text`, tokenized by `analyzer` exactly as the index
/// tokenized it. Matches come sorted by start and never overlap: where two would, the earlier (then
/// the longer) one wins.
///
/// Each distinct token is tested once against each pattern, and phrases step from word to word by
/// binary search, so the cost is O(tokens × log tokens) whatever the phrase slop.
pub fn find_matches(text: &str, analyzer: &mut TextAnalyzer, patterns: &[Pattern]) -> Vec<Match> {
    let whole = 0..text.len();
    find_matches_in(text, std::slice::from_ref(&whole), analyzer, patterns)
}

/// Like [`find_matches`], but tokenizes only `regions` of `text` (sorted, disjoint, each starting
/// and ending between tokens). Tokens of different regions are never adjacent for phrases.
pub fn find_matches_in(
    text: &str,
    regions: &[Range<usize>],
    analyzer: &mut TextAnalyzer,
    patterns: &[Pattern],
) -> Vec<Match> {
    if patterns.is_empty() {
        return Vec::new();
    }
    let tokens = tokenize(text, regions, analyzer);
    let mut occurrences: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, token) in tokens.iter().enumerate() {
        occurrences.entry(&token.text).or_default().push(index);
    }
    let mut matches = Vec::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let mark = |token: &usize| Match {
            range: tokens[*token].range.clone(),
            pattern: index,
        };
        match pattern {
            Pattern::Phrase { words, slop } => {
                find_phrases(&tokens, &occurrences, words, *slop, index, &mut matches)
            }
            Pattern::Word(word) => {
                if let Some(found) = occurrences.get(word.as_str()) {
                    matches.extend(found.iter().map(mark));
                }
            }
            single => {
                for (token, found) in &occurrences {
                    if single.matches_token(token) {
                        matches.extend(found.iter().map(mark));
                    }
                }
            }
        }
    }
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

/// The tokens of `regions` of `text`, with byte ranges into `text`. Positions of a region start
/// well past the previous region's, so no phrase spans two regions.
fn tokenize(text: &str, regions: &[Range<usize>], analyzer: &mut TextAnalyzer) -> Vec<Token> {
    const REGION_GAP: usize = 1 << 20;
    let mut tokens = Vec::new();
    let mut base = 0;
    for region in regions {
        let mut stream = analyzer.token_stream(&text[region.clone()]);
        while let Some(token) = stream.next() {
            tokens.push(Token {
                text: token.text.clone(),
                range: region.start + token.offset_from..region.start + token.offset_to,
                position: base + token.position,
            });
        }
        base = tokens.last().map_or(base, |token| token.position) + REGION_GAP;
    }
    tokens
}

/// Finds `words` in order, with at most `slop` extra positions in all between them. An exact
/// phrase is marked as one span; a sloppy one word by word, so the words between stay unmarked.
/// Taking the earliest next word is never worse (it spends the least slop), so one pass suffices.
fn find_phrases(
    tokens: &[Token],
    occurrences: &HashMap<&str, Vec<usize>>,
    words: &[String],
    slop: u32,
    pattern: usize,
    out: &mut Vec<Match>,
) {
    let Some(lists) = words
        .iter()
        .map(|word| occurrences.get(word.as_str()))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let Some((starts, rest)) = lists.split_first() else {
        return;
    };
    for &start in starts.iter() {
        let mut found = Vec::with_capacity(words.len());
        found.push(start);
        let mut budget = slop as usize;
        let mut at = start;
        for list in rest {
            let expected = tokens[at].position + 1;
            let next = list[list.partition_point(|&index| index <= at)..]
                .first()
                .copied()
                .filter(|&index| tokens[index].position <= expected + budget);
            match next {
                Some(index) => {
                    budget -= tokens[index].position.saturating_sub(expected);
                    found.push(index);
                    at = index;
                }
                None => break,
            }
        }
        if found.len() != words.len() {
            continue;
        }
        if slop == 0 {
            out.push(Match {
                range: tokens[start].range.start..tokens[at].range.end,
                pattern,
            });
        } else {
            out.extend(found.iter().map(|&index| Match {
                range: tokens[index].range.clone(),
                pattern,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn analyzer() -> TextAnalyzer {
        TokenizerManager::default().get("default").unwrap()
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
    fn sloppy_phrase_marks_words_within_slop() {
        let text = "jakarta the apache; jakarta a b c d apache";
        assert_eq!(
            marked(text, &[phrase(&["jakarta", "apache"], 1)]),
            ["jakarta", "apache"]
        );
    }
}
