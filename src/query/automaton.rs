//! The term automata of regular expressions (wildcards, regexes), each compiled once.
//!
//! Compiling one to the deterministic automaton the term dictionary runs is costly (a `.*` over
//! UTF-8 takes dozens of states), and one search needs the same automaton up to three times: to
//! check the query, to expand the pattern over the dictionary, to run it. A server also sees the
//! same patterns again and again (a query typed into its search box is searched at each pause).
//! The most recent automata are kept.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use tantivy_fst::Regex;

/// How many automata are kept. tantivy's compiler refuses an automaton of more than a thousand
/// states of 4 KB each, so this bounds the memory they take to 64 MB whatever queries come.
const KEPT: usize = 16;

static AUTOMATA: LazyLock<Mutex<HashMap<String, Arc<Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Why the compiler refused a regular expression, in its words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RefusedRegex(String);

/// The automaton of the regular expression `source`, or why the compiler refuses it.
pub fn term_automaton(source: &str) -> Result<Arc<Regex>, RefusedRegex> {
    if let Some(kept) = kept().get(source) {
        return Ok(Arc::clone(kept));
    }
    let compiled = Arc::new(Regex::new(source).map_err(|err| RefusedRegex(err.to_string()))?);
    let mut kept = kept();
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(source.to_string(), Arc::clone(&compiled));
    Ok(compiled)
}

/// The kept automata; a panic while they were locked left nothing half-done in them.
fn kept() -> MutexGuard<'static, HashMap<String, Arc<Regex>>> {
    AUTOMATA.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_automaton_is_compiled_once_and_a_refused_one_says_why() {
        let first = term_automaton("sched.*").unwrap();
        let again = term_automaton("sched.*").unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert!(term_automaton("(unclosed").is_err());
    }
}
