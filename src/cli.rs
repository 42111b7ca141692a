//! The whole command-line surface, declared with clap's derive API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// The version `--version` shows: the package version and the commit it was built from, as
/// `build.rs` found it.
const VERSION: &str = env!("LANTERN_BUILD_VERSION");
use lantern::index::language::Language;
use lantern::render::EditorLinks;
use lantern::search::Sort;

/// Full-text search over a folder of documents, with highlighted fragments.
#[derive(Debug, Parser)]
#[command(name = "lantern", version = VERSION, about, max_term_width = 100)]
pub struct Cli {
    /// Index folder [default: the platform data folder, e.g. ~/.local/share/lantern/index]
    #[arg(long, global = true, env = "LANTERN_INDEX", value_name = "PATH")]
    pub index: Option<PathBuf>,

    /// Store and search documents in an OpenSearch (or Elasticsearch 8) index instead of the
    /// local index folder, e.g. http://127.0.0.1:9200/docs; every command runs on it, serve,
    /// mcp and watch too. Credentials come from
    /// LANTERN_ENGINE_USER and LANTERN_ENGINE_PASSWORD, LANTERN_ENGINE_API_KEY, or the file
    /// LANTERN_ENGINE_CREDENTIALS names (never from the URL); LANTERN_ENGINE_CA names a PEM file
    /// of private CA certificates to trust instead of the system's.
    #[arg(long, global = true, env = "LANTERN_ENGINE", value_name = "URL")]
    pub engine: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index folders: new and changed files are (re)read, vanished ones removed; each member of
    /// an archive (zip, tar, compressed or not) is a document of its own.
    Index(IndexArgs),
    /// Search the index and print the best hits with highlighted fragments.
    Search(SearchArgs),
    /// Show where the index is, its roots, documents and size.
    Status(StatusArgs),
    /// Drop folders from the index, with every document under them (they need not exist).
    Forget(ForgetArgs),
    /// Print a completion script for a shell.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. to save as ~/.local/share/man/man1/lantern.1.
    Man,
    /// Serve the index to coding agents: a Model Context Protocol server on stdin/stdout, with
    /// tools to search, read indexed documents and show the status.
    Mcp,
    /// Serve search as a local web application and JSON API, until Ctrl-C.
    Serve(ServeArgs),
    /// Keep the index fresh: catch up, then apply changes to files as they happen, until Ctrl-C.
    Watch(WatchArgs),
}

/// Options of `lantern status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format: text for people, or one JSON document (the fields of `lantern serve`'s
    /// /api/status and of the MCP `status` tool).
    #[arg(long, value_enum, default_value_t = StatusFormat::Text, value_name = "FORMAT")]
    pub format: StatusFormat,
}

/// Output formats of `lantern status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Aligned lines, for people.
    Text,
    /// One JSON document, for scripts.
    Json,
}

/// Options of `lantern watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Folders to watch, each with the rules it was indexed with; a folder the index does not
    /// hold yet, and every folder on an OpenSearch engine (which keeps no rules), is walked with
    /// the default rules [default: every root of the index]
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Apply a burst of changes once files have been quiet this long, e.g. 500ms or 2s.
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = parse_duration)]
    pub commit_delay: Duration,

    /// How often to re-scan folders the system cannot watch (see --poll), e.g. 30s or 5m.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub poll_interval: Duration,

    /// Re-scan every folder each --poll-interval instead of asking the system for notifications
    /// (for network file systems, whose remote changes the system does not report).
    #[arg(long)]
    pub poll: bool,

    /// Threads for walking and reading files, and as many for indexing [default: number of CPUs]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Memory for the indexing threads' in-memory segments during a pass, e.g. 256M or 1G.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub memory: u64,

    /// Skip files (and members of archives, unpacked) larger than this, with a warning (at most 1G).
    #[arg(long, value_name = "SIZE", default_value = "32M", value_parser = parse_file_size)]
    pub max_file_size: u64,

    #[command(flatten)]
    pub extract: ExtractArgs,

    #[command(flatten)]
    pub priority: PriorityArgs,
}

/// Options of `lantern serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port). Anything but a loopback address
    /// makes the index readable from other machines.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR:PORT")]
    pub bind: SocketAddr,

    /// What "open in editor" links open: vscode, idea, sublime, file, or a URL template with
    /// {path}, {line} and {column}, e.g. 'nvim://open?file={path}&line={line}'.
    #[arg(long, default_value = "file", value_name = "EDITOR")]
    pub editor: EditorLinks,
}

/// Options of `lantern forget`.
#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// Roots of the index to drop.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

/// Options of `lantern index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders to index; each becomes a root of the index [default: every root it already has]
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Also index hidden files and folders (names starting with '.').
    #[arg(long, requires = "dirs")]
    pub hidden: bool,

    /// Follow symbolic links (loops are detected and skipped).
    #[arg(long, requires = "dirs")]
    pub follow: bool,

    /// Also index files that .gitignore, .ignore, .lanternignore and git's exclude files exclude.
    #[arg(long, requires = "dirs")]
    pub no_ignore: bool,

    /// Index only files matching GLOB (relative to the folder); `!GLOB` excludes. Repeatable.
    /// Members of archives are matched as if the archive were a folder (`logs.tar.gz/app.log`).
    #[arg(long = "glob", short = 'g', value_name = "GLOB", requires = "dirs")]
    pub globs: Vec<String>,

    /// Descend at most N folders below each folder named (0: its own files only).
    #[arg(long, value_name = "N", requires = "dirs")]
    pub max_depth: Option<usize>,

    /// Forget what the index holds for these folders and index them from scratch.
    #[arg(long)]
    pub rebuild: bool,

    /// Stem words in LANG: an unquoted word then finds every form with its stem (`threads`
    /// finds `thread`), exact forms ranked first. A Snowball language (english, french, german,
    /// spanish, russian...: `lantern status` shows the index's) or `none`. Default: the index's
    /// own language, english for a new index; another language rebuilds the whole index (on an
    /// OpenSearch index, --engine, it is refused: index into a new index instead).
    #[arg(long, value_name = "LANG", value_parser = Language::from_name)]
    pub language: Option<Language>,

    /// Threads for walking and reading files, and as many for indexing [default: number of CPUs]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Memory for the indexing threads' in-memory segments, e.g. 512M or 1G.
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
    pub memory: u64,

    /// Skip files (and members of archives, unpacked) larger than this, with a warning (at most 1G).
    #[arg(long, value_name = "SIZE", default_value = "32M", value_parser = parse_file_size)]
    pub max_file_size: u64,

    #[command(flatten)]
    pub extract: ExtractArgs,

    #[command(flatten)]
    pub priority: PriorityArgs,

    /// Commit after this much text, so an interrupted run keeps what it did.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub commit_every: u64,
}

/// Options of `lantern search`.
#[derive(Debug, Args)]
#[command(after_help = SEARCH_HELP)]
pub struct SearchArgs {
    /// The query, in Lucene's classic syntax (see below); several words are one query, as if
    /// quoted together: `lantern search font encoding` is `lantern search 'font encoding'`.
    /// May be left out when a filter is given: then every document passing the filters.
    #[arg(value_name = "QUERY", num_args = 1..,
          required_unless_present_any = ["doc_type", "path", "modified", "date", "size"])]
    pub query: Vec<String>,

    /// The order of the hits: relevance (best first), modified (newest first), date (the
    /// document's own date, newest first; those without one last), size (largest first) or path
    /// (A to Z); a leading '-' reverses the last four (-modified: oldest first).
    #[arg(
        long,
        value_name = "ORDER",
        default_value = "relevance",
        allow_hyphen_values = true
    )]
    pub sort: Sort,

    /// Count all matching documents (not only those shown) by type, by month of modification
    /// and by folder (one level below the roots, or below the one --path given): a line in
    /// text output, "facets" in JSON.
    #[arg(long)]
    pub facets: bool,

    /// Show every copy of a text as a hit of its own. By default documents with the same
    /// extracted text are one hit (the best-ranked copy; among equal scores the shortest path),
    /// followed by "also at:" and the other copies' paths; the total still counts every copy.
    #[arg(long)]
    pub no_collapse: bool,

    /// Only documents of this type (pdf, html, text, docx...); repeated, any of them.
    #[arg(long = "type", value_name = "TYPE")]
    pub doc_type: Vec<String>,

    /// Only documents whose path holds these components, e.g. drivers/net; repeated, any of
    /// them.
    #[arg(long, value_name = "PATH")]
    pub path: Vec<String>,

    /// Only documents modified then, as modified: takes it: 2024-03, '>=2024-03',
    /// '>now-7d', '[2024-01-01 TO 2024-06-30]' (UTC); repeated, all of them.
    #[arg(long, value_name = "DATES", allow_hyphen_values = true)]
    pub modified: Vec<String>,

    /// Only documents whose own date (PDF or office metadata, an e-book's date) is then, as
    /// date: takes it: 2020, '>=2021-06', '[2020 TO 2021]' (UTC); repeated, all of them.
    #[arg(long, value_name = "DATES", allow_hyphen_values = true)]
    pub date: Vec<String>,

    /// Only documents of this size, as size: takes it: '>10M', '<=512K', '[1K TO 1M]';
    /// repeated, all of them.
    #[arg(long, value_name = "SIZES", allow_hyphen_values = true)]
    pub size: Vec<String>,

    /// Join clauses that have no operator between them with AND instead of OR.
    #[arg(long)]
    pub and: bool,

    /// Search the query as written: do not replace words the index does not know with the
    /// nearest words it does (by default the hits are then those of the corrected query, and a
    /// line on stderr says so).
    #[arg(long)]
    pub no_correct: bool,

    /// Search a query that is not valid syntax as the words it holds, with the syntax error on
    /// stderr, instead of refusing it (exit 2).
    #[arg(long)]
    pub lenient: bool,

    /// How many hits to show, best first.
    #[arg(long, short = 'n', default_value_t = 50, value_name = "N")]
    pub limit: usize,

    /// Fragments per hit (0 to 100).
    #[arg(long, default_value_t = 3, value_name = "N",
          value_parser = clap::value_parser!(u16).range(0..=100))]
    pub fragments: u16,

    /// Maximum characters per fragment (1 to 10000).
    #[arg(long, default_value_t = 64, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=10_000))]
    pub fragment_chars: u16,

    /// Stop searching after this long and show the hits found so far, flagged as partial, e.g.
    /// 500ms, 5s or 1m; 0 means no limit.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_timeout)]
    pub timeout: Timeout,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Written before each match.
    #[arg(long, default_value = "<b>", value_name = "TAG")]
    pub pre_tag: String,

    /// Written after each match.
    #[arg(long, default_value = "</b>", value_name = "TAG")]
    pub post_tag: String,

    /// Show matches in colour instead of tags (text format only). Where there is colour, paths
    /// are also hyperlinks to their files (OSC 8); NO_COLOR and TERM=dumb turn both off.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    /// Print straight to the terminal. Otherwise text output to a terminal goes through
    /// $LANTERN_PAGER, else $PAGER, else less (with LESS=FRX unless LESS is set, so that output
    /// that fits on one screen is just printed); an empty LANTERN_PAGER turns paging off.
    #[arg(long)]
    pub no_pager: bool,
}

/// Options of `lantern completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// How the text of documents (PDF, HTML, office files, e-books) is extracted: options of
/// `index` and `watch`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Give up on a document whose text takes longer than this to extract, with a warning
    /// (0: never), e.g. 30s or 2m.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub extract_timeout: Duration,

    /// What extracts the text of PDFs: Lantern's own extractor, or poppler's pdftotext (which
    /// must be installed).
    #[arg(long, value_enum, value_name = "EXTRACTOR", default_value = "builtin")]
    pub pdf_extractor: PdfExtractorArg,
}

/// How much of the CPU indexing may take from other work: an option of `index` and `watch`.
#[derive(Debug, Args)]
pub struct PriorityArgs {
    /// CPU niceness, from 0 (a share like any program's) to 19 (only what other programs leave):
    /// searches and other work come first; on an otherwise idle machine it changes nothing.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10,
        value_parser = clap::value_parser!(u8).range(0..=19)
    )]
    pub nice: u8,
}

/// Values of `--pdf-extractor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PdfExtractorArg {
    /// Lantern's own extractor.
    Builtin,
    /// Poppler's `pdftotext` command.
    Pdftotext,
}

/// Output formats of `lantern search`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Per hit its rank, `path:line` and title, then one line per fragment led by `line N` (or
    /// `p. N` in a PDF), for people.
    Text,
    /// One JSON document, for scripts.
    Json,
    /// A standalone HTML page.
    Html,
}

/// When to colour the text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When standard output is a terminal.
    Auto,
    /// Never: marks are tags.
    Never,
    /// Always.
    Always,
}

/// The query syntax in short, for `lantern search --help` and the manual page (a macro, so that
/// `concat!` can append the exit status for the help).
macro_rules! query_help {
    () => {
        "\
Query syntax (Lucene classic), on the text unless a field is named:
  rust mutex              either word (--and: both)
  +rust -unsafe           rust required, unsafe excluded
  rust AND NOT unsafe     also: && || ! OR
  \"error handling\"        a phrase;  \"jakarta apache\"~10  within 10 positions
  te?t  test*  te*t       wildcards; a leading wildcard (*test) scans every term: slow on big indexes
  roam~  roam~1           fuzzy, edit distance 2 (default) or 1
  /joh?n(ath[oa]n)/       a regular expression over whole words
  jakarta^4 apache        boost a clause
  path:drivers  path:*.rs path components;  path:[/a TO /m]  a range of whole paths
  title:manual  type:pdf  words of a document's title; its type (text, pdf, html, docx...)
  from:alice  to:bob@example.com  subject:budget
                          an e-mail's sender, recipients (To, Cc, Bcc), subject (= title:)
  modified:2024-03  modified:[2024-01-01 TO 2024-06-30]  modified:>now-7d  (dates in UTC;
                          now-N with h, d, w or y; a date is its whole day, month or year)
  date:2020  date:>=2021-06  a document's own date (PDF, office, e-book metadata), as modified:
  size:>10M  size:{1M TO *]  size:<=512K  (units K, M, G, T of 1024; >, >=, <, <=)
  type:pdf font           beside other clauses with no operator, type: path: modified: date: size:
                          filter (each field required, its own clauses alternatives);
                          with AND/OR/+/- written out, Lucene's meaning holds
  \\(1\\+1\\)\\:2             escape special characters with \\"
    };
}

/// The query syntax in short, for the manual page.
pub const QUERY_HELP: &str = query_help!();

/// What `lantern search --help` shows after the options: the query syntax and the exit status.
const SEARCH_HELP: &str = concat!(
    query_help!(),
    "\n\nExit status: 0 when something matched, 1 when nothing did (or the index could not be \
     read), 2 when the query or the arguments are malformed."
);

/// How long a search may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout(pub Option<Duration>);

/// Parses a duration such as `500ms`, `5s`, `5` (seconds) or `1m`; `0` means no limit.
fn parse_timeout(text: &str) -> Result<Timeout, String> {
    let duration = parse_duration(text)?;
    Ok(Timeout((!duration.is_zero()).then_some(duration)))
}

/// Parses a duration such as `500ms`, `5s`, `5` (seconds) or `1m`, of at most 24 hours.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "ms" => 1e-3,
        "" | "s" => 1.0,
        "m" => 60.0,
        other => return Err(format!("unknown unit '{other}': use ms, s or m")),
    };
    let seconds = number
        .parse::<f64>()
        .ok()
        .map(|number| number * scale)
        .filter(|seconds| seconds.is_finite() && *seconds <= 24.0 * 3600.0)
        .ok_or_else(|| {
            format!("'{text}' is not a duration like 500ms, 5s or 1m (at most 24 hours)")
        })?;
    Ok(Duration::from_secs_f64(seconds))
}

/// The largest `--max-file-size`: a document is read, stored and highlighted whole.
const MAX_FILE_SIZE: u64 = 1 << 30;

/// Parses `--max-file-size`: a size of at most [`MAX_FILE_SIZE`].
fn parse_file_size(text: &str) -> Result<u64, String> {
    let size = parse_size(text)?;
    if size > MAX_FILE_SIZE {
        return Err(format!(
            "{text} is more than the 1G a document may be: Lantern reads, stores and highlights each file whole"
        ));
    }
    Ok(size)
}

/// Parses a size such as `4096`, `64K`, `32M` or `1G` (powers of 1024) into bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let multiplier: u64 = match unit.trim().to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" | "KI" => 1 << 10,
        "M" | "MI" => 1 << 20,
        "G" | "GI" => 1 << 30,
        _ => return Err(format!("unknown unit '{unit}': use K, M or G")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(multiplier))
        .ok_or_else(|| format!("'{text}' is not a size like 512M or 1G"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("32M"), Ok(32 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("2MB"), Ok(2 << 20));
        assert!(parse_size("abc").is_err());
        assert!(parse_size("12X").is_err());
    }

    #[test]
    fn timeouts_parse() {
        let secs = |s: f64| Ok(Timeout(Some(Duration::from_secs_f64(s))));
        assert_eq!(parse_timeout("500ms"), secs(0.5));
        assert_eq!(parse_timeout("5s"), secs(5.0));
        assert_eq!(parse_timeout("2"), secs(2.0));
        assert_eq!(parse_timeout("1m"), secs(60.0));
        assert_eq!(parse_timeout("0"), Ok(Timeout(None)));
        assert!(parse_timeout("5h").is_err());
        assert!(parse_timeout("1e400").is_err());
        assert!(parse_timeout("99999999m").is_err());
    }
}
