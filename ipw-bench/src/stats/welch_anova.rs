//! Welch's one-way ANOVA: compares k means without assuming equal variances.

use super::anova::f_sf;
use super::groups::{prepare, GroupsError, Prepared};
use super::moments::Moments;
use serde::{Deserialize, Serialize};

/// Welch's F test of equal means (Welch 1951).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelchAnova {
    /// Welch's F statistic.
    pub f: f64,
    /// `k - 1`.
    pub df1: f64,
    /// Welch's approximate denominator degrees of freedom (not an integer in general).
    pub df2: f64,
    /// Upper tail of F(`df1`, `df2`) at `f`.
    pub p_value: f64,
}

/// Welch's ANOVA of `groups`; each needs at least 2 observations and a nonzero variance,
/// since groups are weighted by `n / variance`.
///
/// ```
/// use ipw_bench::stats::welch_anova::welch_anova;
/// let t = welch_anova(&[&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0, 8.0]]).unwrap();
/// assert_eq!(t.df1, 1.0);
/// assert!(t.p_value > 0.05);
/// ```
pub fn welch_anova(groups: &[&[f64]]) -> Result<WelchAnova, GroupsError> {
    welch_anova_of(&prepare(groups, 2)?)
}

/// Welch's ANOVA from the groups' summaries (held in memory or streamed).
pub fn welch_anova_of(p: &Prepared) -> Result<WelchAnova, GroupsError> {
    p.require(2)?;
    if let Some(group) = p.groups.iter().position(|g| g.constant) {
        return Err(GroupsError::ConstantGroup { group });
    }
    let k = p.groups.len() as f64;
    // The weights n / variance relative to the largest one, formed from standard
    // deviations: the variances themselves may be beyond f64 (1e400) or below it.
    let root_weight = |g: &Moments| (g.n as f64).sqrt() / g.sd;
    let top = p.groups.iter().map(root_weight).fold(0.0f64, f64::max);
    let weights: Vec<f64> = p
        .groups
        .iter()
        .map(|g| (root_weight(g) / top).powi(2))
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let means: Vec<f64> = (0..p.groups.len()).map(|g| p.difference(0, g)).collect();
    let weighted_mean = means.iter().zip(&weights).map(|(m, w)| w * m).sum::<f64>() / total_weight;
    let between = means
        .iter()
        .zip(&weights)
        .map(|(m, w)| w * ((m - weighted_mean) * top).powi(2))
        .sum::<f64>()
        / (k - 1.0);
    let lambda: f64 = p
        .groups
        .iter()
        .zip(&weights)
        .map(|(g, w)| (1.0 - w / total_weight).powi(2) / (g.n - 1) as f64)
        .sum();
    let correction = 1.0 + 2.0 * (k - 2.0) / (k * k - 1.0) * lambda;
    let f = between / correction;
    let df1 = k - 1.0;
    let df2 = (k * k - 1.0) / (3.0 * lambda);
    if !(f.is_finite() && df2.is_finite()) {
        return Err(GroupsError::Overflow);
    }
    Ok(WelchAnova {
        f,
        df1,
        df2,
        p_value: f_sf(f, df1, df2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_groups_match_welch_t_squared() {
        // With k = 2, Welch's F is the square of Welch's t and df2 is Welch-Satterthwaite.
        let a = [1.0, 2.0, 3.0, 4.5];
        let b = [2.0, 4.0, 6.0, 8.0, 11.0];
        let (sa, sb) = (
            super::super::groups::GroupSummary::of(&a),
            super::super::groups::GroupSummary::of(&b),
        );
        let (va, vb) = (sa.variance / 4.0, sb.variance / 5.0);
        let t = (sb.mean - sa.mean) / (va + vb).sqrt();
        let df = (va + vb).powi(2) / (va * va / 3.0 + vb * vb / 4.0);
        let w = welch_anova(&[&a, &b]).unwrap();
        assert!((w.f - t * t).abs() < 1e-12 * t * t);
        assert!((w.df2 - df).abs() < 1e-12 * df);
    }

    #[test]
    fn a_group_of_1e200_next_to_one_of_1_and_2() {
        // Group b has variance 0.5, not zero; next to a's 2e400 it weighs nothing.
        let w = welch_anova(&[&[1e200, -1e200], &[1.0, 2.0]]).unwrap();
        assert!(w.f.is_finite() && w.f < 1e-300, "{w:?}");
        assert!(
            (w.df2 - 1.0).abs() < 1e-12 && (w.p_value - 1.0).abs() < 1e-12,
            "{w:?}"
        );
    }

    #[test]
    fn a_constant_group_is_named() {
        assert_eq!(
            welch_anova(&[&[1.0, 2.0], &[3.0, 3.0]]),
            Err(GroupsError::ConstantGroup { group: 1 })
        );
    }
}
