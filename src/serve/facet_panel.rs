//! The search page's facets: how many of all the matching documents (not only the page's hits)
//! are of each type and were modified in each month, each count a link that narrows the search
//! to it, and the filters in force, each with a link that removes it. A facet is a filter like
//! those of the form's boxes: clicked, it sets the box's URL parameter, so the filter shows in
//! the address, in its box and in the query run.

use crate::search::Facets;

use super::links::PageParams;

/// Values of a group shown at once; the others are behind a "more" toggle.
const SHOWN_VALUES: usize = 12;

/// A group of the panel: which counts of [`Facets`] it shows, and the filter a click sets.
struct FacetKind {
    /// The group's heading.
    title: &'static str,
    /// The URL parameter (and filter box) a click sets.
    param: &'static str,
    /// The counts shown.
    counts: fn(&Facets) -> &[(String, usize)],
}

/// The groups, in the panel's order.
const KINDS: [FacetKind; 3] = [
    FacetKind {
        title: "Type",
        param: "type",
        counts: |facets: &Facets| facets.types.as_slice(),
    },
    FacetKind {
        title: "Modified",
        param: "modified",
        counts: |facets: &Facets| facets.months.as_slice(),
    },
    FacetKind {
        title: "Folder",
        param: "path",
        counts: |facets: &Facets| facets.folders.as_slice(),
    },
];

/// The filter parameters, as the page names them.
const FILTERS: [&str; 5] = ["path", "type", "modified", "size", "date"];

/// The one filter parameter that lists values, comma-separated, as
/// [`FilterParams::filters`](super::filters::FilterParams::filters) reads it.
const LIST_PARAM: &str = "type";

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

/// The values of parameter `param` in `params`: the comma-separated list of `type`, the one
/// value of the others; blanks dropped.
fn values_of<'a>(params: &'a PageParams, param: &str) -> Vec<&'a str> {
    let value = params.value(param);
    let values: Vec<&str> = if param == LIST_PARAM {
        value.split(',').collect()
    } else {
        vec![value]
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
    params.with(param, &rest.join(","))
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
                        params.with(kind.param, value)
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
