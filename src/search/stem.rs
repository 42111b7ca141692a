//! An unquoted word's other forms: the documents holding any word of the index with the word's
//! stem, scored as if the forms were one term.
//!
//! The index holds the words as written, without a stemmed copy: analysing every text twice cost
//! as much as the rest of indexing. A word's other forms are found when it is searched instead:
//! the words of each segment's dictionary that start as the stem does
//! ([`Language::stem_prefix`]: a short range of the sorted dictionary) and have that stem. They
//! are scored as one term, as Lucene's `SynonymQuery` does: each form gets the inverse document
//! frequency of all the forms together, so a rare spelling of a common word weighs no more than
//! the word.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, SegmentReader, TantivyError, Term};
use tantivy_fst::Automaton;

use super::deadline::Deadline;
use super::term_walk::{accepted_terms, term_fst};
use crate::index::language::{forms_are_letters, Language};

/// The documents of `field` holding a word with the stem `stem`.
#[derive(Clone, Debug)]
pub struct StemQuery {
    field: Field,
    stem: String,
    language: Language,
    /// The forms, when they were looked up already ([`stem_forms`]).
    forms: Option<Vec<String>>,
    deadline: Arc<Deadline>,
}

impl StemQuery {
    /// The documents of `field` holding a word whose stem in `language` is `stem`: `forms`,
    /// or, when they are not given, the forms gathered from the dictionary until `deadline`.
    pub fn new(
        field: Field,
        (stem, language): (&str, Language),
        forms: Option<&[String]>,
        deadline: Arc<Deadline>,
    ) -> StemQuery {
        StemQuery {
            field,
            stem: stem.to_string(),
            language,
            forms: forms.map(<[String]>::to_vec),
            deadline,
        }
    }

    /// The terms of `field` with the stem.
    fn forms(&self, searcher: &Searcher) -> tantivy::Result<Vec<Term>> {
        let words = match &self.forms {
            Some(forms) => forms.clone(),
            None => stem_forms(
                searcher,
                self.field,
                (&self.stem, self.language),
                &self.deadline,
            )?,
        };
        Ok(words
            .iter()
            .map(|word| Term::from_field_text(self.field, word))
            .collect())
    }
}

/// The sorted words of `field` in `searcher` whose stem in `language` is `stem`, in every
/// segment, gathered until `deadline`; the stem alone when no prefix narrows the dictionary (a
/// stem under two letters).
pub(super) fn stem_forms(
    searcher: &Searcher,
    field: Field,
    (stem, language): (&str, Language),
    deadline: &Deadline,
) -> tantivy::Result<Vec<String>> {
    let Some(prefix) = language.stem_prefix(stem) else {
        return Ok(vec![stem.to_string()]);
    };
    // The dictionary walk skips the identifiers and numbers that share the prefix
    // (`rcu_read_lock` for `rcu`), which in a source tree are most of them.
    let letters_only = forms_are_letters(stem);
    let automaton = PrefixAutomaton {
        prefix: prefix.as_bytes(),
        letters_only,
    };
    // Each word seen, and whether it has the stem: segments share most of their words.
    let mut seen: HashMap<String, bool> = HashMap::new();
    for segment in searcher.segment_readers() {
        let words = match term_fst(segment, field)
            .and_then(|fst| accepted_terms(&fst, &automaton, usize::MAX, deadline))
        {
            Some(words) => words,
            None => streamed_terms(segment, field, &automaton, deadline)?,
        };
        for word in words {
            if let Entry::Vacant(unseen) = seen.entry(word) {
                let is_form = language.stems_to(unseen.key(), stem);
                unseen.insert(is_form);
            }
        }
    }
    let mut forms: Vec<String> = seen
        .into_iter()
        .filter_map(|(word, is_form)| is_form.then_some(word))
        .chain(language.irregular_forms(stem).map(str::to_string))
        .collect();
    forms.sort_unstable();
    forms.dedup();
    Ok(forms)
}

/// The terms of `field` in `segment` that `automaton` accepts, as text, by tantivy's stream over
/// the dictionary (for a dictionary [`term_fst`] cannot read), until `deadline`.
fn streamed_terms(
    segment: &SegmentReader,
    field: Field,
    automaton: &PrefixAutomaton,
    deadline: &Deadline,
) -> tantivy::Result<Vec<String>> {
    let inverted = segment.inverted_index(field)?;
    let mut stream = inverted.terms().search(automaton).into_stream()?;
    let mut words = Vec::new();
    while !deadline.passed() && stream.advance() {
        if let Ok(word) = std::str::from_utf8(stream.key()) {
            words.push(word.to_string());
        }
    }
    Ok(words)
}

/// The terms that start with `prefix`, going on with lower-case ASCII letters alone when
/// `letters_only`.
struct PrefixAutomaton<'p> {
    prefix: &'p [u8],
    letters_only: bool,
}

impl Automaton for PrefixAutomaton<'_> {
    /// How many bytes of the prefix were read; `None` once a byte did not fit.
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.prefix.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let at = (*state)?;
        match self.prefix.get(at) {
            Some(&expected) => (expected == byte).then_some(at + 1),
            None => (!self.letters_only || byte.is_ascii_lowercase()).then_some(at),
        }
    }
}

impl Query for StemQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let searcher = enable_scoring.searcher().ok_or_else(|| {
            TantivyError::InvalidArgument("a stem's forms are looked up in a searcher".into())
        })?;
        let forms = self.forms(searcher)?;
        let query = BooleanQuery::new(
            forms
                .iter()
                .map(|form| {
                    let query = TermQuery::new(form.clone(), IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(query) as Box<dyn Query>)
                })
                .collect(),
        );
        match enable_scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                let together = FormsTogether::new(statistics_provider, forms)?;
                query.weight(EnableScoring::enabled_from_statistics_provider(
                    &together, searcher,
                ))
            }
            EnableScoring::Disabled { .. } => query.weight(enable_scoring),
        }
    }
}

/// Statistics in which every form of a stem has the document frequency of all of them together
/// (their sum, at most the number of documents: a document holding two forms counts twice, as
/// Lucene's `SynonymQuery` takes the largest instead, a bound either way).
struct FormsTogether<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    forms: Vec<Term>,
    doc_freq: u64,
}

impl<'a> FormsTogether<'a> {
    fn new(
        inner: &'a dyn Bm25StatisticsProvider,
        forms: Vec<Term>,
    ) -> tantivy::Result<FormsTogether<'a>> {
        let mut doc_freq = 0;
        for form in &forms {
            doc_freq += inner.doc_freq(form)?;
        }
        let doc_freq = doc_freq.min(inner.total_num_docs()?);
        Ok(FormsTogether {
            inner,
            forms,
            doc_freq,
        })
    }
}

impl Bm25StatisticsProvider for FormsTogether<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if self.forms.binary_search(term).is_ok() {
            Ok(self.doc_freq)
        } else {
            self.inner.doc_freq(term)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(automaton: &PrefixAutomaton<'_>, word: &str) -> bool {
        let state = word.bytes().fold(automaton.start(), |state, byte| {
            automaton.accept(&state, byte)
        });
        automaton.is_match(&state)
    }

    #[test]
    fn the_forms_of_a_stem_of_letters_are_letters() {
        let letters = PrefixAutomaton {
            prefix: b"loc",
            letters_only: true,
        };
        assert!(accepts(&letters, "loc"));
        assert!(accepts(&letters, "locking"));
        assert!(!accepts(&letters, "lock_page"));
        assert!(!accepts(&letters, "lock2"));
        assert!(!accepts(&letters, "lo"));
        assert!(!accepts(&letters, "block"));
        let anything = PrefixAutomaton {
            prefix: b"loc",
            letters_only: false,
        };
        assert!(accepts(&anything, "lock_page"));
        assert!(!accepts(&anything, "block"));
    }
}
