//! The results document with every optional field present, so that schema and round-trip
//! tests see every field.

use super::survival_example;
use crate::measure::sensor::{Domain, Provenance, SensorInfo, SensorKind, Unit};
use crate::results::*;
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
    RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".into(),
            version: "0.1.0".into(),
        },
        bench: "micro".into(),
        run: run_info(),
        sensors: vec![sensor_info()],
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
        cases: vec![case()],
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
        comparisons: vec![comparison()],
        warnings: vec!["w".into()],
    }
}

/// The run, with a resumed part.
fn run_info() -> RunInfo {
    RunInfo {
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
    }
}

/// The one sensor: a RAPL counter.
fn sensor_info() -> SensorInfo {
    SensorInfo {
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
    }
}

/// The one case, with every optional field.
fn case() -> CaseResult {
    CaseResult {
        id: "g/n/v".into(),
        group: "g".into(),
        name: "n".into(),
        variant: Some("v".into()),
        status: Status::Ok,
        message: Some("m".into()),
        kind: Some("queries".into()),
        throughput: Some(crate::Throughput::Elements(1)),
        provenance: Provenance::Measured,
        plan: case_plan(),
        samples: vec![sample()],
        estimates: BTreeMap::from([("energy_per_iter_j".to_string(), estimate())]),
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
        baseline: Some(baseline_comparison()),
        survival: Some(survival_example()),
        sizing: Some(Sizing {
            questions: 1,
            power: 0.8,
            assumed_discordance: 0.0,
            minimum_detectable_difference: None,
        }),
        processes: Some(processes()),
        run_started_at: Some("2026-01-01T00:00:00.000Z".into()),
        outliers: Some(Outliers {
            samples: 1,
            low_severe: 0,
            low_mild: 0,
            high_mild: 0,
            high_severe: 0,
        }),
        question_set: Some(question_set()),
    }
}

/// The case's plan.
fn case_plan() -> CasePlan {
    CasePlan {
        warm_up_time_s: 1.0,
        warm_up_iters: 1,
        measurement_time_s: 1.0,
        max_time_s: 1.0,
        sample_size_requested: 10,
        iters_per_sample: 1,
        notes: vec!["n".into()],
    }
}

/// The case's one sample, with every optional field.
fn sample() -> Sample {
    Sample {
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
    }
}

/// The case's one estimate.
fn estimate() -> Estimate {
    Estimate {
        point: 1.0,
        ci_low: 0.9,
        ci_high: 1.1,
        confidence: 0.95,
        method: "percentile".into(),
        unit: "J".into(),
        provenance: Provenance::Measured,
        resampled: Some("questions".into()),
    }
}

/// The case against a baseline: one regressed metric.
fn baseline_comparison() -> BaselineComparison {
    BaselineComparison {
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
    }
}

/// The case's spread over two processes.
fn processes() -> Processes {
    Processes {
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
    }
}

/// The case's one question.
fn question_set() -> QuestionSet {
    QuestionSet {
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
    }
}

/// The one group comparison, with every optional field.
fn comparison() -> GroupComparison {
    GroupComparison {
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
    }
}
