//! A document's stored text fields (its contents and path key; title and type are only fast
//! fields, see `columns`), read from the doc store with one copy of each.

use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, OwnedValue};

/// The text values of one stored document, in stored order; other values are dropped.
///
/// tantivy's own document type copies each value twice, read and then packed into its buffer;
/// for a hit's stored contents (often hundreds of kilobytes) the second copy cost about a tenth of
/// a search.
pub(super) struct StoredText {
    values: Vec<(Field, String)>,
}

impl StoredText {
    /// The first text value of `field`, empty when it has none.
    pub(super) fn first(&self, field: Field) -> &str {
        self.values
            .iter()
            .find(|(stored, _)| *stored == field)
            .map_or("", |(_, text)| text.as_str())
    }

    /// Takes the first text value of `field` out, if it has one.
    pub(super) fn take(&mut self, field: Field) -> Option<String> {
        let at = self
            .values
            .iter()
            .position(|(stored, _)| *stored == field)?;
        Some(self.values.swap_remove(at).1)
    }
}

/// Room reserved for a document's stored fields before reading them; more grow the list.
const FEW_FIELDS: usize = 8;

impl DocumentDeserialize for StoredText {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        // The number of fields is read from the document: a damaged one may claim trillions,
        // and reserving room for them aborts the process. Documents store a few fields.
        let mut values = Vec::with_capacity(deserializer.size_hint().min(FEW_FIELDS));
        while let Some((field, value)) = deserializer.next_field::<OwnedValue>()? {
            if let OwnedValue::Str(text) = value {
                values.push((field, text));
            }
        }
        Ok(StoredText { values })
    }
}
