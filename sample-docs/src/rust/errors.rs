//! Error handling in Rust with `Result`, a custom error enum and the `?`
//! operator. Compare with notes/rust-error-handling.md.

use std::fmt;
use std::fs;
use std::num::ParseIntError;

#[derive(Debug)]
enum ConfigError {
    Io(std::io::Error),
    BadNumber { line: usize, source: ParseIntError },
    Missing(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io(e) => write!(f, "could not read config: {e}"),
            ConfigError::BadNumber { line, source } => {
                write!(f, "line {line}: not a number ({source})")
            }
            ConfigError::Missing(key) => write!(f, "missing key `{key}`"),
        }
    }
}

impl std::error::Error for ConfigError {}

// `From` lets the `?` operator convert io::Error into ConfigError for us.
impl From<std::io::Error> for ConfigError {
    fn from(e: std::io::Error) -> Self {
        ConfigError::Io(e)
    }
}

/// Reads `max_results = N` from a tiny config file.
fn max_results(path: &str) -> Result<u32, ConfigError> {
    let text = fs::read_to_string(path)?; // early return on I/O error
    for (i, line) in text.lines().enumerate() {
        if let Some(value) = line.strip_prefix("max_results = ") {
            return value
                .trim()
                .parse::<u32>()
                .map_err(|source| ConfigError::BadNumber { line: i + 1, source });
        }
    }
    Err(ConfigError::Missing("max_results"))
}

fn main() {
    match max_results("lantern.toml") {
        Ok(n) => println!("showing at most {n} results"),
        // Good error handling reports the cause instead of panicking.
        Err(e) => eprintln!("warning: {e}; falling back to 10"),
    }
}
