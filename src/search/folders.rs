//! Folder facets on the local index: how many matching documents are in each folder one level
//! below a base folder ([`FolderScope`]: the roots themselves by default, the folder of a
//! `--path` filter when there is one), counted from the `path` fast field the index already has.
//!
//! A path key starts with its root's, and the dictionary of the `path` column is sorted, so the
//! documents of one folder are one run of ordinals. Counting reads one ordinal per matching
//! document; the folders are then found by decoding the first path of each run and looking up
//! where its folder's run ends (one dictionary lookup per folder and segment), never every path.
//! A hierarchical facet field (tantivy's `Facet`) would cost a column and terms per folder level
//! in the index, for counts this gets from a column the index already keeps.

use std::collections::BTreeMap;

use tantivy::columnar::{StrColumn, TermOrdHit};

use crate::engine::folders::FolderScope;

/// Adds to `counts` the documents of each folder of `scope` among those whose path ordinals in
/// `paths` are `ords` (sorted here).
pub(super) fn count_folders(
    scope: &FolderScope,
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
        let Some((folder, prefix)) = scope.folder_of(&key) else {
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
