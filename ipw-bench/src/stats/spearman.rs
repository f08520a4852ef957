//! Spearman's rank correlation and its two-sided p-value.
//!
//! `rho` is Pearson's correlation of the average ranks (ties share their mean rank); the
//! p-value is from `t = rho sqrt((n - 2) / (1 - rho^2))` on `n - 2` degrees of freedom, as
//! SciPy's `spearmanr` computes it.

use crate::stats::dist::t_two_sided_p;
use crate::stats::mannwhitney::average_ranks;

/// The correlation and its p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spearman {
    /// Spearman's rho, in [-1, 1].
    pub rho: f64,
    /// Two-sided p-value, from Student's t on `n - 2` degrees of freedom.
    pub p_value: f64,
}

/// Spearman's correlation of `x` and `y` (paired by position); `None` with fewer than
/// three pairs, lengths that differ, or a constant series (no ranks to correlate).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Spearman> {
    let n = x.len();
    if n < 3 || y.len() != n || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    let (rx, _) = average_ranks(x);
    let (ry, _) = average_ranks(y);
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (da, db) = (a - mean, b - mean);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let df = n as f64 - 2.0;
    let p_value = if rho.abs() >= 1.0 {
        0.0
    } else {
        t_two_sided_p(rho * (df / (1.0 - rho * rho)).sqrt(), df)
    };
    Some(Spearman { rho, p_value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(n: usize) -> Vec<f64> {
        (0..n).map(|i| i as f64).collect()
    }

    /// Reference values from SciPy 1.17.1, `scipy.stats.spearmanr(range(n), y)`.
    #[test]
    fn matches_scipy() {
        let cases: [(&[f64], f64, f64); 3] = [
            (
                &[1.2, 0.9, 1.5, 1.1, 1.7, 1.3, 1.9, 1.6, 2.2, 1.8],
                0.7939393939393938,
                0.006099923313696911,
            ),
            // Ties.
            (
                &[3.0, 1.0, 2.0, 2.0, 5.0, 4.0, 4.0, 6.0, 5.0, 7.0, 8.0, 6.0],
                0.8803035190049984,
                0.00015775737594314143,
            ),
            (
                &[5.0, 4.1, 4.8, 4.4, 4.6, 4.9, 4.2, 4.7, 4.3, 4.5],
                -0.23636363636363633,
                0.5108853175152003,
            ),
        ];
        for (y, rho, p) in cases {
            let s = spearman(&order(y.len()), y).expect("a correlation");
            assert!((s.rho - rho).abs() < 1e-12, "{} {rho}", s.rho);
            assert!(
                (s.p_value - p).abs() < 1e-9 * p.max(1e-3),
                "{} {p}",
                s.p_value
            );
        }
    }

    #[test]
    fn degenerate_series() {
        assert!(spearman(&order(2), &[1.0, 2.0]).is_none());
        assert!(spearman(&order(4), &[1.0; 4]).is_none());
        assert!(spearman(&order(4), &[1.0, 2.0, 3.0]).is_none());
        assert!(spearman(&order(3), &[1.0, f64::NAN, 3.0]).is_none());
        let s = spearman(&order(5), &[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!((s.rho, s.p_value), (1.0, 0.0));
    }
}
