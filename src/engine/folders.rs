//! Folders for the folder facets, whichever engine counts them: which folder one level below a
//! base folder (the roots themselves, or the folder of a `--path` filter) a path key is counted
//! in, and the folder prefixes of a path key, which the OpenSearch engine stores to count them.
//!
//! A folder is a prefix of path keys ending with a separator: `/` between folders, `::` between
//! an archive and its members (so an archive counts as a folder of its members).

/// What separates an archive from its member in a path key.
const MEMBER_SEPARATOR: &str = "::";

/// Which folders to count: those one level below `base` in every root.
#[derive(Clone, Debug, Default)]
pub struct FolderScope {
    /// The path keys of the roots, each ending with `/`, shortest first: a path under nested
    /// roots is counted under the outermost, which is the one walked.
    roots: Vec<String>,
    /// The folder whose subfolders are counted, relative to a root, without slashes at its
    /// ends; empty for the roots themselves.
    base: String,
}

impl FolderScope {
    /// The folders one level below `base` (relative to its root) in each of `roots` (path keys).
    pub fn new<'r>(roots: impl Iterator<Item = &'r str>, base: &str) -> FolderScope {
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

    /// The folder of a search's path filters: the one filter's folder when there is exactly
    /// one (several are no one folder to drill into), else the roots themselves.
    pub fn base_of(paths: &[String]) -> &str {
        let mut paths = paths
            .iter()
            .map(|path| path.trim())
            .filter(|path| !path.is_empty());
        match (paths.next(), paths.next()) {
            (Some(path), None) => path,
            _ => "",
        }
    }

    /// The folder `key` is counted in, relative to its root, and the prefix every path key of
    /// that folder starts with; `None` when `key` is not below the base folder, or directly in
    /// it (a file, not in a subfolder).
    pub fn folder_of<'k>(&self, key: &'k str) -> Option<(String, &'k str)> {
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
        let (name, separator) = next_separator(below)?;
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

    /// A Lucene regular expression (as OpenSearch's `terms` aggregation takes in `include`)
    /// matching the folder prefixes one level below the base in every root: a superset of the
    /// prefixes [`FolderScope::folder_of`] gives (it decides, for nested roots), and no deeper
    /// ones, so that the engine returns one bucket per folder counted. `None` without roots.
    pub fn prefix_pattern(&self) -> Option<String> {
        if self.roots.is_empty() {
            return None;
        }
        let roots: Vec<String> = self.roots.iter().map(|root| escape(root)).collect();
        let base = if self.base.is_empty() {
            String::new()
        } else {
            format!("{}(/|::)", escape(&self.base))
        };
        // One component (no `/`, no `::`), then a separator.
        Some(format!("({}){base}(:?[^/:])*:?(/|::)", roots.join("|")))
    }
}

/// Where the first separator of `below` starts and how long it is: the first `/` or `::`.
fn next_separator(below: &str) -> Option<(usize, usize)> {
    let slash = below.find('/');
    let member = below.find(MEMBER_SEPARATOR);
    match (slash, member) {
        (Some(slash), Some(member)) if member < slash => Some((member, MEMBER_SEPARATOR.len())),
        (Some(slash), _) => Some((slash, 1)),
        (None, Some(member)) => Some((member, MEMBER_SEPARATOR.len())),
        (None, None) => None,
    }
}

/// Every folder prefix of `key`, shortest first: the key up to and including each of its
/// separators, found as [`FolderScope::folder_of`] finds them. What the OpenSearch engine stores
/// per document to count its folders at any depth below any root.
pub fn folder_prefixes(key: &str) -> Vec<&str> {
    let mut prefixes = Vec::new();
    let mut at = 0;
    while let Some((name, separator)) = next_separator(&key[at..]) {
        at += name + separator;
        prefixes.push(&key[..at]);
    }
    prefixes
}

/// `text` as a Lucene regular expression matching exactly it: every character that is not a
/// letter or digit escaped with a backslash, which Lucene reads as that character itself.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if !c.is_alphanumeric() {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
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

    #[test]
    fn the_prefixes_of_a_key_end_at_each_separator() {
        assert_eq!(
            folder_prefixes("/docs/manual.zip::intro/a:b.txt"),
            [
                "/",
                "/docs/",
                "/docs/manual.zip::",
                "/docs/manual.zip::intro/"
            ]
        );
        assert_eq!(folder_prefixes("a.txt"), Vec::<&str>::new());
        // Each prefix that is a folder of the scope is its own folder's prefix.
        let scope = FolderScope::new(["/docs"].into_iter(), "");
        let counted: Vec<&str> = folder_prefixes("/docs/manual.zip::intro/a.txt")
            .into_iter()
            .filter(|prefix| scope.folder_of(prefix).map(|(_, own)| own) == Some(*prefix))
            .collect();
        assert_eq!(counted, ["/docs/manual.zip::"]);
    }

    #[test]
    fn the_base_is_the_one_path_filter() {
        let paths = |paths: &[&str]| {
            paths
                .iter()
                .map(|path| path.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(FolderScope::base_of(&paths(&[" drivers "])), "drivers");
        assert_eq!(FolderScope::base_of(&paths(&["a", "b"])), "");
        assert_eq!(FolderScope::base_of(&paths(&[])), "");
    }

    #[test]
    fn the_pattern_escapes_the_roots_and_the_base() {
        let scope = FolderScope::new(["/a b.c"].into_iter(), "x+y");
        assert_eq!(
            scope.prefix_pattern().as_deref(),
            Some(r"(\/a\ b\.c\/)x\+y(/|::)(:?[^/:])*:?(/|::)")
        );
        assert_eq!(FolderScope::default().prefix_pattern(), None);
    }
}
