//! The last test binary cargo runs (`Cargo.toml` names it `zz_skip_report` so that it sorts
//! last): it lists the tests that were skipped because this machine lacks something they need,
//! and the one command that runs them all. Writing straight to the terminal, it shows even
//! though the harness captures the output of passing tests.

mod util;

use std::io::Write;

use util::needs::{skipped_tests, RUN_EVERYTHING};

#[test]
fn list_the_tests_this_machine_skipped() {
    let skipped = skipped_tests();
    let mut report = String::new();
    if skipped.is_empty() {
        report.push_str("\nNo test was skipped: every need was met.\n");
    } else {
        report.push_str(&format!(
            "\nSKIPPED: {} test(s) did not run, for what this machine lacks:\n",
            skipped.len()
        ));
        for test in &skipped {
            report.push_str(&format!("  {}: {}\n", test.test, test.why));
        }
        let mut needs: Vec<&str> = skipped.iter().map(|test| test.need.as_str()).collect();
        needs.sort_unstable();
        needs.dedup();
        report.push_str(&format!(
            "They need {}. To install it all and run every test, as CI does: {RUN_EVERYTHING}\n",
            needs.join(", ")
        ));
    }
    let _ = std::io::stderr().write_all(report.as_bytes());
}
