//! Distribution helpers over `statrs`: tail probabilities and quantiles to full precision.
//!
//! `statrs` supplies the t, chi-square and F distributions; quantiles of the t distribution
//! are polished by Newton steps here because its inverse incomplete beta is only accurate to
//! about 1e-9, and reference agreement is checked at 1e-9 relative. The normal distribution
//! is computed here: `statrs` 0.19's `erf`/`erfc` are off by up to about 5e-11 (erf(0.5)),
//! which shows in z-based p-values and in the noncentral t.

use statrs::distribution::{
    ChiSquared, Continuous, ContinuousCDF, FisherSnedecor, Normal, StudentsT,
};

/// `erfc(x)` for `x >= 0`, to a few units in the last place.
///
/// Below 2: `erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1))`, a series
/// of positive terms (no cancellation), and `erfc = 1 - erf`. From 2 on, where `1 - erf`
/// would lose relative precision: the continued fraction
/// `erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))`, by Lentz.
fn erfc_nonneg(x: f64) -> f64 {
    const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;
    if x < 2.0 {
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        let mut k = 1.0;
        while term > sum * 1e-17 {
            term *= 2.0 * x2 / (2.0 * k + 1.0);
            sum += term;
            k += 1.0;
        }
        1.0 - 2.0 * FRAC_1_SQRT_PI * (-x2).exp() * sum
    } else if x > 27.3 {
        0.0
    } else {
        // Modified Lentz for b0 + a1/(b1 + a2/(b2 + ...)) with b = x, a_k = k/2.
        let tiny = 1e-300;
        let mut f = x;
        let mut c = x;
        let mut d = 0.0;
        for k in 1..500 {
            let a = k as f64 / 2.0;
            d = x + a * d;
            if d.abs() < tiny {
                d = tiny;
            }
            c = x + a / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        FRAC_1_SQRT_PI * (-x * x).exp() / f
    }
}

/// Upper tail `P(Z > z)` of the standard normal, with full relative precision in the tail.
pub fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let e = erfc_nonneg(z.abs() * std::f64::consts::FRAC_1_SQRT_2);
    if z >= 0.0 {
        0.5 * e
    } else {
        1.0 - 0.5 * e
    }
}

/// Lower tail `P(Z <= z)` of the standard normal.
pub fn normal_cdf(z: f64) -> f64 {
    normal_sf(-z)
}

/// Standard normal density.
fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The `p`-quantile of the standard normal: `statrs`'s estimate, polished by Newton steps
/// on the tail probability with our `normal_cdf`.
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    let (q, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    let mut x = Normal::standard().inverse_cdf(q);
    for _ in 0..6 {
        let density = normal_pdf(x);
        if density.is_nan() || density <= 0.0 {
            break;
        }
        let step = (normal_cdf(x) - q) / density;
        x -= step;
        if step.abs() <= 1e-16 * x.abs() {
            break;
        }
    }
    -sign * x
}

/// `None` when `df` is not a valid number of degrees of freedom; callers then return NaN
/// rather than panic, since degrees of freedom come from user data.
fn students_t(df: f64) -> Option<StudentsT> {
    StudentsT::new(0.0, 1.0, df).ok()
}

/// Two-sided p-value of a t statistic: `2 P(T > |t|)`, accurate deep into the tail.
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    students_t(df).map_or(f64::NAN, |d| (2.0 * d.sf(t.abs())).min(1.0))
}

/// Upper tail `P(T > t)`.
pub fn t_sf(t: f64, df: f64) -> f64 {
    students_t(df).map_or(f64::NAN, |d| d.sf(t))
}

/// Lower tail `P(T <= t)`.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    students_t(df).map_or(f64::NAN, |d| d.cdf(t))
}

/// The `p`-quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let Some(dist) = students_t(df) else {
        return f64::NAN;
    };
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    // Work in the lower tail, where cdf keeps its relative precision, and mirror.
    let (q, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    let mut x = dist.inverse_cdf(q);
    // Newton on ln cdf: in the heavy lower tail ln cdf is close to linear in ln|x|, so the
    // steps stay relative and do not overshoot as plain Newton on the cdf can.
    let target = q.ln();
    for _ in 0..30 {
        let (cdf, density) = (dist.cdf(x), dist.pdf(x));
        if !(density > 0.0 && cdf > 0.0 && x.is_finite()) {
            break;
        }
        let step = (cdf.ln() - target) * cdf / density;
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1e-300) {
            break;
        }
    }
    -sign * x
}

/// Upper tail of chi-square with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

/// Upper tail of F with `(d1, d2)` degrees of freedom.
pub fn f_sf(x: f64, d1: f64, d2: f64) -> f64 {
    match FisherSnedecor::new(d1, d2) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_inverts_cdf() {
        for &df in &[1.0, 2.0, 3.5, 10.0, 100.0, 1e5] {
            for &p in &[1e-6, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999] {
                let x = t_quantile(p, df);
                let back = t_cdf(x, df);
                assert!(
                    (back - p).abs() <= 1e-11 * p.min(1.0 - p),
                    "df {df} p {p}: {back}"
                );
            }
        }
        // df = 1 is the Cauchy distribution: quantile tan(pi (p - 1/2)).
        for &p in &[0.001, 0.01, 0.2, 0.9] {
            let want = (std::f64::consts::PI * (p - 0.5)).tan();
            assert!(
                (t_quantile(p, 1.0) - want).abs() <= 1e-10 * want.abs(),
                "p {p}"
            );
        }
        // Known value: t_{0.975, 10} = 2.228138851986274.
        assert!((t_quantile(0.975, 10.0) - 2.228_138_851_986_274).abs() < 1e-13);
    }

    #[test]
    fn normal_matches_known_values() {
        // Phi(1), Phi(-3), upper tail at 10, at 0.5 (where statrs's erf is off by 5e-11).
        assert!((normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-16);
        assert!((normal_cdf(-3.0) / 1.349_898_031_630_093_3e-3 - 1.0).abs() < 1e-14);
        assert!((normal_sf(10.0) / 7.619_853_024_160_47e-24 - 1.0).abs() < 1e-13);
        assert!((normal_sf(0.5) - 0.308_537_538_725_986_9).abs() < 1e-16);
        // Below |z| = 2.83 the tail is 1 - erf, good to about 1e-16 absolute: a few ulps here.
        let q = normal_quantile(0.975);
        assert!((q - 1.959_963_984_540_054).abs() < 4e-15, "{q:e}");
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-12);
    }

    #[test]
    fn tails_are_symmetric() {
        assert!((t_two_sided_p(2.0, 5.0) - t_two_sided_p(-2.0, 5.0)).abs() < 1e-16);
        assert_eq!(t_two_sided_p(0.0, 5.0), 1.0);
        assert!(normal_sf(10.0) > 0.0 && normal_sf(10.0) < 1e-22);
    }
}
