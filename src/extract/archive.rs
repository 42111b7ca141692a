//! Archives as formats of the table: `.zip` (and zips by content: `.jar`, `.whl`, `.apk`...)
//! and `.tar`. Their reader yields members one by one as streams; it never inflates a member
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
            let mut bytes = Vec::new();
            reader
                .take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|err| ExtractError::Damaged(err.to_string()))?;
            if bytes.len() as u64 > limit {
                return Err(ExtractError::TooLarge { limit });
            }
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
