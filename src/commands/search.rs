//! `lantern search QUERY`: run a query and print the hits in the chosen format.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use lantern::engine::{Correction, Engine, EngineError, SearchRequest, SearchResults};
use lantern::highlight::FragmentOptions;
use lantern::query::{DefaultOperator, Filters, QueryError};
use lantern::render::{HtmlPrinter, JsonPrinter, Marks, QueryProblem, ResultsPrinter, TextPrinter};
use termcolor::{BufferWriter, BufferedStandardStream, ColorChoice};

use crate::cli::{Color, Format, SearchArgs};
use crate::pager::Pager;

/// Searches `engine`: exits 0 when something matched and 1 when nothing did, as
/// grep and ripgrep do. A malformed query is explained on stderr (and, for JSON and HTML, in the
/// output too) and exits 2, unless `--lenient` searches its words. A corrected query is named on
/// stderr.
pub fn run(engine: &dyn Engine, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let outcome = match engine.search(&request(args)) {
        Ok(results) => Ok(results),
        Err(EngineError::Query(err)) => Err(err),
        Err(other) => return Err(other.into()),
    };
    print(args, outcome)
}

/// The search `args` ask for, whichever engine runs it. The filters are clauses of the query
/// run, which error messages and outputs show.
fn request(args: &SearchArgs) -> SearchRequest {
    SearchRequest {
        query: args.query.join(" "),
        filters: Filters {
            types: args.doc_type.clone(),
            paths: args.path.clone(),
            modified: args.modified.clone(),
            sizes: args.size.clone(),
            dates: args.date.clone(),
        },
        default_operator: if args.and {
            DefaultOperator::And
        } else {
            DefaultOperator::Or
        },
        limit: args.limit,
        sort: args.sort,
        facets: args.facets,
        collapse: !args.no_collapse,
        offset: 0,
        fragments: FragmentOptions {
            count: args.fragments.into(),
            max_chars: args.fragment_chars.into(),
        },
        timeout: args.timeout.0,
        parallel: true,
        correct: !args.no_correct,
        lenient: args.lenient,
    }
}

/// Prints the results, or explains a malformed query on stderr (and, for JSON and HTML, in the
/// output too) unless `--lenient` searched its words, and picks the exit code: 0 found, 1 nothing
/// found, 2 malformed query. A corrected query is named on stderr.
fn print(
    args: &SearchArgs,
    outcome: Result<SearchResults, QueryError>,
) -> anyhow::Result<ExitCode> {
    let query = request(args).query_run();
    let printer = printer(args);
    // Buffered: a page of hits is many small writes; flushed below.
    let mut out = BufferedStandardStream::stdout(color_choice(args));
    match outcome {
        Ok(results) => {
            // On stderr, so that the output stays the hits alone for whatever reads it.
            print_notices(&query, &results, &mut io::stderr().lock())?;
            let pager = match args.format {
                Format::Text => Pager::start(!args.no_pager),
                Format::Json | Format::Html => None,
            };
            match pager {
                Some(pager) => {
                    // Coloured as the terminal would be: the pager shows the colours (`less -R`).
                    let mut buffer = BufferWriter::stdout(color_choice(args)).buffer();
                    printer.print_results(&results, &mut buffer)?;
                    pager.show(buffer.as_slice())?;
                }
                None => {
                    printer.print_results(&results, &mut out)?;
                    out.flush()?;
                }
            }
            Ok(if results.total == 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(err) => {
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
    }
}

/// Says on `err` what the search made of `query`: the syntax error a lenient search read past,
/// and the correction it applied or suggests.
fn print_notices(query: &str, results: &SearchResults, err: &mut impl Write) -> io::Result<()> {
    if let Some(syntax) = &results.syntax_error {
        writeln!(
            err,
            "lantern: invalid query: {syntax}; searched its words instead"
        )?;
        writeln!(err, "{}", syntax.caret_line(query))?;
    }
    match &results.correction {
        Some(Correction::Applied { corrected }) => writeln!(
            err,
            "lantern: showing results for {corrected}; search instead for {query} with --no-correct"
        ),
        Some(Correction::Suggested { suggested }) => {
            writeln!(err, "lantern: did you mean {suggested}?")
        }
        None => Ok(()),
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
