//! Lowering: the one place that decides what a parsed query means for this index.
//!
//! The tree the parser makes keeps text as typed. Lowering analyses it with the index's own
//! analyzers and settles every question of meaning once: a word that analyses to several tokens
//! is a phrase, to none matches nothing; a fuzzy clause of several words requires each; bounds of
//! a range on the text are lower-cased like its terms; a leading path wildcard searches reversed
//! components; wildcard, regex and fuzzy terms are expanded into the index terms they match. Search compiles the lowered tree to tantivy queries and highlighting
//! marks its leaves, so the two can never disagree.

use std::ops::Bound;

use tantivy::tokenizer::TextAnalyzer;
use tantivy::TantivyError;

use super::ast::{FieldName, NumericField, Occur, QueryNode};
use super::{analyze, reversed_wildcard_regex, wildcard_to_regex, QueryError};
use crate::index::fold::fold;
use crate::index::language::Language;
use crate::index::schema::{keyword_analyzer, path_analyzer, text_analyzer};

/// A query as the index sees it: leaves analysed, with their boolean shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Lowered {
    /// A boolean combination of clauses.
    Bool(Vec<(Occur, Lowered)>),
    /// Optional clauses of which at least `minimum` must match; each that does adds its score.
    AtLeast {
        /// How many clauses must match.
        minimum: usize,
        /// The clauses.
        clauses: Vec<Lowered>,
    },
    /// A sub-query whose score is multiplied by `boost`.
    Boost {
        /// The boosted query.
        query: Box<Lowered>,
        /// The factor.
        boost: f32,
    },
    /// A clause that only ranks: it adds its score to documents the rest of the query matched,
    /// matches none by itself (it stands beside them as an optional clause), and is never marked.
    Ranking(Box<Lowered>),
    /// One analysed clause.
    Leaf(Leaf),
    /// The documents whose number `field` is in `start..end`: nothing to analyse, nothing in
    /// the text to mark.
    Span {
        /// The fast field compared.
        field: NumericField,
        /// The smallest value matched.
        start: u64,
        /// The first value past those matched.
        end: u64,
    },
    /// Every document.
    All,
    /// No document: words that analyse to no token (only punctuation).
    Nothing,
}

impl Lowered {
    /// This query without its top-level ranking clauses, and those clauses as queries whose
    /// scores add up to theirs (each optional clause of a ranking clause on its own, its boost
    /// carried down). The query matches the same documents without them, since a ranking
    /// clause matches none of its own: a search can find the best matches without them, then
    /// add their scores to those alone.
    pub fn split_ranking(&self) -> (Lowered, Vec<Lowered>) {
        let Lowered::Bool(clauses) = self else {
            return (self.clone(), Vec::new());
        };
        let mut matching = Vec::with_capacity(clauses.len());
        let mut ranking = Vec::new();
        for (occur, clause) in clauses {
            match clause {
                Lowered::Ranking(query) => ranking.extend(query.summands()),
                clause => matching.push((*occur, clause.clone())),
            }
        }
        if matching.is_empty() {
            return (self.clone(), Vec::new());
        }
        (Lowered::Bool(matching), ranking)
    }

    /// Queries whose scores add up to this one's and which together match the same documents:
    /// the clauses of a union of optional clauses one by one (and theirs in turn), a boost
    /// carried down to each. Searched as one flat union, they spare a union per level.
    pub fn summands(&self) -> Vec<Lowered> {
        let mut out = Vec::new();
        summands(self, 1.0, &mut out);
        out
    }
}

/// Pushes on `out` the summands of `query` (see [`Lowered::summands`]), boosted by `boost`.
fn summands(query: &Lowered, boost: f32, out: &mut Vec<Lowered>) {
    match query {
        Lowered::Bool(clauses)
            if !clauses.is_empty() && clauses.iter().all(|(occur, _)| *occur == Occur::Should) =>
        {
            for (_, clause) in clauses {
                summands(clause, boost, out);
            }
        }
        Lowered::Boost {
            query,
            boost: inner,
        } => summands(query, boost * inner, out),
        query if boost == 1.0 => out.push(query.clone()),
        query => out.push(Lowered::Boost {
            query: Box::new(query.clone()),
            boost,
        }),
    }
}

/// One analysed clause and the field it searches.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    /// The indexed field.
    pub target: Target,
    /// What it looks for there.
    pub matcher: Matcher,
}

/// The indexed fields a leaf can search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The document's text.
    Contents,
    /// The document's own title.
    Title,
    /// The document's type, one exact term (`pdf`, `html`, `text`...).
    Type,
    /// The components of its path (`path:word`).
    PathParts,
    /// The whole path as one term (`path:[a TO m]`).
    WholePath,
    /// An e-mail's sender.
    From,
    /// An e-mail's recipients.
    To,
}

/// What a leaf looks for, in analysed form.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// One term.
    Term(String),
    /// Terms at consecutive positions, or within `slop` extra positions.
    Phrase {
        /// The analysed words, in order.
        words: Vec<String>,
        /// Extra positions allowed between them.
        slop: u32,
    },
    /// Terms matching a pattern.
    Pattern {
        /// The pattern.
        pattern: MultiTerm,
        /// For a path wildcard with a leading wildcard and a literal end, the same pattern over
        /// components spelled backwards, which the index searches from a prefix.
        reversed: Option<String>,
        /// The index terms the pattern matches, when they are few enough to list.
        expansion: Option<Vec<String>>,
    },
    /// Terms between two bounds, in the index's (byte) order.
    Range {
        /// The lower bound.
        lower: Bound<String>,
        /// The upper bound.
        upper: Bound<String>,
    },
    /// Every form of a word with this stem: the words of the leaf's field (text or title) whose
    /// stem in `language` is `stem`, found in the dictionary when searched; a token matches
    /// when its stem is `stem`.
    Stem {
        /// The word's stem.
        stem: String,
        /// The language that stemmed it, which the highlighter stems tokens in.
        language: Language,
        /// The words of the index with the stem, when they were looked up while lowering (on
        /// the text): the search looks them up instead of walking the dictionary again, and
        /// the highlighter marks them without stemming tokens.
        forms: Option<Vec<String>>,
    },
}

/// A pattern standing for several terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MultiTerm {
    /// Terms matching a regular expression (wildcards are translated to one), as a whole.
    Regex(String),
    /// Terms within an edit distance of an (analysed) word.
    Fuzzy {
        /// The word.
        word: String,
        /// The largest edit distance.
        distance: u8,
    },
}

/// Lists the index terms a pattern matches on the text, e.g. from the term dictionary.
pub trait TermExpansion {
    /// The sorted, distinct terms `pattern` matches, or `None` when there are too many to list.
    fn expand(&self, pattern: &MultiTerm) -> Result<Option<Vec<String>>, TantivyError>;

    /// The sorted, distinct terms whose stem in `language` is `stem`.
    fn forms(&self, stem: &str, language: Language) -> Result<Vec<String>, TantivyError>;
}

/// The analyzers of the index's text, path components and types, and its language.
#[derive(Clone)]
pub struct Analyzers {
    /// The analyzer of `contents` and `title`.
    pub contents: TextAnalyzer,
    /// The analyzer of `path_parts`.
    pub path: TextAnalyzer,
    /// The analyzer of `type`: the whole word, lower-cased.
    pub keyword: TextAnalyzer,
    /// The language the index stems words in.
    pub language: Language,
}

impl Analyzers {
    /// The analyzers of an index stemmed in `language`.
    pub fn new(language: Language) -> Analyzers {
        Analyzers {
            contents: text_analyzer(),
            path: path_analyzer(),
            keyword: keyword_analyzer(),
            language,
        }
    }
}

/// How much the title clause counts: when the query names no field and most of its words (more
/// than half) are in a document's title, their matches in the title are added to the score, each
/// counting this many times a match in the text. Measured on known-item queries
/// (bench/relevance/), this keeps a page titled with the query first without letting one common
/// title word outrank the page that treats the topic (see README, Ranking).
pub const TITLE_BOOST: f32 = 2.0;

/// How much a word's match in the title counts on its own, outside the title clause: nothing.
/// The leaf is still there so that a document with the word only in its title is found and its
/// title is marked.
const TITLE_MATCH_ONLY: f32 = 0.0;

/// How much more than its parts apart an identifier counts where its parts stand together as
/// typed (`exec_prefix` where the text has `exec_prefix` or `exec prefix`).
pub const IDENTIFIER_BOOST: f32 = 2.0;

/// How many extra positions may separate two consecutive query words for the proximity clause
/// ([`Lowering::proximity_clause`]) to count them as standing together: none. Measured on
/// known-item queries (bench/relevance/, BENCHMARKS.md), side by side beats within 1, 2, 3 or 8.
pub const PROXIMITY_SLOP: u32 = 0;

/// How much the proximity clause counts, as a factor of its phrases' BM25 scores (measured as
/// the slop: 0.5 beat 0.25, 0.75, 1 and 2).
pub const PROXIMITY_BOOST: f32 = 0.5;

/// How much a match of another form of a word (its stem) counts beside a match of the word as
/// typed. Measured on known-item queries (bench/relevance/, BENCHMARKS.md): a quarter beat
/// a half and equal weight on queries as written and with a typo, and on inflected ones on the
/// documents corpus (linux-docs inflected: 0.782 against 0.798 at equal weight).
pub const STEM_BOOST: f32 = 0.25;

/// Why a query could not be lowered.
#[derive(Debug, thiserror::Error)]
pub enum LowerError {
    /// The query itself is wrong.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Reading the term dictionary failed.
    #[error(transparent)]
    Index(#[from] TantivyError),
}

/// Lowers `node` with `analyzers`, expanding patterns on the text with `expansion` when given.
pub fn lower(
    node: &QueryNode,
    analyzers: &mut Analyzers,
    expansion: Option<&dyn TermExpansion>,
) -> Result<Lowered, LowerError> {
    let mut lowering = Lowering {
        analyzers,
        expansion,
        excluding: false,
    };
    let mut lowered = lowering.lower(node)?;
    for clause in [lowering.title_clause(node), lowering.proximity_clause(node)]
        .into_iter()
        .flatten()
    {
        lowered = match lowered {
            Lowered::Bool(mut clauses) => {
                clauses.push((Occur::Should, clause));
                Lowered::Bool(clauses)
            }
            lowered => Lowered::Bool(vec![(Occur::Should, lowered), (Occur::Should, clause)]),
        };
    }
    Ok(lowered)
}

struct Lowering<'a> {
    analyzers: &'a mut Analyzers,
    expansion: Option<&'a dyn TermExpansion>,
    /// Whether the clause being lowered is under an exclusion (`-x`, `NOT x`): an identifier
    /// there excludes only the whole name, never a document that has one of its parts.
    excluding: bool,
}

impl Lowering<'_> {
    /// The title clause of `node`: its words and phrases with no field that are not excluded
    /// (see [`Lowering::title_leaves`]) searched in the title, more than half of them required,
    /// counting [`TITLE_BOOST`] times; `None` without such words. A single word is simply
    /// looked for in the title.
    fn title_clause(&mut self, node: &QueryNode) -> Option<Lowered> {
        let mut leaves = Vec::new();
        self.title_leaves(node, &mut leaves);
        let query = match leaves.len() {
            0 => return None,
            1 => leaves.remove(0),
            count => Lowered::AtLeast {
                minimum: count / 2 + 1,
                clauses: leaves,
            },
        };
        Some(Lowered::Boost {
            query: Box::new(query),
            boost: TITLE_BOOST,
        })
    }

    /// The proximity clause of `node`: each pair of its consecutive words with no field (not
    /// excluded, in groups too) as a phrase on the text within [`PROXIMITY_SLOP`], counting
    /// [`PROXIMITY_BOOST`] times; `None` with fewer than two such words. It adds to the score of
    /// documents where the words stand side by side, as Lucene's edismax `pf2` does, and
    /// matches no document the words alone would not.
    fn proximity_clause(&mut self, node: &QueryNode) -> Option<Lowered> {
        let mut words = Vec::new();
        plain_words(node, &mut words);
        let words: Vec<String> = words
            .into_iter()
            .filter_map(|text| {
                let mut tokens = analyze(&mut self.analyzers.contents, text);
                (tokens.len() == 1).then(|| tokens.remove(0))
            })
            .collect();
        let pairs: Vec<(Occur, Lowered)> = words
            .windows(2)
            .filter(|pair| pair[0] != pair[1])
            .map(|pair| {
                let phrase = Matcher::Phrase {
                    words: pair.to_vec(),
                    slop: PROXIMITY_SLOP,
                };
                (
                    Occur::Should,
                    Lowered::Leaf(Leaf {
                        target: Target::Contents,
                        matcher: phrase,
                    }),
                )
            })
            .collect();
        (!pairs.is_empty()).then(|| {
            Lowered::Ranking(Box::new(Lowered::Boost {
                query: Box::new(Lowered::Bool(pairs)),
                boost: PROXIMITY_BOOST,
            }))
        })
    }

    /// Pushes on `out` a title leaf for each word and phrase with no field in `node`, in groups
    /// too (so that `(QUERY) AND path:x`, as `lantern serve` filters, ranks like `QUERY`), but
    /// not under an exclusion. A boosted word keeps its boost.
    fn title_leaves(&mut self, node: &QueryNode, out: &mut Vec<Lowered>) {
        let (text, slop) = match node {
            QueryNode::Term {
                field: FieldName::Default,
                text,
            } => (text, 0),
            QueryNode::Phrase {
                field: FieldName::Default,
                text,
                slop,
            } => (text, *slop),
            QueryNode::Bool(clauses) => {
                for clause in clauses {
                    if clause.occur != Occur::MustNot {
                        self.title_leaves(&clause.query, out);
                    }
                }
                return;
            }
            QueryNode::Boost { query, boost } => {
                let mut boosted = Vec::new();
                self.title_leaves(query, &mut boosted);
                out.extend(boosted.into_iter().map(|leaf| Lowered::Boost {
                    query: Box::new(leaf),
                    boost: *boost,
                }));
                return;
            }
            QueryNode::Term { .. }
            | QueryNode::Phrase { .. }
            | QueryNode::Wildcard { .. }
            | QueryNode::Fuzzy { .. }
            | QueryNode::Regex { .. }
            | QueryNode::Range { .. }
            | QueryNode::Span { .. }
            | QueryNode::All => return,
        };
        if let Some(matcher) = self.matcher(FieldName::Title, text, slop) {
            out.push(Lowered::Leaf(Leaf {
                target: Target::Title,
                matcher,
            }));
        }
    }

    fn lower(&mut self, node: &QueryNode) -> Result<Lowered, LowerError> {
        Ok(match node {
            QueryNode::All => Lowered::All,
            QueryNode::Bool(clauses) => Lowered::Bool(
                clauses
                    .iter()
                    .map(|clause| {
                        let outer = self.excluding;
                        self.excluding |= clause.occur == Occur::MustNot;
                        let lowered = self.lower(&clause.query);
                        self.excluding = outer;
                        Ok((clause.occur, lowered?))
                    })
                    .collect::<Result<_, LowerError>>()?,
            ),
            QueryNode::Boost { query, boost } => Lowered::Boost {
                query: Box::new(self.lower(query)?),
                boost: *boost,
            },
            QueryNode::Span { field, start, end } => Lowered::Span {
                field: *field,
                start: *start,
                end: *end,
            },
            QueryNode::Term { field, text } => self.term(*field, text)?,
            QueryNode::Phrase { field, text, slop } => {
                self.words(*field, text, *slop, Forms::Exact)?
            }
            QueryNode::Wildcard { field, pattern } => {
                let reversed = match field {
                    FieldName::Path => reversed_wildcard_regex(pattern),
                    FieldName::Default
                    | FieldName::Contents
                    | FieldName::Title
                    | FieldName::Type
                    | FieldName::From
                    | FieldName::To => None,
                };
                self.pattern(
                    *field,
                    MultiTerm::Regex(wildcard_to_regex(pattern)),
                    reversed,
                )?
            }
            QueryNode::Regex { field, pattern } => {
                self.pattern(*field, MultiTerm::Regex(pattern.clone()), None)?
            }
            QueryNode::Fuzzy {
                field,
                text,
                distance,
            } => {
                // Several words are each required, within the distance.
                let words = analyze(self.analyzer(*field), text);
                let mut leaves = words
                    .into_iter()
                    .map(|word| {
                        let pattern = MultiTerm::Fuzzy {
                            word,
                            distance: *distance,
                        };
                        Ok((Occur::Must, self.pattern(*field, pattern, None)?))
                    })
                    .collect::<Result<Vec<_>, LowerError>>()?;
                match leaves.len() {
                    0 => Lowered::Nothing,
                    1 => leaves.remove(0).1,
                    _ => Lowered::Bool(leaves),
                }
            }
            QueryNode::Range {
                field,
                lower,
                upper,
            } => {
                if matches!((lower, upper), (Bound::Unbounded, Bound::Unbounded)) {
                    return Ok(Lowered::All);
                }
                // Ranges on the path compare whole paths; elsewhere, folded terms. With no
                // field named, a range is on the text only.
                let (target, folded) = match field {
                    FieldName::Path => (Target::WholePath, false),
                    FieldName::Default | FieldName::Contents => (Target::Contents, true),
                    FieldName::Title => (Target::Title, true),
                    FieldName::Type => (Target::Type, true),
                    FieldName::From => (Target::From, true),
                    FieldName::To => (Target::To, true),
                };
                let bound = |bound: &Bound<String>| {
                    bound
                        .as_ref()
                        .map(|text| if folded { fold(text) } else { text.clone() })
                };
                Lowered::Leaf(Leaf {
                    target,
                    matcher: Matcher::Range {
                        lower: bound(lower),
                        upper: bound(upper),
                    },
                })
            }
        })
    }

    /// The analyzer and target of words on `field`.
    fn analyzer(&mut self, field: FieldName) -> &mut TextAnalyzer {
        match field {
            FieldName::Default
            | FieldName::Contents
            | FieldName::Title
            | FieldName::From
            | FieldName::To => &mut self.analyzers.contents,
            FieldName::Path => &mut self.analyzers.path,
            FieldName::Type => &mut self.analyzers.keyword,
        }
    }

    /// The matcher of a word or phrase on `field`: one token is a term, several a phrase
    /// (`foo-bar` is the phrase "foo bar", as in Lucene), none (only punctuation) `None`.
    fn matcher(&mut self, field: FieldName, text: &str, slop: u32) -> Option<Matcher> {
        let mut words = analyze(self.analyzer(field), text);
        match words.len() {
            0 => None,
            1 => Some(Matcher::Term(words.remove(0))),
            _ => Some(Matcher::Phrase { words, slop }),
        }
    }

    /// A word as typed. On the text, one that analyses to several tokens (`exec_prefix`,
    /// `PyConfig.inspect`, `built-in`) or is written in CamelCase (`PyConfig`) is an identifier:
    /// its parts as a phrase (and the CamelCase word whole) rank first, and each part alone still
    /// finds a document, as Lucene's parser ORs the parts. So a page where the parts stand apart,
    /// or a query with a typo in one part, still finds something, ranked below the whole name.
    /// Under an exclusion an identifier is the whole name only.
    fn term(&mut self, field: FieldName, text: &str) -> Result<Lowered, TantivyError> {
        let splits = match field {
            FieldName::Default | FieldName::Contents => !self.excluding,
            FieldName::Title
            | FieldName::Path
            | FieldName::Type
            | FieldName::From
            | FieldName::To => false,
        };
        if !splits {
            return self.words(field, text, 0, Forms::Every);
        }
        let Some(parts) = identifier_parts(self.analyzer(field), text) else {
            return self.words(field, text, 0, Forms::Every);
        };
        let whole = self.words(field, text, 0, Forms::Every)?;
        let mut clauses = vec![(
            Occur::Should,
            Lowered::Boost {
                query: Box::new(whole),
                boost: IDENTIFIER_BOOST,
            },
        )];
        for part in parts {
            clauses.push((Occur::Should, self.words(field, &part, 0, Forms::Every)?));
        }
        Ok(Lowered::Bool(clauses))
    }

    /// A word or phrase, matching nothing when it has no token. With no field named, it is
    /// looked for in the text and in the title; a match in the title alone scores nothing (the
    /// title clause, [`Lowering::title_clause`], decides what titles count). `forms` says
    /// whether a single word also matches its other forms.
    fn words(
        &mut self,
        field: FieldName,
        text: &str,
        slop: u32,
        forms: Forms,
    ) -> Result<Lowered, TantivyError> {
        let Some(matcher) = self.matcher(field, text, slop) else {
            return Ok(Lowered::Nothing);
        };
        Ok(match field {
            FieldName::Default => Lowered::Bool(vec![
                (
                    Occur::Should,
                    self.stemmed(Target::Contents, matcher.clone(), forms)?,
                ),
                (
                    Occur::Should,
                    Lowered::Boost {
                        query: Box::new(Lowered::Leaf(Leaf {
                            target: Target::Title,
                            matcher,
                        })),
                        boost: TITLE_MATCH_ONLY,
                    },
                ),
            ]),
            FieldName::Contents | FieldName::Title => {
                self.stemmed(words_target(field), matcher, forms)?
            }
            // Paths, types and addresses are not stemmed.
            FieldName::Path | FieldName::Type | FieldName::From | FieldName::To => {
                Lowered::Leaf(Leaf {
                    target: words_target(field),
                    matcher,
                })
            }
        })
    }

    /// The leaf of `matcher` on the text or the title, and, when it is one word whose every
    /// form is wanted and the index stems, beside it the word's stem: every form of the word
    /// matches, and the form as typed matches both, so it ranks first.
    fn stemmed(
        &self,
        target: Target,
        matcher: Matcher,
        forms: Forms,
    ) -> Result<Lowered, TantivyError> {
        let exact = Lowered::Leaf(Leaf {
            target,
            matcher: matcher.clone(),
        });
        let stem = match &matcher {
            Matcher::Term(word) if forms == Forms::Every => self.analyzers.language.stem(word),
            Matcher::Term(_)
            | Matcher::Phrase { .. }
            | Matcher::Pattern { .. }
            | Matcher::Range { .. }
            | Matcher::Stem { .. } => None,
        };
        let Some(stem) = stem else {
            return Ok(exact);
        };
        let language = self.analyzers.language;
        let forms = match (target, self.expansion) {
            (Target::Contents, Some(expansion)) => Some(expansion.forms(&stem, language)?),
            _ => None,
        };
        Ok(Lowered::Bool(vec![
            (Occur::Should, exact),
            (
                Occur::Should,
                Lowered::Boost {
                    query: Box::new(Lowered::Leaf(Leaf {
                        target,
                        matcher: Matcher::Stem {
                            stem,
                            language,
                            forms,
                        },
                    })),
                    boost: STEM_BOOST,
                },
            ),
        ]))
    }

    /// A pattern leaf, its regular expression checked and, on the text, expanded.
    fn pattern(
        &mut self,
        field: FieldName,
        pattern: MultiTerm,
        reversed: Option<String>,
    ) -> Result<Lowered, LowerError> {
        if let MultiTerm::Regex(source) = &pattern {
            check_regex(source)?;
        }
        let expansion = match (field, self.expansion) {
            (FieldName::Default | FieldName::Contents, Some(expansion)) => {
                expansion.expand(&pattern)?
            }
            (
                FieldName::Title
                | FieldName::Path
                | FieldName::Type
                | FieldName::From
                | FieldName::To,
                _,
            )
            | (_, None) => None,
        };
        Ok(Lowered::Leaf(Leaf {
            target: words_target(field),
            matcher: Matcher::Pattern {
                pattern,
                reversed,
                expansion,
            },
        }))
    }
}

/// Which forms of a word a query means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Forms {
    /// Every form with the word's stem: an unquoted word.
    Every,
    /// The word as typed (folded): quoted text, as Elasticsearch's `quote_field_suffix`.
    Exact,
}

/// Where words of a query field are searched: `path:` words among the path's components. A
/// pattern (wildcard, regex, fuzzy) with no field named searches the text only.
fn words_target(field: FieldName) -> Target {
    match field {
        FieldName::Default | FieldName::Contents => Target::Contents,
        FieldName::Title => Target::Title,
        FieldName::Path => Target::PathParts,
        FieldName::Type => Target::Type,
        FieldName::From => Target::From,
        FieldName::To => Target::To,
    }
}

/// Pushes on `out` the text of each word with no field in `node`, in order, in groups too but
/// not under an exclusion.
fn plain_words<'a>(node: &'a QueryNode, out: &mut Vec<&'a str>) {
    match node {
        QueryNode::Term {
            field: FieldName::Default,
            text,
        } => out.push(text),
        QueryNode::Bool(clauses) => {
            for clause in clauses {
                if clause.occur != Occur::MustNot {
                    plain_words(&clause.query, out);
                }
            }
        }
        QueryNode::Boost { query, .. } => plain_words(query, out),
        QueryNode::Term { .. }
        | QueryNode::Phrase { .. }
        | QueryNode::Wildcard { .. }
        | QueryNode::Fuzzy { .. }
        | QueryNode::Regex { .. }
        | QueryNode::Range { .. }
        | QueryNode::Span { .. }
        | QueryNode::All => {}
    }
}

/// The parts of `text` if it is an identifier, analysed: words joined by punctuation
/// (`exec_prefix`, `a.b`, `built-in`), or a CamelCase word (`PyConfig`). Not a run of Chinese or
/// Japanese characters, whose tokens are single characters that only mean the word together.
pub(crate) fn identifier_parts(analyzer: &mut TextAnalyzer, text: &str) -> Option<Vec<String>> {
    let parts = analyze(analyzer, text);
    if parts.len() > 1 {
        return text.chars().any(|c| !c.is_alphanumeric()).then_some(parts);
    }
    let parts = analyze(analyzer, &camel_case_parts(text)?);
    (parts.len() > 1).then_some(parts)
}

/// The parts of a CamelCase word (`PyConfig` → `Py Config`, `getHTTPResponse` → `get HTTP
/// Response`), joined by spaces, or `None` when `text` is not one: the tokenizer keeps such a
/// word whole, so the query adds its parts.
fn camel_case_parts(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if !chars.iter().all(|c| c.is_alphanumeric()) {
        return None;
    }
    let mut parts = String::with_capacity(text.len() + 4);
    let mut split = false;
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(i + 1);
        let starts_part = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if starts_part {
            parts.push(' ');
            split = true;
        }
        parts.push(c);
    }
    split.then_some(parts)
}

/// Refuses a regular expression the index's term automaton cannot run, with its reason.
fn check_regex(source: &str) -> Result<(), QueryError> {
    super::automaton::term_automaton(source)
        .map(|_| ())
        .map_err(|err| QueryError::InvalidRegex {
            pattern: source.to_string(),
            reason: regex_reason(&err.to_string()),
        })
}

/// The regex engine's complaint in one line: the parser's message spans several lines that
/// repeat the pattern with a caret; the last line says what is wrong.
fn regex_reason(message: &str) -> String {
    let message = message.trim();
    let last = message
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or(message);
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// `query` parsed (OR between clauses) and lowered with Lantern's analyzers, without an index
/// and without stemming:
/// for tests of what consumes lowered queries.
#[cfg(test)]
pub(crate) fn lowered(query: &str) -> Lowered {
    let tree = super::parse(query, super::DefaultOperator::Or).expect("the query parses");
    lower(&tree, &mut Analyzers::new(Language::None), None).expect("the query lowers")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse, DefaultOperator};

    fn leaf(target: Target, matcher: Matcher) -> Lowered {
        Lowered::Leaf(Leaf { target, matcher })
    }

    /// A word with no field: in the text, or in the title counting nothing by itself.
    fn text_or_title(matcher: Matcher) -> Lowered {
        Lowered::Bool(vec![
            (Occur::Should, leaf(Target::Contents, matcher.clone())),
            (
                Occur::Should,
                Lowered::Boost {
                    query: Box::new(leaf(Target::Title, matcher)),
                    boost: TITLE_MATCH_ONLY,
                },
            ),
        ])
    }

    /// The title clause over `query`.
    fn title_clause(query: Lowered) -> Lowered {
        Lowered::Boost {
            query: Box::new(query),
            boost: TITLE_BOOST,
        }
    }

    /// A query of one word with no field: the word, and the word in the title counting more.
    fn one_word(matcher: Matcher) -> Lowered {
        let Lowered::Bool(mut clauses) = text_or_title(matcher.clone()) else {
            unreachable!("a word is a boolean query")
        };
        clauses.push((Occur::Should, title_clause(leaf(Target::Title, matcher))));
        Lowered::Bool(clauses)
    }

    fn term(word: &str) -> Matcher {
        Matcher::Term(word.into())
    }

    #[test]
    fn words_become_terms_phrases_or_nothing() {
        assert_eq!(lowered("Mutex"), one_word(term("mutex")));
        assert_eq!(
            lowered("\"foo-bar\""),
            one_word(Matcher::Phrase {
                words: vec!["foo".into(), "bar".into()],
                slop: 0
            })
        );
        assert_eq!(lowered("\"--\""), Lowered::Nothing);
    }

    /// An identifier: the whole name counting more, each of `parts` alone.
    fn identifier(whole: Matcher, parts: &[&str]) -> Vec<(Occur, Lowered)> {
        let mut clauses = vec![(
            Occur::Should,
            Lowered::Boost {
                query: Box::new(text_or_title(whole)),
                boost: IDENTIFIER_BOOST,
            },
        )];
        clauses.extend(
            parts
                .iter()
                .map(|part| (Occur::Should, text_or_title(term(part)))),
        );
        clauses
    }

    #[test]
    fn identifiers_are_the_whole_name_or_each_part() {
        let phrase = Matcher::Phrase {
            words: vec!["exec".into(), "prefix".into()],
            slop: 0,
        };
        let mut expected = identifier(phrase.clone(), &["exec", "prefix"]);
        expected.push((Occur::Should, title_clause(leaf(Target::Title, phrase))));
        assert_eq!(lowered("exec_prefix"), Lowered::Bool(expected));

        let mut expected = identifier(term("pyconfig"), &["py", "config"]);
        expected.push((
            Occur::Should,
            title_clause(leaf(Target::Title, term("pyconfig"))),
        ));
        assert_eq!(lowered("PyConfig"), Lowered::Bool(expected));

        // Chinese and Japanese characters mean the word only together: a phrase.
        assert_eq!(
            lowered("東京"),
            one_word(Matcher::Phrase {
                words: vec!["東".into(), "京".into()],
                slop: 0
            })
        );

        // Excluded, or under a field other than the text, the name stays whole.
        let Lowered::Bool(clauses) = lowered("a -foo-bar") else {
            panic!("a boolean query")
        };
        assert_eq!(
            clauses[1],
            (
                Occur::MustNot,
                text_or_title(Matcher::Phrase {
                    words: vec!["foo".into(), "bar".into()],
                    slop: 0
                })
            )
        );
        assert_eq!(
            lowered("title:foo-bar"),
            leaf(
                Target::Title,
                Matcher::Phrase {
                    words: vec!["foo".into(), "bar".into()],
                    slop: 0
                }
            )
        );
    }

    #[test]
    fn camel_case_parts_split_where_a_word_starts() {
        assert_eq!(camel_case_parts("PyConfig").as_deref(), Some("Py Config"));
        assert_eq!(
            camel_case_parts("getHTTPResponse").as_deref(),
            Some("get HTTP Response")
        );
        for word in ["HTTP", "mutex", "Mutex", "x86_64", "Py3"] {
            assert_eq!(camel_case_parts(word), None, "{word}");
        }
    }

    /// The proximity clause over consecutive pairs of `words`.
    fn proximity(words: &[&str]) -> Lowered {
        Lowered::Ranking(Box::new(Lowered::Boost {
            query: Box::new(Lowered::Bool(
                words
                    .windows(2)
                    .map(|pair| {
                        (
                            Occur::Should,
                            leaf(
                                Target::Contents,
                                Matcher::Phrase {
                                    words: vec![pair[0].into(), pair[1].into()],
                                    slop: PROXIMITY_SLOP,
                                },
                            ),
                        )
                    })
                    .collect(),
            )),
            boost: PROXIMITY_BOOST,
        }))
    }

    #[test]
    fn consecutive_plain_words_add_a_proximity_clause() {
        let Lowered::Bool(clauses) = lowered("page layout -draft") else {
            panic!("a boolean query")
        };
        assert_eq!(
            clauses.last(),
            Some(&(Occur::Should, proximity(&["page", "layout"])))
        );
        // One word, or words only under fields, phrases and exclusions: none.
        for query in [
            "page",
            "title:page title:layout",
            "\"page layout\"",
            "page -layout",
        ] {
            let has_proximity = match lowered(query) {
                Lowered::Bool(clauses) => clauses
                    .iter()
                    .any(|(_, clause)| matches!(clause, Lowered::Ranking(_))),
                _ => false,
            };
            assert!(!has_proximity, "{query}");
        }
    }

    #[test]
    fn the_ranking_clauses_split_off_as_one_boosted_query_per_phrase() {
        let query = lowered("page layout grid");
        let (matching, ranking) = query.split_ranking();
        let Lowered::Bool(clauses) = &query else {
            panic!("a boolean query")
        };
        assert_eq!(
            matching,
            Lowered::Bool(clauses[..clauses.len() - 1].to_vec())
        );
        let phrase = |a: &str, b: &str| Lowered::Boost {
            query: Box::new(leaf(
                Target::Contents,
                Matcher::Phrase {
                    words: vec![a.into(), b.into()],
                    slop: PROXIMITY_SLOP,
                },
            )),
            boost: PROXIMITY_BOOST,
        };
        assert_eq!(
            ranking,
            [phrase("page", "layout"), phrase("layout", "grid")]
        );
        // Without ranking clauses, the query itself and nothing to add.
        assert_eq!(
            lowered("page").split_ranking(),
            (lowered("page"), Vec::new())
        );
    }

    #[test]
    fn optional_clauses_of_optional_clauses_are_summands_with_their_boosts() {
        let word = |word: &str| leaf(Target::Contents, Matcher::Term(word.into()));
        let nested = Lowered::Bool(vec![
            (Occur::Should, word("a")),
            (
                Occur::Should,
                Lowered::Boost {
                    query: Box::new(Lowered::Bool(vec![
                        (Occur::Should, word("b")),
                        (Occur::Should, word("c")),
                    ])),
                    boost: 2.0,
                },
            ),
        ]);
        let boosted = |query: Lowered| Lowered::Boost {
            query: Box::new(query),
            boost: 2.0,
        };
        assert_eq!(
            nested.summands(),
            [word("a"), boosted(word("b")), boosted(word("c"))]
        );
        // A required clause keeps its union: it is one summand.
        let required = Lowered::Bool(vec![(Occur::Must, word("a")), (Occur::Should, word("b"))]);
        assert_eq!(required.summands(), std::slice::from_ref(&required));
    }

    #[test]
    fn the_title_counts_when_more_than_half_of_the_words_are_in_it() {
        // Four words, in groups and boosted too: three of them in the title. The excluded word
        // and the word under a field take no part in the title clause.
        assert_eq!(
            lowered("a b^3 -d path:e (f -g)"),
            Lowered::Bool(vec![
                (Occur::Should, text_or_title(term("a"))),
                (
                    Occur::Should,
                    Lowered::Boost {
                        query: Box::new(text_or_title(term("b"))),
                        boost: 3.0
                    }
                ),
                (Occur::MustNot, text_or_title(term("d"))),
                (Occur::Should, leaf(Target::PathParts, term("e"))),
                (
                    Occur::Should,
                    Lowered::Bool(vec![
                        (Occur::Should, text_or_title(term("f"))),
                        (Occur::MustNot, text_or_title(term("g"))),
                    ])
                ),
                (
                    Occur::Should,
                    title_clause(Lowered::AtLeast {
                        minimum: 2,
                        clauses: vec![
                            leaf(Target::Title, term("a")),
                            Lowered::Boost {
                                query: Box::new(leaf(Target::Title, term("b"))),
                                boost: 3.0
                            },
                            leaf(Target::Title, term("f")),
                        ],
                    })
                ),
                (Occur::Should, proximity(&["a", "b", "f"])),
            ])
        );
        // Two words: both; four: three. The title clause comes before the proximity clause.
        for (query, required) in [("a b", 2), ("(a b) AND (c d)", 3)] {
            let Lowered::Bool(clauses) = lowered(query) else {
                panic!("a boolean query")
            };
            let Some((_, Lowered::Boost { query: clause, .. })) = clauses.iter().rev().nth(1)
            else {
                panic!("a title clause before the proximity clause")
            };
            assert!(
                matches!(**clause, Lowered::AtLeast { minimum, .. } if minimum == required),
                "{query}: {clause:?}"
            );
        }
        // Only fields, patterns or exclusions: no title clause.
        assert_eq!(
            lowered("title:a -b c*"),
            Lowered::Bool(vec![
                (Occur::Should, leaf(Target::Title, term("a"))),
                (Occur::MustNot, text_or_title(term("b"))),
                (
                    Occur::Should,
                    leaf(
                        Target::Contents,
                        Matcher::Pattern {
                            pattern: MultiTerm::Regex("c.*".into()),
                            reversed: None,
                            expansion: None
                        }
                    )
                ),
            ])
        );
    }

    #[test]
    fn named_fields_search_only_themselves() {
        assert_eq!(
            lowered("contents:Mutex"),
            leaf(Target::Contents, Matcher::Term("mutex".into()))
        );
        assert_eq!(
            lowered("title:\"Lantern Guide\""),
            leaf(
                Target::Title,
                Matcher::Phrase {
                    words: vec!["lantern".into(), "guide".into()],
                    slop: 0
                }
            )
        );
        assert_eq!(
            lowered("type:PDF"),
            leaf(Target::Type, Matcher::Term("pdf".into()))
        );
    }

    #[test]
    fn fuzzy_words_are_each_required_and_ranges_on_text_lower_cased() {
        let fuzzy = |word: &str| {
            (
                Occur::Must,
                leaf(
                    Target::Contents,
                    Matcher::Pattern {
                        pattern: MultiTerm::Fuzzy {
                            word: word.into(),
                            distance: 1,
                        },
                        reversed: None,
                        expansion: None,
                    },
                ),
            )
        };
        assert_eq!(
            lowered("foo-bar~1"),
            Lowered::Bool(vec![fuzzy("foo"), fuzzy("bar")])
        );
        assert_eq!(
            lowered("[Roal TO Roan]"),
            leaf(
                Target::Contents,
                Matcher::Range {
                    lower: Bound::Included("roal".into()),
                    upper: Bound::Included("roan".into())
                }
            )
        );
    }

    #[test]
    fn path_wildcards_with_a_literal_end_are_reversed() {
        let Lowered::Leaf(Leaf {
            target: Target::PathParts,
            matcher: Matcher::Pattern { reversed, .. },
        }) = lowered("path:*.rs")
        else {
            panic!("a path pattern")
        };
        assert_eq!(reversed.as_deref(), Some(r"sr\..*"));
    }

    #[test]
    fn invalid_regexes_are_refused_with_a_one_line_reason() {
        let tree = parse("/[a/", DefaultOperator::Or).unwrap();
        let err = lower(&tree, &mut Analyzers::new(Language::None), None).unwrap_err();
        assert!(!err.to_string().contains('\n'), "{err}");
        assert!(err.to_string().contains("unclosed"), "{err}");
    }

    #[test]
    fn an_unquoted_word_is_also_its_stem_and_a_quoted_one_is_not() {
        let stemmed = |query: &str| {
            let tree = parse(query, DefaultOperator::Or).unwrap();
            lower(&tree, &mut Analyzers::new(Language::default()), None).unwrap()
        };
        let contents = |matcher: Matcher| {
            Lowered::Leaf(Leaf {
                target: Target::Contents,
                matcher,
            })
        };
        assert_eq!(
            stemmed("contents:threads"),
            Lowered::Bool(vec![
                (Occur::Should, contents(Matcher::Term("threads".into()))),
                (
                    Occur::Should,
                    Lowered::Boost {
                        query: Box::new(contents(Matcher::Stem {
                            stem: "thread".into(),
                            language: Language::default(),
                            forms: None,
                        })),
                        boost: STEM_BOOST,
                    }
                ),
            ])
        );
        assert_eq!(
            stemmed("contents:\"threads\""),
            contents(Matcher::Term("threads".into()))
        );
    }
}
