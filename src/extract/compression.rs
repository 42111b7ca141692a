//! Single-file compression (gzip, bzip2, xz, zstd): a stream transform in front of a format,
//! not a format of its own. A compressed file is recognised by its first bytes whatever its
//! name, and what it holds by the name without the compression's extension (`notes.pdf.gz` is
//! a PDF, `logs.tgz` a tar) and by the first bytes once inflated. Every decoder is pure Rust
//! and streams: nothing is inflated whole in memory, except the blocks of an xz file on disk
//! that its index shows small, which are inflated whole, several at once (see
//! [`Compression::seekable_decoder`]).

use std::io::{Read, SeekFrom};

use super::{ExtractError, ReadSeek};

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

/// The largest block, inflated, of an xz file inflated on several threads. Each thread holds a
/// whole block (and about as many again wait their turn), so this bounds the memory: `xz -T0`
/// writes blocks of three times the dictionary, 24 MiB at its default level. A file with a
/// larger block, as a bomb would have, streams through one decoder instead.
const MAX_PARALLEL_XZ_BLOCK: u64 = 64 << 20;

/// The most threads that inflate one xz file's blocks.
const MAX_XZ_THREADS: usize = 4;

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

    /// A reader of the file `input` (at its start) inflated. An xz file of several blocks, whose
    /// index says none inflates past [`MAX_PARALLEL_XZ_BLOCK`], has its blocks inflated on
    /// several threads while the caller reads: on 2 cores that took the Linux tarball's xz from
    /// 8.2 to 5.7 CPU seconds, as lzma-rust2's block decoder skips the slow byte-wise CRC64 of
    /// its stream decoder (each block must still inflate to the exact size the index records,
    /// and a damaged block fails after the blocks before it were read). Anything else (one
    /// block, a larger block, several streams, a truncated file) streams through
    /// [`Compression::decoder`], which reads up to the damage.
    pub fn seekable_decoder<'a>(
        self,
        input: &'a mut dyn ReadSeek,
    ) -> Result<Box<dyn Read + 'a>, ExtractError> {
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_XZ_THREADS);
        if self != Compression::Xz || threads < 2 || !xz_blocks_fit(input) {
            return self.decoder(Box::new(input));
        }
        let decoder = lzma_rust2::XzReaderMt::new(input, false, threads as u32)
            .map_err(|err| ExtractError::Damaged(format!("not a valid xz file: {err}")))?;
        Ok(Box::new(decoder))
    }
}

/// True when `input` is a single xz stream of at least two blocks, each inflating to at most
/// [`MAX_PARALLEL_XZ_BLOCK`] bytes, as its index (at the end) records them; `input` is left at
/// its start. The checks are those the parallel decoder makes before it inflates, so a file that
/// passes them opens there.
fn xz_blocks_fit(input: &mut dyn ReadSeek) -> bool {
    let sizes = xz_block_sizes(input);
    input.seek(SeekFrom::Start(0)).is_ok()
        && sizes.is_some_and(|(blocks, largest)| blocks >= 2 && largest <= MAX_PARALLEL_XZ_BLOCK)
}

/// The number of blocks of the single-stream xz file `input` and the largest one's size
/// inflated, read from its index; `None` when the file is not one whole stream (several streams,
/// padding, truncation or damage).
fn xz_block_sizes(input: &mut dyn ReadSeek) -> Option<(u64, u64)> {
    /// The stream header's length, and the footer's.
    const HEADER: u64 = 12;
    let end = input.seek(SeekFrom::End(0)).ok()?;
    let footer_at = end.checked_sub(HEADER)?;
    let mut footer = [0; HEADER as usize];
    input.seek(SeekFrom::Start(footer_at)).ok()?;
    input.read_exact(&mut footer).ok()?;
    if &footer[10..] != b"YZ" {
        return None;
    }
    let backward = u64::from(u32::from_le_bytes(footer[4..8].try_into().ok()?));
    let index_at = footer_at.checked_sub((backward + 1) * 4)?;
    let mut index = Vec::new();
    input.seek(SeekFrom::Start(index_at)).ok()?;
    input
        .take((backward + 1) * 4)
        .read_to_end(&mut index)
        .ok()?;
    let (&indicator, mut rest) = index.split_first()?;
    if indicator != 0 {
        return None;
    }
    let blocks = read_varint(&mut rest)?;
    let (mut block_at, mut largest) = (HEADER, 0);
    for _ in 0..blocks {
        let unpadded = read_varint(&mut rest)?;
        largest = largest.max(read_varint(&mut rest)?);
        block_at = block_at.checked_add(unpadded.checked_add(3)? / 4 * 4)?;
    }
    // One stream: its blocks end where the index starts.
    (block_at == index_at).then_some((blocks, largest))
}

/// Reads one of xz's variable-length integers (7 bits a byte, low first, at most 9 bytes) off
/// the front of `bytes`.
fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..63).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
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

    /// `data` xz-compressed in blocks of `block` bytes (one block when `None`).
    fn xz(data: &[u8], block: Option<u64>) -> Vec<u8> {
        use std::io::Write;
        let mut options = lzma_rust2::XzOptions::with_preset(0);
        options.set_block_size(block.and_then(std::num::NonZeroU64::new));
        let mut encoder = lzma_rust2::XzWriter::new(Vec::new(), options).unwrap();
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// Words enough to fill a few blocks, not all alike.
    fn text() -> Vec<u8> {
        (0..200_000u32)
            .flat_map(|n| format!("word{n} ").into_bytes())
            .collect()
    }

    #[test]
    fn an_xz_index_gives_the_blocks_and_the_largest() {
        let data = text();
        let mut blocks = std::io::Cursor::new(xz(&data, Some(256 << 10)));
        let (count, largest) = xz_block_sizes(&mut blocks).unwrap();
        assert_eq!(count, (data.len() as u64).div_ceil(256 << 10));
        assert_eq!(largest, 256 << 10);
        let mut one = std::io::Cursor::new(xz(&data, None));
        assert_eq!(xz_block_sizes(&mut one), Some((1, data.len() as u64)));
    }

    #[test]
    fn a_truncated_or_concatenated_xz_has_no_usable_index() {
        let whole = xz(&text(), Some(256 << 10));
        let cut = &whole[..whole.len() - 1];
        assert_eq!(xz_block_sizes(&mut std::io::Cursor::new(cut)), None);
        let twice = [whole.clone(), whole].concat();
        assert_eq!(xz_block_sizes(&mut std::io::Cursor::new(twice)), None);
    }

    #[test]
    fn xz_of_many_blocks_one_block_and_truncated_inflates_the_same() {
        let data = text();
        for block in [Some(256 << 10), None] {
            let mut file = std::io::Cursor::new(xz(&data, block));
            let mut inflated = Vec::new();
            Compression::Xz
                .seekable_decoder(&mut file)
                .unwrap()
                .read_to_end(&mut inflated)
                .unwrap();
            assert!(inflated == data, "blocks of {block:?}");
        }
        // A truncated file streams, and gives what it holds before the cut.
        let whole = xz(&data, Some(256 << 10));
        let mut cut = std::io::Cursor::new(whole[..whole.len() / 2].to_vec());
        let mut inflated = Vec::new();
        let outcome = Compression::Xz
            .seekable_decoder(&mut cut)
            .unwrap()
            .read_to_end(&mut inflated);
        assert!(outcome.is_err());
        assert!(inflated.len() >= 256 << 10 && data.starts_with(&inflated));
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
