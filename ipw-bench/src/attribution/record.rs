//! What leaves attribution: each sample with its energy, idle power, the power trace.
//!
//! These are the records of results.json that describe what was measured, before any
//! statistics. Unavailable values are `null`, never 0.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One measured sample of a case with the energy of its window(s).
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
