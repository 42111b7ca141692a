//! What `lantern status` reports about an index.

use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};

use super::catalog::{files_under, Catalog, RootRecord};
use super::language::Language;
use super::path_key::key_path;
use super::{guard_engine, open_index, open_reader, IndexError};
use crate::extract::DocumentType;

/// A summary of an index: where it is, what it holds, how big it is.
#[derive(Clone, Debug)]
pub struct IndexStatus {
    /// The index folder.
    pub location: PathBuf,
    /// Live documents in the whole index.
    pub documents: u64,
    /// Live documents of each type the index holds, in [`DocumentType::ALL`] order.
    pub types: Vec<(DocumentType, u64)>,
    /// Bytes the index folder takes on disk.
    pub size_on_disk: u64,
    /// Segments the index is made of.
    pub segments: usize,
    /// The language its words are stemmed in.
    pub language: Language,
    /// Each root, in path order.
    pub roots: Vec<RootStatus>,
}

impl IndexStatus {
    /// Archives under the roots whose members are documents, and those member documents.
    pub fn archives_and_members(&self) -> (u64, u64) {
        self.roots.iter().fold((0, 0), |(archives, members), root| {
            (archives + root.archives, members + root.members)
        })
    }
}

/// One indexed root.
#[derive(Clone, Debug)]
pub struct RootStatus {
    /// The root's absolute path.
    pub path: PathBuf,
    /// Live documents under the root, members of archives included.
    pub documents: u64,
    /// Archives under the root with members in the index.
    pub archives: u64,
    /// Documents of members of those archives.
    pub members: u64,
    /// What the catalog remembers of it.
    pub record: RootRecord,
}

/// Reads the status of the index at `dir`.
pub fn index_status(dir: &Path) -> Result<IndexStatus, IndexError> {
    guard_engine(dir, || read_status(dir))
}

fn read_status(dir: &Path) -> Result<IndexStatus, IndexError> {
    let (index, fields) = open_index(dir)?;
    let catalog = Catalog::load(&index)?;
    let searcher = open_reader(&index, dir)?.searcher();
    let roots = catalog
        .roots
        .into_iter()
        .map(|(path, record)| {
            let path = key_path(&path);
            let files = files_under(&searcher, &fields, &path)?;
            let members: u64 = files.values().map(|known| known.members.len() as u64).sum();
            let archives = files
                .values()
                .filter(|known| !known.members.is_empty())
                .count() as u64;
            Ok(RootStatus {
                path,
                documents: files.len() as u64 + members,
                archives,
                members,
                record,
            })
        })
        .collect::<Result<Vec<_>, IndexError>>()?;
    let mut types = Vec::new();
    for kind in DocumentType::ALL {
        let term = Term::from_field_text(fields.doc_type, kind.name());
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let count = searcher
            .search(&query, &Count)
            .map_err(IndexError::Tantivy)? as u64;
        if count > 0 {
            types.push((kind, count));
        }
    }
    Ok(IndexStatus {
        location: dir.to_path_buf(),
        documents: searcher.num_docs(),
        types,
        size_on_disk: folder_size(dir)?,
        segments: searcher.segment_readers().len(),
        language: fields.language,
        roots,
    })
}

/// The total size of the files directly in `dir` (a tantivy index folder is flat). A file that
/// vanishes meanwhile (a concurrent commit's garbage collection) counts nothing.
fn folder_size(dir: &Path) -> Result<u64, IndexError> {
    let unreadable = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::PermissionDenied => IndexError::PermissionDenied(dir.to_path_buf()),
        _ => IndexError::Engine {
            path: dir.to_path_buf(),
            cause: format!("cannot list the folder: {err}"),
        },
    };
    let mut total = 0;
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let Ok(metadata) = entry.and_then(|entry| entry.metadata()) else {
            continue;
        };
        if metadata.is_file() {
            total += metadata.len();
        }
    }
    Ok(total)
}
