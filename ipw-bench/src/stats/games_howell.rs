//! Games-Howell pairwise comparisons: Tukey-style intervals without assuming equal variances.

use super::chebyshev::Chebyshev;
use super::groups::{check_confidence, prepare, GroupsError, Prepared};
use super::ptukey::StudentizedRange;
use super::tukey::{check_pairs, pairs, Pairwise, PairwiseMethod, Row};

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
    check_pairs(groups.len())?;
    games_howell_of(&prepare(groups, 2)?, confidence)
}

/// Games-Howell comparisons from the groups' summaries (held in memory or streamed).
pub fn games_howell_of(p: &Prepared, confidence: f64) -> Result<Pairwise, GroupsError> {
    check_confidence(confidence)?;
    check_pairs(p.groups.len())?;
    p.require(2)?;
    if let Some(group) = p.groups.iter().position(|g| g.constant) {
        return Err(GroupsError::ConstantGroup { group });
    }
    let k = p.groups.len();
    // Each pair's standard error and Welch df, from standard deviations (the variances
    // may be beyond f64).
    let pair = |a: usize, b: usize| {
        let (ga, gb) = (&p.groups[a], &p.groups[b]);
        let (ea, eb) = (ga.sd / (ga.n as f64).sqrt(), gb.sd / (gb.n as f64).sqrt());
        let se = ea.hypot(eb);
        let (ua, ub) = (ea / se, eb / se);
        let df = 1.0 / (ua.powi(4) / (ga.n - 1) as f64 + ub.powi(4) / (gb.n - 1) as f64);
        (se, df)
    };
    // The range of k normals is the same for every pair; only the df differ.
    let base = StudentizedRange::new(k, f64::INFINITY)?;
    let (low, high) = pairs(k)
        .map(|(a, b)| pair(a, b).1)
        .fold((f64::INFINITY, 0.0f64), |(l, h), df| (l.min(df), h.max(df)));
    let critical = Critical::new(&base, confidence, k * (k - 1) / 2, low, high)?;
    let mut comparisons = Vec::with_capacity(k * (k - 1) / 2);
    for (a, b) in pairs(k) {
        let (std_error, df) = pair(a, b);
        let dist = base.with_df(df)?;
        let row = Row {
            a,
            b,
            difference: p.difference(a, b),
            std_error,
            df,
        };
        comparisons.push(row.compare(&dist, critical.at(&dist)?, p.scale)?);
    }
    Ok(Pairwise {
        method: PairwiseMethod::GamesHowell,
        confidence,
        comparisons,
    })
}

/// Tables with more pairs than this interpolate the critical value over the df instead of
/// inverting the CDF for every pair: building the interpolant costs a few hundred
/// inversions, each pair after that a few multiplications.
const INTERPOLATE_ABOVE: usize = 500;
/// Absolute error allowed on an interpolated critical value (they are of order 1 to 100):
/// above the root finder's own noise, far below what an interval shows.
const CRITICAL_TOL: f64 = 1e-8;

/// The studentized range quantile at `confidence` for each pair's df.
enum Critical {
    /// Inverted for each pair.
    Direct(f64),
    /// Interpolated in `1 / df` over the table's range of df.
    Interpolated(Chebyshev, f64, f64),
}

impl Critical {
    fn new(
        base: &StudentizedRange,
        confidence: f64,
        pairs: usize,
        low: f64,
        high: f64,
    ) -> Result<Critical, GroupsError> {
        // `high > low` is false for NaN too: then the critical values are computed directly.
        let spread = high.partial_cmp(&low) == Some(std::cmp::Ordering::Greater);
        if pairs <= INTERPOLATE_ABOVE || !spread {
            return Ok(Critical::Direct(confidence));
        }
        let (x_low, x_high) = (1.0 / high, 1.0 / low);
        // Every df in the range is >= 1: Welch's df are at least the smaller n - 1.
        base.with_df(low)?;
        let q = |x: f64| {
            base.with_df(1.0 / x)
                .and_then(|d| d.quantile(confidence))
                .unwrap_or(f64::NAN)
        };
        Ok(Critical::Interpolated(
            Chebyshev::new(q, x_low, x_high, CRITICAL_TOL),
            x_low,
            x_high,
        ))
    }

    fn at(&self, dist: &StudentizedRange) -> Result<f64, GroupsError> {
        match self {
            Critical::Direct(confidence) => dist.quantile(*confidence),
            Critical::Interpolated(c, low, high) => {
                Ok(c.eval((1.0 / dist.df()).clamp(*low, *high)))
            }
        }
    }
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
            assert!((g.df - 8.0).abs() < 1e-12, "{}", g.df);
            assert!(g.p_value >= t.p_value, "fewer df, larger p");
        }
    }

    #[test]
    fn large_tables_interpolate_the_critical_value_to_the_inverted_one() {
        let mut rng = crate::stats::Rng::new(4);
        let groups: Vec<Vec<f64>> = (0..40)
            .map(|g| {
                let n = 2 + g % 5;
                (0..n).map(|_| rng.next_f64() * (1.0 + g as f64)).collect()
            })
            .collect();
        let views: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let t = games_howell(&views, 0.95).unwrap();
        assert!(t.comparisons.len() > INTERPOLATE_ABOVE);
        for row in t.comparisons.iter().step_by(37) {
            let exact = StudentizedRange::new(40, row.df)
                .unwrap()
                .quantile(0.95)
                .unwrap();
            let half = (row.ci_high - row.ci_low) / 2.0;
            let interpolated = half * std::f64::consts::SQRT_2 / row.std_error;
            assert!(
                (interpolated - exact).abs() < 1e-7 * exact,
                "df {}: {interpolated} vs {exact}",
                row.df
            );
        }
    }

    #[test]
    fn a_group_of_1e200_next_to_one_of_1_and_2() {
        let t = games_howell(&[&[1e200, -1e200], &[1.0, 2.0]], 0.95).unwrap();
        let row = &t.comparisons[0];
        assert_eq!(row.mean_difference, 1.5);
        assert!(
            (row.df - 1.0).abs() < 1e-12 && row.p_value > 0.99,
            "{row:?}"
        );
    }

    #[test]
    fn constant_group_is_an_error() {
        assert_eq!(
            games_howell(&[&[1.0, 2.0], &[3.0, 3.0]], 0.95),
            Err(GroupsError::ConstantGroup { group: 1 })
        );
    }
}
