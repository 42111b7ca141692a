//! `lantern search QUERY`: run a query and print the hits in the chosen format.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use lantern::highlight::FragmentOptions;
use lantern::query::{DefaultOperator, Filters, QueryError};
use lantern::render::{HtmlPrinter, JsonPrinter, Marks, QueryProblem, ResultsPrinter, TextPrinter};
use lantern::search::{IndexSearcher, SearchError, SearchRequest};
use termcolor::{BufferedStandardStream, ColorChoice};

use crate::cli::{Color, Format, SearchArgs};

/// Searches the index at `index_dir`: exits 0 when something matched and 1 when nothing did, as
/// grep and ripgrep do. A malformed query is explained on stderr (and, for JSON and HTML, in the
/// output too) and exits 2.
pub fn run(index_dir: &Path, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    // The filters are clauses of the query run, which error messages and outputs show.
    let filters = Filters {
        types: args.doc_type.clone(),
        paths: args.path.clone(),
        modified: args.modified.clone(),
        sizes: args.size.clone(),
    };
    let query = filters.compose(&args.query.join(" "));
    let printer = printer(args);
    let searcher = IndexSearcher::open(index_dir)?;
    let request = SearchRequest {
        query: query.clone(),
        default_operator: if args.and {
            DefaultOperator::And
        } else {
            DefaultOperator::Or
        },
        limit: args.limit,
        sort: args.sort,
        facets: args.facets,
        offset: 0,
        fragments: FragmentOptions {
            count: args.fragments.into(),
            max_chars: args.fragment_chars.into(),
        },
        timeout: args.timeout.0,
        parallel: true,
    };
    // Buffered: a page of hits is many small writes; flushed below.
    let mut out = BufferedStandardStream::stdout(color_choice(args));
    match searcher.search(&request) {
        Ok(results) => {
            printer.print_results(&results, &mut out)?;
            out.flush()?;
            Ok(if results.total == 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(SearchError::Query(err)) => {
            let problem = QueryProblem::from_error(&query, &err);
            let mut stderr = io::stderr().lock();
            writeln!(stderr, "lantern: invalid query: {err}")?;
            if let QueryError::Syntax(syntax) = &err {
                writeln!(stderr, "{}", syntax.caret_line(&query))?;
            }
            printer.print_problem(&problem, &mut out)?;
            out.flush()?;
            Ok(ExitCode::from(2))
        }
        Err(other) => Err(other.into()),
    }
}

/// The printer for the chosen format.
fn printer(args: &SearchArgs) -> Box<dyn ResultsPrinter> {
    let marks = Marks {
        pre: args.pre_tag.clone(),
        post: args.post_tag.clone(),
    };
    match args.format {
        Format::Text => Box::new(TextPrinter { marks }),
        Format::Json => Box::new(JsonPrinter { marks }),
        Format::Html => Box::new(HtmlPrinter { marks }),
    }
}

/// Whether the output takes colour: only the text format, and on `auto` only on a terminal.
fn color_choice(args: &SearchArgs) -> ColorChoice {
    match (args.format, args.color) {
        (Format::Json | Format::Html, _) | (Format::Text, Color::Never) => ColorChoice::Never,
        (Format::Text, Color::Always) => ColorChoice::Always,
        (Format::Text, Color::Auto) if io::stdout().is_terminal() => ColorChoice::Auto,
        (Format::Text, Color::Auto) => ColorChoice::Never,
    }
}
