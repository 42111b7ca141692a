//! Incremental bookkeeping: which roots the index holds, and what it knows of each file under them;
//! and what the index was made as (its schema version).
//!
//! The catalog travels in the payload of tantivy's commit, so it is written atomically with the
//! documents it describes: an interrupted run can never leave the two disagreeing.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, Searcher, TERMINATED};

use super::language::Language;
use super::path_key::{path_key, split_member};
use super::schema::{LanternSchema, SCHEMA_VERSION};
use super::walk::WalkOptions;
use super::IndexError;

/// What an index records besides its documents: how it was made, and the roots it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The [`SCHEMA_VERSION`] the index was made with; indexes made before versions were
    /// recorded read as version 1.
    #[serde(default = "unversioned")]
    pub schema_version: u32,
    /// The language a searched word's other forms are found in.
    #[serde(default)]
    pub language: Language,
    /// Every root ever indexed and not removed, keyed by the path key of its absolute path.
    pub roots: BTreeMap<String, RootRecord>,
}

impl Default for Catalog {
    /// The catalog of a new, empty index: made as this version of Lantern makes indexes.
    fn default() -> Catalog {
        Catalog {
            schema_version: SCHEMA_VERSION,
            language: Language::default(),
            roots: BTreeMap::new(),
        }
    }
}

/// The version of indexes made before the version was recorded.
fn unversioned() -> u32 {
    1
}

/// What the index remembers of one root.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RootRecord {
    /// When the last complete run over this root finished (seconds since the Unix epoch), if ever.
    pub last_indexed: Option<u64>,
    /// False while a run over the root is under way (or was interrupted): the root then holds only
    /// what was committed so far, and the next run completes it.
    pub complete: bool,
    /// The rules the root was last indexed with (absent in older indexes: the defaults).
    #[serde(default)]
    pub rules: WalkOptions,
}

impl Catalog {
    /// Reads the catalog from the index's last commit (empty for a new index).
    pub fn load(index: &Index) -> Result<Catalog, IndexError> {
        let metas = index.load_metas().map_err(IndexError::Tantivy)?;
        match metas.payload {
            None => Ok(Catalog::default()),
            Some(payload) => serde_json::from_str(&payload)
                .map_err(|err| IndexError::BadCatalog(err.to_string())),
        }
    }

    /// Fails when the index was made with another schema version than this Lantern's: its
    /// terms or fields would be misread.
    pub fn check_version(&self, dir: &Path) -> Result<(), IndexError> {
        if self.schema_version == SCHEMA_VERSION {
            return Ok(());
        }
        Err(IndexError::OtherVersion {
            path: dir.to_path_buf(),
            found: self.schema_version,
        })
    }

    /// The catalog as the payload of a commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("a catalog always serializes")
    }
}

/// The state of a file as the index last saw it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileStamp {
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: u64,
    /// Size in bytes.
    pub size: u64,
}

/// What the index holds of one file: its stamp, and the keys of its members' documents when it
/// is an archive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownFile {
    /// The file as last indexed (zero when only members of it are in the index).
    pub stamp: FileStamp,
    /// The keys of the documents of its members.
    pub members: Vec<String>,
}

/// Lists every file under `root` the index holds documents of, by path key, with its stamp and
/// its members (a member's document is listed under its container's key). Reads only the term
/// dictionary of `path` (a range scan over the root's prefix) and two fast fields, never the stored
/// text, so it costs milliseconds even for tens of thousands of files.
pub fn files_under(
    searcher: &Searcher,
    fields: &LanternSchema,
    root: &Path,
) -> Result<HashMap<String, KnownFile>, IndexError> {
    let prefix = root_prefix(root);
    // Paths under the root are exactly the terms in [prefix, prefix with its last byte bumped).
    let mut end = prefix.clone().into_bytes();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let mut files = HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(fields.path)
            .map_err(IndexError::Tantivy)?;
        let fast = segment.fast_fields();
        let mtimes = fast.u64("mtime").map_err(IndexError::Tantivy)?;
        let sizes = fast.u64("size").map_err(IndexError::Tantivy)?;
        let mut terms = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(&end)
            .into_stream()
            .map_err(|err| IndexError::Tantivy(err.into()))?;
        while terms.advance() {
            let mut postings = inverted
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                .map_err(|err| IndexError::Tantivy(err.into()))?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    let path = String::from_utf8_lossy(terms.key()).into_owned();
                    match split_member(&path) {
                        (container, Some(_)) => files
                            .entry(container.to_string())
                            .or_insert_with(KnownFile::default)
                            .members
                            .push(path),
                        (_, None) => {
                            let stamp = FileStamp {
                                mtime: mtimes.first(doc).unwrap_or(0),
                                size: sizes.first(doc).unwrap_or(0),
                            };
                            files.entry(path).or_insert_with(KnownFile::default).stamp = stamp;
                        }
                    }
                }
                doc = postings.advance();
            }
        }
    }
    Ok(files)
}

/// The prefix every path key under `root` starts with: the root's key and a trailing separator.
fn root_prefix(root: &Path) -> String {
    let mut prefix = path_key(root);
    if !prefix.ends_with(std::path::MAIN_SEPARATOR) {
        prefix.push(std::path::MAIN_SEPARATOR);
    }
    prefix
}
