//! The runner: warm-up, schedule, interleaved sampling, idle measurement, and the results.
//!
//! Only the runner, the case threads and the sampler touch the clock and the sensors;
//! everything after is plain data (attribution, analysis, rendering). Under
//! `--gpu-protocol phased`, where GPU energy comes only from NVML, every sample is a trial
//! of [`gpu_protocol`]: the runner sleeps until a whole sensor period plus the sample's
//! delay before asking for it, and its GPU energy is taken after the rise time.

use crate::analysis;
use crate::attribution;
use crate::batch::WindowLimit;
use crate::bencher::{CaseKind, Command, RawSample, Reply};
use crate::config::{self, Config, Format, GpuProtocol};
use crate::gpu_protocol::{self, Phased};
use crate::host;
use crate::output::{self, Printer};
use crate::quality;
use crate::registry::CaseRef;
use crate::results::{
    CasePlan, CaseResult, Idle, IdleWindow, RunInfo, RunResults, Sample, Status, Tool,
    UnusedSensor, SCHEMA_VERSION,
};
use crate::sampler::{EdgeId, Sampler, Trace};
use crate::schedule::{self, ScheduleInput};
use crate::selection;
use crate::sensor::{discover, Provenance, SensorInfo};
use crate::stats::Rng;
use crate::worker::Worker;
use std::time::{Duration, Instant};

/// How often the sampler polls between edges (for wrap safety and the power trace).
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// One case while it runs.
struct CaseRun {
    case: CaseRef,
    worker: Option<Worker>,
    kind: Option<CaseKind>,
    plan: Option<schedule::Plan>,
    /// The phased GPU protocol, when it applies to the run.
    phased: Option<Phased>,
    /// The delay before each trial under the phased protocol; sample `i` had `delays[i]`.
    delays: Vec<Duration>,
    /// Trials taken again because they started late.
    repeated: usize,
    warm_up_iters: u64,
    warm_up_s: f64,
    measurement_s: f64,
    max_s: f64,
    sample_size: usize,
    raw: Vec<RawSample>,
    measured_s: f64,
    failure: Option<String>,
    skipped: Option<String>,
}

impl CaseRun {
    fn new(case: CaseRef, config: &Config, phased: Option<Phased>) -> CaseRun {
        let c = case.case;
        CaseRun {
            warm_up_s: config
                .warm_up_time
                .or(c.warm_up_time)
                .unwrap_or(config::DEFAULT_WARM_UP_TIME),
            measurement_s: config
                .measurement_time
                .or(c.measurement_time)
                .unwrap_or(config::DEFAULT_MEASUREMENT_TIME),
            max_s: config
                .max_time
                .or(c.max_time)
                .unwrap_or(config::DEFAULT_MAX_TIME),
            sample_size: config
                .sample_size
                .or(c.sample_size)
                .unwrap_or(config::DEFAULT_SAMPLE_SIZE)
                .max(schedule::MIN_SAMPLES),
            case,
            worker: None,
            kind: None,
            plan: None,
            phased,
            delays: Vec::new(),
            repeated: 0,
            warm_up_iters: 0,
            raw: Vec::new(),
            measured_s: 0.0,
            failure: None,
            skipped: None,
        }
    }

    fn fail(&mut self, message: String) {
        if self.failure.is_none() {
            self.failure = Some(message);
        }
        if let Some(w) = self.worker.take() {
            w.finish();
        }
    }

    fn wants_sample(&self) -> bool {
        let Some(plan) = &self.plan else {
            return false;
        };
        if self.failure.is_some() || self.raw.len() >= plan.samples {
            return false;
        }
        let per_sample = self.measured_s / self.raw.len().max(1) as f64;
        // The hard cap: never start a sample that would end past --max-time, once the
        // minimum number of samples is in.
        self.raw.len() < schedule::MIN_SAMPLES || self.measured_s + per_sample <= self.max_s
    }
}

/// Run the selected cases in bench mode; returns the exit code.
pub fn run_bench(config: &Config, cases: Vec<CaseRef>) -> i32 {
    let started = host::now_rfc3339();
    let t_run = Instant::now();
    let printer = Printer::new(config.format);
    let discovery = match discover(&config.sensor_specs) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: --sensors: {e}");
            return 2;
        }
    };
    let carbon = crate::carbon::carbon(config.carbon_intensity);
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
                gpu_protocol::MIN_TRIALS,
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
        .unwrap_or_else(crate::paths::default_output_dir)
        .join(crate::paths::bench_name());
    // Load the baseline first, so a missing one is said before minutes of measuring.
    let baseline = match &config.baseline {
        Some(name) => match crate::baseline::load(&bench_dir, name) {
            Ok(b) => Some((name.clone(), b)),
            Err(e) => {
                eprintln!("error: --baseline: {e}");
                return 2;
            }
        },
        None => None,
    };
    let unused: Vec<UnusedSensor> = discovery
        .unused
        .iter()
        .map(|u| UnusedSensor {
            source: u.source.clone(),
            reason: u.reason.clone(),
        })
        .collect();
    // The protocol's trials have their own floor; the other sources keep theirs.
    let sensor_period_s = infos
        .iter()
        .filter(|s| !phased.is_some_and(|p| p.applies_to(s)))
        .map(|s| s.update_period.as_secs_f64())
        .fold(1e-3, f64::max);
    let sampler = Sampler::start(discovery.sensors, POLL_INTERVAL);
    let idle_time = Duration::from_secs_f64(config.idle_time);
    let idle_before = (config.idle_time > 0.0).then(|| idle_window(&sampler, idle_time));

    let mut runs: Vec<CaseRun> = Vec::new();
    let mut comparisons = Vec::new();
    for (group_index, (group, members)) in selection::groups(&cases).into_iter().enumerate() {
        let mut group_runs: Vec<CaseRun> = members
            .into_iter()
            .map(|c| CaseRun::new(c, config, phased))
            .collect();
        run_group(
            &group,
            &mut group_runs,
            &sampler,
            config,
            sensor_period_s,
            group_index as u64,
            &printer,
        );
        let trace = sampler.snapshot();
        let idle = idle_summary(&trace, idle_before, None);
        let shown: Vec<CaseResult> = group_runs
            .iter()
            .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
            .collect();
        for c in &shown {
            printer.case(c);
        }
        // Comparisons use gross per-sample energy, which later idle readings do not change.
        let refs: Vec<&CaseResult> = shown.iter().collect();
        let noise = config
            .noise_threshold
            .unwrap_or(crate::compare::DEFAULT_ENERGY_NOISE);
        let group_seed = crate::analysis::case_seed(config.seed, &group);
        for c in crate::compare::compare_group(&group, &refs, noise, group_seed) {
            printer.comparison(&c);
            comparisons.push(c);
        }
        runs.extend(group_runs);
    }
    let idle_after = (config.idle_time > 0.0).then(|| idle_window(&sampler, idle_time));
    let trace = sampler.stop();
    let idle = idle_summary(&trace, idle_before, idle_after);
    let results: Vec<CaseResult> = runs
        .iter()
        .map(|r| case_result(r, &trace, &idle, config.seed, config.carbon_intensity))
        .collect();
    let mut warnings = run_warnings(&trace, &idle);
    if discovery_estimated(&trace.sensors) {
        warnings.push(
            "no measured energy source was used: energy is ESTIMATED from CPU time".to_string(),
        );
    }
    let mut run = RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        bench: crate::paths::bench_name(),
        run: RunInfo {
            started_at: started,
            finished_at: host::now_rfc3339(),
            duration_s: t_run.elapsed().as_secs_f64(),
            host: host::host(),
            rustc: host::rustc(),
            git_commit: host::git_commit(),
            seed: config.seed,
            config: config_record(config, phased.is_some()),
        },
        sensors: trace.sensors.clone(),
        sensors_unused: unused,
        idle,
        cases: results,
        carbon: crate::carbon::carbon(config.carbon_intensity),
        trace: crate::trace::power_traces(&trace),
        comparisons,
        warnings,
    };
    if let Some((name, old)) = &baseline {
        let energy_noise = config
            .noise_threshold
            .unwrap_or(crate::compare::DEFAULT_ENERGY_NOISE);
        let time_noise = config
            .noise_threshold
            .unwrap_or(crate::compare::DEFAULT_TIME_NOISE);
        for note in
            crate::baseline::apply(&mut run, old, name, energy_noise, time_noise, config.seed)
        {
            printer.warning(&note);
        }
        for c in &run.cases {
            printer.baseline(c);
        }
    }
    let dir = bench_dir;
    let path = dir.join("results.json");
    let mut code = 0;
    match crate::results::write_json_atomic(&path, &run) {
        Ok(()) => printer.written(&path),
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            code = 1;
        }
    }
    if code == 0 {
        // One report over every bench binary's results under the output directory, so a
        // `cargo bench` that runs several binaries ends with a single index. A report
        // failure costs the pages, not the measurements: a warning, not a failed run.
        let root = dir.parent().unwrap_or(&dir);
        let (runs, problems) = crate::report::load_results(root);
        for p in &problems {
            printer.warning(&format!("report: left out {p}"));
        }
        let options = crate::report::ReportOptions {
            plots: config.plots,
        };
        match crate::report::write_report(root, &runs, &options) {
            Ok(index) => printer.written(&index),
            Err(e) => printer.warning(&format!("report not written: {e}")),
        }
    }
    if let Some(name) = &config.save_baseline {
        match crate::baseline::save(&dir, name, &run) {
            Ok(p) => printer.written(&p),
            Err(e) => {
                eprintln!("error: --save-baseline: {e}");
                code = 1;
            }
        }
    }
    for w in &run.warnings {
        printer.warning(w);
    }
    let failed = run
        .cases
        .iter()
        .filter(|c| matches!(c.status, Status::Failed | Status::Invalid))
        .count();
    let warned = run.cases.iter().any(|c| !c.quality.is_empty()) || !run.warnings.is_empty();
    printer.finished(&run, &path);
    let regressed = crate::baseline::regressions(&run);
    if failed > 0 {
        code = 1;
    } else if config.fail_on_regression && !regressed.is_empty() {
        for (id, metric) in &regressed {
            eprintln!("error: {id}: {metric} regressed against the baseline");
        }
        code = 3;
    } else if config.strict && warned {
        eprintln!("error: --strict: quality warnings fail the run");
        code = 1;
    }
    code
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

fn discovery_estimated(sensors: &[SensorInfo]) -> bool {
    !sensors.is_empty()
        && sensors
            .iter()
            .all(|s| s.provenance == Provenance::Estimated)
}

/// Measure idle power: an edge, a sleep, an edge.
fn idle_window(sampler: &Sampler, time: Duration) -> (EdgeId, EdgeId) {
    let a = sampler.edge();
    std::thread::sleep(time);
    (a, sampler.edge())
}

fn idle_power(trace: &Trace, w: (EdgeId, EdgeId)) -> IdleWindow {
    let e = attribution::window(trace, w.0, w.1);
    let per = |j: Option<f64>| j.map(|j| j / e.seconds);
    IdleWindow {
        duration_s: e.seconds,
        power_w: per(e.total),
        power_w_by_domain: e
            .per_domain
            .iter()
            .map(|(d, j)| (d.clone(), per(*j)))
            .collect(),
    }
}

fn idle_summary(
    trace: &Trace,
    before: Option<(EdgeId, EdgeId)>,
    after: Option<(EdgeId, EdgeId)>,
) -> Idle {
    let before = before.map(|w| idle_power(trace, w));
    let after = after.map(|w| idle_power(trace, w));
    let pb = before.as_ref().and_then(|w| w.power_w);
    let pa = after.as_ref().and_then(|w| w.power_w);
    let mean_w = match (pb, pa) {
        (Some(b), Some(a)) => Some((a + b) / 2.0),
        (b, a) => b.or(a),
    };
    let drift_w = pb.zip(pa).map(|(b, a)| a - b);
    Idle {
        before,
        after,
        mean_w,
        drift_w,
        drift_fraction: drift_w.zip(pb).and_then(|(d, b)| (b > 0.0).then(|| d / b)),
    }
}

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
    w
}

fn run_group(
    group: &str,
    runs: &mut [CaseRun],
    sampler: &Sampler,
    config: &Config,
    sensor_period_s: f64,
    group_index: u64,
    printer: &Printer,
) {
    // Warm each case up in turn; a case's setup finishes before anything is measured.
    for r in runs.iter_mut() {
        printer.progress(&format!("warming up {}", r.case.id()));
        let mut w = match Worker::spawn(&r.case, sampler.clone()) {
            Ok(w) => w,
            Err(e) => {
                r.fail(e);
                continue;
            }
        };
        match w.ask(Command::WarmUp(Duration::from_secs_f64(r.warm_up_s))) {
            Reply::WarmedUp {
                kind,
                iters,
                elapsed,
            } => {
                r.kind = Some(kind);
                r.warm_up_iters = iters;
                let plan = schedule::plan(ScheduleInput {
                    per_iter_s: elapsed.as_secs_f64() / iters as f64,
                    sample_size: r.sample_size,
                    measurement_time_s: r.measurement_s,
                    max_time_s: r.max_s,
                    sensor_period_s,
                    trials: r.phased.map(|p| schedule::Trials {
                        count: gpu_protocol::MIN_TRIALS,
                        min_s: p.min_trial_s(),
                    }),
                });
                if let Some(p) = r.phased {
                    let seed = analysis::case_seed(config.seed, &r.case.id());
                    r.delays = p.delays(plan.samples, seed);
                }
                r.plan = Some(plan);
                r.worker = Some(w);
            }
            Reply::Skipped(reason) => {
                r.skipped = Some(reason);
                w.finish();
            }
            other => {
                r.worker = Some(w);
                r.fail(failure_message(other));
            }
        }
    }
    let total: usize = runs
        .iter()
        .filter_map(|r| r.plan.as_ref().map(|p| p.samples))
        .sum();
    let mut taken = 0usize;
    let mut rng = Rng::new(config.seed ^ group_index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    loop {
        let mut order: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].wants_sample())
            .collect();
        if order.is_empty() {
            break;
        }
        if config.interleave {
            rng.shuffle(&mut order);
        } else {
            order.truncate(1);
        }
        for i in order {
            let r = &mut runs[i];
            let iters = r.plan.as_ref().map_or(1, |p| p.iters_per_sample);
            let limit = match (&r.plan, r.phased) {
                (Some(p), None) => WindowLimit {
                    for_sensors: p.windows_for_sensors,
                    single: false,
                },
                _ => WindowLimit::ONE,
            };
            let trial = match (r.phased, r.delays.get(r.raw.len())) {
                (Some(p), Some(&delay)) => Some((p, wait_for_trial(sampler, p.period(), delay))),
                _ => None,
            };
            let reply = match r.worker.as_mut() {
                Some(w) => w.ask(Command::Sample(iters, limit)),
                None => Reply::Finished,
            };
            match reply {
                Reply::Sampled(s) => {
                    r.measured_s += s.elapsed_ns as f64 * 1e-9;
                    // A trial that began late has a phase the protocol did not choose:
                    // take it again (at most once per planned trial), with the same delay.
                    // Not a survival case's: its tasks' first runs are scored once.
                    if let Some((p, at)) = trial.filter(|_| s.tasks.is_empty()) {
                        let (start, _) = s.span();
                        let began = sampler.with_trace(|t| t.edges[start.0 as usize].t_ns);
                        let late = Duration::from_nanos(began).saturating_sub(at);
                        if late > p.max_late() && r.repeated < r.delays.len() {
                            r.repeated += 1;
                            continue;
                        }
                    }
                    r.raw.push(s);
                    taken += 1;
                    printer.progress(&format!("sampling {group}: {taken}/{total}"));
                }
                other => r.fail(failure_message(other)),
            }
        }
    }
    printer.progress_done();
    for r in runs.iter_mut() {
        if let Some(w) = r.worker.take() {
            if let Some(m) = w.finish() {
                r.fail(format!("panicked: {m}"));
            }
        }
        if let Some(plan) = &mut r.plan {
            if r.failure.is_none() && r.raw.len() < plan.samples {
                plan.notes.push(format!(
                    "stopped after {} of {} samples at --max-time {}",
                    r.raw.len(),
                    plan.samples,
                    schedule::fmt_s(r.max_s)
                ));
            }
        }
    }
}

/// Wait until the next whole sensor period of the run's clock plus `delay`, so that the
/// trial's phase against the sensor is the delay's, whatever time the last one ended;
/// returns that time, since the run's epoch. The last millisecond is spun, not slept: a
/// busy machine oversleeps by more than the 3 ms between two trials' delays.
fn wait_for_trial(sampler: &Sampler, period: Duration, delay: Duration) -> Duration {
    let epoch = sampler.epoch();
    let since = gpu_protocol::trial_start(epoch.elapsed(), period, delay);
    let at = epoch + since;
    loop {
        let left = at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return since;
        }
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(1));
        } else {
            std::hint::spin_loop();
        }
    }
}

fn failure_message(r: Reply) -> String {
    match r {
        Reply::Panicked(m) => format!("panicked: {m}"),
        Reply::Error(m) => m,
        Reply::Finished => {
            "the bench function returned without calling iter, iter_batched or queries".to_string()
        }
        other => format!("unexpected reply from the case: {other:?}"),
    }
}

/// A sample's record; under the phased protocol, a trial with its delay.
fn to_sample(trace: &Trace, raw: &RawSample, phased: Option<(&Phased, Duration)>) -> Sample {
    let (start, end) = raw.span();
    let w = match phased {
        Some((p, _)) => p.window(trace, start, end),
        None => attribution::windows(trace, &raw.windows),
    };
    Sample {
        iters: raw.iters,
        elapsed_s: raw.elapsed_ns as f64 * 1e-9,
        start_s: trace.edges[start.0 as usize].t_ns as f64 * 1e-9,
        window_s: w.seconds,
        valid: w.total.is_some(),
        energy_j: w.per_domain,
        energy_total_j: w.total,
        method: serde_json::to_value(w.method)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        flags: w.flags.iter().map(|f| f.to_string()).collect(),
        correct: raw.tally.map(|t| t.correct),
        incorrect: raw.tally.map(|t| t.incorrect()),
        unjudged: raw.tally.map(|t| t.unjudged),
        delay_s: phased.map(|(_, d)| d.as_secs_f64()),
        energy_windows: raw.windows.len().max(1) as u64,
    }
}

/// The provenance of a run's energy: the weakest of its top-level sources.
pub(crate) fn provenance_of(sensors: &[SensorInfo]) -> Provenance {
    sensors
        .iter()
        .filter(|s| s.contained_in.is_none())
        .map(|s| s.provenance)
        .fold(
            if sensors.is_empty() {
                Provenance::Estimated
            } else {
                Provenance::Measured
            },
            Provenance::weakest,
        )
}

fn case_result(
    r: &CaseRun,
    trace: &Trace,
    idle: &Idle,
    run_seed: u64,
    carbon_flag: Option<f64>,
) -> CaseResult {
    let id = r.case.id();
    let samples: Vec<Sample> = r
        .raw
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let trial = r.phased.as_ref().zip(r.delays.get(i).copied());
            to_sample(trace, s, trial)
        })
        .collect();
    let provenance = provenance_of(&trace.sensors);
    let seed = analysis::case_seed(run_seed, &id);
    let mut estimates = analysis::estimates(&samples, idle.mean_w, provenance, seed);
    crate::carbon::add_estimates(&mut estimates, &crate::carbon::carbon(carbon_flag));
    let mut notes = r.plan.as_ref().map(|p| p.notes.clone()).unwrap_or_default();
    let mut quality = if r.skipped.is_some() {
        Vec::new()
    } else {
        quality::case_warnings(&samples, provenance, &notes)
    };
    // The protocol is the remedy for part-time GPU readings, not a problem: a note of the
    // plan, not a quality warning.
    if let Some(p) = r.phased.filter(|_| !samples.is_empty()) {
        notes.push(p.note(samples.len(), r.repeated));
    }
    let windows: Vec<(EdgeId, EdgeId)> = r.raw.iter().map(RawSample::span).collect();
    quality.extend(quality::trace_warnings(
        trace,
        &windows,
        POLL_INTERVAL.as_secs_f64(),
    ));
    let shortest = samples
        .iter()
        .map(|s| s.window_s)
        .fold(f64::INFINITY, f64::min);
    let short = match r.phased {
        Some(_) => None,
        None => gpu_protocol::nvml_short_window_warning(shortest, &trace.sensors),
    };
    if let Some(m) = short {
        quality.push(crate::results::QualityWarning {
            code: "nvml-part-time".to_string(),
            message: m,
        });
    }
    let survival = survival_of(r, &samples, seed).and_then(|s| match s {
        Ok(s) => Some(s),
        Err(e) => {
            quality.push(crate::results::QualityWarning {
                code: "survival".to_string(),
                message: format!("no Survival Game score: {e}"),
            });
            None
        }
    });
    let latencies: Vec<u64> = r
        .raw
        .iter()
        .flat_map(|s| s.latencies_ns.iter().copied())
        .collect();
    let status = if r.skipped.is_some() {
        Status::Skipped
    } else if r.failure.is_some() {
        Status::Failed
    } else if !samples.is_empty() && samples.iter().all(|s| !s.valid) {
        Status::Invalid
    } else {
        Status::Ok
    };
    let message = r.skipped.clone().or_else(|| r.failure.clone()).or_else(|| {
        (status == Status::Invalid)
            .then(|| "no sample window has valid energy; see quality".to_string())
    });
    let answers = analysis::answers(&samples);
    CaseResult {
        group: r.case.group().to_string(),
        name: r.case.case.name.to_string(),
        variant: r.case.variant.clone(),
        id,
        status,
        message,
        kind: r.kind.map(|k| k.as_str().to_string()),
        provenance,
        plan: CasePlan {
            warm_up_time_s: r.warm_up_s,
            warm_up_iters: r.warm_up_iters,
            measurement_time_s: r.measurement_s,
            max_time_s: r.max_s,
            sample_size_requested: r.sample_size,
            iters_per_sample: r.plan.as_ref().map_or(0, |p| p.iters_per_sample),
            notes,
        },
        samples,
        estimates,
        quality,
        latency: analysis::latency(&latencies),
        answers,
        baseline: None,
        survival,
    }
}

/// Survival Game scoring of a `trials` or `ranked` case: each task's first run is one
/// observation; its energy is its sample's energy split in proportion to its time.
fn survival_of(
    r: &CaseRun,
    samples: &[Sample],
    seed: u64,
) -> Option<Result<crate::survival::SurvivalResult, crate::survival::SurvivalError>> {
    if r.raw.iter().all(|s| s.tasks.is_empty()) {
        return None;
    }
    let mut outcomes = Vec::new();
    for (raw, sample) in r.raw.iter().zip(samples) {
        let total_ns: u64 = raw.tasks.iter().map(|t| t.elapsed_ns).sum();
        // Tasks cycle across samples; a task's later runs repeat its first, so each task
        // is scored once (observations must be independent for the tail fit).
        for t in raw.tasks.iter().filter(|t| t.repeat == 0) {
            let share = if total_ns > 0 {
                t.elapsed_ns as f64 / total_ns as f64
            } else {
                1.0 / raw.tasks.len() as f64
            };
            outcomes.push(crate::survival::TaskOutcome {
                task: format!("task{}", t.index),
                failures: t.failures,
                censored: t.censored,
                energy_j: sample
                    .energy_total_j
                    .filter(|_| sample.valid)
                    .map(|e| e * share),
                time_s: Some(t.elapsed_ns as f64 * 1e-9),
            });
        }
    }
    // Energy is all or nothing in scoring: drop it when any task lacks it.
    if outcomes.iter().any(|o| o.energy_j.is_none()) {
        for o in &mut outcomes {
            o.energy_j = None;
        }
    }
    let config = crate::survival::SurvivalConfig {
        seed,
        ..Default::default()
    };
    Some(crate::survival::score(&outcomes, &config))
}

/// Test mode: run every case once, check outcomes, write nothing. Returns the exit code.
pub fn run_tests(config: &Config, cases: Vec<CaseRef>) -> i32 {
    let sampler = Sampler::start(Vec::new(), POLL_INTERVAL);
    let json = config.format == Format::Json;
    if !json {
        println!("\nrunning {} benchmark cases in test mode", cases.len());
    }
    let mut failed = Vec::new();
    let mut skipped = 0usize;
    for case in &cases {
        let id = case.id();
        let outcome = match Worker::spawn(case, sampler.clone()) {
            Err(e) => Err(e),
            Ok(mut w) => {
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
        };
        output::test_line(json, &id, &outcome);
        if matches!(outcome, Ok(Some(_))) {
            skipped += 1;
        }
        if let Err(m) = outcome {
            failed.push((id, m));
        }
    }
    output::test_summary(json, cases.len(), skipped, &failed);
    i32::from(!failed.is_empty())
}
