//! Levene's and Brown-Forsythe's tests of equal variances across k groups.

use super::anova::anova;
use super::bootstrap::quantile_sorted;
use super::groups::{validate, GroupsError};
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
    pub center: LeveneCenter,
    /// The W statistic (an F ratio).
    pub statistic: f64,
    /// `k - 1`.
    pub df1: f64,
    /// `N - k`.
    pub df2: f64,
    pub p_value: f64,
}

/// Levene-type test of equal variances; each group needs at least 2 observations.
///
/// Fails with [`GroupsError::ZeroVariance`] when the absolute deviations do not vary within
/// any group (for example the median-centred test with 2 observations per group).
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
    let deviations: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| {
            let c = match center {
                LeveneCenter::Mean => g.iter().sum::<f64>() / g.len() as f64,
                LeveneCenter::Median => {
                    let mut sorted = g.to_vec();
                    sorted.sort_unstable_by(f64::total_cmp);
                    quantile_sorted(&sorted, 0.5)
                }
            };
            g.iter().map(|v| (v - c).abs()).collect()
        })
        .collect();
    let views: Vec<&[f64]> = deviations.iter().map(Vec::as_slice).collect();
    let table = anova(&views)?;
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
    fn median_with_two_per_group_is_degenerate() {
        assert_eq!(
            brown_forsythe(&[&[1.0, 2.0], &[3.0, 5.0]]),
            Err(GroupsError::ZeroVariance)
        );
    }
}
