//! "Open in editor" links: a URL template with `{path}`, `{line}` and `{column}`, as in
//! ripgrep's `--hyperlink-format`, or the name of a known editor.

use std::str::FromStr;

use super::urls::percent_encode_path;

/// The placeholders a template may use.
const PLACEHOLDERS: [&str; 3] = ["{path}", "{line}", "{column}"];

/// URL schemes a template may not use: they would run code in the page, not open an editor.
const FORBIDDEN_SCHEMES: [&str; 3] = ["javascript", "data", "vbscript"];

/// How to build a link that opens a file at a line and column in an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditorLinks {
    template: String,
}

/// Why an `--editor` value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditorLinksError {
    /// The template has no `{path}`.
    #[error("the editor template '{0}' has no {{path}}; use vscode, idea, sublime, file or a URL such as 'myeditor://open?file={{path}}&line={{line}}'")]
    NoPath(String),
    /// The template does not start with a URL scheme, or with one that runs code.
    #[error("the editor template '{0}' must start with a URL scheme such as 'vscode:' (not javascript:, data: or vbscript:)")]
    Scheme(String),
    /// The template has a `{...}` that is not one of the placeholders.
    #[error("the editor template '{template}' has an unknown placeholder '{placeholder}': use {{path}}, {{line}} and {{column}}")]
    Placeholder {
        /// The template.
        template: String,
        /// The unknown placeholder.
        placeholder: String,
    },
}

impl EditorLinks {
    /// The link opening `path` at `line` and `column` (both counted from 1; the column in
    /// characters). The path is percent-encoded, slashes kept.
    pub fn link(&self, path: &str, line: usize, column: usize) -> String {
        self.template
            .replace("{line}", &line.to_string())
            .replace("{column}", &column.to_string())
            .replace("{path}", &percent_encode_path(path))
    }
}

impl EditorLinks {
    /// True for `file://` links, which a browser follows from a local file but refuses from an
    /// `http://` page.
    pub fn is_file_url(&self) -> bool {
        self.template.starts_with("file:")
    }
}

impl Default for EditorLinks {
    /// `file://` links.
    fn default() -> Self {
        EditorLinks {
            template: "file://{path}".to_string(),
        }
    }
}

impl FromStr for EditorLinks {
    type Err = EditorLinksError;

    /// `vscode`, `idea`, `sublime`, `file`, or a template of one's own.
    fn from_str(text: &str) -> Result<EditorLinks, EditorLinksError> {
        let template = match text {
            "vscode" => "vscode://file{path}:{line}:{column}",
            "idea" => "idea://open?file={path}&line={line}&column={column}",
            "sublime" => "subl://open?url=file://{path}&line={line}&column={column}",
            "file" => "file://{path}",
            custom => custom,
        };
        check_template(template)?;
        Ok(EditorLinks {
            template: template.to_string(),
        })
    }
}

/// Checks that `template` starts with a harmless URL scheme, names `{path}` and no other
/// placeholder than the three.
fn check_template(template: &str) -> Result<(), EditorLinksError> {
    let scheme = template
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
        .ok_or_else(|| EditorLinksError::Scheme(template.to_string()))?;
    if FORBIDDEN_SCHEMES
        .iter()
        .any(|forbidden| scheme.eq_ignore_ascii_case(forbidden))
    {
        return Err(EditorLinksError::Scheme(template.to_string()));
    }
    if !template.contains("{path}") {
        return Err(EditorLinksError::NoPath(template.to_string()));
    }
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        let end = tail.find('}').map_or(tail.len(), |end| end + 1);
        let placeholder = &tail[..end];
        if !PLACEHOLDERS.contains(&placeholder) {
            return Err(EditorLinksError::Placeholder {
                template: template.to_string(),
                placeholder: placeholder.to_string(),
            });
        }
        rest = &tail[end..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_editors_fill_the_placeholders() {
        let vscode: EditorLinks = "vscode".parse().expect("known editor");
        assert_eq!(
            vscode.link("/a b/c#d.rs", 12, 3),
            "vscode://file/a%20b/c%23d.rs:12:3"
        );
        let file = EditorLinks::default();
        assert_eq!(file.link("/x/é", 1, 1), "file:///x/%C3%A9");
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(matches!(
            "javascript:alert({path})".parse::<EditorLinks>(),
            Err(EditorLinksError::Scheme(_))
        ));
        assert!(matches!(
            "ed://x".parse::<EditorLinks>(),
            Err(EditorLinksError::NoPath(_))
        ));
        assert!(matches!(
            "ed://{path}:{row}".parse::<EditorLinks>(),
            Err(EditorLinksError::Placeholder { .. })
        ));
        assert!("nvim://{path}:{line}".parse::<EditorLinks>().is_ok());
    }
}
