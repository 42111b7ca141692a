//! A tiny tokenizer: splits text into lowercase terms and remembers the
//! byte offsets of every token so a search engine can highlight matches.

#[derive(Debug, PartialEq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Splits on anything that is not alphanumeric. Unicode aware:
/// words with accents or non-Latin letters stay single tokens.
pub fn tokenize(input: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, ch) in input.char_indices() {
        match (ch.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push(Token { text: &input[s..i], start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(Token { text: &input[s..], start: s, end: input.len() });
    }
    tokens
}

/// Wraps every token equal to `term` (case-insensitive) in <mark> tags.
pub fn highlight(input: &str, term: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for tok in tokenize(input) {
        if tok.text.to_lowercase() == term.to_lowercase() {
            out.push_str(&input[last..tok.start]);
            out.push_str("<mark>");
            out.push_str(tok.text);
            out.push_str("</mark>");
            last = tok.end;
        }
    }
    out.push_str(&input[last..]);
    out
}

fn main() {
    let line = "The lantern lights the search; the search finds the lantern.";
    for t in tokenize(line) {
        println!("{:>3}..{:<3} {}", t.start, t.end, t.text);
    }
    println!("{}", highlight(line, "lantern"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation() {
        let toks: Vec<_> = tokenize("tokio::sync, std-lib!").into_iter().map(|t| t.text).collect();
        assert_eq!(toks, ["tokio", "sync", "std", "lib"]);
    }
}
