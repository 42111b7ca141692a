//! The summary line that ends every `lantern index` run.

/// The numbers of the summary line that ends every `lantern index` run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexSummary {
    pub indexed: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub binary: u64,
    pub too_large: u64,
    pub unreadable: u64,
    pub failed: u64,
    pub lossy: u64,
    /// Members of archives indexed as documents.
    pub members: u64,
    /// Archives whose members were read.
    pub archives: u64,
}

impl IndexSummary {
    /// Reads the summary line out of `index`'s stdout.
    pub fn parse(stdout: &str) -> IndexSummary {
        let pattern = regex::Regex::new(
            r"^indexed (\d+) files \((\d+) added, (\d+) updated, (\d+) removed, (\d+) unchanged\)(?:; extracted [^;]*)?(?:; (\d+) members of (\d+) archives)?; skipped (\d+) \((\d+) binary, (\d+) too large, (\d+) unreadable, (\d+) failed(?:: [^)]*)?\); (\d+) with invalid UTF-8 replaced; [\d.]+ MB in [\d.]+ s \([\d.]+ MB/s\)$",
        )
        .expect("valid regex");
        let line = stdout.lines().last().unwrap_or_default();
        let numbers = pattern
            .captures(line)
            .unwrap_or_else(|| panic!("not a summary line: {stdout:?}"));
        let n = |i: usize| {
            numbers.get(i).map_or(0, |number| {
                number.as_str().parse::<u64>().expect("a number")
            })
        };
        IndexSummary {
            indexed: n(1),
            added: n(2),
            updated: n(3),
            removed: n(4),
            unchanged: n(5),
            members: n(6),
            archives: n(7),
            skipped: n(8),
            binary: n(9),
            too_large: n(10),
            unreadable: n(11),
            failed: n(12),
            lossy: n(13),
        }
    }
}
