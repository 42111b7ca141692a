//! The search page's facets: how many of all the matching documents (not only the page's hits)
//! are of each type, were modified in each month and are in each folder, each count a link that
//! narrows the search to it, and the filters in force, each with a link that removes it. A facet
//! is a filter like those of the form's boxes: clicked, it adds its value to the box's URL
//! parameter, so the filter shows in the address, in its box and in the query run.
//!
//! How a click combines with the filters in force, by kind ([`Click`]): a month is added to the
//! dates asked (all must hold: the month within what the box asked); a type is added to the
//! types asked, which are alternatives as on most faceted pages (one document has one type, so
//! requiring two would find nothing), and the page counts the types without the type filter so
//! the others stay clickable; a folder replaces the folder asked, since the folders counted are
//! those one level below it (a drill-down).

use crate::search::Facets;

use super::filters::LIST_SEPARATOR;
use super::links::PageParams;

/// Values of a group shown at once; the others are behind a "more" toggle.
const SHOWN_VALUES: usize = 12;

/// What a click on a value not in force does to its parameter.
#[derive(Clone, Copy)]
enum Click {
    /// Adds the value to those of the parameter.
    Adds,
    /// Replaces the parameter's value: a folder is below the folder asked, so it narrows.
    DrillsDown,
}

/// A group of the panel: which counts of [`Facets`] it shows, and the filter a click sets.
struct FacetKind {
    /// The group's heading.
    title: &'static str,
    /// The URL parameter (and filter box) a click sets.
    param: &'static str,
    /// How a click combines with the parameter's values.
    click: Click,
    /// The counts shown.
    counts: fn(&Facets) -> &[(String, usize)],
}

/// The groups, in the panel's order.
const KINDS: [FacetKind; 3] = [
    FacetKind {
        title: "Type",
        param: "type",
        click: Click::Adds,
        counts: |facets: &Facets| facets.types.as_slice(),
    },
    FacetKind {
        title: "Modified",
        param: "modified",
        click: Click::Adds,
        counts: |facets: &Facets| facets.months.as_slice(),
    },
    FacetKind {
        title: "Folder",
        param: "path",
        click: Click::DrillsDown,
        counts: |facets: &Facets| facets.folders.as_slice(),
    },
];

/// The filter parameters, as the page names them.
const FILTERS: [&str; 5] = ["path", "type", "modified", "size", "date"];

/// The one filter parameter that holds one value (a path may hold the list separator); the
/// others list values as [`FilterParams::filters`](super::filters::FilterParams::filters) reads
/// them.
const SINGLE_PARAM: &str = "path";

/// One group of counts.
pub(super) struct FacetGroup {
    pub(super) title: &'static str,
    pub(super) param: &'static str,
    /// The first values, largest count first (months newest first).
    pub(super) shown: Vec<FacetValue>,
    /// The rest.
    pub(super) more: Vec<FacetValue>,
}

/// One value of a group and its count.
pub(super) struct FacetValue {
    pub(super) value: String,
    pub(super) count: usize,
    /// Narrows the search to this value or, when the filter already holds it, removes it.
    pub(super) href: String,
    /// The filter holds this value.
    pub(super) active: bool,
}

/// A filter in force, and the link that removes it.
pub(super) struct ActiveFilter {
    /// The parameter: `path`, `type`, `modified`, `size`.
    pub(super) param: &'static str,
    pub(super) value: String,
    /// The same search without this value.
    pub(super) remove_href: String,
}

/// The values of parameter `param` in `params`: the one value of `path`, the list of the
/// others; blanks dropped.
fn values_of<'a>(params: &'a PageParams, param: &str) -> Vec<&'a str> {
    let value = params.value(param);
    let values: Vec<&str> = if param == SINGLE_PARAM {
        vec![value]
    } else {
        value.split(LIST_SEPARATOR).collect()
    };
    values
        .into_iter()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .collect()
}

/// `params` without the value `value` of `param`.
fn without(params: &PageParams, param: &'static str, value: &str) -> PageParams {
    let rest: Vec<&str> = values_of(params, param)
        .into_iter()
        .filter(|kept| *kept != value)
        .collect();
    params.with(param, &rest.join(LIST_SEPARATOR))
}

/// `params` narrowed by a click on `value` of `kind`, not in force (see [`Click`]).
fn narrowed(params: &PageParams, kind: &FacetKind, value: &str) -> PageParams {
    match kind.click {
        Click::Adds => {
            let mut values = values_of(params, kind.param);
            values.push(value);
            params.with(kind.param, &values.join(LIST_SEPARATOR))
        }
        Click::DrillsDown => params.with(kind.param, value),
    }
}

/// The groups of counts of `facets` for the page asked with `params`; groups without counts
/// are left out.
pub(super) fn facet_groups(facets: &Facets, params: &PageParams) -> Vec<FacetGroup> {
    KINDS
        .iter()
        .filter_map(|kind| {
            let active = values_of(params, kind.param);
            let mut values: Vec<FacetValue> = (kind.counts)(facets)
                .iter()
                .map(|(value, count)| {
                    let on = active.contains(&value.as_str());
                    let target = if on {
                        without(params, kind.param, value)
                    } else {
                        narrowed(params, kind, value)
                    };
                    FacetValue {
                        value: value.clone(),
                        count: *count,
                        href: target.href(),
                        active: on,
                    }
                })
                .collect();
            if values.is_empty() {
                return None;
            }
            let more = values.split_off(values.len().min(SHOWN_VALUES));
            Some(FacetGroup {
                title: kind.title,
                param: kind.param,
                shown: values,
                more,
            })
        })
        .collect()
}

/// The filters in force on the page asked with `params`, each value apart.
pub(super) fn active_filters(params: &PageParams) -> Vec<ActiveFilter> {
    FILTERS
        .iter()
        .flat_map(|&param| {
            values_of(params, param)
                .into_iter()
                .map(move |value| ActiveFilter {
                    param,
                    value: value.to_string(),
                    remove_href: without(params, param, value).href(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::filters::FilterParams;

    // Facets may gain groups (folders) that these tests need not fill.
    #[allow(clippy::needless_update)]
    fn facets() -> Facets {
        Facets {
            types: vec![("pdf".to_string(), 3), ("html".to_string(), 1)],
            months: vec![("2024-03".to_string(), 4)],
            ..Facets::default()
        }
    }

    #[test]
    fn a_value_narrows_to_itself_and_an_active_one_is_removed() {
        let params = PageParams::new("q", "", &FilterParams::default(), "");
        let groups = facet_groups(&facets(), &params);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].shown[0].href, "/search?q=q&type=pdf");
        assert_eq!(groups[1].shown[0].href, "/search?q=q&modified=2024-03");
        assert!(!groups[0].shown[0].active);
        let narrowed = params.with("type", "pdf,html");
        let groups = facet_groups(&facets(), &narrowed);
        assert!(groups[0].shown[0].active);
        assert_eq!(groups[0].shown[0].href, "/search?q=q&type=html");
    }

    #[test]
    fn a_click_adds_a_type_or_a_month_and_drills_down_a_folder() {
        let facets = Facets {
            folders: vec![("docs/howto".to_string(), 2)],
            ..facets()
        };
        let params = PageParams::new("q", "docs", &FilterParams::default(), "")
            .with("type", "text")
            .with("modified", ">2023");
        let groups = facet_groups(&facets, &params);
        let href = |group: usize| groups[group].shown[0].href.clone();
        assert_eq!(
            href(0),
            "/search?q=q&path=docs&type=text%2Cpdf&modified=%3E2023"
        );
        assert_eq!(
            href(1),
            "/search?q=q&path=docs&type=text&modified=%3E2023%2C2024-03"
        );
        assert_eq!(
            href(2),
            "/search?q=q&path=docs%2Fhowto&type=text&modified=%3E2023"
        );
        let filters = FilterParams::default();
        let both = PageParams::new("q", "", &filters, "").with("modified", ">2023,2024-03");
        let removed: Vec<String> = active_filters(&both)
            .into_iter()
            .map(|filter| filter.remove_href)
            .collect();
        assert_eq!(
            removed,
            [
                "/search?q=q&modified=2024-03",
                "/search?q=q&modified=%3E2023"
            ]
        );
    }

    #[test]
    fn every_active_value_has_a_link_without_it() {
        let params = PageParams::new("q", "docs", &FilterParams::default(), "")
            .with("type", "pdf, html")
            .with("size", ">1M");
        let active: Vec<(&str, String, String)> = active_filters(&params)
            .into_iter()
            .map(|filter| (filter.param, filter.value, filter.remove_href))
            .collect();
        assert_eq!(
            active,
            [
                (
                    "path",
                    "docs".into(),
                    "/search?q=q&type=pdf%2C%20html&size=%3E1M".into()
                ),
                (
                    "type",
                    "pdf".into(),
                    "/search?q=q&path=docs&type=html&size=%3E1M".into()
                ),
                (
                    "type",
                    "html".into(),
                    "/search?q=q&path=docs&type=pdf&size=%3E1M".into()
                ),
                (
                    "size",
                    ">1M".into(),
                    "/search?q=q&path=docs&type=pdf%2C%20html".into()
                ),
            ]
        );
    }
}
