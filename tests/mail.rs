//! E-mail: an `.eml` file, a mailbox (mbox) and a Maildir folder hold messages, each a document
//! titled by its subject, whose attachments are documents of their own (`inbox.mbox::2::q3.pdf`);
//! bodies are decoded (quoted-printable, base64, legacy charsets) and HTML bodies read as text;
//! a changed mailbox has its messages replaced; broken and huge messages are bounded.
//!
//! Every message is written by the test itself, as the bytes a mailer would write.

mod util;

use std::path::Path;

use util::{base64_lines, mbox, message, Dir};

/// The bytes of `sample-docs/NAME`.
fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-docs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn an_eml_in_quoted_printable_latin_1_is_decoded_and_titled_by_its_subject() {
    let dir = Dir::new();
    let mut eml = b"From: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.com>\r\n\
To: bob@example.com\r\n\
Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?=\r\n\
Date: Tue, 14 May 2024 09:30:00 +0000\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=ISO-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        .to_vec();
    eml.extend(b"Le caf=E9 est pr=EAt pour la r=E9union, a long soft=\r\nbreak.\r\n");
    dir.create("mail/note.eml", eml);
    dir.index(&["mail"]);
    let found = dir.search_json(&["prêt"]);
    assert_eq!(found.paths(), ["mail/note.eml"]);
    let hit = &found.hits[0];
    assert_eq!(hit.doc_type, "mail");
    assert_eq!(hit.title.as_deref(), Some("Café crème"));
    assert_eq!(
        hit.fragments,
        ["Le café est <b>prêt</b> pour la réunion, a long softbreak."]
    );
    // Accents folded, as for any document.
    assert_eq!(dir.hit_paths("reunion"), ["mail/note.eml"]);
}

#[test]
fn a_shift_jis_message_is_decoded() {
    let dir = Dir::new();
    let (body, _, _) = encoding_rs::SHIFT_JIS.encode("東京の会議は延期です");
    let mut eml = b"From: taro@example.jp\r\nTo: hanako@example.jp\r\n\
Subject: =?ISO-2022-JP?B?GyRCMnE1RBsoQg==?=\r\nDate: Tue, 14 May 2024 09:30:00 +0900\r\n\
Content-Type: text/plain; charset=Shift_JIS\r\n\r\n"
        .to_vec();
    eml.extend(body.iter());
    eml.extend(b"\r\n");
    dir.create("jp.eml", eml);
    dir.index(&["."]);
    let found = dir.search_json(&["\"延期\""]);
    assert_eq!(found.paths(), ["jp.eml"]);
    assert_eq!(found.hits[0].title.as_deref(), Some("会議"));
    assert_eq!(found.hits[0].fragments, ["東京の会議は<b>延期</b>です"]);
}

#[test]
fn a_mailbox_holds_messages_whose_attachments_are_documents() {
    let dir = Dir::new();
    let pdf = sample("documents/manual.pdf");
    let docx = sample("documents/report.docx");
    let mailbox = mbox(&[
        message(
            "Alice <alice@example.com>",
            "bob@example.com",
            "Lunch on Friday",
            "From now on, lunch is at noon by the harbour.",
            &[],
        ),
        message(
            "Carol <carol@example.org>",
            "Bob <bob@example.com>, dave@example.net",
            "Quarterly papers",
            "The manual and the report are attached.",
            &[
                ("manual.pdf", "application/pdf", &pdf),
                (
                    "report.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    &docx,
                ),
            ],
        ),
        message(
            "erin@example.com",
            "bob@example.com",
            "Harbour closed",
            "The harbour is closed on Monday.",
            &[],
        ),
    ]);
    // A mailbox is known by its content, whatever its name.
    dir.create("Mail/inbox", mailbox);
    let summary = dir.index(&["Mail"]);
    assert_eq!(
        (summary.added, summary.members, summary.archives),
        (1, 5, 1)
    );
    assert_eq!(
        util::sorted(dir.hit_paths("harbour")),
        ["Mail/inbox::1", "Mail/inbox::3"]
    );
    // The `From ` line of a body was escaped in the mailbox, and is text again.
    let lunch = dir.search_json(&["noon"]);
    assert_eq!(
        lunch.hits[0].fragments,
        ["From now on, lunch is at <b>noon</b> by the harbour."]
    );
    assert_eq!(lunch.hits[0].title.as_deref(), Some("Lunch on Friday"));
    // Each attachment is read by its own format, and names the message it came with.
    let pdf_hit = dir.search_json(&["sunset"]);
    assert_eq!(pdf_hit.paths(), ["Mail/inbox::2::manual.pdf"]);
    assert_eq!(pdf_hit.hits[0].doc_type, "pdf");
    assert_eq!(pdf_hit.hits[0].container.as_deref(), Some("Mail/inbox"));
    assert_eq!(pdf_hit.hits[0].member.as_deref(), Some("2::manual.pdf"));
    let docx_hit = dir.search_json(&["tabbed"]);
    assert_eq!(docx_hit.paths(), ["Mail/inbox::2::report.docx"]);
    assert_eq!(docx_hit.hits[0].doc_type, "docx");
    assert_eq!(dir.hit_paths("type:mail").len(), 3);
    assert_eq!(
        dir.hit_paths("path:report.docx"),
        ["Mail/inbox::2::report.docx"]
    );
}

#[test]
fn an_html_only_body_is_read_as_text() {
    let dir = Dir::new();
    let eml = "From: news@example.com\r\nTo: bob@example.com\r\nSubject: Newsletter\r\n\
Date: Tue, 14 May 2024 09:30:00 +0000\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        .to_string()
        + &base64_lines(
            b"<html><head><style>p { color: red }</style></head>\
<body><p>The <b>tapir</b> &amp; the okapi</p><script>var hidden = 1;</script></body></html>",
        );
    dir.create("news.eml", eml);
    dir.index(&["."]);
    let found = dir.search_json(&["tapir"]);
    assert_eq!(found.paths(), ["news.eml"]);
    assert_eq!(
        found.hits[0].fragments,
        ["The <b>tapir</b> &amp; the okapi"]
    );
    for markup in ["color", "hidden", "html"] {
        dir.lantern().args(["search", markup]).assert_exit(1);
    }
}

#[test]
fn each_file_of_a_maildir_is_a_message_and_tmp_is_left_out() {
    let dir = Dir::new();
    let note = |subject: &str, body: &str| {
        message("alice@example.com", "bob@example.com", subject, body, &[])
    };
    dir.create(
        "Maildir/cur/1715679000.M1P2.host:2,S",
        note("Seen", "a seen gecko"),
    );
    dir.create(
        "Maildir/new/1715679001.M3P4.host",
        note("New", "a new gecko"),
    );
    // A message still being delivered.
    dir.create(
        "Maildir/tmp/1715679002.M5P6.host",
        note("Partial", "a partial gecko"),
    );
    dir.index(&["Maildir"]);
    let found = dir.search_json(&["gecko"]);
    let mut seen: Vec<(String, String)> = found
        .hits
        .iter()
        .map(|hit| (hit.path.clone(), hit.title.clone().unwrap_or_default()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "Maildir/cur/1715679000.M1P2.host:2,S".to_string(),
                "Seen".to_string()
            ),
            (
                "Maildir/new/1715679001.M3P4.host".to_string(),
                "New".to_string()
            ),
        ]
    );
    assert!(found.hits.iter().all(|hit| hit.doc_type == "mail"));
}

#[test]
fn a_changed_mailbox_has_its_messages_replaced() {
    let dir = Dir::new();
    let note = |subject: &str, body: &str| {
        message("alice@example.com", "bob@example.com", subject, body, &[])
    };
    dir.create(
        "box.mbox",
        mbox(&[note("First", "first heron"), note("Second", "second heron")]),
    );
    dir.index(&["."]);
    assert_eq!(
        util::sorted(dir.hit_paths("heron")),
        ["box.mbox::1", "box.mbox::2"]
    );
    let again = dir.index(&["."]);
    assert_eq!((again.unchanged, again.members), (1, 0), "not reopened");
    // The first message removed, a third added.
    dir.create(
        "box.mbox",
        mbox(&[
            note("Second", "second heron"),
            note("Third", "third heron, the newest"),
        ]),
    );
    let changed = dir.index(&["."]);
    assert_eq!((changed.updated, changed.members), (1, 2));
    let found = dir.search_json(&["heron"]);
    let mut titles: Vec<(String, String)> = found
        .hits
        .iter()
        .map(|hit| (hit.path.clone(), hit.title.clone().unwrap_or_default()))
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            ("box.mbox::1".to_string(), "Second".to_string()),
            ("box.mbox::2".to_string(), "Third".to_string())
        ]
    );
    dir.lantern().args(["search", "first"]).assert_exit(1);
}

#[test]
fn from_to_and_subject_are_searchable_and_hits_name_the_sender_and_date() {
    let dir = Dir::new();
    dir.create(
        "inbox.mbox",
        mbox(&[
            message(
                "Alice Liddell <alice@example.com>",
                "Bob <bob@example.com>",
                "Budget review",
                "the numbers for spring",
                &[],
            ),
            message(
                "Bob <bob@example.com>",
                "alice@example.com, Carol <carol@example.org>",
                "Re: Budget review",
                "the numbers look fine",
                &[],
            ),
        ]),
    );
    // A document that merely mentions the names is no message from or to them.
    dir.create("notes.txt", "alice wrote to bob about the budget review");
    dir.index(&["."]);
    assert_eq!(dir.hit_paths("from:alice"), ["inbox.mbox::1"]);
    assert_eq!(dir.hit_paths("from:liddell"), ["inbox.mbox::1"]);
    assert_eq!(dir.hit_paths("from:bob@example.com"), ["inbox.mbox::2"]);
    assert_eq!(dir.hit_paths("to:bob@example.com"), ["inbox.mbox::1"]);
    // Cc counts as a recipient.
    assert_eq!(dir.hit_paths("to:carol"), ["inbox.mbox::2"]);
    assert_eq!(
        util::sorted(dir.hit_paths("to:alice OR from:alice")),
        ["inbox.mbox::1", "inbox.mbox::2"]
    );
    assert_eq!(dir.hit_paths("subject:re"), ["inbox.mbox::2"]);
    assert_eq!(
        util::sorted(dir.hit_paths("subject:\"budget review\"")),
        ["inbox.mbox::1", "inbox.mbox::2"]
    );
    dir.lantern().args(["search", "from:carol"]).assert_exit(1);
    // JSON names the sender and the date of a message, and of nothing else.
    let found = dir.search_json(&["numbers"]);
    let first = found.hit("inbox.mbox::1");
    assert_eq!(
        first.from.as_deref(),
        Some("Alice Liddell <alice@example.com>")
    );
    assert_eq!(first.date.as_deref(), Some("2024-05-14T09:30:00Z"));
    assert_eq!(first.title.as_deref(), Some("Budget review"));
    let note = dir.search_json(&["wrote"]);
    assert_eq!(
        (note.hits[0].from.as_ref(), note.hits[0].date.as_ref()),
        (None, None)
    );
    // So does text output, after the subject.
    let text = dir.search_text(&["spring"]);
    assert!(
        text.contains(
            "Budget review · Alice Liddell <alice@example.com> · 2024-05-14 09:30:00 UTC"
        ),
        "{text}"
    );
    // And the HTML page, escaped.
    let page = dir
        .lantern()
        .args(["search", "--format", "html", "spring"])
        .assert_success();
    assert!(
        page.stdout.contains(
            "<div class=\"envelope\">Alice Liddell &#60;alice@example.com&#62; · 2024-05-14 09:30:00 UTC</div>"
        ),
        "{page}"
    );
}

#[test]
fn malformed_mime_trees_are_read_as_far_as_they_go() {
    let dir = Dir::new();
    let headers = |subject: &str, boundary: &str| {
        format!(
            "From: a@example.com\r\nTo: b@example.com\r\nSubject: {subject}\r\n\
             Date: Tue, 14 May 2024 09:30:00 +0000\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
        )
    };
    // A boundary that never ends the last part.
    let unterminated = headers("Unterminated", "b")
        + "--b\r\nContent-Type: text/plain\r\n\r\nan ocelot before the end\r\n--b\r\n\
           Content-Type: application/pdf; name=\"cut.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x";
    dir.create("d/unterminated.eml", unterminated);
    // Multiparts nested 1000 deep around one line of text.
    let depth = 1000;
    let mut nested = headers("Nested", "b0");
    for level in 1..depth {
        nested.push_str(&format!(
            "--b{}\r\nContent-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n",
            level - 1
        ));
    }
    nested.push_str(&format!(
        "--b{}\r\nContent-Type: text/plain\r\n\r\na marmot at the bottom\r\n",
        depth - 1
    ));
    for level in (0..depth).rev() {
        nested.push_str(&format!("--b{level}--\r\n"));
    }
    dir.create("d/nested.eml", nested);
    // A boundary that is declared but never appears, and a part with no headers at all.
    let absent = headers("Absent", "never") + "a lynx in no part at all\r\n";
    dir.create("d/absent.eml", absent);
    dir.create("d/fine.txt", "an ocelot, a marmot and a lynx");
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "d"])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!(summary.added, 4, "{output}");
    // Every message is a document, found by its subject whatever its body became.
    for subject in ["unterminated", "nested", "absent"] {
        assert_eq!(
            dir.hit_paths(&format!("subject:{subject}")),
            [format!("d/{subject}.eml")]
        );
    }
    assert_eq!(
        util::sorted(dir.hit_paths("ocelot")),
        ["d/fine.txt", "d/unterminated.eml"]
    );
    assert_eq!(
        util::sorted(dir.hit_paths("marmot")),
        ["d/fine.txt", "d/nested.eml"]
    );
}

#[test]
fn a_huge_attachment_is_skipped_and_its_message_kept() {
    let dir = Dir::new();
    let big = "a quagga in a very large log line\n".repeat(50 << 20 >> 5);
    assert!(big.len() >= 50 << 20);
    let eml = message(
        "alice@example.com",
        "bob@example.com",
        "The big log",
        "the log of the bison run is attached",
        &[
            ("big.log", "text/plain", big.as_bytes()),
            ("small.txt", "text/plain", b"a small quagga"),
        ],
    );
    dir.create("d/big.eml", eml);
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "d"])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!(
        (summary.added, summary.members, summary.too_large),
        (1, 1, 1),
        "{output}"
    );
    assert!(output.stderr.contains("d/big.eml::big.log"), "{output}");
    assert_eq!(dir.hit_paths("bison"), ["d/big.eml"]);
    assert_eq!(dir.hit_paths("quagga"), ["d/big.eml::small.txt"]);
}

#[test]
fn a_message_past_its_cap_is_skipped_and_named_and_the_mailbox_read_on() {
    let dir = Dir::new();
    let note = |subject: &str, body: &str| {
        message("alice@example.com", "bob@example.com", subject, body, &[])
    };
    let huge = "an enormous aardvark\n".repeat(50_000);
    dir.create(
        "d/box.mbox",
        mbox(&[
            note("Before", "an aardvark before"),
            note("Huge", &huge),
            note("After", "an aardvark after"),
        ]),
    );
    // 100K a document, 400K a message: the second message is 1 MB.
    let output = dir
        .lantern()
        .args(["index", "d", "--max-file-size", "100K"])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!((summary.members, summary.too_large), (2, 1), "{output}");
    assert!(output.stderr.contains("d/box.mbox::2"), "{output}");
    assert_eq!(
        util::sorted(dir.hit_paths("aardvark")),
        ["d/box.mbox::1", "d/box.mbox::3"]
    );
}

#[test]
fn a_mailbox_of_100000_messages_is_read_whole_within_bounded_memory() {
    let dir = Dir::new();
    let count = 100_000;
    let mut mailbox = String::with_capacity(count * 200);
    for number in 1..=count {
        mailbox.push_str(&format!(
            "From a@example.com Tue May 14 09:30:00 2024\nFrom: a@example.com\n\
             Subject: note {number}\nDate: Tue, 14 May 2024 09:30:00 +0000\n\nnote number n{number}\n\n"
        ));
    }
    dir.create("big.mbox", mailbox);
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "."])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!(
        (summary.added, summary.members, summary.archives),
        (1, count as u64, 1),
        "{output}"
    );
    assert_eq!(dir.hit_paths("n99999"), ["big.mbox::99999"]);
    assert_eq!(dir.hit_paths("n1"), ["big.mbox::1"]);
}

#[test]
fn attachments_are_followed_into_archives_and_forwarded_messages() {
    let dir = Dir::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("logs/app.log", zip::write::SimpleFileOptions::default())
        .expect("a zip member");
    std::io::Write::write_all(&mut zip, b"a serval in the log").expect("write the member");
    let zip = zip.finish().expect("finish the zip").into_inner();
    let forwarded = message(
        "Frank <frank@example.com>",
        "alice@example.com",
        "Original note",
        "the original serval sighting",
        &[(
            "notes.txt",
            "text/plain",
            b"a serval in the forwarded notes",
        )],
    );
    let eml = message(
        "alice@example.com",
        "bob@example.com",
        "Fwd: Original note",
        "see below",
        &[
            ("logs.zip", "application/zip", &zip),
            ("original.eml", "message/rfc822", forwarded.as_bytes()),
        ],
    );
    dir.create("fwd.eml", eml);
    dir.index(&["."]);
    assert_eq!(
        util::sorted(dir.hit_paths("serval")),
        [
            "fwd.eml::logs.zip::logs/app.log",
            "fwd.eml::original.eml",
            "fwd.eml::original.eml::notes.txt",
        ]
    );
    let original = dir.search_json(&["sighting"]);
    assert_eq!(original.hits[0].title.as_deref(), Some("Original note"));
    assert_eq!(
        original.hits[0].from.as_deref(),
        Some("Frank <frank@example.com>")
    );
    assert_eq!(original.hits[0].doc_type, "mail");
}
