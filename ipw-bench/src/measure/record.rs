//! What leaves the measuring stage: the sampler's trace and each case's raw samples.
//!
//! Plain data only. Attribution turns a trace and a case's windows into joules; analysis
//! turns the result into estimates. Nothing here reads a clock or a sensor.

use crate::measure::phased::Phased;
use crate::measure::schedule::Plan;
use crate::measure::sensor::SensorInfo;
use crate::measure::throughput::Throughput;
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
    IterCustom,
    IterCustomEnergy,
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
            CaseKind::IterCustom => "iter_custom",
            CaseKind::IterCustomEnergy => "iter_custom_energy",
            CaseKind::Queries => "queries",
            CaseKind::Trials => "trials",
            CaseKind::Ranked => "ranked",
        }
    }
}

/// Latencies of answers, in nanoseconds, in a histogram of fixed size: percentiles within
/// `LATENCY_PRECISION` (0.1%) of the exact value, whatever the number of answers.
pub(crate) type LatencyHistogram = hdrhistogram::Histogram<u64>;

/// Significant decimal digits the latency histograms keep: 3, a relative error of at most
/// 0.1% on every percentile.
pub(crate) const LATENCY_SIGFIG: u8 = 3;
/// The relative error of a latency percentile read from the histogram.
pub const LATENCY_PRECISION: f64 = 1e-3;
/// The longest latency a histogram records exactly: one day, in nanoseconds; longer
/// answers are recorded as this.
pub(crate) const LATENCY_MAX_NS: u64 = 86_400_000_000_000;

/// An empty latency histogram.
pub(crate) fn latency_histogram() -> LatencyHistogram {
    LatencyHistogram::new_with_bounds(1, LATENCY_MAX_NS, LATENCY_SIGFIG)
        .expect("the bounds are constants that hdrhistogram accepts")
}

/// One question's answers within one sample.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct QuestionTally {
    /// Answers given.
    pub asked: u32,
    /// Answers with a verdict, and their credit.
    pub tally: Tally,
    /// Time spent answering, nanoseconds.
    pub time_ns: u64,
}

/// The questions a sample of a query case answered: `per_question[k]` is question
/// `(first + k) % total`, in the order they were asked (a sample is one or more whole
/// passes of the question set, or a contiguous chunk of one pass).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SampleQuestions {
    /// The question the sample began with.
    pub first: usize,
    /// Questions in the set.
    pub total: usize,
    pub per_question: Vec<QuestionTally>,
    /// Whether each answer had its own energy window (`windows[j]` is answer `j`), or the
    /// sample had one window shared by its answers in proportion to their time.
    pub per_answer_windows: bool,
}

/// One measured sample, as plain data for attribution and analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawSample {
    pub iters: u64,
    pub elapsed_ns: u64,
    /// The energy windows whose sum is the sample's energy, in time order: one, one per
    /// batch of `iter_batched`, or one per answer of a query case with long answers.
    /// Never empty.
    pub windows: Vec<(EdgeId, EdgeId)>,
    /// Query outcomes in this sample.
    pub tally: Option<Tally>,
    /// Query cases: the answers of each question in this sample.
    pub questions: Option<SampleQuestions>,
    /// Query and survival cases: the latencies of this sample's answers. The runner merges
    /// them into the case's histogram as each sample arrives.
    pub latency: Option<LatencyHistogram>,
    /// Survival cases: one record per task's first run in this sample (later runs of a
    /// task repeat it and only add to `task_time_ns`).
    pub tasks: Vec<TaskRecord>,
    /// Survival cases: the time of every task run in the sample, first runs or not.
    pub task_time_ns: u64,
    /// `iter_custom_energy`: the joules the bench function measured itself for the
    /// sample; they replace the sensors' energy of its window.
    pub reported_energy_j: Option<f64>,
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

/// The first run of one task of a survival case: failures before the first success, or
/// censored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TaskRecord {
    /// Index of the task in the list given to `trials` or `ranked`.
    pub index: usize,
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
    /// Work per iteration, from the Bencher or the attribute.
    pub throughput: Option<Throughput>,
    pub raw: Vec<RawSample>,
    /// Query and survival cases: the latency of every answer, over all samples.
    pub latency: Option<LatencyHistogram>,
    pub failure: Option<String>,
    pub skipped: Option<String>,
}
