//! What leaves the measuring stage: the sampler's trace and each case's raw samples.
//!
//! Plain data only. Attribution turns a trace and a case's windows into joules; analysis
//! turns the result into estimates. Nothing here reads a clock or a sensor.

use crate::measure::phased::Phased;
use crate::measure::schedule::Plan;
use crate::measure::sensor::SensorInfo;
use crate::measure::Tally;
use std::time::Duration;

/// One reading of one source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TracePoint {
    /// Midpoint of the read, nanoseconds since the run's epoch.
    pub t_ns: u64,
    /// How long the read took, nanoseconds.
    pub read_ns: u32,
    /// Extended counter value or power, in the source's native unit.
    pub value: u64,
    /// Flags from [`crate::measure::sensor::counter`].
    pub flags: u8,
    /// Temperature (°C) or NaN.
    pub temperature_c: f32,
    /// Clock (MHz) or NaN.
    pub clock_mhz: f32,
}

/// A synchronous read of every source at a window edge: its index in [`Trace::edges`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeId(pub u32);

/// Everything the sampler recorded, handed to attribution as plain data.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// The sources, in the order of `points`.
    pub sensors: Vec<SensorInfo>,
    /// Points per source, in time order.
    pub points: Vec<Vec<TracePoint>>,
    /// For each edge, its time and the index of each source's point in `points`.
    pub edges: Vec<Edge>,
    /// Polling rounds of the sampler thread.
    pub ticks: u64,
    /// Time the polling rounds took in all, nanoseconds.
    pub tick_time_ns: u64,
    /// Nanoseconds from the epoch to the hand-over.
    pub duration_ns: u64,
    /// Sources that disappeared: the source's index, the time and the message.
    pub lost: Vec<(usize, u64, String)>,
}

impl Trace {
    /// The time of an edge, nanoseconds since the run's epoch.
    pub fn edge_ns(&self, e: EdgeId) -> u64 {
        self.edges[e.0 as usize].t_ns
    }
}

/// One edge: when, and where each source's reading sits in its point list.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Midpoint of the edge's reads, nanoseconds since the run's epoch.
    pub t_ns: u64,
    /// For each source, the index of this edge's reading in [`Trace::points`].
    pub index: Vec<usize>,
}

/// The kind of measuring call a case made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseKind {
    Iter,
    IterBatched,
    Queries,
    Trials,
    Ranked,
}

impl CaseKind {
    /// The name recorded in results.json.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CaseKind::Iter => "iter",
            CaseKind::IterBatched => "iter_batched",
            CaseKind::Queries => "queries",
            CaseKind::Trials => "trials",
            CaseKind::Ranked => "ranked",
        }
    }
}

/// One measured sample, as plain data for attribution and analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawSample {
    pub iters: u64,
    pub elapsed_ns: u64,
    /// The energy windows whose sum is the sample's energy, in time order: one, or one per
    /// batch of `iter_batched`. Never empty.
    pub windows: Vec<(EdgeId, EdgeId)>,
    /// Query outcomes in this sample.
    pub tally: Option<Tally>,
    /// Per-query latencies (nanoseconds), for query cases.
    pub latencies_ns: Vec<u64>,
    /// Survival cases: one record per task run in this sample.
    pub tasks: Vec<TaskRecord>,
}

impl RawSample {
    /// The first edge of the first window and the last edge of the last: the whole sample.
    pub(crate) fn span(&self) -> (EdgeId, EdgeId) {
        match (self.windows.first(), self.windows.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            // Not made by the measuring loops, which always record a window.
            _ => (EdgeId(0), EdgeId(0)),
        }
    }
}

/// One task of a survival case: failures before the first success, or censored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TaskRecord {
    /// Index of the task in the list given to `trials` or `ranked`.
    pub index: usize,
    /// How many times this task had been run before (tasks cycle across samples).
    pub repeat: u64,
    /// Failed attempts before the first success; the cap when censored.
    pub failures: u64,
    pub censored: bool,
    /// Time until the first success or the cap.
    pub elapsed_ns: u64,
}

/// Who a case is: the parts of its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaseName {
    pub id: String,
    pub group: String,
    pub name: String,
    pub variant: Option<String>,
}

/// The time budget a case ran under, after flags, attribute and defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Budget {
    pub warm_up_s: f64,
    pub measurement_s: f64,
    pub max_s: f64,
    pub sample_size: usize,
}

/// Everything measured of one case: what leaves the measuring stage for it.
#[derive(Debug, Clone)]
pub(crate) struct CaseRecord {
    pub name: CaseName,
    pub budget: Budget,
    pub kind: Option<CaseKind>,
    pub plan: Option<Plan>,
    /// The phased GPU protocol, when it applied to the run.
    pub phased: Option<Phased>,
    /// The delay before each trial under the phased protocol; sample `i` had `delays[i]`.
    pub delays: Vec<Duration>,
    /// Trials taken again because they started late.
    pub repeated: usize,
    pub warm_up_iters: u64,
    pub raw: Vec<RawSample>,
    pub failure: Option<String>,
    pub skipped: Option<String>,
}
