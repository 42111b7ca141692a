//! Facets: how many of ALL the documents a query matches (not only the hits returned) are of each
//! type and were modified in each month, counted from the `type` and `mtime` fast fields in the
//! same pass that ranks them.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::engine::Facets;

/// Nanoseconds in a day, the unit `mtime` is converted from.
const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

/// A collector of [`Facets`] and of the number of matching documents.
pub(super) struct FacetCollector;

/// The counts of one segment: by type ordinal, and by month (`year * 12 + month - 1`).
pub(super) struct SegmentFacets {
    types: Option<StrColumn>,
    type_counts: Vec<usize>,
    mtime: Column<u64>,
    month_counts: BTreeMap<i64, usize>,
    /// The day (since the epoch) and month key of the last document seen: documents indexed
    /// together often share a day, which spares the calendar arithmetic.
    last_day: Option<(u64, i64)>,
    total: usize,
}

/// What a segment hands to the merge: its counts by type name and month, and its total.
pub(super) struct SegmentFruit {
    types: BTreeMap<String, usize>,
    months: BTreeMap<i64, usize>,
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
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<(Facets, usize)> {
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        let mut months: BTreeMap<i64, usize> = BTreeMap::new();
        let mut total = 0;
        for fruit in fruits {
            for (name, count) in fruit.types {
                *types.entry(name).or_default() += count;
            }
            for (month, count) in fruit.months {
                *months.entry(month).or_default() += count;
            }
            total += fruit.total;
        }
        let mut types: Vec<(String, usize)> = types.into_iter().collect();
        types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let months = months
            .into_iter()
            .rev()
            .map(|(month, count)| {
                let (year, month) = (month.div_euclid(12), month.rem_euclid(12) + 1);
                (format!("{year:04}-{month:02}"), count)
            })
            .collect();
        Ok((Facets { types, months }, total))
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
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
            total: self.total,
        }
    }
}

/// `year * 12 + month - 1` of the day `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn month_key(days: u64) -> i64 {
    let z = i64::try_from(days).unwrap_or(i64::MAX / 2) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    year * 12 + month - 1
}

#[cfg(test)]
mod tests {
    use super::month_key;

    #[test]
    fn days_fall_in_their_months() {
        assert_eq!(month_key(0), 1970 * 12);
        assert_eq!(month_key(31), 1970 * 12 + 1);
        // 2024-02-29 and 2024-03-01.
        assert_eq!(month_key(19_782), 2024 * 12 + 1);
        assert_eq!(month_key(19_783), 2024 * 12 + 2);
    }
}
