//! Spelling correction on the local index: the index's answers to the questions of the rules in
//! [`crate::engine::spelling`], from its term dictionaries. Neighbours are found by a Levenshtein
//! automaton walked over the text's dictionary (see [`TermExpander`], whose cache the query's own
//! fuzzy words share), and weighed by their document frequencies.

use std::path::Path;

use tantivy::schema::Field;
use tantivy::{Searcher, TantivyError, Term};

use super::expand::TermExpander;
use crate::engine::spelling::Dictionary;
use crate::engine::EngineError;
use crate::query::{MultiTerm, TermExpansion};

/// Looks up the words of queries in one field's term dictionary.
pub struct Speller<'s> {
    searcher: &'s Searcher,
    field: Field,
    /// The titles' field: a word missing from the text but in a title is a real word.
    title: Field,
    expander: &'s TermExpander<'s>,
    /// The index's folder, which errors name.
    dir: &'s Path,
}

impl<'s> Speller<'s> {
    /// A speller for the text `field` of `searcher` (whose documents' titles are in `title`),
    /// finding neighbours with `expander` (over `field`), for the index at `dir`.
    pub fn new(
        searcher: &'s Searcher,
        field: Field,
        title: Field,
        expander: &'s TermExpander<'s>,
        dir: &'s Path,
    ) -> Self {
        Speller {
            searcher,
            field,
            title,
            expander,
            dir,
        }
    }

    /// How many documents hold `term` in `field`.
    fn doc_freq(&self, field: Field, term: &str) -> Result<u64, EngineError> {
        self.searcher
            .doc_freq(&Term::from_field_text(field, term))
            .map_err(|err| self.error(err))
    }

    /// A failure inside tantivy, blamed on this index.
    fn error(&self, cause: TantivyError) -> EngineError {
        EngineError::Tantivy {
            path: self.dir.to_path_buf(),
            cause,
        }
    }
}

impl Dictionary for Speller<'_> {
    fn documents(&self) -> Result<u64, EngineError> {
        Ok(self.searcher.num_docs())
    }

    fn frequency(&self, term: &str) -> Result<u64, EngineError> {
        self.doc_freq(self.field, term)
    }

    fn in_titles(&self, term: &str) -> Result<bool, EngineError> {
        Ok(self.doc_freq(self.title, term)? > 0)
    }

    /// Deleted documents still count until their segment is merged.
    fn neighbours(
        &self,
        term: &str,
        distance: u8,
    ) -> Result<Option<Vec<(String, u64)>>, EngineError> {
        let pattern = MultiTerm::Fuzzy {
            word: term.to_string(),
            distance,
        };
        // Too many terms to list (or out of time): none.
        let Some(terms) = self
            .expander
            .expand(&pattern)
            .map_err(|err| self.error(err))?
        else {
            return Ok(None);
        };
        terms
            .into_iter()
            .filter(|near| near != term)
            .map(|near| {
                let frequency = self.doc_freq(self.field, &near)?;
                Ok((near, frequency))
            })
            .collect::<Result<Vec<_>, EngineError>>()
            .map(Some)
    }
}
