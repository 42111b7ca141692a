//! `lantern man`: print the manual page in roff. clap_mangen renders what the clap definitions say
//! (synopsis, every option of every subcommand); this file adds what they cannot: the query
//! syntax, the output formats, the exit status and the environment.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, ValueEnum};
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

use crate::cli::{Cli, Format, QUERY_HELP};

/// Prints the manual page to stdout.
pub fn run() -> anyhow::Result<ExitCode> {
    io::stdout().write_all(&manual_page()?)?;
    Ok(ExitCode::SUCCESS)
}

/// The whole page: clap_mangen's sections for the program, a list of the subcommands, each
/// subcommand's options under a heading of its own, then the sections written here.
fn manual_page() -> io::Result<Vec<u8>> {
    // `lantern help` is left out: the page documents every command itself. Building propagates
    // the global `--index` into each subcommand, so their sections list it too.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    commands_section(&mut roff, &command);
    roff.to_writer(&mut page)?;

    // clap_mangen titles an options section after the arguments' help heading; giving each
    // subcommand's arguments one ("lantern search options") lets one page hold them all.
    for subcommand in command.get_subcommands() {
        let heading = format!("{} {} options", command.get_name(), subcommand.get_name());
        let subcommand = subcommand
            .clone()
            .mut_args(|arg| arg.help_heading(heading.clone()));
        Man::new(subcommand).render_options_section(&mut page)?;
    }

    let mut roff = Roff::new();
    query_syntax_section(&mut roff);
    output_formats_section(&mut roff);
    exit_status_section(&mut roff);
    environment_section(&mut roff, &command);
    roff.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// Each subcommand's usage line and what it does.
fn commands_section(roff: &mut Roff, command: &clap::Command) {
    roff.control("SH", ["COMMANDS"]);
    for subcommand in command.get_subcommands() {
        let usage = subcommand.clone().render_usage().to_string();
        roff.control("TP", []);
        roff.text([bold(usage.strip_prefix("Usage: ").unwrap_or(&usage))]);
        if let Some(about) = subcommand.get_about() {
            roff.text([roman(about.to_string())]);
        }
    }
}

/// The query syntax, as `lantern search --help` shows it, in a no-fill block so its columns stay.
fn query_syntax_section(roff: &mut Roff) {
    roff.control("SH", ["QUERY SYNTAX"]);
    roff.control("nf", []);
    for line in QUERY_HELP.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

/// Each value of `--format`: its one-line help from the clap definitions, then what it prints.
fn output_formats_section(roff: &mut Roff) {
    roff.control("SH", ["OUTPUT FORMATS"]);
    for format in Format::value_variants() {
        let Some(value) = format.to_possible_value() else {
            continue;
        };
        roff.control("TP", []);
        roff.text([bold(format!("--format {}", value.get_name()))]);
        let help = value
            .get_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        roff.text([roman(format!("{help}. {}", format_details(*format)))]);
    }
}

/// What a format prints, beyond its one-line help. The match is exhaustive so that a new format
/// does not compile until the manual describes it.
fn format_details(format: Format) -> &'static str {
    match format {
        Format::Text => {
            "The first line is \"N total matching documents.\"; then, for each hit, a blank line, \
             its rank and path followed by :LINE (the line of its best fragment, for an editor; \
             not for a PDF) and its title, if any (and for an e-mail its sender and date, after \
             \" · \"); then one line per fragment, led by \"line N:\" \
             or, in a PDF, \"p. N:\"; a hit standing for copies of its text has a line \
             \"also at:\" naming them. With --facets, a line of counts by type, month and \
             folder follows the first. On a terminal matches are shown in colour; otherwise they \
             are wrapped in --pre-tag and --post-tag. The text is the document's own, never \
             escaped."
        }
        Format::Json => {
            "An object with query, total (every matching document, not only those shown), \
             elapsed_ms, collapsed (copies folded into the hits shown) and hits. Each hit has \
             rank, score, path (the raw absolute path), also_at (the paths of its copies, when \
             it has any), date (its own date, when it has one), \
             marked_path, fragments (HTML-escaped, with marks) and snippet (the fragments joined \
             by \"...\"). A member of an archive adds container and member, and its path is \
             container::member. An e-mail adds from (its sender) and date (RFC 3339, UTC). \
             A malformed query prints {\"query\": ..., \"error\": {\"message\": ..., \
             \"position\": N}}, position counting characters from 0. When spelling correction \
             replaced words, corrected_query (whose hits these are) and original_query; when \
             a correction is only suggested, suggested_query; after --lenient read past a \
             syntax error, syntax_error (message, position); with --facets, facets (type, \
             modified and folders, each a list of value and count). query is the query run, the filters' \
             clauses included. New fields may be added; existing ones keep their meaning."
        }
        Format::Html => {
            "A complete HTML5 page with inline CSS and no JavaScript: for each hit its rank, a \
             file:// link, its score and its fragments. A malformed query gets an error page \
             with the message and a caret under the spot."
        }
    }
}

/// The exit codes `main` and the commands choose.
fn exit_status_section(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "The command ran; for search, something matched."),
        (
            "1",
            "search found nothing (in any format); or the index is missing, damaged or busy, or \
             a file or folder could not be read or written (with a message on standard error).",
        ),
        (
            "2",
            "The query is malformed (unless --lenient searches its words), or the command line \
             is wrong (an unknown option, a missing argument).",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
}

/// The environment variables the clap definitions read, each with the option it stands for.
fn environment_section(roff: &mut Roff, command: &clap::Command) {
    roff.control("SH", ["ENVIRONMENT"]);
    for arg in command.get_arguments() {
        let (Some(variable), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        roff.control("TP", []);
        roff.text([bold(variable.to_string_lossy())]);
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        roff.text([roman(format!(
            "{help}. --{long}, when given, takes precedence."
        ))]);
    }
    for (variable, meaning) in OTHER_VARIABLES {
        roff.control("TP", []);
        roff.text([bold(variable)]);
        roff.text([roman(meaning)]);
    }
}

/// Variables read by `lantern search` itself rather than through an option.
const OTHER_VARIABLES: [(&str, &str); 3] = [
    (
        "LANTERN_PAGER, PAGER",
        "The pager text output to a terminal goes through (LANTERN_PAGER first; less when \
         neither is set; empty or cat: none; --no-pager: none), run by sh -c, with LESS=FRX \
         unless LESS is set.",
    ),
    (
        "NO_COLOR",
        "When set, search results on a terminal have no colour and no hyperlinks.",
    ),
    (
        "TERM",
        "When dumb or unset, search results on a terminal have no colour and no hyperlinks.",
    ),
];
