//! Archives as formats of the table: `.zip` (and zips by content: `.jar`, `.whl`, `.apk`...),
//! `.tar` and `.7z`. Their reader yields members one by one as streams; it never inflates a member
//! nobody reads, and never the whole archive. What to do with each member (and every limit) is
//! the walk's business (see `container`).

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::zip::is_zip;
use super::{DocumentType, ExtractError, Format, Input, RawMember, Reader};

/// Zip archives, by extension or by content (after the zip-based document formats, which the
/// table tries first).
pub const ZIP: Format = Format {
    kind: DocumentType::Zip,
    extensions: &[
        "zip", "jar", "war", "ear", "whl", "apk", "nupkg", "vsix", "xpi",
    ],
    magic: |head| is_zip(head) || head.starts_with(b"PK\x05\x06"),
    binary: true,
    extract: Reader::Archive(zip_members),
};

/// Tar archives (POSIX ustar and GNU), by extension or by the `ustar` magic.
pub const TAR: Format = Format {
    kind: DocumentType::Tar,
    extensions: &["tar"],
    magic: |head| head.get(257..262) == Some(b"ustar"),
    binary: true,
    extract: Reader::Archive(tar_members),
};

/// 7z archives, by extension or by their signature.
pub const SEVEN_Z: Format = Format {
    kind: DocumentType::SevenZ,
    extensions: &["7z"],
    magic: |head| head.starts_with(b"7z\xBC\xAF\x27\x1C"),
    binary: true,
    extract: Reader::Archive(seven_z_members),
};

/// The most memory one decoder of a 7z archive may ask for, in KiB: 256 MiB, past the 64 MiB
/// dictionary of `7z -mx9` and four times xz's largest preset; a header that asks for more (a
/// bomb, or `-md=1536m`) is refused as damaged rather than allocated.
const SEVEN_Z_MEMORY_KIB: usize = 256 << 10;

/// Hands each file of the 7z archive `input` to `each`, block by block (a solid block is
/// inflated once, in order, its files streaming past). The files of an encrypted block are
/// handed over flagged, without their bytes; an archive whose list of files is encrypted is
/// refused as encrypted.
fn seven_z_members(
    input: Input<'_>,
    limit: u64,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    match input {
        Input::Seekable(mut reader) => walk_seven_z(&mut reader, each),
        // The list of files is at the end: a 7z read as a stream is held in memory, within the
        // walk's limit.
        Input::Stream(reader) => {
            let bytes = read_within(reader, limit)?;
            walk_seven_z(&mut Cursor::new(bytes), each)
        }
    }
}

/// Walks the members of the 7z archive `source`.
fn walk_seven_z<R: Read + std::io::Seek>(
    source: &mut R,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    use sevenz_rust2::{Archive, BlockDecoder, EncoderMethod, Password};
    let password = Password::empty();
    let archive = Archive::read_with_memory_limit(source, &password, SEVEN_Z_MEMORY_KIB)
        .map_err(damaged_seven_z)?;
    let encrypted = |block: &sevenz_rust2::Block| {
        block
            .coders
            .iter()
            .any(|coder| coder.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
    };
    for (index, block) in archive.blocks.iter().enumerate() {
        if encrypted(block) {
            continue;
        }
        // The walk's error, kept while the decoder's callback answers with its own kind.
        let mut stopped = None;
        BlockDecoder::new_with_memory_limit(
            1,
            SEVEN_Z_MEMORY_KIB,
            index,
            &archive,
            &password,
            source,
        )
        .for_each_entries(&mut |entry, reader| {
            if entry.is_directory() {
                return Ok(true);
            }
            let handed = each(RawMember {
                name: entry.name().to_string(),
                size: entry.size(),
                encrypted: false,
                reader,
            });
            match handed {
                Ok(()) => Ok(true),
                Err(error) => {
                    stopped = Some(error);
                    Ok(false)
                }
            }
        })
        .map_err(damaged_seven_z)?;
        if let Some(error) = stopped {
            return Err(error);
        }
    }
    // Files of encrypted blocks, and files with no bytes (no block at all).
    for (index, entry) in archive.files.iter().enumerate() {
        let block = archive
            .stream_map
            .file_block_index
            .get(index)
            .copied()
            .flatten();
        let encrypted = block
            .and_then(|block| archive.blocks.get(block))
            .is_some_and(encrypted);
        if entry.is_directory() || (block.is_some() && !encrypted) {
            continue;
        }
        each(RawMember {
            name: entry.name().to_string(),
            size: entry.size(),
            encrypted,
            reader: &mut std::io::empty(),
        })?;
    }
    Ok(())
}

/// The error of a 7z archive that cannot be read: encrypted when its list of files is (which
/// the crate reports as a method it lacks, AES, since Lantern builds it without decryption).
fn damaged_seven_z(err: sevenz_rust2::Error) -> ExtractError {
    use sevenz_rust2::{EncoderMethod, Error};
    match err {
        Error::PasswordRequired | Error::MaybeBadPassword(_) => ExtractError::Encrypted,
        Error::UnsupportedCompressionMethod(method)
            if method == EncoderMethod::AES256_SHA256.name() =>
        {
            ExtractError::Encrypted
        }
        other => ExtractError::Damaged(format!("not a valid 7z archive: {other}")),
    }
}

/// All of `reader`, up to `limit` bytes: an archive that must be held to be read.
fn read_within(reader: &mut dyn Read, limit: u64) -> Result<Vec<u8>, ExtractError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| ExtractError::Damaged(err.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ExtractError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Hands each file of the zip archive `input` to `each`: directories are left out; an encrypted
/// member is handed over flagged, without its bytes.
fn zip_members(
    input: Input<'_>,
    limit: u64,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    match input {
        Input::Seekable(reader) => walk_zip(ZipArchive::new(reader).map_err(damaged_zip)?, each),
        // The central directory is at the end: a zip read as a stream (inflated from a `.gz`)
        // is held in memory, within the walk's limit.
        Input::Stream(reader) => {
            let bytes = read_within(reader, limit)?;
            walk_zip(
                ZipArchive::new(Cursor::new(bytes)).map_err(damaged_zip)?,
                each,
            )
        }
    }
}

/// Walks the members of an open zip archive.
fn walk_zip<R: Read + std::io::Seek>(
    mut archive: ZipArchive<R>,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    for index in 0..archive.len() {
        let (name, size, encrypted) = {
            let raw = archive.by_index_raw(index).map_err(damaged_zip)?;
            if raw.is_dir() {
                continue;
            }
            let name = String::from_utf8_lossy(raw.name_raw()).into_owned();
            (name, raw.size(), raw.encrypted())
        };
        if encrypted {
            each(RawMember {
                name,
                size,
                encrypted: true,
                reader: &mut std::io::empty(),
            })?;
            continue;
        }
        let mut member = match archive.by_index(index) {
            Ok(member) => member,
            Err(zip::result::ZipError::UnsupportedArchive(what)) => {
                // A compression method Lantern does not inflate: the member only.
                each(RawMember {
                    name: format!("{name} (unsupported: {what})"),
                    size,
                    encrypted: false,
                    reader: &mut std::io::empty(),
                })?;
                continue;
            }
            Err(err) => return Err(damaged_zip(err)),
        };
        each(RawMember {
            name,
            size,
            encrypted: false,
            reader: &mut member,
        })?;
    }
    Ok(())
}

/// The error of a zip archive that cannot be read.
fn damaged_zip(err: zip::result::ZipError) -> ExtractError {
    ExtractError::Damaged(format!("not a valid zip archive: {err}"))
}

/// Hands each regular file of the tar archive `input` to `each`, in archive order, as it
/// streams past.
fn tar_members(
    input: Input<'_>,
    _limit: u64,
    each: &mut dyn FnMut(RawMember<'_>) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    let reader: &mut dyn Read = match input {
        Input::Seekable(reader) => reader,
        Input::Stream(reader) => reader,
    };
    let mut archive = tar::Archive::new(reader);
    let damaged = |err: std::io::Error| ExtractError::Damaged(format!("tar archive: {err}"));
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size();
        each(RawMember {
            name,
            size,
            encrypted: false,
            reader: &mut entry,
        })?;
    }
    Ok(())
}
