//! Two-sample t-tests (Welch, Student, paired) with the mean difference, its interval and
//! effect sizes.

use super::bootstrap::{CiMethod, Interval};
use super::dist::{t_quantile, t_two_sided_p};
use super::error::{check_confidence, check_finite, StatsError};
use super::moments::{common_scale, Moments};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

/// Which t-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TTestKind {
    /// Unequal variances, Welch-Satterthwaite degrees of freedom (the default).
    #[default]
    Welch,
    /// Equal variances, pooled SD, `n1 + n2 - 2` degrees of freedom.
    Student,
    /// Paired observations: a one-sample test of the differences `a_i - b_i`.
    Paired,
}

/// Result of a two-sample t-test. Differences are always first sample minus second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    /// Welch, Student or paired.
    pub kind: TTestKind,
    /// Observations in the first sample (pairs, for a paired test).
    pub n1: usize,
    /// Observations in the second sample (pairs, for a paired test).
    pub n2: usize,
    /// The t statistic, `mean_difference / se`.
    pub statistic: f64,
    /// Degrees of freedom: Welch-Satterthwaite (Welch), `n1 + n2 - 2` (Student) or
    /// `n - 1` (paired).
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `mean(a) - mean(b)` (for paired data, also the mean of the differences).
    pub mean_difference: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// t interval of the difference.
    pub ci: Interval,
    /// Independent samples: `(mean(a) - mean(b)) / pooled SD`. Paired: `d_z`, the mean
    /// difference over the SD of the differences.
    pub cohens_d: f64,
    /// `cohens_d` times the exact small-sample correction [`hedges_correction`].
    pub hedges_g: f64,
}

/// Hedges' small-sample correction `J(m)` for `m` degrees of freedom.
///
/// `exact`: `J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))` (Hedges 1981). Otherwise the
/// usual approximation `1 - 3 / (4m - 1)`, within 0.5% of the exact value for `m >= 4`.
pub fn hedges_correction(m: f64, exact: bool) -> f64 {
    if exact {
        (ln_gamma(m / 2.0) - ln_gamma((m - 1.0) / 2.0)).exp() / (m / 2.0).sqrt()
    } else {
        1.0 - 3.0 / (4.0 * m - 1.0)
    }
}

/// Cohen's d of two independent samples with the pooled SD (`n1 + n2 - 2` denominator).
pub fn cohens_d(a: &[f64], b: &[f64]) -> Result<f64, StatsError> {
    let (sa, sb, _) = two(a, b, "Cohen's d")?;
    Ok(sa.minus(&sb) / pooled_sd(&sa, &sb))
}

/// Both samples checked and summarised in a shared power-of-two scale (returned third), so
/// that neither sums nor squares of values near 1e308 overflow.
fn two(a: &[f64], b: &[f64], what: &'static str) -> Result<(Moments, Moments, f64), StatsError> {
    for x in [a, b] {
        check_sample(x, what)?;
    }
    let s = common_scale(&[a, b]);
    Ok((Moments::of(a, s), Moments::of(b, s), s))
}

fn check_sample(x: &[f64], what: &'static str) -> Result<(), StatsError> {
    if x.len() < 2 {
        return Err(StatsError::TooFew {
            what,
            needed: 2,
            got: x.len(),
        });
    }
    check_finite(what, x)
}

fn check_sizes(a: &Moments, b: &Moments, what: &'static str) -> Result<(), StatsError> {
    match [a.n, b.n].into_iter().find(|&n| n < 2) {
        Some(got) => Err(StatsError::TooFew {
            what,
            needed: 2,
            got,
        }),
        None => Ok(()),
    }
}

/// The pooled SD, from the two SDs (the variances may be beyond `f64`).
fn pooled_sd(a: &Moments, b: &Moments) -> f64 {
    let (na, nb) = (a.n as f64, b.n as f64);
    (a.sd * (na - 1.0).sqrt()).hypot(b.sd * (nb - 1.0).sqrt()) / (na + nb - 2.0).sqrt()
}

/// The difference, its standard error and degrees of freedom of a test, in the scale `s`
/// of its samples.
struct Figures {
    kind: TTestKind,
    n1: usize,
    n2: usize,
    diff: f64,
    se: f64,
    df: f64,
    d: f64,
    scale: f64,
}

/// Assembles the result, the difference and its interval back in data units.
fn finish(f: Figures, confidence: f64, what: &'static str) -> Result<TTest, StatsError> {
    if f.se.is_nan() || f.se <= 0.0 {
        return Err(StatsError::ZeroVariance { what });
    }
    let statistic = f.diff / f.se;
    let half = t_quantile(0.5 + confidence / 2.0, f.df) * f.se;
    let j_df = match f.kind {
        TTestKind::Paired => (f.n1 - 1) as f64,
        _ => (f.n1 + f.n2 - 2) as f64,
    };
    let mean_difference = f.diff / f.scale;
    let result = TTest {
        kind: f.kind,
        n1: f.n1,
        n2: f.n2,
        statistic,
        df: f.df,
        p_value: t_two_sided_p(statistic, f.df),
        mean_difference,
        se: f.se / f.scale,
        ci: Interval {
            point: mean_difference,
            low: (f.diff - half) / f.scale,
            high: (f.diff + half) / f.scale,
            confidence,
            method: CiMethod::T,
        },
        cohens_d: f.d,
        hedges_g: f.d * hedges_correction(j_df, true),
    };
    let figures = [
        result.statistic,
        result.df,
        result.p_value,
        result.mean_difference,
        result.se,
        result.ci.low,
        result.ci.high,
        result.cohens_d,
    ];
    if figures.iter().all(|v| v.is_finite()) {
        Ok(result)
    } else {
        Err(StatsError::Overflow { what })
    }
}

/// Welch's t-test (unequal variances).
pub fn welch_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    on_samples(a, b, confidence, "Welch's t-test", welch_t_test_of)
}

/// Welch's t-test from the two samples' moments in the shared scale `scale` (held in
/// memory or streamed: see [`crate::stats::running::Running`]).
pub fn welch_t_test_of(
    sa: &Moments,
    sb: &Moments,
    scale: f64,
    confidence: f64,
) -> Result<TTest, StatsError> {
    let spread = |sa: &Moments, sb: &Moments| {
        let (ea, eb) = (sa.sd / (sa.n as f64).sqrt(), sb.sd / (sb.n as f64).sqrt());
        let se = ea.hypot(eb);
        // Welch-Satterthwaite from the shares of the squared standard error.
        let (ua, ub) = (ea / se, eb / se);
        let df = 1.0 / (ua.powi(4) / (sa.n - 1) as f64 + ub.powi(4) / (sb.n - 1) as f64);
        (se, df, pooled_sd(sa, sb))
    };
    on_moments(
        TTestKind::Welch,
        "Welch's t-test",
        sa,
        sb,
        scale,
        confidence,
        spread,
    )
}

/// Student's t-test (equal variances, pooled).
pub fn student_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    on_samples(a, b, confidence, "Student's t-test", student_t_test_of)
}

/// Student's t-test from the two samples' moments in the shared scale `scale`.
pub fn student_t_test_of(
    sa: &Moments,
    sb: &Moments,
    scale: f64,
    confidence: f64,
) -> Result<TTest, StatsError> {
    let spread = |sa: &Moments, sb: &Moments| {
        let sp = pooled_sd(sa, sb);
        let (na, nb) = (sa.n as f64, sb.n as f64);
        (sp * (1.0 / na + 1.0 / nb).sqrt(), na + nb - 2.0, sp)
    };
    on_moments(
        TTestKind::Student,
        "Student's t-test",
        sa,
        sb,
        scale,
        confidence,
        spread,
    )
}

/// A two-sample test of `a` and `b`: their moments in a shared scale, handed to `test`.
fn on_samples(
    a: &[f64],
    b: &[f64],
    confidence: f64,
    what: &'static str,
    test: fn(&Moments, &Moments, f64, f64) -> Result<TTest, StatsError>,
) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    let (sa, sb, scale) = two(a, b, what)?;
    test(&sa, &sb, scale, confidence)
}

/// A two-sample test from moments, once checked: `spread` gives the standard error of
/// the difference, the degrees of freedom and the standard deviation Cohen's d divides by.
fn on_moments(
    kind: TTestKind,
    what: &'static str,
    sa: &Moments,
    sb: &Moments,
    scale: f64,
    confidence: f64,
    spread: impl FnOnce(&Moments, &Moments) -> (f64, f64, f64),
) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    check_sizes(sa, sb, what)?;
    let (se, df, sd) = spread(sa, sb);
    let diff = sa.minus(sb);
    let figures = Figures {
        kind,
        n1: sa.n,
        n2: sb.n,
        diff,
        se,
        df,
        d: diff / sd,
        scale,
    };
    finish(figures, confidence, what)
}

/// Paired t-test on `a_i - b_i`; `a` and `b` must have the same length.
pub fn paired_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    let what = "paired t-test";
    if a.len() != b.len() {
        return Err(StatsError::Unpaired {
            what,
            left: a.len(),
            right: b.len(),
        });
    }
    for x in [a, b] {
        check_sample(x, what)?;
    }
    // Differences of scaled values: 1.7e308 - (-1.7e308) does not overflow.
    let scale = common_scale(&[a, b]);
    let diffs: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x * scale - y * scale)
        .collect();
    let m = Moments::of(&diffs, 1.0);
    let n = diffs.len() as f64;
    let figures = Figures {
        kind: TTestKind::Paired,
        n1: a.len(),
        n2: b.len(),
        diff: m.centre(),
        se: m.sd / n.sqrt(),
        df: n - 1.0,
        d: m.centre() / m.sd,
        scale,
    };
    finish(figures, confidence, what)
}

/// Dispatch on `kind`.
pub fn t_test(a: &[f64], b: &[f64], kind: TTestKind, confidence: f64) -> Result<TTest, StatsError> {
    match kind {
        TTestKind::Welch => welch_t_test(a, b, confidence),
        TTestKind::Student => student_t_test(a, b, confidence),
        TTestKind::Paired => paired_t_test(a, b, confidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_sizes_give_equal_welch_and_student_t() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 4.0, 6.0, 8.0, 10.0];
        let w = welch_t_test(&a, &b, 0.95).unwrap();
        let s = student_t_test(&a, &b, 0.95).unwrap();
        assert!((w.statistic - s.statistic).abs() < 1e-12);
        assert!(w.df < s.df);
        assert_eq!(w.mean_difference, -3.0);
        assert!(w.ci.low < -3.0 && w.ci.high > -3.0);
    }

    #[test]
    fn hedges_exact_and_approximate_agree_for_large_df() {
        let e = hedges_correction(50.0, true);
        let a = hedges_correction(50.0, false);
        assert!((e - a).abs() < 1e-4, "{e} {a}");
        // J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1 / sqrt(pi).
        assert!((hedges_correction(2.0, true) - 1.0 / std::f64::consts::PI.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn huge_values_give_scaled_answers_or_an_overflow() {
        let a = [1e200, -1e200, 3e199];
        let b = [1.0, 2.0, 4.0];
        let x = 2f64.powi(-600);
        let (a2, b2): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|v| v * x).collect(),
            b.iter().map(|v| v * x).collect(),
        );
        for kind in [TTestKind::Welch, TTestKind::Student, TTestKind::Paired] {
            let big = t_test(&a, &b, kind, 0.95).unwrap();
            let small = t_test(&a2, &b2, kind, 0.95).unwrap();
            assert_eq!(big.statistic, small.statistic, "{kind:?}");
            assert_eq!(big.mean_difference * x, small.mean_difference, "{kind:?}");
            assert!(
                big.p_value.is_finite() && big.ci.high.is_finite(),
                "{kind:?}"
            );
        }
        let near_max = welch_t_test(&[1.7e308, 1.6e308], &[-1.7e308, -1.6e308], 0.95);
        assert!(
            matches!(near_max, Err(StatsError::Overflow { .. })),
            "{near_max:?}"
        );
    }

    #[test]
    fn errors_are_typed() {
        assert!(matches!(
            welch_t_test(&[1.0], &[1.0, 2.0], 0.95),
            Err(StatsError::TooFew { .. })
        ));
        assert!(matches!(
            welch_t_test(&[1.0, 1.0], &[2.0, 2.0], 0.95),
            Err(StatsError::ZeroVariance { .. })
        ));
        assert!(matches!(
            paired_t_test(&[1.0, 2.0], &[1.0], 0.95),
            Err(StatsError::Unpaired { .. })
        ));
    }
}
