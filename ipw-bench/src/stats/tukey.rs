//! Tukey's HSD (Tukey-Kramer for unequal sizes): all pairwise mean differences with
//! simultaneous confidence intervals and family-wise adjusted p-values.

use super::groups::{check_confidence, prepare, GroupsError, Prepared};
use super::ptukey::StudentizedRange;
use super::scale::SumSq;
use serde::{Deserialize, Serialize};
use std::f64::consts::SQRT_2;

/// Which pairwise procedure produced a [`Pairwise`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairwiseMethod {
    /// Tukey-Kramer: pooled variance, equal variances assumed.
    TukeyHsd,
    /// Games-Howell: per-pair variances and Welch degrees of freedom.
    GamesHowell,
}

/// One pair of groups `a < b` (indices in the order given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairComparison {
    /// Index of the first group, in the order given (`a < b`).
    pub a: usize,
    /// Index of the second group.
    pub b: usize,
    /// `mean(b) - mean(a)`.
    pub mean_difference: f64,
    /// Standard error of `mean_difference`.
    pub std_error: f64,
    /// Studentized range statistic `sqrt(2) * |mean_difference| / std_error`.
    pub q: f64,
    /// Degrees of freedom of the studentized range used for this pair.
    pub df: f64,
    /// Simultaneous confidence interval of `mean_difference`.
    pub ci_low: f64,
    /// Upper bound of the simultaneous confidence interval of `mean_difference`.
    pub ci_high: f64,
    /// Family-wise adjusted p-value (upper tail of the studentized range).
    pub p_value: f64,
}

/// All pairwise comparisons of k groups: `k (k - 1) / 2` rows, ordered (0,1), (0,2), ...,
/// (1,2), ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairwise {
    /// Tukey-Kramer or Games-Howell.
    pub method: PairwiseMethod,
    /// Family-wise confidence level of the intervals, e.g. 0.95.
    pub confidence: f64,
    /// One row per pair.
    pub comparisons: Vec<PairComparison>,
}

/// Tukey's HSD at the given `confidence` (e.g. 0.95); each group needs 2 observations.
///
/// ```
/// use ipw_bench::stats::tukey::tukey_hsd;
/// let t = tukey_hsd(&[&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0], &[5.0, 6.0, 7.0]], 0.95).unwrap();
/// let first = &t.comparisons[0];
/// assert_eq!((first.a, first.b), (0, 1));
/// assert!((first.mean_difference - 1.0).abs() < 1e-12);
/// assert!(t.comparisons[1].p_value < 0.01);
/// ```
pub fn tukey_hsd(groups: &[&[f64]], confidence: f64) -> Result<Pairwise, GroupsError> {
    check_confidence(confidence)?;
    check_pairs(groups.len())?;
    tukey_hsd_of(&prepare(groups, 2)?, confidence)
}

/// Tukey's HSD from the groups' summaries (held in memory or streamed).
pub fn tukey_hsd_of(p: &Prepared, confidence: f64) -> Result<Pairwise, GroupsError> {
    check_confidence(confidence)?;
    check_pairs(p.groups.len())?;
    p.require(2)?;
    let k = p.groups.len();
    let n_total: usize = p.groups.iter().map(|g| g.n).sum();
    let mut within = SumSq::default();
    for g in &p.groups {
        within.add((g.n - 1) as f64, g.sd);
    }
    if within.is_zero() {
        return Err(GroupsError::ZeroVariance);
    }
    let df = (n_total - k) as f64;
    // The root of the mean square error, in the shared scale.
    let root_mse = within.root() / df.sqrt();
    let dist = StudentizedRange::new(k, df)?;
    let critical = dist.quantile(confidence)?;
    let comparisons = pairs(k)
        .map(|(a, b)| {
            let (ga, gb) = (&p.groups[a], &p.groups[b]);
            let std_error = root_mse * (1.0 / ga.n as f64 + 1.0 / gb.n as f64).sqrt();
            let row = Row {
                a,
                b,
                difference: p.difference(a, b),
                std_error,
                df,
            };
            row.compare(&dist, critical, p.scale)
        })
        .collect::<Result<_, _>>()?;
    Ok(Pairwise {
        method: PairwiseMethod::TukeyHsd,
        confidence,
        comparisons,
    })
}

/// Pairwise tables list every pair: more groups than this make more rows (499,500) than
/// anyone reads, and the table takes more than seconds to compute.
pub const MAX_PAIRWISE_GROUPS: usize = 1000;

/// Refuses a pairwise table over more than [`MAX_PAIRWISE_GROUPS`] groups.
pub(crate) fn check_pairs(k: usize) -> Result<(), GroupsError> {
    if k > MAX_PAIRWISE_GROUPS {
        return Err(GroupsError::TooManyGroups {
            found: k,
            pairs: k * (k - 1) / 2,
            max: MAX_PAIRWISE_GROUPS,
        });
    }
    Ok(())
}

/// Pairs `(a, b)` with `a < b` in row-major order.
pub(crate) fn pairs(k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).flat_map(move |a| (a + 1..k).map(move |b| (a, b)))
}

/// One pair before its interval: the difference of means and its standard error in the
/// shared scale of the test, and the df of the studentized range to use.
pub(crate) struct Row {
    pub a: usize,
    pub b: usize,
    pub difference: f64,
    pub std_error: f64,
    pub df: f64,
}

impl Row {
    /// The table row: q, the simultaneous interval and the p-value, with the difference and
    /// its interval back in data units (divided by `scale`), or
    /// [`GroupsError::Overflow`] when they are beyond `f64` there.
    pub(crate) fn compare(
        &self,
        dist: &StudentizedRange,
        critical: f64,
        scale: f64,
    ) -> Result<PairComparison, GroupsError> {
        let q = SQRT_2 * self.difference.abs() / self.std_error;
        let half_width = critical / SQRT_2 * self.std_error;
        let row = PairComparison {
            a: self.a,
            b: self.b,
            mean_difference: self.difference / scale,
            std_error: self.std_error / scale,
            q,
            df: self.df,
            ci_low: (self.difference - half_width) / scale,
            ci_high: (self.difference + half_width) / scale,
            p_value: dist.sf(q),
        };
        let numbers = [
            row.mean_difference,
            row.std_error,
            row.q,
            row.ci_low,
            row.ci_high,
        ];
        if numbers.iter().all(|v| v.is_finite()) && row.std_error > 0.0 {
            Ok(row)
        } else {
            Err(GroupsError::Overflow)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cover_every_pair_in_order() {
        let rows: Vec<_> = pairs(4).collect();
        assert_eq!(rows, vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]);
    }

    #[test]
    fn a_group_of_1e200_next_to_one_of_1_and_2() {
        let t = tukey_hsd(&[&[1e200, -1e200], &[1.0, 2.0]], 0.95).unwrap();
        let row = &t.comparisons[0];
        assert_eq!(row.mean_difference, 1.5);
        assert!(row.std_error > 1e199 && row.p_value > 0.99, "{row:?}");
        assert!(row.ci_low.is_finite() && row.ci_high.is_finite());
        let near_max = tukey_hsd(&[&[1.7e308, -1.7e308], &[1.0, 2.0]], 0.95);
        assert_eq!(near_max, Err(GroupsError::Overflow));
    }

    #[test]
    fn more_groups_than_a_table_lists_is_an_error() {
        let g = [1.0, 2.0];
        let many = vec![&g[..]; MAX_PAIRWISE_GROUPS + 1];
        assert!(matches!(
            tukey_hsd(&many, 0.95),
            Err(GroupsError::TooManyGroups {
                found: 1001,
                pairs: 500_500,
                max: 1000
            })
        ));
    }

    #[test]
    fn interval_excludes_zero_exactly_when_p_is_below_alpha() {
        let a = [10.0, 11.0, 12.0, 10.5];
        let b = [10.4, 11.6, 12.1, 11.0, 10.9];
        let c = [13.0, 14.0, 12.5];
        let t = tukey_hsd(&[&a, &b, &c], 0.95).unwrap();
        for row in &t.comparisons {
            let excludes_zero = row.ci_low > 0.0 || row.ci_high < 0.0;
            assert_eq!(excludes_zero, row.p_value < 0.05, "{row:?}");
        }
        assert!(tukey_hsd(&[&a, &b], 1.5).is_err());
    }
}
