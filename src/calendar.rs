//! Dates of the proleptic Gregorian calendar in UTC, as the index keeps instants (nanoseconds since
//! the Unix epoch): reading a document's own date (a PDF's `D:20240315102030+01'00'`, an office
//! file's `2024-03-15T10:20:30Z`), the day numbers query dates are made of, and writing an instant
//! back for people to read. One place, so that the index, queries, facets and outputs agree.

/// Nanoseconds in a second.
pub const NANOS_PER_SECOND: u64 = 1_000_000_000;
/// Seconds in a day.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// Days from 1970-01-01 to a date (Howard Hinnant's `days_from_civil`); negative before 1970.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// An instant as `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds).
pub fn format_utc(nanos: u64) -> String {
    let seconds = nanos / NANOS_PER_SECOND;
    let days = i64::try_from(seconds / SECONDS_PER_DAY).unwrap_or(i64::MAX / 2);
    let (year, month, day) = civil_from_days(days);
    let in_day = seconds % SECONDS_PER_DAY;
    let (hour, minute, second) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// A date a document gives for itself, as nanoseconds since the epoch: a PDF date
/// (`D:YYYYMMDDHHmmSS` and a zone, `Z` or `+HH'mm'`, every part after the year optional) or a
/// W3C/ISO 8601 one (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `THH:MM`, `:SS`, `.fff` and a zone,
/// `Z` or `+HH:MM`). A date without a zone is taken as UTC. `None` for anything else, or a
/// date before 1970 (which the index cannot hold).
pub fn parse_document_date(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, zone) = match text.strip_prefix("D:") {
        Some(pdf) => split_pdf(pdf)?,
        None if text.len() >= 4 && text.as_bytes()[4..].first().is_some_and(|&b| b == b'-') => {
            split_iso(text)?
        }
        None if text.len() == 4 => (text.to_string(), ""),
        None => split_pdf(text)?,
    };
    let field = |at: usize, len: usize, default: i64| -> Option<i64> {
        match digits.get(at..at + len) {
            Some(part) if part.bytes().all(|b| b.is_ascii_digit()) => part.parse().ok(),
            Some(_) => None,
            None if digits.len() <= at => Some(default),
            None => None,
        }
    };
    let year = field(0, 4, 0)?;
    let month = field(4, 2, 1)?;
    let day = field(6, 2, 1)?;
    let (hour, minute, second) = (field(8, 2, 0)?, field(10, 2, 0)?, field(12, 2, 0)?);
    let valid = year >= 1970
        && (1..=12).contains(&month)
        && day >= 1
        && days_from_civil(year, month, day) < next_month(year, month)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid || digits.len() > 14 {
        return None;
    }
    let offset = zone_offset(zone)?;
    let seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY as i64
        + hour * 3600
        + minute * 60
        + second
        - offset;
    u64::try_from(seconds)
        .ok()
        .map(|seconds| seconds.saturating_mul(NANOS_PER_SECOND))
}

/// The first day of the month after `month` of `year`.
fn next_month(year: i64, month: i64) -> i64 {
    match month {
        12 => days_from_civil(year + 1, 1, 1),
        _ => days_from_civil(year, month + 1, 1),
    }
}

/// A PDF date after `D:`: its digits and its zone.
fn split_pdf(text: &str) -> Option<(String, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    (end >= 4).then(|| (text[..end].to_string(), &text[end..]))
}

/// An ISO 8601 date: its digits (`YYYYMMDDHHMMSS`, as far as given) and its zone.
fn split_iso(text: &str) -> Option<(String, &str)> {
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut digits: String = date.split('-').collect();
    let Some(time) = time else {
        return Some((digits, ""));
    };
    let zone_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    // Fractions of a second are dropped.
    let clock = clock.split('.').next().unwrap_or_default();
    if clock.split(':').any(|part| part.len() != 2) {
        return None;
    }
    digits.extend(clock.split(':'));
    Some((digits, zone))
}

/// Seconds east of UTC of a zone: empty or `Z` (0), `+HH`, `+HH:MM`, `+HH'MM'`, `-...`.
fn zone_offset(zone: &str) -> Option<i64> {
    let (sign, rest) = match zone.chars().next() {
        None | Some('Z' | 'z') if zone.len() <= 1 => return Some(0),
        Some('+') => (1, &zone[1..]),
        Some('-') => (-1, &zone[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':' && *c != '\'').collect();
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse::<i64>().ok()?),
        _ => return None,
    };
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<u64> {
        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        Some(seconds as u64 * NANOS_PER_SECOND)
    }

    #[test]
    fn documents_dates_are_read_in_utc() {
        let cases = [
            ("D:20240315102030+01'00'", at(2024, 3, 15, 9, 20, 30)),
            ("D:20240315102030Z", at(2024, 3, 15, 10, 20, 30)),
            ("D:20240315102030-05'30", at(2024, 3, 15, 15, 50, 30)),
            ("D:2024", at(2024, 1, 1, 0, 0, 0)),
            ("20240315", at(2024, 3, 15, 0, 0, 0)),
            ("2024-03-15T10:20:30Z", at(2024, 3, 15, 10, 20, 30)),
            ("2024-03-15T10:20:30.123+02:00", at(2024, 3, 15, 8, 20, 30)),
            ("2024-03-15T10:20:30", at(2024, 3, 15, 10, 20, 30)),
            ("2024-03-15", at(2024, 3, 15, 0, 0, 0)),
            ("2024-03", at(2024, 3, 1, 0, 0, 0)),
            (" 2024 ", at(2024, 1, 1, 0, 0, 0)),
            ("2024-02-29", at(2024, 2, 29, 0, 0, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_document_date(text), expected, "{text}");
        }
        for bad in [
            "",
            "D:",
            "yesterday",
            "2023-02-29",
            "2024-13",
            "D:20241301",
            "1969-12-31",
            "2024-03-15T25:00",
            "2024-03-15T10:20+99:00",
            "D:2024031510203099",
        ] {
            assert_eq!(parse_document_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_and_dates_convert_both_ways() {
        for days in [-1, 0, 59, 365, 19_782, 19_783, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(
            format_utc(at(2024, 2, 29, 23, 5, 9).unwrap_or(0)),
            "2024-02-29T23:05:09Z"
        );
    }
}
