//! Building URLs: percent-encoding of paths (file and editor links) and query parameters
//! (`lantern serve`'s own links).

/// `text` with every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) and `keep`
/// percent-encoded.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A file path for a URL: every byte percent-encoded but the unreserved ones and `/`.
pub(crate) fn percent_encode_path(path: &str) -> String {
    percent_encode(path, b"/")
}

/// A `file://` URL for an absolute path, percent-encoding every byte outside the unreserved set.
pub(crate) fn file_url(path: &str) -> String {
    format!("file://{}", percent_encode_path(path))
}

/// `route` with the query parameters `params` (names and values percent-encoded); parameters
/// whose value is empty are left out.
pub(crate) fn with_params(route: &str, params: &[(&str, &str)]) -> String {
    let mut url = route.to_string();
    let mut separator = '?';
    for (name, value) in params.iter().filter(|(_, value)| !value.is_empty()) {
        url.push(separator);
        url.push_str(&percent_encode(name, b""));
        url.push('=');
        url.push_str(&percent_encode(value, b""));
        separator = '&';
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_url_encodes_unsafe_bytes() {
        assert_eq!(file_url("/a b/\"x\"&é"), "file:///a%20b/%22x%22%26%C3%A9");
    }

    #[test]
    fn parameters_are_encoded_and_empty_ones_dropped() {
        assert_eq!(
            with_params(
                "/search",
                &[("q", "a&b \"c\""), ("path", ""), ("page", "2")]
            ),
            "/search?q=a%26b%20%22c%22&page=2"
        );
    }
}
