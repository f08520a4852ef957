//! Shapiro-Wilk test of normality (Royston's AS R94 approximation, 3 to 5000 observations).
//!
//! Royston (1995) approximates the Shapiro-Wilk coefficients from normal scores, with
//! polynomial corrections in `1/sqrt(n)` for the two most extreme ones, and maps `W` to
//! a normal deviate with polynomial fits for its location and scale (separately for
//! `n <= 11` and `n >= 12`). The normal scores come from the approximation the published
//! algorithm uses (Beasley and Springer's AS 111), so `W` agrees with the published
//! algorithm and with SciPy to about 1e-15 rather than 1e-9.

use super::groups::GroupsError;
use super::scale::{max_abs, scale_for};
use serde::{Deserialize, Serialize};
use statrs::function::erf::erfc;

/// The largest sample for which the approximation of the p-value was fitted.
pub const SHAPIRO_MAX_N: usize = 5000;

/// Result of a Shapiro-Wilk test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapiroWilk {
    /// Observations.
    pub n: usize,
    /// The W statistic, in (0, 1]; values near 1 are consistent with normality.
    pub w: f64,
    /// Probability of a W this small under normality. Reported as 0 when W is below the
    /// range the approximation covers (only possible for `n <= 11`).
    pub p_value: f64,
}

// Polynomial coefficients of AS R94, lowest order first.
const C1: [f64; 6] = [0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056];
const C2: [f64; 6] = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3: [f64; 4] = [0.5440, -0.39978, 0.025054, -6.714e-4];
const C4: [f64; 4] = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5: [f64; 4] = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6: [f64; 3] = [-0.4803, -0.082676, 0.0030302];
const GAMMA: [f64; 2] = [-2.273, 0.459];

/// Shapiro-Wilk test of `data` (3 to 5000 finite values, not all equal).
///
/// ```
/// use ipw_bench::stats::shapiro::shapiro_wilk;
/// let t = shapiro_wilk(&[2.1, 3.4, 1.9, 5.6, 2.2, 2.8, 3.1, 9.0]).unwrap();
/// assert!(t.w < 1.0);
/// assert!(t.p_value < 0.05);
/// ```
pub fn shapiro_wilk(data: &[f64]) -> Result<ShapiroWilk, GroupsError> {
    let n = data.len();
    if n < 3 {
        return Err(GroupsError::TooFewObservations {
            group: 0,
            found: n,
            needed: 3,
        });
    }
    if n > SHAPIRO_MAX_N {
        return Err(GroupsError::TooManyObservations {
            found: n,
            max: SHAPIRO_MAX_N,
        });
    }
    if let Some((index, &value)) = data.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(GroupsError::NonFinite {
            group: 0,
            index,
            value,
        });
    }
    // W does not depend on the scale; a power of two keeps values near 1e308 in range.
    let scale = scale_for(max_abs(data));
    let mut x: Vec<f64> = data.iter().map(|v| v * scale).collect();
    x.sort_unstable_by(f64::total_cmp);
    let range = x[n - 1] - x[0];
    if range <= 0.0 {
        return Err(GroupsError::ZeroVariance);
    }
    // Centred and divided by the range, so neither a large offset nor a large scale
    // costs digits in the sums of squares.
    let mean = x.iter().sum::<f64>() / n as f64;
    for v in &mut x {
        *v = (*v - mean) / range;
    }

    let half = coefficients(n);
    let (mut sax, mut ssa) = (0.0, 0.0);
    for (i, a) in half.iter().enumerate() {
        sax += a * (x[n - 1 - i] - x[i]);
        ssa += 2.0 * a * a;
    }
    let ssx: f64 = x.iter().map(|v| v * v).sum();
    // 1 - W in a factored form that keeps its digits when W is close to 1.
    let root = (ssa * ssx).sqrt();
    let one_minus_w = ((root - sax) * (root + sax) / (ssa * ssx)).max(0.0);
    let w = 1.0 - one_minus_w;
    Ok(ShapiroWilk {
        n,
        w,
        p_value: p_value(n, w, one_minus_w),
    })
}

/// The coefficients for the upper half of the order statistics, largest first: the test
/// statistic's numerator is `sum a_i (x_(n+1-i) - x_(i))`.
fn coefficients(n: usize) -> Vec<f64> {
    let half = n / 2;
    if n == 3 {
        return vec![std::f64::consts::FRAC_1_SQRT_2];
    }
    let an = n as f64;
    // Normal scores of the lower half (negative), smallest first.
    let m: Vec<f64> = (1..=half)
        .map(|i| normal_score((i as f64 - 0.375) / (an + 0.25)))
        .collect();
    let summ2 = 2.0 * m.iter().map(|v| v * v).sum::<f64>();
    let ssumm2 = summ2.sqrt();
    let rsn = 1.0 / an.sqrt();
    let a1 = poly(&C1, rsn) - m[0] / ssumm2;
    let mut a = vec![0.0; half];
    a[0] = a1;
    let first_scaled = if n > 5 {
        let a2 = -m[1] / ssumm2 + poly(&C2, rsn);
        let fac = ((summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1])
            / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2))
            .sqrt();
        a[1] = a2;
        (2, fac)
    } else {
        let fac = ((summ2 - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1)).sqrt();
        (1, fac)
    };
    let (start, fac) = first_scaled;
    for i in start..half {
        a[i] = -m[i] / fac;
    }
    a
}

/// Royston's normalising transformation of W to an upper-tail normal probability.
fn p_value(n: usize, w: f64, one_minus_w: f64) -> f64 {
    if n == 3 {
        // Exact for n = 3: W is at least 3/4 and p = 1 - (6/pi) acos(sqrt(W)).
        if w < 0.75 {
            return 0.0;
        }
        return (1.0 - 6.0 / std::f64::consts::PI * w.sqrt().acos()).clamp(0.0, 1.0);
    }
    let an = n as f64;
    let mut y = one_minus_w.ln();
    let (m, s) = if n <= 11 {
        let gamma = poly(&GAMMA, an);
        if y >= gamma {
            return 0.0;
        }
        y = -(gamma - y).ln();
        (poly(&C3, an), poly(&C4, an).exp())
    } else {
        let ln_n = an.ln();
        (poly(&C5, ln_n), poly(&C6, ln_n).exp())
    };
    0.5 * erfc((y - m) / s * std::f64::consts::FRAC_1_SQRT_2)
}

fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, ci| acc * x + ci)
}

/// Normal quantile by Beasley and Springer's AS 111 (about 7 significant digits): the one
/// AS R94 is defined with, kept so W matches the published algorithm.
fn normal_score(p: f64) -> f64 {
    const A: [f64; 4] = [
        2.50662823884,
        -18.61500062529,
        41.39119773534,
        -25.44106049637,
    ];
    const B: [f64; 4] = [
        -8.47351093090,
        23.08336743743,
        -21.06224101826,
        3.13082909833,
    ];
    const C: [f64; 4] = [-2.78718931138, -2.29796479134, 4.85014127135, 2.32121276858];
    const D: [f64; 2] = [3.54388924762, 1.63706781897];
    let q = p - 0.5;
    if q.abs() <= 0.42 {
        let r = q * q;
        let num = ((A[3] * r + A[2]) * r + A[1]) * r + A[0];
        let den = (((B[3] * r + B[2]) * r + B[1]) * r + B[0]) * r + 1.0;
        return q * num / den;
    }
    let tail = if q > 0.0 { 1.0 - p } else { p };
    let r = (-tail.ln()).sqrt();
    let value = (((C[3] * r + C[2]) * r + C[1]) * r + C[0]) / ((D[1] * r + D[0]) * r + 1.0);
    if q < 0.0 {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficients_are_normalised() {
        for n in [4, 5, 6, 11, 12, 50, 999, 5000] {
            let a = coefficients(n);
            let ss: f64 = 2.0 * a.iter().map(|v| v * v).sum::<f64>();
            assert!((ss - 1.0).abs() < 1e-12, "n={n}: {ss}");
            assert!(a.windows(2).all(|p| p[0] >= p[1]), "n={n}: decreasing");
        }
    }

    #[test]
    fn normal_score_is_close_to_the_true_quantile() {
        let true_q = |p: f64| -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
        // The smallest probability the test uses is 0.625 / 5000.25.
        for p in [1.25e-4, 0.01, 0.2, 0.5, 0.7, 0.99] {
            let err = (normal_score(p) - true_q(p)).abs();
            assert!(err < 1e-6, "p={p}: {err}");
        }
    }

    #[test]
    fn three_points_use_the_exact_distribution() {
        // Equally spaced: W = 1, p = 1. Very unequal: W near 3/4, p near 0.
        let even = shapiro_wilk(&[1.0, 2.0, 3.0]).unwrap();
        assert!((even.w - 1.0).abs() < 1e-12 && (even.p_value - 1.0).abs() < 1e-6);
        let skewed = shapiro_wilk(&[0.0, 0.0001, 1.0]).unwrap();
        assert!(skewed.w < 0.751 && skewed.p_value < 0.01);
    }

    #[test]
    fn the_scale_of_the_data_does_not_matter() {
        let x = [1.0, 2.5, 2.9, 4.0, 7.5, 8.0, 13.0];
        let w = shapiro_wilk(&x).unwrap();
        for f in [1e300, 1e-300] {
            let y: Vec<f64> = x.iter().map(|v| v * f).collect();
            let v = shapiro_wilk(&y).unwrap();
            assert!((v.w - w.w).abs() < 1e-12 && (v.p_value - w.p_value).abs() < 1e-10);
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(shapiro_wilk(&[1.0, 2.0]).is_err());
        assert_eq!(shapiro_wilk(&[2.0; 10]), Err(GroupsError::ZeroVariance));
        assert!(shapiro_wilk(&vec![0.0; 5001]).is_err());
        assert!(shapiro_wilk(&[1.0, f64::NAN, 2.0]).is_err());
    }
}
