//! Turning the query tree into a tantivy query, analysing words like the index did.

use std::ops::Bound;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur as TantivyOccur,
    PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;

use super::ast::{FieldName, Occur, QueryNode};
use super::{analyze, effective_slop, reversed_wildcard_regex, wildcard_to_regex, QueryError};
use crate::index::LanternSchema;
use crate::search::deadline::{Deadline, DeadlineQuery};
use crate::search::expand::{MultiTerm, TermExpander};

/// Compiles query trees for one index.
pub struct QueryCompiler<'a> {
    fields: LanternSchema,
    contents: TextAnalyzer,
    path: TextAnalyzer,
    expander: Option<&'a TermExpander<'a>>,
    deadline: Option<Arc<Deadline>>,
}

impl<'a> QueryCompiler<'a> {
    /// A compiler for an index with these fields, analysing words with the analyzers the index uses
    /// for `contents` and `path_parts`.
    pub fn new(
        fields: LanternSchema,
        contents: TextAnalyzer,
        path: TextAnalyzer,
    ) -> QueryCompiler<'a> {
        QueryCompiler {
            fields,
            contents,
            path,
            expander: None,
            deadline: None,
        }
    }

    /// Stops every phrase at `deadline`: a phrase steps through documents on its own, and a
    /// sloppy one of common words can spend seconds between two matches.
    pub fn with_deadline(mut self, deadline: Arc<Deadline>) -> QueryCompiler<'a> {
        self.deadline = Some(deadline);
        self
    }

    /// Compiles wildcard, regex and fuzzy terms on the expander's field to the set of terms they
    /// expand to (when few enough), so the term dictionary is walked once per search and the
    /// highlighter reuses the answer. Scores are unchanged: both forms score a constant.
    pub fn with_expander(mut self, expander: &'a TermExpander<'a>) -> QueryCompiler<'a> {
        self.expander = Some(expander);
        self
    }

    /// The tantivy query for `node`.
    pub fn compile(&mut self, node: &QueryNode) -> Result<Box<dyn Query>, QueryError> {
        Ok(match node {
            QueryNode::All => Box::new(AllQuery),
            QueryNode::Bool(clauses) => {
                let mut subqueries = Vec::with_capacity(clauses.len() + 1);
                for clause in clauses {
                    let occur = match clause.occur {
                        Occur::Should => TantivyOccur::Should,
                        Occur::Must => TantivyOccur::Must,
                        Occur::MustNot => TantivyOccur::MustNot,
                    };
                    subqueries.push((occur, self.compile(&clause.query)?));
                }
                // A query made only of exclusions (`-draft`, `NOT draft`) means "everything
                // except": tantivy, like Lucene, would match nothing.
                if clauses.iter().all(|clause| clause.occur == Occur::MustNot) {
                    subqueries.push((TantivyOccur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(subqueries))
            }
            QueryNode::Boost { query, boost } => {
                Box::new(BoostQuery::new(self.compile(query)?, *boost))
            }
            QueryNode::Term { field, text } => self.words(*field, text, 0),
            QueryNode::Phrase { field, text, slop } => self.words(*field, text, *slop),
            QueryNode::Wildcard { field, pattern } => {
                let reversed = match field {
                    FieldName::Path => reversed_wildcard_regex(pattern),
                    FieldName::Contents => None,
                };
                match reversed {
                    Some(reversed) => regex_query(self.fields.path_parts_reversed, &reversed)?,
                    None => self.regex(*field, wildcard_to_regex(pattern))?,
                }
            }
            QueryNode::Regex { field, pattern } => self.regex(*field, pattern.clone())?,
            QueryNode::Fuzzy {
                field,
                text,
                distance,
            } => {
                let (target, analyzer) = self.target(*field);
                let words = analyze(analyzer, text);
                let terms: Vec<Box<dyn Query>> = words
                    .into_iter()
                    .map(|word| -> Box<dyn Query> {
                        let key = MultiTerm::Fuzzy {
                            word: word.clone(),
                            distance: *distance,
                        };
                        self.expanded(*field, key).unwrap_or_else(|| {
                            let term = Term::from_field_text(target, &word);
                            Box::new(FuzzyTermQuery::new(term, *distance, true))
                        })
                    })
                    .collect();
                all_of(terms)
            }
            QueryNode::Range {
                field,
                lower,
                upper,
            } => self.range(*field, lower, upper),
        })
    }

    /// The indexed field and its analyzer for a query field. `path:` words search the path's
    /// components; only ranges use the whole path.
    fn target(&mut self, field: FieldName) -> (Field, &mut TextAnalyzer) {
        match field {
            FieldName::Contents => (self.fields.contents, &mut self.contents),
            FieldName::Path => (self.fields.path_parts, &mut self.path),
        }
    }

    /// The query for the terms `pattern` expands to on `field`, if the expander covers the field
    /// and the terms are few. A failed expansion falls back to the automaton query, which reports
    /// the index's problem when it runs.
    fn expanded(&self, field: FieldName, pattern: MultiTerm) -> Option<Box<dyn Query>> {
        let (target, expander) = match (field, self.expander) {
            (FieldName::Contents, Some(expander)) if expander.field() == self.fields.contents => {
                (self.fields.contents, expander)
            }
            _ => return None,
        };
        let terms = expander.expand(&pattern).ok().flatten()?;
        Some(Box::new(TermSetQuery::new(
            terms.iter().map(|term| Term::from_field_text(target, term)),
        )))
    }

    /// The terms matching the regular expression `source`: the set they expand to when the
    /// expander has it, else the automaton query.
    fn regex(&mut self, field: FieldName, source: String) -> Result<Box<dyn Query>, QueryError> {
        match self.expanded(field, MultiTerm::Regex(source.clone())) {
            Some(terms) => Ok(terms),
            None => regex_query(self.target(field).0, &source),
        }
    }

    /// A word or phrase: one token is a term, several a phrase (`foo-bar` is the phrase "foo bar",
    /// as in Lucene), none (only punctuation) matches nothing.
    fn words(&mut self, field: FieldName, text: &str, slop: u32) -> Box<dyn Query> {
        let (target, analyzer) = self.target(field);
        let mut terms: Vec<Term> = analyze(analyzer, text)
            .iter()
            .map(|word| Term::from_field_text(target, word))
            .collect();
        match terms.len() {
            0 => Box::new(EmptyQuery),
            1 => Box::new(TermQuery::new(
                terms.remove(0),
                IndexRecordOption::WithFreqs,
            )),
            _ => {
                let slop = effective_slop(terms.len(), slop);
                let mut phrase = PhraseQuery::new(terms);
                phrase.set_slop(slop);
                match &self.deadline {
                    Some(deadline) => {
                        Box::new(DeadlineQuery::new(Box::new(phrase), Arc::clone(deadline)))
                    }
                    None => Box::new(phrase),
                }
            }
        }
    }

    /// Ranges on `path` compare whole paths; on `contents`, lower-cased terms.
    fn range(
        &mut self,
        field: FieldName,
        lower: &Bound<String>,
        upper: &Bound<String>,
    ) -> Box<dyn Query> {
        let (target, lowercase) = match field {
            FieldName::Path => (self.fields.path, false),
            FieldName::Contents => (self.fields.contents, true),
        };
        let term = |bound: &Bound<String>| {
            bound.as_ref().map(|text| {
                let text = if lowercase {
                    text.to_lowercase()
                } else {
                    text.clone()
                };
                Term::from_field_text(target, &text)
            })
        };
        if matches!((lower, upper), (Bound::Unbounded, Bound::Unbounded)) {
            return Box::new(AllQuery);
        }
        Box::new(RangeQuery::new(term(lower), term(upper)))
    }
}

/// A query for the terms of `field` matching `pattern` as a whole.
fn regex_query(field: Field, pattern: &str) -> Result<Box<dyn Query>, QueryError> {
    RegexQuery::from_pattern(pattern, field)
        .map(|query| Box::new(query) as Box<dyn Query>)
        .map_err(|err| QueryError::InvalidRegex {
            pattern: pattern.to_string(),
            reason: regex_reason(&err.to_string()),
        })
}

/// The regex engine's complaint in one line. tantivy wraps it (`An invalid argument was passed:
/// 'RegexQueryError: regex parse error: ...'`) and the parser's message spans several lines that
/// repeat the pattern with a caret; the last line says what is wrong.
fn regex_reason(message: &str) -> String {
    let message = message.trim();
    let message = message
        .strip_prefix("An invalid argument was passed: '")
        .and_then(|inner| inner.strip_suffix('\''))
        .unwrap_or(message);
    let message = message.strip_prefix("RegexQueryError: ").unwrap_or(message);
    let last = message
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or(message);
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// A conjunction of queries, without a wrapper when there is only one.
fn all_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::new(
            queries
                .into_iter()
                .map(|query| (TantivyOccur::Must, query))
                .collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::regex_reason;

    #[test]
    fn regex_errors_become_one_line() {
        let tantivy = "An invalid argument was passed: 'RegexQueryError: regex parse error:\n    [\n    ^\nerror: unclosed character class'";
        assert_eq!(regex_reason(tantivy), "unclosed character class");
        assert_eq!(
            regex_reason("An invalid argument was passed: 'RegexQueryError: too big'"),
            "too big"
        );
        assert_eq!(regex_reason("something else"), "something else");
    }
}
