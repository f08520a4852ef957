//! Kruskal-Wallis H test: a rank-based comparison of k groups, with tie correction.

use super::groups::{validate, GroupsError};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Kruskal-Wallis H with its chi-square approximation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kruskal {
    /// H, already divided by the tie correction.
    pub h: f64,
    /// `k - 1`.
    pub df: f64,
    /// Upper tail of chi-square(`df`) at `h`.
    pub p_value: f64,
    /// `1 - sum(t^3 - t) / (N^3 - N)` over tied runs of length `t`; 1 without ties.
    pub tie_correction: f64,
    /// Mean rank of each group, in the order given (ranks 1..=N, ties get their midrank).
    pub mean_ranks: Vec<f64>,
}

/// Kruskal-Wallis test of `groups` (each needs at least one observation).
///
/// ```
/// use ipw_bench::stats::kruskal::kruskal;
/// let k = kruskal(&[&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]]).unwrap();
/// assert_eq!(k.mean_ranks, vec![2.0, 5.0]);
/// assert!((k.h - 27.0 / 7.0).abs() < 1e-12);
/// ```
pub fn kruskal(groups: &[&[f64]]) -> Result<Kruskal, GroupsError> {
    validate(groups, 1)?;
    let k = groups.len();
    let n_total: usize = groups.iter().map(|g| g.len()).sum();
    // One flat allocation, sorted once: the group index rides along with its value.
    let mut pooled: Vec<(f64, u32)> = Vec::with_capacity(n_total);
    for (g, values) in groups.iter().enumerate() {
        pooled.extend(values.iter().map(|&v| (v, g as u32)));
    }
    pooled.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

    let mut rank_sums = vec![0.0; k];
    let mut tie_sum = 0.0;
    let mut start = 0;
    while start < n_total {
        let mut end = start + 1;
        while end < n_total && pooled[end].0 == pooled[start].0 {
            end += 1;
        }
        // Ranks start..end (0-based) share the midrank of 1-based ranks start+1..=end.
        let midrank = (start + end + 1) as f64 / 2.0;
        for &(_, g) in &pooled[start..end] {
            rank_sums[g as usize] += midrank;
        }
        let t = (end - start) as f64;
        tie_sum += t * t * t - t;
        start = end;
    }

    let n = n_total as f64;
    let tie_correction = 1.0 - tie_sum / (n * n * n - n);
    if tie_correction <= 0.0 {
        return Err(GroupsError::ZeroVariance);
    }
    let centre = (n + 1.0) / 2.0;
    let mean_ranks: Vec<f64> = rank_sums
        .iter()
        .zip(groups)
        .map(|(r, g)| r / g.len() as f64)
        .collect();
    // Deviations from the mean rank rather than sum(R^2/n) - 3(N+1): no cancellation.
    let spread: f64 = mean_ranks
        .iter()
        .zip(groups)
        .map(|(m, g)| g.len() as f64 * (m - centre).powi(2))
        .sum();
    let h = 12.0 / (n * (n + 1.0)) * spread / tie_correction;
    let df = (k - 1) as f64;
    let p_value = ChiSquared::new(df).map(|d| d.sf(h)).unwrap_or(f64::NAN);
    Ok(Kruskal {
        h,
        df,
        p_value,
        tie_correction,
        mean_ranks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_get_midranks_and_a_correction() {
        let k = kruskal(&[&[1.0, 2.0, 2.0], &[2.0, 3.0]]).unwrap();
        // Ranks: 1, 3, 3 | 3, 5 (three-way tie on ranks 2..4).
        assert_eq!(k.mean_ranks, vec![7.0 / 3.0, 4.0]);
        assert!((k.tie_correction - (1.0 - 24.0 / 120.0)).abs() < 1e-15);
    }

    #[test]
    fn all_equal_is_an_error() {
        assert_eq!(
            kruskal(&[&[1.0, 1.0], &[1.0]]),
            Err(GroupsError::ZeroVariance)
        );
        assert!(kruskal(&[&[1.0]]).is_err());
    }
}
