//! In-process search latency over a query file, with and without highlighting.
//!
//! ```text
//! cargo bench --bench search_latency -- INDEX_DIR QUERY_FILE [ITERATIONS]
//! LANTERN_BENCH_INDEX=… LANTERN_BENCH_QUERIES=… LANTERN_BENCH_ITERATIONS=… cargo bench --bench search_latency
//! ```
//!
//! The index is opened once, so process start-up and index opening are not what is measured. One
//! untimed pass warms the page cache and tantivy's doc store cache; then every query runs
//! `ITERATIONS` times (default 10), each time twice in a row: once highlighting three fragments of
//! each of the 50 best hits (what `lantern search` does), once with no fragments, so the difference
//! is the share of highlighting; and a third time highlighting with spelling correction off
//! (`--no-correct`), so the difference is the cost of correction (run it on a query file with
//! typos, `bench/queries-typo.txt`, to see what a correction costs). Percentiles are nearest-rank
//! over the timed runs.
//!
//! Prints a table for people and a last line `LANTERN_BENCH {json}` for scripts (`bench/run.sh`).
//! Without an index (e.g. a plain `cargo bench` or `cargo test --all-targets`) it says so and exits
//! successfully, so it never breaks a run of the other targets.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lantern::highlight::FragmentOptions;
use lantern::query::{DefaultOperator, Filters};
use lantern::search::{Correction, IndexSearcher, SearchRequest, Sort};
use serde::Serialize;

/// Hits per query, as `lantern search` returns by default.
const LIMIT: usize = 50;

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("search_latency: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the configuration, measures and prints.
fn try_main() -> anyhow::Result<()> {
    let Some(config) = BenchConfig::from_env_and_args()? else {
        eprintln!(
            "search_latency: skipped, no index given; run \
             `cargo bench --bench search_latency -- INDEX_DIR QUERY_FILE [ITERATIONS]`"
        );
        return Ok(());
    };
    let queries = read_queries(&config.queries)?;
    let searcher = IndexSearcher::open(&config.index)
        .with_context(|| format!("cannot open the index at {}", config.index.display()))?;
    let report = measure(&searcher, &queries, config.iterations)?;
    print_table(&config, &report);
    println!("LANTERN_BENCH {}", serde_json::to_string(&report)?);
    Ok(())
}

/// What to measure: which index, which queries, how many timed runs per query.
struct BenchConfig {
    index: PathBuf,
    queries: PathBuf,
    iterations: usize,
}

impl BenchConfig {
    /// Positional arguments win over `LANTERN_BENCH_*` variables. `cargo bench` adds `--bench`,
    /// which is ignored with every other flag. `None` when no index is named at all.
    fn from_env_and_args() -> anyhow::Result<Option<BenchConfig>> {
        let args: Vec<String> = std::env::args()
            .skip(1)
            .filter(|arg| !arg.starts_with("--"))
            .collect();
        let setting = |position: usize, var: &str| {
            args.get(position)
                .cloned()
                .or_else(|| std::env::var(var).ok())
        };
        let Some(index) = setting(0, "LANTERN_BENCH_INDEX") else {
            return Ok(None);
        };
        let Some(queries) = setting(1, "LANTERN_BENCH_QUERIES") else {
            bail!("no query file: give it after the index dir, or set LANTERN_BENCH_QUERIES");
        };
        let iterations = match setting(2, "LANTERN_BENCH_ITERATIONS") {
            None => 10,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => bail!("iterations must be a positive whole number, not '{text}'"),
            },
        };
        Ok(Some(BenchConfig {
            index: index.into(),
            queries: queries.into(),
            iterations,
        }))
    }
}

/// The queries of `path`, one a line; blank lines and lines starting with `#` are skipped.
fn read_queries(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the query file {}", path.display()))?;
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(String::from)
        .collect();
    if queries.is_empty() {
        bail!("the query file {} holds no query", path.display());
    }
    Ok(queries)
}

/// Everything measured, as printed in the machine-readable line.
#[derive(Serialize)]
struct Report {
    queries: usize,
    iterations: usize,
    limit: usize,
    fragments: usize,
    /// Over every timed run of every query.
    highlighted: Latency,
    not_highlighted: Latency,
    /// Highlighted, spelling correction off.
    not_corrected: Latency,
    per_query: Vec<QueryReport>,
}

/// One query's figures.
#[derive(Serialize)]
struct QueryReport {
    query: String,
    /// Matching documents in all.
    total: usize,
    /// Hits returned (at most the limit).
    hits: usize,
    highlighted: Latency,
    not_highlighted: Latency,
    not_corrected: Latency,
    /// The corrected query, when correction replaced words.
    corrected: Option<String>,
}

/// Latency percentiles in milliseconds.
#[derive(Clone, Copy, Serialize)]
struct Latency {
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

impl Latency {
    /// Nearest-rank percentiles of `samples`, which must not be empty, to the microsecond.
    fn of(samples: &[Duration]) -> Latency {
        let mut ms: Vec<f64> = samples
            .iter()
            .map(|d| (d.as_secs_f64() * 1e6).round() / 1e3)
            .collect();
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Latency {
            p50_ms: rank(0.50),
            p95_ms: rank(0.95),
            max_ms: rank(1.0),
        }
    }
}

/// Runs every query once untimed, then `iterations` timed times with and without highlighting.
fn measure(
    searcher: &IndexSearcher,
    queries: &[String],
    iterations: usize,
) -> anyhow::Result<Report> {
    let fragments = FragmentOptions::default();
    let request = |query: &str, fragments: FragmentOptions| SearchRequest {
        query: query.to_string(),
        filters: Filters::default(),
        default_operator: DefaultOperator::Or,
        limit: LIMIT,
        sort: Sort::default(),
        facets: false,
        // As `lantern search` does by default.
        collapse: true,
        offset: 0,
        fragments,
        timeout: None,
        parallel: true,
        correct: true,
        lenient: false,
    };
    let as_written: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest {
            correct: false,
            ..request(q, fragments)
        })
        .collect();
    let highlighted: Vec<SearchRequest> = queries.iter().map(|q| request(q, fragments)).collect();
    let plain: Vec<SearchRequest> = queries
        .iter()
        .map(|q| {
            request(
                q,
                FragmentOptions {
                    count: 0,
                    ..fragments
                },
            )
        })
        .collect();

    let mut counts = Vec::with_capacity(queries.len());
    for request in &highlighted {
        let results = searcher
            .search(request)
            .with_context(|| format!("query '{}' failed", request.query))?;
        let corrected = match results.correction {
            Some(Correction::Applied { corrected }) => Some(corrected),
            Some(Correction::Suggested { .. }) | None => None,
        };
        counts.push((results.total, results.hits.len(), corrected));
    }

    let timed = |request: &SearchRequest| -> anyhow::Result<Duration> {
        let started = Instant::now();
        let results = searcher.search(request)?;
        let elapsed = started.elapsed();
        std::hint::black_box(results);
        Ok(elapsed)
    };
    let mut with = vec![Vec::with_capacity(iterations); queries.len()];
    let mut without = vec![Vec::with_capacity(iterations); queries.len()];
    let mut uncorrected = vec![Vec::with_capacity(iterations); queries.len()];
    for _ in 0..iterations {
        for (at, ((lit, bare), written)) in
            highlighted.iter().zip(&plain).zip(&as_written).enumerate()
        {
            with[at].push(timed(lit)?);
            without[at].push(timed(bare)?);
            uncorrected[at].push(timed(written)?);
        }
    }

    let per_query = queries
        .iter()
        .enumerate()
        .map(|(at, query)| QueryReport {
            query: query.clone(),
            total: counts[at].0,
            hits: counts[at].1,
            highlighted: Latency::of(&with[at]),
            not_highlighted: Latency::of(&without[at]),
            not_corrected: Latency::of(&uncorrected[at]),
            corrected: counts[at].2.clone(),
        })
        .collect();
    Ok(Report {
        queries: queries.len(),
        iterations,
        limit: LIMIT,
        fragments: fragments.count,
        highlighted: Latency::of(&with.concat()),
        not_highlighted: Latency::of(&without.concat()),
        not_corrected: Latency::of(&uncorrected.concat()),
        per_query,
    })
}

/// The figures as an aligned table, one query a row, the overall figures last.
fn print_table(config: &BenchConfig, report: &Report) {
    println!(
        "index {}, {} queries x {} runs, {} hits, {} fragments each; ms (p50 / p95 / max)",
        config.index.display(),
        report.queries,
        report.iterations,
        report.limit,
        report.fragments
    );
    let width = report
        .per_query
        .iter()
        .map(|q| q.query.chars().count())
        .max()
        .unwrap_or(0)
        .max("query".len());
    let cells = |l: Latency| format!("{:7.2} {:7.2} {:7.2}", l.p50_ms, l.p95_ms, l.max_ms);
    println!(
        "{:width$}  {:>8} {:>4}  {:^23}  {:^23}  {:^23}",
        "query", "matches", "hits", "highlighted", "no fragments", "no correction"
    );
    for q in &report.per_query {
        println!(
            "{:width$}  {:>8} {:>4}  {}  {}  {}{}",
            q.query,
            q.total,
            q.hits,
            cells(q.highlighted),
            cells(q.not_highlighted),
            cells(q.not_corrected),
            q.corrected
                .as_ref()
                .map_or_else(String::new, |corrected| format!("  -> {corrected}"))
        );
    }
    println!(
        "{:width$}  {:>8} {:>4}  {}  {}  {}",
        "ALL",
        "",
        "",
        cells(report.highlighted),
        cells(report.not_highlighted),
        cells(report.not_corrected)
    );
}
