//! Seeded bootstrap confidence intervals.

use super::rng::Rng;
use serde::{Deserialize, Serialize};

/// How an interval was computed; named wherever an interval is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiMethod {
    /// Percentile bootstrap.
    Percentile,
    /// Bias-corrected and accelerated bootstrap.
    Bca,
    /// Student's t interval of the mean.
    T,
    /// Wilson score interval of a proportion.
    Wilson,
    /// A single observation or no spread: the interval is the point.
    Degenerate,
}

/// A point estimate with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub point: f64,
    pub low: f64,
    pub high: f64,
    pub confidence: f64,
    pub method: CiMethod,
}

impl Interval {
    pub fn degenerate(point: f64, confidence: f64) -> Interval {
        Interval {
            point,
            low: point,
            high: point,
            confidence,
            method: CiMethod::Degenerate,
        }
    }

    /// Scale point and bounds by a positive factor (for unit changes).
    pub fn scaled(self, k: f64) -> Interval {
        Interval {
            point: self.point * k,
            low: self.low * k,
            high: self.high * k,
            ..self
        }
    }
}

/// The `q`-quantile of sorted data by linear interpolation (type 7, as R and NumPy default).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    debug_assert!(!sorted.is_empty());
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn percentile_interval(mut stats: Vec<f64>, point: f64, confidence: f64) -> Interval {
    stats.retain(|v| v.is_finite());
    if stats.is_empty() {
        return Interval::degenerate(point, confidence);
    }
    stats.sort_by(f64::total_cmp);
    let alpha = 1.0 - confidence;
    Interval {
        point,
        low: quantile_sorted(&stats, alpha / 2.0),
        high: quantile_sorted(&stats, 1.0 - alpha / 2.0),
        confidence,
        method: CiMethod::Percentile,
    }
}

/// Percentile bootstrap interval of the mean of `data`.
pub fn bootstrap_mean(data: &[f64], resamples: usize, confidence: f64, seed: u64) -> Interval {
    let n = data.len();
    if n == 0 {
        return Interval::degenerate(f64::NAN, confidence);
    }
    let point = data.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Interval::degenerate(point, confidence);
    }
    let mut rng = Rng::new(seed);
    let stats = (0..resamples)
        .map(|_| (0..n).map(|_| data[rng.below(n)]).sum::<f64>() / n as f64)
        .collect();
    percentile_interval(stats, point, confidence)
}

/// Paired percentile bootstrap of `sum(num) / sum(den)`: observations are resampled as
/// pairs, so energy and correctness (or energy and time) stay together.
pub fn bootstrap_ratio(
    num: &[f64],
    den: &[f64],
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Interval {
    assert_eq!(num.len(), den.len(), "paired bootstrap needs pairs");
    let n = num.len();
    let point = num.iter().sum::<f64>() / den.iter().sum::<f64>();
    if n < 2 {
        return Interval::degenerate(point, confidence);
    }
    let mut rng = Rng::new(seed);
    let stats = (0..resamples)
        .map(|_| {
            let (mut a, mut b) = (0.0, 0.0);
            for _ in 0..n {
                let i = rng.below(n);
                a += num[i];
                b += den[i];
            }
            a / b
        })
        .collect();
    percentile_interval(stats, point, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_interval() {
        let data: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin()).collect();
        let a = bootstrap_mean(&data, 2000, 0.95, 9);
        let b = bootstrap_mean(&data, 2000, 0.95, 9);
        assert_eq!(a, b);
        assert!(a.low < a.point && a.point < a.high);
    }

    #[test]
    fn ratio_of_sums_not_mean_of_ratios() {
        let num = [1.0, 1.0, 10.0];
        let den = [1.0, 2.0, 10.0];
        let r = bootstrap_ratio(&num, &den, 500, 0.95, 1);
        assert!((r.point - 12.0 / 13.0).abs() < 1e-12);
    }

    #[test]
    fn quantile_matches_type7() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.5), 2.5);
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 4.0);
    }
}
