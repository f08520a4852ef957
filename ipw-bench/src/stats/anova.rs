//! One-way analysis of variance (classic Fisher F test, equal variances assumed).

use super::groups::{prepare, GroupsError, Prepared};
use super::scale::SumSq;
use serde::{Deserialize, Serialize};
use statrs::function::beta::checked_beta_reg;

/// One-way ANOVA table with effect sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anova {
    /// Number of groups `k`.
    pub groups: usize,
    /// Total number of observations `N`.
    pub n_total: usize,
    /// Between-group sum of squares, `sum n_g (mean_g - grand mean)^2`.
    pub ss_between: f64,
    /// Within-group sum of squares, `sum (n_g - 1) s_g^2`.
    pub ss_within: f64,
    /// `ss_between + ss_within`, the sum of squares about the grand mean.
    pub ss_total: f64,
    /// `k - 1`.
    pub df_between: f64,
    /// `N - k`.
    pub df_within: f64,
    /// `ss_between / df_between`.
    pub ms_between: f64,
    /// `ss_within / df_within`, the pooled variance.
    pub ms_within: f64,
    /// Fisher's F statistic, `ms_between / ms_within`.
    pub f: f64,
    /// Upper tail of F(df_between, df_within) at `f`.
    pub p_value: f64,
    /// `ss_between / ss_total`: share of the variation explained by the groups (biased up).
    pub eta_squared: f64,
    /// `(ss_between - df_between * ms_within) / (ss_total + ms_within)`: a less biased
    /// estimate of the explained share; may be negative when the groups explain nothing.
    pub omega_squared: f64,
}

/// One-way ANOVA of `groups` (each needs at least 2 observations).
///
/// ```
/// use ipw_bench::stats::anova::anova;
/// let a = [1.0, 2.0, 3.0];
/// let b = [2.0, 3.0, 4.0];
/// let c = [5.0, 6.0, 7.0];
/// let t = anova(&[&a, &b, &c]).unwrap();
/// assert_eq!(t.df_between, 2.0);
/// assert!((t.f - 13.0).abs() < 1e-12);
/// ```
pub fn anova(groups: &[&[f64]]) -> Result<Anova, GroupsError> {
    anova_of(&prepare(groups, 2)?)
}

/// One-way ANOVA from the groups' summaries: the same figures whether the values were
/// held in memory or streamed.
pub fn anova_of(p: &Prepared) -> Result<Anova, GroupsError> {
    p.require(2)?;
    let k = p.groups.len();
    let n_total: usize = p.groups.iter().map(|g| g.n).sum();
    // Means relative to the first group's, in the shared scale: small and exact.
    let means: Vec<f64> = (0..k).map(|g| p.difference(0, g)).collect();
    let grand = p
        .groups
        .iter()
        .zip(&means)
        .map(|(g, m)| g.n as f64 * m)
        .sum::<f64>()
        / n_total as f64;
    let (mut between, mut within) = (SumSq::default(), SumSq::default());
    for (g, m) in p.groups.iter().zip(&means) {
        between.add(g.n as f64, m - grand);
        within.add((g.n - 1) as f64, g.sd);
    }
    if within.is_zero() {
        return Err(GroupsError::ZeroVariance);
    }
    let df_between = (k - 1) as f64;
    let df_within = (n_total - k) as f64;
    // F and the effect sizes from the ratio of the sums, which exists even where the sums
    // themselves (in squared data units) are beyond f64.
    let r = between.ratio(&within);
    let f = r * df_within / df_between;
    // Sums of squares back in data units.
    let unscaled = |ss: &SumSq| {
        let root = ss.root() / p.scale;
        root * root
    };
    let (ss_between, ss_within) = (unscaled(&between), unscaled(&within));
    let ss_total = ss_between + ss_within;
    let ms_within = ss_within / df_within;
    let table = Anova {
        groups: k,
        n_total,
        ss_between,
        ss_within,
        ss_total,
        df_between,
        df_within,
        ms_between: ss_between / df_between,
        ms_within,
        f,
        p_value: f_sf(f, df_between, df_within),
        eta_squared: 1.0 / (1.0 + 1.0 / r),
        omega_squared: (1.0 - df_between / (df_within * r)) / (1.0 + (1.0 + 1.0 / df_within) / r),
    };
    let numbers = [
        table.ss_total,
        table.ms_between,
        table.ms_within,
        table.f,
        table.p_value,
    ];
    if numbers.iter().all(|v| v.is_finite()) {
        Ok(table)
    } else {
        Err(GroupsError::Overflow)
    }
}

/// Upper tail `P(F > f)` of the F distribution.
///
/// Written through the incomplete beta function of `d2 / (d2 + d1 f)` rather than as
/// `1 - cdf`, so that p-values far below machine epsilon (1e-30) keep their digits.
pub(crate) fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() || d1.is_nan() || d2.is_nan() || d1 <= 0.0 || d2 <= 0.0 {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f.is_infinite() {
        return 0.0;
    }
    let x = d2 / (d2 + d1 * f);
    checked_beta_reg(d2 / 2.0, d1 / 2.0, x).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_example() {
        let t = anova(&[&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0], &[5.0, 6.0, 7.0]]).unwrap();
        let gm: f64 = 11.0 / 3.0;
        let ssb = 3.0 * ((2.0 - gm).powi(2) + (3.0 - gm).powi(2) + (6.0 - gm).powi(2));
        assert!((t.ss_between - ssb).abs() < 1e-12);
        assert!((t.ss_within - 6.0).abs() < 1e-12);
        assert_eq!(t.df_within, 6.0);
        assert!((t.f - (ssb / 2.0) / 1.0).abs() < 1e-12);
        assert!(t.p_value > 0.0 && t.p_value < 0.01);
        assert!((t.eta_squared - ssb / (ssb + 6.0)).abs() < 1e-12);
    }

    #[test]
    fn f_tail_is_accurate_far_out() {
        // F(1, d) = t(d)^2; for d = 2 the t tail is closed form: P(|T| > t) = 1 - t / sqrt(2 + t^2),
        // rearranged below so the reference itself does not cancel.
        let t: f64 = 1e6;
        let r = (2.0 + t * t).sqrt();
        let exact = 2.0 / (r * (r + t));
        let got = f_sf(t * t, 1.0, 2.0);
        assert!((got / exact - 1.0).abs() < 1e-6, "{got} vs {exact}");
        assert_eq!(f_sf(0.0, 2.0, 3.0), 1.0);
        assert_eq!(f_sf(f64::INFINITY, 2.0, 3.0), 0.0);
    }

    #[test]
    fn huge_values_give_the_f_of_scaled_ones_or_an_overflow() {
        let a = [1.0, 2.0, 3.5];
        let b = [2.0, 4.0, 6.0];
        let plain = anova(&[&a, &b]).unwrap();
        let x = 2f64.powi(500);
        let (sa, sb): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|v| v * x).collect(),
            b.iter().map(|v| v * x).collect(),
        );
        let big = anova(&[&sa, &sb]);
        // The F is scale-free; the sums of squares (1e301) would still fit, at 2^600 not.
        assert_eq!(big.as_ref().map(|t| t.f), Ok(plain.f));
        let y = 2f64.powi(600);
        let (ha, hb): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|v| v * y).collect(),
            b.iter().map(|v| v * y).collect(),
        );
        assert_eq!(anova(&[&ha, &hb]), Err(GroupsError::Overflow));
    }

    #[test]
    fn constant_groups_are_an_error() {
        assert_eq!(
            anova(&[&[1.0, 1.0], &[2.0, 2.0]]),
            Err(GroupsError::ZeroVariance)
        );
    }
}
