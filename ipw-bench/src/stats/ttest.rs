//! Two-sample t-tests (Welch, Student, paired) with the mean difference, its interval and
//! effect sizes.

use super::bootstrap::{CiMethod, Interval};
use super::descriptive::{mean, variance_about};
use super::dist::{t_quantile, t_two_sided_p};
use super::error::{check_confidence, check_finite, StatsError};
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
    pub kind: TTestKind,
    pub n1: usize,
    pub n2: usize,
    pub statistic: f64,
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
    let (sa, sb) = (summary(a, "Cohen's d")?, summary(b, "Cohen's d")?);
    Ok((sa.mean - sb.mean) / pooled_variance(&sa, &sb).sqrt())
}

struct Summary {
    n: f64,
    mean: f64,
    var: f64,
}

fn summary(x: &[f64], what: &'static str) -> Result<Summary, StatsError> {
    if x.len() < 2 {
        return Err(StatsError::TooFew {
            what,
            needed: 2,
            got: x.len(),
        });
    }
    check_finite(what, x)?;
    let m = mean(x);
    Ok(Summary {
        n: x.len() as f64,
        mean: m,
        var: variance_about(x, m).max(0.0),
    })
}

fn pooled_variance(a: &Summary, b: &Summary) -> f64 {
    ((a.n - 1.0) * a.var + (b.n - 1.0) * b.var) / (a.n + b.n - 2.0)
}

/// Assembles the result from the difference, its standard error and degrees of freedom.
#[allow(clippy::too_many_arguments)]
fn finish(
    kind: TTestKind,
    n1: usize,
    n2: usize,
    diff: f64,
    se: f64,
    df: f64,
    d: f64,
    confidence: f64,
    what: &'static str,
) -> Result<TTest, StatsError> {
    if se.is_nan() || se <= 0.0 {
        return Err(StatsError::ZeroVariance { what });
    }
    let statistic = diff / se;
    let half = t_quantile(0.5 + confidence / 2.0, df) * se;
    let j_df = match kind {
        TTestKind::Paired => (n1 - 1) as f64,
        _ => (n1 + n2 - 2) as f64,
    };
    Ok(TTest {
        kind,
        n1,
        n2,
        statistic,
        df,
        p_value: t_two_sided_p(statistic, df),
        mean_difference: diff,
        se,
        ci: Interval {
            point: diff,
            low: diff - half,
            high: diff + half,
            confidence,
            method: CiMethod::T,
        },
        cohens_d: d,
        hedges_g: d * hedges_correction(j_df, true),
    })
}

/// Welch's t-test (unequal variances).
pub fn welch_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    let (sa, sb) = (summary(a, "Welch's t-test")?, summary(b, "Welch's t-test")?);
    let (va, vb) = (sa.var / sa.n, sb.var / sb.n);
    let se2 = va + vb;
    let df = se2 * se2 / (va * va / (sa.n - 1.0) + vb * vb / (sb.n - 1.0));
    let d = (sa.mean - sb.mean) / pooled_variance(&sa, &sb).sqrt();
    finish(
        TTestKind::Welch,
        a.len(),
        b.len(),
        sa.mean - sb.mean,
        se2.sqrt(),
        df,
        d,
        confidence,
        "Welch's t-test",
    )
}

/// Student's t-test (equal variances, pooled).
pub fn student_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    let (sa, sb) = (
        summary(a, "Student's t-test")?,
        summary(b, "Student's t-test")?,
    );
    let sp2 = pooled_variance(&sa, &sb);
    let se = (sp2 * (1.0 / sa.n + 1.0 / sb.n)).sqrt();
    finish(
        TTestKind::Student,
        a.len(),
        b.len(),
        sa.mean - sb.mean,
        se,
        sa.n + sb.n - 2.0,
        (sa.mean - sb.mean) / sp2.sqrt(),
        confidence,
        "Student's t-test",
    )
}

/// Paired t-test on `a_i - b_i`; `a` and `b` must have the same length.
pub fn paired_t_test(a: &[f64], b: &[f64], confidence: f64) -> Result<TTest, StatsError> {
    check_confidence(confidence)?;
    if a.len() != b.len() {
        return Err(StatsError::Unpaired {
            what: "paired t-test",
            left: a.len(),
            right: b.len(),
        });
    }
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let s = summary(&diffs, "paired t-test")?;
    let sd = s.var.sqrt();
    finish(
        TTestKind::Paired,
        a.len(),
        b.len(),
        s.mean,
        sd / s.n.sqrt(),
        s.n - 1.0,
        s.mean / sd,
        confidence,
        "paired t-test",
    )
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
