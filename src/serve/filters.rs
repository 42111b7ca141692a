//! The filter parameters of the search page and of `/api/search`: `type`, `path`, `modified`
//! and `size`, as the CLI's `--type`, `--path`, `--modified` and `--size` (see
//! [`crate::query::Filters`]).

use serde::Deserialize;

use crate::query::Filters;

/// The filter parameters besides `path` (which the search page has as a box of its own). One
/// value each; `type` may list several types separated by commas (`type=pdf,html`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct FilterParams {
    /// Document types, comma-separated: any of them.
    #[serde(rename = "type")]
    doc_type: Option<String>,
    /// A value of `modified:` (`2024-03`, `>now-7d`, `[2024-01-01 TO 2024-06-30]`).
    modified: Option<String>,
    /// A value of `size:` (`>10M`).
    size: Option<String>,
}

impl FilterParams {
    /// The filters these parameters and the path filter `path` ask for.
    pub(super) fn filters(&self, path: &str) -> Filters {
        let one = |value: &Option<String>| value.iter().cloned().collect::<Vec<_>>();
        Filters {
            types: self
                .doc_type
                .iter()
                .flat_map(|types| types.split(','))
                .map(str::to_string)
                .collect(),
            paths: vec![path.to_string()],
            modified: one(&self.modified),
            sizes: one(&self.size),
        }
    }
}
