//! Marked, escaped output: the text a reader sees, the marked parts, and well-formed HTML pages.

/// The text a reader sees in marked, escaped output: tags removed, entities decoded.
pub fn visible_text(marked: &str, pre: &str, post: &str) -> String {
    let untagged = marked.replace(pre, "").replace(post, "");
    html_escape::decode_html_entities(&untagged).into_owned()
}

/// The parts of marked, escaped output between `pre` and `post`, as a reader sees them.
pub fn marked(text: &str, pre: &str, post: &str) -> Vec<String> {
    text.split(pre)
        .skip(1)
        .map(|after| {
            let inside = after
                .split_once(post)
                .unwrap_or_else(|| panic!("a mark is not closed in {text:?}"))
                .0;
            html_escape::decode_html_entities(inside).into_owned()
        })
        .collect()
}

/// Asserts `page` is a complete HTML5 page whose tags balance: a doctype, `html`, `head` with a
/// `title`, `body`; every non-void element closed in order; attribute values quoted; no `&` that
/// does not start an entity; no `<script>`. (A strict structural check, stricter than what a
/// forgiving HTML5 parser would accept.)
pub fn assert_well_formed_html(page: &str) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let trimmed = page.trim_start();
    assert!(
        trimmed.to_ascii_lowercase().starts_with("<!doctype html>"),
        "no doctype:\n{page}"
    );
    let mut open: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut rest = trimmed;
    while let Some(start) = rest.find(['<', '&']) {
        let tail = &rest[start..];
        if let Some(after) = tail.strip_prefix('&') {
            let near: String = tail.chars().take(40).collect();
            let name = &after[..after
                .find(';')
                .unwrap_or_else(|| panic!("raw '&' in text near {near:?}"))];
            let valid = !name.is_empty()
                && (name.chars().all(|c| c.is_ascii_alphanumeric())
                    || name
                        .strip_prefix('#')
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_alphanumeric())));
            assert!(valid, "raw '&' in text near {near:?}");
            rest = after;
            continue;
        }
        let end = tag_end(tail).unwrap_or_else(|| panic!("unterminated tag: {tail:.40}"));
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            let expected = open.pop();
            assert_eq!(
                expected.as_deref(),
                Some(name.as_str()),
                "</{name}> closes the wrong element"
            );
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(!name.is_empty(), "not a tag: <{tag}>");
        assert_ne!(name, "script", "a <script> element in the page");
        seen.push(name.clone());
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            // Raw text up to </style>.
            let close = rest.find("</style>").expect("<style> is closed");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        open.push(name);
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    for required in ["html", "head", "title", "body"] {
        assert!(
            seen.iter().any(|name| name == required),
            "no <{required}> in the page"
        );
    }
}

/// The index of the `>` ending the tag that starts `tag`, skipping quoted attribute values; panics
/// on an unquoted attribute value containing a character that would need quotes.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => panic!("'<' inside a tag: {:.60}", tag),
            (None, '>') => return Some(i),
            (None, _) => {}
        }
    }
    None
}

/// The element text of the first `<tag ...>...</tag>` in `page` (tags inside kept).
pub fn element<'a>(page: &'a str, tag: &str) -> &'a str {
    let open = page
        .find(&format!("<{tag}"))
        .unwrap_or_else(|| panic!("no <{tag}> in page"));
    let content = open + page[open..].find('>').expect("tag ends") + 1;
    let close = content
        + page[content..]
            .find(&format!("</{tag}>"))
            .unwrap_or_else(|| panic!("no </{tag}> in page"));
    &page[content..close]
}
