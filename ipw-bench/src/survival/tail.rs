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
/// Gaps between consecutive counts up to this long are bridged by subtracting terms of the
/// zeta sum; longer ones are evaluated afresh, which is cheaper there.
const BRIDGE: u64 = 32;

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
        for t in tasks.iter().filter(|t| t.failures >= k_min) {
            if t.censored {
                match stats.censored.iter_mut().find(|(c, _)| *c == t.failures) {
                    Some((_, n)) => *n += 1.0,
                    None => stats.censored.push((t.failures, 1.0)),
                }
            } else {
                stats.n_solved += 1.0;
                stats.sum_ln += (t.failures as f64).ln();
            }
        }
        stats.censored.sort_by_key(|&(c, _)| c);
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
/// censoring cap, and is not the largest count seen. Ties go to the smaller k_min.
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
    Ok(fit_at(&stats, &KaplanMeier::new(tasks)))
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
    for (i, &k_min) in km.events.iter().enumerate() {
        let in_tail = solved_from[i] as usize + n_censored;
        if k_min == 0 || i == last || in_tail < MIN_TAIL || min_cap.is_some_and(|c| k_min > c) {
            continue;
        }
        let stats = TailStats {
            k_min,
            n_solved: solved_from[i] as f64,
            sum_ln: ln_from[i],
            censored: censored.clone(),
        };
        let fit = fit_at(&stats, km);
        match best {
            Some(b) if b.ks_distance <= fit.ks_distance => {}
            _ => best = Some(fit),
        }
    }
    best.ok_or_else(|| SurvivalError::TooFewInTail {
        n_tail: tasks.iter().filter(|t| t.failures >= 1).count(),
        k_min: 1,
        needed: MIN_TAIL,
    })
}

fn fit_at(stats: &TailStats, km: &KaplanMeier) -> TailFit {
    let (alpha, log_likelihood, at_bound) = stats.mle(FIT_TOL);
    let min_cap = stats.censored.first().map(|&(c, _)| c);
    TailFit {
        alpha,
        k_min: stats.k_min,
        n_tail: stats.n() as usize,
        n_tail_censored: stats.n_censored() as usize,
        ks_distance: ks_distance(km, stats.k_min, alpha, min_cap),
        log_likelihood,
        at_bound,
    }
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
fn ks_distance(km: &KaplanMeier, k_min: u64, a: f64, min_cap: Option<u64>) -> f64 {
    let start = km.events.partition_point(|&e| e < k_min);
    let s0 = km.at(k_min);
    let z0 = hurwitz_zeta(a, k_min as f64);
    let (observed, modelled, end) = match min_cap {
        Some(c) => (1.0 - km.at(c) / s0, 1.0 - hurwitz_zeta(a, c as f64) / z0, c),
        None => (1.0, 1.0, u64::MAX),
    };
    if !(observed > 0.0 && modelled > 0.0) {
        // Nothing solved below the cap: no shape to compare, the worst distance.
        return 1.0;
    }
    let gap = |s: f64, z: f64| ((1.0 - s / s0) / observed - (1.0 - z / z0) / modelled).abs();
    let mut d: f64 = 0.0;
    let mut z_prev: Option<(u64, f64)> = None;
    for j in start..km.events.len() {
        let e = km.events[j];
        if e >= end {
            break;
        }
        // zeta(a, e), from the previous count by subtracting terms when the gap is short.
        let z_e = match z_prev {
            Some((k, z)) if e - k <= BRIDGE => (k..e).fold(z, |z, i| z - (i as f64).powf(-a)),
            _ => hurwitz_zeta(a, e as f64),
        };
        let z_next = z_e - (e as f64).powf(-a);
        d = d.max(gap(km.before[j], z_e)).max(gap(km.after[j], z_next));
        z_prev = Some((e.saturating_add(1), z_next));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tasks_from(counts: &[(u64, usize)]) -> Vec<TaskOutcome> {
        counts
            .iter()
            .flat_map(|&(f, n)| (0..n).map(move |_| f))
            .enumerate()
            .map(|(i, f)| TaskOutcome::solved(format!("t{i}"), f))
            .collect()
    }

    #[test]
    fn likelihood_matches_the_direct_sum() {
        let mut tasks = tasks_from(&[(1, 5), (2, 3), (4, 2), (9, 1)]);
        tasks.push(TaskOutcome::censored("c", 12));
        let stats = TailStats::new(&tasks, 2);
        let a = 2.3;
        let z = |q: f64| hurwitz_zeta(a, q);
        let direct = 3.0 * (2f64.powf(-a) / z(2.0)).ln()
            + 2.0 * (4f64.powf(-a) / z(2.0)).ln()
            + (9f64.powf(-a) / z(2.0)).ln()
            + (z(12.0) / z(2.0)).ln();
        assert!((stats.log_likelihood(a) - direct).abs() < 1e-12);
        assert_eq!(stats.n(), 7.0);
    }

    #[test]
    fn the_mle_zeroes_the_score() {
        let tasks = tasks_from(&[(1, 40), (2, 12), (3, 6), (5, 3), (8, 2), (20, 1)]);
        let stats = TailStats::new(&tasks, 1);
        let (a, _, at_bound) = stats.mle(FIT_TOL);
        assert!(!at_bound);
        let h = 1e-5;
        let score = (stats.log_likelihood(a + h) - stats.log_likelihood(a - h)) / (2.0 * h);
        assert!(score.abs() < 1e-4, "a={a} score={score}");
    }

    #[test]
    fn a_single_value_tail_is_on_the_bound() {
        let tasks = tasks_from(&[(3, 12), (0, 4)]);
        let fit = fit_tail_at(&tasks, 3).expect("12 tasks in the tail");
        assert!(fit.at_bound && fit.alpha == ALPHA_MAX, "{fit:?}");
    }

    #[test]
    fn ks_is_zero_for_the_exact_distribution_shape() {
        // With many tasks spread as the model says, the KS distance is only rounding.
        let a = 2.0;
        let z1 = hurwitz_zeta(a, 1.0);
        let counts: Vec<(u64, usize)> = (1..=60u64)
            .map(|k| (k, (1e7 * (k as f64).powf(-a) / z1).round() as usize))
            .collect();
        let tasks = tasks_from(&counts);
        let km = KaplanMeier::new(&tasks);
        let d = ks_distance(&km, 1, a, None);
        // Everything above k = 60 is missing from the data: S(61) is 0 there but not in the
        // model, so the distance is the model's mass above 60, and nothing more.
        let missing = hurwitz_zeta(a, 61.0) / z1;
        assert!((d - missing).abs() < 1e-4, "d={d} missing={missing}");
    }

    #[test]
    fn the_scan_fits_each_candidate_as_a_fixed_k_min_fit_would() {
        let mut tasks = tasks_from(&[(0, 9), (1, 30), (2, 14), (3, 9), (5, 6), (9, 3), (30, 2)]);
        tasks.push(TaskOutcome::censored("c", 40));
        let chosen = fit_tail(&tasks).expect("fits");
        let fixed = fit_tail_at(&tasks, chosen.k_min).expect("fits");
        // The sums are added in another order, and the log-likelihood is flat at its
        // maximum, so rounding alone moves the arg max by about 1e-8.
        assert!(
            (chosen.alpha - fixed.alpha).abs() < 1e-6,
            "{chosen:?} {fixed:?}"
        );
        assert_eq!(chosen.n_tail, fixed.n_tail);
        assert!((chosen.ks_distance - fixed.ks_distance).abs() < 1e-6);
        for k in [1, 2, 3, 5] {
            let d = fit_tail_at(&tasks, k).expect("fits").ks_distance;
            assert!(d >= chosen.ks_distance - 1e-6, "k_min {k}: {d}");
        }
    }

    #[test]
    fn too_few_in_the_tail_is_an_error() {
        let tasks = tasks_from(&[(0, 50), (1, 4), (2, 3)]);
        assert!(matches!(
            fit_tail(&tasks),
            Err(SurvivalError::TooFewInTail {
                n_tail: 7,
                needed: 10,
                ..
            })
        ));
        assert!(matches!(
            fit_tail_at(&tasks, 2),
            Err(SurvivalError::TooFewInTail {
                n_tail: 3,
                k_min: 2,
                ..
            })
        ));
    }
}
