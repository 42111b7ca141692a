//! Dropping roots from an index: their documents and their catalog entries, whether or not the
//! folders still exist.

use std::path::{Path, PathBuf};

use super::catalog::{files_under, Catalog};
use super::path_key::{display_key, path_key};
use super::writer::{commit, Writer, MIN_HEAP};
use super::{ensure_writable, guard_engine, open_index, open_reader, writer_error, IndexError};

/// Removes each of `roots` (as given, or as canonical paths when they still exist) from the index
/// at `index_dir`, with every document under it, in one commit. Returns how many documents went.
pub fn forget_roots(index_dir: &Path, roots: &[PathBuf]) -> Result<u64, IndexError> {
    guard_engine(index_dir, || {
        let (index, fields) = open_index(index_dir)?;
        ensure_writable(index_dir)?;
        let mut catalog = Catalog::load(&index)?;
        let keys = roots
            .iter()
            .map(|root| catalog_key(&catalog, root))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writer: Writer = index
            .writer_with_num_threads(1, MIN_HEAP)
            .map_err(|err| writer_error(index_dir, err))?;
        let searcher = open_reader(&index, index_dir)?.searcher();
        let mut removed = 0;
        for (root, key) in roots.iter().zip(&keys) {
            let resolved = root
                .canonicalize()
                .unwrap_or_else(|_| PathBuf::from(&**key));
            for (path, known) in files_under(&searcher, &fields, &resolved)? {
                for key in std::iter::once(&path).chain(&known.members) {
                    writer.delete_term(fields.path_term(key));
                    removed += 1;
                }
            }
            catalog.roots.remove(key);
        }
        commit(&mut writer, &catalog)?;
        Ok(removed)
    })
}

/// The catalog's key for `root`: its canonical path's if it still exists, else its absolute
/// path's; an error naming the index's roots when neither is one.
fn catalog_key(catalog: &Catalog, root: &Path) -> Result<String, IndexError> {
    let candidates = [root.canonicalize().ok(), std::path::absolute(root).ok()];
    candidates
        .into_iter()
        .flatten()
        .map(|path| path_key(&path))
        .find(|key| catalog.roots.contains_key(key))
        .ok_or_else(|| IndexError::NotARoot {
            path: root.to_path_buf(),
            roots: catalog
                .roots
                .keys()
                .map(|key| display_key(key).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
        })
}
