//! Lantern: full-text search over a folder of documents, with highlighted fragments.
//!
//! The library is split by concern: [`extract`] turns the bytes of a file into text, title and
//! fields (no engine, no index), [`index`] walks folders and builds the tantivy index,
//! [`engine`] is the one interface to where documents are stored and searched (the local index
//! or an OpenSearch index), [`search`] parses queries and runs them on the local index (within
//! a [`deadline`]), [`highlight`] cuts marked fragments out of documents, [`render`] prints
//! results as text, JSON or HTML, [`serve`] offers search as a local web application and JSON
//! API, [`mcp`] serves searches to coding agents over the Model Context Protocol, and [`watch`]
//! keeps an index fresh as files change. Only the binary prints to the
//! terminal, and the MCP server writes nothing but the protocol to stdout.

pub mod calendar;
pub mod deadline;
pub mod engine;
pub mod extract;
pub mod highlight;
pub mod index;
pub mod mcp;
pub mod panic;
pub mod query;
pub mod render;
pub mod search;
pub mod serve;
pub mod watch;
