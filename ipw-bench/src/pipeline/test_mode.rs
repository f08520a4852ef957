//! Test mode: every selected case once, outcomes checked, nothing written.

use super::exit;
use crate::measure::registry::CaseRef;
use crate::measure::runner::{test_case, POLL_INTERVAL};
use crate::measure::sampler::Sampler;
use crate::output::libtest;
use crate::setup::config::{Config, Format};

/// Run each case once, printing libtest-style lines; returns the exit code.
pub(super) fn run_tests(config: &Config, cases: Vec<CaseRef>) -> i32 {
    let sampler = Sampler::start(Vec::new(), POLL_INTERVAL);
    let json = config.format == Format::Json;
    if !json {
        println!("\nrunning {} benchmark cases in test mode", cases.len());
    }
    let mut failed = Vec::new();
    let mut skipped = 0usize;
    for case in &cases {
        let id = case.id();
        let outcome = test_case(case, &sampler);
        libtest::test_line(json, &id, &outcome);
        if matches!(outcome, Ok(Some(_))) {
            skipped += 1;
        }
        if let Err(m) = outcome {
            failed.push((id, m));
        }
    }
    libtest::test_summary(json, cases.len(), skipped, &failed);
    if failed.is_empty() {
        exit::OK
    } else {
        exit::CASE_FAILED
    }
}
