//! A document's identity: the bytes of its file's path, as a term.
//!
//! Index terms are text, and a Unix path is bytes that need not be UTF-8. Two names that differ
//! only in invalid bytes would share one lossy form, and so one document. The key keeps every
//! valid UTF-8 run as it is and writes each other byte as a NUL and two hex digits: no path holds
//! a NUL, so distinct paths get distinct keys, and a valid UTF-8 path is its own key.
//!
//! A member of an archive (or of an archive in an archive) is keyed by its container's key, then
//! for each level [`MEMBER_SEPARATOR`] and the member's name: `report.zip` NUL `::docs/q3.pdf`.
//! A NUL followed by `:` is no escape, and member names have their control characters replaced,
//! so where the container's path ends is never in doubt, even for names that contain `::`.
//! People see the key with the NUL dropped: `report.zip::docs/q3.pdf`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Marks an escaped byte in a key; it never occurs in a path.
const ESCAPE: char = '\0';

/// Separates a container's key from a member's name, and a member's name from the name of a
/// member nested in it.
pub const MEMBER_SEPARATOR: &str = "\0::";

/// The key of the member at `path` (one name per nesting level) of the file keyed `container`.
pub fn member_key(container: &str, path: &[String]) -> String {
    let mut key = container.to_string();
    for name in path {
        key.push_str(MEMBER_SEPARATOR);
        key.push_str(name);
    }
    key
}

/// The key of the file on disk that holds the document keyed `key`, and the member's path
/// (`::`-separated) when the document is a member.
pub fn split_member(key: &str) -> (&str, Option<String>) {
    match key.split_once(MEMBER_SEPARATOR) {
        Some((container, member)) => (container, Some(member.replace(MEMBER_SEPARATOR, "::"))),
        None => (key, None),
    }
}

/// The path people see of the file on disk that holds the document keyed `key`: the file
/// itself, or the archive a member is in. Editors open this one.
pub fn display_file(key: &str) -> Cow<'_, str> {
    display_key(split_member(key).0)
}

/// The key of `path`: its bytes, with those that are not valid UTF-8 escaped.
pub fn path_key(path: &Path) -> String {
    let bytes = path_bytes(path);
    let mut key = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        key.push_str(chunk.valid());
        for byte in chunk.invalid() {
            key.push(ESCAPE);
            key.push_str(&format!("{byte:02x}"));
        }
    }
    key
}

/// The path a key stands for.
pub fn key_path(key: &str) -> PathBuf {
    if !key.contains(ESCAPE) {
        return PathBuf::from(key);
    }
    let mut bytes = Vec::with_capacity(key.len());
    let mut rest = key;
    while let Some((valid, escaped)) = rest.split_once(ESCAPE) {
        bytes.extend_from_slice(valid.as_bytes());
        let byte = escaped
            .get(..2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match byte {
            Some(byte) => {
                bytes.push(byte);
                rest = &escaped[2..];
            }
            None => rest = escaped,
        }
    }
    bytes.extend_from_slice(rest.as_bytes());
    path_from_bytes(bytes)
}

/// A key as people see it: each escaped byte as U+FFFD, like a lossy path.
pub fn display_key(key: &str) -> Cow<'_, str> {
    if !key.contains(ESCAPE) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(key_path(key).to_string_lossy().into_owned())
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes()
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn raw(bytes: &[u8]) -> PathBuf {
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }

    #[test]
    fn utf8_paths_are_their_own_keys() {
        assert_eq!(path_key(Path::new("/a/é.txt")), "/a/é.txt");
        assert_eq!(key_path("/a/é.txt"), Path::new("/a/é.txt"));
    }

    #[test]
    fn names_differing_only_in_invalid_bytes_get_distinct_keys() {
        let keys: Vec<String> = [&b"/d/a\xff"[..], b"/d/a\xfe", b"/d/a\xff\xfe"]
            .iter()
            .map(|bytes| path_key(&raw(bytes)))
            .collect();
        assert_eq!(keys, ["/d/a\u{0}ff", "/d/a\u{0}fe", "/d/a\u{0}ff\u{0}fe"]);
        for (bytes, key) in [&b"/d/a\xff"[..], b"/d/a\xfe", b"/d/a\xff\xfe"]
            .iter()
            .zip(&keys)
        {
            assert_eq!(key_path(key), raw(bytes));
            assert_eq!(display_key(key), raw(bytes).to_string_lossy());
        }
    }

    #[test]
    fn a_key_taken_as_a_path_is_its_own_key() {
        // What lets the MCP `read` tool take a hit's key where it takes a path.
        let key = path_key(&raw(b"/d/caf\xe9.txt"));
        assert_eq!(key, "/d/caf\u{0}e9.txt");
        assert_eq!(path_key(Path::new(&key)), key);
    }

    #[test]
    fn a_key_under_a_root_starts_with_the_root_key() {
        let root = raw(b"/d/\xffroot");
        let file = raw(b"/d/\xffroot/x\xfe.txt");
        assert!(path_key(&file).starts_with(&format!("{}/", path_key(&root))));
    }
}
