//! What a hit shows besides its fragments (its path key, title and type), read from the index's
//! fast fields: no stored document is opened for them.

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Searcher, SegmentReader};

use crate::index::LanternSchema;

/// A hit's path key, title (empty when it has none) and type.
#[derive(Debug, Default)]
pub(super) struct HitFields {
    pub(super) key: String,
    pub(super) title: String,
    pub(super) doc_type: String,
}

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

    /// The path key, title and type of the document at `address` (empty for a segment
    /// [`HitColumns::open`] was not given).
    pub(super) fn read(&self, address: DocAddress) -> tantivy::Result<HitFields> {
        let mut fields = HitFields::default();
        let Some(Some(columns)) = self.segments.get(address.segment_ord as usize) else {
            return Ok(fields);
        };
        let doc = address.doc_id;
        read_value(columns.path.as_ref(), doc, &mut fields.key)?;
        read_value(columns.title.as_ref(), doc, &mut fields.title)?;
        read_value(columns.doc_type.as_ref(), doc, &mut fields.doc_type)?;
        Ok(fields)
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

/// Writes the first value of `doc` in `column` into `into`; leaves it empty when it has none.
fn read_value(column: Option<&StrColumn>, doc: DocId, into: &mut String) -> tantivy::Result<()> {
    let Some(column) = column else {
        return Ok(());
    };
    if let Some(ord) = column.ords().first(doc) {
        column.ord_to_str(ord, into)?;
    }
    Ok(())
}
