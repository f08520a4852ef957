//! Survival Game scoring: how many failures a subject makes before its first success.
//!
//! Zhan et al. (2025) score a subject by the tail of its failure count F across tasks: if
//! `P(F = k) ~ k^-a`, the mean of F is finite only when a > 2 and the variance only when
//! a > 3, which gives three levels (Limited, Capable, Autonomous). [`score`] turns one
//! outcome per task into a [`SurvivalResult`]: the descriptive summary, the exponent a by
//! censored discrete power-law maximum likelihood with k_min chosen by minimum KS distance,
//! a seeded bootstrap interval, cross-check estimates, the level, notes on censoring, and
//! the energy and time spent until the first success.
//!
//! ```
//! use ipw_bench::survival::{score, SurvivalConfig, TaskOutcome};
//!
//! let counts = [0, 0, 1, 1, 1, 2, 2, 3, 1, 5, 8, 1, 2, 13, 1, 4, 2, 1, 40, 1];
//! let mut tasks: Vec<TaskOutcome> = counts
//!     .iter()
//!     .enumerate()
//!     .map(|(i, &f)| TaskOutcome::solved(format!("task{i}"), f))
//!     .collect();
//! tasks.push(TaskOutcome::censored("hard", 50));
//! let result = score(&tasks, &SurvivalConfig::default())?;
//! assert_eq!(result.summary.n_tasks, 21);
//! assert!(result.alpha_ci_low <= result.alpha && result.alpha <= result.alpha_ci_high);
//! println!("a = {:.2}: {}", result.alpha, result.level.describe());
//! # Ok::<(), ipw_bench::survival::SurvivalError>(())
//! ```

mod cost;
mod crosscheck;
mod csv;
mod data;
mod level;
mod optimize;
mod resample;
mod summary;
mod tail;
mod zeta;

#[cfg(test)]
mod reference_tests;

#[cfg(test)]
mod synthetic_tests;

pub use cost::CostSummary;
pub use csv::{parse_csv, read_csv};
pub use data::{SurvivalError, TaskOutcome};
pub use level::Level;
pub use summary::{FrequencyPoint, SurvivalPoint, SurvivalSummary};
pub use tail::{fit_tail, fit_tail_at, TailFit, ALPHA_MAX, ALPHA_MIN, MIN_TAIL};
pub use zeta::hurwitz_zeta;

use crate::stats::CiMethod;
use serde::{Deserialize, Serialize};
use summary::KaplanMeier;
use tail::TailStats;

/// Settings of [`score`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalConfig {
    /// Confidence level of every interval, in (0, 1). Default 0.95.
    pub confidence: f64,
    /// Bootstrap resamples, 2 to [`MAX_RESAMPLES`]. Default 1000.
    pub resamples: usize,
    /// Seed of the bootstrap; the same data and seed give the same intervals. Default 0.
    pub seed: u64,
}

impl Default for SurvivalConfig {
    fn default() -> SurvivalConfig {
        SurvivalConfig {
            confidence: 0.95,
            resamples: 1000,
            seed: 0,
        }
    }
}

/// The most bootstrap resamples [`score`] takes: far more than a stable 95% interval
/// needs, and few enough that the estimates fit in memory and take seconds, not days.
pub const MAX_RESAMPLES: usize = 1_000_000;

/// Censored shares above this get a note: the level then leans on the fitted tail beyond
/// the cap.
const CENSORED_NOTE_SHARE: f64 = 0.10;
/// Caps at or below this leave too few distinct counts to tell a power law from anything.
const SMALL_CAP: u64 = 10;

/// Everything the Survival Game reports for one subject (one case in `results.json`,
/// under `survival`). Field names are part of the results schema: snake_case and stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalResult {
    /// Descriptive statistics (flattened into this object in JSON).
    #[serde(flatten)]
    pub summary: SurvivalSummary,
    /// Tail exponent a: censored discrete power-law MLE at `k_min`.
    pub alpha: f64,
    /// Lower end of the bootstrap interval of a.
    pub alpha_ci_low: f64,
    /// Upper end of the bootstrap interval of a.
    pub alpha_ci_high: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// How the interval of a was computed (`percentile`, or `degenerate` with too little
    /// data to resample).
    pub ci_method: CiMethod,
    /// Bootstrap resamples requested.
    pub resamples: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Smallest failure count in the fitted tail, chosen by minimum KS distance; the
    /// bootstrap keeps it fixed.
    pub k_min: u64,
    /// Tasks in the tail (`failures >= k_min`, censored ones included).
    pub n_tail: usize,
    /// Censored tasks in the tail.
    pub n_tail_censored: usize,
    /// KS distance between the tail's survival function and the fit.
    pub ks_distance: f64,
    /// Log-likelihood of the fit.
    pub log_likelihood: f64,
    /// True when a sits on an end of the search range (1, 10]: only a bound.
    pub alpha_at_bound: bool,
    /// Cross-check: discrete-corrected Hill estimate on the same tail.
    pub alpha_hill: f64,
    /// Cross-check: the paper's least-squares slope of log frequency on log k, k >= 1.
    /// `None` with fewer than two distinct counts.
    pub alpha_ls_frequency: Option<f64>,
    /// Cross-check: least-squares slope of the log survival function on log k, k >= k_min.
    pub alpha_ls_ccdf: Option<f64>,
    /// Sensitivity to censoring: a at the same k_min with the censored tasks left out (the
    /// paper's convention). `None` when no censored task is in the tail.
    pub alpha_censored_dropped: Option<f64>,
    /// Sensitivity to censoring: a with the censored tasks counted as solved at their cap.
    /// `None` when no censored task is in the tail.
    pub alpha_censored_as_solved: Option<f64>,
    /// The level from the interval of a.
    pub level: Level,
    /// Warnings that fit the data (censoring, small cap, estimate on the bound, ...).
    pub notes: Vec<String>,
    /// Joules until the first success, when every task has `energy_j`.
    pub energy: Option<CostSummary>,
    /// Seconds until the first success, when every task has `time_s`.
    pub time: Option<CostSummary>,
}

/// Score a subject from one outcome per task.
pub fn score(
    tasks: &[TaskOutcome],
    config: &SurvivalConfig,
) -> Result<SurvivalResult, SurvivalError> {
    if !(config.confidence > 0.0 && config.confidence < 1.0) {
        return Err(SurvivalError::BadConfig {
            setting: "--confidence",
            value: config.confidence.to_string(),
            expected: "a level strictly between 0 and 1, such as 0.95",
        });
    }
    if !(2..=MAX_RESAMPLES).contains(&config.resamples) {
        return Err(SurvivalError::BadConfig {
            setting: "--resamples",
            value: config.resamples.to_string(),
            expected: "from 2 to 1000000 resamples; 1000 or more for a stable 95% interval",
        });
    }
    data::validate(tasks)?;
    let km = KaplanMeier::new(tasks);
    let summary = summary::summarize(tasks, &km);
    let fit = tail::select_k_min(tasks, &km)?;
    let stats = TailStats::new(tasks, fit.k_min);
    let ci = resample::bootstrap_alpha(
        tasks,
        fit.k_min,
        fit.alpha,
        config.resamples,
        config.confidence,
        config.seed,
    );
    let (dropped, as_solved) = censoring_sensitivity(&stats);
    let level = Level::of_interval(ci.low, ci.high);
    let notes = notes(&summary, &fit, ci.low, ci.high, level, dropped, as_solved);
    let cost = |column, unit, get: fn(&TaskOutcome) -> Option<f64>, salt: u64| {
        cost::summarize_cost(
            tasks,
            column,
            unit,
            get,
            config.resamples,
            config.confidence,
            config.seed.wrapping_add(salt),
        )
    };
    Ok(SurvivalResult {
        alpha: fit.alpha,
        alpha_ci_low: ci.low,
        alpha_ci_high: ci.high,
        confidence: config.confidence,
        ci_method: ci.method,
        resamples: config.resamples,
        seed: config.seed,
        k_min: fit.k_min,
        n_tail: fit.n_tail,
        n_tail_censored: fit.n_tail_censored,
        ks_distance: fit.ks_distance,
        log_likelihood: fit.log_likelihood,
        alpha_at_bound: fit.at_bound,
        alpha_hill: crosscheck::hill(&stats),
        alpha_ls_frequency: crosscheck::least_squares_frequency(&km),
        alpha_ls_ccdf: crosscheck::least_squares_ccdf(&km, fit.k_min),
        alpha_censored_dropped: dropped,
        alpha_censored_as_solved: as_solved,
        level,
        notes,
        energy: cost("energy_j", "J", |t| t.energy_j, 0x9e37)?,
        time: cost("time_s", "s", |t| t.time_s, 0x7f4a)?,
        summary,
    })
}

/// The exponent at the same k_min under the two extreme readings of a censored task that
/// ignore the censoring model: left out, or solved right at its cap.
fn censoring_sensitivity(stats: &TailStats) -> (Option<f64>, Option<f64>) {
    if stats.censored.is_empty() {
        return (None, None);
    }
    let dropped = TailStats {
        censored: Vec::new(),
        ..stats.clone()
    };
    let mut solved = dropped.clone();
    for &(c, n) in &stats.censored {
        solved.n_solved += n;
        solved.sum_ln += n * (c as f64).ln();
    }
    let fit = |s: &TailStats| (s.n_solved > 0.0).then(|| s.mle(tail::FIT_TOL).0);
    (fit(&dropped), fit(&solved))
}

fn notes(
    summary: &SurvivalSummary,
    fit: &TailFit,
    low: f64,
    high: f64,
    level: Level,
    dropped: Option<f64>,
    as_solved: Option<f64>,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(cap) = summary.cap {
        if summary.censored_fraction > CENSORED_NOTE_SHARE {
            notes.push(format!(
                "{:.1}% of tasks were never solved within the cap of {cap} failures: the level \
                 rests on the fitted tail beyond the cap; raise the cap to observe it. If those \
                 tasks cannot be solved at all, E[F] is infinite and the level is Limited.",
                100.0 * summary.censored_fraction
            ));
        }
        if cap <= SMALL_CAP {
            notes.push(format!(
                "the cap is {cap} failures: too few distinct counts to identify a power-law \
                 tail; rank candidates or allow more attempts per task"
            ));
        }
    }
    let point_level = Level::of(fit.alpha);
    let moved: Vec<String> = [
        ("left out", dropped),
        ("counted as solved at the cap", as_solved),
    ]
    .iter()
    .filter_map(|&(how, a)| a.map(|a| (how, a)))
    .filter(|&(_, a)| Level::of(a) != point_level)
    .map(|(how, a)| format!("with them {how}, a = {a:.3} ({})", Level::of(a).as_str()))
    .collect();
    if !moved.is_empty() {
        notes.push(format!(
            "the {} censored tasks in the tail alone could move a across a threshold: {}",
            fit.n_tail_censored,
            moved.join("; ")
        ));
    }
    if fit.at_bound {
        notes.push(format!(
            "the likelihood has no interior maximum (a = {:.3} is on an end of (1, 10]): the \
             tail is degenerate; add tasks with more failures",
            fit.alpha
        ));
    }
    if level == Level::Indeterminate && low.is_finite() && high.is_finite() {
        let straddled: Vec<&str> = [(2.0, "2"), (3.0, "3")]
            .iter()
            .filter(|&&(t, _)| low <= t && t < high)
            .map(|&(_, name)| name)
            .collect();
        notes.push(format!(
            "the interval of a [{low:.3}, {high:.3}] straddles {}: more tasks are needed to \
             tell the levels apart",
            straddled.join(" and ")
        ));
    }
    notes
}
