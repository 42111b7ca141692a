//! Archives and compressed files: every member is a document of its own, named by its archive and
//! its path inside (`docs.zip::a/b.txt`); archives in archives are followed; a changed archive's
//! members are replaced; bombs and damaged archives are bounded and counted, never fatal.
//!
//! Every archive is written by the test itself (zip, tar, gzip, bzip2, xz and zstd writers).

mod util;

use std::io::Write;
use std::path::Path;

use util::{gzip, tar, zip, Dir};

/// `bytes` bzip2-compressed.
fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(bytes).expect("bzip2");
    encoder.finish().expect("bzip2")
}

/// `bytes` xz-compressed.
fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut encoder =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).expect("xz");
    encoder.write_all(bytes).expect("xz");
    encoder.finish().expect("xz")
}

/// `bytes` xz-compressed in blocks of 256 KiB, as `xz -T` writes them (in blocks, so they can
/// be inflated in parallel), the index of the blocks at the end.
fn xz_in_blocks(bytes: &[u8]) -> Vec<u8> {
    let mut options = lzma_rust2::XzOptions::with_preset(0);
    options.set_block_size(std::num::NonZeroU64::new(256 << 10));
    let mut encoder = lzma_rust2::XzWriter::new(Vec::new(), options).expect("xz");
    encoder.write_all(bytes).expect("xz");
    encoder.finish().expect("xz")
}

/// A tar of 40 members `m0.txt`..`m39.txt` of 64 KiB each, member `i` holding the word `wordI`
/// and words of its own that compress like text.
fn tar_of_forty() -> Vec<u8> {
    let texts: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            let text: String = (0..7_000).map(|n| format!("w{i}x{n} ")).collect();
            let mut bytes = format!("word{i} ").into_bytes();
            bytes.extend(text.as_bytes());
            bytes.truncate(64 << 10);
            (format!("m{i}.txt"), bytes)
        })
        .collect();
    let members: Vec<(&str, &[u8])> = texts
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    tar(&members)
}

/// `bytes` zstd-compressed.
fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

/// The bytes of `sample-docs/NAME`.
fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-docs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn members_of_every_archive_and_compression_are_documents() {
    let dir = Dir::new();
    let members: &[(&str, &[u8])] = &[("docs/notes.txt", b"a quokka in the notes")];
    let tarball = tar(members);
    dir.create("d/a.zip", zip(members));
    dir.create("d/b.tar", &tarball);
    dir.create("d/c.tar.gz", gzip(&tarball));
    dir.create("d/d.tgz", gzip(&tarball));
    dir.create("d/e.tar.bz2", bzip2(&tarball));
    dir.create("d/f.tar.xz", xz(&tarball));
    dir.create("d/g.tar.zst", zstd(&tarball));
    dir.create("d/lib.jar", zip(members));
    // A zip by its content, whatever its name.
    dir.create("d/bundle.dat", zip(members));
    let summary = dir.index(&["d"]);
    assert_eq!(
        (summary.added, summary.members, summary.archives),
        (9, 9, 9)
    );
    // The members are copies of one text: every copy is listed.
    let results = dir.search_json(&["quokka", "--no-collapse"]);
    let mut found: Vec<(String, String, String)> = results
        .hits
        .iter()
        .map(|hit| {
            (
                hit.container.clone().expect("a member names its container"),
                hit.member.clone().expect("a member names itself"),
                hit.doc_type.clone(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String, String)> = [
        "a.zip",
        "b.tar",
        "bundle.dat",
        "c.tar.gz",
        "d.tgz",
        "e.tar.bz2",
        "f.tar.xz",
        "g.tar.zst",
        "lib.jar",
    ]
    .iter()
    .map(|name| {
        (
            format!("d/{name}"),
            "docs/notes.txt".to_string(),
            "text".to_string(),
        )
    })
    .collect();
    assert_eq!(found, expected);
    let hit = results.hit("d/a.zip::docs/notes.txt");
    assert_eq!(hit.fragments, ["a <b>quokka</b> in the notes"]);
}

#[test]
fn a_compressed_file_is_the_document_it_holds() {
    let dir = Dir::new();
    dir.create("d/changelog.gz", gzip(b"the pangolin release"));
    dir.create("d/syslog.2.bz2", bzip2(b"pangolin restarted"));
    dir.create("d/notes.xz", xz(b"pangolin notes"));
    dir.create("d/todo.zst", zstd(b"pangolin todo"));
    dir.create("d/manual.pdf.gz", gzip(&sample("documents/manual.pdf")));
    let summary = dir.index(&["d"]);
    assert_eq!((summary.added, summary.members), (5, 0));
    let mut paths = dir.hit_paths("pangolin");
    paths.sort();
    assert_eq!(
        paths,
        [
            "d/changelog.gz",
            "d/notes.xz",
            "d/syslog.2.bz2",
            "d/todo.zst"
        ]
    );
    let pdf = dir.search_json(&["sunset"]);
    assert_eq!(pdf.paths(), ["d/manual.pdf.gz"]);
    assert_eq!(pdf.hits[0].doc_type, "pdf");
    assert_eq!(
        pdf.hits[0].title.as_deref(),
        Some("Keeper's Manual: The Lighthouse")
    );
}

#[test]
fn a_member_works_like_a_file_for_path_type_and_title() {
    let dir = Dir::new();
    dir.create(
        "downloads/report.zip",
        zip(&[
            ("docs/q3.pdf", &sample("documents/manual.pdf")),
            ("docs/readme.txt", b"see the manual"),
        ]),
    );
    dir.index(&["downloads"]);
    let member = "downloads/report.zip::docs/q3.pdf";
    assert_eq!(dir.hit_paths("path:q3.pdf"), [member]);
    assert_eq!(
        util::sorted(dir.hit_paths("path:docs")),
        [member, "downloads/report.zip::docs/readme.txt"]
    );
    assert_eq!(dir.hit_paths("type:pdf"), [member]);
    assert_eq!(dir.hit_paths("title:keeper"), [member]);
    assert_eq!(dir.hit_paths("path:*.pdf"), [member]);
    // The archive itself is a document listing its members.
    assert_eq!(dir.hit_paths("type:zip"), ["downloads/report.zip"]);
    let text = dir.search_text(&["sunset"]);
    assert!(text.contains(&dir.display(member)), "{text}");
}

#[test]
fn archives_inside_archives_are_followed() {
    let dir = Dir::new();
    let inner = zip(&[("deep/leaf.txt", b"a narwhal at the bottom")]);
    let middle = tar(&[("inner.zip", &inner), ("top.txt", b"narwhal on top")]);
    dir.create("outer.tar.gz", gzip(&middle));
    dir.index(&["."]);
    let mut paths = dir.hit_paths("narwhal");
    paths.sort();
    assert_eq!(
        paths,
        [
            "outer.tar.gz::inner.zip::deep/leaf.txt",
            "outer.tar.gz::top.txt"
        ]
    );
    let deep = dir.search_json(&["bottom"]);
    assert_eq!(deep.hits[0].container.as_deref(), Some("outer.tar.gz"));
    assert_eq!(
        deep.hits[0].member.as_deref(),
        Some("inner.zip::deep/leaf.txt")
    );
}

#[test]
fn a_changed_archive_has_its_members_replaced_and_a_removed_one_loses_them() {
    let dir = Dir::new();
    dir.create(
        "d/box.zip",
        zip(&[("kept.txt", b"kept walrus"), ("gone.txt", b"gone walrus")]),
    );
    dir.index(&["d"]);
    assert_eq!(dir.hit_paths("walrus").len(), 2);
    let again = dir.index(&["d"]);
    assert_eq!((again.unchanged, again.members), (1, 0), "not reopened");
    // A different size makes the change certain whatever the clock's resolution.
    dir.create(
        "d/box.zip",
        zip(&[
            ("kept.txt", b"kept walrus, changed"),
            ("new.txt", b"new walrus"),
        ]),
    );
    let changed = dir.index(&["d"]);
    assert_eq!((changed.updated, changed.members), (1, 2));
    let mut paths = dir.hit_paths("walrus");
    paths.sort();
    assert_eq!(paths, ["d/box.zip::kept.txt", "d/box.zip::new.txt"]);
    assert_eq!(dir.hit_paths("changed"), ["d/box.zip::kept.txt"]);
    dir.remove("d/box.zip");
    dir.index(&["d"]);
    dir.lantern().args(["search", "walrus"]).assert_exit(1);
}

#[test]
fn forgetting_a_root_drops_its_archives_members() {
    let dir = Dir::new();
    dir.create("d/box.tar", tar(&[("a.txt", b"an ibex")]));
    dir.index(&["d"]);
    assert_eq!(dir.hit_paths("ibex"), ["d/box.tar::a.txt"]);
    dir.lantern().args(["forget", "d"]).assert_success();
    dir.lantern().args(["search", "ibex"]).assert_exit(1);
}

/// A gzip stream of `gib` GiB of zeros, small on disk: the same 1 MiB member over and over
/// (gzip allows members in a row).
fn gzip_of_zeros(mib: usize) -> Vec<u8> {
    let member = gzip(&vec![0; 1 << 20]);
    member.repeat(mib)
}

#[test]
fn a_compressed_gigabyte_of_zeros_is_skipped_within_bounded_memory() {
    let dir = Dir::new();
    dir.create("d/zeros.txt.gz", gzip_of_zeros(1024));
    dir.create("d/fine.txt", "an okapi");
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "d"])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!((summary.added, summary.too_large), (1, 1), "{output}");
    assert!(output.stderr.contains("zeros.txt.gz"), "{output}");
    assert_eq!(dir.hit_paths("okapi"), ["d/fine.txt"]);
}

/// `mib` MiB of zeros deflated, small: deflate blocks flushed to a byte boundary can be repeated.
fn deflated_zeros(mib: usize) -> Vec<u8> {
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(1 << 20);
    compress
        .compress_vec(&vec![0; 1 << 20], &mut block, flate2::FlushCompress::Full)
        .expect("deflate");
    let mut data = block.repeat(mib);
    data.extend([0x03, 0x00]); // an empty final block
    data
}

/// A zip whose one stored stream `data` (inflating to `size` bytes with checksum `crc`) is
/// listed once per name of `names` in the central directory: a single entry, or (several names)
/// entries that overlap, as in David Fifield's non-recursive zip bomb.
fn zip_of_one_stream(data: &[u8], size: u32, crc: u32, names: &[&str]) -> Vec<u8> {
    let mut bomb = Vec::new();
    let fields = |bomb: &mut Vec<u8>| {
        bomb.extend(crc.to_le_bytes());
        bomb.extend((data.len() as u32).to_le_bytes());
        bomb.extend(size.to_le_bytes());
    };
    bomb.extend(b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0");
    fields(&mut bomb);
    bomb.extend((names[0].len() as u16).to_le_bytes());
    bomb.extend(0u16.to_le_bytes());
    bomb.extend(names[0].as_bytes());
    bomb.extend(data);
    let central = bomb.len() as u32;
    for name in names {
        bomb.extend(b"PK\x01\x02\x14\0\x14\0\0\0\x08\0\0\0\0\0");
        fields(&mut bomb);
        bomb.extend((name.len() as u16).to_le_bytes());
        bomb.extend([0; 12]);
        bomb.extend(0u32.to_le_bytes()); // every entry at the one local header
        bomb.extend(name.as_bytes());
    }
    let central_len = bomb.len() as u32 - central;
    bomb.extend(b"PK\x05\x06\0\0\0\0");
    bomb.extend((names.len() as u16).to_le_bytes());
    bomb.extend((names.len() as u16).to_le_bytes());
    bomb.extend(central_len.to_le_bytes());
    bomb.extend(central.to_le_bytes());
    bomb.extend(0u16.to_le_bytes());
    bomb
}

#[test]
fn a_zip_of_a_gigabyte_of_zeros_is_refused_by_its_declared_size() {
    let dir = Dir::new();
    let bomb = zip_of_one_stream(&deflated_zeros(1024), 1 << 30, 0, &["zeros.txt"]);
    dir.create("bomb.zip", &bomb);
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "."])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!((summary.archives, summary.too_large), (1, 1), "{output}");
    assert!(output.stderr.contains("bomb.zip::zeros.txt"), "{output}");
}

#[test]
fn overlapping_zip_entries_stop_at_the_inflation_limit() {
    let dir = Dir::new();
    let mut crc = flate2::Crc::new();
    crc.update(&vec![0; 16 << 20]);
    let names: Vec<String> = (0..200).map(|n| format!("zeros{n}.txt")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    // 200 entries of 16 MiB each over one stream: 3.2 GB from a file of 16 KB.
    let bomb = zip_of_one_stream(&deflated_zeros(16), 16 << 20, crc.sum(), &names);
    dir.create("overlap.zip", &bomb);
    dir.create("fine.txt", "a dhole");
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "."])
        .assert_success();
    assert!(output.stdout.contains("too large unpacked"), "{output}");
    assert!(output.stderr.contains("overlap.zip"), "{output}");
    assert_eq!(dir.hit_paths("dhole"), ["fine.txt"]);
}

#[test]
fn a_nested_bomb_stops_at_the_depth_limit() {
    let dir = Dir::new();
    // 42.zip-style: each level holds the level below several times.
    let mut level = zip(&[("zeros.txt", &vec![0u8; 1 << 20])]);
    for _ in 0..6 {
        let copies: Vec<(String, &[u8])> = (0..4)
            .map(|n| (format!("copy{n}.zip"), level.as_slice()))
            .collect();
        let named: Vec<(&str, &[u8])> = copies
            .iter()
            .map(|(name, bytes)| (name.as_str(), *bytes))
            .collect();
        level = zip(&named);
    }
    dir.create("42.zip", &level);
    dir.create("fine.txt", "a tapir");
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "."])
        .assert_success();
    assert!(output.stdout.contains("nested too deep"), "{output}");
    assert_eq!(dir.hit_paths("tapir"), ["fine.txt"]);
}

#[test]
fn a_tar_member_claiming_a_terabyte_and_a_truncated_xz_are_damage_not_a_crash() {
    let dir = Dir::new();
    let mut header = tar::Header::new_gnu();
    header.set_path("huge.bin").expect("a name");
    header.set_size(1 << 40);
    header.set_mode(0o644);
    header.set_cksum();
    let mut liar = header.as_bytes().to_vec();
    liar.extend([b'x'; 4096]);
    dir.create("liar.tar", &liar);
    let tarball = tar(&[("a.txt", "a civet ".repeat(50_000).as_bytes())]);
    let whole = xz(&tarball);
    dir.create("cut.tar.xz", &whole[..whole.len() / 2]);
    dir.create("fine.txt", "a civet here");
    let output = dir
        .lantern()
        .memory_limit(1 << 30)
        .args(["index", "."])
        .assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert!(summary.too_large >= 1, "{output}");
    assert!(output.stderr.contains("liar.tar"), "{output}");
    assert!(output.stderr.contains("cut.tar.xz"), "{output}");
    assert!(dir.hit_paths("civet").contains(&"fine.txt".to_string()));
}

#[test]
fn a_tar_xz_in_blocks_is_read_whole() {
    let dir = Dir::new();
    dir.create("d/src.tar.xz", xz_in_blocks(&tar_of_forty()));
    let summary = dir.index(&["d"]);
    assert_eq!((summary.members, summary.archives), (40, 1));
    assert_eq!(dir.hit_paths("word0"), ["d/src.tar.xz::m0.txt"]);
    assert_eq!(dir.hit_paths("word39"), ["d/src.tar.xz::m39.txt"]);
}

#[test]
fn a_damaged_tar_xz_keeps_the_members_read_before_the_damage_and_says_so() {
    let dir = Dir::new();
    let whole = xz_in_blocks(&tar_of_forty());
    // Cut in the middle: no index at the end, the stream is read up to the cut.
    dir.create("d/cut.tar.xz", &whole[..whole.len() / 2]);
    // Bytes changed in the last block, the index intact.
    let mut changed = whole.clone();
    let at = whole.len() * 9 / 10;
    changed[at..at + 64]
        .iter_mut()
        .for_each(|byte| *byte ^= 0x55);
    dir.create("d/changed.tar.xz", &changed);
    let output = dir.lantern().args(["index", "d"]).assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    // Each archive is counted as damaged (and so may be the member the damage cut short).
    assert_eq!(summary.added, 2, "{output}");
    assert!(summary.failed >= 2, "{output}");
    for name in ["cut.tar.xz", "changed.tar.xz"] {
        let archive = format!("d/{name} (tar)");
        assert!(
            output.stderr.lines().any(|line| line.contains(&archive)
                && line.contains("its members read so far are indexed")),
            "{output}"
        );
    }
    // Both score the same: their order is not the point.
    let mut paths = dir.hit_paths("word0");
    paths.sort();
    assert_eq!(paths, ["d/changed.tar.xz::m0.txt", "d/cut.tar.xz::m0.txt"]);
    assert!(dir.hit_paths("word39").is_empty(), "{output}");
}

#[test]
fn member_names_with_dotdot_or_absolute_paths_only_label_documents() {
    let dir = Dir::new();
    let evil = tar(&[
        ("../../escape.txt", b"a margay escaped" as &[u8]),
        ("/etc/absolute.txt", b"a margay absolute"),
    ]);
    dir.create("d/evil.tar", &evil);
    dir.index(&["d"]);
    let mut paths = dir.hit_paths("margay");
    paths.sort();
    assert_eq!(
        paths,
        [
            "d/evil.tar::../../escape.txt",
            "d/evil.tar::etc/absolute.txt"
        ]
    );
    // Nothing was written outside the folder.
    assert!(!dir.root().parent().unwrap().join("escape.txt").exists());
}

#[test]
fn a_damaged_zip_is_counted_and_the_run_goes_on() {
    let dir = Dir::new();
    let mut broken = zip(&[("a.txt", b"a serval")]);
    broken.truncate(broken.len() - 10);
    dir.create("broken.zip", &broken);
    dir.create("fine.txt", "a serval here");
    let summary = dir.index(&["."]);
    assert!(summary.failed >= 1, "{summary:?}");
    assert!(dir.hit_paths("serval").contains(&"fine.txt".to_string()));
}

#[test]
fn ignore_rules_globs_and_the_size_cap_apply_to_members() {
    let dir = Dir::new();
    let logs = tar(&[
        ("app.log", b"a genet in the log" as &[u8]),
        ("notes.txt", b"a genet in the notes"),
        ("big.txt", &b"genet ".repeat(2_000)),
    ]);
    dir.create("d/logs.tar.gz", gzip(&logs));
    dir.create("d/.lanternignore", "*.log\n");
    let summary = dir.index(&["d", "--max-file-size", "4K"]);
    assert_eq!((summary.members, summary.too_large), (1, 1), "{summary:?}");
    assert_eq!(dir.hit_paths("genet"), ["d/logs.tar.gz::notes.txt"]);

    let globbed = Dir::new();
    globbed.create("d/logs.tar.gz", gzip(&logs));
    globbed.index(&["d", "-g", "!notes.txt"]);
    assert_eq!(
        util::sorted(globbed.hit_paths("genet")),
        ["d/logs.tar.gz::app.log", "d/logs.tar.gz::big.txt"]
    );
}

#[test]
fn status_counts_archives_and_their_members() {
    let dir = Dir::new();
    dir.create("d/a.zip", zip(&[("x.txt", b"one"), ("y.txt", b"two")]));
    dir.create("d/b.tar", tar(&[("z.txt", b"three")]));
    dir.create("d/plain.txt", "four");
    dir.index(&["d"]);
    let status = dir.status_json();
    assert_eq!(status["documents"], 6, "{status}");
    assert_eq!(
        (status["archives"].as_u64(), status["members"].as_u64()),
        (Some(2), Some(3))
    );
    let text = dir.lantern().arg("status").assert_success().stdout;
    assert!(
        text.contains("archives:  2 holding 3 member documents"),
        "{text}"
    );
}

#[test]
fn an_encrypted_member_is_skipped_with_its_reason_and_the_others_are_read() {
    let dir = Dir::new();
    let mut archive = zip(&[
        ("secret.txt", b"a hidden fossa"),
        ("open.txt", b"an open fossa"),
    ]);
    // Set the "encrypted" flag of the first member, in its local and its central header.
    archive[6] |= 1;
    let central = archive
        .windows(4)
        .position(|window| window == b"PK\x01\x02")
        .expect("a central directory");
    archive[central + 8] |= 1;
    dir.create("d/locked.zip", &archive);
    let output = dir.lantern().args(["index", "d"]).assert_success();
    assert!(output.stdout.contains("1 encrypted"), "{output}");
    assert!(output.stderr.contains("locked.zip::secret.txt"), "{output}");
    assert_eq!(dir.hit_paths("fossa"), ["d/locked.zip::open.txt"]);
}

#[test]
fn a_members_document_page_shows_its_text_and_its_editor_link_opens_the_archive() {
    let dir = Dir::new();
    dir.create("d/box.zip", zip(&[("docs/a.txt", b"a caracal & a <lynx>")]));
    dir.index(&["d"]);
    let hit = dir.search_json(&["caracal"]).hits[0].clone();
    assert_eq!(hit.path, "d/box.zip::docs/a.txt");
    let key = hit.key.expect("a member's key differs from its path");
    // An editor of its own: the default, `file://`, links are not shown from an http page.
    let server = util::ServerGuard::start(&dir, &["--editor", "vscode"]);
    let (status, page) = server.get(&format!("/doc?path={}&q=caracal", util::encode(&key)));
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("a <mark id=\"m1\">caracal</mark> &#38; a &#60;lynx&#62;"),
        "{page}"
    );
    let archive = format!("vscode://file{}:", dir.path("d/box.zip").display());
    assert!(page.contains(&format!("href=\"{archive}")), "{page}");
    let (_, results) = server.get("/search?q=caracal");
    assert!(
        results.contains(&format!("href=\"{archive}1:1\"")),
        "{results}"
    );
}

/// A solid 7z archive of `members` (LZMA2, all in one block); with a `password`, its block is
/// encrypted (AES-256), and its list of files too when `hide_names`.
fn seven_z(members: &[(&str, &[u8])], password: Option<&str>, hide_names: bool) -> Vec<u8> {
    use sevenz_rust2::encoder_options::AesEncoderOptions;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderConfiguration, EncoderMethod};
    let mut writer = ArchiveWriter::new(std::io::Cursor::new(Vec::new())).expect("a 7z writer");
    let mut methods: Vec<EncoderConfiguration> = vec![EncoderMethod::LZMA2.into()];
    if let Some(password) = password {
        methods.insert(0, AesEncoderOptions::new(password.into()).into());
    }
    writer.set_encrypt_header(hide_names);
    writer.set_content_methods(methods);
    let entries = members
        .iter()
        .map(|(name, _)| ArchiveEntry::new_file(name))
        .collect();
    let readers = members
        .iter()
        .map(|(_, bytes)| sevenz_rust2::SourceReader::from(*bytes))
        .collect();
    writer
        .push_archive_entries(entries, readers)
        .expect("7z members");
    writer.finish().expect("finish the 7z").into_inner()
}

#[test]
fn members_of_a_solid_7z_are_documents_and_encrypted_ones_are_skipped() {
    let dir = Dir::new();
    let members: &[(&str, &[u8])] = &[
        ("docs/notes.txt", b"a margay in the notes"),
        ("docs/q3.pdf", &sample("documents/manual.pdf")),
        ("top.txt", b"a margay on top"),
    ];
    dir.create("d/bundle.7z", seven_z(members, None, false));
    // Known by its signature whatever its name, and followed inside a compressed tar.
    dir.create("d/bundle.bin", seven_z(members, None, false));
    dir.create(
        "d/outer.tar.gz",
        gzip(&tar(&[("inner.7z", &seven_z(members, None, false))])),
    );
    dir.create(
        "d/locked.7z",
        seven_z(&[("secret.txt", b"a hidden margay")], Some("pw"), false),
    );
    dir.create(
        "d/sealed.7z",
        seven_z(&[("sealed.txt", b"a sealed margay")], Some("pw"), true),
    );
    let output = dir.lantern().args(["index", "d"]).assert_success();
    let summary = util::IndexSummary::parse(&output.stdout);
    assert_eq!(
        (summary.added, summary.members, summary.archives),
        (5, 10, 5),
        "{output}"
    );
    assert!(output.stdout.contains("2 encrypted"), "{output}");
    assert!(output.stderr.contains("locked.7z::secret.txt"), "{output}");
    assert!(output.stderr.contains("sealed.7z"), "{output}");
    assert_eq!(
        util::sorted(dir.hit_paths("margay")),
        [
            "d/bundle.7z::docs/notes.txt",
            "d/bundle.7z::top.txt",
            "d/bundle.bin::docs/notes.txt",
            "d/bundle.bin::top.txt",
            "d/outer.tar.gz::inner.7z::docs/notes.txt",
            "d/outer.tar.gz::inner.7z::top.txt",
        ]
    );
    assert_eq!(
        util::sorted(dir.hit_paths("sunset")),
        [
            "d/bundle.7z::docs/q3.pdf",
            "d/bundle.bin::docs/q3.pdf",
            "d/outer.tar.gz::inner.7z::docs/q3.pdf",
        ]
    );
    assert_eq!(
        util::sorted(dir.hit_paths("type:7z")),
        [
            "d/bundle.7z",
            "d/bundle.bin",
            "d/locked.7z",
            "d/outer.tar.gz::inner.7z",
            "d/sealed.7z"
        ]
    );
}
