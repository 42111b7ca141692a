//! Finding, opening and creating the index folder, and clearing what a failed run left in it.

use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::error::OpenDirectoryError;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use super::catalog::Catalog;
use super::directory::IndexDirectory;
use super::error::IndexError;
use super::language::Language;
use super::schema::{self, LanternSchema};

/// The default index folder: `lantern/index` under the platform's data folder
/// (e.g. `~/.local/share/lantern/index` on Linux).
pub fn default_index_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("lantern")
        .join("index")
}

/// Opens the Lantern index at `dir` for reading, with a clear error when it is missing, may not
/// be read by this user, is corrupt, or was made by a version of Lantern that spells its terms
/// otherwise.
pub fn open_index(dir: &Path) -> Result<(Index, LanternSchema), IndexError> {
    let meta = dir.join("meta.json");
    if !meta.is_file() {
        return Err(IndexError::NoIndex(dir.to_path_buf()));
    }
    if let Err(err) = std::fs::File::open(&meta) {
        return Err(match err.kind() {
            io::ErrorKind::PermissionDenied => IndexError::PermissionDenied(dir.to_path_buf()),
            _ => IndexError::NoIndex(dir.to_path_buf()),
        });
    }
    let index = IndexDirectory::open(dir)
        .map_err(TantivyError::from)
        .and_then(Index::open)
        .map_err(|err| match err {
            TantivyError::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_)) => {
                IndexError::NoIndex(dir.to_path_buf())
            }
            cause => IndexError::Corrupt {
                path: dir.to_path_buf(),
                cause,
            },
        })?;
    let catalog = Catalog::load(&index)?;
    catalog.check_version(dir)?;
    schema::register_tokenizers(&index);
    let fields = LanternSchema::from_index(&index, catalog.language)?;
    Ok((index, fields))
}

/// A reader over the last commit of `index` (at `dir`); failing to load its segments means the
/// index is damaged.
pub fn open_reader(index: &Index, dir: &Path) -> Result<IndexReader, IndexError> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|cause| IndexError::Corrupt {
            path: dir.to_path_buf(),
            cause,
        })
}

/// Opens the index at `dir` for writing, creating the folder and an empty index stemmed in
/// `language` when needed (an existing index keeps its own language).
pub fn open_or_create_index(
    dir: &Path,
    language: Language,
) -> Result<(Index, LanternSchema), IndexError> {
    if dir.join("meta.json").is_file() {
        return open_index(dir);
    }
    std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let (schema, fields) = LanternSchema::build(language);
    let index = Index::create_in_dir(dir, schema).map_err(|cause| IndexError::Engine {
        path: dir.to_path_buf(),
        cause: format!("cannot create the index: {cause}"),
    })?;
    schema::register_tokenizers(&index);
    Ok((index, fields))
}

/// Removes the files of a tantivy index from `dir` (its meta files and every segment file, named
/// by a 32-digit hex id), so that a damaged index can be created anew. Other files are left.
pub(super) fn remove_index_files(dir: &Path) -> Result<(), IndexError> {
    let is_index_file =
        |name: &str| matches!(name, "meta.json" | ".managed.json") || segment_id(name).is_some();
    let entries = std::fs::read_dir(dir).map_err(|err| IndexError::Engine {
        path: dir.to_path_buf(),
        cause: format!("cannot list the folder: {err}"),
    })?;
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(is_index_file) {
            std::fs::remove_file(entry.path()).map_err(|err| IndexError::Engine {
                path: dir.to_path_buf(),
                cause: format!("cannot remove {}: {err}", entry.path().display()),
            })?;
        }
    }
    Ok(())
}

/// The segment a file of a tantivy index belongs to: its name is the segment's id, 32 hex
/// digits, and an extension.
fn segment_id(file_name: &str) -> Option<&str> {
    let (id, _) = file_name.split_once('.')?;
    (id.len() == 32 && id.bytes().all(|byte| byte.is_ascii_hexdigit())).then_some(id)
}

/// Deletes the files of segments the last commit of `index` (at `dir`) does not hold: what a
/// failed run wrote. tantivy's own garbage collection misses files it could not register, e.g.
/// on a full disk.
pub(super) fn remove_orphan_segments(index: &Index, dir: &Path) {
    let Ok(live) = index.searchable_segment_ids() else {
        return;
    };
    let live: Vec<String> = live.iter().map(|id| id.uuid_string()).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let orphan = name
            .to_str()
            .and_then(segment_id)
            .is_some_and(|id| !live.iter().any(|live| live == id));
        if orphan {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
