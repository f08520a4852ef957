//! Test mode: every selected case once, outcomes checked, nothing written; profile mode:
//! every selected case for `--profile-time`, nothing analysed or written.

use super::exit;
use crate::measure::registry::CaseRef;
use crate::measure::runner::{profile_case, test_case, POLL_INTERVAL};
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

/// Run each case for `seconds` (criterion's `--profile-time`), so that a profiler sees
/// the routine and not the analysis; returns the exit code.
pub(super) fn run_profile(cases: Vec<CaseRef>, seconds: f64) -> i32 {
    let sampler = Sampler::start(Vec::new(), POLL_INTERVAL);
    let time = std::time::Duration::from_secs_f64(seconds);
    let mut failed = false;
    for case in &cases {
        let id = case.id();
        match profile_case(case, &sampler, time) {
            Ok(None) => println!("profiled {id} for {seconds} s"),
            Ok(Some(reason)) => println!("skipped {id}: {reason}"),
            Err(m) => {
                eprintln!("error: {id}: {m}");
                failed = true;
            }
        }
    }
    if failed {
        exit::CASE_FAILED
    } else {
        exit::OK
    }
}
