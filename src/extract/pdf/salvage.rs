//! Text salvaged from a file whose objects cannot be loaded (cut short before its catalog, or
//! corrupted): every compressed stream that inflates to page content is run on its own, its
//! fonts unknown (read as Latin-1), one page each, in file order.

use lopdf::{Dictionary, Document, Object, Stream};

use super::content::{FontCache, TextWriter};
use super::objects::Objects;
use super::{ExtractError, PAGE_BREAK};

/// How far before `stream` its dictionary is looked for.
const MAX_DICT_BYTES: usize = 1024;

/// The text of the page content streams in `bytes`, pages separated by form feeds; `None` when
/// none shows any text.
pub(super) fn salvage(bytes: &[u8], max_inflated: usize) -> Result<Option<String>, ExtractError> {
    let objects = Objects {
        document: Document::new(),
        max_inflated,
    };
    let mut fonts = FontCache::default();
    let mut text = String::new();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"stream") {
        let keyword = from + found;
        from = keyword + b"stream".len();
        let Some(start) = data_start(bytes, from) else {
            continue;
        };
        if !is_flate(&bytes[keyword.saturating_sub(MAX_DICT_BYTES)..keyword]) {
            continue;
        }
        let end = memchr::memmem::find(&bytes[start..], b"endstream")
            .map_or(bytes.len(), |at| start + at);
        from = end;
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let Some(content) = objects.data(&Stream::new(dict, bytes[start..end].to_vec()))? else {
            continue;
        };
        if !is_page_content(&content) {
            continue;
        }
        if !text.is_empty() {
            text.push(PAGE_BREAK);
        }
        TextWriter::new(&objects, &mut fonts, &mut text).run(&content, None, 0)?;
    }
    Ok((!text.chars().all(char::is_whitespace)).then_some(text))
}

/// Where a stream's data starts after its keyword ends at `at`: past the end of line, when the
/// keyword is `stream` and not the end of `endstream`.
fn data_start(bytes: &[u8], at: usize) -> Option<usize> {
    let keyword = at.checked_sub(b"stream".len())?;
    if bytes[..keyword].ends_with(b"end") {
        return None;
    }
    match bytes.get(at..at + 2)? {
        [b'\r', b'\n'] => Some(at + 2),
        [b'\n', _] | [b'\r', _] => Some(at + 1),
        _ => None,
    }
}

/// True when the end of a stream's dictionary, before its `stream` keyword, names Flate
/// compression and no image or object stream.
fn is_flate(before: &[u8]) -> bool {
    let dict = memchr::memmem::rfind(before, b"obj").map_or(before, |at| &before[at..]);
    memchr::memmem::find(dict, b"/FlateDecode").is_some()
        && memchr::memmem::find(dict, b"/Image").is_none()
        && memchr::memmem::find(dict, b"/ObjStm").is_none()
        && memchr::memmem::find(dict, b"/XRef").is_none()
}

/// True when inflated data looks like a page's content: it begins a text object and shows text.
fn is_page_content(data: &[u8]) -> bool {
    memchr::memmem::find(data, b"BT").is_some()
        && (memchr::memmem::find(data, b"Tj").is_some()
            || memchr::memmem::find(data, b"TJ").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compressed content stream object showing `text`, as a cut file still holds it.
    fn content_object(number: u32, text: &str) -> Vec<u8> {
        // Long enough for compression to pay, which `compress` requires.
        let content = format!("BT /F1 12 Tf ({text}) Tj ET{}", " q Q".repeat(50)).into_bytes();
        let mut stream = Stream::new(Dictionary::new(), content);
        stream.compress().unwrap();
        let mut object = format!(
            "{number} 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            stream.content.len()
        )
        .into_bytes();
        object.extend_from_slice(&stream.content);
        object.extend_from_slice(b"\nendstream\nendobj\n");
        object
    }

    #[test]
    fn page_contents_of_a_broken_file_are_read_in_order() {
        let mut bytes = b"%PDF-1.5\n".to_vec();
        bytes.extend(content_object(
            4,
            "first page text, long enough to be compressed",
        ));
        bytes.extend(content_object(
            7,
            "second page text, long enough to be compressed",
        ));
        bytes.extend_from_slice(b"9 0 obj\n<< /Type /ObjStm /Filter /Fla");
        let text = salvage(&bytes, 1 << 20).unwrap().unwrap();
        let pages: Vec<&str> = text.split(PAGE_BREAK).collect();
        assert_eq!(pages.len(), 2, "{text:?}");
        assert!(pages[0].starts_with("first page"), "{text:?}");
        assert!(pages[1].starts_with("second page"), "{text:?}");
    }

    #[test]
    fn a_file_without_page_content_has_nothing_to_salvage() {
        assert!(
            salvage(b"%PDF-1.4\n1 0 obj\n<< >>\nstream\nendstream", 1 << 20)
                .unwrap()
                .is_none()
        );
    }
}
