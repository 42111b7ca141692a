//! E-mail messages (RFC 5322 and MIME): an `.eml` file, a file of a Maildir folder, a message of
//! a mailbox. A message is a document whose title is its subject and whose text is its body (the
//! `text/plain` parts; an HTML body as text, through the HTML extractor, when it has no plain
//! one), with its sender, recipients and date; each attachment is handed back to be read as a
//! member of the message, by its own format.
//!
//! Parsing is Stalwart's `mail-parser`: it decodes quoted-printable, base64, RFC 2047 encoded
//! words and every charset (ISO-8859-*, Windows-125*, Shift_JIS, GB18030...), and walks the MIME
//! tree with a stack of its own, so a tree nested 1000 deep costs memory, not the call stack.

use std::collections::HashSet;

use mail_parser::{Address, MessageParser, MimeHeaders, PartType};

use super::{html, Attachment, DocumentType, Envelope, ExtractError, ExtractOptions, Extracted};
use super::{Format, Message, Reader};

/// E-mail messages: `.eml` files, and any file that opens with a message's headers (a Maildir
/// names its messages `1700000000.M1P2.host:2,S`).
pub const MESSAGE: Format = Format {
    kind: DocumentType::Mail,
    extensions: &["eml"],
    magic: is_message,
    binary: true,
    extract: Reader::Message(read_message),
};

/// Header names a message has and other `Name: value` files (YAML, HTTP headers) seldom do.
const MAIL_HEADERS: [&str; 9] = [
    "date",
    "subject",
    "to",
    "cc",
    "message-id",
    "received",
    "return-path",
    "mime-version",
    "delivered-to",
];

/// `head` without the mbox `From ` line it may open with (a message saved from a mailbox).
fn skip_from_line(head: &[u8]) -> &[u8] {
    if !head.starts_with(b"From ") {
        return head;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => &head[end + 1..],
        None => &[],
    }
}

/// True when `head` opens an e-mail message: after an optional mbox `From ` line, a block of
/// `Name: value` header lines (folded lines allowed) that holds a `From:` header, spelled with a
/// capital as every mailer writes it, and another header only mail has. A YAML file of
/// lower-case keys or a page that merely mentions a sender is not a message.
pub fn is_message(head: &[u8]) -> bool {
    let headers = skip_from_line(head);
    let mut from = false;
    let mut other = false;
    let mut lines = headers.split(|&byte| byte == b'\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            // The end of the headers (or of the head, cut in a line, if none came).
            break;
        }
        if !first && matches!(line.first(), Some(b' ' | b'\t')) {
            continue;
        }
        first = false;
        let Some(name) = header_name(line) else {
            // A cut last line is no evidence either way; any other line must be a header.
            return lines.peek().is_none() && from && other;
        };
        if name == b"From" || name == b"FROM" {
            from = true;
        } else if let Ok(name) = std::str::from_utf8(name) {
            other |= MAIL_HEADERS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(name));
        }
    }
    from && other
}

/// The name of the header `line` (`Name: value`), if it is one: printable ASCII other than
/// the colon, then a colon.
fn header_name(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memchr(b':', line)?;
    let name = &line[..colon];
    (!name.is_empty() && name.iter().all(|&byte| byte.is_ascii_graphic())).then_some(name)
}

/// Reads the message in `bytes`: body, subject, envelope, date and attachments.
fn read_message(bytes: &[u8], _options: &ExtractOptions) -> Result<Message, ExtractError> {
    let bytes = skip_from_line(bytes);
    let parsed = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| ExtractError::Damaged("not an e-mail message".to_string()))?;
    let envelope = Envelope {
        from: addresses([parsed.from()]),
        to: addresses([parsed.to(), parsed.cc(), parsed.bcc()]),
    };
    let date = parsed
        .date()
        .and_then(|date| u64::try_from(date.to_timestamp()).ok())
        .and_then(|seconds| seconds.checked_mul(1_000_000_000));
    let title = parsed.subject().map(str::to_string);
    let text = body_text(&parsed);
    let mut names = HashSet::new();
    let attachments = parsed
        .attachments()
        .enumerate()
        .map(|(index, part)| {
            let name = unique_name(attachment_name(part, index), &mut names);
            Attachment {
                name,
                bytes: part.contents().to_vec(),
            }
        })
        .collect();
    Ok(Message {
        // The message's date is its own field: its text carries none.
        extracted: Extracted {
            text,
            title,
            date: None,
        },
        envelope,
        date,
        attachments,
    })
}

/// The text of the message's body: its plain-text parts, or its HTML parts as text where it
/// has no plain one, separated by blank lines.
fn body_text(message: &mail_parser::Message<'_>) -> String {
    let mut text = String::new();
    for part in message.text_bodies() {
        let part_text = match &part.body {
            PartType::Text(plain) => plain.to_string(),
            PartType::Html(page) => html::page_text(page.as_bytes()).text,
            // A body part that is not text (a message whose body is an image) has no text.
            PartType::Binary(_)
            | PartType::InlineBinary(_)
            | PartType::Message(_)
            | PartType::Multipart(_) => continue,
        };
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(part_text.trim_end());
    }
    text
}

/// The addresses of the headers in `headers`, each as `Name <address>` (or the one of them it
/// has), comma-separated.
fn addresses<'a, const N: usize>(headers: [Option<&'a Address<'a>>; N]) -> String {
    let mut shown = Vec::new();
    for address in headers.into_iter().flatten() {
        for addr in address.iter() {
            let one = match (addr.name(), addr.address()) {
                (Some(name), Some(address)) => format!("{name} <{address}>"),
                (Some(only), None) | (None, Some(only)) => only.to_string(),
                (None, None) => continue,
            };
            shown.push(one);
        }
    }
    shown.join(", ")
}

/// The file name of an attachment, the `index`th of its message: the one it gives (its last
/// path component: a name is a label, never a path), or `attachment-N` with an extension its
/// MIME type suggests (a format is also recognised by its bytes).
fn attachment_name(part: &mail_parser::MessagePart<'_>, index: usize) -> String {
    let given = part
        .attachment_name()
        .map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name).trim())
        .filter(|name| !name.is_empty());
    if let Some(name) = given {
        return name.to_string();
    }
    let extension = match &part.body {
        PartType::Message(_) => ".eml",
        PartType::Html(_) => ".html",
        PartType::Text(_) => ".txt",
        PartType::Binary(_) | PartType::InlineBinary(_) | PartType::Multipart(_) => {
            match part.content_type().and_then(|kind| kind.subtype()) {
                Some(subtype) if subtype.eq_ignore_ascii_case("pdf") => ".pdf",
                Some(subtype) if subtype.eq_ignore_ascii_case("zip") => ".zip",
                _ => "",
            }
        }
    };
    format!("attachment-{}{extension}", index + 1)
}

/// `name`, or `name (2)`, `name (3)`... if a previous attachment of the message took it: a
/// message may attach two files of the same name, and each must be a member of its own.
fn unique_name(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
        _ => (name.as_str(), String::new()),
    };
    let unique = (2..)
        .map(|count| format!("{stem} ({count}){extension}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default();
    taken.insert(unique.clone());
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_known_by_its_headers() {
        assert!(is_message(
            b"Return-Path: <a@b>\nFrom: A <a@b>\nSubject: hi\n\nbody"
        ));
        assert!(is_message(
            b"From: a@b\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n"
        ));
        assert!(is_message(
            b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nTo: c@d\n\nx"
        ));
        // Folded header lines belong to the header above.
        assert!(is_message(b"Subject: a long\n  subject\nFrom: a@b\n\n"));
        // Lower-case keys: YAML, not mail.
        assert!(!is_message(b"from: a\nto: b\n"));
        // A sender alone, or a line that is not a header, is not enough.
        assert!(!is_message(b"From: a@b\nX-Note: 1\n\n"));
        assert!(!is_message(b"Dear all,\nFrom: a@b\nDate: today\n"));
        assert!(!is_message(b""));
    }

    #[test]
    fn attachments_of_the_same_name_get_distinct_names() {
        let mut taken = HashSet::new();
        assert_eq!(unique_name("a.pdf".into(), &mut taken), "a.pdf");
        assert_eq!(unique_name("a.pdf".into(), &mut taken), "a (2).pdf");
        assert_eq!(unique_name("a.pdf".into(), &mut taken), "a (3).pdf");
        assert_eq!(unique_name("notes".into(), &mut taken), "notes");
        assert_eq!(unique_name("notes".into(), &mut taken), "notes (2)");
    }
}
