//! Tukey's HSD (Tukey-Kramer for unequal sizes): all pairwise mean differences with
//! simultaneous confidence intervals and family-wise adjusted p-values.

use super::groups::{check_confidence, summarise, GroupSummary, GroupsError};
use super::ptukey::StudentizedRange;
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
    pub a: usize,
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
    pub ci_high: f64,
    /// Family-wise adjusted p-value (upper tail of the studentized range).
    pub p_value: f64,
}

/// All pairwise comparisons of k groups: `k (k - 1) / 2` rows, ordered (0,1), (0,2), ...,
/// (1,2), ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairwise {
    pub method: PairwiseMethod,
    pub confidence: f64,
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
    let summaries = summarise(groups, 2)?;
    let k = summaries.len();
    let n_total: usize = summaries.iter().map(|s| s.n).sum();
    let ss_within: f64 = summaries.iter().map(GroupSummary::sum_squares).sum();
    if ss_within <= 0.0 {
        return Err(GroupsError::ZeroVariance);
    }
    let df = (n_total - k) as f64;
    let mse = ss_within / df;
    let dist = StudentizedRange::new(k, df)?;
    let critical = dist.quantile(confidence)?;
    let comparisons = pairs(k)
        .map(|(a, b)| {
            let (sa, sb) = (&summaries[a], &summaries[b]);
            let std_error = (mse * (1.0 / sa.n as f64 + 1.0 / sb.n as f64)).sqrt();
            compare(a, b, sb.mean - sa.mean, std_error, df, &dist, critical)
        })
        .collect();
    Ok(Pairwise {
        method: PairwiseMethod::TukeyHsd,
        confidence,
        comparisons,
    })
}

/// Pairs `(a, b)` with `a < b` in row-major order.
pub(crate) fn pairs(k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).flat_map(move |a| (a + 1..k).map(move |b| (a, b)))
}

/// One row, given the difference, its standard error and the studentized range to use.
pub(crate) fn compare(
    a: usize,
    b: usize,
    mean_difference: f64,
    std_error: f64,
    df: f64,
    dist: &StudentizedRange,
    critical: f64,
) -> PairComparison {
    let q = SQRT_2 * mean_difference.abs() / std_error;
    let half_width = critical / SQRT_2 * std_error;
    PairComparison {
        a,
        b,
        mean_difference,
        std_error,
        q,
        df,
        ci_low: mean_difference - half_width,
        ci_high: mean_difference + half_width,
        p_value: dist.sf(q),
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
