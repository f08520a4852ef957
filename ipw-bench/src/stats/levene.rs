//! Levene's and Brown-Forsythe's tests of equal variances across k groups.

use super::anova::anova;
use super::bootstrap::quantile_sorted;
use super::groups::{validate, GroupsError};
use super::moments::common_scale;
use serde::{Deserialize, Serialize};

/// Where each group is centred before taking absolute deviations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeveneCenter {
    /// Levene's original test (1960): deviations from the group mean.
    Mean,
    /// Brown-Forsythe (1974): deviations from the group median; robust to skewed data.
    Median,
}

/// Result of a Levene-type test: a one-way ANOVA F on absolute deviations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levene {
    /// Whether deviations are from the group mean (Levene) or median (Brown-Forsythe).
    pub center: LeveneCenter,
    /// The W statistic (an F ratio).
    pub statistic: f64,
    /// `k - 1`.
    pub df1: f64,
    /// `N - k`.
    pub df2: f64,
    /// Upper tail of F(`df1`, `df2`) at `statistic`.
    pub p_value: f64,
}

/// Levene-type test of equal variances; each group needs at least 2 observations.
///
/// Fails with [`GroupsError::ConstantDeviations`] when the absolute deviations do not vary
/// within any group (always so with 2 observations per group).
///
/// ```
/// use ipw_bench::stats::levene::{levene, LeveneCenter};
/// let a = [1.0, 2.0, 3.0, 4.0];
/// let b = [10.0, 20.0, 30.0, 45.0];
/// let t = levene(&[&a, &b], LeveneCenter::Mean).unwrap();
/// assert!(t.p_value < 0.05);
/// ```
pub fn levene(groups: &[&[f64]], center: LeveneCenter) -> Result<Levene, GroupsError> {
    validate(groups, 2)?;
    // In a shared power-of-two scale, so deviations of values near 1e308 cannot overflow.
    let s = common_scale(groups);
    let deviations: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| {
            let scaled: Vec<f64> = g.iter().map(|v| v * s).collect();
            let c = match center {
                // The plain mean, as SciPy and R take it: near a large offset its
                // rounding is part of the statistic they report.
                LeveneCenter::Mean => scaled.iter().sum::<f64>() / scaled.len() as f64,
                LeveneCenter::Median => {
                    let mut sorted = scaled.clone();
                    sorted.sort_unstable_by(f64::total_cmp);
                    quantile_sorted(&sorted, 0.5)
                }
            };
            scaled.iter().map(|v| (v - c).abs()).collect()
        })
        .collect();
    let views: Vec<&[f64]> = deviations.iter().map(Vec::as_slice).collect();
    let table = anova(&views).map_err(|e| match e {
        GroupsError::ZeroVariance => GroupsError::ConstantDeviations,
        other => other,
    })?;
    Ok(Levene {
        center,
        statistic: table.f,
        df1: table.df_between,
        df2: table.df_within,
        p_value: table.p_value,
    })
}

/// The Brown-Forsythe test: [`levene`] centred on group medians.
pub fn brown_forsythe(groups: &[&[f64]]) -> Result<Levene, GroupsError> {
    levene(groups, LeveneCenter::Median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_spreads_give_no_signal() {
        // Same shape shifted: identical deviations, so F is exactly 0.
        let t = levene(&[&[1.0, 2.0, 4.0], &[11.0, 12.0, 14.0]], LeveneCenter::Mean).unwrap();
        assert!(t.statistic.abs() < 1e-12);
        assert!((t.p_value - 1.0).abs() < 1e-12);
    }

    #[test]
    fn huge_and_small_groups_side_by_side() {
        let (a, b) = ([1e200, -1e200, 5e199], [1.0, 2.0, 4.0]);
        let t = levene(&[&a, &b], LeveneCenter::Median).unwrap();
        // The same as the test on data scaled down by 2^600, which fit in f64 easily.
        let x = 2f64.powi(-600);
        let a2: Vec<f64> = a.iter().map(|v| v * x).collect();
        let b2: Vec<f64> = b.iter().map(|v| v * x).collect();
        let u = levene(&[&a2, &b2], LeveneCenter::Median).unwrap();
        assert_eq!(t.statistic, u.statistic);
        assert!(t.p_value.is_finite() && t.statistic > 0.0, "{t:?}");
    }

    #[test]
    fn median_with_two_per_group_is_degenerate() {
        assert_eq!(
            brown_forsythe(&[&[1.0, 2.0], &[3.0, 5.0]]),
            Err(GroupsError::ConstantDeviations)
        );
        assert_eq!(
            levene(&[&[1e200, -1e200], &[1.0, 2.0]], LeveneCenter::Mean),
            Err(GroupsError::ConstantDeviations)
        );
    }
}
