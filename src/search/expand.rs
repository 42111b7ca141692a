//! Expanding the wildcard, regex and fuzzy patterns of a query into the index terms they match.
//!
//! The highlighter can only skip to the neighbourhood of matches when it knows the words to look
//! for; a pattern like `sched*` would otherwise make it tokenize every hit in full. The term
//! dictionary answers which words those are, walking only the branches of its FST the pattern's
//! automaton accepts, just as the search itself does.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, TantivyError, Term};
use tantivy_fst::{Automaton, Regex};

use crate::highlight::Pattern;

/// Beyond this many terms an expansion is not worth it: the highlighter then tests each token of
/// the text against the pattern itself.
const MAX_EXPANSION: usize = 512;

/// Replaces every wildcard, regex and fuzzy pattern over `field` with [`Pattern::Terms`], the index
/// terms it matches, when there are at most [`MAX_EXPANSION`] of them.
pub fn expand_patterns(
    searcher: &Searcher,
    field: Field,
    patterns: &mut [Pattern],
) -> Result<(), TantivyError> {
    for pattern in patterns.iter_mut() {
        let terms = match pattern {
            Pattern::Regex { source, .. } => match Regex::new(source) {
                Ok(automaton) => matching_terms(searcher, field, &automaton)?,
                Err(_) => None,
            },
            Pattern::Fuzzy { word, distance } => {
                let word: String = word.iter().collect();
                let query =
                    FuzzyTermQuery::new(Term::from_field_text(field, &word), *distance, true);
                matching_terms(searcher, field, &query.automaton()?)?
            }
            _ => None,
        };
        if let Some(terms) = terms {
            *pattern = Pattern::Terms(terms);
        }
    }
    Ok(())
}

/// The sorted, distinct terms of `field` that `automaton` accepts, in every segment; `None` when
/// there are more than [`MAX_EXPANSION`].
fn matching_terms<A: Automaton>(
    searcher: &Searcher,
    field: Field,
    automaton: &A,
) -> Result<Option<Vec<String>>, TantivyError>
where
    A::State: Clone,
{
    let mut terms = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(automaton).into_stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                terms.push(term.to_string());
            }
            if terms.len() > MAX_EXPANSION * 4 {
                return Ok(None);
            }
        }
    }
    terms.sort_unstable();
    terms.dedup();
    Ok((terms.len() <= MAX_EXPANSION).then_some(terms))
}
