//! Lantern: full-text search over a folder of documents, with highlighted fragments.
//!
//! The library is split by concern: [`index`] walks folders and builds the tantivy index,
//! [`search`] parses queries and runs them, [`highlight`] cuts marked fragments out of documents,
//! [`render`] prints results as text, JSON or HTML, and [`serve`] offers search as a local web
//! application and JSON API, and [`watch`] keeps an index fresh as files change. Only the binary prints to the terminal.

pub mod highlight;
pub mod index;
pub mod query;
pub mod render;
pub mod search;
pub mod serve;
pub mod watch;
