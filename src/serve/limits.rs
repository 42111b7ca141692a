//! What one request may cost: the bounds `lantern serve` puts on every request, documented in
//! the README's Limits section.

use std::time::Duration;

/// The longest query (after the filters are added), in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;

/// The longest request target (path and query string) accepted; longer gets 414. A query of
/// [`MAX_QUERY_BYTES`] percent-encoded takes at most three times as many, plus the other
/// parameters.
pub const MAX_URI_BYTES: usize = 3 * MAX_QUERY_BYTES + 1024;

/// Hits per page of the search page.
pub const PAGE_SIZE: usize = 50;

/// The most hits one API request may ask for.
pub const MAX_LIMIT: usize = 200;

/// The deepest a request may page: `offset` at most this (as Elasticsearch's default
/// `max_result_window`), since collecting the best `offset + limit` hits costs memory and time.
pub const MAX_OFFSET: usize = 10_000;

/// Searches and document pages running at once; more wait for a turn.
pub const MAX_CONCURRENT_SEARCHES: usize = 4;

/// Document pages made at once, each taking one of the [`MAX_CONCURRENT_SEARCHES`] turns:
/// the other turns stay for searches.
pub const MAX_CONCURRENT_DOCUMENTS: usize = 2;

/// How long a request waits for its turn before it gets 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// The time limit of one search (`SearchRequest::timeout`): past it, the hits found so far.
pub const SEARCH_TIMEOUT: Duration = Duration::from_secs(5);

/// The time limit of a whole request, waiting included; past it, 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The most bytes of a document the document page shows.
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;

/// The most lines one document page shows: a longer document is shown in parts, a page each.
pub const DOCUMENT_PART_LINES: usize = 5_000;

/// The most bytes of text one document page shows (a line longer than that is cut into parts).
/// With [`DOCUMENT_PART_LINES`] and [`DOCUMENT_PART_MARKS`] it bounds a page's size: at most
/// five bytes of HTML per byte of text (`&` is `&#38;`), some 100 per line and a few hundred
/// per match (its mark and the links of its line).
pub const DOCUMENT_PART_BYTES: usize = 256 << 10;

/// The most matches one document page marks; more start the next part.
pub const DOCUMENT_PART_MARKS: usize = 1_000;

/// How long a connection may take to send a request's headers; between requests, how long it
/// may stay idle. Past it, the connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection may make no progress at all, neither reading nor writing (a client
/// that stopped reading its answer), before it is closed. Longer than [`REQUEST_TIMEOUT`], so
/// that a request being answered is never cut.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The most connections held open, however many descriptors the process may have; past the
/// cap, the oldest idle connection is closed for a new one.
pub const MAX_CONNECTIONS: usize = 4096;

/// File descriptors kept for everything but connections (the index's files, the runtime,
/// standard streams), at the least.
pub const RESERVED_DESCRIPTORS: u64 = 64;

/// How long the server pauses accepting after accepting failed (out of descriptors).
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(10);

/// How long a shutdown waits for requests under way.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
