//! Building and opening the index: schema, walking, text detection, the writer pipeline and the
//! incremental bookkeeping.

mod budget;
mod catalog;
mod directory;
mod error;
pub mod fold;
mod forget;
pub mod language;
mod members;
mod open;
pub mod path_key;
mod pipeline;
mod plan;
mod queue;
mod reading;
mod roots;
mod run;
pub mod schema;
mod status;
mod storage;
pub mod text;
pub mod tokenizer;
pub mod walk;
mod writer;

use error::writer_error;
use open::{remove_index_files, remove_orphan_segments};

pub use catalog::{Catalog, FileStamp, RootRecord};
pub use error::{guard_engine, IndexError};
pub use forget::forget_roots;
pub use members::MemberRules;
pub use open::{default_index_dir, open_index, open_or_create_index, open_reader};
pub use pipeline::index_roots;
pub use reading::text_hash;
pub use roots::{known_roots, Root};
pub use run::{IndexObserver, IndexOptions, IndexStats, IndexWarning, Rebuild};
pub use schema::LanternSchema;
pub use status::{index_status, IndexStatus, RootStatus};
pub use storage::ensure_writable;
