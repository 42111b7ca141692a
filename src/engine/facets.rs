//! Facets: how many of all the documents a query matches are of each type and were modified in
//! each month, whichever engine counted them, and the calendar that puts a day in its month.

use std::collections::BTreeMap;

/// Counts of matching documents, by value, largest count first (ties in value order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// By document type (`pdf`, `html`...).
    pub types: Vec<(String, usize)>,
    /// By month of modification, `YYYY-MM` in UTC, newest first.
    pub months: Vec<(String, usize)>,
}

impl Facets {
    /// The facets of counts by type name and by month key ([`month_key`]): types largest count
    /// first (ties in name order), months newest first, as `YYYY-MM`.
    pub fn from_counts(types: BTreeMap<String, usize>, months: BTreeMap<i64, usize>) -> Facets {
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
        Facets { types, months }
    }
}

/// Nanoseconds in a day: `mtime` is in nanoseconds, months are counted by day.
pub const NANOS_PER_DAY: u64 = 86_400 * 1_000_000_000;

/// `year * 12 + month - 1` of the day `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
pub fn month_key(days: u64) -> i64 {
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
        let facets = Facets::from_counts(types, months);
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
