//! Seeded bootstrap confidence intervals.

use super::dist::{normal_cdf, normal_quantile};
use super::rng::Rng;
use super::scale::{max_abs, scale_for};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

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
    /// The point estimate.
    pub point: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
    /// Confidence level, e.g. 0.95.
    pub confidence: f64,
    /// How the interval was computed.
    pub method: CiMethod,
}

impl Interval {
    /// An interval of width 0 at `point` (method `Degenerate`).
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
    let (lo, hi, t) = quantile_ranks(sorted.len(), q);
    interpolate(sorted[lo], sorted[hi], t)
}

/// Where the type-7 `q`-quantile of `n` sorted values lies: between the values of 0-based
/// ranks `lo` and `hi`, a share `t` of the way from the first to the second.
pub fn quantile_ranks(n: usize, q: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    (lo, h.ceil() as usize, h - lo as f64)
}

/// `a + t (b - a)`, as [`quantile_sorted`] interpolates between neighbouring values.
pub fn interpolate(a: f64, b: f64, t: f64) -> f64 {
    let gap = b - a;
    if gap.is_finite() {
        a + t * gap
    } else {
        // Values of opposite sign near 1e308: their gap overflows, a weighted sum does not.
        a * (1.0 - t) + b * t
    }
}

/// The percentile interval of bootstrap replicates (non-finite ones dropped).
pub(crate) fn percentile_interval(mut stats: Vec<f64>, point: f64, confidence: f64) -> Interval {
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

/// The point estimate of `data`, or `Err` with the degenerate interval when there is too
/// little to resample: centred on NaN when `data` is empty (`point` is not called), on
/// `point()` when it holds one value.
fn resampleable(
    data: &[f64],
    confidence: f64,
    point: impl FnOnce() -> f64,
) -> Result<f64, Interval> {
    if data.is_empty() {
        return Err(Interval::degenerate(f64::NAN, confidence));
    }
    let point = point();
    if data.len() == 1 {
        return Err(Interval::degenerate(point, confidence));
    }
    Ok(point)
}

/// Percentile bootstrap interval of the mean of `data`.
///
/// Values so large that their sum would overflow (near 1e308) are resampled scaled by a
/// power of two and the means scaled back, which changes no digit of the result.
pub fn bootstrap_mean(data: &[f64], resamples: usize, confidence: f64, seed: u64) -> Interval {
    let n = data.len();
    let big = max_abs(data);
    let s = if big * n as f64 <= f64::MAX / 2.0 {
        1.0
    } else {
        scale_for(big)
    };
    let scaled: Cow<[f64]> = if s == 1.0 {
        Cow::Borrowed(data)
    } else {
        Cow::Owned(data.iter().map(|v| v * s).collect())
    };
    let point = match resampleable(data, confidence, || {
        scaled.iter().sum::<f64>() / n as f64 / s
    }) {
        Ok(point) => point,
        Err(degenerate) => return degenerate,
    };
    let mut rng = Rng::new(seed);
    let stats = (0..resamples)
        .map(|_| (0..n).map(|_| scaled[rng.below(n)]).sum::<f64>() / n as f64 / s)
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
        .map(|_| resampled_ratio(num, den, &mut rng))
        .collect();
    percentile_interval(stats, point, confidence)
}

/// Draws `resamples` bootstrap replicates of `statistic`, resampling `data` with
/// replacement in the same order as [`bootstrap_mean`], so the mean replicates coincide.
fn replicates<F: Fn(&[f64]) -> f64>(
    data: &[f64],
    statistic: &F,
    resamples: usize,
    seed: u64,
) -> Vec<f64> {
    let n = data.len();
    let mut rng = Rng::new(seed);
    let mut buf = vec![0.0; n];
    (0..resamples)
        .map(|_| {
            for slot in buf.iter_mut() {
                *slot = data[rng.below(n)];
            }
            statistic(&buf)
        })
        .collect()
}

/// The BCa interval from the point estimate, the bootstrap replicates and the jackknife
/// (leave-one-out) values of the statistic.
///
/// Bias correction `z0 = Phi^-1(share of replicates below the point)`, counting a tie as
/// half (as SciPy does); acceleration `a = sum(d^3) / (6 sum(d^2)^1.5)` with
/// `d = mean(jackknife) - jackknife_i`. The adjusted levels
/// `Phi(z0 + (z0 + z) / (1 - a (z0 + z)))` are read off the sorted replicates by type-7
/// quantiles. When every replicate lies on one side of the point, `z0` is infinite and
/// BCa is undefined: the percentile interval is returned and its method says so.
pub fn bca_interval(
    point: f64,
    mut stats: Vec<f64>,
    jackknife: &[f64],
    confidence: f64,
) -> Interval {
    stats.retain(|v| v.is_finite());
    if stats.is_empty() || !point.is_finite() {
        return Interval::degenerate(point, confidence);
    }
    let b = stats.len() as f64;
    let below = stats.iter().filter(|&&v| v < point).count() as f64;
    let at_or_below = stats.iter().filter(|&&v| v <= point).count() as f64;
    let z0 = normal_quantile((below + at_or_below) / (2.0 * b));
    if !z0.is_finite() {
        return percentile_interval(stats, point, confidence);
    }
    let jm = jackknife.iter().sum::<f64>() / jackknife.len() as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for j in jackknife {
        let d = jm - j;
        num += d * d * d;
        den += d * d;
    }
    let accel = if den > 0.0 {
        num / (6.0 * den.powf(1.5))
    } else {
        0.0
    };
    let level = |z: f64| normal_cdf(z0 + (z0 + z) / (1.0 - accel * (z0 + z)));
    let alpha = 1.0 - confidence;
    let lo = level(normal_quantile(alpha / 2.0));
    let hi = level(normal_quantile(1.0 - alpha / 2.0));
    stats.sort_by(f64::total_cmp);
    Interval {
        point,
        low: quantile_sorted(&stats, lo),
        high: quantile_sorted(&stats, hi),
        confidence,
        method: CiMethod::Bca,
    }
}

/// BCa bootstrap interval of the mean; the jackknife is computed in closed form, so this
/// stays linear in the sample size.
pub fn bootstrap_mean_bca(data: &[f64], resamples: usize, confidence: f64, seed: u64) -> Interval {
    let n = data.len();
    let total = data.iter().sum::<f64>();
    let point = match resampleable(data, confidence, || total / n as f64) {
        Ok(point) => point,
        Err(degenerate) => return degenerate,
    };
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let stats = replicates(data, &mean, resamples, seed);
    let jack: Vec<f64> = data.iter().map(|x| (total - x) / (n - 1) as f64).collect();
    bca_interval(point, stats, &jack, confidence)
}

/// BCa bootstrap interval of any statistic of one sample. The jackknife calls `statistic`
/// `n` times on samples of `n - 1`, so this costs `O(n^2)` for a linear-time statistic.
pub fn bootstrap_bca<F: Fn(&[f64]) -> f64>(
    data: &[f64],
    statistic: F,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Interval {
    let point = match resampleable(data, confidence, || statistic(data)) {
        Ok(point) => point,
        Err(degenerate) => return degenerate,
    };
    let n = data.len();
    let stats = replicates(data, &statistic, resamples, seed);
    let mut left_out = Vec::with_capacity(n - 1);
    let jack: Vec<f64> = (0..n)
        .map(|i| {
            left_out.clear();
            left_out.extend_from_slice(&data[..i]);
            left_out.extend_from_slice(&data[i + 1..]);
            statistic(&left_out)
        })
        .collect();
    bca_interval(point, stats, &jack, confidence)
}

/// Percentile bootstrap interval of any statistic of one sample.
pub fn bootstrap_percentile<F: Fn(&[f64]) -> f64>(
    data: &[f64],
    statistic: F,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Interval {
    let point = match resampleable(data, confidence, || statistic(data)) {
        Ok(point) => point,
        Err(degenerate) => return degenerate,
    };
    percentile_interval(
        replicates(data, &statistic, resamples, seed),
        point,
        confidence,
    )
}

/// One resample of a ratio of sums: `num.len()` pairs drawn with replacement, each pair
/// kept together.
fn resampled_ratio(num: &[f64], den: &[f64], rng: &mut Rng) -> f64 {
    let n = num.len();
    let (mut s, mut d) = (0.0, 0.0);
    for _ in 0..n {
        let i = rng.below(n);
        s += num[i];
        d += den[i];
    }
    s / d
}

/// Bootstrap replicates of `(sum(b.num) / sum(b.den)) / (sum(a.num) / sum(a.den))` for two
/// groups of `(num, den)` pairs (two variants, or a baseline and a new run), each group
/// resampled on its own with its pairs kept together. Every resample draws `a`'s indices,
/// then `b`'s, from one generator seeded with `seed`; non-finite replicates (a resample
/// whose denominator sums to 0) are dropped.
pub fn two_group_ratio_replicates(
    a: (&[f64], &[f64]),
    b: (&[f64], &[f64]),
    resamples: usize,
    seed: u64,
) -> Vec<f64> {
    assert!(
        a.0.len() == a.1.len() && b.0.len() == b.1.len(),
        "paired bootstrap needs pairs"
    );
    let mut rng = Rng::new(seed);
    (0..resamples)
        .map(|_| {
            let ra = resampled_ratio(a.0, a.1, &mut rng);
            resampled_ratio(b.0, b.1, &mut rng) / ra
        })
        .filter(|r| r.is_finite())
        .collect()
}

/// The two-sided bootstrap p-value of "the statistic is `null`": twice the smaller share
/// of `replicates` on one side of it (a replicate equal to it counts half on each side, so
/// replicates that all equal the null, as identical data give, have p = 1), at least one
/// over the number of replicates.
pub fn bootstrap_p_value(replicates: &[f64], null: f64) -> f64 {
    let n = replicates.len() as f64;
    let below = replicates.iter().filter(|&&r| r < null).count() as f64;
    let equal = replicates.iter().filter(|&&r| r == null).count() as f64;
    let below = (below + equal / 2.0) / n;
    (2.0 * below.min(1.0 - below)).clamp(1.0 / n, 1.0)
}

/// [`percentile_interval`] for a caller that holds the significance level `alpha` rather
/// than the confidence: the bounds are the `alpha / 2` and `1 - alpha / 2` quantiles.
/// (`1.0 - 0.95` is not `0.05` in floating point, so the two differ in the last bits.)
pub(crate) fn percentile_interval_alpha(mut stats: Vec<f64>, point: f64, alpha: f64) -> Interval {
    stats.retain(|v| v.is_finite());
    if stats.is_empty() {
        return Interval::degenerate(point, 1.0 - alpha);
    }
    stats.sort_by(f64::total_cmp);
    Interval {
        point,
        low: quantile_sorted(&stats, alpha / 2.0),
        high: quantile_sorted(&stats, 1.0 - alpha / 2.0),
        confidence: 1.0 - alpha,
        method: CiMethod::Percentile,
    }
}

#[cfg(test)]
mod two_group_tests {
    use super::*;

    #[test]
    fn replicates_at_the_null_are_no_evidence_against_it() {
        // Identical variants: every replicate of the ratio is exactly 1.
        assert_eq!(bootstrap_p_value(&[1.0; 4000], 1.0), 1.0);
        // Half of them tied, the rest above: a quarter below on the mid-rank count.
        let mut r = vec![1.0; 50];
        r.extend([1.5; 50]);
        assert_eq!(bootstrap_p_value(&r, 1.0), 0.5);
        // All on one side: the smallest p the replicates can give.
        assert_eq!(bootstrap_p_value(&[2.0; 200], 1.0), 1.0 / 200.0);
    }

    #[test]
    fn two_group_replicates_resample_each_group_on_its_own() {
        let a = ([2.0, 4.0, 6.0], [1.0, 2.0, 3.0]);
        let b = ([3.0, 6.0], [1.0, 2.0]);
        // Each group's ratio is the same in every resample: 2 and 3.
        let r = two_group_ratio_replicates((&a.0, &a.1), (&b.0, &b.1), 50, 4);
        assert_eq!(r.len(), 50);
        assert!(r.iter().all(|&x| (x - 1.5).abs() < 1e-12), "{r:?}");
        assert_eq!(
            r,
            two_group_ratio_replicates((&a.0, &a.1), (&b.0, &b.1), 50, 4)
        );
        let zero = two_group_ratio_replicates((&a.0, &a.1), (&[1.0], &[0.0]), 10, 1);
        assert!(zero.is_empty(), "infinite ratios are dropped: {zero:?}");
    }

    #[test]
    fn p_value_and_interval_at_a_level() {
        let reps: Vec<f64> = (1..=100).map(f64::from).collect();
        // 9 below and one tie (half a replicate on each side): 2 x 9.5 / 100.
        assert_eq!(bootstrap_p_value(&reps, 10.0), 0.19);
        assert_eq!(bootstrap_p_value(&reps, 0.0), 0.01);
        assert_eq!(bootstrap_p_value(&reps, 1000.0), 0.01);
        let i = percentile_interval_alpha(reps.clone(), 50.0, 0.1);
        assert_eq!(
            (i.low, i.high),
            (quantile_sorted(&reps, 0.05), quantile_sorted(&reps, 0.95))
        );
        assert_eq!(i.method, CiMethod::Percentile);
        assert_eq!(
            percentile_interval_alpha(vec![f64::NAN], 3.0, 0.05),
            Interval::degenerate(3.0, 0.95)
        );
    }
}

#[cfg(test)]
#[path = "bootstrap_tests.rs"]
mod tests;
