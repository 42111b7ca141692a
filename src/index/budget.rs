//! Bounding the text read ahead of tantivy's indexing threads.
//!
//! tantivy's queue between `add_document` and its indexing threads holds up to 10,000 documents,
//! whatever their size: on a tree of large files that is hundreds of megabytes of text read ahead.
//! Each document therefore carries a permit for its bytes, returned when tantivy drops the document
//! after indexing it; readers wait while too many bytes are in flight.

use std::sync::{Arc, Condvar, Mutex};

use tantivy::schema::document::Document;
use tantivy::TantivyDocument;

/// A cap on the bytes of text read but not yet indexed.
#[derive(Debug)]
pub struct ByteBudget {
    cap: u64,
    state: Mutex<BudgetState>,
    released: Condvar,
}

#[derive(Debug, Default)]
struct BudgetState {
    in_flight: u64,
    waiting: usize,
}

impl ByteBudget {
    /// A budget of `cap` bytes.
    pub fn new(cap: u64) -> Arc<ByteBudget> {
        Arc::new(ByteBudget {
            cap,
            state: Mutex::new(BudgetState::default()),
            released: Condvar::new(),
        })
    }

    /// Waits until `bytes` more fit in the budget (a document larger than the whole budget waits
    /// until nothing else is in flight), then takes them.
    pub fn acquire(self: &Arc<Self>, bytes: u64) -> BytePermit {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.in_flight > 0 && state.in_flight + bytes > self.cap {
            state.waiting += 1;
            state = self.released.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
        state.in_flight += bytes;
        BytePermit {
            budget: Arc::clone(self),
            bytes,
        }
    }
}

/// Bytes taken from a [`ByteBudget`], given back when dropped.
#[derive(Debug)]
pub struct BytePermit {
    budget: Arc<ByteBudget>,
    bytes: u64,
}

impl Drop for BytePermit {
    fn drop(&mut self) {
        let budget = &self.budget;
        let mut state = budget.state.lock().unwrap_or_else(|e| e.into_inner());
        state.in_flight -= self.bytes;
        // Waking readers for every small document indexed would cost a context switch each:
        // they are woken once the budget has drained to three quarters.
        if state.waiting > 0 && state.in_flight <= budget.cap / 4 * 3 {
            budget.released.notify_all();
        }
    }
}

/// A document on its way to the index, holding the permit for its text.
#[derive(Debug)]
pub struct BudgetedDocument {
    /// The document's fields.
    pub document: TantivyDocument,
    /// Released when tantivy drops the document, i.e. once it is indexed.
    #[allow(dead_code, reason = "held only to be dropped with the document")]
    pub permit: BytePermit,
}

impl Document for BudgetedDocument {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.document.iter_fields_and_values()
    }
}
