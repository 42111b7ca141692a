//! Extracts the text of every PDF under a folder with Lantern's PDF extractor, on 2 threads, and
//! prints the wall and CPU time, the slowest files and every failure with its reason.
//!
//! `cargo run --release --example pdf_text -- DIR [OUT_DIR] [pdftotext]` writes each file's text
//! to `OUT_DIR/<path with / as __>.txt` for `bench/pdf_text_recall.py`, which compares it with
//! poppler's. Figures: BENCHMARKS.md, "PDF text".

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lantern::extract::{self, ExtractOptions, PdfExtractor};

/// The outcome of one file: how long it took, and its failure if it failed.
type Outcome = (Duration, PathBuf, Option<String>);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: pdf_text DIR [OUT_DIR] [pdftotext]");
        std::process::exit(2);
    };
    let out_dir = args.get(1).map(PathBuf::from);
    let options = ExtractOptions {
        timeout: None,
        pdf: match args.get(2).map(String::as_str) {
            Some("pdftotext") => PdfExtractor::Pdftotext,
            _ => PdfExtractor::Builtin,
        },
        ..ExtractOptions::default()
    };
    let mut files = Vec::new();
    pdfs(&root, &mut files);
    files.sort();

    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::<Outcome>::new());
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = extract_one(&root, path, out_dir.as_deref(), options);
                    outcomes.lock().expect("no panics").push(outcome);
                }
            });
        }
    });
    let (wall, cpu) = (start.elapsed(), cpu_seconds() - cpu_start);

    let mut outcomes = outcomes.into_inner().expect("no panics");
    outcomes.sort_by_key(|outcome| std::cmp::Reverse(outcome.0));
    let failures: Vec<_> = outcomes.iter().filter(|o| o.2.is_some()).collect();
    println!(
        "{} PDFs: wall {:.1} s, CPU {cpu:.1} s, {} failed",
        files.len(),
        wall.as_secs_f64(),
        failures.len()
    );
    for (time, path, _) in outcomes.iter().take(5) {
        println!("  {:.2} s {}", time.as_secs_f64(), path.display());
    }
    for (_, path, failure) in failures {
        println!(
            "FAILED {}: {}",
            path.display(),
            failure.as_deref().unwrap_or("")
        );
    }
}

/// Extracts one file (panics are caught by the extractor layer), writing its text to `out_dir`.
fn extract_one(
    root: &Path,
    path: &Path,
    out_dir: Option<&Path>,
    options: ExtractOptions,
) -> Outcome {
    let started = Instant::now();
    let failure = match std::fs::read(path) {
        Err(err) => Some(format!("unreadable: {err}")),
        Ok(bytes) => match extract::recognise(path, &bytes[..bytes.len().min(8192)]) {
            Some(extract::Format {
                kind,
                extract: extract::Reader::Document(read),
                ..
            }) => match extract::extract(*kind, *read, bytes, options) {
                Err(err) => Some(format!("{}: {err}", err.reason())),
                Ok(extracted) => out_dir.and_then(|dir| {
                    let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
                    let out = dir.join(format!("{}.txt", name.replace('/', "__")));
                    std::fs::write(&out, extracted.text)
                        .err()
                        .map(|err| format!("{}: {err}", out.display()))
                }),
            },
            Some(extract::Format {
                extract: extract::Reader::Archive(_) | extract::Reader::Message(_),
                ..
            })
            | None => Some("not recognised as a PDF".to_string()),
        },
    };
    (started.elapsed(), path.to_path_buf(), failure)
}

/// Every `.pdf` file under `dir`.
fn pdfs(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            pdfs(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "pdf") {
            found.push(path);
        }
    }
}

/// The CPU time this process has used, user and system.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
