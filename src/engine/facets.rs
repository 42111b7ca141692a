//! Facets: how many of all the documents a query matches are of each type, were modified in
//! each month and are in each folder, whichever engine counted them, and the month of a day.

use std::collections::BTreeMap;

use crate::calendar::civil_from_days;

/// Counts of matching documents, by value, largest count first (ties in value order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// By document type (`pdf`, `html`...).
    pub types: Vec<(String, usize)>,
    /// By month of modification, `YYYY-MM` in UTC, newest first.
    pub months: Vec<(String, usize)>,
    /// By folder, relative to its root (`drivers/usb`): the folders one level below the roots,
    /// or below the folder of the search's one path filter (`--path drivers`: `drivers/usb`,
    /// `drivers/net`...). A document directly in that folder is in none of them.
    pub folders: Vec<(String, usize)>,
}

impl Facets {
    /// The facets of counts by type name, by month key ([`month_key`]) and by folder: types
    /// and folders largest count first (ties in name order), months newest first, as `YYYY-MM`.
    pub fn from_counts(
        types: BTreeMap<String, usize>,
        months: BTreeMap<i64, usize>,
        folders: BTreeMap<String, usize>,
    ) -> Facets {
        let largest_first = |counts: BTreeMap<String, usize>| {
            let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts
        };
        let months = months
            .into_iter()
            .rev()
            .map(|(month, count)| {
                let (year, month) = (month.div_euclid(12), month.rem_euclid(12) + 1);
                (format!("{year:04}-{month:02}"), count)
            })
            .collect();
        Facets {
            types: largest_first(types),
            months,
            folders: largest_first(folders),
        }
    }
}

/// Nanoseconds in a day: `mtime` is in nanoseconds, months are counted by day.
pub const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

/// `year * 12 + month - 1` of the day `days` after 1970-01-01.
pub fn month_key(days: u64) -> i64 {
    let (year, month, _) = civil_from_days(i64::try_from(days).unwrap_or(i64::MAX / 2));
    year * 12 + month - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fall_in_their_months() {
        assert_eq!(month_key(0), 1970 * 12);
        assert_eq!(month_key(31), 1970 * 12 + 1);
        // 2024-02-29 and 2024-03-01.
        assert_eq!(month_key(19_782), 2024 * 12 + 1);
        assert_eq!(month_key(19_783), 2024 * 12 + 2);
    }

    #[test]
    fn types_rank_by_count_and_months_newest_first() {
        let types = BTreeMap::from([
            ("pdf".to_string(), 2),
            ("html".to_string(), 2),
            ("text".to_string(), 5),
        ]);
        let months = BTreeMap::from([(2023 * 12, 1), (2024 * 12 + 1, 3)]);
        let facets = Facets::from_counts(types, months, BTreeMap::new());
        assert_eq!(
            facets.types,
            [
                ("text".to_string(), 5),
                ("html".to_string(), 2),
                ("pdf".to_string(), 2)
            ]
        );
        assert_eq!(
            facets.months,
            [("2024-02".to_string(), 3), ("2023-01".to_string(), 1)]
        );
    }
}
