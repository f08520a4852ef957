//! The results file (`results.json`): a public, versioned format, and how it is written
//! and read.
//!
//! Every field is documented in `docs/results-schema.md`; a test fails when the two
//! disagree. Unavailable values are `null`, never 0. The records of the cases come from
//! the stages that make them (attribution's samples, analysis's estimates and
//! comparisons) and are re-exported here, so a reader of results needs only this module.

pub mod baselines;
#[cfg(any(test, feature = "test-support"))]
pub mod example;
pub mod host;
mod io;
pub mod lock;
pub mod merge;
pub mod paths;
pub mod plan;
pub mod processes;
mod stale;

pub use crate::analysis::record::*;
pub use crate::attribution::record::{
    Idle, IdleWindow, Question, QuestionSet, Sample, SensorTrace,
};
pub use crate::measure::sensor::Provenance;
pub use io::{read_results, write_json_atomic, ResultsError};
pub use stale::remove_stale_temps;

use crate::measure::sensor::SensorInfo;
use serde::{Deserialize, Serialize};

/// Bumped on any change that breaks a reader of the previous version, or changes what a
/// field means. Version 2: query cases answer whole passes, their accuracy, J/correct,
/// J/query, IPW and IPJ intervals resample questions (`estimates.*.resampled`), and each
/// case records its question set.
pub const SCHEMA_VERSION: u32 = 2;
/// The oldest version this build reads: a version 1 file reads with the fields version 2
/// added left out (its intervals resampled samples).
pub const OLDEST_READABLE: u32 = 1;

/// A whole results.json: the run, its sensors and idle power, every case and the
/// comparisons between variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    /// The format's version, [`SCHEMA_VERSION`] when written by this build.
    pub schema_version: u32,
    /// The library that wrote the file.
    pub tool: Tool,
    /// The bench binary's name.
    pub bench: String,
    /// When, where and how the run was made.
    pub run: RunInfo,
    /// The sources the run read.
    pub sensors: Vec<SensorInfo>,
    /// The sources looked for and not used, with the reason and the fix.
    pub sensors_unused: Vec<UnusedSensor>,
    /// Idle power measured before the first case and after the last.
    pub idle: Idle,
    /// Every case measured, by this run or kept from an earlier one.
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

/// The program that wrote a results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `ipw-bench`.
    pub name: String,
    /// Version of the ipw-bench library that wrote the file.
    pub version: String,
}

/// When, where and how a run was made (`run` in results.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// RFC 3339, UTC.
    pub started_at: String,
    /// When the run wrote its last file, RFC 3339 UTC.
    pub finished_at: String,
    /// Wall time of the whole run, in seconds.
    pub duration_s: f64,
    /// The machine the run was made on.
    pub host: Host,
    /// `rustc --version` of the compiler that built the bench; `None` when unknown.
    pub rustc: Option<String>,
    /// `git rev-parse HEAD` of the working directory, `-dirty` appended when it has changes.
    pub git_commit: Option<String>,
    /// Seed of the interleaving order and of every bootstrap.
    pub seed: u64,
    /// The effective configuration (flags, environment twins and defaults).
    pub config: serde_json::Value,
    /// Whether the run is still going (a checkpoint), ended, or was stopped by a signal;
    /// files written before this field existed read as complete.
    #[serde(default)]
    pub status: RunStatus,
    /// The ids of the cases this run selected, in order, while it is not complete (a
    /// checkpoint or an interrupted run): what `--resume` checks and measures the rest of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<Vec<String>>,
    /// The earlier parts of a run continued with `--resume`, oldest first: each one's
    /// times, how it ended and its own idle measurement (this document's `idle` is the
    /// last part's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resumed: Vec<RunPart>,
    /// With `--processes N`: the wall time of each child process, by process index,
    /// crashed ones included; what the planner (`cargo ipw plan`) takes a process start
    /// to cost beyond its samples. Absent for a run in one process.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub process_wall_s: Vec<f64>,
}

/// An earlier part of a resumed run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPart {
    /// When that part started, RFC 3339 UTC.
    pub started_at: String,
    /// When that part wrote its last file, RFC 3339 UTC.
    pub finished_at: String,
    /// `running` when that part crashed or was killed (its last checkpoint), else
    /// `interrupted`.
    pub status: RunStatus,
    /// The idle power measured in that part.
    pub idle: Idle,
}

/// How far the run that wrote a results file got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// A checkpoint: the groups finished so far, written while the run goes on (or left
    /// behind by a run that was killed).
    Running,
    /// Every selected group was measured.
    #[default]
    Complete,
    /// SIGINT or SIGTERM stopped the run: the groups finished before it.
    Interrupted,
}

/// What is known about the machine a run was made on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Host {
    /// From `/proc/sys/kernel/hostname`, else `$HOSTNAME`.
    pub hostname: Option<String>,
    /// `linux`, `macos`, ... (`std::env::consts::OS`).
    pub os: String,
    /// Kernel release (`/proc/sys/kernel/osrelease`).
    pub kernel: Option<String>,
    /// `x86_64`, `aarch64`, ... (`std::env::consts::ARCH`).
    pub arch: String,
    /// The `model name` line of `/proc/cpuinfo`.
    pub cpu_model: Option<String>,
    /// Available parallelism (logical CPUs this process may use).
    pub cpus: usize,
    /// Total memory in bytes (`MemTotal` of `/proc/meminfo`).
    pub memory_bytes: Option<u64>,
}

/// A source looked for and not used (`sensors_unused[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnusedSensor {
    /// The source, as discovery named it.
    pub source: String,
    /// Why it is not used, and the fix.
    pub reason: String,
}
