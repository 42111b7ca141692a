//! What a hit shows besides its fragments (its path key, title and type), read from the index's
//! fast fields: no stored document is opened for them. (A hit whose text is read anyway takes its
//! path key from there: see the schema.)

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher, SegmentReader};

use crate::index::LanternSchema;

/// The path, title and type columns of the segments a search's hits are in: opened once per
/// search, then shared by the threads that build its hits.
pub(super) struct HitColumns {
    /// By segment ordinal; `None` for a segment without hits.
    segments: Vec<Option<SegmentColumns>>,
}

/// The columns of one segment; a column is absent when no document of the segment has a value
/// (a segment without titles, say).
struct SegmentColumns {
    path: Option<StrColumn>,
    title: Option<StrColumn>,
    doc_type: Option<StrColumn>,
}

impl HitColumns {
    /// Opens the columns of the segments that `hits` are in.
    pub(super) fn open(
        searcher: &Searcher,
        fields: &LanternSchema,
        hits: impl Iterator<Item = DocAddress>,
    ) -> tantivy::Result<HitColumns> {
        let readers = searcher.segment_readers();
        let mut segments: Vec<Option<SegmentColumns>> = readers.iter().map(|_| None).collect();
        for hit in hits {
            let ord = hit.segment_ord as usize;
            if let (Some(slot @ None), Some(reader)) = (segments.get_mut(ord), readers.get(ord)) {
                *slot = Some(SegmentColumns::open(reader, searcher, fields)?);
            }
        }
        Ok(HitColumns { segments })
    }

    /// The path key of the document at `address`.
    pub(super) fn key(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.path.as_ref())
    }

    /// The title of the document at `address`, empty when it has none.
    pub(super) fn title(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.title.as_ref())
    }

    /// The type of the document at `address`.
    pub(super) fn doc_type(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.doc_type.as_ref())
    }

    /// The first value of the document at `address` in the column `pick` chooses; empty when it
    /// has none, or when its segment was not given to [`HitColumns::open`].
    fn read(
        &self,
        address: DocAddress,
        pick: impl Fn(&SegmentColumns) -> Option<&StrColumn>,
    ) -> tantivy::Result<String> {
        let mut value = String::new();
        let column = self
            .segments
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(pick);
        if let Some(column) = column {
            if let Some(ord) = column.ords().first(address.doc_id) {
                column.ord_to_str(ord, &mut value)?;
            }
        }
        Ok(value)
    }
}

impl SegmentColumns {
    fn open(
        reader: &SegmentReader,
        searcher: &Searcher,
        fields: &LanternSchema,
    ) -> tantivy::Result<SegmentColumns> {
        let schema = searcher.schema();
        let fast = reader.fast_fields();
        Ok(SegmentColumns {
            path: fast.str(schema.get_field_name(fields.path))?,
            title: fast.str(schema.get_field_name(fields.title))?,
            doc_type: fast.str(schema.get_field_name(fields.doc_type))?,
        })
    }
}
