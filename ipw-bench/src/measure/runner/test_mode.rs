//! Test mode (`cargo test --benches`): run a case once and check its outcomes; profile
//! mode (`--profile-time`): run it for a while, measuring nothing.

use super::group::{failure_message, spawn_failure};
use crate::measure::bencher::{Command, Reply};
use crate::measure::registry::CaseRef;
use crate::measure::sampler::Sampler;
use crate::measure::worker::Worker;
use std::time::Duration;

/// Run `case` once: `Ok(None)` when it passed, `Ok(Some(reason))` when it skipped itself,
/// `Err(message)` when it failed or panicked.
pub(crate) fn test_case(case: &CaseRef, sampler: &Sampler) -> Result<Option<String>, String> {
    let mut w = Worker::spawn(case, sampler.clone()).map_err(|e| spawn_failure(&e))?;
    let r = match w.ask(Command::Test) {
        Reply::Tested => Ok(None),
        Reply::Skipped(reason) => Ok(Some(reason)),
        other => Err(failure_message(other)),
    };
    match (r, w.finish()) {
        (Ok(_), Some(m)) => Err(format!("panicked: {m}")),
        (r, _) => r,
    }
}

/// Run `case` for about `time`, unmeasured (its warm-up loop), for a profiler: `Ok(None)`
/// when it ran, `Ok(Some(reason))` when it skipped itself, `Err(message)` when it failed.
pub(crate) fn profile_case(
    case: &CaseRef,
    sampler: &Sampler,
    time: Duration,
) -> Result<Option<String>, String> {
    let mut w = Worker::spawn(case, sampler.clone()).map_err(|e| spawn_failure(&e))?;
    let r = match w.ask(Command::WarmUp(time)) {
        Reply::WarmedUp { .. } => Ok(None),
        Reply::Skipped(reason) => Ok(Some(reason)),
        other => Err(failure_message(other)),
    };
    match (r, w.finish()) {
        (Ok(_), Some(m)) => Err(format!("panicked: {m}")),
        (r, _) => r,
    }
}
