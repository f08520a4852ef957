//! Count, mean and standard deviation of a sample, safe anywhere in the range of `f64`.
//!
//! Values are first multiplied by a power of two shared by every sample of a test
//! ([`common_scale`]), which is exact, so that values near 1e308 cannot overflow a sum; the
//! spread is then summed in a second power-of-two scale of its own, so that a group with
//! values 1 and 2 next to one with values of 1e200 keeps its variance instead of losing it
//! to underflow. Results are in the shared scale: standard deviations, not variances, since
//! a variance of 1e200-sized data (1e400) is not an `f64`. Wherever nothing overflows or
//! underflows, every figure is the one the plain formulas give, to the last bit or nearly.

use super::scale::{max_abs, scale_for};

/// The power of two that brings the largest magnitude among `samples` near 1.
pub fn common_scale(samples: &[&[f64]]) -> f64 {
    scale_for(samples.iter().map(|s| max_abs(s)).fold(0.0, f64::max))
}

/// One sample in a shared scale `s`: its values times `s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Observations.
    pub n: usize,
    /// The mean of the scaled values, rounded once: `mean + mean_low` is the mean to about
    /// twice the precision, which keeps differences of close means exact.
    pub mean: f64,
    /// What rounding `mean` left out (the corrected two-pass mean's correction).
    pub mean_low: f64,
    /// Standard deviation (`n - 1` denominator) of the scaled values; 0 when `n < 2`.
    pub sd: f64,
    /// Every value is the same: a spread of exactly zero, not one too small to show.
    pub constant: bool,
}

impl Moments {
    /// Moments of `values` times `s` (a power of two, as from [`common_scale`]).
    pub fn of(values: &[f64], s: f64) -> Moments {
        let n = values.len();
        let constant = values.iter().all(|&v| v == values[0]);
        if n == 0 {
            return Moments {
                n,
                mean: f64::NAN,
                mean_low: 0.0,
                sd: 0.0,
                constant,
            };
        }
        let nf = n as f64;
        let mean = values.iter().map(|v| v * s).sum::<f64>() / nf;
        let (mut low, mut widest) = (0.0, 0.0f64);
        for v in values {
            let d = v * s - mean;
            low += d;
            widest = widest.max(d.abs());
        }
        let mean_low = low / nf;
        if n < 2 || constant {
            return Moments {
                n,
                mean,
                mean_low,
                sd: 0.0,
                constant,
            };
        }
        // The deviations in a scale of their own, then back: the corrected two-pass sum of
        // squares, without underflow for a spread far below the shared scale.
        let t = scale_for(widest);
        let (mut ss, mut sum) = (0.0, 0.0);
        for v in values {
            let d = (v * s - mean) * t;
            ss += d * d;
            sum += d;
        }
        let ss = (ss - sum * sum / nf).max(0.0);
        Moments {
            n,
            mean,
            mean_low,
            sd: (ss / (nf - 1.0)).sqrt() / t,
            constant,
        }
    }

    /// `self`'s mean minus `other`'s, with the low parts: exact for close means.
    pub fn minus(&self, other: &Moments) -> f64 {
        (self.mean - other.mean) + (self.mean_low - other.mean_low)
    }

    /// The mean as one number.
    pub fn centre(&self) -> f64 {
        self.mean + self.mean_low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_small_samples_side_by_side() {
        let big = [1e200, -1e200];
        let small = [1.0, 2.0];
        let s = common_scale(&[&big, &small]);
        let (a, b) = (Moments::of(&big, s), Moments::of(&small, s));
        assert_eq!(a.centre() / s, 0.0);
        assert!((b.minus(&a) / s - 1.5).abs() < 1e-15);
        assert!((a.sd / s / 1e200 - 2f64.sqrt()).abs() < 1e-15);
        // The variance 0.5 would underflow in the shared scale; the SD does not.
        assert!(b.sd > 0.0 && !b.constant);
        assert!((b.sd / s - 0.5f64.sqrt()).abs() < 1e-15);
        let near_max = [1.7e308, -1.7e308, 1.6e308];
        let m = Moments::of(&near_max, common_scale(&[&near_max]));
        assert!(m.sd.is_finite() && m.centre().is_finite());
    }

    #[test]
    fn ordinary_data_give_the_plain_figures() {
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let m = Moments::of(&x, 1.0);
        assert_eq!(m.centre(), 5.0);
        assert!((m.sd * m.sd - 32.0 / 7.0).abs() < 1e-14);
        assert!(Moments::of(&[3.0, 3.0], 1.0).constant);
        assert_eq!(Moments::of(&[3.0], 1.0).sd, 0.0);
        // Close means near 1e9: their difference keeps its digits.
        let a = [1e9 + 0.1, 1e9 + 0.2];
        let b = [1e9 + 0.4, 1e9 + 0.6];
        let s = common_scale(&[&a, &b]);
        let exact = ((b[0] - a[0]) + (b[1] - a[1])) / 2.0;
        let got = Moments::of(&b, s).minus(&Moments::of(&a, s)) / s;
        assert!((got - exact).abs() < 1e-12, "{got} vs {exact}");
    }
}
