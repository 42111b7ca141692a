//! Right-to-left text (Hebrew, Arabic) back in reading order. Content streams draw glyphs left
//! to right, so a right-to-left run comes out reversed: each such run of a line is turned round,
//! numbers inside it kept as drawn, as pdftotext does.

/// True for a letter of a right-to-left script.
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c.is_alphabetic()
}

/// True for a character that keeps a left-to-right run going: a letter of any other script.
fn is_left_to_right(c: char) -> bool {
    c.is_alphabetic() && !is_right_to_left(c)
}

/// `text` with every right-to-left run of each line in reading order, or `None` when it has no
/// right-to-left letters (the usual case, checked on the bytes first).
pub(super) fn reading_order(text: &str) -> Option<String> {
    // Hebrew and Arabic letters start with these bytes in UTF-8; presentation forms with 0xEF.
    let maybe = text
        .bytes()
        .any(|b| (0xD6..=0xE0).contains(&b) || b == 0xEF);
    if !maybe || !text.chars().any(is_right_to_left) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        push_line(&mut out, line);
    }
    Some(out)
}

/// Appends `line` with its right-to-left runs reversed.
fn push_line(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        if !is_right_to_left(chars[at]) {
            out.push(chars[at]);
            at += 1;
            continue;
        }
        // The run goes on to its last right-to-left letter before a left-to-right one.
        let mut end = at;
        for (offset, &c) in chars[at..].iter().enumerate() {
            if is_left_to_right(c) {
                break;
            }
            if is_right_to_left(c) {
                end = at + offset;
            }
        }
        push_reversed(out, &chars[at..=end]);
        at = end + 1;
    }
}

/// Appends `run` back to front, its digit sequences and bracket pairs kept the right way round.
fn push_reversed(out: &mut String, run: &[char]) {
    let mut at = run.len();
    while at > 0 {
        let c = run[at - 1];
        if c.is_ascii_digit() {
            let start = run[..at]
                .iter()
                .rposition(|c| !c.is_ascii_digit())
                .map_or(0, |before| before + 1);
            out.extend(&run[start..at]);
            at = start;
            continue;
        }
        out.push(match c {
            '(' => ')',
            ')' => '(',
            '[' => ']',
            ']' => '[',
            c => c,
        });
        at -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_runs_are_turned_round() {
        // "שלום עולם" drawn left to right, then an English word.
        let drawn = "םלוע םולש and 2020 ימי 12 בג\nx";
        assert_eq!(
            reading_order(drawn).as_deref(),
            Some("שלום עולם and 2020 גב 12 ימי\nx")
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(reading_order("plain café text"), None);
    }
}
