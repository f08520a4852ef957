//! The seeded paired bootstrap: two variants' values on the same questions, resampled
//! question by question, so that a question's two values are always drawn together.
//!
//! Drawing questions rather than each variant's values on its own keeps what the
//! questions share (a hard question is hard for both) out of the spread: the interval of
//! a paired difference is narrower than the unpaired one whenever the variants' values
//! go up and down together.

use super::bootstrap::{bootstrap_p_value, percentile_interval, Interval};
use super::error::{check_confidence, check_finite, StatsError};
use super::rng::Rng;
use super::scale::{max_abs, scale_for};
use serde::{Deserialize, Serialize};

/// What the paired bootstrap estimates, the second variant against the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairedStatistic {
    /// `mean(second) - mean(first)`, the mean of the per-question differences; null 0.
    MeanDifference,
    /// `mean(second) / mean(first)`, a ratio of sums over the same questions; null 1.
    RatioOfMeans,
}

impl PairedStatistic {
    /// The value of the statistic when the variants do not differ.
    pub fn null(self) -> f64 {
        match self {
            PairedStatistic::MeanDifference => 0.0,
            PairedStatistic::RatioOfMeans => 1.0,
        }
    }
}

/// Result of [`paired_bootstrap`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedBootstrap {
    /// The statistic resampled: mean difference or ratio of means.
    pub statistic: PairedStatistic,
    /// Questions (pairs) resampled.
    pub questions: usize,
    /// The statistic on all questions, with the percentile interval of the replicates.
    pub interval: Interval,
    /// Standard deviation of the replicates: the bootstrap standard error.
    pub se: f64,
    /// Two-sided bootstrap p-value of "the statistic is its null" (see
    /// [`bootstrap_p_value`]): never below `1 / kept`.
    pub p_value: f64,
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples whose statistic is finite (a ratio whose drawn first values sum to 0 is
    /// not), from which the interval, the standard error and the p-value come.
    pub kept: usize,
}

/// The seeded percentile bootstrap of `statistic` over paired values: question `i` of
/// `first` with question `i` of `second`. Each of `resamples` resamples draws `n`
/// question indices with replacement and evaluates the statistic on both variants' values
/// of those questions. The same data and seed give the same result on every machine.
///
/// Values whose sums would overflow (near 1e308) are resampled scaled by one power of
/// two, which changes no digit of a ratio and only the exponent of a difference.
pub fn paired_bootstrap(
    first: &[f64],
    second: &[f64],
    statistic: PairedStatistic,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Result<PairedBootstrap, StatsError> {
    const WHAT: &str = "paired bootstrap";
    check_confidence(confidence)?;
    if first.len() != second.len() {
        return Err(StatsError::Unpaired {
            what: WHAT,
            left: first.len(),
            right: second.len(),
        });
    }
    let n = first.len();
    if n < 2 {
        return Err(StatsError::TooFew {
            what: WHAT,
            needed: 2,
            got: n,
        });
    }
    if resamples < 2 {
        return Err(StatsError::TooFew {
            what: "paired bootstrap resamples",
            needed: 2,
            got: resamples,
        });
    }
    check_finite(WHAT, first)?;
    check_finite(WHAT, second)?;
    let big = max_abs(first).max(max_abs(second));
    // Sums of differences reach 2 n big.
    let s = if big * n as f64 <= f64::MAX / 4.0 {
        1.0
    } else {
        scale_for(big)
    };
    let x: Vec<f64> = first.iter().map(|v| v * s).collect();
    let y: Vec<f64> = second.iter().map(|v| v * s).collect();
    let d: Vec<f64> = y.iter().zip(&x).map(|(b, a)| b - a).collect();
    let value = |idx: &mut dyn Iterator<Item = usize>| match statistic {
        PairedStatistic::MeanDifference => idx.map(|i| d[i]).sum::<f64>() / n as f64 / s,
        PairedStatistic::RatioOfMeans => {
            let (sa, sb) = idx.fold((0.0, 0.0), |(sa, sb), i| (sa + x[i], sb + y[i]));
            sb / sa
        }
    };
    let point = value(&mut (0..n));
    if !point.is_finite() {
        return Err(StatsError::Invalid(match statistic {
            PairedStatistic::RatioOfMeans => "ratio of means: the first variant's values sum \
                to 0, so the ratio is undefined; compare the mean difference instead"
                .into(),
            PairedStatistic::MeanDifference => "mean difference: the result overflows f64; \
                rescale the values, e.g. to kJ or MJ"
                .into(),
        }));
    }
    let mut rng = Rng::new(seed);
    let replicates: Vec<f64> = (0..resamples)
        .map(|_| value(&mut (0..n).map(|_| rng.below(n))))
        .filter(|r| r.is_finite())
        .collect();
    let kept = replicates.len();
    if kept < 2 {
        return Err(StatsError::Invalid(format!(
            "{WHAT}: only {kept} of {resamples} resamples give a finite statistic; \
             the first variant's values are almost all 0"
        )));
    }
    let mean = replicates.iter().sum::<f64>() / kept as f64;
    let var = replicates.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (kept - 1) as f64;
    let p_value = bootstrap_p_value(&replicates, statistic.null());
    Ok(PairedBootstrap {
        statistic,
        questions: n,
        interval: percentile_interval(replicates, point, confidence),
        se: var.sqrt(),
        p_value,
        resamples,
        kept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` paired values: a shared question effect plus each variant's own noise, the
    /// second `shift` higher.
    fn pairs(n: usize, shift: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = Rng::new(seed);
        (0..n)
            .map(|_| {
                let q = 10.0 * rng.next_f64();
                (q + rng.next_f64(), q + rng.next_f64() + shift)
            })
            .unzip()
    }

    #[test]
    fn the_standard_error_approaches_the_plug_in_one() {
        // The bootstrap distribution of a mean of n draws has variance
        // sum (d_i - mean d)^2 / n^2 = sd(d)^2 / n * (n - 1) / n.
        let (a, b) = pairs(40, 0.3, 7);
        let r = paired_bootstrap(&a, &b, PairedStatistic::MeanDifference, 40_000, 0.95, 1)
            .expect("bootstrap");
        let n = a.len() as f64;
        let d: Vec<f64> = b.iter().zip(&a).map(|(y, x)| y - x).collect();
        let m = d.iter().sum::<f64>() / n;
        let sd = (d.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let want = sd / n.sqrt() * ((n - 1.0) / n).sqrt();
        assert!((r.se / want - 1.0).abs() < 0.02, "{} vs {want}", r.se);
        assert!((r.interval.point - m).abs() < 1e-12);
        assert!(r.interval.low < m && m < r.interval.high);
        assert_eq!(r.kept, 40_000);
    }

    #[test]
    fn a_constant_shift_or_scale_is_every_replicate() {
        let a = [1.0, 2.0, 4.0, 8.0];
        let shifted: Vec<f64> = a.iter().map(|v| v + 0.5).collect();
        let r =
            paired_bootstrap(&a, &shifted, PairedStatistic::MeanDifference, 200, 0.95, 3).unwrap();
        assert_eq!((r.interval.low, r.interval.high), (0.5, 0.5));
        // Every replicate lies above the null: the smallest p-value 200 resamples show.
        assert_eq!(r.p_value, 1.0 / 200.0);
        let doubled: Vec<f64> = a.iter().map(|v| v * 2.0).collect();
        let r =
            paired_bootstrap(&a, &doubled, PairedStatistic::RatioOfMeans, 200, 0.95, 3).unwrap();
        assert_eq!(
            (r.interval.point, r.interval.low, r.interval.high),
            (2.0, 2.0, 2.0)
        );
        assert_eq!(r.se, 0.0);
    }

    #[test]
    fn seeded_and_scale_free() {
        let (a, b) = pairs(25, 0.1, 9);
        let one = |seed| {
            paired_bootstrap(&a, &b, PairedStatistic::RatioOfMeans, 500, 0.95, seed).unwrap()
        };
        assert_eq!(one(5), one(5));
        assert_ne!(one(5).interval, one(6).interval);
        // Near 1e308 the sums would overflow; the result is the same, scaled.
        let k = 2f64.powi(1015);
        let (ak, bk): (Vec<f64>, Vec<f64>) = a.iter().zip(&b).map(|(x, y)| (x * k, y * k)).unzip();
        let small = paired_bootstrap(&a, &b, PairedStatistic::MeanDifference, 300, 0.9, 2);
        let large = paired_bootstrap(&ak, &bk, PairedStatistic::MeanDifference, 300, 0.9, 2);
        let (small, large) = (small.unwrap(), large.unwrap());
        assert_eq!(large.interval.point, small.interval.point * k);
        assert_eq!(large.interval.low, small.interval.low * k);
        assert_eq!(large.p_value, small.p_value);
    }

    #[test]
    fn bad_input_is_an_error() {
        let s = PairedStatistic::RatioOfMeans;
        assert!(paired_bootstrap(&[1.0, 2.0], &[1.0], s, 100, 0.95, 1).is_err());
        assert!(paired_bootstrap(&[1.0], &[1.0], s, 100, 0.95, 1).is_err());
        assert!(paired_bootstrap(&[1.0, 2.0], &[1.0, 2.0], s, 1, 0.95, 1).is_err());
        assert!(paired_bootstrap(&[1.0, f64::NAN], &[1.0, 2.0], s, 100, 0.95, 1).is_err());
        let e = paired_bootstrap(&[0.0, 0.0], &[1.0, 2.0], s, 100, 0.95, 1).unwrap_err();
        assert!(e.to_string().contains("sum to 0"), "{e}");
    }
}
