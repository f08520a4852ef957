//! Seeded bootstrap over tasks for the tail exponent, run on sufficient statistics.
//!
//! Tasks are resampled with replacement and the tail is refitted at the k_min chosen on the
//! full data: the interval is conditional on k_min (re-choosing k_min in every resample
//! would cost a full KS scan each time and widen the interval a little). A resample only
//! needs the count of solved tail tasks, the sum of their log counts and the count per
//! censoring cap, so each one costs n draws plus one 1-D maximisation.

use super::data::TaskOutcome;
use super::tail::TailStats;
use crate::stats::bootstrap::{quantile_sorted, CiMethod, Interval};
use crate::stats::Rng;

/// Tolerance on a inside the bootstrap: far below the spread of the resampled estimates.
const RESAMPLE_TOL: f64 = 1e-6;

/// Where one task lands in the tail statistics.
#[derive(Clone, Copy)]
enum Role {
    /// Below k_min: not in the tail.
    Outside,
    /// Solved in the tail, with `ln F`.
    Solved(f64),
    /// Censored in the tail, with the index of its cap.
    Censored(usize),
}

/// Percentile bootstrap interval of the tail exponent at a fixed `k_min`, around `point`.
pub(crate) fn bootstrap_alpha(
    tasks: &[TaskOutcome],
    k_min: u64,
    point: f64,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Interval {
    let full = TailStats::new(tasks, k_min);
    let roles: Vec<Role> = tasks
        .iter()
        .map(|t| match (t.failures >= k_min, t.censored) {
            (false, _) => Role::Outside,
            (true, false) => Role::Solved((t.failures as f64).ln()),
            // `full.censored` is sorted by cap and holds every cap in the tail.
            (true, true) => Role::Censored(
                full.censored
                    .binary_search_by_key(&t.failures, |&(c, _)| c)
                    .unwrap_or(0),
            ),
        })
        .collect();
    let n = tasks.len();
    let mut rng = Rng::new(seed);
    let mut estimates = Vec::with_capacity(resamples);
    let mut stats = full.clone();
    for _ in 0..resamples {
        stats.n_solved = 0.0;
        stats.sum_ln = 0.0;
        stats.censored.iter_mut().for_each(|(_, m)| *m = 0.0);
        for _ in 0..n {
            match roles[rng.below(n)] {
                Role::Outside => {}
                Role::Solved(ln) => {
                    stats.n_solved += 1.0;
                    stats.sum_ln += ln;
                }
                Role::Censored(i) => stats.censored[i].1 += 1.0,
            }
        }
        if stats.n() > 0.0 {
            estimates.push(stats.mle(RESAMPLE_TOL).0);
        }
    }
    if estimates.len() < 2 {
        return Interval::degenerate(point, confidence);
    }
    estimates.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval {
        point,
        low: quantile_sorted(&estimates, tail),
        high: quantile_sorted(&estimates, 1.0 - tail),
        confidence,
        method: CiMethod::Percentile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<TaskOutcome> {
        let mut v: Vec<TaskOutcome> = [0u64, 1, 1, 2, 1, 3, 5, 1, 2, 8, 1, 13, 2, 1, 4, 1, 30]
            .iter()
            .enumerate()
            .map(|(i, &f)| TaskOutcome::solved(format!("t{i}"), f))
            .collect();
        v.push(TaskOutcome::censored("c", 40));
        v
    }

    #[test]
    fn same_seed_same_interval_and_it_brackets_the_point() {
        let tasks = sample();
        let point = TailStats::new(&tasks, 1).mle(1e-9).0;
        let a = bootstrap_alpha(&tasks, 1, point, 300, 0.9, 5);
        let b = bootstrap_alpha(&tasks, 1, point, 300, 0.9, 5);
        assert_eq!(a, b);
        assert!(a.low < point && point < a.high, "{a:?}");
        let c = bootstrap_alpha(&tasks, 1, point, 300, 0.9, 6);
        assert_ne!(a, c);
    }

    #[test]
    fn resampling_the_statistics_equals_refitting_the_tasks() {
        // With confidence 0 both ends of the interval are the median of the estimates, which
        // for two resamples is their mean: redraw the same two resamples and refit them.
        let tasks = sample();
        let n = tasks.len();
        let two = bootstrap_alpha(&tasks, 1, 0.0, 2, 0.0, 11);
        let mut rng = Rng::new(11);
        let mut refit = || {
            let drawn: Vec<TaskOutcome> = (0..n).map(|_| tasks[rng.below(n)].clone()).collect();
            TailStats::new(&drawn, 1).mle(RESAMPLE_TOL).0
        };
        let (e1, e2) = (refit(), refit());
        assert!(
            (two.low - 0.5 * (e1 + e2)).abs() < 1e-6,
            "{two:?} vs {e1}, {e2}"
        );
        assert_ne!(e1, e2);
    }
}
