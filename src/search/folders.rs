//! Folder facets: how many matching documents are in each folder one level below a base folder
//! (the roots themselves by default, the folder of a `--path` filter when there is one), counted
//! from the `path` fast field the index already has.
//!
//! A path key starts with its root's, and the dictionary of the `path` column is sorted, so the
//! documents of one folder are one run of ordinals. Counting reads one ordinal per matching
//! document; the folders are then found by decoding the first path of each run and looking up
//! where its folder's run ends (one dictionary lookup per folder and segment), never every path.
//! A hierarchical facet field (tantivy's `Facet`) would cost a column and terms per folder level
//! in the index, for counts this gets from a column the index already keeps.

use std::collections::BTreeMap;

use tantivy::columnar::{StrColumn, TermOrdHit};

/// What separates an archive from its member in a path key.
const MEMBER_SEPARATOR: &str = "::";

/// Which folders to count: those one level below `base` in every root.
#[derive(Clone, Debug, Default)]
pub(super) struct FolderScope {
    /// The path keys of the roots, each ending with `/`, shortest first: a path under nested
    /// roots is counted under the outermost, which is the one walked.
    roots: Vec<String>,
    /// The folder whose subfolders are counted, relative to a root, without slashes at its
    /// ends; empty for the roots themselves.
    base: String,
}

impl FolderScope {
    /// The folders one level below `base` (relative to its root) in each of `roots` (path keys).
    pub(super) fn new<'r>(roots: impl Iterator<Item = &'r str>, base: &str) -> FolderScope {
        let mut roots: Vec<String> = roots
            .map(|root| {
                let mut root = root.to_string();
                if !root.ends_with('/') {
                    root.push('/');
                }
                root
            })
            .collect();
        roots.sort_by_key(|root| root.len());
        FolderScope {
            roots,
            base: base.trim_matches('/').to_string(),
        }
    }

    /// The folder `key` is counted in, relative to its root, and the prefix every path key of
    /// that folder starts with; `None` when `key` is not below the base folder, or directly in
    /// it (a file, not in a subfolder).
    fn folder_of<'k>(&self, key: &'k str) -> Option<(String, &'k str)> {
        let root = self
            .roots
            .iter()
            .find(|root| key.starts_with(root.as_str()))?;
        let relative = &key[root.len()..];
        let below = if self.base.is_empty() {
            relative
        } else {
            let rest = relative.strip_prefix(self.base.as_str())?;
            rest.strip_prefix('/')
                .or_else(|| rest.strip_prefix(MEMBER_SEPARATOR))?
        };
        let slash = below.find('/');
        let member = below.find(MEMBER_SEPARATOR);
        let (name, separator) = match (slash, member) {
            (Some(slash), Some(member)) if member < slash => (member, MEMBER_SEPARATOR.len()),
            (Some(slash), _) => (slash, 1),
            (None, Some(member)) => (member, MEMBER_SEPARATOR.len()),
            (None, None) => return None,
        };
        let component = &below[..name];
        if component.is_empty() {
            return None;
        }
        let folder = if self.base.is_empty() {
            component.to_string()
        } else {
            format!("{}/{component}", self.base)
        };
        let prefix_len = key.len() - below.len() + name + separator;
        Some((folder, &key[..prefix_len]))
    }

    /// Adds to `counts` the documents of each folder among those whose path ordinals in `paths`
    /// are `ords` (sorted here).
    pub(super) fn count(
        &self,
        paths: &StrColumn,
        ords: &mut [u64],
        counts: &mut BTreeMap<String, usize>,
    ) -> std::io::Result<()> {
        ords.sort_unstable();
        let mut key = String::new();
        let mut at = 0;
        while at < ords.len() {
            key.clear();
            if !paths.ord_to_str(ords[at], &mut key)? {
                at += 1;
                continue;
            }
            let Some((folder, prefix)) = self.folder_of(&key) else {
                at += 1;
                continue;
            };
            // The first key past the folder's: its prefix with the last byte (`/` or `:`) one up.
            let mut end = prefix.as_bytes().to_vec();
            if let Some(last) = end.last_mut() {
                *last += 1;
            }
            let end = match paths.dictionary().term_ord_or_next(&end)? {
                TermOrdHit::Exact(ord) | TermOrdHit::Next(ord) => ord,
            };
            let run = ords[at..].partition_point(|&ord| ord < end).max(1);
            *counts.entry(folder).or_default() += run;
            at += run;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_counted_in_its_folder_one_level_below_the_base() {
        let roots = FolderScope::new(
            ["/src/linux", "/src/linux/drivers", "/docs/"].into_iter(),
            "",
        );
        let folder = |key| roots.folder_of(key);
        assert_eq!(
            folder("/src/linux/drivers/usb/core.c"),
            Some(("drivers".to_string(), "/src/linux/drivers/"))
        );
        assert_eq!(folder("/src/linux/Makefile"), None);
        assert_eq!(
            folder("/docs/manual.zip::intro/a.txt"),
            Some(("manual.zip".to_string(), "/docs/manual.zip::"))
        );
        assert_eq!(folder("/elsewhere/a/b.txt"), None);
        let drivers = FolderScope::new(["/src/linux"].into_iter(), "/drivers/");
        assert_eq!(
            drivers.folder_of("/src/linux/drivers/usb/core.c"),
            Some(("drivers/usb".to_string(), "/src/linux/drivers/usb/"))
        );
        assert_eq!(drivers.folder_of("/src/linux/drivers/Kconfig"), None);
        assert_eq!(drivers.folder_of("/src/linux/driversx/usb/a.c"), None);
        assert_eq!(
            drivers.folder_of("/src/linux/staging/drivers/usb/a.c"),
            None
        );
    }
}
