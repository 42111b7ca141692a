//! The values of `modified:`, `date:` and `size:` clauses: dates (`2024`, `2024-03`, `2024-03-15`), dates
//! relative to now (`now-7d`), sizes with units (`10M`, `1.5G`), and the forms that compare with
//! them (`>=2024-03`, `size:<1K`, `[2024-01-01 TO 2024-06-30]`, `{1M TO *]`).
//!
//! Every value stands for an interval: a day, a month or a year for a date (so that
//! `[2024-01-01 TO 2024-06-30]` includes all of June 30 and `>2024-03` starts in April), one byte
//! for a size, one instant for `now-7d`. A clause comes to one half-open span of the fast field,
//! [`QueryNode::Span`]. Dates are in UTC: the index stores instants, and a query means the same
//! on every machine and from every time zone a server's visitors are in.

use std::ops::Bound;
use std::time::{SystemTime, UNIX_EPOCH};

use super::lexer::{Tok, Token};
use super::QuerySyntaxError;
use crate::calendar::{days_from_civil, NANOS_PER_SECOND, SECONDS_PER_DAY};
use crate::query::ast::{NumericField, QueryNode};

/// The span a `field:` clause made of `token` (a word or a range) stands for, `now` (nanoseconds
/// since the epoch) being what `now` in a date means.
pub(super) fn span_clause(
    field: NumericField,
    token: &Token,
    now: u64,
) -> Result<QueryNode, QuerySyntaxError> {
    let (start, end) = match &token.tok {
        Tok::Word(word) if word.pattern.is_none() => compared(field, &word.text, token.pos, now)?,
        Tok::Range { lower, upper } => {
            let value = |text: &str| value(field, text, token.pos, now);
            let start = match lower {
                Bound::Unbounded => 0,
                Bound::Included(text) => value(text)?.start,
                Bound::Excluded(text) => value(text)?.end,
            };
            let end = match upper {
                Bound::Unbounded => u64::MAX,
                Bound::Included(text) => value(text)?.end,
                Bound::Excluded(text) => value(text)?.start,
            };
            (start, end)
        }
        _ => {
            return Err(QuerySyntaxError::new(
                format!("{} a range or a comparison", what(field)),
                token.pos,
            ))
        }
    };
    Ok(QueryNode::Span { field, start, end })
}

/// `>v`, `>=v`, `<v`, `<=v` or a bare `v` (a relative date bare means "since").
fn compared(
    field: NumericField,
    text: &str,
    pos: usize,
    now: u64,
) -> Result<(u64, u64), QuerySyntaxError> {
    let operators = [(">=", 2), ("<=", 2), (">", 1), ("<", 1), ("", 0)];
    let (operator, len) = operators
        .into_iter()
        .find(|(operator, _)| text.starts_with(operator))
        .unwrap_or(("", 0));
    let value = value(field, &text[len..], pos + len, now)?;
    Ok(match operator {
        ">=" => (value.start, u64::MAX),
        "<=" => (0, value.end),
        ">" => (value.end, u64::MAX),
        "<" => (0, value.start),
        _ if value.relative => (value.start, u64::MAX),
        _ => (value.start, value.end),
    })
}

/// What a value stands for: `start..end` (`end` excluded).
struct Value {
    start: u64,
    end: u64,
    /// Whether it was written relative to now.
    relative: bool,
}

/// Reads one value of `field` at character position `pos`.
fn value(field: NumericField, text: &str, pos: usize, now: u64) -> Result<Value, QuerySyntaxError> {
    let read = match field {
        NumericField::Modified | NumericField::Date => date(text, now),
        NumericField::Size => size(text).map(|bytes| Value {
            start: bytes,
            end: bytes.saturating_add(1),
            relative: false,
        }),
    };
    read.ok_or_else(|| QuerySyntaxError::new(format!("'{text}' is not {}", example(field)), pos))
}

/// What a `field:` clause takes, for error messages.
fn what(field: NumericField) -> String {
    format!("{} takes {},", name(field), example(field))
}

fn name(field: NumericField) -> &'static str {
    match field {
        NumericField::Modified => "modified:",
        NumericField::Date => "date:",
        NumericField::Size => "size:",
    }
}

fn example(field: NumericField) -> &'static str {
    match field {
        NumericField::Modified | NumericField::Date => {
            "a date: 2024, 2024-03, 2024-03-15 (UTC), or now-7d (units h, d, w, y)"
        }
        NumericField::Size => "a size: 512, 10K, 1.5M, 2G (units of 1024 bytes)",
    }
}

/// A size in bytes: a decimal number and an optional unit, `B`, `K`/`KB`/`KiB`, `M`..., `T`...
/// (powers of 1024, as `du -h` and `ls -lh` show sizes), case-insensitive.
fn size(text: &str) -> Option<u64> {
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number = super::lexer::parse_decimal(number)?;
    let unit = unit.to_ascii_lowercase();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(&unit);
    let power = match unit {
        "" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        _ => return None,
    };
    let bytes = number * 1024f64.powi(power);
    // Whole bytes; the largest sizes saturate.
    (bytes.is_finite() && bytes >= 0.0).then(|| bytes.round().min(u64::MAX as f64) as u64)
}

/// A date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (UTC) as the interval of that year, month or day,
/// or `now`, `now-N` + unit (`h`, `d`, `w`, `y` of 365 days) as an instant.
fn date(text: &str, now: u64) -> Option<Value> {
    if let Some(ago) = text.strip_prefix("now") {
        let ago = match ago.strip_prefix('-') {
            None if ago.is_empty() => 0,
            None => return None,
            Some(ago) => {
                let (count, unit) = ago.split_at(ago.find(|c: char| !c.is_ascii_digit())?);
                let seconds = match unit {
                    "h" => 3_600,
                    "d" => SECONDS_PER_DAY,
                    "w" => 7 * SECONDS_PER_DAY,
                    "y" => 365 * SECONDS_PER_DAY,
                    _ => return None,
                };
                count
                    .parse::<u64>()
                    .ok()?
                    .saturating_mul(seconds)
                    .saturating_mul(NANOS_PER_SECOND)
            }
        };
        let at = now.saturating_sub(ago);
        return Some(Value {
            start: at,
            end: at.saturating_add(1),
            relative: true,
        });
    }
    let mut parts = text.split('-');
    let year = number(parts.next()?, 4)?;
    let month = match parts.next() {
        Some(month) => Some(number(month, 2)?),
        None => None,
    };
    let day = match parts.next() {
        Some(day) => Some(number(day, 2)?),
        None => None,
    };
    if parts.next().is_some() || year == 0 || !(1..=12).contains(&month.unwrap_or(1)) {
        return None;
    }
    let month_start = |year: i64, month: i64| days_from_civil(year, month, 1);
    let next_month = |year: i64, month: i64| match month {
        12 => month_start(year + 1, 1),
        _ => month_start(year, month + 1),
    };
    let (start, end) = match (month, day) {
        (None, _) => (month_start(year, 1), month_start(year + 1, 1)),
        (Some(month), None) => (month_start(year, month), next_month(year, month)),
        (Some(month), Some(day)) => {
            let start = days_from_civil(year, month, day);
            // Day 0, or day 30 of February, is not a date.
            if day == 0 || start >= next_month(year, month) {
                return None;
            }
            (start, start + 1)
        }
    };
    let nanos = |days: i64| {
        u64::try_from(days)
            .unwrap_or(0)
            .saturating_mul(SECONDS_PER_DAY * NANOS_PER_SECOND)
    };
    Some(Value {
        start: nanos(start),
        end: nanos(end),
        relative: false,
    })
}

/// `text` as a number of exactly `digits` ASCII digits.
fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The current time in nanoseconds since the Unix epoch (0 for a clock set before it).
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = SECONDS_PER_DAY * NANOS_PER_SECOND;

    #[test]
    fn calendar_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 1),
            29
        );
    }

    #[test]
    fn dates_are_intervals() {
        let day = date("1970-01-02", 0).unwrap();
        assert_eq!((day.start, day.end), (DAY, 2 * DAY));
        let feb = date("2023-02", 0).unwrap();
        assert_eq!((feb.end - feb.start) / DAY, 28);
        let year = date("2024", 0).unwrap();
        assert_eq!((year.end - year.start) / DAY, 366);
        for bad in [
            "2024-02-30",
            "2024-13",
            "24-01-01",
            "2024-1-1",
            "2024-01-01-01",
            "later",
        ] {
            assert!(date(bad, 0).is_none(), "{bad}");
        }
        assert!(date("2024-02-29", 0).is_some());
    }

    #[test]
    fn relative_dates() {
        let now = 30 * DAY;
        assert_eq!(date("now-7d", now).unwrap().start, 23 * DAY);
        assert_eq!(date("now", now).unwrap().start, now);
        assert_eq!(date("now-1w", now).unwrap().start, 23 * DAY);
        for bad in ["now-7", "now-7q", "now7d", "now-d"] {
            assert!(date(bad, now).is_none(), "{bad}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(size("512"), Some(512));
        assert_eq!(size("10K"), Some(10_240));
        assert_eq!(size("1.5m"), Some(1_572_864));
        assert_eq!(size("2GiB"), Some(2 << 30));
        assert_eq!(size("3kb"), Some(3_072));
        for bad in ["", "M", "10X", "1.2.3", "-1"] {
            assert_eq!(size(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparisons() {
        let at = |text| compared(NumericField::Size, text, 0, 0).unwrap();
        assert_eq!(at(">10"), (11, u64::MAX));
        assert_eq!(at(">=10"), (10, u64::MAX));
        assert_eq!(at("<10"), (0, 10));
        assert_eq!(at("<=10"), (0, 11));
        assert_eq!(at("10"), (10, 11));
        let since = compared(NumericField::Modified, "now-1d", 0, 3 * DAY).unwrap();
        assert_eq!(since, (2 * DAY, u64::MAX));
        let error = compared(NumericField::Size, ">=ten", 7, 0).unwrap_err();
        assert_eq!(error.position, 9);
    }
}
