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
    in_flight: Mutex<u64>,
    released: Condvar,
}

impl ByteBudget {
    /// A budget of `cap` bytes.
    pub fn new(cap: u64) -> Arc<ByteBudget> {
        Arc::new(ByteBudget {
            cap,
            in_flight: Mutex::new(0),
            released: Condvar::new(),
        })
    }

    /// Waits until `bytes` more fit in the budget (a document larger than the whole budget waits
    /// until nothing else is in flight), then takes them.
    pub fn acquire(self: &Arc<Self>, bytes: u64) -> BytePermit {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while *in_flight > 0 && *in_flight + bytes > self.cap {
            in_flight = self
                .released
                .wait(in_flight)
                .unwrap_or_else(|e| e.into_inner());
        }
        *in_flight += bytes;
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
        let mut in_flight = self
            .budget
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *in_flight -= self.bytes;
        self.budget.released.notify_all();
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
