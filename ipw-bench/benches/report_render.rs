//! How long the HTML report takes for 100 cases x 30 samples, and how much it weighs
//! with `--plots all` and `--plots summary`.
//!
//! `cargo bench -p ipw-bench --bench report_render`

use ipw_bench::report::Plots;
use ipw_bench::report::{report_size, write_report, ReportOptions};
use ipw_bench::results::*;
use ipw_bench::sensor::{Domain, Provenance, SensorInfo, SensorKind, Unit};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const CASES: usize = 100;
const SAMPLES: usize = 30;
const VARIANTS: usize = 4;
const TRACE_POINTS: usize = 3000;

/// A fixed-seed generator: the same run every time, without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn estimate(point: f64, unit: &str) -> Estimate {
    Estimate {
        point,
        ci_low: point * 0.97,
        ci_high: point * 1.03,
        confidence: 0.95,
        method: "bca".to_string(),
        unit: unit.to_string(),
        provenance: Provenance::Measured,
    }
}

fn case(i: usize, rng: &mut Lcg) -> CaseResult {
    let group = format!("model{}", i / VARIANTS);
    let variant = format!("v{}", i % VARIANTS);
    let watts = 40.0 + 10.0 * (i % VARIANTS) as f64;
    let samples: Vec<Sample> = (0..SAMPLES)
        .map(|s| {
            let t = 0.05 * (1.0 + 0.1 * rng.next());
            let e = watts * t * (1.0 + 0.02 * rng.next());
            Sample {
                iters: 100,
                elapsed_s: t,
                start_s: i as f64 * 2.0 + s as f64 * 0.06,
                window_s: t * 1.001,
                energy_j: BTreeMap::from([("cpu-package".to_string(), Some(e))]),
                energy_total_j: Some(e),
                method: "counter-difference".to_string(),
                valid: true,
                flags: Vec::new(),
                correct: Some(70.0 + (i % VARIANTS) as f64),
                incorrect: Some(30.0 - (i % VARIANTS) as f64),
                unjudged: Some(0),
                delay_s: None,
                energy_windows: 1,
            }
        })
        .collect();
    let joules = watts * 0.0005;
    let estimates = BTreeMap::from([
        ("time_per_iter_s".to_string(), estimate(0.0005, "s")),
        ("energy_per_iter_j".to_string(), estimate(joules, "J")),
        ("joules_per_query".to_string(), estimate(joules, "J")),
        ("mean_power_w".to_string(), estimate(watts, "W")),
        ("accuracy".to_string(), estimate(0.7, "fraction")),
        (
            "joules_per_correct".to_string(),
            estimate(joules / 0.7, "J"),
        ),
        ("ipw".to_string(), estimate(0.7 / watts, "1/W")),
        ("ipj".to_string(), estimate(0.7 / joules, "1/J")),
    ]);
    CaseResult {
        id: format!("{group}/{variant}"),
        group,
        name: "infer".to_string(),
        variant: Some(variant),
        status: Status::Ok,
        message: None,
        kind: Some("queries".to_string()),
        provenance: Provenance::Measured,
        plan: CasePlan {
            warm_up_time_s: 3.0,
            warm_up_iters: 1000,
            measurement_time_s: 5.0,
            max_time_s: 60.0,
            sample_size_requested: SAMPLES,
            iters_per_sample: 100,
            notes: Vec::new(),
        },
        samples,
        estimates,
        quality: vec![QualityWarning {
            code: "high-variation".to_string(),
            message: "time per iteration varies (CV 11%)".to_string(),
        }],
        latency: None,
        answers: None,
        baseline: None,
        survival: None,
    }
}

fn comparison(group: &str, ids: &[String]) -> GroupComparison {
    let test = TestResult {
        test: Test::WelchT,
        statistic: 4.2,
        df: vec![55.0],
        p_value: 0.0001,
    };
    let ci = Ci {
        point: 0.005,
        ci_low: 0.004,
        ci_high: 0.006,
    };
    let mut pairwise = Vec::new();
    for a in 0..ids.len() {
        for b in a + 1..ids.len() {
            pairwise.push(Pairwise {
                a: ids[a].clone(),
                b: ids[b].clone(),
                metric: Metric::EnergyPerIter,
                difference: ci,
                ratio: ci,
                test: test.clone(),
                p_adjusted: 0.0004,
                correction: Correction::Holm,
                hedges_g: Some(1.2),
                verdict: PairVerdict::Higher,
            });
        }
    }
    let row = |source: &str| AnovaRow {
        source: source.to_string(),
        ss: 1.0,
        df: 3.0,
        ms: Some(0.3),
        f: Some(20.0),
        p_value: Some(0.0001),
    };
    GroupComparison {
        group: group.to_string(),
        metric: Metric::EnergyPerIter,
        variants: ids.to_vec(),
        omnibus: Some(TestResult {
            test: Test::Anova,
            ..test.clone()
        }),
        anova_table: vec![row("variant"), row("Residual")],
        post_hoc: Correction::Tukey,
        pairwise,
        assumptions: vec![test.clone()],
        nonparametric: Some(test.clone()),
        verdict_basis: "anova".to_string(),
        accuracy: None,
        factorial: None,
        power: None,
        verdicts: vec![format!("{} uses the least energy", ids[0])],
    }
}

fn run() -> RunResults {
    let mut rng = Lcg(7);
    let cases: Vec<CaseResult> = (0..CASES).map(|i| case(i, &mut rng)).collect();
    let comparisons = cases
        .chunks(VARIANTS)
        .map(|g| {
            comparison(
                &g[0].group,
                &g.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            )
        })
        .collect();
    let duration = CASES as f64 * 2.0;
    RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        bench: "render".to_string(),
        run: RunInfo {
            started_at: "2026-01-01T00:00:00Z".to_string(),
            finished_at: "2026-01-01T00:03:20Z".to_string(),
            duration_s: duration,
            host: Host {
                hostname: Some("bench".to_string()),
                os: "linux".to_string(),
                kernel: None,
                arch: "x86_64".to_string(),
                cpu_model: None,
                cpus: 8,
                memory_bytes: None,
            },
            rustc: None,
            git_commit: None,
            seed: 1,
            config: serde_json::json!({"plots": "all"}),
        },
        sensors: vec![SensorInfo {
            id: "rapl:0".to_string(),
            source: "rapl".to_string(),
            domain: Domain::new(Domain::CPU_PACKAGE),
            label: "package-0".to_string(),
            provenance: Provenance::Measured,
            kind: SensorKind::Counter,
            unit: Unit::Microjoule,
            resolution: 6.1e-5,
            update_period: Duration::from_millis(1),
            contained_in: None,
            details: BTreeMap::new(),
        }],
        sensors_unused: Vec::new(),
        idle: Idle {
            mean_w: Some(20.0),
            ..Idle::default()
        },
        cases,
        carbon: Default::default(),
        trace: vec![SensorTrace {
            sensor: "rapl:0".to_string(),
            domain: "cpu-package".to_string(),
            t_s: (0..TRACE_POINTS)
                .map(|i| i as f64 * duration / TRACE_POINTS as f64)
                .collect(),
            power_w: (0..TRACE_POINTS)
                .map(|_| Some(40.0 + 20.0 * rng.next()))
                .collect(),
            temperature_c: None,
            clock_mhz: None,
        }],
        comparisons,
        warnings: Vec::new(),
    }
}

fn main() {
    let runs = [run()];
    let dir = tempfile::tempdir().expect("temp dir");
    for (label, plots) in [("all", Plots::All), ("summary", Plots::Summary)] {
        let options = ReportOptions { plots };
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                write_report(dir.path(), &runs, &options).expect("report written");
                t.elapsed()
            })
            .collect();
        times.sort();
        let bytes = report_size(&runs, &options).expect("report renders");
        println!(
            "report_render --plots {label:<7}: {CASES} cases x {SAMPLES} samples: median {:.1} ms \
             (min {:.1} ms) over {} runs, {:.2} MB",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times.len(),
            bytes as f64 / 1e6
        );
    }
}
