//! Facets: how many of ALL the documents a query matches (not only the hits returned) are of each
//! type, were modified in each month and are in each folder, counted from the `type`, `mtime` and
//! `path` fast fields in the same pass that ranks them.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::folders::count_folders;
use crate::engine::facets::{month_key, NANOS_PER_DAY};
use crate::engine::folders::FolderScope;
use crate::engine::Facets;

/// A collector of [`Facets`] and of the number of matching documents, counting folders in
/// `folders`.
pub(super) struct FacetCollector {
    pub(super) folders: Arc<FolderScope>,
}

/// The counts of one segment: by type ordinal, and by month (`year * 12 + month - 1`).
pub(super) struct SegmentFacets {
    types: Option<StrColumn>,
    type_counts: Vec<usize>,
    mtime: Column<u64>,
    month_counts: BTreeMap<i64, usize>,
    /// The day (since the epoch) and month key of the last document seen: documents indexed
    /// together often share a day, which spares the calendar arithmetic.
    last_day: Option<(u64, i64)>,
    paths: Option<StrColumn>,
    /// The path ordinals of the matching documents.
    path_ords: Vec<u64>,
    total: usize,
}

/// What a segment hands to the merge: its counts by type name and month, the path ordinals of
/// its matches (their folders are counted in the merge, which can report a failure), and its
/// total.
pub(super) struct SegmentFruit {
    types: BTreeMap<String, usize>,
    months: BTreeMap<i64, usize>,
    paths: Option<StrColumn>,
    path_ords: Vec<u64>,
    total: usize,
}

impl Collector for FacetCollector {
    type Fruit = (Facets, usize);
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        // The field names of the schema (`index::schema`).
        let types = reader.fast_fields().str("type")?;
        let terms = types.as_ref().map_or(0, |column| column.num_terms());
        Ok(SegmentFacets {
            types,
            type_counts: vec![0; terms],
            mtime: reader.fast_fields().u64("mtime")?,
            month_counts: BTreeMap::new(),
            last_day: None,
            paths: reader.fast_fields().str("path")?,
            path_ords: Vec::new(),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<(Facets, usize)> {
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        let mut months: BTreeMap<i64, usize> = BTreeMap::new();
        let mut folders: BTreeMap<String, usize> = BTreeMap::new();
        let mut total = 0;
        for mut fruit in fruits {
            if let Some(paths) = &fruit.paths {
                count_folders(&self.folders, paths, &mut fruit.path_ords, &mut folders)?;
            }
            for (name, count) in fruit.types {
                *types.entry(name).or_default() += count;
            }
            for (month, count) in fruit.months {
                *months.entry(month).or_default() += count;
            }
            total += fruit.total;
        }
        Ok((Facets::from_counts(types, months, folders), total))
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        if let Some(ord) = self
            .paths
            .as_ref()
            .and_then(|paths| paths.ords().first(doc))
        {
            self.path_ords.push(ord);
        }
        if let Some(types) = &self.types {
            for ord in types.term_ords(doc) {
                if let Some(count) = usize::try_from(ord)
                    .ok()
                    .and_then(|ord| self.type_counts.get_mut(ord))
                {
                    *count += 1;
                }
            }
        }
        if let Some(mtime) = self.mtime.first(doc) {
            let day = mtime / NANOS_PER_DAY;
            let month = match self.last_day {
                Some((last, month)) if last == day => month,
                _ => {
                    let month = month_key(day);
                    self.last_day = Some((day, month));
                    month
                }
            };
            *self.month_counts.entry(month).or_default() += 1;
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut types = BTreeMap::new();
        if let Some(column) = &self.types {
            let mut name = String::new();
            for (ord, &count) in self.type_counts.iter().enumerate() {
                name.clear();
                let found = count > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false);
                if found {
                    *types.entry(name.clone()).or_default() += count;
                }
            }
        }
        SegmentFruit {
            types,
            months: self.month_counts,
            paths: self.paths,
            path_ords: self.path_ords,
            total: self.total,
        }
    }
}
