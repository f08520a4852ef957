//! Example results for tests, benches and docs (feature `test-support`): a document with
//! every optional field present, synthetic cases with known energy and accuracy, and runs
//! of them analysed as a measured run is.
//!
//! One builder for every test that needs a `RunResults`, so a new field is added in one
//! place. Every document is a function of its arguments alone (no clock, host or path),
//! so what is written or rendered from it can be compared byte for byte.

mod full;

pub use full::full_example;

use crate::analysis::compare::{DEFAULT_ENERGY_NOISE, DEFAULT_TIME_NOISE};
use crate::analysis::{baseline, case_seed};
use crate::measure::sensor::{Domain, Provenance, Sensor, SyntheticSensor};
use crate::results::*;
use crate::stats::Rng;
use std::collections::BTreeMap;

/// The Survival Game score of 40 solved tasks and one censored, each with its energy.
pub fn survival_example() -> crate::survival::SurvivalResult {
    use crate::survival::{score, SurvivalConfig, TaskOutcome};
    let mut tasks: Vec<TaskOutcome> = (0..40u64)
        .map(|i| TaskOutcome {
            energy_j: Some(1.0 + i as f64),
            time_s: Some(0.1),
            ..TaskOutcome::solved(format!("t{i}"), i % 7 + (i / 10) * 3)
        })
        .collect();
    tasks.push(TaskOutcome {
        energy_j: Some(9.0),
        time_s: Some(0.1),
        ..TaskOutcome::censored("hard", 30)
    });
    let config = SurvivalConfig {
        resamples: 50,
        ..Default::default()
    };
    score(&tasks, &config).expect("the example scores")
}

/// A case of `n` samples of 100 iterations whose energy per iteration is `mean` J and whose
/// time per iteration is 1 ms, each with about 3% normal-like noise (a sum of 12 uniforms),
/// and, when given, `accuracy` as the share of correct queries (to the nearest query).
/// The group (and the name) is the id's first segment; the variant its last, when the id
/// has two or more. The case has no estimates yet ([`analysed`] adds them) and its
/// samples all start at 0 s ([`example_run`] lays them out).
pub fn synthetic_case(
    id: &str,
    mean: f64,
    n: usize,
    seed: u64,
    accuracy: Option<f64>,
) -> CaseResult {
    let mut rng = Rng::new(seed);
    let samples = (0..n)
        .map(|_| {
            let z = (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
            let t = (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
            Sample {
                iters: 100,
                elapsed_s: 0.1 * (1.0 + 0.03 * t),
                start_s: 0.0,
                window_s: 0.1,
                energy_j: BTreeMap::new(),
                energy_total_j: Some(mean * (1.0 + 0.03 * z) * 100.0),
                method: "counter-difference".into(),
                valid: true,
                flags: vec![],
                correct: accuracy.map(|a| (a * 100.0).round()),
                incorrect: accuracy.map(|a| 100.0 - (a * 100.0).round()),
                unjudged: accuracy.map(|_| 0),
                delay_s: None,
                energy_windows: 1,
                first_question: accuracy.map(|_| 0),
                process: None,
            }
        })
        .collect::<Vec<Sample>>();
    let question_set = accuracy.map(|_| one_pass_per_sample(&samples));
    let group = id.split('/').next().unwrap_or(id);
    CaseResult {
        id: id.into(),
        group: group.into(),
        name: group.into(),
        variant: id.rsplit_once('/').map(|(_, v)| v.to_string()),
        status: Status::Ok,
        message: None,
        kind: Some(
            if accuracy.is_some() {
                "queries"
            } else {
                "iter"
            }
            .into(),
        ),
        throughput: None,
        provenance: Provenance::Synthetic,
        plan: CasePlan {
            warm_up_time_s: 0.0,
            warm_up_iters: 0,
            measurement_time_s: 0.0,
            max_time_s: 0.0,
            sample_size_requested: n,
            iters_per_sample: 100,
            notes: vec![],
        },
        samples,
        estimates: BTreeMap::new(),
        quality: vec![],
        latency: None,
        answers: None,
        baseline: None,
        survival: None,
        question_set,
        sizing: None,
        processes: None,
        run_started_at: None,
        outliers: None,
    }
}

/// The question set of query samples that each answer one whole pass of their `iters`
/// questions, a deterministic subject getting the first `correct` right every time, each
/// answer's energy and time its sample's share.
fn one_pass_per_sample(samples: &[Sample]) -> QuestionSet {
    let n = samples.first().map_or(0, |s| s.iters);
    let per_question = (0..n)
        .map(|i| {
            let mut q = Question {
                index: i,
                asked: 0,
                correct: 0.0,
                incorrect: 0.0,
                unjudged: 0,
                time_s: 0.0,
                energy_j: Some(0.0),
            };
            for s in samples {
                let right = (i as f64) < s.correct.unwrap_or(0.0);
                q.asked += 1;
                if right {
                    q.correct += 1.0;
                } else {
                    q.incorrect += 1.0;
                }
                q.time_s += s.elapsed_s / n as f64;
                q.energy_j = q
                    .energy_j
                    .zip(s.energy_total_j)
                    .map(|(a, e)| a + e / n as f64);
            }
            q
        })
        .collect();
    QuestionSet {
        questions: n,
        passes: samples.len() as u64,
        answers: n * samples.len() as u64,
        energy_method: "time-share".into(),
        per_question,
    }
}

/// `case` with each sample's energy split between domains in the given shares (which sum
/// to 1), as a CPU package and its DRAM report it.
pub fn with_domains(mut case: CaseResult, shares: &[(&str, f64)]) -> CaseResult {
    for s in &mut case.samples {
        s.energy_j = shares
            .iter()
            .map(|&(d, share)| (d.to_string(), s.energy_total_j.map(|e| e * share)))
            .collect();
    }
    case
}

/// Idle power of the example runs, before and after the cases.
const IDLE_W: [f64; 2] = [10.0, 10.4];
/// Seconds of idle measurement before the first sample and after the last.
const IDLE_S: f64 = 2.0;
/// Points of the power trace of [`example_run`].
const TRACE_POINTS: usize = 120;

fn idle_at(power_w: f64) -> IdleWindow {
    IdleWindow {
        duration_s: IDLE_S,
        power_w: Some(power_w),
        power_w_by_domain: BTreeMap::from([(Domain::SYSTEM.to_string(), Some(power_w))]),
    }
}

/// The run document of bench binary `bench`, run seed `seed`, around `cases` (as they
/// are: [`analysed`] adds estimates and comparisons), on a fixed host with the
/// `synthetic:50` source. The cases' samples are laid out one after another between the
/// idle windows; the run lasts whole minutes; the power trace follows the samples.
pub fn example_run(bench: &str, seed: u64, mut cases: Vec<CaseResult>) -> RunResults {
    let mut t = IDLE_S;
    for c in &mut cases {
        for s in &mut c.samples {
            s.start_s = t;
            t += s.window_s + 0.01;
        }
        t += 0.5;
    }
    let duration_s = ((t + IDLE_S) / 60.0).ceil().max(1.0) * 60.0;
    let minutes = duration_s as u64 / 60;
    let [before, after] = IDLE_W;
    let mut run = RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".into(),
            version: "0.1.0".into(),
        },
        bench: bench.into(),
        run: RunInfo {
            started_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: format!("2026-01-01T{:02}:{:02}:00.000Z", minutes / 60, minutes % 60),
            duration_s,
            host: Host {
                hostname: Some("example-host".into()),
                os: "linux".into(),
                kernel: Some("6.1.0".into()),
                arch: "x86_64".into(),
                cpu_model: Some("Example CPU @ 3.0GHz".into()),
                cpus: 8,
                memory_bytes: Some(16 << 30),
            },
            rustc: Some("rustc 1.80.0".into()),
            git_commit: Some("0123abc".into()),
            seed,
            config: serde_json::json!({"sensors": "synthetic:50", "seed": seed}),
            status: RunStatus::Complete,
            selected: None,
            resumed: Vec::new(),
            process_wall_s: Vec::new(),
        },
        sensors: vec![SyntheticSensor::new(50.0).info().clone()],
        sensors_unused: vec![UnusedSensor {
            source: "nvml".into(),
            reason: "libnvidia-ml.so not found".into(),
        }],
        idle: Idle {
            before: Some(idle_at(before)),
            after: Some(idle_at(after)),
            mean_w: Some((before + after) / 2.0),
            drift_w: Some(after - before),
            drift_fraction: Some((after - before) / before),
        },
        cases,
        carbon: Carbon::default(),
        trace: Vec::new(),
        comparisons: Vec::new(),
        warnings: Vec::new(),
    };
    run.trace = vec![power_trace(&run, TRACE_POINTS)];
    run
}

/// The power of the synthetic source over `run` at `points` evenly spaced times: each
/// sample's mean power inside its window, the idle power outside them.
pub fn power_trace(run: &RunResults, points: usize) -> SensorTrace {
    let idle = run.idle.mean_w.unwrap_or(0.0);
    let windows: Vec<(f64, f64, f64)> = run
        .cases
        .iter()
        .flat_map(|c| &c.samples)
        .filter_map(|s| {
            let power = s.energy_total_j? / s.window_s;
            Some((s.start_s, s.start_s + s.window_s, power))
        })
        .collect();
    let t_s: Vec<f64> = (0..points)
        .map(|i| i as f64 * run.run.duration_s / points as f64)
        .collect();
    let power_w = t_s
        .iter()
        .map(|&t| {
            let inside = windows.iter().find(|w| (w.0..w.1).contains(&t));
            Some(inside.map_or(idle, |w| w.2))
        })
        .collect();
    SensorTrace {
        sensor: "synthetic".into(),
        domain: Domain::SYSTEM.into(),
        t_s,
        power_w,
        temperature_c: None,
        clock_mhz: None,
    }
}

/// `run` analysed as the bench binary analyses a measured run: each case's estimates from
/// its samples with its [`case_seed`], net of the run's idle power, with its answers,
/// carbon and the quality warnings its samples show (a skipped case has none); then each
/// group of two or more cases compared, seeded by its group's `case_seed`. Everything
/// the analysis derives from samples is replaced; the survival score and baseline stay.
pub fn analysed(run: RunResults) -> RunResults {
    super::processes::reanalyse(run, DEFAULT_ENERGY_NOISE)
}

/// An analysed run of `groups` x `variants` query cases of `samples` samples each:
/// `model{g}/v{v}`, whose energy per query grows by a quarter from each variant to the
/// next and whose accuracy grows by a point, each case seeded from `seed` and its id.
pub fn synthetic_run(
    bench: &str,
    groups: usize,
    variants: usize,
    samples: usize,
    seed: u64,
) -> RunResults {
    let cases = (0..groups)
        .flat_map(|g| (0..variants).map(move |v| (g, v)))
        .map(|(g, v)| {
            let id = format!("model{g}/v{v}");
            let mean = 0.02 * (1.0 + 0.25 * v as f64);
            let accuracy = 0.70 + 0.01 * v as f64;
            synthetic_case(&id, mean, samples, case_seed(seed, &id), Some(accuracy))
        })
        .collect();
    analysed(example_run(bench, seed, cases))
}

/// `run` compared with `old` as the baseline `name`, as `--baseline NAME` does with the
/// default noise thresholds: every case that `old` has gets its change.
pub fn with_baseline(mut run: RunResults, old: &RunResults, name: &str) -> RunResults {
    baseline::apply(
        &mut run.cases,
        &old.cases,
        name,
        DEFAULT_ENERGY_NOISE,
        DEFAULT_TIME_NOISE,
        run.run.seed,
    );
    run
}
