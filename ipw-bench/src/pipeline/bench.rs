//! Bench mode: measure every selected group, analyse it, write results.json and the
//! report, compare with a baseline, and choose the exit code.

use super::exit;
use crate::analysis::assemble::case_result;
use crate::analysis::{baseline, carbon, compare};
use crate::attribution::idle::idle_summary;
use crate::attribution::record::Idle;
use crate::attribution::trace::power_traces;
use crate::measure::phased::{self, Phased};
use crate::measure::record::{CaseRecord, Trace};
use crate::measure::registry::CaseRef;
use crate::measure::runner::Session;
use crate::measure::sensor::{discover, Discovery, Provenance, SensorInfo};
use crate::output::Printer;
use crate::report::{self, ReportOptions};
use crate::results::{
    baselines, host, paths, write_json_atomic, CaseResult, GroupComparison, RunInfo, RunResults,
    Tool, UnusedSensor, SCHEMA_VERSION,
};
use crate::setup::config::{Config, GpuProtocol};
use crate::setup::selection;
use crate::stats::rng::case_seed;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What is known before the first sample: the sources, the protocol, where results go,
/// and the baseline to compare with.
struct Prepared {
    discovery: Discovery,
    phased: Option<Phased>,
    bench_dir: PathBuf,
    baseline: Option<(String, RunResults)>,
}

/// Run the selected cases in bench mode; returns the exit code.
pub(super) fn run_bench(config: &Config, cases: Vec<CaseRef>) -> i32 {
    run_bench_with(config, |session, printer| {
        measure_groups(session, config, cases, printer)
    })
}

/// Bench mode with the measuring stage given: `measure` runs the cases in the session
/// (the registered groups, or cases whose functions run on another thread); the rest
/// (idle power, analysis, files, baseline, exit code) is the same. A measure that ran no
/// case (nothing selected: already said) writes nothing and exits 2.
pub(super) fn run_bench_with(
    config: &Config,
    measure: impl FnOnce(&Session, &Printer) -> (Vec<CaseRecord>, Vec<GroupComparison>),
) -> i32 {
    let started = host::now_rfc3339();
    let t_run = Instant::now();
    let printer = Printer::new(config.format);
    let prepared = match prepare(config, &printer) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let unused: Vec<UnusedSensor> = prepared
        .discovery
        .unused
        .iter()
        .map(|u| UnusedSensor {
            source: u.source.clone(),
            reason: u.reason.clone(),
        })
        .collect();
    let session = Session::start(
        prepared.discovery.sensors,
        prepared.phased,
        config.idle_time,
        &printer,
    );
    let (records, comparisons) = measure(&session, &printer);
    if records.is_empty() {
        return exit::USAGE;
    }
    let idle_before = session.idle_before();
    let (trace, idle_after) = session.finish(&printer);
    let idle = idle_summary(&trace, idle_before, idle_after);
    let results: Vec<CaseResult> = records
        .iter()
        .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
        .collect();
    let mut run = RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        bench: paths::bench_name(),
        run: RunInfo {
            started_at: started,
            finished_at: host::now_rfc3339(),
            duration_s: t_run.elapsed().as_secs_f64(),
            host: host::host(),
            rustc: host::rustc(),
            git_commit: host::git_commit(),
            seed: config.seed,
            config: config_record(config, prepared.phased.is_some()),
        },
        sensors: trace.sensors.clone(),
        sensors_unused: unused,
        warnings: run_warnings(&trace, &idle),
        idle,
        cases: results,
        carbon: carbon::carbon(config.carbon_intensity),
        trace: power_traces(&trace),
        comparisons,
    };
    if let Some((name, old)) = &prepared.baseline {
        apply_baseline(&mut run, old, name, config, &printer);
    }
    let write_failed = write_outputs(&run, &prepared.bench_dir, config, &printer);
    for w in &run.warnings {
        printer.warning(w);
    }
    let path = prepared.bench_dir.join("results.json");
    printer.finished(&run, &path);
    let regressions = baseline::regressions(&run.cases);
    let (code, lines) = exit::decide(&exit::Outcome {
        cases: &run.cases,
        run_warnings: &run.warnings,
        write_failed,
        fail_on_regression: config.fail_on_regression,
        strict: config.strict,
        regressions: &regressions,
    });
    for l in lines {
        eprintln!("error: {l}");
    }
    code
}

/// Discover the sources and print them, choose the protocol, and load the baseline, so a
/// missing one is said before minutes of measuring.
fn prepare(config: &Config, printer: &Printer) -> Result<Prepared, i32> {
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
    let bench_dir = config
        .output_dir
        .clone()
        .unwrap_or_else(paths::default_output_dir)
        .join(paths::bench_name());
    let baseline = match &config.baseline {
        Some(name) => match baselines::load(&bench_dir, name) {
            Ok(b) => Some((name.clone(), b)),
            Err(e) if config.baseline_lenient => {
                printer.warning(&format!("--baseline-lenient: {e}; nothing to compare with"));
                None
            }
            Err(e) => {
                eprintln!("error: --baseline: {e}");
                return Err(exit::USAGE);
            }
        },
        None => None,
    };
    Ok(Prepared {
        discovery,
        phased,
        bench_dir,
        baseline,
    })
}

/// Measure the groups in turn; after each, print its cases and comparisons (with the
/// idle power known so far: comparisons use gross per-sample energy, which later idle
/// readings do not change).
fn measure_groups(
    session: &Session,
    config: &Config,
    cases: Vec<CaseRef>,
    printer: &Printer,
) -> (Vec<CaseRecord>, Vec<GroupComparison>) {
    let mut records = Vec::new();
    let mut comparisons = Vec::new();
    for (group_index, (group, members)) in selection::groups(&cases).into_iter().enumerate() {
        let group_records = session.run_group(&group, members, config, group_index as u64, printer);
        comparisons.extend(show_group(session, config, &group, &group_records, printer));
        records.extend(group_records);
    }
    (records, comparisons)
}

/// Print a measured group's cases and its comparisons (with the idle power known so far:
/// comparisons use gross per-sample energy, which later idle readings do not change).
pub(super) fn show_group(
    session: &Session,
    config: &Config,
    group: &str,
    group_records: &[CaseRecord],
    printer: &Printer,
) -> Vec<GroupComparison> {
    let mut comparisons = Vec::new();
    {
        let trace = session.snapshot();
        let idle = idle_summary(&trace, session.idle_before(), None);
        let shown: Vec<CaseResult> = group_records
            .iter()
            .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
            .collect();
        for c in &shown {
            printer.case(c);
        }
        let refs: Vec<&CaseResult> = shown.iter().collect();
        let noise = config
            .noise_threshold
            .unwrap_or(compare::DEFAULT_ENERGY_NOISE);
        let group_seed = case_seed(config.seed, group);
        for c in compare::compare_group(group, &refs, noise, group_seed) {
            printer.comparison(&c);
            comparisons.push(c);
        }
    }
    comparisons
}

/// Compare every case with the baseline and print the changes.
fn apply_baseline(
    run: &mut RunResults,
    old: &RunResults,
    name: &str,
    config: &Config,
    printer: &Printer,
) {
    let energy_noise = config
        .noise_threshold
        .unwrap_or(compare::DEFAULT_ENERGY_NOISE);
    let time_noise = config
        .noise_threshold
        .unwrap_or(compare::DEFAULT_TIME_NOISE);
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

/// Write results.json, then the report over every bench's results under the output
/// directory, then the baseline; returns whether a file that had to be written was not.
fn write_outputs(run: &RunResults, dir: &Path, config: &Config, printer: &Printer) -> bool {
    let path = dir.join("results.json");
    let mut failed = false;
    match write_json_atomic(&path, run) {
        Ok(()) => printer.written(&path),
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            failed = true;
        }
    }
    if !failed {
        // One report over every bench binary's results under the output directory, so a
        // `cargo bench` that runs several binaries ends with a single index. A report
        // failure costs the pages, not the measurements: a warning, not a failed run.
        let root = dir.parent().unwrap_or(dir);
        let (runs, problems) = report::load_results(root);
        for p in &problems {
            printer.warning(&format!("report: left out {p}"));
        }
        let options = ReportOptions {
            plots: config.plots,
        };
        match report::write_report(root, &runs, &options) {
            Ok(index) => printer.written(&index),
            Err(e) => printer.warning(&format!("report not written: {e}")),
        }
    }
    if let Some(name) = &config.save_baseline {
        match baselines::save(dir, name, run) {
            Ok(p) => printer.written(&p),
            Err(e) => {
                eprintln!("error: --save-baseline: {e}");
                failed = true;
            }
        }
    }
    failed
}

/// The configuration as recorded, with the GPU protocol that was actually applied.
fn config_record(config: &Config, phased: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(config).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        let used = if phased { "phased" } else { "simple" };
        map.insert("gpu_protocol_used".to_string(), used.into());
    }
    v
}

/// Run-level warnings: lost sources, idle drift, energy that is only estimated.
fn run_warnings(trace: &Trace, idle: &Idle) -> Vec<String> {
    let mut w = Vec::new();
    for (i, t_ns, msg) in &trace.lost {
        w.push(format!(
            "source {} disappeared {:.1} s into the run ({msg}); the windows after it are invalid",
            trace.sensors[*i].id,
            *t_ns as f64 * 1e-9
        ));
    }
    if let Some(d) = idle.drift_fraction.filter(|d| d.abs() > 0.10) {
        w.push(format!(
            "idle power drifted by {:+.0}% between the start and the end of the run: \
             thermal or background load changed",
            d * 100.0
        ));
    }
    let sensors = &trace.sensors;
    if !sensors.is_empty()
        && sensors
            .iter()
            .all(|s| s.provenance == Provenance::Estimated)
    {
        w.push("no measured energy source was used: energy is ESTIMATED from CPU time".to_string());
    }
    w
}
