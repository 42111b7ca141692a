//! Containers written the way their tools write them, for the tests of archives, mailboxes and
//! their members on either engine: zip, tar and gzip archives, MIME messages and mailboxes.

use std::io::Write;

use base64::Engine;

/// A zip archive of `members` (name, bytes), deflated.
pub fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(*name, options).expect("start a member");
        writer.write_all(bytes).expect("write a member");
    }
    writer.finish().expect("finish the zip").into_inner()
}

/// A tar archive of `members` (name, bytes). Names are written as they are, `..` and leading
/// slashes included (as a hostile tool would; the tar crate's own setter refuses them).
pub fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        let field = &mut header.as_gnu_mut().expect("a GNU header").name;
        field[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *bytes).expect("append a member");
    }
    builder.into_inner().expect("finish the tar")
}

/// `bytes` gzipped.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// `bytes` in base64, in lines of 76 characters as MIME writes it.
pub fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut lines = String::new();
    for chunk in encoded.as_bytes().chunks(76) {
        lines.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        lines.push_str("\r\n");
    }
    lines
}

/// A message from `from` to `to` about `subject`, with a plain-text `body` and `attachments`
/// (file name, MIME type, bytes) in base64.
pub fn message(
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
    attachments: &[(&str, &str, &[u8])],
) -> String {
    let mut text = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\n\
         Date: Tue, 14 May 2024 09:30:00 +0000\r\nMessage-ID: <{}@example.com>\r\n\
         MIME-Version: 1.0\r\n",
        subject.len()
    );
    if attachments.is_empty() {
        text.push_str(&format!(
            "Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        ));
        return text;
    }
    text.push_str("Content-Type: multipart/mixed; boundary=\"=-sep\"\r\n\r\n");
    text.push_str(&format!(
        "--=-sep\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ));
    for (name, mime, bytes) in attachments {
        text.push_str(&format!(
            "--=-sep\r\nContent-Type: {mime}; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            base64_lines(bytes)
        ));
    }
    text.push_str("--=-sep--\r\n");
    text
}

/// A mailbox of `messages`, each behind its `From ` line, `From ` lines of bodies escaped.
pub fn mbox(messages: &[String]) -> String {
    let mut mailbox = String::new();
    for message in messages {
        mailbox.push_str("From sender@example.com Tue May 14 09:30:00 2024\n");
        for line in message.replace("\r\n", "\n").lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                mailbox.push('>');
            }
            mailbox.push_str(line);
            mailbox.push('\n');
        }
        mailbox.push('\n');
    }
    mailbox
}
