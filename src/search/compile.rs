//! Compiling a lowered query to tantivy queries: one tantivy query per lowered node, nothing
//! decided here that lowering did not decide.

use std::ops::Bound;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur as TantivyOccur,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};

use super::deadline::{Deadline, DeadlineQuery};
use super::pattern::{PatternQuery, PatternTerms};
use super::phrase;
use super::stem::StemQuery;
use crate::index::LanternSchema;
use crate::query::ast::{NumericField, Occur};
use crate::query::automaton::term_automaton;
use crate::query::{Leaf, Lowered, Matcher, MultiTerm, QueryError, Target};

/// The tantivy query for `lowered` over an index with `fields`. Phrases stop at `deadline`: a
/// phrase steps through documents on its own, and a sloppy one of common words can spend seconds
/// between two matches.
pub fn compile(
    lowered: &Lowered,
    fields: &LanternSchema,
    deadline: &Arc<Deadline>,
) -> Result<Box<dyn Query>, QueryError> {
    Ok(match lowered {
        Lowered::All => Box::new(AllQuery),
        Lowered::Nothing => Box::new(EmptyQuery),
        Lowered::Bool(clauses) => {
            let mut subqueries = Vec::with_capacity(clauses.len() + 1);
            for (occur, clause) in clauses {
                let occur = match occur {
                    // Optional clauses made of optional clauses are one union: each level of
                    // unions would merge the documents of the one below again.
                    Occur::Should => {
                        for summand in clause.summands() {
                            let query = compile(&summand, fields, deadline)?;
                            subqueries.push((TantivyOccur::Should, query));
                        }
                        continue;
                    }
                    Occur::Must => TantivyOccur::Must,
                    Occur::MustNot => TantivyOccur::MustNot,
                };
                subqueries.push((occur, compile(clause, fields, deadline)?));
            }
            // A query made only of exclusions (`-draft`, `NOT draft`) means "everything
            // except": tantivy, like Lucene, would match nothing.
            if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                subqueries.push((TantivyOccur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(subqueries))
        }
        Lowered::AtLeast { minimum, clauses } => {
            let subqueries = clauses
                .iter()
                .map(|clause| Ok((TantivyOccur::Should, compile(clause, fields, deadline)?)))
                .collect::<Result<Vec<_>, QueryError>>()?;
            Box::new(BooleanQuery::with_minimum_required_clauses(
                subqueries, *minimum,
            ))
        }
        Lowered::Boost { query, boost } => {
            Box::new(BoostQuery::new(compile(query, fields, deadline)?, *boost))
        }
        Lowered::Ranking(query) => compile(query, fields, deadline)?,
        Lowered::Leaf(leaf) => compile_leaf(leaf, fields, deadline)?,
        Lowered::Span { field, start, end } => span_query(*field, *start, *end, fields),
    })
}

/// The documents whose `field` is in `start..end`, read from its fast field (the numbers are not
/// indexed as terms: tantivy's range query then scans the column, block by block, within the
/// documents the rest of the query leaves).
fn span_query(field: NumericField, start: u64, end: u64, fields: &LanternSchema) -> Box<dyn Query> {
    if start >= end {
        return Box::new(EmptyQuery);
    }
    let field = match field {
        NumericField::Modified => fields.mtime,
        NumericField::Date => fields.date,
        NumericField::Size => fields.size,
    };
    let upper = match end {
        u64::MAX => Bound::Unbounded,
        end => Bound::Excluded(Term::from_field_u64(field, end)),
    };
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_u64(field, start)),
        upper,
    ))
}

fn compile_leaf(
    leaf: &Leaf,
    fields: &LanternSchema,
    deadline: &Arc<Deadline>,
) -> Result<Box<dyn Query>, QueryError> {
    let field = match leaf.target {
        Target::Contents => fields.contents,
        Target::Title => fields.title,
        Target::Type => fields.doc_type,
        Target::PathParts => fields.path_parts,
        Target::WholePath => fields.path,
        Target::From => fields.from,
        Target::To => fields.to,
    };
    let term = |text: &str| Term::from_field_text(field, text);
    Ok(match &leaf.matcher {
        Matcher::Term(word) => Box::new(TermQuery::new(term(word), IndexRecordOption::WithFreqs)),
        Matcher::Stem {
            stem,
            language,
            forms,
        } => Box::new(StemQuery::new(
            field,
            (stem, *language),
            forms.as_deref(),
            Arc::clone(deadline),
        )),
        // Longer phrases are matched by our own scorer, whose memory stays bounded whatever the
        // words and the slop (see `phrase`); two words cost tantivy's scorer a linear merge.
        Matcher::Phrase { words, slop } if words.len() > 2 => {
            let terms = words.iter().map(|word| term(word)).collect();
            Box::new(phrase::PhraseQuery::new(terms, *slop, Arc::clone(deadline)))
        }
        Matcher::Phrase { words, slop } => {
            let mut phrase = PhraseQuery::new(words.iter().map(|word| term(word)).collect());
            phrase.set_slop(*slop);
            Box::new(DeadlineQuery::new(Box::new(phrase), Arc::clone(deadline)))
        }
        // Every form scores a constant, so listing the terms changes nothing but the cost.
        Matcher::Pattern {
            expansion: Some(terms),
            ..
        } => {
            let terms = PatternTerms::Listed(terms.iter().map(|text| term(text)).collect());
            Box::new(PatternQuery::new(field, terms, Arc::clone(deadline)))
        }
        Matcher::Pattern {
            reversed: Some(reversed),
            ..
        } => regex_query(fields.path_parts_reversed, reversed, deadline)?,
        Matcher::Pattern {
            pattern: MultiTerm::Regex(source),
            ..
        } => regex_query(field, source, deadline)?,
        Matcher::Pattern {
            pattern: MultiTerm::Fuzzy { word, distance },
            ..
        } => {
            let automaton = FuzzyTermQuery::new(term(word), *distance, true)
                .automaton()
                .map_err(|err| QueryError::TooLarge(format!("{word}~{distance}: {err}")))?;
            let terms = PatternTerms::Automaton(Arc::new(automaton));
            Box::new(PatternQuery::new(field, terms, Arc::clone(deadline)))
        }
        Matcher::Range { lower, upper } => {
            let terms = PatternTerms::Range(lower.clone(), upper.clone());
            Box::new(PatternQuery::new(field, terms, Arc::clone(deadline)))
        }
    })
}

/// A query for the terms of `field` matching `pattern` as a whole, gathered until `deadline`;
/// lowering checked the pattern.
fn regex_query(
    field: Field,
    pattern: &str,
    deadline: &Arc<Deadline>,
) -> Result<Box<dyn Query>, QueryError> {
    term_automaton(pattern)
        .map(|automaton| {
            let terms = PatternTerms::Automaton(automaton);
            Box::new(PatternQuery::new(field, terms, Arc::clone(deadline))) as Box<dyn Query>
        })
        .map_err(|err| QueryError::InvalidRegex {
            pattern: pattern.to_string(),
            reason: err.to_string(),
        })
}
