//! Validation and per-group summaries shared by the k-group tests (ANOVA, Tukey, Levene...).
//!
//! Every k-group function takes its data as `&[&[f64]]`: one slice per group, in the
//! order the caller wants them reported. Results that refer to groups use their index in
//! that slice.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a k-group test could not be computed from the data it was given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GroupsError {
    /// The test compares groups and needs at least two of them.
    #[error("{found} group(s) given; a k-group test needs at least 2: add another variant")]
    TooFewGroups { found: usize },
    /// A group is too small for the test (most need 2 observations to estimate a variance).
    #[error(
        "group {group} has {found} observation(s); this test needs at least {needed} per group"
    )]
    TooFewObservations {
        group: usize,
        found: usize,
        needed: usize,
    },
    /// NaN or an infinity in the data.
    #[error(
        "group {group}, observation {index} is not a finite number ({value}): remove or fix it"
    )]
    NonFinite {
        group: usize,
        index: usize,
        value: f64,
    },
    /// Every group (or every observation) is constant: the test statistic is 0/0.
    #[error("the data have no variation within groups; the test statistic is undefined")]
    ZeroVariance,
    /// A test that weights groups by their own variance found one group with none.
    #[error("group {group} has zero variance; this test weights groups by 1/variance: use the classic test or check the data")]
    ConstantGroup { group: usize },
    /// The sample is too large for the test's approximation.
    #[error(
        "{found} observations; this test is defined for at most {max}: test a random subsample"
    )]
    TooManyObservations { found: usize, max: usize },
    /// A parameter (confidence level, probability) is outside its domain.
    #[error("{name} = {value} is outside its allowed range {range}")]
    BadParameter {
        name: &'static str,
        value: f64,
        range: &'static str,
    },
}

/// Count, mean and unbiased variance of one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub n: usize,
    pub mean: f64,
    /// Sample variance with denominator `n - 1`; `0.0` when `n < 2`.
    pub variance: f64,
}

impl GroupSummary {
    /// Summarise one group; two passes so the variance does not lose digits to a large mean.
    pub fn of(values: &[f64]) -> GroupSummary {
        let n = values.len();
        if n == 0 {
            return GroupSummary {
                n,
                mean: f64::NAN,
                variance: 0.0,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        let variance = if n > 1 { ss / (n - 1) as f64 } else { 0.0 };
        GroupSummary { n, mean, variance }
    }

    /// Sum of squared deviations from the group mean.
    pub fn sum_squares(&self) -> f64 {
        self.variance * self.n.saturating_sub(1) as f64
    }
}

/// Check the common preconditions: at least two groups, at least `min_per_group`
/// observations in each, and only finite values.
pub(crate) fn validate(groups: &[&[f64]], min_per_group: usize) -> Result<(), GroupsError> {
    if groups.len() < 2 {
        return Err(GroupsError::TooFewGroups {
            found: groups.len(),
        });
    }
    for (g, values) in groups.iter().enumerate() {
        if values.len() < min_per_group {
            return Err(GroupsError::TooFewObservations {
                group: g,
                found: values.len(),
                needed: min_per_group,
            });
        }
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(GroupsError::NonFinite {
                group: g,
                index,
                value,
            });
        }
    }
    Ok(())
}

/// Validate, then summarise each group in order, after subtracting a common offset (the
/// first observation) from every value.
///
/// The means in the summaries are therefore `mean - offset`. Tests use only differences
/// of means and variances, which the offset leaves unchanged, and it keeps their digits:
/// two means near 1e9 are each rounded to about 1e-7, so their difference would lose
/// seven digits; means of the offset data do not.
pub(crate) fn summarise(
    groups: &[&[f64]],
    min_per_group: usize,
) -> Result<Vec<GroupSummary>, GroupsError> {
    validate(groups, min_per_group)?;
    let offset = groups
        .iter()
        .find_map(|g| g.first().copied())
        .unwrap_or(0.0);
    Ok(groups
        .iter()
        .map(|g| {
            let n = g.len();
            let mean = g.iter().map(|v| v - offset).sum::<f64>() / n as f64;
            let ss: f64 = g.iter().map(|v| (v - offset - mean).powi(2)).sum();
            GroupSummary {
                n,
                mean,
                variance: if n > 1 { ss / (n - 1) as f64 } else { 0.0 },
            }
        })
        .collect())
}

/// Check that a confidence level is strictly between 0 and 1.
pub(crate) fn check_confidence(confidence: f64) -> Result<(), GroupsError> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(GroupsError::BadParameter {
            name: "confidence",
            value: confidence,
            range: "(0, 1)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_shapes_and_values() {
        let a = [1.0, 2.0];
        assert_eq!(
            validate(&[&a], 2),
            Err(GroupsError::TooFewGroups { found: 1 })
        );
        assert_eq!(
            validate(&[&a, &[1.0]], 2),
            Err(GroupsError::TooFewObservations {
                group: 1,
                found: 1,
                needed: 2
            })
        );
        let bad = [1.0, f64::INFINITY];
        assert!(matches!(
            validate(&[&a, &bad], 2),
            Err(GroupsError::NonFinite {
                group: 1,
                index: 1,
                ..
            })
        ));
        assert!(validate(&[&a, &a], 2).is_ok());
        assert!(check_confidence(1.0).is_err());
        assert!(check_confidence(f64::NAN).is_err());
    }

    #[test]
    fn offset_summaries_keep_differences_of_means_exact() {
        let a = [1e9 + 0.1, 1e9 + 0.2];
        let b = [1e9 + 0.4, 1e9 + 0.6];
        let s = summarise(&[&a, &b], 2).unwrap();
        // The data themselves are rounded to 1.2e-7 near 1e9; the difference of means of
        // the stored doubles must come out exact to far better than that.
        let exact = ((b[0] - a[0]) + (b[1] - a[1])) / 2.0;
        assert!((s[1].mean - s[0].mean - exact).abs() < 1e-12);
    }

    #[test]
    fn summary_keeps_digits_with_a_large_offset() {
        let s = GroupSummary::of(&[1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0]);
        assert_eq!(s.n, 3);
        assert!((s.variance - 1.0).abs() < 1e-6, "{}", s.variance);
        assert!((s.sum_squares() - 2.0).abs() < 1e-6);
    }
}
