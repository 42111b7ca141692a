//! Property tests: for generated texts (accents, CJK, emoji, combining marks, blanks, `<>&"'`) and
//! queries (words of the text and others, phrases, wildcards, fuzzy words, under AND/OR/NOT), the
//! fragments are short, apart, and mark only what the query asks for. (That they print escaped is
//! the renderers' property, tested there.)
//!
//! The marks are checked against an oracle written independently of the highlighter: the positive
//! leaves of the generated query, a plain glob matcher and a textbook edit distance, so a bug shared
//! by both is unlikely.

use proptest::prelude::*;

use super::{analyzer, tokens};
use crate::highlight::fragment::select_extents;
use crate::highlight::*;
use crate::index::fold::fold;
use crate::index::language::Language;
use crate::query::ast::{Clause, FieldName, Occur, QueryNode};
use crate::query::lower::identifier_parts;
use crate::query::{lower, Analyzers, Target};
use crate::query::{parse, DefaultOperator};

/// A generated query leaf, in a form the oracle understands directly.
#[derive(Clone, Debug)]
enum Leaf {
    Term(String),
    Phrase(Vec<String>, u32),
    Wildcard(String),
    Fuzzy(String, u8),
}

impl Leaf {
    fn node(&self) -> QueryNode {
        let field = FieldName::Contents;
        match self {
            Leaf::Term(text) => QueryNode::Term {
                field,
                text: text.clone(),
            },
            Leaf::Phrase(words, slop) => QueryNode::Phrase {
                field,
                text: words.join(" "),
                slop: *slop,
            },
            Leaf::Wildcard(pattern) => QueryNode::Wildcard {
                field,
                pattern: pattern.clone(),
            },
            Leaf::Fuzzy(text, distance) => QueryNode::Fuzzy {
                field,
                text: text.clone(),
                distance: *distance,
            },
        }
    }

    /// True when this leaf matches the single token `token`.
    fn matches_token(&self, token: &str) -> bool {
        match self {
            // A phrase of one word (after analysis) is that word; each part of an identifier
            // (`a-b`, `aB`) is also looked for alone.
            Leaf::Term(text) => {
                tokens(text) == [token]
                    || identifier_parts(&mut analyzer(), text)
                        .is_some_and(|parts| parts.iter().any(|part| part == token))
            }
            Leaf::Phrase(words, _) => tokens(&words.join(" ")) == [token],
            Leaf::Wildcard(pattern) => {
                let pattern: Vec<char> = fold(pattern).chars().collect();
                glob(&pattern, &token.chars().collect::<Vec<_>>())
            }
            Leaf::Fuzzy(text, distance) => tokens(text)
                .iter()
                .any(|word| edit_distance(word, token) <= usize::from(*distance)),
        }
    }

    /// The words of a phrase (or of a term that analyses to several) and its slop.
    fn phrase(&self) -> Option<(Vec<String>, u32)> {
        match self {
            Leaf::Phrase(words, slop) => Some((tokens(&words.join(" ")), *slop)),
            Leaf::Term(text) => Some((tokens(text), 0)),
            _ => None,
        }
        .filter(|(words, _)| words.len() > 1)
    }
}

/// A generated query: clauses of leaves, or of groups of leaves.
#[derive(Clone, Debug)]
struct GeneratedQuery {
    clauses: Vec<(Occur, Vec<(Occur, Leaf)>)>,
}

impl GeneratedQuery {
    fn node(&self) -> QueryNode {
        QueryNode::Bool(
            self.clauses
                .iter()
                .map(|(occur, group)| Clause {
                    occur: *occur,
                    query: QueryNode::Bool(
                        group
                            .iter()
                            .map(|(occur, leaf)| Clause {
                                occur: *occur,
                                query: leaf.node(),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        )
    }

    /// The leaves not under any `NOT`/`-`.
    fn positive(&self) -> Vec<&Leaf> {
        self.leaves(|outer, inner| outer != Occur::MustNot && inner != Occur::MustNot)
    }

    /// The leaves under some `NOT`/`-`.
    fn negative(&self) -> Vec<&Leaf> {
        self.leaves(|outer, inner| outer == Occur::MustNot || inner == Occur::MustNot)
    }

    fn leaves(&self, keep: impl Fn(Occur, Occur) -> bool) -> Vec<&Leaf> {
        self.clauses
            .iter()
            .flat_map(|(outer, group)| {
                group
                    .iter()
                    .filter(|(inner, _)| keep(*outer, *inner))
                    .map(|(_, leaf)| leaf)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// `*` any run, `?` one character; no escapes (generated patterns have none).
fn glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|skip| glob(rest, &text[skip..])),
        Some(('?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// Edit distance counting insertions, deletions, substitutions and adjacent transpositions, by
/// the textbook full table.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The checks that hold for any text, query and options.
fn assert_well_formed(
    text: &str,
    query: &QueryNode,
    options: FragmentOptions,
) -> (Vec<MarkedText>, Vec<Match>) {
    // Stemmed matches are checked end to end (tests/stemming.rs); here every match is a form
    // the oracle can name.
    let Ok(query) = lower(query, &mut Analyzers::new(Language::None), None) else {
        // A regular expression the index refuses: the search refuses the query.
        return (Vec::new(), Vec::new());
    };
    let mut highlighter = Highlighter::new(&query, Target::Contents, analyzer(), options);
    let fragments = highlighter.fragments(text);
    assert!(fragments.len() <= options.count);
    for fragment in &fragments {
        let plain = fragment.plain();
        assert!(plain.chars().count() <= options.max_chars, "{plain:?}");
        assert!(!plain.is_empty() && plain.trim() == plain, "{plain:?}");
        assert!(!plain.contains("  ") && !plain.chars().any(|c| c.is_control()));
        assert!(fragment
            .pieces
            .windows(2)
            .all(|pair| pair[0].marked != pair[1].marked));
    }

    // The fragments' places in the text: apart, and marking every match they hold.
    let wanted = HighlightQuery::collect(&query, Target::Contents);
    let matches = wanted.keep_deciding(find_matches(text, &mut analyzer(), wanted.patterns()));
    let mut extents = select_extents(text, &matches, options);
    extents.sort_by_key(|extent| extent.range.start);
    for pair in extents.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "{extents:?}");
    }
    for extent in &extents {
        let inside = matches
            .iter()
            .enumerate()
            .filter(|(_, m)| m.range.start < extent.range.end && extent.range.start < m.range.end)
            .map(|(index, _)| index);
        assert!(inside.clone().all(|index| extent.marks.contains(&index)));
        assert_eq!(inside.count(), extent.marks.len());
    }
    let _ = highlighter.mark_all(text);
    (fragments, matches)
}

/// Asserts each match the fragments mark (the fragments mark exactly the matches inside them, see
/// [`assert_well_formed`]) is something `query` looks for and holds no word only excluded, and
/// each marked piece holds a word.
fn assert_marks_match(
    text: &str,
    fragments: &[MarkedText],
    matches: &[Match],
    query: &GeneratedQuery,
) {
    let positive = query.positive();
    let single = |token: &str| positive.iter().any(|leaf| leaf.matches_token(token));
    let phrases: Vec<(Vec<String>, u32)> =
        positive.iter().filter_map(|leaf| leaf.phrase()).collect();
    let negative_only: Vec<String> = query
        .negative()
        .iter()
        .filter_map(|leaf| match leaf {
            Leaf::Term(text) => Some(tokens(text)),
            _ => None,
        })
        .flatten()
        .filter(|token| !single(token) && !phrases.iter().any(|(words, _)| words.contains(token)))
        .collect();
    for piece in fragments.iter().flat_map(|fragment| &fragment.pieces) {
        if piece.marked {
            let found = tokens(&piece.text);
            assert!(!found.is_empty(), "marked {:?} holds no word", piece.text);
        }
    }
    for found in matches.iter().map(|m| tokens(&text[m.range.clone()])) {
        for token in &found {
            assert!(
                !negative_only.contains(token),
                "marked {token:?} is excluded"
            );
        }
        // A token taken alone by a leaf, or a word of a sloppy phrase (marked one by one), or a
        // whole phrase.
        let ok = match found.as_slice() {
            [token] => {
                single(token)
                    || phrases
                        .iter()
                        .any(|(words, slop)| *slop > 0 && words.contains(token))
            }
            _ => false,
        } || phrases
            .iter()
            .any(|(words, slop)| (*slop == 0 || words.len() == found.len()) && words == &found);
        assert!(ok, "the match {found:?} is not asked for");
    }
}

const WORDS: &[&str] = &[
    "rust",
    "Rust",
    "error",
    "handling",
    "café",
    "cafe\u{301}",
    "naïve",
    "ÉCOLE",
    "Straße",
    "東京",
    "日本語",
    "test",
    "testing",
    "Tested",
    "roam",
    "foam",
    "roams",
    "a",
    "x",
    "mutex",
    "lock",
    "2024",
    "über",
];

const SEPARATORS: &[&str] = &[
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n\t ",
    ", ",
    ". ",
    " <b> ",
    " & ",
    "&amp;",
    "\"",
    "'",
    " 😀 ",
    "👍🏽",
    " > ",
    "<",
    "\u{3000}",
    "\r\n",
    " — ",
    "-",
    "\u{0}",
    " \u{1b}[0m ",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(String::from),
        1 => "[a-zA-Z]{1,7}",
        1 => "[a-zé東😀]{1,4}",
    ]
}

fn text() -> impl Strategy<Value = (String, Vec<String>)> {
    prop::collection::vec((word(), prop::sample::select(SEPARATORS)), 0..80).prop_map(|parts| {
        let text = parts
            .iter()
            .map(|(word, separator)| format!("{word}{separator}"))
            .collect();
        let words = parts.into_iter().map(|(word, _)| word).collect();
        (text, words)
    })
}

/// A word of the text (most of the time) or any word.
fn query_word(words: Vec<String>) -> BoxedStrategy<String> {
    if words.is_empty() {
        word().boxed()
    } else {
        prop_oneof![3 => prop::sample::select(words), 1 => word()].boxed()
    }
}

fn leaf(words: Vec<String>) -> impl Strategy<Value = Leaf> {
    let any_word = query_word(words);
    prop_oneof![
        3 => any_word.clone().prop_map(Leaf::Term),
        2 => (prop::collection::vec(any_word.clone(), 2..4), 0u32..3)
            .prop_map(|(words, slop)| Leaf::Phrase(words, slop)),
        1 => (any_word.clone(), 0usize..4).prop_map(|(word, keep)| {
            let prefix: String = word.chars().take(keep).collect();
            Leaf::Wildcard(format!("{prefix}*"))
        }),
        1 => (any_word.clone(), any::<prop::sample::Index>()).prop_map(|(word, at)| {
            let chars: Vec<char> = word.chars().collect();
            let at = at.index(chars.len());
            Leaf::Wildcard(chars.iter().enumerate().map(|(i, &c)| if i == at { '?' } else { c }).collect())
        }),
        1 => (any_word, 0u8..3).prop_map(|(word, distance)| Leaf::Fuzzy(word, distance)),
    ]
}

fn occur() -> impl Strategy<Value = Occur> {
    prop_oneof![3 => Just(Occur::Should), 1 => Just(Occur::Must), 1 => Just(Occur::MustNot)]
}

fn query(words: Vec<String>) -> impl Strategy<Value = GeneratedQuery> {
    prop::collection::vec(
        (occur(), prop::collection::vec((occur(), leaf(words)), 1..3)),
        1..4,
    )
    .prop_map(|clauses| GeneratedQuery { clauses })
}

fn fragment_options() -> impl Strategy<Value = FragmentOptions> {
    (0usize..5, prop_oneof![1 => 0usize..12, 3 => 12usize..100])
        .prop_map(|(count, max_chars)| FragmentOptions { count, max_chars })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fragments_are_well_formed_and_mark_only_what_the_query_asks(
        (text, query) in text().prop_flat_map(|(text, words)| (Just(text), query(words))),
        options in fragment_options(),
    ) {
        let (fragments, matches) = assert_well_formed(&text, &query.node(), options);
        assert_marks_match(&text, &fragments, &matches, &query);
    }

    #[test]
    fn any_text_and_query_give_well_formed_fragments(
        text in prop_oneof![".*", "\\PC*", "[ \t\n\u{0}-\u{1f}a-c<>&é́東😀\u{301}\u{200D}]*"],
        query in "[a-c\"*?~^() +\\-!:/|&0-9]{0,20}",
        options in fragment_options(),
    ) {
        if let Ok(query) = parse(&query, DefaultOperator::Or) {
            assert_well_formed(&text, &query, options);
        }
    }

    #[test]
    fn the_beginning_of_an_unmatched_text_is_well_formed(
        text in "\\PC*",
        options in fragment_options(),
    ) {
        let fragments = select_fragments(&text, &[], options);
        prop_assert!(fragments.len() <= 1);
        if let Some(fragment) = fragments.first() {
            prop_assert!(!fragment.has_marks());
            prop_assert!(fragment.plain().chars().count() <= options.max_chars);
            let first = text.split(|c: char| c.is_whitespace() || c.is_control()).find(|w| !w.is_empty());
            let shown = fragment.plain();
            prop_assert!(first.is_some_and(|w| shown.starts_with(w) || w.starts_with(&shown)));
        } else {
            prop_assert!(options.count == 0 || options.max_chars == 0 || text.chars().all(|c| c.is_whitespace() || c.is_control()));
        }
    }
}
