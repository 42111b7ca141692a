//! The numbers after a clause's `~`: a fuzzy word's edit distance, a phrase's slop.

use super::lexer::parse_decimal;
use super::QuerySyntaxError;

/// The edit distance of `text~slop`. `~` alone means 2 and `~0`, `~1`, `~2` mean themselves.
///
/// For compatibility Lucene still accepts a legacy minimum similarity in (0, 1) such as `~0.8`; we
/// convert it exactly like Lucene's `FuzzyQuery.floatToEdits`: `min(floor((1 - sim) * length), 2)`
/// where length counts the term's characters. Anything else (`~7`, `~1.5`, `~x`) is an error
/// (Lucene silently caps or ignores those).
pub(super) fn fuzzy_distance(slop: &str, text: &str, pos: usize) -> Result<u8, QuerySyntaxError> {
    if slop.is_empty() {
        return Ok(2);
    }
    let error = || QuerySyntaxError::new("fuzzy distance must be 0, 1 or 2", pos);
    let similarity = f64::from(parse_decimal(slop).ok_or_else(error)? as f32);
    if similarity.fract() == 0.0 {
        if similarity <= 2.0 {
            return Ok(similarity as u8);
        }
    } else if similarity < 1.0 {
        let length = text.chars().count() as f64;
        return Ok(((1.0 - similarity) * length).floor().min(2.0) as u8);
    }
    Err(error())
}

/// The slop of `"a phrase"~slop`: 0 when absent, fractions are truncated like Lucene does.
pub(super) fn phrase_slop(slop: &str, pos: usize) -> Result<u32, QuerySyntaxError> {
    if slop.is_empty() {
        return Ok(0);
    }
    match parse_decimal(slop) {
        Some(n) if n <= f64::from(u32::MAX) => Ok(n as u32),
        Some(_) => Err(QuerySyntaxError::new("phrase slop is too large", pos)),
        None => Err(QuerySyntaxError::new(
            "expected a number after '~', e.g. '\"a b\"~2'",
            pos,
        )),
    }
}
