//! Example results for tests, benches and docs (feature `test-support`): a document with
//! every optional field present, and synthetic cases with known energy and accuracy.
//!
//! One builder for every test that needs a `RunResults`, so a new field is added in one
//! place.

use crate::measure::sensor::{Domain, Provenance, SensorInfo, SensorKind, Unit};
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
                test: test_result(),
                verdict: AccuracyVerdict::Unchanged,
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

fn survival_example() -> crate::survival::SurvivalResult {
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
/// and, when given, `accuracy` as the share of correct queries. The variant is the id's
/// last segment.
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
                correct: accuracy.map(|a| a * 100.0),
                incorrect: accuracy.map(|a| (1.0 - a) * 100.0),
                unjudged: accuracy.map(|_| 0),
                delay_s: None,
                energy_windows: 1,
            }
        })
        .collect();
    CaseResult {
        id: id.into(),
        group: "g".into(),
        name: "g".into(),
        variant: id.rsplit('/').next().map(String::from),
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
    }
}
