//! The moment a search must stop, checked by every long loop that works for it: the query's
//! scorers, the expansion of patterns, highlighting. A search that passes its deadline returns
//! what it found so far; its work stops with its answer, so a server counts it against its
//! limits until then and no orphan keeps a core busy after the answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The moment a search must stop, shared by everything that works for it.
#[derive(Debug)]
pub struct Deadline {
    at: Option<Instant>,
    passed: AtomicBool,
}

impl Deadline {
    /// A deadline that never passes, for work that has none.
    pub const fn never() -> Deadline {
        Deadline {
            at: None,
            passed: AtomicBool::new(false),
        }
    }

    /// A deadline `timeout` from now; `None` never passes.
    pub fn after(timeout: Option<Duration>) -> Arc<Deadline> {
        Arc::new(Deadline {
            at: timeout.and_then(|timeout| Instant::now().checked_add(timeout)),
            passed: AtomicBool::new(false),
        })
    }

    /// True once the deadline has passed (and from then on).
    pub fn passed(&self) -> bool {
        if self.passed.load(Ordering::Relaxed) {
            return true;
        }
        let passed = self.at.is_some_and(|at| Instant::now() >= at);
        if passed {
            self.passed.store(true, Ordering::Relaxed);
        }
        passed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_passes_once_and_stays_passed() {
        let never = Deadline::after(None);
        assert!(!never.passed());
        let now = Deadline::after(Some(Duration::ZERO));
        assert!(now.passed());
        assert!(now.passed());
        let later = Deadline::after(Some(Duration::from_secs(3600)));
        assert!(!later.passed());
    }
}
