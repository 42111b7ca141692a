//! Reading a loaded document's objects leniently: a missing or mistyped entry is `None`, a
//! stream's data is inflated under the caller's cap.

use lopdf::{Dictionary, Document, Object, Stream};

use super::ExtractError;

/// A loaded document and the cap on what any one of its streams may inflate to.
pub(super) struct Objects {
    pub(super) document: Document,
    pub(super) max_inflated: usize,
}

impl Objects {
    /// `object`, or what it refers to.
    pub(super) fn resolve<'a>(&'a self, object: &'a Object) -> Option<&'a Object> {
        self.document
            .dereference(object)
            .ok()
            .map(|(_, object)| object)
    }

    /// The value of `key` in `dict`, references followed.
    pub(super) fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        self.resolve(dict.get(key).ok()?)
    }

    /// The dictionary under `key` in `dict`, or a stream's dictionary.
    pub(super) fn dict<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        match self.get(dict, key)? {
            Object::Dictionary(dict) => Some(dict),
            Object::Stream(stream) => Some(&stream.dict),
            _ => None,
        }
    }

    /// The number under `key` in `dict`.
    pub(super) fn number(&self, dict: &Dictionary, key: &[u8]) -> Option<f32> {
        self.get(dict, key)?.as_float().ok()
    }

    /// The name under `key` in `dict`.
    pub(super) fn name<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        self.get(dict, key)?.as_name().ok()
    }

    /// The array under `key` in `dict`.
    pub(super) fn array<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
        self.get(dict, key)?.as_array().ok().map(Vec::as_slice)
    }

    /// The stream under `key` in `dict`.
    pub(super) fn stream<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Stream> {
        self.get(dict, key)?.as_stream().ok()
    }

    /// The stream's data, its filters undone. A stream inflating past the cap is refused; one
    /// that cannot be decoded is `None`.
    pub(super) fn data(&self, stream: &Stream) -> Result<Option<Vec<u8>>, ExtractError> {
        match stream.get_plain_content_with_limit(self.max_inflated) {
            Ok(data) => Ok(Some(data)),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(ExtractError::TooLarge {
                limit: self.max_inflated as u64,
            }),
            Err(_) => Ok(None),
        }
    }
}
