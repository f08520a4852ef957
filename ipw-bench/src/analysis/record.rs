//! What leaves analysis: each case's estimates, quality and comparisons, as results.json
//! records them.
//!
//! Every field is documented in `docs/results-schema.md`; a test fails when the two
//! disagree. Unavailable values are `null`, never 0.

pub use crate::analysis::metric::{Better, Metric};
pub use crate::analysis::vocabulary::{
    AccuracyVerdict, BaselineVerdict, Correction, PairVerdict, Test,
};
use crate::attribution::record::{QuestionSet, Sample};
use crate::measure::sensor::Provenance;
use crate::stats::Interval;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran to the end, and not every sample's energy window is invalid.
    Ok,
    /// The bench function panicked or misused the API; the reason is in `message`.
    Failed,
    /// Measured, but no valid energy window (sensor lost, missed wraps).
    Invalid,
    /// The case chose not to run (`Bencher::skip`), with its reason in `message`.
    Skipped,
}

/// One benchmark case as results.json records it (`cases[]`): its plan, samples, estimates,
/// quality warnings and comparisons against a baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// `group/name/variant`, leaving out a name equal to its group and a missing variant.
    pub id: String,
    /// The `group` option of the bench attribute, else the function's name.
    pub group: String,
    /// The `name` option of the bench attribute, else the function's name.
    pub name: String,
    /// `Display` of the `args` item (or the generic instance); `None` for a plain function.
    pub variant: Option<String>,
    /// How the case ended.
    pub status: Status,
    /// Why the case failed, is invalid or was skipped; `None` when it is `Ok`.
    pub message: Option<String>,
    /// `iter`, `iter_batched` or `queries`.
    pub kind: Option<String>,
    /// Work per iteration (`{"bytes": n}` or `{"elements": n}`), when the case counts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<crate::measure::throughput::Throughput>,
    /// The weakest provenance of the energy numbers.
    pub provenance: Provenance,
    /// What the case was asked to run, and the iterations per sample chosen.
    pub plan: CasePlan,
    /// The case's samples, valid or not.
    pub samples: Vec<Sample>,
    /// By [`Metric::key`], or [`Metric::domain_key`] for a domain's share; a map of
    /// names, so that files with metrics this version does not know still read.
    pub estimates: BTreeMap<String, Estimate>,
    /// What may make the numbers unreliable (estimated energy, short windows, drift, ...).
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
    /// Query cases: the question set, how it was answered, and each question's record.
    #[serde(default)]
    pub question_set: Option<QuestionSet>,
    /// Query cases: what accuracy difference the question set can tell apart.
    #[serde(default)]
    pub sizing: Option<Sizing>,
    /// Measured in two or more processes: their count and the variance components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<Processes>,
    /// The samples whose time per iteration lies beyond Tukey's fences (none under four
    /// samples; absent in files written before it was counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outliers: Option<Outliers>,
    /// `run.started_at` of the run that measured this case: a run that selects some cases
    /// keeps the others from earlier runs. `null` in files written before it was recorded.
    #[serde(default)]
    pub run_started_at: Option<String>,
}

/// The processes a case was measured in (`--processes N`, N >= 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processes {
    /// Processes with samples of this case.
    pub count: usize,
    /// Samples per process, by process index.
    pub samples: Vec<usize>,
    /// Per metric (`time_per_iter_s`, `energy_per_iter_j`): how its variance splits.
    pub components: BTreeMap<String, ProcessComponents>,
}

/// How a metric's variance splits between processes and samples (one-way random
/// effects, method of moments; `stats::components`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessComponents {
    /// The intraclass correlation: the share of the variance between processes.
    pub between_share: f64,
    /// `1 - between_share`.
    pub within_share: f64,
    /// Standard deviation of the process effect, in the metric's unit.
    pub between_sd: f64,
    /// Standard deviation of a sample within its process.
    pub within_sd: f64,
}

/// How small an accuracy difference a query case's question set can detect, before any
/// comparison: "this set of 400 questions cannot tell 2 points apart".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sizing {
    /// Questions in the set.
    pub questions: u64,
    /// The power the difference is detected at.
    pub power: f64,
    /// The discordance assumed: `2 p (1 - p)` at this case's accuracy `p`, a subject of the
    /// same accuracy whose mistakes fall independently of this one's. Subjects whose
    /// mistakes coincide disagree less and are told apart at smaller differences; a group
    /// comparison quotes the observed discordance.
    pub assumed_discordance: f64,
    /// The smallest accuracy difference a paired comparison (McNemar) on this set detects;
    /// `null` when the set is too small for any.
    pub minimum_detectable_difference: Option<f64>,
}

/// Grams of CO2e per kWh, and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carbon {
    /// Grid carbon intensity used for the `co2e_*` estimates, in grams of CO2e per kWh.
    pub g_per_kwh: f64,
    /// Where the figure comes from: `--carbon-intensity`, or the default's source.
    pub source: String,
}

impl Default for Carbon {
    /// The documented world average.
    fn default() -> Carbon {
        crate::analysis::carbon::carbon(None)
    }
}

/// A value with its confidence interval (no unit or provenance: those of the metric).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    /// The point estimate.
    pub point: f64,
    /// Lower bound of the confidence interval.
    pub ci_low: f64,
    /// Upper bound of the confidence interval.
    pub ci_high: f64,
}

impl Ci {
    /// No spread to resample: the interval is the point.
    pub fn degenerate(point: f64) -> Ci {
        Ci {
            point,
            ci_low: point,
            ci_high: point,
        }
    }
}

impl From<Interval> for Ci {
    fn from(i: Interval) -> Ci {
        Ci {
            point: i.point,
            ci_low: i.low,
            ci_high: i.high,
        }
    }
}

/// One row of an ANOVA table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnovaRow {
    /// Factor name, `A:B` for an interaction, or `Residual`.
    pub source: String,
    /// Sum of squares (Type II in a two-way table).
    pub ss: f64,
    /// Degrees of freedom of the source.
    pub df: f64,
    /// Mean square, `ss / df`; `None` when the source has no degrees of freedom.
    pub ms: Option<f64>,
    /// F statistic, the source's mean square over the residual's; `None` for `Residual`.
    pub f: Option<f64>,
    /// p-value of the F statistic; `None` for `Residual`.
    pub p_value: Option<f64>,
}

/// A test's statistic and p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// Which test was run.
    pub test: Test,
    /// The test statistic (t, F, H, W, U, z, chi-square, ... as the test names it).
    pub statistic: f64,
    /// Degrees of freedom (two numbers for F tests); empty when the test has none.
    pub df: Vec<f64>,
    /// Uncorrected p-value.
    pub p_value: f64,
}

/// Two variants compared on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairwise {
    /// Case ids; the difference is `b - a`, the ratio `b / a`.
    pub a: String,
    /// Case id of the second variant.
    pub b: String,
    /// The metric compared.
    pub metric: Metric,
    /// `b - a` in the metric's unit, with its confidence interval.
    pub difference: Ci,
    /// `b / a`, with its confidence interval.
    pub ratio: Ci,
    /// The two-sample test of the pair, before correction.
    pub test: TestResult,
    /// p-value after the multiple-comparison correction named in `correction`.
    pub p_adjusted: f64,
    /// The multiple-comparison correction applied to `p_adjusted`.
    pub correction: Correction,
    /// Hedges' g of `b` against `a`.
    pub hedges_g: Option<f64>,
    /// Of `b` against `a`.
    pub verdict: PairVerdict,
}

/// Accuracy compared across the variants of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracyComparison {
    /// The accuracy test: McNemar mid-p, the paired bootstrap or Cochran's Q on shared
    /// questions; the two-proportion z or chi-square test otherwise.
    pub test: TestResult,
    /// `differs` or `unchanged`, from the test's p-value.
    pub verdict: AccuracyVerdict,
    /// Whether the variants answered the same questions and were compared question by
    /// question (McNemar, Cochran's Q, the paired bootstrap). Version 1 files: `false`.
    #[serde(default)]
    pub paired: bool,
    /// Paired: the questions they share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<u64>,
    /// Two variants: the second's accuracy minus the first's, with its interval (Newcombe's
    /// paired interval for right/wrong answers, the paired bootstrap over questions for
    /// scores or repeated answers that disagree).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<Ci>,
    /// Two paired variants: the share of questions on which exactly one was right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discordance: Option<f64>,
    /// Two paired variants: the smallest accuracy difference this many shared questions
    /// detect at 80% power and the observed discordance (McNemar, Connor's formula).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_detectable_difference: Option<f64>,
    /// Why the comparison is not paired, or what it assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Three or more paired variants: every pair's own test (McNemar mid-p, or the paired
    /// bootstrap for scores), Holm-corrected across the pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairwise: Vec<AccuracyPair>,
}

/// One pair of a paired accuracy comparison of three or more variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracyPair {
    /// Case id of the first variant.
    pub a: String,
    /// Case id of the second; the difference is `b - a`.
    pub b: String,
    /// Accuracy of `b` minus that of `a`, with its paired interval (Newcombe's, or the
    /// paired bootstrap's).
    pub difference: Ci,
    /// The pair's test, uncorrected.
    pub test: TestResult,
    /// Holm-adjusted p-value across the pairs.
    pub p_adjusted: f64,
    /// From the adjusted p-value.
    pub verdict: AccuracyVerdict,
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
    /// The group's name.
    pub group: String,
    /// `energy_per_iter_j` or `joules_per_correct`.
    pub metric: Metric,
    /// Case ids, in order.
    pub variants: Vec<String>,
    /// The omnibus test for three or more variants (ANOVA or Welch's ANOVA).
    pub omnibus: Option<TestResult>,
    /// Rows of the one-way ANOVA table (`variant`, `Residual`) when an ANOVA was run (three or
    /// more variants); else empty.
    pub anova_table: Vec<AnovaRow>,
    /// Tukey or Games-Howell after an omnibus test, Holm across bootstrap pairs, or none.
    pub post_hoc: Correction,
    /// Each pair of variants, with the correction named in `post_hoc`.
    pub pairwise: Vec<Pairwise>,
    /// Assumption checks: Shapiro-Wilk per variant, Levene across.
    pub assumptions: Vec<TestResult>,
    /// Mann-Whitney or Kruskal-Wallis, reported when assumptions fail.
    pub nonparametric: Option<TestResult>,
    /// The test the verdict rests on: a [`Test`] name, or `<omnibus> with <post_hoc>`.
    pub verdict_basis: String,
    /// Accuracy compared across the variants, for query cases.
    pub accuracy: Option<AccuracyComparison>,
    /// Two-way ANOVA when variants are a grid of two factors.
    pub factorial: Option<Vec<AnovaRow>>,
    /// Sample-size adequacy of the comparison.
    pub power: Option<PowerInfo>,
    /// One plain line per comparison.
    pub verdicts: Vec<String>,
}

/// One metric of a case against a saved baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricChange {
    /// The metric compared.
    pub metric: Metric,
    /// The baseline's point estimate, in the metric's unit.
    pub old: f64,
    /// This run's point estimate, in the metric's unit.
    pub new: f64,
    /// Relative change (new - old) / old with its interval.
    pub change: Ci,
    /// Time and energy: Welch's t on the per-sample values (per-process means when both runs
    /// have two or more processes); accuracy: the two-proportion z-test; otherwise the
    /// bootstrap p-value of the change.
    pub p_value: Option<f64>,
    /// Relative change (a fraction, `--noise-threshold`) below which a change is noise.
    pub noise_threshold: f64,
    /// `improved`, `regressed`, `no-change` or `within-noise`.
    pub verdict: BaselineVerdict,
}

/// A case against a saved baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineComparison {
    /// The baseline's name (`--baseline NAME`).
    pub name: String,
    /// The metrics found in both the baseline and this run.
    pub metrics: Vec<MetricChange>,
}

/// What a case was asked to run, and how its samples were sized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePlan {
    /// Warm-up time budget, in seconds.
    pub warm_up_time_s: f64,
    /// Iterations run during warm-up.
    pub warm_up_iters: u64,
    /// Target measuring time, in seconds.
    pub measurement_time_s: f64,
    /// Hard cap on the case's time, in seconds.
    pub max_time_s: f64,
    /// Samples asked for.
    pub sample_size_requested: usize,
    /// Iterations in every sample (flat sampling); 0 when the case failed before a plan.
    pub iters_per_sample: u64,
    /// Why the plan differs from the request (one line each).
    pub notes: Vec<String>,
}

/// A point estimate with its confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate, in `unit`.
    pub point: f64,
    /// Lower bound of the confidence interval, in `unit`.
    pub ci_low: f64,
    /// Upper bound of the confidence interval, in `unit`.
    pub ci_high: f64,
    /// Confidence level of the interval (0.95).
    pub confidence: f64,
    /// `percentile`, `bca`, `t`, `wilson` or `degenerate`.
    pub method: String,
    /// `s`, `J`, `W`, `fraction`, `1/W`, `1/J`, `1/s` or `gCO2e`.
    pub unit: String,
    /// Provenance of the number; time and accuracy are `measured`.
    pub provenance: Provenance,
    /// What the interval's variation is over: `questions` (a sample of queries from the
    /// population they stand for), `samples` (the measurements of this process),
    /// `samples-within-parts` (measurements of one fixed question set), or `answers` (a
    /// proportion over answers). Absent in version 1 files, whose intervals resampled
    /// samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resampled: Option<String>,
}

/// Per-query latencies of a query case, over all its samples, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Queries timed.
    pub count: u64,
    /// Median latency of one query, in seconds.
    pub p50_s: f64,
    /// 90th percentile latency of one query, in seconds.
    pub p90_s: f64,
    /// 99th percentile latency of one query, in seconds.
    pub p99_s: f64,
    /// Mean latency of one query, in seconds.
    pub mean_s: f64,
    /// The largest relative error of the percentiles: they come from a histogram of fixed
    /// size. 0 in version 1 files, whose percentiles were exact.
    #[serde(default)]
    pub relative_error: f64,
    /// The histogram's recorded buckets, `[nanoseconds, count]`: written only in the part
    /// files of a `--processes` run's children, so that the parent merges the processes'
    /// latencies exactly; never in results.json.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<[u64; 2]>,
}

/// Outliers among a case's samples in time per iteration, by Tukey's fences as criterion
/// classifies them: mild beyond 1.5 interquartile ranges outside the quartiles, severe
/// beyond 3. Counted, not removed: every estimate includes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outliers {
    /// Samples classified.
    pub samples: usize,
    /// Samples more than 3 interquartile ranges below the lower quartile.
    pub low_severe: usize,
    /// Samples between 1.5 and 3 interquartile ranges below the lower quartile.
    pub low_mild: usize,
    /// Samples between 1.5 and 3 interquartile ranges above the upper quartile.
    pub high_mild: usize,
    /// Samples more than 3 interquartile ranges above the upper quartile.
    pub high_severe: usize,
}

impl Outliers {
    /// Mild and severe outliers on both sides.
    pub fn total(&self) -> usize {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

/// How a query case's answers were judged, summed over all its samples (including
/// samples whose energy window is invalid: the answers were given all the same).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    /// Queries answered, judged or not.
    pub queries: u64,
    /// Credit summed over the queries (the number correct for boolean outcomes).
    pub correct: f64,
    /// Judged queries minus their credit.
    pub incorrect: f64,
    /// Queries without a verdict, left out of the accuracy denominator.
    pub unjudged: u64,
}

/// Something that may make a case's numbers unreliable, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityWarning {
    /// A stable short code (`estimated-energy`, `short-window`, `invalid-windows`, ...).
    pub code: String,
    /// What is wrong and what to do, in one plain sentence.
    pub message: String,
}
