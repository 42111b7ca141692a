//! What a hit shows besides its fragments (its path key, title, type, and for an e-mail its
//! sender and date), and the hash of its text that finds its copies, read from the index's fast
//! fields: no stored document is opened for them. (A hit whose text is read anyway takes its
//! path key from there: see the schema.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher, SegmentReader};

use crate::index::LanternSchema;

/// The columns of the segments searches have needed, kept from one search to the next: opening
/// a column reads its header and its dictionary's index, which for a search without fragments
/// cost about a tenth of the search. A segment's files never change, so its columns stay valid
/// while it is searched; those of segments no longer searched (merged away) are dropped.
#[derive(Default)]
pub(super) struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of `searcher`'s segments that `hits` are in, by segment ordinal (`None` for a
    /// segment without hits), opened when not kept yet.
    fn columns_of(
        &self,
        searcher: &Searcher,
        fields: &LanternSchema,
        hits: &[DocAddress],
    ) -> tantivy::Result<Vec<Option<Arc<SegmentColumns>>>> {
        let readers = searcher.segment_readers();
        let mut kept = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|id, _| readers.iter().any(|reader| reader.segment_id() == *id));
        let mut segments: Vec<Option<Arc<SegmentColumns>>> = readers.iter().map(|_| None).collect();
        for hit in hits {
            let ord = hit.segment_ord as usize;
            if let (Some(slot @ None), Some(reader)) = (segments.get_mut(ord), readers.get(ord)) {
                let columns = match kept.get(&reader.segment_id()) {
                    Some(columns) => Arc::clone(columns),
                    None => {
                        let columns = Arc::new(SegmentColumns::open(reader, searcher, fields)?);
                        kept.insert(reader.segment_id(), Arc::clone(&columns));
                        columns
                    }
                };
                *slot = Some(columns);
            }
        }
        Ok(segments)
    }
}

/// The path, title and type columns of the segments a search's hits are in, shared by the
/// threads that build its hits.
pub(super) struct HitColumns {
    /// By segment ordinal; `None` for a segment without hits.
    segments: Vec<Option<Arc<SegmentColumns>>>,
    /// The path keys of the hits, when read ahead.
    keys: HashMap<DocAddress, String>,
}

/// The columns of one segment; a column is absent when no document of the segment has a value
/// (a segment without titles, say).
struct SegmentColumns {
    path: Option<StrColumn>,
    title: Option<StrColumn>,
    doc_type: Option<StrColumn>,
    from: Option<StrColumn>,
    text_hash: Option<Column<u64>>,
    date: Option<Column<u64>>,
}

impl HitColumns {
    /// The columns of the segments that `hits` are in, from `cache`; with `read_keys`, also
    /// reads the hits' path keys ahead, in one pass over each segment's dictionary in its order.
    /// A key is decoded from the start of its 4 KB block of the dictionary: hits of one folder
    /// often share a block, which one pass then decodes once.
    pub(super) fn open(
        cache: &ColumnCache,
        searcher: &Searcher,
        fields: &LanternSchema,
        hits: &[DocAddress],
        read_keys: bool,
    ) -> tantivy::Result<HitColumns> {
        let mut columns = HitColumns {
            segments: cache.columns_of(searcher, fields, hits)?,
            keys: HashMap::new(),
        };
        if read_keys {
            columns.keys = columns.read_keys(hits)?;
        }
        Ok(columns)
    }

    /// The path keys of `hits`, read segment by segment in dictionary order.
    fn read_keys(&self, hits: &[DocAddress]) -> tantivy::Result<HashMap<DocAddress, String>> {
        let mut wanted: Vec<(u32, u64, DocAddress)> = hits
            .iter()
            .filter_map(|&address| {
                let column = self.column(address, |columns| columns.path.as_ref())?;
                let ord = column.ords().first(address.doc_id)?;
                Some((address.segment_ord, ord, address))
            })
            .collect();
        wanted.sort_unstable_by_key(|&(segment, ord, _)| (segment, ord));
        let mut keys = HashMap::with_capacity(wanted.len());
        for segment in wanted.chunk_by(|a, b| a.0 == b.0) {
            let Some(column) = self.column(segment[0].2, |columns| columns.path.as_ref()) else {
                continue;
            };
            let ords: Vec<u64> = segment.iter().map(|&(_, ord, _)| ord).collect();
            let mut addresses = segment.iter().map(|&(_, _, address)| address);
            let mut damaged = None;
            column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                match (addresses.next(), std::str::from_utf8(bytes)) {
                    (Some(address), Ok(key)) => {
                        keys.insert(address, key.to_string());
                    }
                    (_, Err(err)) => damaged = Some(err),
                    (None, Ok(_)) => {}
                }
            })?;
            if let Some(err) = damaged {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, err).into());
            }
        }
        Ok(keys)
    }

    /// The path key of the document at `address`.
    pub(super) fn key(&self, address: DocAddress) -> tantivy::Result<String> {
        match self.keys.get(&address) {
            Some(key) => Ok(key.clone()),
            None => self.read(address, |columns| columns.path.as_ref()),
        }
    }

    /// The title of the document at `address`, empty when it has none.
    pub(super) fn title(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.title.as_ref())
    }

    /// The type of the document at `address`.
    pub(super) fn doc_type(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.doc_type.as_ref())
    }

    /// The sender of the e-mail at `address`, empty for a document that is none.
    pub(super) fn from(&self, address: DocAddress) -> tantivy::Result<String> {
        self.read(address, |columns| columns.from.as_ref())
    }

    /// The hash of the text of the document at `address`; `None` when it has no text.
    pub(super) fn text_hash(&self, address: DocAddress) -> Option<u64> {
        self.number(address, |columns| columns.text_hash.as_ref())
    }

    /// The own date of the document at `address`, if it has one.
    pub(super) fn date(&self, address: DocAddress) -> Option<u64> {
        self.number(address, |columns| columns.date.as_ref())
    }

    /// The value of the document at `address` in the number column `pick` chooses.
    fn number(
        &self,
        address: DocAddress,
        pick: impl Fn(&SegmentColumns) -> Option<&Column<u64>>,
    ) -> Option<u64> {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(Option::as_deref)
            .and_then(pick)
            .and_then(|column| column.first(address.doc_id))
    }

    /// The first value of the document at `address` in the column `pick` chooses; empty when it
    /// has none, or when its segment was not given to [`HitColumns::open`].
    fn read(
        &self,
        address: DocAddress,
        pick: impl Fn(&SegmentColumns) -> Option<&StrColumn>,
    ) -> tantivy::Result<String> {
        let mut value = String::new();
        if let Some(column) = self.column(address, pick) {
            if let Some(ord) = column.ords().first(address.doc_id) {
                column.ord_to_str(ord, &mut value)?;
            }
        }
        Ok(value)
    }

    /// The column `pick` chooses of the segment of `address`, if it has one.
    fn column(
        &self,
        address: DocAddress,
        pick: impl Fn(&SegmentColumns) -> Option<&StrColumn>,
    ) -> Option<&StrColumn> {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(Option::as_deref)
            .and_then(pick)
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
            from: fast.str(schema.get_field_name(fields.from))?,
            text_hash: fast.column_opt(schema.get_field_name(fields.text_hash))?,
            date: fast.column_opt(schema.get_field_name(fields.date))?,
        })
    }
}
