//! Cross-check estimates of the tail exponent: the paper's least-squares slopes and the
//! discrete-corrected Hill estimator. None of them is used for the level.

use super::summary::KaplanMeier;
use super::tail::TailStats;

/// Hill-type estimate with Clauset et al.'s continuity correction for integer data
/// (eq. 3.7 of their 2009 paper), extended to censoring as a Type-I censored Pareto MLE.
///
/// An integer count x stands for the continuous interval `[x - 1/2, x + 1/2)`, so the tail
/// starts at `k_min - 1/2`, and a task censored at c is known to lie above `c - 1/2`:
///
/// `a = 1 + n_solved / (sum ln(x_i / (k_min - 1/2)) + sum ln((c_j - 1/2) / (k_min - 1/2)))`.
///
/// Good to a few per cent for k_min >= 6 or so, and biased (usually upward) at k_min = 1.
pub(crate) fn hill(stats: &TailStats) -> f64 {
    let base = (stats.k_min as f64 - 0.5).ln();
    let cens: f64 = stats
        .censored
        .iter()
        .map(|&(c, n)| n * ((c as f64 - 0.5).ln() - base))
        .sum();
    1.0 + stats.n_solved / (stats.sum_ln - stats.n_solved * base + cens)
}

/// The paper-style estimate: `-slope` of the least-squares line through
/// `(ln k, ln frequency(k))` for every k >= 1 seen among solved tasks (F = 0 and censored
/// tasks left out, as in the paper's plots). `None` with fewer than two distinct k.
///
/// The far tail is a run of counts of 1, which flattens the line, so this reads low for
/// heavy tails; it is here for comparison with published numbers, not for the level.
pub(crate) fn least_squares_frequency(km: &KaplanMeier) -> Option<f64> {
    let points: Vec<(f64, f64)> = km
        .events
        .iter()
        .zip(&km.deaths)
        .filter(|(&k, _)| k >= 1)
        .map(|(&k, &n)| ((k as f64).ln(), (n as f64).ln()))
        .collect();
    slope(&points).map(|b| -b)
}

/// The CCDF variant: `ln S(k) = c - (a - 1) ln k` fitted by least squares through the
/// Kaplan-Meier `S(k) = P(F >= k)` at each solved count k >= k_min. Each point uses all the
/// data above it, so it is smoother than the frequency fit, but the points are correlated.
pub(crate) fn least_squares_ccdf(km: &KaplanMeier, k_min: u64) -> Option<f64> {
    let points: Vec<(f64, f64)> = km
        .events
        .iter()
        .zip(&km.before)
        .filter(|(&k, &s)| k >= k_min.max(1) && s > 0.0)
        .map(|(&k, &s)| ((k as f64).ln(), s.ln()))
        .collect();
    slope(&points).map(|b| 1.0 - b)
}

/// Ordinary least-squares slope of y on x.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::super::data::TaskOutcome;
    use super::*;

    #[test]
    fn exact_power_law_counts_give_the_exponent() {
        // Counts proportional to k^-2.5 lie on a line of slope -2.5 on log-log axes.
        let mut tasks = Vec::new();
        for k in 1..=10u64 {
            let n = (10_000.0 * (k as f64).powf(-2.5)).round() as usize;
            tasks.extend((0..n).map(|i| TaskOutcome::solved(format!("{k}-{i}"), k)));
        }
        let km = KaplanMeier::new(&tasks);
        let a = least_squares_frequency(&km).expect("ten points");
        assert!((a - 2.5).abs() < 0.01, "{a}");
        assert!(least_squares_ccdf(&km, 1).is_some());
    }

    #[test]
    fn hill_by_hand() {
        let tasks = vec![
            TaskOutcome::solved("a", 2),
            TaskOutcome::solved("b", 5),
            TaskOutcome::censored("c", 9),
        ];
        let stats = TailStats::new(&tasks, 2);
        let by_hand = 1.0 + 2.0 / ((2.0f64 / 1.5).ln() + (5.0f64 / 1.5).ln() + (8.5f64 / 1.5).ln());
        assert!((hill(&stats) - by_hand).abs() < 1e-12);
    }

    #[test]
    fn one_point_has_no_slope() {
        let tasks = vec![TaskOutcome::solved("a", 3), TaskOutcome::solved("b", 3)];
        assert_eq!(least_squares_frequency(&KaplanMeier::new(&tasks)), None);
    }
}
