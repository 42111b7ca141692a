//! `lantern mcp`: a Model Context Protocol server over stdio, for coding agents.
//!
//! Three tools, each a thin layer over the library: `search` runs a query ([`search`]), `read`
//! returns lines of an indexed document's stored text ([`read`]), `status` says what the index
//! holds ([`status`]). Each returns a small JSON value; failures an agent can act on (a malformed
//! query, a path that is not in the index, a missing or damaged index) are tool errors with a
//! message saying what to do, never a crash of the server.
//!
//! Every call opens the index anew, as each `lantern` command does: that reads `meta.json` and
//! maps the segment files, a millisecond or so, and a long-running server sees every commit
//! `lantern index` made since it started. The engine's blocking work runs on tokio's blocking
//! pool, so the protocol keeps being served meanwhile. Standard output carries the protocol
//! only.

mod framing;
mod read;
mod search;
mod status;

use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::QuitReason;
use rmcp::{tool, tool_handler, tool_router, ServerHandler, ServiceExt};

use crate::engine::{Engine, EngineError};
use crate::query::QueryError;
pub use crate::render::{AgentFragment, AgentHit, AgentResults, StatusView};
pub use read::{ReadArgs, ReadOutput};
pub use search::SearchArgs;

/// What the server tells an agent about itself when it connects.
const INSTRUCTIONS: &str = "Full-text search over the documents in a Lantern index (BM25 \
ranking). Use `search` with a Lucene query to find documents: each hit has its path and short \
fragments with the matched words between ** and **, each with its line. Use `read` with a hit's \
path (or its `key`, when it has one) to see the lines around a fragment (the text as indexed). `status` lists the indexed \
folders.";

/// Why a tool call failed; its message is what the agent sees, so it says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The query is malformed or too large.
    #[error("{}", describe_query_error(.query, .error))]
    InvalidQuery {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        error: QueryError,
    },
    /// The search could not run (missing or damaged index, time out, engine failure).
    #[error(transparent)]
    Search(EngineError),
    /// `read` named a path the index holds no document for.
    #[error("{0} is not in the index: read takes the path of a search hit, exactly as search returned it")]
    NotInIndex(String),
    /// An argument is out of its range.
    #[error("{0}")]
    BadArgument(String),
    /// The worker running the call ended without an answer.
    #[error("internal error running the tool: {0}; please report it")]
    Internal(String),
}

impl ToolError {
    /// The error of a search for `query`: a query problem is the caller's to fix.
    fn from_search(query: &str, error: EngineError) -> ToolError {
        match error {
            EngineError::Query(error) => ToolError::InvalidQuery {
                query: query.to_string(),
                error,
            },
            other => ToolError::Search(other),
        }
    }
}

/// A query error as the CLI prints it: what is wrong and, for a syntax error, the query with a
/// caret under the spot on the next lines.
fn describe_query_error(query: &str, error: &QueryError) -> String {
    match error {
        QueryError::Syntax(syntax) => {
            format!("invalid query: {error}\n{}", syntax.caret_line(query))
        }
        QueryError::TooLarge(_) | QueryError::InvalidRegex { .. } => {
            format!("invalid query: {error}")
        }
    }
}

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// The client did not complete the protocol's handshake.
    #[error("the MCP handshake failed: {0}")]
    Handshake(String),
    /// The task serving the connection failed.
    #[error("the MCP server failed: {0}")]
    Serve(String),
}

/// The MCP server over one index: the tools and the folder they read.
#[derive(Clone)]
pub struct LanternServer {
    engine: Arc<dyn Engine>,
    tool_router: ToolRouter<LanternServer>,
}

#[tool_router]
impl LanternServer {
    /// A server over `engine` (whose index need not exist yet: each call looks).
    pub fn new(engine: Arc<dyn Engine>) -> LanternServer {
        LanternServer {
            engine,
            tool_router: Self::tool_router(),
        }
    }

    /// The `search` tool: see [`search::run`]; the description is what the agent reads.
    #[tool(
        description = "Search the indexed documents with a query in Lucene's classic syntax: \
`rust mutex` (either word), `+rust -unsafe` (required / excluded), `a AND NOT b`, `\"a phrase\"`, \
`\"a b\"~5` (within 5 positions), `test*`, `te?t`, `roam~` (fuzzy), `/regex/`, `path:src` or \
`path:*.rs` (path components), `word^4` (boost). Returns the best hits (path, score, rank; a `key` \
for a path with bytes that are not UTF-8, to give `read`) with \
up to `fragments` short fragments each: matched words are between ** and **, `line` (and `page`) \
says where the fragment starts. `total` counts all matches; page with `offset` (`next_offset` is \
set when more hits exist). A query that is not valid syntax is searched as its words, and `note` \
says what was wrong. Misspelled words are corrected from the index's own words (`corrected_query` \
and `note` say so; `correct: false` searches the query as written; an OpenSearch index searches \
every query as written); `suggested_query` is a correction that would find many more hits."
    )]
    async fn search(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<Json<AgentResults>, String> {
        self.call(move |engine| search::run(engine, &args)).await
    }

    /// The `read` tool: see [`read::run`].
    #[tool(
        description = "Read lines of an indexed document's text, as the index stores it: \
`path` exactly as a search hit gave it (or the hit's `key`, which a hit carries when its path has \
bytes that are not UTF-8, shown as U+FFFD), `start_line` and `end_line` 1-based and inclusive \
(default: the first 200 lines; at most 500 lines and about 64 KB per call). Says the document's \
`total_lines`. Only indexed documents can be read."
    )]
    async fn read(
        &self,
        Parameters(args): Parameters<ReadArgs>,
    ) -> Result<Json<ReadOutput>, String> {
        self.call(move |engine| read::run(engine, &args)).await
    }

    /// The `status` tool: see [`status::run`].
    #[tool(
        description = "The index's status: where it is, its document count, size on disk, \
segments, and each indexed folder (root) with its documents and when it was last indexed; for an \
OpenSearch index, its cluster, health and nodes instead of the size and segments."
    )]
    async fn status(&self) -> Result<Json<StatusView>, String> {
        self.call(status::run).await
    }
}

impl LanternServer {
    /// Runs `work` on the engine on the blocking pool; its error becomes the tool error the
    /// agent sees.
    async fn call<T, F>(&self, work: F) -> Result<Json<T>, String>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Engine) -> Result<T, ToolError> + Send + 'static,
    {
        let engine = Arc::clone(&self.engine);
        let outcome = tokio::task::spawn_blocking(move || work(&*engine))
            .await
            .unwrap_or_else(|err| Err(ToolError::Internal(err.to_string())));
        outcome.map(Json).map_err(|err| err.to_string())
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for LanternServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("lantern", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// Bytes in flight between the framing and the MCP library, each way.
const PIPE_BYTES: usize = 64 << 10;

/// Serves `engine` over stdin and stdout until the client closes the
/// connection. Must run inside a tokio runtime (one thread is enough).
///
/// The MCP library talks through in-memory pipes: [`framing`] reads stdin, answers what is
/// not a valid message, and writes every answer to stdout a whole line at a time.
pub async fn serve_stdio(engine: Arc<dyn Engine>) -> Result<(), McpError> {
    let (server_input, client_messages) = tokio::io::duplex(PIPE_BYTES);
    let (server_output, server_messages) = tokio::io::duplex(PIPE_BYTES);
    let (replies, framing_replies) = tokio::sync::mpsc::channel(16);
    let reading = tokio::spawn(framing::forward_messages(
        tokio::io::stdin(),
        client_messages,
        replies,
    ));
    let writing = tokio::spawn(framing::write_output(
        server_messages,
        framing_replies,
        tokio::io::stdout(),
    ));
    let served = serve_messages(engine, server_input, server_output).await;
    // Normally the input has ended already; when the server stopped first (a failed
    // handshake), no more replies are wanted.
    reading.abort();
    // Everything answered is written before the server returns; a client that is gone cannot
    // be written to, and is no failure of the server.
    let _client_gone = writing.await;
    served
}

/// Runs the MCP server on the messages of `input`, answering on `output`, until `input` ends.
async fn serve_messages(
    engine: Arc<dyn Engine>,
    input: tokio::io::DuplexStream,
    output: tokio::io::DuplexStream,
) -> Result<(), McpError> {
    let running = LanternServer::new(engine)
        .serve((input, output))
        .await
        .map_err(|err| McpError::Handshake(err.to_string()))?;
    let reason = running
        .waiting()
        .await
        .map_err(|err| McpError::Serve(err.to_string()))?;
    // The client closing the connection is the normal end.
    match reason {
        QuitReason::JoinError(err) => Err(McpError::Serve(err.to_string())),
        _ => Ok(()),
    }
}
