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
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
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
