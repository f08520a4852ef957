//! The runner: warm-up, schedule, interleaved sampling, idle measurement, and the results.
//!
//! Only the runner, the case threads and the sampler touch the clock and the sensors;
//! everything after is plain data (attribution, analysis, rendering).

use crate::analysis;
use crate::attribution;
use crate::bencher::{CaseKind, Command, RawSample, Reply};
use crate::config::{self, Config, Format};
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
    warm_up_iters: u64,
    warm_up_s: f64,
    measurement_s: f64,
    max_s: f64,
    sample_size: usize,
    raw: Vec<RawSample>,
    measured_s: f64,
    failure: Option<String>,
}

impl CaseRun {
    fn new(case: CaseRef, config: &Config) -> CaseRun {
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
            warm_up_iters: 0,
            raw: Vec::new(),
            measured_s: 0.0,
            failure: None,
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
    printer.sensors(&discovery.summary());
    let unused: Vec<UnusedSensor> = discovery
        .unused
        .iter()
        .map(|u| UnusedSensor {
            source: u.source.clone(),
            reason: u.reason.clone(),
        })
        .collect();
    let sensor_period_s = discovery
        .sensors
        .iter()
        .map(|s| s.info().update_period.as_secs_f64())
        .fold(1e-3, f64::max);
    let sampler = Sampler::start(discovery.sensors, POLL_INTERVAL);
    let idle_time = Duration::from_secs_f64(config.idle_time);
    let idle_before = (config.idle_time > 0.0).then(|| idle_window(&sampler, idle_time));

    let mut runs: Vec<CaseRun> = Vec::new();
    for (group_index, (group, members)) in selection::groups(&cases).into_iter().enumerate() {
        let mut group_runs: Vec<CaseRun> =
            members.into_iter().map(|c| CaseRun::new(c, config)).collect();
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
        for r in &group_runs {
            printer.case(&case_result(r, &trace, &idle, config.seed));
        }
        runs.extend(group_runs);
    }
    let idle_after = (config.idle_time > 0.0).then(|| idle_window(&sampler, idle_time));
    let trace = sampler.stop();
    let idle = idle_summary(&trace, idle_before, idle_after);
    let results: Vec<CaseResult> = runs
        .iter()
        .map(|r| case_result(r, &trace, &idle, config.seed))
        .collect();
    let mut warnings = run_warnings(&trace, &idle);
    if discovery_estimated(&trace.sensors) {
        warnings.push(
            "no measured energy source was used: energy is ESTIMATED from CPU time".to_string(),
        );
    }
    let run = RunResults {
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
            config: serde_json::to_value(config).unwrap_or_default(),
        },
        sensors: trace.sensors.clone(),
        sensors_unused: unused,
        idle,
        cases: results,
        trace: crate::trace::power_traces(&trace),
        comparisons: Vec::new(),
        warnings,
    };
    let dir = config
        .output_dir
        .clone()
        .unwrap_or_else(crate::paths::default_output_dir)
        .join(&run.bench);
    let path = dir.join("results.json");
    let mut code = 0;
    match crate::results::write_json_atomic(&path, &run) {
        Ok(()) => printer.written(&path),
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            code = 1;
        }
    }
    for w in &run.warnings {
        printer.warning(w);
    }
    let failed = run.cases.iter().filter(|c| c.status != Status::Ok).count();
    let warned = run.cases.iter().any(|c| !c.quality.is_empty()) || !run.warnings.is_empty();
    printer.finished(&run, &path);
    if failed > 0 {
        code = 1;
    } else if config.strict && warned {
        eprintln!("error: --strict: quality warnings fail the run");
        code = 1;
    }
    code
}

fn discovery_estimated(sensors: &[SensorInfo]) -> bool {
    !sensors.is_empty() && sensors.iter().all(|s| s.provenance == Provenance::Estimated)
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
                });
                r.plan = Some(plan);
                r.worker = Some(w);
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
        let mut order: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].wants_sample()).collect();
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
            let reply = match r.worker.as_mut() {
                Some(w) => w.ask(Command::Sample(iters)),
                None => Reply::Finished,
            };
            match reply {
                Reply::Sampled(s) => {
                    r.measured_s += s.elapsed_ns as f64 * 1e-9;
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

fn to_sample(trace: &Trace, raw: &RawSample) -> Sample {
    let w = attribution::window(trace, raw.start, raw.end);
    Sample {
        iters: raw.iters,
        elapsed_s: raw.elapsed_ns as f64 * 1e-9,
        start_s: trace.edges[raw.start.0 as usize].t_ns as f64 * 1e-9,
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
    }
}

/// The provenance of a run's energy: the weakest of its top-level sources.
fn provenance_of(sensors: &[SensorInfo]) -> Provenance {
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

fn case_result(r: &CaseRun, trace: &Trace, idle: &Idle, run_seed: u64) -> CaseResult {
    let id = r.case.id();
    let samples: Vec<Sample> = r.raw.iter().map(|s| to_sample(trace, s)).collect();
    let provenance = provenance_of(&trace.sensors);
    let seed = analysis::case_seed(run_seed, &id);
    let estimates = analysis::estimates(&samples, idle.mean_w, provenance, seed);
    let notes = r.plan.as_ref().map(|p| p.notes.clone()).unwrap_or_default();
    let quality = quality::case_warnings(&samples, provenance, &notes);
    let latencies: Vec<u64> = r
        .raw
        .iter()
        .flat_map(|s| s.latencies_ns.iter().copied())
        .collect();
    let status = if r.failure.is_some() {
        Status::Failed
    } else if !samples.is_empty() && samples.iter().all(|s| !s.valid) {
        Status::Invalid
    } else {
        Status::Ok
    };
    let message = r.failure.clone().or_else(|| {
        (status == Status::Invalid)
            .then(|| "no sample window has valid energy; see quality".to_string())
    });
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
        baseline: None,
    }
}

/// Test mode: run every case once, check outcomes, write nothing. Returns the exit code.
pub fn run_tests(config: &Config, cases: Vec<CaseRef>) -> i32 {
    let sampler = Sampler::start(Vec::new(), POLL_INTERVAL);
    let json = config.format == Format::Json;
    if !json {
        println!("\nrunning {} benchmark cases in test mode", cases.len());
    }
    let mut failed = Vec::new();
    for case in &cases {
        let id = case.id();
        let outcome = match Worker::spawn(case, sampler.clone()) {
            Err(e) => Err(e),
            Ok(mut w) => {
                let r = match w.ask(Command::Test) {
                    Reply::Tested => Ok(()),
                    other => Err(failure_message(other)),
                };
                match (r, w.finish()) {
                    (Ok(()), Some(m)) => Err(format!("panicked: {m}")),
                    (r, _) => r,
                }
            }
        };
        output::test_line(json, &id, &outcome);
        if let Err(m) = outcome {
            failed.push((id, m));
        }
    }
    output::test_summary(json, cases.len(), &failed);
    i32::from(!failed.is_empty())
}
