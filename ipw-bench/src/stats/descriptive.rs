//! Descriptive statistics of one sample: location, spread, quantiles and the t interval.

use super::bootstrap::{quantile_sorted, CiMethod, Interval};
use super::dist::t_quantile;
use super::error::{check_confidence, check_finite, StatsError};
use serde::{Deserialize, Serialize};

/// Consistency constant that makes the MAD estimate the SD of normal data:
/// `1 / Phi^-1(3/4)`, the 1.4826 of the literature to full precision.
pub const MAD_NORMAL_SCALE: f64 = 1.482_602_218_505_602;

/// A summary of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Describe {
    pub n: usize,
    pub mean: f64,
    /// Sample variance with the `n - 1` denominator.
    pub variance: f64,
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)`.
    pub se: f64,
    pub min: f64,
    pub max: f64,
    pub median: f64,
    /// Median absolute deviation from the median, unscaled.
    pub mad: f64,
    /// `mad * MAD_NORMAL_SCALE`: a robust estimate of the SD.
    pub mad_scaled: f64,
    pub q1: f64,
    pub q3: f64,
    /// Student's t interval of the mean.
    pub mean_ci: Interval,
}

/// Arithmetic mean, with a second pass that removes most of the rounding error of the first.
pub fn mean(data: &[f64]) -> f64 {
    let n = data.len() as f64;
    let m = data.iter().sum::<f64>() / n;
    m + data.iter().map(|v| v - m).sum::<f64>() / n
}

/// Sample variance (`n - 1` denominator), by the corrected two-pass algorithm.
pub fn variance(data: &[f64]) -> f64 {
    variance_about(data, mean(data))
}

/// Sample variance about a known mean `m` (corrected two-pass: the second sum cancels the
/// error of `m`).
pub fn variance_about(data: &[f64], m: f64) -> f64 {
    let n = data.len() as f64;
    let (mut ss, mut s) = (0.0, 0.0);
    for v in data {
        let d = v - m;
        ss += d * d;
        s += d;
    }
    (ss - s * s / n) / (n - 1.0)
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
    let n = data.len();
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    let m = mean(data);
    let (variance, sd) = if n > 1 {
        let v = variance_about(data, m).max(0.0);
        (v, v.sqrt())
    } else {
        (f64::NAN, f64::NAN)
    };
    let med = quantile_sorted(&sorted, 0.5);
    let mut dev: Vec<f64> = sorted.iter().map(|v| (v - med).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let mad = quantile_sorted(&dev, 0.5);
    Ok(Describe {
        n,
        mean: m,
        variance,
        sd,
        se: sd / (n as f64).sqrt(),
        min: sorted[0],
        max: sorted[n - 1],
        median: med,
        mad,
        mad_scaled: mad * MAD_NORMAL_SCALE,
        q1: quantile_sorted(&sorted, 0.25),
        q3: quantile_sorted(&sorted, 0.75),
        mean_ci: t_interval(m, sd, n, confidence),
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
    fn mean_is_accurate_with_a_large_offset() {
        let data: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 7) as f64).collect();
        let exact = 1e9 + (0..1000).map(|i| (i % 7) as f64).sum::<f64>() / 1000.0;
        assert!((mean(&data) - exact).abs() < 1e-6);
    }
}
