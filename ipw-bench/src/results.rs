//! The results file (`results.json`): a public, versioned format.
//!
//! Every field is documented in `docs/results-schema.md`; a test fails when the two
//! disagree. Unavailable values are `null`, never 0.

use crate::sensor::{Provenance, SensorInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Bumped on any change that breaks a reader of the previous version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    pub schema_version: u32,
    pub tool: Tool,
    /// The bench binary's name.
    pub bench: String,
    pub run: RunInfo,
    pub sensors: Vec<SensorInfo>,
    pub sensors_unused: Vec<UnusedSensor>,
    pub idle: Idle,
    pub cases: Vec<CaseResult>,
    /// The grid carbon intensity used for the `co2e_*` estimates.
    #[serde(default)]
    pub carbon: Carbon,
    /// The power trace of each source over the run, downsampled, for the report.
    #[serde(default)]
    pub trace: Vec<SensorTrace>,
    /// Comparisons between the variants of each group with two or more cases.
    #[serde(default)]
    pub comparisons: Vec<GroupComparison>,
    /// Run-level warnings (sensor problems, estimated energy, drift).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: String,
    pub duration_s: f64,
    pub host: Host,
    pub rustc: Option<String>,
    pub git_commit: Option<String>,
    pub seed: u64,
    /// The effective configuration (flags, environment twins and defaults).
    pub config: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Host {
    pub hostname: Option<String>,
    pub os: String,
    pub kernel: Option<String>,
    pub arch: String,
    pub cpu_model: Option<String>,
    pub cpus: usize,
    pub memory_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnusedSensor {
    pub source: String,
    pub reason: String,
}

/// Idle power measured before the first case and after the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Idle {
    pub before: Option<IdleWindow>,
    pub after: Option<IdleWindow>,
    /// Mean of the idle powers available (W); used to compute net energy.
    pub mean_w: Option<f64>,
    /// after - before (W).
    pub drift_w: Option<f64>,
    /// (after - before) / before.
    pub drift_fraction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleWindow {
    pub duration_s: f64,
    /// Total idle power (W), `null` when a source was invalid.
    pub power_w: Option<f64>,
    pub power_w_by_domain: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
    /// Measured, but no valid energy window (sensor lost, missed wraps).
    Invalid,
    /// The case chose not to run (`Bencher::skip`), with its reason in `message`.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// `group/name/variant`, leaving out a name equal to its group and a missing variant.
    pub id: String,
    pub group: String,
    pub name: String,
    pub variant: Option<String>,
    pub status: Status,
    pub message: Option<String>,
    /// `iter`, `iter_batched` or `queries`.
    pub kind: Option<String>,
    /// The weakest provenance of the energy numbers.
    pub provenance: Provenance,
    pub plan: CasePlan,
    pub samples: Vec<Sample>,
    pub estimates: BTreeMap<String, Estimate>,
    pub quality: Vec<QualityWarning>,
    /// Per-query latencies over all samples, for query cases (seconds).
    pub latency: Option<Latency>,
    /// Answers counted over all samples, for query cases.
    #[serde(default)]
    pub answers: Option<Answers>,
    /// The change against `--baseline NAME`, per metric.
    #[serde(default)]
    pub baseline: Option<BaselineComparison>,
    /// Survival Game scoring, for `trials` and `ranked` cases.
    #[serde(default)]
    pub survival: Option<crate::survival::SurvivalResult>,
}

/// Grams of CO2e per kWh, and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carbon {
    pub g_per_kwh: f64,
    pub source: String,
}

impl Default for Carbon {
    /// The documented world average.
    fn default() -> Carbon {
        crate::carbon::carbon(None)
    }
}

/// One source's power over the run: for counters, the mean power between consecutive
/// readings; for meters, the readings. Downsampled to at most a few thousand points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorTrace {
    pub sensor: String,
    pub domain: String,
    /// Seconds since the run's epoch (the same clock as `Sample::start_s`).
    pub t_s: Vec<f64>,
    /// Watts; `null` where the reading was invalid.
    pub power_w: Vec<Option<f64>>,
    /// Degrees Celsius where the source reports it (NVML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_c: Option<Vec<Option<f64>>>,
    /// MHz where the source reports it (NVML SM clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_mhz: Option<Vec<Option<f64>>>,
}

/// A value with its confidence interval (no unit or provenance: those of the metric).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    pub point: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// One row of an ANOVA table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnovaRow {
    /// Factor name, `A:B` for an interaction, or `Residual`.
    pub source: String,
    pub ss: f64,
    pub df: f64,
    pub ms: Option<f64>,
    pub f: Option<f64>,
    pub p_value: Option<f64>,
}

/// A test's statistic and p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// `welch-t`, `student-t`, `anova`, `welch-anova`, `kruskal-wallis`, `mann-whitney`,
    /// `levene`, `shapiro-wilk`, `two-proportion-z`, `chi-square`, ...
    pub test: String,
    pub statistic: f64,
    /// Degrees of freedom (two numbers for F tests); empty when the test has none.
    pub df: Vec<f64>,
    pub p_value: f64,
}

/// Two variants compared on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairwise {
    /// Case ids; the difference is `b - a`, the ratio `b / a`.
    pub a: String,
    pub b: String,
    pub metric: String,
    pub difference: Ci,
    pub ratio: Ci,
    pub test: TestResult,
    /// p-value after the multiple-comparison correction named in `correction`.
    pub p_adjusted: f64,
    pub correction: String,
    /// Hedges' g of `b` against `a`.
    pub hedges_g: Option<f64>,
    /// `lower`, `higher` or `no-difference` (of `b` against `a`).
    pub verdict: String,
}

/// Accuracy compared across the variants of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracyComparison {
    pub test: TestResult,
    /// `differs` or `unchanged`.
    pub verdict: String,
}

/// Sample-size adequacy of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerInfo {
    /// Samples per variant (the smallest group).
    pub n_per_group: usize,
    /// Smallest standardized effect (Cohen's d) detectable at alpha 0.05 and 80% power.
    pub minimum_detectable_d: f64,
    /// The same as a relative change of the metric's mean.
    pub minimum_detectable_relative: f64,
    /// Samples per variant needed to detect a 5% change with 80% power.
    pub n_for_5_percent: Option<f64>,
}

/// The comparison of the variants of one group on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    pub group: String,
    /// `energy_per_iter_j` or `joules_per_correct`, ...
    pub metric: String,
    /// Case ids, in order.
    pub variants: Vec<String>,
    /// The omnibus test for three or more variants (ANOVA or Welch's ANOVA).
    pub omnibus: Option<TestResult>,
    pub anova_table: Vec<AnovaRow>,
    /// `tukey`, `games-howell`, `holm` or `none`.
    pub post_hoc: String,
    pub pairwise: Vec<Pairwise>,
    /// Assumption checks: Shapiro-Wilk per variant, Levene across.
    pub assumptions: Vec<TestResult>,
    /// Mann-Whitney or Kruskal-Wallis, reported when assumptions fail.
    pub nonparametric: Option<TestResult>,
    /// The test the verdict rests on.
    pub verdict_basis: String,
    pub accuracy: Option<AccuracyComparison>,
    /// Two-way ANOVA when variants are a grid of two factors.
    pub factorial: Option<Vec<AnovaRow>>,
    pub power: Option<PowerInfo>,
    /// One plain line per comparison.
    pub verdicts: Vec<String>,
}

/// One metric of a case against a saved baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricChange {
    pub metric: String,
    pub old: f64,
    pub new: f64,
    /// Relative change (new - old) / old with its interval.
    pub change: Ci,
    pub p_value: Option<f64>,
    pub noise_threshold: f64,
    /// `improved`, `regressed`, `no-change` or `within-noise`.
    pub verdict: String,
}

/// A case against a saved baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineComparison {
    pub name: String,
    pub metrics: Vec<MetricChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePlan {
    pub warm_up_time_s: f64,
    pub warm_up_iters: u64,
    pub measurement_time_s: f64,
    pub max_time_s: f64,
    pub sample_size_requested: usize,
    pub iters_per_sample: u64,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub iters: u64,
    pub elapsed_s: f64,
    /// Seconds since the run's epoch at the start of the window.
    pub start_s: f64,
    /// Window length between the energy edges (slightly longer than `elapsed_s`).
    pub window_s: f64,
    /// Joules over the window per domain; `null` when invalid.
    pub energy_j: BTreeMap<String, Option<f64>>,
    /// Joules over the window, all top-level sources; `null` when invalid.
    pub energy_total_j: Option<f64>,
    /// `counter-difference`, `trapezoid` or `mixed`.
    pub method: String,
    pub valid: bool,
    /// Why the window is invalid or doubtful.
    pub flags: Vec<String>,
    /// Query cases: credit (the number correct for boolean outcomes).
    pub correct: Option<f64>,
    pub incorrect: Option<f64>,
    pub unjudged: Option<u64>,
    /// Under the phased GPU protocol, the controlled delay before this trial (seconds
    /// after a whole sensor period of the run's clock); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<f64>,
    /// How many energy windows the sample's energy sums: 1, or `iter_batched`'s batches
    /// (setup runs between them, outside every window). Files older than this field read
    /// as 1.
    #[serde(default = "one_window")]
    pub energy_windows: u64,
}

fn one_window() -> u64 {
    1
}

/// A point estimate with its confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub point: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub confidence: f64,
    /// `percentile`, `bca`, `t`, `wilson` or `degenerate`.
    pub method: String,
    pub unit: String,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub count: u64,
    pub p50_s: f64,
    pub p90_s: f64,
    pub p99_s: f64,
    pub mean_s: f64,
}

/// How a query case's answers were judged, summed over all its samples (including
/// samples whose energy window is invalid: the answers were given all the same).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub queries: u64,
    pub correct: f64,
    pub incorrect: f64,
    pub unjudged: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityWarning {
    /// A stable short code (`estimated-energy`, `short-window`, `invalid-windows`, ...).
    pub code: String,
    pub message: String,
}

/// Write `value` as pretty JSON to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over the target.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results.json".to_string());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    serde_json::to_writer_pretty(&mut f, value).map_err(std::io::Error::other)?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// Read a results file, with a message that says what is wrong.
pub fn read_results(path: &Path) -> Result<RunResults, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    match v.get("schema_version").and_then(|s| s.as_u64()) {
        Some(n) if n == SCHEMA_VERSION as u64 => {}
        Some(n) => {
            return Err(format!(
                "{}: schema_version {n} is not supported (this build reads {SCHEMA_VERSION})",
                path.display()
            ))
        }
        None => {
            return Err(format!(
                "{}: no schema_version: not an ipw-bench results file",
                path.display()
            ))
        }
    }
    serde_json::from_value(v).map_err(|e| format!("{}: {e}", path.display()))
}
