//! What leaves attribution: each sample with its energy, idle power, the power trace.
//!
//! These are the records of results.json that describe what was measured, before any
//! statistics. Unavailable values are `null`, never 0.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One measured sample of a case with the energy of its window(s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Iterations (queries, for query cases) in the sample.
    pub iters: u64,
    /// Time of the timed loop, in seconds.
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
    /// False when a source missed a wrap, reset, failed or disappeared inside the window.
    pub valid: bool,
    /// Why the window is invalid or doubtful.
    pub flags: Vec<String>,
    /// Query cases: credit (the number correct for boolean outcomes).
    pub correct: Option<f64>,
    /// Query cases: judged queries minus their credit.
    pub incorrect: Option<f64>,
    /// Query cases: queries without a verdict, left out of accuracy.
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
    /// Query cases: the question this sample began with. Samples with the same first
    /// question answered the same questions (whole passes begin at 0; a chunk of a pass
    /// at its first question). Absent for other cases and in version 1 files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_question: Option<u64>,
    /// With `--processes N`, the index (0-based) of the process that measured this sample;
    /// absent for a run in one process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<u32>,
}

fn one_window() -> u64 {
    1
}

/// Idle power measured before the first case and after the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Idle {
    /// The idle window measured before the first case.
    pub before: Option<IdleWindow>,
    /// The idle window measured after the last case.
    pub after: Option<IdleWindow>,
    /// Mean of the idle powers available (W); used to compute net energy.
    pub mean_w: Option<f64>,
    /// after - before (W).
    pub drift_w: Option<f64>,
    /// (after - before) / before.
    pub drift_fraction: Option<f64>,
}

/// One idle measurement: a window with no case running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleWindow {
    /// Length of the idle window, in seconds.
    pub duration_s: f64,
    /// Total idle power (W), `null` when a source was invalid.
    pub power_w: Option<f64>,
    /// Idle power per domain (W); `null` for a domain with an invalid source.
    pub power_w_by_domain: BTreeMap<String, Option<f64>>,
}

/// One source's power over the run: for counters, the mean power between consecutive
/// readings; for meters, the readings. Downsampled to at most a few thousand points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorTrace {
    /// The source's id, a `sensors[].id`.
    pub sensor: String,
    /// The source's domain (`cpu-package`, `dram`, `gpu`, ...).
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

/// One question of a query case: its answers over the case, their time and energy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Its position in the question set (0-based).
    pub index: u64,
    /// Times it was answered.
    pub asked: u64,
    /// Credit over its answers (the number correct for boolean outcomes).
    pub correct: f64,
    /// Judged answers minus their credit.
    pub incorrect: f64,
    /// Answers without a verdict.
    pub unjudged: u64,
    /// Time its answers took, seconds.
    pub time_s: f64,
    /// Energy of its answers, joules: each answer's own window, or its share of its
    /// sample's energy by time (`QuestionSet::energy_method`). `null` when a window it
    /// was answered in is invalid.
    pub energy_j: Option<f64>,
}

/// The question set of a query case: how it was answered, and each question's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionSet {
    /// Distinct questions in the set.
    pub questions: u64,
    /// Whole passes over the set: every question was answered this many times.
    pub passes: u64,
    /// Answers in all (`questions x passes`).
    pub answers: u64,
    /// `per-answer-window` (each answer's energy measured in its own window) or
    /// `time-share` (each sample's energy split over its answers by their time).
    pub energy_method: String,
    /// One record per question, by index.
    pub per_question: Vec<Question>,
}
