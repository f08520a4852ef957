//! A group's cases as the terminal shows them when the group is done: each against the
//! previous run of the bench (criterion's `change:` line, from the results.json this run
//! updates) and against `--baseline`, so that both sit inside the case's block.

use crate::analysis::{baseline, compare};
use crate::output::Printer;
use crate::results::{BaselineComparison, CaseResult, RunResults};
use crate::setup::config::Config;
use crate::stats::rng::case_seed;

/// The noise thresholds of energy and of time: `--noise-threshold`, else the defaults.
pub(super) fn noise(config: &Config) -> (f64, f64) {
    (
        config
            .noise_threshold
            .unwrap_or(compare::DEFAULT_ENERGY_NOISE),
        config
            .noise_threshold
            .unwrap_or(compare::DEFAULT_TIME_NOISE),
    )
}

/// How `case` changed since the previous run had it; `None` when it did not.
pub(super) fn against_previous(
    config: &Config,
    previous: Option<&RunResults>,
    case: &CaseResult,
) -> Option<BaselineComparison> {
    let old = previous?.cases.iter().find(|c| c.id == case.id)?;
    let (energy, time) = noise(config);
    let seed = case_seed(config.seed, &case.id);
    Some(baseline::compare_case(
        case,
        old,
        "previous run",
        energy,
        time,
        seed,
    ))
}

/// Fill the baseline comparison of `cases` (when a baseline is given; the notes about
/// cases it lacks are said once, at the end) and print each case's block.
pub(super) fn print_cases(
    cases: &mut [CaseResult],
    config: &Config,
    previous: Option<&RunResults>,
    compare_with: Option<&(String, RunResults)>,
    printer: &Printer,
) {
    if let Some((name, old)) = compare_with {
        let (energy, time) = noise(config);
        baseline::apply(cases, &old.cases, name, energy, time, config.seed);
    }
    for c in cases.iter() {
        printer.case(c, against_previous(config, previous, c).as_ref());
    }
}
