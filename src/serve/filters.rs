//! The filter parameters of the search page and of `/api/search`: `type`, `path`, `modified`
//! and `size`, as the CLI's `--type`, `--path`, `--modified` and `--size` (see
//! [`crate::query::Filters`]).

use serde::Deserialize;

use super::failure::Failure;
use crate::query::Filters;
use crate::search::{Sort, SortError};

/// What separates the values of a filter parameter but `path` (`type=pdf,html`,
/// `modified=>2023,2023-05`): no type, date or size holds it, a path may.
pub(super) const LIST_SEPARATOR: &str = ",";

/// The filter parameters besides `path` (which the search page has as a box of its own). Each
/// may list several values separated by [`LIST_SEPARATOR`], as the CLI's flags are repeated:
/// types are alternatives (`type=pdf,html`: either), dates and sizes must all hold
/// (`modified=>2023,2023-05`: a facet's month within what the box asked).
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct FilterParams {
    /// Document types: any of them.
    #[serde(rename = "type")]
    doc_type: Option<String>,
    /// Values of `modified:` (`2024-03`, `>now-7d`, `[2024-01-01 TO 2024-06-30]`): all of them.
    modified: Option<String>,
    /// Values of `size:` (`>10M`): all of them.
    size: Option<String>,
    /// Values of `date:`, the document's own date (`2020`, `>=2021-06`): all of them.
    date: Option<String>,
    /// The order of the hits (`modified`, `-size`...; see [`Sort`]); relevance when absent.
    sort: Option<String>,
    /// `0`: every copy of a text is a hit of its own (see [`crate::search::SearchRequest::collapse`]).
    collapse: Option<String>,
}

impl FilterParams {
    /// The parameters as the search page's controls show them and its links carry them,
    /// `(name, value)`, empty when absent.
    pub(super) fn values(&self) -> [(&'static str, &str); 6] {
        fn value(value: &Option<String>) -> &str {
            value.as_deref().unwrap_or_default()
        }
        [
            ("type", value(&self.doc_type)),
            ("modified", value(&self.modified)),
            ("size", value(&self.size)),
            ("date", value(&self.date)),
            ("sort", value(&self.sort)),
            ("collapse", value(&self.collapse)),
        ]
    }

    /// Whether the sort control shows `order` (relevance when none is given).
    pub(super) fn is_sort(&self, order: &str) -> bool {
        match self.value("sort") {
            "" => order == "relevance",
            sort => sort == order,
        }
    }

    /// The value of the control `name` (one of [`FilterParams::values`]'s), for the page.
    pub(super) fn value(&self, name: &str) -> &str {
        self.values()
            .into_iter()
            .find(|(named, _)| *named == name)
            .map_or("", |(_, value)| value)
    }

    /// Whether copies of one text are one hit: unless `collapse=0`.
    pub(super) fn collapse(&self) -> bool {
        self.collapse.as_deref().map(str::trim) != Some("0")
    }

    /// The order asked for; a sort that cannot be read is a bad request.
    pub(super) fn sort(&self) -> Result<Sort, Failure> {
        match self.sort.as_deref().map(str::trim) {
            None | Some("") => Ok(Sort::default()),
            Some(sort) => sort
                .parse()
                .map_err(|err: SortError| Failure::BadRequest(err.to_string())),
        }
    }

    /// The filters these parameters and the path filter `path` ask for.
    pub(super) fn filters(&self, path: &str) -> Filters {
        let list = |value: &Option<String>| {
            value
                .iter()
                .flat_map(|values| values.split(LIST_SEPARATOR))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        Filters {
            types: list(&self.doc_type),
            paths: vec![path.to_string()],
            modified: list(&self.modified),
            sizes: list(&self.size),
            dates: list(&self.date),
        }
    }
}
