//! Bench mode: take the output folder, measure every selected group, analyse it and
//! write a checkpoint after each, then write results.json and the report, compare with a
//! baseline, and choose the exit code. A signal stops the run between samples; what was
//! finished is written all the same.

use super::document::{group_comparisons, group_members, Header};
use super::exit;
use super::output_dir::OutputDir;
use super::outputs::{self, Written};
use super::shown;
use crate::analysis::assemble::case_result;
use crate::analysis::{baseline, carbon};
use crate::attribution::idle::idle_summary;
use crate::measure::interrupt::{Interrupt, Signal};
use crate::measure::phased::{self, Phased};
use crate::measure::record::CaseRecord;
use crate::measure::registry::CaseRef;
use crate::measure::runner::Session;
use crate::measure::sensor::{discover, Discovery, SensorInfo};
use crate::output::Printer;
use crate::results::{
    baselines, host, paths, CaseResult, GroupComparison, RunResults, RunStatus, UnusedSensor,
};
use crate::setup::config::{Config, GpuProtocol};
use crate::setup::selection;
use std::time::Instant;

/// What is known before the first sample: the sources, the protocol, the baseline to
/// compare with and the one to update.
struct Prepared {
    discovery: Discovery,
    phased: Option<Phased>,
    baseline: Option<(String, RunResults)>,
    saved_baseline: Option<RunResults>,
}

/// What the groups of this run gave.
struct Measured {
    records: Vec<CaseRecord>,
    comparisons: Vec<GroupComparison>,
    groups_done: usize,
    groups_total: usize,
    stopped: Option<Signal>,
}

/// Run the selected cases in bench mode (`known`: every registered case id, in order);
/// returns the exit code.
pub(super) fn run_bench(config: &Config, cases: Vec<CaseRef>, known: Vec<String>) -> i32 {
    let printer = Printer::new(config);
    let out = match open_output(config, &printer) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let header_started = host::now_rfc3339();
    let clock = Instant::now();
    let prepared = match prepare(config, &out, &printer) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let header = Header {
        config,
        started: header_started,
        clock,
        phased: prepared.phased.is_some(),
        unused: prepared
            .discovery
            .unused
            .iter()
            .map(|u| UnusedSensor {
                source: u.source.clone(),
                reason: u.reason.clone(),
            })
            .collect(),
        known,
    };
    let interrupt = Interrupt::install();
    let session = Session::start(
        prepared.discovery.sensors,
        prepared.phased,
        config.idle_time,
        interrupt,
        &printer,
    );
    let measured = measure_groups(
        &session,
        &header,
        &out,
        cases,
        &printer,
        prepared.baseline.as_ref(),
    );
    let idle_before = session.idle_before();
    let (trace, idle_after) = session.finish(&printer);
    let stopped = measured.stopped.or(interrupt.requested());
    let idle = idle_summary(&trace, idle_before, idle_after);
    let mut results: Vec<CaseResult> = measured
        .records
        .iter()
        .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
        .collect();
    header.stamp(&mut results);
    let status = match stopped {
        Some(_) => RunStatus::Interrupted,
        None => RunStatus::Complete,
    };
    let mut run = header.document(results, measured.comparisons.clone(), &trace, idle, status);
    if let Some((name, old)) = &prepared.baseline {
        apply_baseline(&mut run, old, name, config, &printer);
    }
    let this_run = run.clone();
    let merged = header.merged(out.previous.as_ref(), run, Some(&measured.comparisons));
    let baseline_doc = config.save_baseline.as_ref().map(|name| {
        let doc = header.merged(prepared.saved_baseline.as_ref(), this_run.clone(), None);
        (name.clone(), doc)
    });
    let written = outputs::write_outputs(&merged, baseline_doc.as_ref(), &out, config, &printer);
    for w in &this_run.warnings {
        printer.warning(w);
    }
    printer.finished(&this_run, &out.results_path());
    finish(&this_run, &measured, stopped, written, config, &out)
}

/// The exit code: a signal's when one stopped the run (saying what was kept), else what
/// the cases and the baseline decide.
fn finish(
    run: &RunResults,
    measured: &Measured,
    stopped: Option<Signal>,
    written: Written,
    config: &Config,
    out: &OutputDir,
) -> i32 {
    if let Some(signal) = stopped {
        let kept = match written.results {
            true => format!("written to {}", out.results_path().display()),
            false => "not written".to_string(),
        };
        eprintln!(
            "ipw: interrupted by {}: {} of {} groups finished, {kept}",
            signal.name(),
            measured.groups_done,
            measured.groups_total
        );
        return signal.exit_code();
    }
    // One process: no regression is trusted enough to fail the gate without --strict.
    gate_exit_code(run, written, config, |_| false)
}

/// The output folder of this run, opened and locked.
pub(super) fn open_output(config: &Config, printer: &Printer) -> Result<OutputDir, i32> {
    let root = config
        .output_dir
        .clone()
        .unwrap_or_else(paths::default_output_dir);
    OutputDir::open(&root, &paths::bench_name(), printer)
}

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

/// Discover the sources and print them, choose the protocol, and load the baselines, so
/// a missing or unreadable one is said before minutes of measuring.
fn prepare(config: &Config, out: &OutputDir, printer: &Printer) -> Result<Prepared, i32> {
    let discovery = discover(&config.sensor_specs).map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })?;
    let carbon = carbon::carbon(config.carbon_intensity);
    let mut summary = discovery.summary();
    summary.push(format!(
        "carbon intensity {} gCO2e/kWh ({})",
        carbon.g_per_kwh, carbon.source
    ));
    let infos: Vec<SensorInfo> = discovery.sensors.iter().map(|s| s.info().clone()).collect();
    let phased = match config.gpu_protocol {
        GpuProtocol::Phased => Phased::for_sources(&infos),
        GpuProtocol::Simple => None,
    };
    if config.gpu_protocol == GpuProtocol::Phased {
        summary.push(match &phased {
            Some(p) => format!(
                "gpu protocol phased: each sample is a trial (at least {} per case) started \
                 after a controlled delay; NVML GPU energy is read after the {:.0} ms rise time",
                phased::MIN_TRIALS,
                p.sensor.settle() * 1e3
            ),
            None => "gpu protocol phased changes nothing: no GPU energy comes from NVML alone"
                .to_string(),
        });
    }
    printer.sensors(&summary);
    let (baseline, saved_baseline) = load_baselines(config, out)?;
    Ok(Prepared {
        discovery,
        phased,
        baseline,
        saved_baseline,
    })
}

/// Measure the groups in turn; after each, print its cases (against the previous run and
/// the baseline) and comparisons (with the idle power known so far: comparisons use gross
/// per-sample energy, which later idle readings do not change) and write a checkpoint.
/// Stops at a signal, leaving out the group it cut short.
fn measure_groups(
    session: &Session,
    header: &Header,
    out: &OutputDir,
    cases: Vec<CaseRef>,
    printer: &Printer,
    compare_with: Option<&(String, RunResults)>,
) -> Measured {
    let config = header.config;
    let groups = selection::groups(&cases);
    let mut m = Measured {
        records: Vec::new(),
        comparisons: Vec::new(),
        groups_done: 0,
        groups_total: groups.len(),
        stopped: None,
    };
    let mut shown_so_far: Vec<CaseResult> = Vec::new();
    for (group_index, (group, members)) in groups.into_iter().enumerate() {
        let index = group_index as u64;
        let group_records = match session.run_group(members, config, index, printer) {
            Some(r) => r,
            None => {
                m.stopped = session.stop_requested();
                break;
            }
        };
        let trace = session.snapshot();
        let idle = idle_summary(&trace, session.idle_before(), None);
        let mut shown: Vec<CaseResult> = group_records
            .iter()
            .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
            .collect();
        header.stamp(&mut shown);
        let previous = out.previous.as_ref();
        shown::print_cases(&mut shown, config, previous, compare_with, printer);
        let members = group_members(header, out.previous.as_ref(), &group, &shown);
        let fresh = group_comparisons(config, &group, &members);
        for c in &fresh {
            printer.comparison(c);
        }
        m.comparisons.extend(fresh);
        m.records.extend(group_records);
        m.groups_done += 1;
        shown_so_far.extend(shown);
        let doc = header.document(
            shown_so_far.clone(),
            m.comparisons.clone(),
            &trace,
            idle,
            RunStatus::Running,
        );
        let doc = header.merged(out.previous.as_ref(), doc, Some(&m.comparisons));
        outputs::checkpoint(&doc, out, (m.groups_done, m.groups_total), printer);
    }
    m
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
