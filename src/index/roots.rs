//! The roots of an indexing run: the folders named (or those the index holds), each checked and
//! made canonical, and walked once even when one lies inside another.

use std::path::{Path, PathBuf};

use super::catalog::Catalog;
use super::path_key::key_path;
use super::run::io_message;
use super::walk::{check_globs, WalkOptions};
use super::IndexError;

/// A folder to index and the rules that say which of its files belong to the index.
#[derive(Clone, Debug)]
pub struct Root {
    /// The absolute, symlink-free path.
    pub path: PathBuf,
    /// Which files are indexed.
    pub rules: WalkOptions,
}

/// The roots to walk: each once, and none inside another (its files are the outer root's), so
/// that no file is planned twice in one run.
pub(super) fn outermost(roots: &[Root]) -> Vec<&Root> {
    let mut sorted: Vec<&Root> = roots.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut walked: Vec<&Root> = Vec::new();
    for root in sorted {
        if !walked
            .iter()
            .any(|outer| root.path.starts_with(&outer.path))
        {
            walked.push(root);
        }
    }
    walked
}

/// The roots to index: those given, with `rules`, each absolute, symlink-free, a readable folder
/// and not the index itself; none given means every root of `catalog`, each with the rules it
/// was last indexed with.
pub(super) fn resolve_roots(
    given: &[PathBuf],
    rules: &WalkOptions,
    catalog: &Catalog,
    index_folder: Option<&Path>,
) -> Result<Vec<Root>, IndexError> {
    let root = |path: &Path, rules: &WalkOptions| -> Result<Root, IndexError> {
        let path = canonical_root(path, index_folder)?;
        check_globs(&path, rules).map_err(|err| IndexError::BadRoot {
            path: path.clone(),
            reason: err.to_string(),
        })?;
        Ok(Root {
            path,
            rules: rules.clone(),
        })
    };
    if given.is_empty() {
        if catalog.roots.is_empty() {
            return Err(IndexError::NoRoots);
        }
        return catalog
            .roots
            .iter()
            .map(|(key, record)| root(&key_path(key), &record.rules))
            .collect();
    }
    given.iter().map(|path| root(path, rules)).collect()
}

/// The roots of the index at `index_dir` that `lantern watch` keeps fresh: each folder `given`
/// (absolute and symlink-free), with the rules the index remembers for it, or `rules` when the
/// index does not hold it yet; none given means every root of the index with its own rules.
pub fn known_roots(
    index_dir: &Path,
    given: &[PathBuf],
    rules: &WalkOptions,
) -> Result<Vec<Root>, IndexError> {
    let catalog = if index_dir.join("meta.json").is_file() {
        let (index, _) = super::open_index(index_dir)?;
        Catalog::load(&index)?
    } else {
        Catalog::default()
    };
    let index_folder = index_dir.canonicalize().ok();
    let mut roots = resolve_roots(given, rules, &catalog, index_folder.as_deref())?;
    for root in &mut roots {
        if let Some(record) = catalog.roots.get(&super::path_key::path_key(&root.path)) {
            root.rules = record.rules.clone();
        }
    }
    Ok(roots)
}

/// The absolute, symlink-free form of a root, which must be a readable folder and must not be,
/// or lie inside, the index folder.
fn canonical_root(root: &Path, index_folder: Option<&Path>) -> Result<PathBuf, IndexError> {
    let bad_root = |reason: String| IndexError::BadRoot {
        path: root.to_path_buf(),
        reason,
    };
    let canonical = root.canonicalize().map_err(|err| {
        bad_root(match err.kind() {
            std::io::ErrorKind::NotFound => format!(
                "it does not exist; to drop it from the index, run 'lantern forget {}'",
                root.display()
            ),
            _ => io_message(err),
        })
    })?;
    if !canonical.is_dir() {
        return Err(bad_root("it is not a folder".to_string()));
    }
    std::fs::read_dir(&canonical).map_err(|err| bad_root(io_message(err)))?;
    if index_folder.is_some_and(|index| canonical.starts_with(index)) {
        return Err(bad_root(
            "it is the index folder itself; index another folder or put the index elsewhere (--index)"
                .to_string(),
        ));
    }
    Ok(canonical)
}
