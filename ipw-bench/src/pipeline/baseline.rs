//! The baseline steps of a measuring run, shared by one process and by `--processes N`:
//! load the baseline to compare with and the one to update, compare the cases with it, and
//! the exit code of the regression gate.

use super::exit;
use super::output_dir::OutputDir;
use super::outputs::Written;
use super::shown;
use crate::analysis::baseline;
use crate::output::Printer;
use crate::results::{baselines, RunResults};
use crate::setup::config::Config;

/// A baseline with its name, when one is given.
pub(super) type NamedBaseline = Option<(String, RunResults)>;

/// The baseline to compare with (`--baseline`, which must exist) and the one this run
/// updates (`--save-baseline`: a run updates the cases it measures in it and keeps the
/// others), loaded before measuring so that a missing or unreadable one is said first.
pub(super) fn load_baselines(
    config: &Config,
    out: &OutputDir,
) -> Result<(NamedBaseline, Option<RunResults>), i32> {
    let compare_with = match &config.baseline {
        Some(name) => match baselines::load(&out.bench_dir, name) {
            Ok(b) => Some((name.clone(), b)),
            Err(e) if config.baseline_lenient => {
                eprintln!("warning: --baseline-lenient: {e}; nothing to compare with");
                None
            }
            Err(e) => {
                eprintln!("error: --baseline: {e}");
                return Err(exit::USAGE);
            }
        },
        None => None,
    };
    let saved = match &config.save_baseline {
        Some(name) => match baselines::load(&out.bench_dir, name) {
            Ok(b) => Some(b),
            Err(baselines::BaselineError::Missing { .. }) => None,
            Err(e) => {
                eprintln!("error: --save-baseline: {e}; remove it or save under another name");
                return Err(exit::USAGE);
            }
        },
        None => None,
    };
    Ok((compare_with, saved))
}

/// The exit code of a finished run: the regressions the gate may fail on are those
/// `trusted` accepts (measured in two or more processes on both sides), the others are
/// warnings unless `--strict`; then what the cases and the writes decide.
pub(super) fn gate_exit_code(
    run: &RunResults,
    written: Written,
    config: &Config,
    trusted: impl Fn(&str) -> bool,
) -> i32 {
    let regressions = baseline::regressions(&run.cases);
    let (regressions, untrusted) = exit::gate(regressions, trusted, config.strict);
    if config.fail_on_regression {
        for w in untrusted {
            eprintln!("warning: {w}");
        }
    }
    let (code, lines) = exit::decide(&exit::Outcome {
        cases: &run.cases,
        run_warnings: &run.warnings,
        write_failed: !written.all(),
        fail_on_regression: config.fail_on_regression,
        strict: config.strict,
        regressions: &regressions,
    });
    for l in lines {
        eprintln!("error: {l}");
    }
    code
}

/// Compare every case with the baseline; say which cases it lacks, and give the changes
/// as JSON lines (people saw them in the case blocks).
pub(super) fn apply_baseline(
    run: &mut RunResults,
    old: &RunResults,
    name: &str,
    config: &Config,
    printer: &Printer,
) {
    let (energy_noise, time_noise) = shown::noise(config);
    for note in baseline::apply(
        &mut run.cases,
        &old.cases,
        name,
        energy_noise,
        time_noise,
        config.seed,
    ) {
        printer.warning(&note);
    }
    for c in &run.cases {
        printer.baseline(c);
    }
}
