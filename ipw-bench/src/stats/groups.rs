//! Validation and per-group summaries shared by the k-group tests (ANOVA, Tukey, Levene...).
//!
//! Every k-group function takes its data as `&[&[f64]]`: one slice per group, in the
//! order the caller wants them reported. Results that refer to groups use their index in
//! that slice.

use super::moments::{common_scale, Moments};
use super::running::Running;
use super::scale::scale_for;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a k-group test could not be computed from the data it was given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GroupsError {
    /// The test compares groups and needs at least two of them.
    #[error("{found} group(s) given; a k-group test needs at least 2: add another variant")]
    TooFewGroups {
        /// Groups given.
        found: usize,
    },
    /// A group is too small for the test (most need 2 observations to estimate a variance).
    #[error(
        "group {group} has {found} observation(s); this test needs at least {needed} per group"
    )]
    TooFewObservations {
        /// The group's index (0-based) in the data given.
        group: usize,
        /// Observations in it.
        found: usize,
        /// The fewest per group the test accepts.
        needed: usize,
    },
    /// NaN or an infinity in the data.
    #[error(
        "group {group}, observation {index} is not a finite number ({value}): remove or fix it"
    )]
    NonFinite {
        /// The group's index (0-based) in the data given.
        group: usize,
        /// The observation's index (0-based) within its group.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Every group (or every observation) is constant: the test statistic is 0/0.
    #[error("the data have no variation within groups; the test statistic is undefined")]
    ZeroVariance,
    /// A test that weights groups by their own variance found one group with none.
    #[error("group {group} has zero variance; this test weights groups by 1/variance: use the classic test or check the data")]
    ConstantGroup {
        /// The group's index (0-based) in the data given.
        group: usize,
    },
    /// The sample is too large for the test's approximation.
    #[error(
        "{found} observations; this test is defined for at most {max}: test a random subsample"
    )]
    TooManyObservations {
        /// Observations given.
        found: usize,
        /// The most the test is defined for.
        max: usize,
    },
    /// Values so large (near 1e308), or so far apart in magnitude, that the test's sums
    /// leave the range of `f64`.
    #[error("the values overflow f64 in this test (magnitudes near 1e308, or spread over more than 300 orders of magnitude): rescale the value column, e.g. to kJ or MJ")]
    Overflow,
    /// A pairwise table over more groups than it can list.
    #[error("{found} groups make {pairs} pairs; pairwise comparisons are listed for at most {max} groups: compare fewer groups, or run anova")]
    TooManyGroups {
        /// Groups given.
        found: usize,
        /// Pairs they make, `found (found - 1) / 2`.
        pairs: usize,
        /// The most groups a table lists.
        max: usize,
    },
    /// Levene-type tests: the absolute deviations are constant within every group.
    #[error("the absolute deviations from each group's centre do not vary within any group (always so with 2 observations per group): the test is undefined; add observations")]
    ConstantDeviations,
    /// A parameter (confidence level, probability) is outside its domain.
    #[error("{name} = {value} is outside its allowed range {range}")]
    BadParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// Its allowed range, as written in the message.
        range: &'static str,
    },
}

/// Count, mean and unbiased variance of one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Observations in the group.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample variance with denominator `n - 1`; `0.0` when `n < 2`.
    pub variance: f64,
}

impl GroupSummary {
    /// Summarise one group; two passes so the variance does not lose digits to a large mean,
    /// scaled so that values near 1e308 do not overflow (the variance of such values is
    /// itself beyond `f64`, and infinite here).
    pub fn of(values: &[f64]) -> GroupSummary {
        let n = values.len();
        if n == 0 {
            return GroupSummary {
                n,
                mean: f64::NAN,
                variance: 0.0,
            };
        }
        let s = common_scale(&[values]);
        let m = Moments::of(values, s);
        let sd = m.sd / s;
        GroupSummary {
            n,
            mean: m.centre() / s,
            variance: sd * sd,
        }
    }

    /// Sum of squared deviations from the group mean.
    pub fn sum_squares(&self) -> f64 {
        self.variance * self.n.saturating_sub(1) as f64
    }
}

/// Check the common preconditions: at least two groups, at least `min_per_group`
/// observations in each, and only finite values.
pub(crate) fn validate(groups: &[&[f64]], min_per_group: usize) -> Result<(), GroupsError> {
    let sizes: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    check_sizes(&sizes, min_per_group)?;
    for (g, values) in groups.iter().enumerate() {
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

/// The groups of a test, validated and summarised in one shared power-of-two scale: all
/// that the moment-based tests (ANOVA, Welch's ANOVA, Tukey, Games-Howell) use, whether
/// the values were held in memory (`prepare`) or streamed ([`Prepared::from_running`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// Per group, in the order given; means in the shared scale.
    pub groups: Vec<Moments>,
    /// Every value was multiplied by this (exactly); divide a figure in data units by it.
    pub scale: f64,
}

impl Prepared {
    /// Group `b`'s mean minus group `a`'s, in the shared scale: exact for close means, so
    /// that two means near 1e9 keep the digits of their difference, and right for means
    /// of wildly different size (1e200 next to 1.5).
    pub fn difference(&self, a: usize, b: usize) -> f64 {
        self.groups[b].minus(&self.groups[a])
    }

    /// Groups summarised while streaming (each flushed). The checks are those of
    /// `prepare`; the values were checked finite as they came.
    pub fn from_running(groups: &[Running], min_per_group: usize) -> Result<Prepared, GroupsError> {
        let sizes: Vec<usize> = groups.iter().map(Running::n).collect();
        check_sizes(&sizes, min_per_group)?;
        let scale = scale_for(groups.iter().map(Running::max_abs).fold(0.0, f64::max));
        checked(groups.iter().map(|g| g.moments(scale)).collect(), scale)
    }

    /// At least two groups of at least `min_per_group` observations.
    pub(crate) fn require(&self, min_per_group: usize) -> Result<(), GroupsError> {
        let sizes: Vec<usize> = self.groups.iter().map(|g| g.n).collect();
        check_sizes(&sizes, min_per_group)
    }
}

fn check_sizes(sizes: &[usize], min_per_group: usize) -> Result<(), GroupsError> {
    if sizes.len() < 2 {
        return Err(GroupsError::TooFewGroups { found: sizes.len() });
    }
    match sizes.iter().position(|&n| n < min_per_group) {
        Some(group) => Err(GroupsError::TooFewObservations {
            group,
            found: sizes[group],
            needed: min_per_group,
        }),
        None => Ok(()),
    }
}

/// A group whose values differ but whose spread is too small to show next to the largest
/// value (more than about 300 orders of magnitude below it) is [`GroupsError::Overflow`],
/// not a zero variance.
fn checked(summaries: Vec<Moments>, scale: f64) -> Result<Prepared, GroupsError> {
    if summaries
        .iter()
        .any(|m| m.n > 1 && !m.constant && !(m.sd > 0.0 && m.sd.is_finite()))
    {
        return Err(GroupsError::Overflow);
    }
    Ok(Prepared {
        groups: summaries,
        scale,
    })
}

/// Validate, then summarise each group (see [`Moments`] and [`checked`]).
pub(crate) fn prepare(groups: &[&[f64]], min_per_group: usize) -> Result<Prepared, GroupsError> {
    validate(groups, min_per_group)?;
    let scale = common_scale(groups);
    checked(
        groups.iter().map(|g| Moments::of(g, scale)).collect(),
        scale,
    )
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
    fn prepared_differences_keep_their_digits_at_any_size() {
        let a = [1e9 + 0.1, 1e9 + 0.2];
        let b = [1e9 + 0.4, 1e9 + 0.6];
        let p = prepare(&[&a, &b], 2).unwrap();
        // The data themselves are rounded to 1.2e-7 near 1e9; the difference of means of
        // the stored doubles must come out exact to far better than that.
        let exact = ((b[0] - a[0]) + (b[1] - a[1])) / 2.0;
        assert!((p.difference(0, 1) / p.scale - exact).abs() < 1e-12);
        // 1e200 next to 1 and 2: the difference is 1.5 and the small group's spread stays.
        let p = prepare(&[&[1e200, -1e200], &[1.0, 2.0]], 2).unwrap();
        assert_eq!(p.difference(0, 1) / p.scale, 1.5);
        assert!(p.groups[1].sd > 0.0 && !p.groups[1].constant);
        let p = prepare(&[&[1e-300, 2e-300], &[1e300, 1e300]], 2);
        assert!(matches!(p, Err(GroupsError::Overflow)), "{:?}", p.err());
    }

    #[test]
    fn summary_keeps_digits_with_a_large_offset() {
        let s = GroupSummary::of(&[1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0]);
        assert_eq!(s.n, 3);
        assert!((s.variance - 1.0).abs() < 1e-6, "{}", s.variance);
        assert!((s.sum_squares() - 2.0).abs() < 1e-6);
        let big = GroupSummary::of(&[1.7e308, 1.6e308]);
        assert!((big.mean - 1.65e308).abs() < 1e293 && big.variance.is_infinite());
    }
}
