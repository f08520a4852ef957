//! Descriptive statistics of one sample: location, spread, quantiles and the t interval.

use super::bootstrap::{quantile_sorted, CiMethod, Interval};
use super::dist::t_quantile;
use super::error::{check_confidence, check_finite, StatsError};
use super::moments::{common_scale, Moments};
use super::scale::{max_abs, scale_for};
use serde::{Deserialize, Serialize};

/// Consistency constant that makes the MAD estimate the SD of normal data:
/// `1 / Phi^-1(3/4)`, the 1.4826 of the literature to full precision.
pub const MAD_NORMAL_SCALE: f64 = 1.482_602_218_505_602;

/// A summary of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Describe {
    /// Observations.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample variance with the `n - 1` denominator: infinite for values beyond about 1e154,
    /// whose variance `f64` cannot hold (`sd` still can).
    pub variance: f64,
    /// Sample standard deviation (`n - 1` denominator).
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)`.
    pub se: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median (type-7 quantile 0.5).
    pub median: f64,
    /// Median absolute deviation from the median, unscaled.
    pub mad: f64,
    /// `mad * MAD_NORMAL_SCALE`: a robust estimate of the SD.
    pub mad_scaled: f64,
    /// First quartile (type-7 quantile 0.25).
    pub q1: f64,
    /// Third quartile (type-7 quantile 0.75).
    pub q3: f64,
    /// Student's t interval of the mean.
    pub mean_ci: Interval,
}

/// Arithmetic mean, with a second pass that removes most of the rounding error of the first;
/// values near 1e308 are summed scaled by a power of two, so the sum does not overflow.
pub fn mean(data: &[f64]) -> f64 {
    let s = common_scale(&[data]);
    Moments::of(data, s).centre() / s
}

/// Sample variance (`n - 1` denominator), by the corrected two-pass algorithm (infinite
/// when the variance itself is beyond `f64`, for values above about 1e154).
pub fn variance(data: &[f64]) -> f64 {
    variance_about(data, mean(data))
}

/// Sample variance about a known mean `m` (corrected two-pass: the second sum cancels the
/// error of `m`), summed scaled by a power of two.
pub fn variance_about(data: &[f64], m: f64) -> f64 {
    let n = data.len() as f64;
    let t = scale_for(max_abs(data).max(m.abs()));
    let (mut ss, mut sum) = (0.0, 0.0);
    for v in data {
        let d = v * t - m * t;
        ss += d * d;
        sum += d;
    }
    let root = ((ss - sum * sum / n).max(0.0) / (n - 1.0)).sqrt() / t;
    root * root
}

/// Median of data (copied and sorted).
pub fn median(data: &[f64]) -> f64 {
    let mut v = data.to_vec();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, 0.5)
}

/// Type-7 quantiles (R's and NumPy's default) of unsorted data, one per probability.
pub fn quantiles(data: &[f64], probs: &[f64]) -> Result<Vec<f64>, StatsError> {
    if data.is_empty() {
        return Err(StatsError::TooFew {
            what: "quantiles",
            needed: 1,
            got: 0,
        });
    }
    check_finite("quantiles", data)?;
    let mut v = data.to_vec();
    v.sort_by(f64::total_cmp);
    probs
        .iter()
        .map(|&q| {
            if (0.0..=1.0).contains(&q) {
                Ok(quantile_sorted(&v, q))
            } else {
                Err(StatsError::OutOfRange {
                    name: "quantile probability",
                    range: "[0, 1]",
                    value: q,
                })
            }
        })
        .collect()
}

/// Student's t confidence interval of the mean from summary figures.
pub fn t_interval(mean: f64, sd: f64, n: usize, confidence: f64) -> Interval {
    if n < 2 {
        return Interval::degenerate(mean, confidence);
    }
    let half = t_quantile(0.5 + confidence / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt();
    Interval {
        point: mean,
        low: mean - half,
        high: mean + half,
        confidence,
        method: CiMethod::T,
    }
}

/// Describe one sample. Needs at least one finite value; with a single value the spread is
/// NaN and the interval degenerate.
pub fn describe(data: &[f64], confidence: f64) -> Result<Describe, StatsError> {
    check_confidence(confidence)?;
    if data.is_empty() {
        return Err(StatsError::TooFew {
            what: "describe",
            needed: 1,
            got: 0,
        });
    }
    check_finite("describe", data)?;
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Scaled by a power of two: sums and deviations of values near 1e308 do not overflow.
    let s = common_scale(&[data]);
    let med = quantile_sorted(&sorted, 0.5);
    let mut dev: Vec<f64> = sorted.iter().map(|v| (v * s - med * s).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let order = Order {
        min: sorted[0],
        max: sorted[sorted.len() - 1],
        median: med,
        mad: quantile_sorted(&dev, 0.5) / s,
        q1: quantile_sorted(&sorted, 0.25),
        q3: quantile_sorted(&sorted, 0.75),
    };
    describe_of(&Moments::of(data, s), s, &order, confidence)
}

/// The figures of a sample that need its values in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Order {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median (type-7 quantile 0.5).
    pub median: f64,
    /// Median absolute deviation from the median, unscaled: the median of
    /// `|v s - median s| / s` with `s = scale_for(max |v|)`.
    pub mad: f64,
    /// First quartile (type-7 quantile 0.25).
    pub q1: f64,
    /// Third quartile (type-7 quantile 0.75).
    pub q3: f64,
}

/// Describe one sample from its moments in the power-of-two scale `s` (see
/// [`crate::stats::running::Running`]) and its order statistics: the same figures whether
/// the values were held in memory or streamed.
pub fn describe_of(
    moments: &Moments,
    s: f64,
    order: &Order,
    confidence: f64,
) -> Result<Describe, StatsError> {
    check_confidence(confidence)?;
    let n = moments.n;
    if n == 0 {
        return Err(StatsError::TooFew {
            what: "describe",
            needed: 1,
            got: 0,
        });
    }
    let m = moments.centre() / s;
    let (variance, sd) = if n > 1 {
        let sd = moments.sd / s;
        (sd * sd, sd)
    } else {
        (f64::NAN, f64::NAN)
    };
    let mean_ci = t_interval(m, sd, n, confidence);
    let figures = [m, sd, order.mad, mean_ci.low, mean_ci.high];
    if n > 1 && !figures.iter().all(|v| v.is_finite()) {
        return Err(StatsError::Overflow { what: "describe" });
    }
    Ok(Describe {
        n,
        mean: m,
        variance,
        sd,
        se: sd / (n as f64).sqrt(),
        min: order.min,
        max: order.max,
        median: order.median,
        mad: order.mad,
        mad_scaled: order.mad * MAD_NORMAL_SCALE,
        q1: order.q1,
        q3: order.q3,
        mean_ci,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sample_by_hand() {
        let d = describe(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], 0.95).unwrap();
        assert_eq!(d.n, 8);
        assert_eq!(d.mean, 5.0);
        assert!((d.variance - 32.0 / 7.0).abs() < 1e-14);
        assert_eq!(d.median, 4.5);
        assert_eq!(d.mad, 0.5);
        assert!(d.mean_ci.low < 5.0 && d.mean_ci.high > 5.0);
        assert_eq!(d.mean_ci.method, CiMethod::T);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(describe(&[], 0.95).is_err());
        assert!(describe(&[1.0, f64::NAN], 0.95).is_err());
        assert!(describe(&[1.0, 2.0], 1.5).is_err());
        let one = describe(&[3.0], 0.95).unwrap();
        assert!(one.sd.is_nan());
        assert_eq!(one.mean_ci.method, CiMethod::Degenerate);
    }

    #[test]
    fn values_near_the_top_of_f64() {
        let d = describe(&[1e200, -1e200], 0.95).unwrap();
        assert_eq!(d.mean, 0.0);
        assert!((d.sd / (2f64.sqrt() * 1e200) - 1.0).abs() < 1e-15);
        assert_eq!(d.mad, 1e200);
        assert!(d.mean_ci.low.is_finite() && d.mean_ci.high.is_finite());
        let d = describe(&[1.7e308, 1.6e308, 1.65e308], 0.95).unwrap();
        assert!((d.mean - 1.65e308).abs() < 1e293 && d.sd.is_finite());
        assert_eq!(d.median, 1.65e308);
        // Half an interval of +-1.7e308 data is beyond f64.
        assert_eq!(
            describe(&[1.7e308, -1.7e308], 0.95),
            Err(StatsError::Overflow { what: "describe" })
        );
        assert_eq!(mean(&[1.7e308, 1.7e308]), 1.7e308);
        assert!((variance(&[3e150, -3e150]) - 1.8e301).abs() < 1e287);
    }

    #[test]
    fn mean_is_accurate_with_a_large_offset() {
        let data: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 7) as f64).collect();
        let exact = 1e9 + (0..1000).map(|i| (i % 7) as f64).sum::<f64>() / 1000.0;
        assert!((mean(&data) - exact).abs() < 1e-6);
    }
}
