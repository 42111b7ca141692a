//! Expanding wildcard, regex and fuzzy terms, and stems, into the index terms they match, once
//! per search.
//!
//! Both the query and the highlighter need these terms: the query to find documents, the
//! highlighter to skip to the neighbourhood of matches instead of testing every token of every
//! hit against the pattern (by the listed terms when they are few, by the prefix they all share
//! otherwise). The term dictionary answers, walking only the branches of its FST the pattern's
//! automaton accepts (see `term_walk`); the answer is cached so the walk (costly for a fuzzy
//! term over millions of terms) happens once. The query then looks the listed terms up instead
//! of walking the automaton again.

use std::cell::RefCell;
use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, TantivyError, Term};
use tantivy_fst::Automaton;

use super::stem::stem_forms;
use super::term_walk::{accepted_terms, term_fst};
use crate::deadline::Deadline;
use crate::index::language::Language;
use crate::query::automaton::term_automaton;
use crate::query::{MultiTerm, TermExpansion};

/// Beyond this many terms an expansion is not kept (the list would cost more memory than the walk
/// it saves): the query then runs the automaton itself, walking the dictionary a second time.
const MAX_EXPANSION: usize = 16_384;

/// Expands multi-term patterns over one field of one searcher, remembering each answer.
pub struct TermExpander<'s> {
    searcher: &'s Searcher,
    field: Field,
    deadline: &'s Deadline,
    cache: RefCell<HashMap<MultiTerm, Option<Vec<String>>>>,
    /// The forms of each stem looked up.
    forms: RefCell<HashMap<String, Vec<String>>>,
}

impl<'s> TermExpander<'s> {
    /// An expander for `field` as `searcher` sees it, which gives up (as if there were too many
    /// terms to list) once `deadline` passed.
    pub fn new(searcher: &'s Searcher, field: Field, deadline: &'s Deadline) -> TermExpander<'s> {
        TermExpander {
            searcher,
            field,
            deadline,
            cache: RefCell::new(HashMap::new()),
            forms: RefCell::new(HashMap::new()),
        }
    }

    /// The terms `automaton` accepts in every segment; `None` when there are too many. The
    /// segments' dictionaries are walked in parallel: a fuzzy term's walk is the larger part of
    /// its search, and it is the same work in every segment.
    fn matching_terms<A: Automaton + Sync>(
        &self,
        automaton: &A,
    ) -> Result<Option<Vec<String>>, TantivyError>
    where
        A::State: Clone,
    {
        let field = self.field;
        let per_segment = self
            .searcher
            .segment_readers()
            .par_iter()
            .map(|segment| {
                // The terms of one segment are distinct: too many here is too many in all.
                if let Some(fst) = term_fst(segment, field) {
                    return Ok(accepted_terms(
                        &fst,
                        automaton,
                        MAX_EXPANSION,
                        self.deadline,
                    ));
                }
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().search(automaton).into_stream()?;
                let mut terms = Vec::new();
                while stream.advance() {
                    if self.deadline.passed() {
                        return Ok(None);
                    }
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        terms.push(term.to_string());
                    }
                    if terms.len() > MAX_EXPANSION {
                        return Ok(None);
                    }
                }
                Ok(Some(terms))
            })
            .collect::<Result<Option<Vec<Vec<String>>>, TantivyError>>()?;
        let Some(per_segment) = per_segment else {
            return Ok(None);
        };
        let mut terms = per_segment.concat();
        terms.sort_unstable();
        terms.dedup();
        Ok((terms.len() <= MAX_EXPANSION).then_some(terms))
    }
}

impl TermExpansion for TermExpander<'_> {
    /// The sorted, distinct terms `pattern` matches, or `None` when there are more than
    /// [`MAX_EXPANSION`] (or the regex is one the index's automaton refuses).
    fn expand(&self, pattern: &MultiTerm) -> Result<Option<Vec<String>>, TantivyError> {
        if let Some(terms) = self.cache.borrow().get(pattern) {
            return Ok(terms.clone());
        }
        let terms = match pattern {
            MultiTerm::Regex(source) => match term_automaton(source) {
                Ok(automaton) => self.matching_terms(automaton.as_ref())?,
                Err(_) => None,
            },
            MultiTerm::Fuzzy { word, distance } => {
                let term = Term::from_field_text(self.field, word);
                let query = FuzzyTermQuery::new(term, *distance, true);
                self.matching_terms(&query.automaton()?)?
            }
        };
        self.cache
            .borrow_mut()
            .insert(pattern.clone(), terms.clone());
        Ok(terms)
    }

    /// The words of the field with the stem, from [`stem_forms`], remembered.
    fn forms(&self, stem: &str, language: Language) -> Result<Vec<String>, TantivyError> {
        if let Some(forms) = self.forms.borrow().get(stem) {
            return Ok(forms.clone());
        }
        let forms = stem_forms(self.searcher, self.field, (stem, language), self.deadline)?;
        self.forms
            .borrow_mut()
            .insert(stem.to_string(), forms.clone());
        Ok(forms)
    }
}
