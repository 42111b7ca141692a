//! Single-file compression (gzip, bzip2, xz, zstd): a stream transform in front of a format,
//! not a format of its own. A compressed file is recognised by its first bytes whatever its
//! name, and what it holds by the name without the compression's extension (`notes.pdf.gz` is
//! a PDF, `logs.tgz` a tar) and by the first bytes once inflated. Every decoder is pure Rust
//! and streams: nothing is inflated whole in memory.

use std::io::Read;

use super::ExtractError;

/// A single-file compression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`.gz`, `.tgz`), several members in a row included.
    Gzip,
    /// bzip2 (`.bz2`, `.tbz2`, `.tbz`), several streams in a row included.
    Bzip2,
    /// xz (`.xz`, `.txz`), several streams in a row included.
    Xz,
    /// Zstandard (`.zst`, `.tzst`).
    Zstd,
}

/// The largest window a zstd frame may ask for: 128 MiB, the decoder's memory bound. The
/// format's default cap is 8 MiB; `zstd --long` archives use up to 128 MiB.
const MAX_ZSTD_WINDOW: u64 = 128 << 20;

impl Compression {
    /// The compression `head` (a stream's first bytes) starts with, if any.
    pub fn of(head: &[u8]) -> Option<Compression> {
        const MAGICS: [(&[u8], Compression); 4] = [
            (&[0x1F, 0x8B], Compression::Gzip),
            (b"BZh", Compression::Bzip2),
            (&[0xFD, b'7', b'z', b'X', b'Z', 0], Compression::Xz),
            (&[0x28, 0xB5, 0x2F, 0xFD], Compression::Zstd),
        ];
        MAGICS
            .iter()
            .find(|(magic, _)| head.starts_with(magic))
            .map(|&(_, compression)| compression)
    }

    /// The extensions of files compressed this way: `(extension, what it stands for once
    /// inflated)`, the second empty when the extension is simply dropped.
    fn extensions(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Compression::Gzip => &[("gz", ""), ("tgz", "tar")],
            Compression::Bzip2 => &[("bz2", ""), ("tbz2", "tar"), ("tbz", "tar")],
            Compression::Xz => &[("xz", ""), ("txz", "tar")],
            Compression::Zstd => &[("zst", ""), ("tzst", "tar")],
        }
    }

    /// The name of what a file called `name` holds once inflated: `a.pdf.gz` → `a.pdf`,
    /// `a.tgz` → `a.tar`; a name without the compression's extension is kept.
    pub fn inner_name(self, name: &str) -> String {
        let Some((stem, extension)) = name.rsplit_once('.') else {
            return name.to_string();
        };
        let inner = self
            .extensions()
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(extension));
        match inner {
            Some((_, "")) => stem.to_string(),
            Some((_, replacement)) => format!("{stem}.{replacement}"),
            None => name.to_string(),
        }
    }

    /// A reader of `input` inflated.
    pub fn decoder<'a>(
        self,
        input: Box<dyn Read + 'a>,
    ) -> Result<Box<dyn Read + 'a>, ExtractError> {
        Ok(match self {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
            Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
            Compression::Xz => Box::new(lzma_rust2::XzReader::new(input, true)),
            Compression::Zstd => Box::new(
                ruzstd::decoding::StreamingDecoder::new_with_max_window_size(
                    input,
                    MAX_ZSTD_WINDOW,
                )
                .map_err(|err| ExtractError::Damaged(format!("not a valid zstd stream: {err}")))?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_names_drop_or_replace_the_extension() {
        assert_eq!(Compression::Gzip.inner_name("report.pdf.gz"), "report.pdf");
        assert_eq!(Compression::Gzip.inner_name("src.TGZ"), "src.tar");
        assert_eq!(Compression::Xz.inner_name("linux.tar.xz"), "linux.tar");
        assert_eq!(Compression::Zstd.inner_name("logs.tzst"), "logs.tar");
        assert_eq!(Compression::Bzip2.inner_name("changelog"), "changelog");
        assert_eq!(Compression::Bzip2.inner_name("odd.gz"), "odd.gz");
    }

    #[test]
    fn each_compression_is_known_by_its_magic() {
        assert_eq!(Compression::of(&[0x1F, 0x8B, 8]), Some(Compression::Gzip));
        assert_eq!(Compression::of(b"BZh91AY"), Some(Compression::Bzip2));
        assert_eq!(Compression::of(b"\xFD7zXZ\0\0"), Some(Compression::Xz));
        assert_eq!(
            Compression::of(&[0x28, 0xB5, 0x2F, 0xFD, 0]),
            Some(Compression::Zstd)
        );
        assert_eq!(Compression::of(b"plain text"), None);
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"hello lantern").unwrap();
        let bytes = encoder.finish().unwrap();
        let mut text = String::new();
        Compression::Gzip
            .decoder(Box::new(&bytes[..]))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "hello lantern");
    }
}
