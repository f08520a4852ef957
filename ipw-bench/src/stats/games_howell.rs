//! Games-Howell pairwise comparisons: Tukey-style intervals without assuming equal variances.

use super::groups::{check_confidence, summarise, GroupsError};
use super::ptukey::StudentizedRange;
use super::tukey::{compare, pairs, Pairwise, PairwiseMethod};

/// Games-Howell comparisons of all pairs at the given `confidence`.
///
/// Each pair uses its own standard error `sqrt(var_a/n_a + var_b/n_b)` and Welch's degrees
/// of freedom in the studentized range for `k` groups. Each group needs 2 observations and
/// a nonzero variance.
///
/// ```
/// use ipw_bench::stats::games_howell::games_howell;
/// let t = games_howell(&[&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0], &[10.0, 11.0, 13.0]], 0.95).unwrap();
/// assert_eq!(t.comparisons.len(), 3);
/// assert!(t.comparisons[0].p_value > 0.05);
/// ```
pub fn games_howell(groups: &[&[f64]], confidence: f64) -> Result<Pairwise, GroupsError> {
    check_confidence(confidence)?;
    let summaries = summarise(groups, 2)?;
    if let Some(group) = summaries.iter().position(|s| s.variance <= 0.0) {
        return Err(GroupsError::ConstantGroup { group });
    }
    let k = summaries.len();
    let mut comparisons = Vec::with_capacity(k * (k - 1) / 2);
    // The range of k normals is the same for every pair; only the df differ.
    let base = StudentizedRange::new(k, f64::INFINITY)?;
    for (a, b) in pairs(k) {
        let (sa, sb) = (&summaries[a], &summaries[b]);
        let (va, vb) = (sa.variance / sa.n as f64, sb.variance / sb.n as f64);
        let df = (va + vb).powi(2) / (va * va / (sa.n - 1) as f64 + vb * vb / (sb.n - 1) as f64);
        let dist = base.with_df(df)?;
        let critical = dist.quantile(confidence)?;
        let std_error = (va + vb).sqrt();
        comparisons.push(compare(
            a,
            b,
            sb.mean - sa.mean,
            std_error,
            df,
            &dist,
            critical,
        ));
    }
    Ok(Pairwise {
        method: PairwiseMethod::GamesHowell,
        confidence,
        comparisons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_variances_and_sizes_agree_with_tukey_closely() {
        // Same spread, same n: per-pair Welch df equal 2(n-1), close to Tukey's N-k.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 3.0, 4.0, 5.0, 6.0];
        let c = [4.0, 5.0, 6.0, 7.0, 8.0];
        let gh = games_howell(&[&a, &b, &c], 0.95).unwrap();
        let tk = super::super::tukey::tukey_hsd(&[&a, &b, &c], 0.95).unwrap();
        for (g, t) in gh.comparisons.iter().zip(&tk.comparisons) {
            assert!((g.mean_difference - t.mean_difference).abs() < 1e-12);
            assert!((g.std_error - t.std_error).abs() < 1e-12);
            assert_eq!(g.df, 8.0);
            assert!(g.p_value >= t.p_value, "fewer df, larger p");
        }
    }

    #[test]
    fn constant_group_is_an_error() {
        assert_eq!(
            games_howell(&[&[1.0, 2.0], &[3.0, 3.0]], 0.95),
            Err(GroupsError::ConstantGroup { group: 1 })
        );
    }
}
