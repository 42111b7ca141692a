//! What to look for in a text: the positive leaves of a query, analysed like the indexed text.

use std::ops::{Bound, Range, RangeBounds};

use regex::Regex;

use crate::index::language::Language;
use crate::query::ast::Occur;
use crate::query::{Lowered, Matcher, MultiTerm, Target};

/// One occurrence of a pattern in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Byte range of the marked text.
    pub range: Range<usize>,
    /// Index of the pattern that matched (distinct patterns make a better fragment).
    pub pattern: usize,
}

/// One thing the query looks for, matched against the tokens of a text.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// A token equal to this (already analysed) word.
    Word(String),
    /// A token the whole of which matches a regular expression (wildcards, regexes), anchored
    /// at both ends.
    Regex {
        /// The expression.
        regex: Regex,
        /// What every token it matches starts with, when known (the index's terms it matches
        /// share it: a wildcard's `irq` of `irq*`); empty otherwise.
        prefix: String,
    },
    /// A token within `distance` edits (insertions, deletions, substitutions, transpositions).
    Fuzzy {
        /// The analysed word, as characters.
        word: Vec<char>,
        /// The largest edit distance allowed.
        distance: u8,
    },
    /// A token between two bounds in the index's term order (a range on the text, `[a TO m]`).
    Range {
        /// The lower bound, lower-cased like the terms.
        lower: Bound<String>,
        /// The upper bound, lower-cased like the terms.
        upper: Bound<String>,
    },
    /// A token equal to one of these terms (sorted): a wildcard, regex or fuzzy term replaced by
    /// the terms of the index it expands to.
    Terms(Vec<String>),
    /// A token whose stem in `language` is `stem`: any form of an unquoted word.
    Stem {
        /// The stem.
        stem: String,
        /// The language that stems.
        language: Language,
    },
    /// Consecutive tokens equal to `words`, allowing `slop` extra positions between them.
    Phrase {
        /// The analysed words, in order.
        words: Vec<String>,
        /// How many extra positions may separate the words.
        slop: u32,
    },
}

impl Pattern {
    /// The exact words this pattern looks for: the word, the expanded terms, the phrase's words;
    /// none for a regex, fuzzy, range or stem pattern, which are tested token by token.
    pub fn exact_words(&self) -> impl Iterator<Item = &str> {
        let words: &[String] = match self {
            Pattern::Word(word) => std::slice::from_ref(word),
            Pattern::Terms(terms) => terms,
            Pattern::Phrase { words, .. } => words,
            Pattern::Regex { .. }
            | Pattern::Fuzzy { .. }
            | Pattern::Range { .. }
            | Pattern::Stem { .. } => &[],
        };
        words.iter().map(String::as_str)
    }

    /// True when a single token matches this pattern (phrases never match a single token alone).
    pub fn matches_token(&self, token: &str) -> bool {
        match self {
            Pattern::Word(word) => word == token,
            Pattern::Regex { regex, .. } => regex.is_match(token),
            Pattern::Terms(terms) => terms
                .binary_search_by(|term| term.as_str().cmp(token))
                .is_ok(),
            Pattern::Fuzzy { word, distance } => within_distance(word, token, *distance),
            // Spelled out: with the `bytes` crate linked (its types compare with `str` too),
            // the range's item type is ambiguous to inference.
            Pattern::Range { lower, upper } => RangeBounds::<str>::contains::<str>(
                &(
                    lower.as_ref().map(String::as_str),
                    upper.as_ref().map(String::as_str),
                ),
                token,
            ),
            Pattern::Stem { stem, language } => language.stems_to(token, stem),
            Pattern::Phrase { .. } => false,
        }
    }
}

/// The patterns of a query on one field, and the boolean shape that joins them.
#[derive(Clone, Debug)]
pub struct HighlightQuery {
    patterns: Vec<Pattern>,
    tree: MatchTree,
}

/// The boolean structure of a query, its leaves being patterns.
#[derive(Clone, Debug)]
enum MatchTree {
    /// A leaf on the highlighted field: the index of its pattern.
    Pattern(usize),
    /// A leaf this field cannot decide (another field, everything): taken as matching, since
    /// the document did match.
    Elsewhere,
    /// A leaf that matches nothing (words of only punctuation).
    Never,
    /// A boolean combination.
    Bool(Vec<(Occur, MatchTree)>),
    /// Optional clauses of which at least this many must match.
    AtLeast(usize, Vec<MatchTree>),
}

impl HighlightQuery {
    /// Collects every leaf of `query` that searches `field`, including those under `NOT`/`-`:
    /// they are looked for (to know which clauses matched) but never marked.
    pub fn collect(query: &Lowered, field: Target) -> Self {
        let mut patterns = Vec::new();
        let tree = collect(query, field, &mut patterns);
        HighlightQuery { patterns, tree }
    }

    /// The patterns, in the order matches refer to them.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Keeps the matches that made the text match: those of patterns on a path of matching
    /// clauses from the root, never under `NOT`. In `a OR (b -c)` over a text holding all three,
    /// only `a` is kept. If the text does not match the query as this field sees it (the
    /// document matched in a way the highlighter cannot see), every pattern outside a `NOT` is
    /// kept.
    pub fn keep_deciding(&self, matches: Vec<Match>) -> Vec<Match> {
        let mut found = vec![false; self.patterns.len()];
        for m in &matches {
            found[m.pattern] = true;
        }
        let mut deciding = vec![false; self.patterns.len()];
        if self.tree.holds(&found) {
            self.tree.mark_deciding(&found, &mut deciding);
        } else {
            self.tree.mark_positive(&mut deciding);
        }
        matches
            .into_iter()
            .filter(|m| deciding[m.pattern])
            .collect()
    }
}

impl MatchTree {
    /// Whether the text matches this node, given which patterns were found in it.
    fn holds(&self, found: &[bool]) -> bool {
        match self {
            MatchTree::Pattern(index) => found[*index],
            MatchTree::Elsewhere => true,
            MatchTree::Never => false,
            MatchTree::Bool(clauses) => {
                let required = clauses.iter().filter(|(occur, _)| *occur == Occur::Must);
                let optional = clauses.iter().filter(|(occur, _)| *occur == Occur::Should);
                let excluded = clauses.iter().filter(|(occur, _)| *occur == Occur::MustNot);
                if !required.clone().all(|(_, child)| child.holds(found))
                    || excluded.clone().any(|(_, child)| child.holds(found))
                {
                    return false;
                }
                required.count() > 0
                    || optional.clone().count() == 0
                    || optional.clone().any(|(_, child)| child.holds(found))
            }
            MatchTree::AtLeast(minimum, clauses) => {
                clauses.iter().filter(|child| child.holds(found)).count() >= *minimum
            }
        }
    }

    /// Marks the patterns of the matching, non-excluded clauses under this (matching) node.
    fn mark_deciding(&self, found: &[bool], deciding: &mut [bool]) {
        match self {
            MatchTree::Pattern(index) => deciding[*index] = true,
            MatchTree::Elsewhere | MatchTree::Never => {}
            MatchTree::Bool(clauses) => {
                for (occur, child) in clauses {
                    if *occur != Occur::MustNot && child.holds(found) {
                        child.mark_deciding(found, deciding);
                    }
                }
            }
            MatchTree::AtLeast(_, clauses) => {
                for child in clauses {
                    if child.holds(found) {
                        child.mark_deciding(found, deciding);
                    }
                }
            }
        }
    }

    /// Marks every pattern not under an exclusion.
    fn mark_positive(&self, deciding: &mut [bool]) {
        match self {
            MatchTree::Pattern(index) => deciding[*index] = true,
            MatchTree::Elsewhere | MatchTree::Never => {}
            MatchTree::Bool(clauses) => {
                for (occur, child) in clauses {
                    if *occur != Occur::MustNot {
                        child.mark_positive(deciding);
                    }
                }
            }
            MatchTree::AtLeast(_, clauses) => clauses
                .iter()
                .for_each(|child| child.mark_positive(deciding)),
        }
    }
}

/// Builds the tree of `node`, pushing the patterns of its leaves on `wanted` into `out`.
fn collect(node: &Lowered, wanted: Target, out: &mut Vec<Pattern>) -> MatchTree {
    match node {
        Lowered::Bool(clauses) => MatchTree::Bool(
            clauses
                .iter()
                .map(|(occur, clause)| (*occur, collect(clause, wanted, out)))
                .collect(),
        ),
        Lowered::AtLeast { minimum, clauses } => MatchTree::AtLeast(
            *minimum,
            clauses
                .iter()
                .map(|clause| collect(clause, wanted, out))
                .collect(),
        ),
        Lowered::Boost { query, .. } => collect(query, wanted, out),
        // Only ranks: never the reason a document matched, never marked.
        Lowered::Ranking(_) => MatchTree::Never,
        Lowered::Leaf(leaf) if leaf.target == wanted => leaf_tree(out, pattern_of(&leaf.matcher)),
        // Words with no field are looked for in the text and in the title. To the highlighter
        // of one, the other's clauses are absent: when they decided the match, the highlighter
        // falls back to marking everything it finds.
        Lowered::Leaf(leaf) if is_words(leaf.target) && is_words(wanted) => MatchTree::Never,
        // Another field's clause, or every document: this text cannot decide it, and the
        // document did match.
        Lowered::Leaf(_) | Lowered::Span { .. } | Lowered::All => MatchTree::Elsewhere,
        // Matches no document, so no text.
        Lowered::Nothing => MatchTree::Never,
    }
}

/// True for the fields searched by words with no field named: the text and the title.
fn is_words(target: Target) -> bool {
    match target {
        Target::Contents | Target::Title => true,
        Target::Type | Target::PathParts | Target::WholePath | Target::From | Target::To => false,
    }
}

/// A pattern whose expansion lists more terms than this is matched token by token against the
/// pattern itself: looking for thousands of words at once costs more than testing each token.
const MAX_LISTED_TERMS: usize = 512;

/// What a leaf looks for in a text.
fn pattern_of(matcher: &Matcher) -> Option<Pattern> {
    Some(match matcher {
        Matcher::Term(word) => Pattern::Word(word.clone()),
        Matcher::Phrase { words, slop } => Pattern::Phrase {
            words: words.clone(),
            slop: *slop,
        },
        Matcher::Pattern {
            expansion: Some(terms),
            ..
        } if terms.len() <= MAX_LISTED_TERMS => Pattern::Terms(terms.clone()),
        Matcher::Pattern {
            pattern: MultiTerm::Regex(source),
            expansion,
            ..
        } => Pattern::Regex {
            regex: Regex::new(&format!("^(?:{source})$")).ok()?,
            // Every token of an indexed text is a term of the index: one the expression matches
            // is among the listed terms, and starts as they all do.
            prefix: expansion
                .as_deref()
                .map(|terms| common_prefix(terms).to_string())
                .unwrap_or_default(),
        },
        Matcher::Pattern {
            pattern: MultiTerm::Fuzzy { word, distance },
            ..
        } => Pattern::Fuzzy {
            word: word.chars().collect(),
            distance: *distance,
        },
        Matcher::Range { lower, upper } => Pattern::Range {
            lower: lower.clone(),
            upper: upper.clone(),
        },
        // The forms the index holds are the only tokens of an indexed text with the stem.
        Matcher::Stem {
            forms: Some(forms), ..
        } => Pattern::Terms(forms.clone()),
        Matcher::Stem {
            stem,
            language,
            forms: None,
        } => Pattern::Stem {
            stem: stem.clone(),
            language: *language,
        },
    })
}

/// The longest prefix all of `sorted` share (that of its first and last), cut at a character
/// boundary.
pub(super) fn common_prefix<S: AsRef<str>>(sorted: &[S]) -> &str {
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return "";
    };
    let (first, last) = (first.as_ref(), last.as_ref());
    let shared = first
        .char_indices()
        .zip(last.chars())
        .find(|((_, a), b)| a != b)
        .map_or(first.len().min(last.len()), |((at, _), _)| at);
    &first[..shared]
}

/// A leaf for `pattern`, pushed on `out`; a leaf that could not be made (a regular expression
/// the highlighter's engine refuses) is taken as matching.
fn leaf_tree(out: &mut Vec<Pattern>, pattern: Option<Pattern>) -> MatchTree {
    match pattern {
        Some(pattern) => {
            out.push(pattern);
            MatchTree::Pattern(out.len() - 1)
        }
        None => MatchTree::Elsewhere,
    }
}

/// True when `token` is at most `distance` edits from `word`, counting a transposition of two
/// adjacent characters as one edit (as tantivy's fuzzy query does).
fn within_distance(word: &[char], token: &str, distance: u8) -> bool {
    let token: Vec<char> = token.chars().collect();
    let max = distance as usize;
    if word.len().abs_diff(token.len()) > max {
        return false;
    }
    // Optimal string alignment distance, three rows.
    let width = token.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=word.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(word[i - 1] != token[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && word[i - 1] == token[j - 2] && word[i - 2] == token[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[width - 1] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fuzzy(word: &str, token: &str, distance: u8) -> bool {
        within_distance(&word.chars().collect::<Vec<_>>(), token, distance)
    }

    /// The words `query` keeps marked in a text holding `present`.
    fn deciding(query: &str, present: &[&str]) -> Vec<String> {
        let wanted =
            HighlightQuery::collect(&crate::query::lower::lowered(query), Target::Contents);
        let matches = wanted
            .patterns()
            .iter()
            .enumerate()
            .filter(|(_, pattern)| present.iter().any(|word| pattern.matches_token(word)))
            .map(|(index, _)| Match {
                range: index..index + 1,
                pattern: index,
            })
            .collect();
        let mut kept: Vec<String> = wanted
            .keep_deciding(matches)
            .into_iter()
            .map(|m| match &wanted.patterns()[m.pattern] {
                Pattern::Word(word) => word.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        kept.sort();
        kept
    }

    #[test]
    fn only_clauses_that_matched_are_marked() {
        assert_eq!(deciding("a OR (b -c)", &["a", "b", "c"]), ["a"]);
        assert_eq!(deciding("a OR (b -c)", &["a", "b"]), ["a", "b"]);
        assert_eq!(deciding("+a b", &["a", "b"]), ["a", "b"]);
        assert_eq!(deciding("a AND (b OR c)", &["a", "c"]), ["a", "c"]);
        assert!(deciding("-c", &["c"]).is_empty());
        // Matched on another field (taken as matching): a failed clause stays unmarked.
        assert_eq!(
            deciding("path:x OR (b -c)", &["b", "c"]),
            Vec::<String>::new()
        );
        assert_eq!(deciding("a AND path:x", &["a"]), ["a"]);
    }

    #[test]
    fn a_long_expansion_is_a_pattern_that_knows_the_prefix_of_its_terms() {
        let expanded = |terms: Option<Vec<String>>| Matcher::Pattern {
            pattern: MultiTerm::Regex("irq.*".into()),
            reversed: None,
            expansion: terms,
        };
        let many: Vec<String> = (0..=MAX_LISTED_TERMS).map(|n| format!("irq{n}")).collect();
        let prefix = |matcher| match pattern_of(&matcher) {
            Some(Pattern::Regex { prefix, .. }) => prefix,
            other => panic!("not a regex: {other:?}"),
        };
        assert_eq!(prefix(expanded(Some(many))), "irq");
        assert_eq!(prefix(expanded(None)), "");
        assert_eq!(common_prefix(&["déjà", "démon"]), "dé");
        assert_eq!(common_prefix(&["irq", "irqs"]), "irq");
        assert_eq!(common_prefix::<&str>(&[]), "");
    }

    #[test]
    fn fuzzy_distance_counts_edits() {
        assert!(fuzzy("roam", "roam", 0));
        assert!(fuzzy("roam", "foam", 1));
        assert!(fuzzy("roam", "roams", 1));
        assert!(fuzzy("roam", "raom", 1));
        assert!(!fuzzy("roam", "foams", 1));
        assert!(fuzzy("roam", "foams", 2));
        assert!(!fuzzy("roam", "xxxx", 2));
        assert!(fuzzy("", "ab", 2));
        assert!(!fuzzy("", "abc", 2));
    }
}
