//! Example results for tests, benches and docs (feature `test-support`): a document with
//! every optional field present, synthetic cases with known energy and accuracy, and runs
//! of them analysed as a measured run is.
//!
//! One builder for every test that needs a `RunResults`, so a new field is added in one
//! place. Every document is a function of its arguments alone (no clock, host or path),
//! so what is written or rendered from it can be compared byte for byte.

use crate::analysis::compare::{DEFAULT_ENERGY_NOISE, DEFAULT_TIME_NOISE};
use crate::analysis::{baseline, case_seed};
use crate::measure::sensor::{
    Domain, Provenance, Sensor, SensorInfo, SensorKind, SyntheticSensor, Unit,
};
use crate::results::*;
use crate::stats::Rng;
use std::collections::BTreeMap;
use std::time::Duration;

fn ci() -> Ci {
    Ci {
        point: 1.0,
        ci_low: 0.5,
        ci_high: 1.5,
    }
}

fn test_result() -> TestResult {
    TestResult {
        test: Test::WelchT,
        statistic: 2.0,
        df: vec![10.0],
        p_value: 0.05,
    }
}

fn anova_row() -> AnovaRow {
    AnovaRow {
        source: "A".into(),
        ss: 1.0,
        df: 1.0,
        ms: Some(1.0),
        f: Some(2.0),
        p_value: Some(0.1),
    }
}

fn idle_window() -> IdleWindow {
    IdleWindow {
        duration_s: 2.0,
        power_w: Some(10.0),
        power_w_by_domain: BTreeMap::from([("dram".to_string(), Some(1.0))]),
    }
}

/// A results document with every optional field present.
pub fn full_example() -> RunResults {
    let estimate = Estimate {
        point: 1.0,
        ci_low: 0.9,
        ci_high: 1.1,
        confidence: 0.95,
        method: "percentile".into(),
        unit: "J".into(),
        provenance: Provenance::Measured,
        resampled: Some("questions".into()),
    };
    RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".into(),
            version: "0.1.0".into(),
        },
        bench: "micro".into(),
        run: RunInfo {
            started_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: "2026-01-01T00:01:00.000Z".into(),
            duration_s: 60.0,
            host: Host {
                hostname: Some("h".into()),
                os: "linux".into(),
                kernel: Some("6.1".into()),
                arch: "x86_64".into(),
                cpu_model: Some("cpu".into()),
                cpus: 2,
                memory_bytes: Some(1),
            },
            rustc: Some("rustc 1.95.0".into()),
            git_commit: Some("abc".into()),
            seed: 1,
            config: serde_json::json!({"sample_size": 10}),
            status: RunStatus::Complete,
            // Written only while a run is not complete, and by resumed runs: here so that
            // the schema test sees every field.
            selected: Some(vec!["fib/10".into()]),
            resumed: vec![crate::results::RunPart {
                started_at: "2025-12-31T23:50:00.000Z".into(),
                finished_at: "2025-12-31T23:55:00.000Z".into(),
                status: RunStatus::Interrupted,
                idle: Idle {
                    before: None,
                    after: None,
                    mean_w: None,
                    drift_w: None,
                    drift_fraction: None,
                },
            }],
            process_wall_s: vec![30.5, 31.0],
        },
        sensors: vec![SensorInfo {
            id: "rapl:intel-rapl:0:0".into(),
            source: "rapl".into(),
            domain: Domain::new(Domain::CPU_CORE),
            label: "core".into(),
            provenance: Provenance::Measured,
            kind: SensorKind::Counter,
            unit: Unit::Microjoule,
            resolution: 6.1e-5,
            update_period: Duration::from_millis(1),
            contained_in: Some("rapl:intel-rapl:0".into()),
            details: BTreeMap::from([("max_energy_range_uj".to_string(), "1".to_string())]),
        }],
        sensors_unused: vec![UnusedSensor {
            source: "nvml".into(),
            reason: "no driver".into(),
        }],
        idle: Idle {
            before: Some(idle_window()),
            after: Some(idle_window()),
            mean_w: Some(10.0),
            drift_w: Some(0.0),
            drift_fraction: Some(0.0),
        },
        cases: vec![CaseResult {
            id: "g/n/v".into(),
            group: "g".into(),
            name: "n".into(),
            variant: Some("v".into()),
            status: Status::Ok,
            message: Some("m".into()),
            kind: Some("queries".into()),
            throughput: Some(crate::Throughput::Elements(1)),
            provenance: Provenance::Measured,
            plan: CasePlan {
                warm_up_time_s: 1.0,
                warm_up_iters: 1,
                measurement_time_s: 1.0,
                max_time_s: 1.0,
                sample_size_requested: 10,
                iters_per_sample: 1,
                notes: vec!["n".into()],
            },
            samples: vec![Sample {
                iters: 1,
                elapsed_s: 1.0,
                start_s: 0.0,
                window_s: 1.0,
                energy_j: BTreeMap::from([("dram".to_string(), Some(1.0))]),
                energy_total_j: Some(1.0),
                method: "counter-difference".into(),
                valid: true,
                flags: vec!["short-window".into()],
                correct: Some(1.0),
                incorrect: Some(0.0),
                unjudged: Some(0),
                delay_s: Some(0.0375),
                energy_windows: 1,
                first_question: Some(0),
                process: Some(0),
            }],
            estimates: BTreeMap::from([("energy_per_iter_j".to_string(), estimate)]),
            quality: vec![QualityWarning {
                code: "c".into(),
                message: "m".into(),
            }],
            latency: Some(Latency {
                count: 1,
                p50_s: 1.0,
                p90_s: 1.0,
                p99_s: 1.0,
                mean_s: 1.0,
                relative_error: 1e-3,
                buckets: Vec::new(),
            }),
            answers: Some(Answers {
                queries: 1,
                correct: 1.0,
                incorrect: 0.0,
                unjudged: 0,
            }),
            baseline: Some(BaselineComparison {
                name: "main".into(),
                metrics: vec![MetricChange {
                    metric: Metric::EnergyPerIter,
                    old: 1.0,
                    new: 1.1,
                    change: ci(),
                    p_value: Some(0.01),
                    noise_threshold: 0.02,
                    verdict: BaselineVerdict::Regressed,
                }],
            }),
            survival: Some(survival_example()),
            sizing: Some(Sizing {
                questions: 1,
                power: 0.8,
                assumed_discordance: 0.0,
                minimum_detectable_difference: None,
            }),
            processes: Some(Processes {
                count: 2,
                samples: vec![1, 1],
                components: BTreeMap::from([(
                    "time_per_iter_s".to_string(),
                    ProcessComponents {
                        between_share: 0.5,
                        within_share: 0.5,
                        between_sd: 0.1,
                        within_sd: 0.1,
                    },
                )]),
            }),
            run_started_at: Some("2026-01-01T00:00:00.000Z".into()),
            outliers: Some(Outliers {
                samples: 1,
                low_severe: 0,
                low_mild: 0,
                high_mild: 0,
                high_severe: 0,
            }),
            question_set: Some(QuestionSet {
                questions: 1,
                passes: 1,
                answers: 1,
                energy_method: "time-share".into(),
                per_question: vec![Question {
                    index: 0,
                    asked: 1,
                    correct: 1.0,
                    incorrect: 0.0,
                    unjudged: 0,
                    time_s: 1.0,
                    energy_j: Some(1.0),
                }],
            }),
        }],
        carbon: Carbon {
            g_per_kwh: 480.0,
            source: "s".into(),
        },
        trace: vec![SensorTrace {
            sensor: "nvml:0".into(),
            domain: "gpu".into(),
            t_s: vec![0.0],
            power_w: vec![Some(1.0)],
            temperature_c: Some(vec![Some(40.0)]),
            clock_mhz: Some(vec![Some(1000.0)]),
        }],
        comparisons: vec![GroupComparison {
            group: "g".into(),
            metric: Metric::EnergyPerIter,
            variants: vec!["g/n/v".into()],
            omnibus: Some(test_result()),
            anova_table: vec![anova_row()],
            post_hoc: Correction::Tukey,
            pairwise: vec![Pairwise {
                a: "a".into(),
                b: "b".into(),
                metric: Metric::EnergyPerIter,
                difference: ci(),
                ratio: ci(),
                test: test_result(),
                p_adjusted: 0.1,
                correction: Correction::Holm,
                hedges_g: Some(0.5),
                verdict: PairVerdict::Lower,
            }],
            assumptions: vec![test_result()],
            nonparametric: Some(test_result()),
            verdict_basis: "welch-t".into(),
            accuracy: Some(AccuracyComparison {
                paired: true,
                questions: Some(1),
                difference: Some(ci()),
                discordance: Some(0.2),
                minimum_detectable_difference: Some(0.1),
                note: Some("n".into()),
                test: test_result(),
                verdict: AccuracyVerdict::Unchanged,
                pairwise: vec![AccuracyPair {
                    a: "g/n/v".into(),
                    b: "g/n/w".into(),
                    difference: ci(),
                    test: test_result(),
                    p_adjusted: 0.5,
                    verdict: AccuracyVerdict::Unchanged,
                }],
            }),
            factorial: Some(vec![anova_row()]),
            power: Some(PowerInfo {
                n_per_group: 10,
                minimum_detectable_d: 1.3,
                minimum_detectable_relative: 0.1,
                n_for_5_percent: Some(100.0),
            }),
            verdicts: vec!["v".into()],
        }],
        warnings: vec!["w".into()],
    }
}

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
