//! The search page's links to itself: its parameters (query, filters, sort, spelling) carried
//! over, one of them changed. Paging, the facets, the removal of a filter and the corrected query
//! all link this way, so a link never drops what the page was asked.

use crate::render::with_params;

use super::filters::FilterParams;

/// The parameters of a search page, in the order its links write them.
#[derive(Clone, Debug)]
pub(super) struct PageParams {
    params: Vec<(&'static str, String)>,
}

impl PageParams {
    /// The parameters of the page asked with the search box `q`, the path filter `path`, the
    /// other controls `narrow` and spelling correction `correct` (`0` or empty).
    pub(super) fn new(q: &str, path: &str, narrow: &FilterParams, correct: &str) -> PageParams {
        let mut params = vec![("q", q.to_string()), ("path", path.to_string())];
        params.extend(
            narrow
                .values()
                .into_iter()
                .map(|(name, value)| (name, value.to_string())),
        );
        params.push(("correct", correct.to_string()));
        PageParams { params }
    }

    /// The value of `name`; empty when absent.
    pub(super) fn value(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(named, _)| *named == name)
            .map_or("", |(_, value)| value)
    }

    /// These parameters with `name` set to `value` (an empty value leaves it out of links).
    pub(super) fn with(&self, name: &'static str, value: &str) -> PageParams {
        let mut params = self.params.clone();
        match params.iter_mut().find(|(named, _)| *named == name) {
            Some((_, old)) => *old = value.to_string(),
            None => params.push((name, value.to_string())),
        }
        PageParams { params }
    }

    /// The link to the page these parameters ask for.
    pub(super) fn href(&self) -> String {
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        with_params("/search", &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_changes_one_parameter_and_keeps_the_others() {
        let params = PageParams::new("a b", "docs", &FilterParams::default(), "0");
        assert_eq!(params.href(), "/search?q=a%20b&path=docs&correct=0");
        assert_eq!(
            params.with("path", "").with("page", "2").href(),
            "/search?q=a%20b&correct=0&page=2"
        );
        assert_eq!(params.with("type", "pdf").value("type"), "pdf");
        assert_eq!(params.value("path"), "docs");
    }
}
