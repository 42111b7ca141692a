//! Mailboxes in the mbox format, whatever their name: messages one after another, each opened by
//! a `From ` line. A mailbox is an archive of messages: its reader streams it and hands each
//! message on as a member, numbered from 1 in mailbox order (`inbox.mbox::3`), so that a
//! mailbox of 100,000 messages is never held whole. The number is the member's name because it
//! is always there, short, unique within the mailbox, and says where the message is; a
//! Message-ID may be missing, repeated (a message saved twice) or long. A changed mailbox has
//! all its messages replaced (see `container`), so numbers that shift never go stale.

use std::io::{BufRead, BufReader, Read};

use super::{DocumentType, ExtractError, Format, Input, RawMember, Reader};

/// Mailboxes: `.mbox` (and `.mbx`) files, and any file that opens with a `From ` line and the
/// headers of a message.
pub const MBOX: Format = Format {
    kind: DocumentType::Mbox,
    extensions: &["mbox", "mbx"],
    magic: |head| head.starts_with(b"From ") && super::mail::is_message(head),
    binary: true,
    extract: Reader::Archive(mbox_members),
};

/// A message is held whole to be parsed, up to this many times the size cap of a document: it
/// holds its attachments base64-encoded (4/3 of their size) and may hold several, each of which
/// the cap then bounds on its own. A message larger still is skipped as too large.
pub const MESSAGE_SIZE_FACTOR: u64 = 4;

/// Lines are read at most this many bytes at a time: a line with no end costs no more.
const LINE_CHUNK: u64 = 64 << 10;

/// True when `line`, starting with `From `, has a time in it (`From a@b Mon Jan  1 00:00:00
/// 2024`), as every mailer writes them: a body line that starts with `From ` but was not escaped
/// as `>From ` (writers should escape it) seldom has one.
fn has_time(line: &[u8]) -> bool {
    line.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// True when `line` is an escaped `From ` line of a body (`>From `, `>>From `...), which the
/// mboxrd format unescapes by one `>`.
fn is_escaped_from(line: &[u8]) -> bool {
    let quotes = line.iter().take_while(|&&byte| byte == b'>').count();
    quotes > 0 && line[quotes..].starts_with(b"From ")
}

/// Hands each message of the mailbox `input` to `each`, numbered from 1, as it streams past. A
/// `From ` line with a time starts a message (see [`has_time`]).
/// Messages larger than [`MESSAGE_SIZE_FACTOR`] times `limit` are handed on with their size
/// and no bytes (the walk skips them as too large); the others with their bytes and size 0,
/// since an mbox declares no sizes and the message is already held.
fn mbox_members(
    input: Input<'_>,
    limit: u64,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    let reader: &mut dyn Read = match input {
        Input::Seekable(reader) => reader,
        Input::Stream(reader) => reader,
    };
    let mut reader = BufReader::with_capacity(LINE_CHUNK as usize, reader);
    let cap = limit.saturating_mul(MESSAGE_SIZE_FACTOR);
    let mut message = Vec::new();
    let mut size = 0u64;
    let mut number = 0u64;
    let mut line = Vec::new();
    let mut at_line_start = true;
    loop {
        line.clear();
        let read = (&mut reader)
            .take(LINE_CHUNK)
            .read_until(b'\n', &mut line)
            .map_err(|err| ExtractError::Damaged(format!("mailbox: {err}")))?;
        if read == 0 {
            break;
        }
        let line_start = at_line_start;
        at_line_start = line.ends_with(b"\n");
        if line_start && line.starts_with(b"From ") && has_time(&line) {
            if number > 0 {
                hand_on(number, &message, size, cap, each)?;
            }
            number += 1;
            message.clear();
            size = 0;
            continue;
        }
        if number == 0 {
            // Before the first message (a mailbox inside an archive, by its name): nothing.
            continue;
        }
        let kept = if line_start && is_escaped_from(&line) {
            &line[1..]
        } else {
            &line[..]
        };
        size = size.saturating_add(kept.len() as u64);
        if size <= cap {
            message.extend_from_slice(kept);
        }
    }
    if number > 0 {
        hand_on(number, &message, size, cap, each)?;
    }
    Ok(())
}

/// Hands message `number` on: its bytes, or (past `cap`) only its size.
fn hand_on(
    number: u64,
    message: &[u8],
    size: u64,
    cap: u64,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    let held = size <= cap;
    each(RawMember {
        name: number.to_string(),
        size: if held { 0 } else { size },
        encrypted: false,
        reader: &mut if held { message } else { &[][..] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages `mbox_members` finds in `mailbox`, with a cap of `limit` (times the factor).
    fn messages(mailbox: &[u8], limit: u64) -> Vec<(String, u64, String)> {
        let mut found = Vec::new();
        mbox_members(Input::Stream(&mut &mailbox[..]), limit, &mut |raw| {
            let mut text = String::new();
            raw.reader.read_to_string(&mut text).unwrap();
            found.push((raw.name, raw.size, text));
            Ok(())
        })
        .unwrap();
        found
    }

    #[test]
    fn messages_are_split_at_from_lines_and_unescaped() {
        let mailbox = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nFrom here on\n>From the top\n\nFrom c@d Tue Jan  2 00:00:00 2024\nSubject: two\n\nbody\n";
        let found = messages(mailbox, 1 << 20);
        assert_eq!(
            found,
            [
                (
                    "1".to_string(),
                    0,
                    "Subject: one\n\nFrom here on\nFrom the top\n\n".to_string()
                ),
                ("2".to_string(), 0, "Subject: two\n\nbody\n".to_string()),
            ]
        );
    }

    #[test]
    fn a_message_past_the_cap_is_handed_on_without_its_bytes() {
        let mut mailbox = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: big\n\n".to_vec();
        mailbox.extend("x".repeat(100).as_bytes());
        mailbox.extend(b"\n\nFrom a@b Mon Jan  1 00:00:00 2024\nSubject: small\n\nok\n");
        let found = messages(&mailbox, 10);
        assert_eq!(found[0].0, "1");
        assert!(found[0].1 > 40 && found[0].2.is_empty(), "{found:?}");
        assert_eq!(
            found[1],
            ("2".to_string(), 0, "Subject: small\n\nok\n".to_string())
        );
    }
}
