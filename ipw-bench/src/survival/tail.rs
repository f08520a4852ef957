//! The tail exponent a: censored discrete power-law maximum likelihood, with k_min chosen by
//! the minimum Kolmogorov-Smirnov distance (Clauset, Shalizi and Newman 2009).
//!
//! # Model
//! On the tail `F >= k_min` (with `k_min >= 1`: tasks solved at the first try, F = 0, are
//! outside every tail, as in the Survival Game paper's plots), `P(F = k) = k^-a / zeta(a,
//! k_min)`, where zeta is the Hurwitz zeta function.
//!
//! # Censoring
//! A task censored at c made c failed attempts and no successful one, so all we know is
//! `F >= c`: attempt c + 1 might have succeeded (F = c) or not. Given the tail (c >= k_min),
//! `P(F >= c) = sum_{k >= c} k^-a / zeta(a, k_min) = zeta(a, c) / zeta(a, k_min)`. (The
//! form `zeta(a, c + 1)` would be `P(F > c)`, which would claim the (c+1)-th attempt was
//! seen to fail.) The log-likelihood of a tail of solved counts `x_i` and censored caps
//! `c_j` is therefore
//!
//! `l(a) = -a sum ln x_i + sum ln zeta(a, c_j) - (n_solved + n_censored) ln zeta(a, k_min)`.
//!
//! It depends on the data only through `n_solved`, `sum ln x_i` and the count per cap,
//! which is what makes the bootstrap cheap. Censored tasks with `c < k_min` are not known
//! to be in the tail and are left out; candidate k_min never exceed the smallest cap, so
//! this only happens when the caller fixes k_min above it.

use super::data::{SurvivalError, TaskOutcome};
use super::optimize::maximize;
use super::summary::KaplanMeier;
use super::zeta::hurwitz_zeta;
use serde::{Deserialize, Serialize};

/// Fewest tasks (solved or censored) a tail must hold to be fitted.
pub const MIN_TAIL: usize = 10;
/// The exponent is searched on `(1, 10]`; a = 1 itself is not normalisable.
pub const ALPHA_MIN: f64 = 1.0 + 1e-9;
/// Upper end of the search: beyond it the tail is indistinguishable from none at all.
pub const ALPHA_MAX: f64 = 10.0;
/// Tolerance on a for the reported fit; the bootstrap uses a coarser one.
pub(crate) const FIT_TOL: f64 = 1e-9;
/// Within this of either end of the search, an estimate counts as on the bound.
const BOUND_SLACK: f64 = 1e-4;
/// Events at which [`ks_distance`] evaluates the model before it narrows down where the
/// largest gap can be.
const KS_GRID: usize = 32;
/// Candidate k_min whose tails hold fewer than `1 / CANDIDATE_STEP` more tasks than the
/// last candidate tried are skipped: below 1,024 tasks in the tail every distinct count is
/// tried, above it the candidates thin out geometrically, so their number grows with the
/// logarithm of the distinct counts instead of with the counts.
const CANDIDATE_STEP: usize = 1024;

/// A fitted power-law tail.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TailFit {
    /// Maximum-likelihood exponent a on the tail.
    pub alpha: f64,
    /// Smallest failure count in the tail.
    pub k_min: u64,
    /// Tasks in the tail (solved with `F >= k_min`, plus censored ones).
    pub n_tail: usize,
    /// Censored tasks in the tail.
    pub n_tail_censored: usize,
    /// Kolmogorov-Smirnov distance between the tail's Kaplan-Meier distribution and the
    /// fitted one, over every integer from k_min up, both truncated at the smallest
    /// censoring cap when some task is censored.
    pub ks_distance: f64,
    /// Log-likelihood at `alpha`.
    pub log_likelihood: f64,
    /// True when `alpha` sits on an end of the search interval (1, 10]: the likelihood has
    /// no interior maximum, and the estimate is only a bound.
    pub at_bound: bool,
}

/// Sufficient statistics of the tail at one k_min; counts are `f64` so that resampled
/// tallies need no conversion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TailStats {
    pub k_min: u64,
    pub n_solved: f64,
    pub sum_ln: f64,
    /// `(cap, tasks)` for the censored tasks with cap >= k_min, one entry per cap.
    pub censored: Vec<(u64, f64)>,
}

impl TailStats {
    pub fn new(tasks: &[TaskOutcome], k_min: u64) -> TailStats {
        let mut stats = TailStats {
            k_min,
            n_solved: 0.0,
            sum_ln: 0.0,
            censored: Vec::new(),
        };
        let mut caps = Vec::new();
        for t in tasks.iter().filter(|t| t.failures >= k_min) {
            if t.censored {
                caps.push(t.failures);
            } else {
                stats.n_solved += 1.0;
                stats.sum_ln += (t.failures as f64).ln();
            }
        }
        caps.sort_unstable();
        for c in caps {
            match stats.censored.last_mut() {
                Some((last, n)) if *last == c => *n += 1.0,
                _ => stats.censored.push((c, 1.0)),
            }
        }
        stats
    }

    pub fn n_censored(&self) -> f64 {
        self.censored.iter().map(|&(_, n)| n).sum()
    }

    pub fn n(&self) -> f64 {
        self.n_solved + self.n_censored()
    }

    pub fn log_likelihood(&self, a: f64) -> f64 {
        let norm = hurwitz_zeta(a, self.k_min as f64).ln();
        let cens: f64 = self
            .censored
            .iter()
            .map(|&(c, n)| n * hurwitz_zeta(a, c as f64).ln())
            .sum();
        -a * self.sum_ln + cens - self.n() * norm
    }

    /// `(alpha, log-likelihood, on the bound)`.
    pub fn mle(&self, tol: f64) -> (f64, f64, bool) {
        let (a, ll) = maximize(|a| self.log_likelihood(a), ALPHA_MIN, ALPHA_MAX, tol);
        let at_bound = !(ALPHA_MIN + BOUND_SLACK..=ALPHA_MAX - BOUND_SLACK).contains(&a);
        (a, ll, at_bound)
    }
}

/// Fit the tail with k_min chosen by minimum KS distance over every solved failure count
/// k >= 1 that leaves at least [`MIN_TAIL`] tasks in the tail, is not above the smallest
/// censoring cap, and is not the largest count seen. Ties go to the smaller k_min. With more
/// than 1,024 tasks in the tail, counts whose tail is within 1/1,024 of the last one tried
/// are skipped (a difference far below what the KS distance resolves), which keeps the
/// search fast with tens of thousands of distinct counts.
pub fn fit_tail(tasks: &[TaskOutcome]) -> Result<TailFit, SurvivalError> {
    super::data::validate(tasks)?;
    select_k_min(tasks, &KaplanMeier::new(tasks))
}

/// Fit the tail at a given k_min (at least 1), e.g. to compare with another tool's choice.
pub fn fit_tail_at(tasks: &[TaskOutcome], k_min: u64) -> Result<TailFit, SurvivalError> {
    super::data::validate(tasks)?;
    let k_min = k_min.max(1);
    let stats = TailStats::new(tasks, k_min);
    if (stats.n() as usize) < MIN_TAIL {
        return Err(SurvivalError::TooFewInTail {
            n_tail: stats.n() as usize,
            k_min,
            needed: MIN_TAIL,
        });
    }
    Ok(fit_at(&stats, &KaplanMeier::new(tasks), f64::INFINITY, 0).0)
}

pub(crate) fn select_k_min(
    tasks: &[TaskOutcome],
    km: &KaplanMeier,
) -> Result<TailFit, SurvivalError> {
    // Every candidate k_min is at most the smallest cap, so every censored task is in every
    // candidate tail; the solved part comes from suffix sums over the distinct counts.
    let censored = TailStats::new(tasks, 1).censored;
    let min_cap = censored.first().map(|&(c, _)| c);
    let n_censored = tasks.iter().filter(|t| t.censored).count();
    let mut solved_from = vec![0u64; km.events.len() + 1];
    let mut ln_from = vec![0.0f64; km.events.len() + 1];
    for i in (0..km.events.len()).rev() {
        solved_from[i] = solved_from[i + 1] + km.deaths[i];
        // ln 0 never enters: k_min = 0 is skipped below, and so are its suffix sums.
        let ln = if km.events[i] == 0 {
            0.0
        } else {
            (km.events[i] as f64).ln()
        };
        ln_from[i] = ln_from[i + 1] + km.deaths[i] as f64 * ln;
    }
    let last = km.events.len().saturating_sub(1);
    let mut best: Option<TailFit> = None;
    let mut stats = TailStats {
        k_min: 0,
        n_solved: 0.0,
        sum_ln: 0.0,
        censored,
    };
    let mut hint = 0;
    let mut last_tail: Option<usize> = None;
    for (i, &k_min) in km.events.iter().enumerate() {
        let in_tail = solved_from[i] as usize + n_censored;
        if k_min == 0 || i == last || in_tail < MIN_TAIL || min_cap.is_some_and(|c| k_min > c) {
            continue;
        }
        if last_tail.is_some_and(|t| (t - in_tail) * CANDIDATE_STEP < t) {
            continue;
        }
        last_tail = Some(in_tail);
        stats.k_min = k_min;
        stats.n_solved = solved_from[i] as f64;
        stats.sum_ln = ln_from[i];
        // Ties go to the smaller k_min: a later candidate only needs to be told it lost.
        // Neighbouring candidates fit alike, so the event where the last one had its
        // largest gap is where this one is checked first.
        let bound = best.map_or(f64::INFINITY, |b| b.ks_distance);
        let (fit, at) = fit_at(&stats, km, bound, hint);
        hint = at;
        if fit.ks_distance < bound {
            best = Some(fit);
        }
    }
    best.ok_or_else(|| SurvivalError::TooFewInTail {
        n_tail: tasks.iter().filter(|t| t.failures >= 1).count(),
        k_min: 1,
        needed: MIN_TAIL,
    })
}

/// The fit at `stats.k_min`, and the event of its largest KS gap. The KS distance is exact
/// when below `bound`; otherwise it is only known to be at least `bound`, and that lower
/// bound is reported. `hint` is an event to check first.
fn fit_at(stats: &TailStats, km: &KaplanMeier, bound: f64, hint: usize) -> (TailFit, usize) {
    let (alpha, log_likelihood, at_bound) = stats.mle(FIT_TOL);
    let min_cap = stats.censored.first().map(|&(c, _)| c);
    let (ks_distance, at) = ks_distance(km, stats.k_min, alpha, min_cap, bound, hint);
    let fit = TailFit {
        alpha,
        k_min: stats.k_min,
        n_tail: stats.n() as usize,
        n_tail_censored: stats.n_censored() as usize,
        ks_distance,
        log_likelihood,
        at_bound,
    };
    (fit, at)
}

/// Kolmogorov-Smirnov distance between the tail's distribution and the model's, both
/// truncated at the smallest censoring cap c (if any task is censored):
/// `F(k) = (1 - S(k) / S(k_min)) / (1 - S(c) / S(k_min))` for k_min <= k <= c, with the
/// Kaplan-Meier S for the data and `S(k) = zeta(a, k)` for the model.
///
/// Truncating compares shapes where failures were observed. Without it a k_min just below
/// the cap would win: its tail is mostly censored tasks, whose untruncated CDF stays near
/// 0 for data and model alike, so any a looks like a good fit. The empirical CDF is flat
/// between events and the model's increases, so checking each event and the count just
/// after it covers every integer.
///
/// Both CDFs rise with k, so between two events already checked neither leaves the range
/// its ends span, which bounds the gap there: a stretch whose bound does not exceed the
/// largest gap found is skipped, the others are halved. The result is the exact maximum,
/// found with a few dozen evaluations of the model for a smooth tail instead of one per
/// event, which keeps the scan over every candidate k_min about linear in the number of
/// distinct counts. Once a gap reaches `bound` the search stops and returns it. The event
/// `hint` (an index into `km.events`) is checked first, and the event of the largest gap
/// is returned with the distance.
fn ks_distance(
    km: &KaplanMeier,
    k_min: u64,
    a: f64,
    min_cap: Option<u64>,
    bound: f64,
    hint: usize,
) -> (f64, usize) {
    let start = km.events.partition_point(|&e| e < k_min);
    let s0 = km.at(k_min);
    let z0 = hurwitz_zeta(a, k_min as f64);
    let (observed, modelled, end) = match min_cap {
        Some(c) => (1.0 - km.at(c) / s0, 1.0 - hurwitz_zeta(a, c as f64) / z0, c),
        None => (1.0, 1.0, u64::MAX),
    };
    if !(observed > 0.0 && modelled > 0.0) {
        // Nothing solved below the cap: no shape to compare, the worst distance.
        return (1.0, start);
    }
    let stop = start + km.events[start..].partition_point(|&e| e < end);
    if stop == start {
        return (0.0, start);
    }
    let data = |s: f64| (1.0 - s / s0) / observed;
    // The model's CDF at event j's count e and at e + 1.
    let model = |j: usize| {
        let e = km.events[j] as f64;
        let z = hurwitz_zeta(a, e);
        let cdf = |z: f64| (1.0 - z / z0) / modelled;
        (cdf(z), cdf(z - e.powf(-a)))
    };
    let gap = |j: usize, (at, after): (f64, f64)| {
        (data(km.before[j]) - at)
            .abs()
            .max((data(km.after[j]) - after).abs())
    };
    let last = stop - 1;
    let steps = KS_GRID.min(last - start).max(1);
    let mut first: Vec<usize> = (0..=steps)
        .map(|g| start + g * (last - start) / steps)
        .collect();
    if (start..stop).contains(&hint) {
        first.push(hint);
    }
    first.sort_unstable();
    first.dedup();
    let (mut d, mut at) = (0.0f64, start);
    let mut checked: Vec<(usize, (f64, f64))> = Vec::with_capacity(first.len());
    for j in first {
        let m = model(j);
        let g = gap(j, m);
        if g > d {
            (d, at) = (g, j);
        }
        checked.push((j, m));
    }
    if d >= bound {
        return (d, at);
    }
    let mut stretches: Vec<_> = checked.windows(2).map(|w| (w[0], w[1])).collect();
    while let Some(((p, mp), (q, mq))) = stretches.pop() {
        if q - p < 2 {
            continue;
        }
        // Strictly between events p and q the data's CDF lies in [after p, before q] and
        // the model's in [just after p, at q].
        let reach = (data(km.before[q]) - mp.1).max(mq.0 - data(km.after[p]));
        if reach <= d {
            continue;
        }
        let mid = p + (q - p) / 2;
        let mm = model(mid);
        let g = gap(mid, mm);
        if g > d {
            (d, at) = (g, mid);
            if d >= bound {
                return (d, at);
            }
        }
        stretches.push(((p, mp), (mid, mm)));
        stretches.push(((mid, mm), (q, mq)));
    }
    (d, at)
}

#[cfg(test)]
#[path = "tail_tests.rs"]
mod tests;
