//! A hand-written parser for Lucene's *classic* query syntax, producing the [`QueryNode`] tree.
//!
//! It has two stages: a small lexer that turns the input into tokens carrying their position in
//! characters, and a recursive-descent parser that follows the grammar of Lucene's classic
//! `QueryParser.jj` (flat clause lists per group, combined with Lucene's `addClause` rules rather
//! than operator precedence).
//!
//! Deliberate differences from Lucene, all of them turning silently odd input into a clear error:
//! `+`, `-` or `!` followed by a space is an error (Lucene turns it into a term of its own), `~`
//! after a wildcard, regular expression, range or group is an error (Lucene ignores it), fuzzy
//! distances above 2 are errors (Lucene caps them), and `\uXXXX` escapes are not decoded (a
//! backslash escapes exactly one character, so Windows-like paths such as `C\:\users` stay intact).

use super::ast::{Clause, FieldName, NumericField, Occur, QueryNode};
pub use error::{caret_line, QuerySyntaxError};
use lexer::{lex, Tok, Token, Word};
use span::{now, span_clause};
use suffix::{fuzzy_distance, phrase_slop};

mod error;
mod lexer;
mod span;
mod suffix;

/// Which operator joins clauses that have none between them (Lucene's default operator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DefaultOperator {
    /// `a b` means `a OR b` (Lucene's default).
    #[default]
    Or,
    /// `a b` means `a AND b`.
    And,
}

/// Parses `input` in Lucene's classic query syntax.
pub fn parse(
    input: &str,
    default_operator: DefaultOperator,
) -> Result<QueryNode, QuerySyntaxError> {
    parse_with_words(input, default_operator).map(|(node, _)| node)
}

/// A plain word of a query (a [`QueryNode::Term`]: no quotes, wildcard, `~` or regex) and where
/// it was typed: what spelling correction may replace without changing the query's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// 0-based position in characters of the word's first character in the query.
    pub position: usize,
    /// The word as typed, escapes included: how many characters it covers.
    pub raw: String,
    /// The word with its escapes resolved, as the term node holds it.
    pub text: String,
    /// The field it searches.
    pub field: FieldName,
    /// Whether it is under an exclusion (`-word`, `NOT word`, `-(a word)`).
    pub excluded: bool,
}

/// Parses `input` like [`parse`], also listing its plain words in the order typed.
pub fn parse_with_words(
    input: &str,
    default_operator: DefaultOperator,
) -> Result<(QueryNode, Vec<QueryWord>), QuerySyntaxError> {
    let chars: Vec<char> = input.chars().collect();
    let mut parser = Parser {
        tokens: lex(&chars),
        idx: 0,
        default_operator,
        words: Vec::new(),
        now: now(),
    };
    if matches!(parser.peek()?.tok, Tok::Eof) {
        return Err(QuerySyntaxError::new("empty query", 0));
    }
    let node = parser.query(None, 0)?;
    let end = parser.peek()?;
    match end.tok {
        Tok::Eof => Ok((node, parser.words)),
        // `query` only stops at the end or at a ')', which at the top level has no '(' to close.
        _ => Err(QuerySyntaxError::new("unexpected ')'", end.pos)),
    }
}

/// The deepest nesting of parentheses accepted, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 100;

struct Parser {
    tokens: Vec<Token>,
    idx: usize,
    default_operator: DefaultOperator,
    /// The plain words read so far.
    words: Vec<QueryWord>,
    /// What `now` in a date means, in nanoseconds since the Unix epoch.
    now: u64,
}

/// The conjunction written before a clause.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Conj {
    None,
    And,
    Or,
}

/// The modifier written before a clause.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Modifier {
    None,
    Required,
    Prohibited,
}

impl Parser {
    /// The current token; a lexing error surfaces here, once the parser has reached it.
    fn peek(&self) -> Result<&Token, QuerySyntaxError> {
        let token = &self.tokens[self.idx];
        match &token.tok {
            Tok::Error(error) => Err(error.clone()),
            _ => Ok(token),
        }
    }

    /// Takes the current token (never moves past the final `Eof`/`Error`).
    fn bump(&mut self) -> Token {
        let token = self.tokens[self.idx].clone();
        if self.idx + 1 < self.tokens.len() {
            self.idx += 1;
        }
        token
    }

    /// A list of clauses up to the end of input or a `)`, combined with Lucene's `addClause`.
    fn query(
        &mut self,
        field: Option<FieldName>,
        depth: usize,
    ) -> Result<QueryNode, QuerySyntaxError> {
        let mut clauses: Vec<Clause> = Vec::new();
        let mut explicit = false;
        loop {
            let token = self.peek()?;
            if !clauses.is_empty() && matches!(token.tok, Tok::Eof | Tok::RParen) {
                break;
            }
            let mut before = Vec::new();
            let conj = match token.tok {
                Tok::And | Tok::Or if clauses.is_empty() => {
                    return Err(QuerySyntaxError::new(
                        format!("'{}' needs a clause on both sides", token.raw),
                        token.pos,
                    ))
                }
                Tok::And | Tok::Or => {
                    let conj = if token.tok == Tok::And {
                        Conj::And
                    } else {
                        Conj::Or
                    };
                    before.push(self.bump());
                    conj
                }
                _ => Conj::None,
            };
            let modifier = match self.peek()?.tok {
                Tok::Plus => Modifier::Required,
                Tok::Minus | Tok::Not => Modifier::Prohibited,
                _ => Modifier::None,
            };
            if modifier != Modifier::None {
                before.push(self.bump());
            }
            let first_word = self.words.len();
            explicit |= conj != Conj::None || modifier != Modifier::None;
            let query = self.clause(field, depth, &before)?;
            if modifier == Modifier::Prohibited {
                for word in &mut self.words[first_word..] {
                    word.excluded = true;
                }
            }
            self.add_clause(&mut clauses, conj, modifier, query);
        }
        if !explicit && self.default_operator == DefaultOperator::Or {
            clauses = filters_required(clauses);
        }
        if clauses.len() == 1 && clauses[0].occur != Occur::MustNot {
            return Ok(clauses.pop().expect("one clause").query);
        }
        Ok(QueryNode::Bool(clauses))
    }

    /// Lucene's `QueryParserBase.addClause`, on our `Occur`.
    fn add_clause(
        &self,
        clauses: &mut Vec<Clause>,
        conj: Conj,
        modifier: Modifier,
        query: QueryNode,
    ) {
        if let Some(last) = clauses.last_mut() {
            if conj == Conj::And && last.occur != Occur::MustNot {
                last.occur = Occur::Must;
            }
            if self.default_operator == DefaultOperator::And
                && conj == Conj::Or
                && last.occur != Occur::MustNot
            {
                last.occur = Occur::Should;
            }
        }
        let prohibited = modifier == Modifier::Prohibited;
        let required = match self.default_operator {
            DefaultOperator::Or => {
                modifier == Modifier::Required || (conj == Conj::And && !prohibited)
            }
            DefaultOperator::And => !prohibited && conj != Conj::Or,
        };
        let occur = if required {
            Occur::Must
        } else if prohibited {
            Occur::MustNot
        } else {
            Occur::Should
        };
        clauses.push(Clause { occur, query });
    }

    /// One clause: an optional `field:` prefix, then a term-like query or a parenthesised group.
    /// `before` holds the conjunction and modifier written before it, for error messages.
    fn clause(
        &mut self,
        field: Option<FieldName>,
        depth: usize,
        before: &[Token],
    ) -> Result<QueryNode, QuerySyntaxError> {
        let token = self.peek()?.clone();
        let Tok::Word(word) = &token.tok else {
            return self.clause_body(field, depth, before);
        };
        if self.tokens.get(self.idx + 1).map(|t| &t.tok) != Some(&Tok::Colon) {
            return self.clause_body(field, depth, before);
        }
        self.bump();
        let colon = self.bump();
        if word.star {
            let next = self.peek()?;
            return match &next.tok {
                Tok::Word(Word { star: true, .. }) => {
                    self.bump();
                    self.with_suffixes(QueryNode::All)
                }
                _ => Err(QuerySyntaxError::new(
                    "only '*' can follow '*:' (write '*:*' to match every document)",
                    next.pos,
                )),
            };
        }
        let field = match (word.pattern.is_none(), word.text.as_str()) {
            (true, "contents") => FieldName::Contents,
            (true, "title") => FieldName::Title,
            (true, "path") => FieldName::Path,
            (true, "type") => FieldName::Type,
            (true, "from") => FieldName::From,
            (true, "to") => FieldName::To,
            // A message's title is its subject.
            (true, "subject") => FieldName::Title,
            (true, "modified") => return self.span(NumericField::Modified),
            (true, "date") => return self.span(NumericField::Date),
            (true, "size") => return self.span(NumericField::Size),
            _ => {
                return Err(QuerySyntaxError::new(
                    format!(
                        "unknown field '{}': known fields are 'contents', 'title' (or \
                         'subject'), 'path', 'type', 'from', 'to', 'modified', 'date' and 'size'",
                        token.raw
                    ),
                    token.pos,
                ))
            }
        };
        let next = self.peek()?;
        if !matches!(
            next.tok,
            Tok::Word(_) | Tok::Phrase(_) | Tok::Regex(_) | Tok::Range { .. } | Tok::LParen
        ) {
            return Err(QuerySyntaxError::new(
                format!(
                    "expected a word, phrase, range or group after '{}{}'",
                    token.raw, colon.raw
                ),
                next.pos,
            ));
        }
        self.clause_body(Some(field), depth, before)
    }

    /// The value of a `modified:` or `size:` clause, with its `^` suffix.
    fn span(&mut self, field: NumericField) -> Result<QueryNode, QuerySyntaxError> {
        let node = span_clause(field, self.peek()?, self.now)?;
        self.bump();
        self.with_suffixes(node)
    }

    /// A parenthesised group or a term-like query, with its `~` and `^` suffixes.
    fn clause_body(
        &mut self,
        field: Option<FieldName>,
        depth: usize,
        before: &[Token],
    ) -> Result<QueryNode, QuerySyntaxError> {
        let token = self.peek()?.clone();
        let default_field = field.unwrap_or(FieldName::Default);
        let node = match token.tok {
            Tok::LParen => return self.group(field, depth, &token),
            Tok::Word(Word { star: true, .. }) if field.is_none() => QueryNode::All,
            Tok::Word(Word {
                pattern: Some(pattern),
                ..
            }) => QueryNode::Wildcard {
                field: default_field,
                pattern,
            },
            Tok::Word(Word { text, .. }) => {
                self.bump();
                let (boost, tilde) = self.suffixes()?;
                let node = match tilde {
                    Some((slop, pos)) => {
                        let distance = fuzzy_distance(&slop, &text, pos)?;
                        QueryNode::Fuzzy {
                            field: default_field,
                            text,
                            distance,
                        }
                    }
                    None => {
                        self.words.push(QueryWord {
                            position: token.pos,
                            raw: token.raw.clone(),
                            text: text.clone(),
                            field: default_field,
                            excluded: false,
                        });
                        QueryNode::Term {
                            field: default_field,
                            text,
                        }
                    }
                };
                return Ok(boosted(node, boost));
            }
            Tok::Phrase(text) => {
                self.bump();
                let (boost, tilde) = self.suffixes()?;
                let slop = match tilde {
                    Some((slop, pos)) => phrase_slop(&slop, pos)?,
                    None => 0,
                };
                return Ok(boosted(
                    QueryNode::Phrase {
                        field: default_field,
                        text,
                        slop,
                    },
                    boost,
                ));
            }
            Tok::Regex(pattern) => QueryNode::Regex {
                field: default_field,
                pattern,
            },
            Tok::Range { lower, upper } => QueryNode::Range {
                field: default_field,
                lower,
                upper,
            },
            _ => return Err(missing_clause(&token, before)),
        };
        self.bump();
        self.with_suffixes(node)
    }

    /// `( query )`, applying `field` to everything inside.
    fn group(
        &mut self,
        field: Option<FieldName>,
        depth: usize,
        open: &Token,
    ) -> Result<QueryNode, QuerySyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(QuerySyntaxError::new(
                format!("too many nested parentheses (at most {MAX_DEPTH})"),
                open.pos,
            ));
        }
        self.bump();
        let unclosed = || QuerySyntaxError::new("unclosed '(': add a matching ')'", open.pos);
        match self.peek()?.tok {
            Tok::RParen => {
                return Err(QuerySyntaxError::new(
                    "empty group: put a query between '(' and ')'",
                    open.pos,
                ))
            }
            Tok::Eof => return Err(unclosed()),
            _ => {}
        }
        let node = self.query(field, depth + 1)?;
        if self.peek()?.tok != Tok::RParen {
            return Err(unclosed());
        }
        self.bump();
        self.with_suffixes(node)
    }

    /// Reads the optional `^boost` and `~slop` after a clause, in either order, once each.
    #[allow(clippy::type_complexity)]
    fn suffixes(&mut self) -> Result<(Option<f32>, Option<(String, usize)>), QuerySyntaxError> {
        let (mut boost, mut tilde) = (None, None);
        loop {
            let token = self.peek()?;
            match &token.tok {
                Tok::Caret(_) if boost.is_some() => {
                    return Err(QuerySyntaxError::new(
                        "a clause can have only one '^' boost",
                        token.pos,
                    ))
                }
                Tok::Tilde(_) if tilde.is_some() => {
                    return Err(QuerySyntaxError::new(
                        "a clause can have only one '~'",
                        token.pos,
                    ))
                }
                Tok::Caret(value) => boost = Some(*value),
                Tok::Tilde(slop) => tilde = Some((slop.clone(), token.pos)),
                _ => return Ok((boost, tilde)),
            }
            self.bump();
        }
    }

    /// Applies the suffixes to a clause that takes a boost but no `~`.
    fn with_suffixes(&mut self, node: QueryNode) -> Result<QueryNode, QuerySyntaxError> {
        let (boost, tilde) = self.suffixes()?;
        if let Some((_, pos)) = tilde {
            return Err(QuerySyntaxError::new(
                "'~' can only follow a word or a phrase",
                pos,
            ));
        }
        Ok(boosted(node, boost))
    }
}

/// The fields whose clauses filter when written beside other clauses with no operator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FilterField {
    Named(FieldName),
    Numeric(NumericField),
}

/// The filter field `node` searches, if it is a clause (or a group of clauses) on `type:`,
/// `path:`, `modified:` or `size:`.
fn filter_field(node: &QueryNode) -> Option<FilterField> {
    let named = |field: &FieldName| {
        matches!(field, FieldName::Type | FieldName::Path).then_some(FilterField::Named(*field))
    };
    match node {
        QueryNode::Term { field, .. }
        | QueryNode::Phrase { field, .. }
        | QueryNode::Wildcard { field, .. }
        | QueryNode::Fuzzy { field, .. }
        | QueryNode::Regex { field, .. }
        | QueryNode::Range { field, .. } => named(field),
        QueryNode::Span { field, .. } => Some(FilterField::Numeric(*field)),
        QueryNode::Boost { query, .. } => filter_field(query),
        QueryNode::Bool(clauses) => {
            let mut fields = clauses.iter().map(|clause| filter_field(&clause.query));
            let first = fields.next().flatten()?;
            fields.all(|field| field == Some(first)).then_some(first)
        }
        QueryNode::All => None,
    }
}

/// Clauses joined by no operator (Lucene's default `OR`), with those on `type:`, `path:`,
/// `modified:` and `size:` made filters, as people who write `type:pdf font encoding` mean: the
/// other clauses stay alternatives of which one must match, as before; the clauses on one such
/// field become one required clause matching any of them (`type:pdf type:html` is either
/// type). Without filters, or without other clauses, the clauses are returned as they were.
fn filters_required(clauses: Vec<Clause>) -> Vec<Clause> {
    let mut rest: Vec<Clause> = Vec::new();
    let mut filters: Vec<(FilterField, Vec<Clause>)> = Vec::new();
    for clause in clauses {
        match filter_field(&clause.query) {
            None => rest.push(clause),
            Some(field) => match filters.iter_mut().find(|(seen, _)| *seen == field) {
                Some((_, alternatives)) => alternatives.push(clause),
                None => filters.push((field, vec![clause])),
            },
        }
    }
    let required = |mut alternatives: Vec<Clause>| Clause {
        occur: Occur::Must,
        query: match alternatives.len() {
            1 => alternatives.remove(0).query,
            _ => QueryNode::Bool(alternatives),
        },
    };
    if filters.is_empty() {
        return rest;
    }
    let rest = (!rest.is_empty()).then(|| required(rest));
    rest.into_iter()
        .chain(
            filters
                .into_iter()
                .map(|(_, alternatives)| required(alternatives)),
        )
        .collect()
}

fn boosted(node: QueryNode, boost: Option<f32>) -> QueryNode {
    match boost {
        Some(boost) => QueryNode::Boost {
            query: Box::new(node),
            boost,
        },
        None => node,
    }
}

/// The error for a place where a clause was expected but `token` was found.
fn missing_clause(token: &Token, before: &[Token]) -> QuerySyntaxError {
    let conj = before.iter().find(|t| matches!(t.tok, Tok::And | Tok::Or));
    let modifier = before
        .iter()
        .find(|t| matches!(t.tok, Tok::Plus | Tok::Minus | Tok::Not));
    let (message, pos) = match (&token.tok, modifier, conj) {
        (Tok::And | Tok::Or, _, _) => (
            format!("'{}' needs a clause on both sides", token.raw),
            token.pos,
        ),
        (_, Some(m), _) => (format!("expected a clause after '{}'", m.raw), m.pos),
        (_, None, Some(c)) => (format!("'{}' needs a clause on both sides", c.raw), c.pos),
        (Tok::RParen, ..) => ("unexpected ')'".to_string(), token.pos),
        (Tok::Colon, ..) => ("expected a field name before ':'".to_string(), token.pos),
        (Tok::Caret(_), ..) => (
            "'^' must follow a clause, e.g. 'word^2'".to_string(),
            token.pos,
        ),
        (Tok::Tilde(_), ..) => (
            "'~' must follow a word or a phrase, e.g. 'word~1'".to_string(),
            token.pos,
        ),
        (Tok::Eof, ..) => ("empty query".to_string(), token.pos),
        _ => (format!("unexpected '{}'", token.raw), token.pos),
    };
    QuerySyntaxError::new(message, pos)
}

#[cfg(test)]
mod tests;
