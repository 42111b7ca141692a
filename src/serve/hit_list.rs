//! The hits of the search page under their roots: each path shown relative to the indexed folder
//! it is in, that folder named once above the list or, when the page's hits come from several,
//! above each run of hits from one of them (the order stays the ranking's). The full path stays
//! in each link's tooltip, and the links to the document and its original carry it whole.

use crate::render::{HtmlHit, Marks};
use crate::search::Hit;

/// The hits of a page, ready for the template.
pub(super) struct HitList {
    /// The root every hit is under, when they all are under one.
    pub(super) root: Option<String>,
    pub(super) hits: Vec<ListedHit>,
}

/// A hit and, when it starts a run of hits from another root than the hit before, that root.
pub(super) struct ListedHit {
    pub(super) root: Option<String>,
    pub(super) hit: HtmlHit,
}

/// The innermost of `roots` that `path` is in (roots may hold one another).
fn root_of<'a>(path: &str, roots: &'a [String]) -> Option<&'a str> {
    roots
        .iter()
        .filter(|root| {
            path.strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/') || root.ends_with('/'))
        })
        .max_by_key(|root| root.len())
        .map(String::as_str)
}

/// `hits`, each rendered by `render`, listed under the roots among `roots` they are in.
pub(super) fn list_hits(
    hits: &[Hit],
    roots: &[String],
    marks: &Marks,
    render: impl Fn(&Hit) -> HtmlHit,
) -> HitList {
    let under: Vec<Option<&str>> = hits.iter().map(|hit| root_of(&hit.path, roots)).collect();
    let one_root = match under.split_first() {
        Some((first @ Some(_), rest)) if rest.iter().all(|root| root == first) => *first,
        _ => None,
    };
    let mut previous = None;
    let hits = hits
        .iter()
        .zip(&under)
        .map(|(hit, root)| {
            let shown = match root {
                Some(root) => render(hit).under_root(hit, marks, root),
                None => render(hit),
            };
            let starts_run = one_root.is_none() && root.is_some() && *root != previous;
            previous = *root;
            ListedHit {
                root: root.filter(|_| starts_run).map(str::to_string),
                hit: shown,
            }
        })
        .collect();
    HitList {
        root: one_root.map(str::to_string),
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::root_of;

    #[test]
    fn a_path_is_under_the_innermost_root_that_holds_it() {
        let roots = ["/a".to_string(), "/a/b".to_string(), "/".to_string()];
        assert_eq!(root_of("/a/b/c.txt", &roots), Some("/a/b"));
        assert_eq!(root_of("/a/bc.txt", &roots), Some("/a"));
        assert_eq!(root_of("/x.txt", &roots), Some("/"));
        assert_eq!(root_of("/x.txt", &roots[..2]), None);
    }
}
