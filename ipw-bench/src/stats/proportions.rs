//! Proportions: the Wilson interval, the two-proportion z-test and the chi-square test of
//! independence.

use super::bootstrap::{CiMethod, Interval};
use super::dist::{chi2_sf, normal_quantile, normal_sf};
use super::error::{check_confidence, StatsError};
use serde::{Deserialize, Serialize};

/// Wilson score interval of `successes / n`.
pub fn wilson_interval(successes: u64, n: u64, confidence: f64) -> Result<Interval, StatsError> {
    check_confidence(confidence)?;
    if n == 0 {
        return Err(StatsError::TooFew {
            what: "Wilson interval",
            needed: 1,
            got: 0,
        });
    }
    if successes > n {
        return Err(StatsError::Invalid(format!(
            "Wilson interval: {successes} successes out of {n} trials; successes cannot exceed trials"
        )));
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z = normal_quantile(0.5 + confidence / 2.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Ok(Interval {
        point: p,
        // Rounding can put a bound a few ulps outside [0, 1] at 0 or n successes.
        low: (center - half).clamp(0.0, p),
        high: (center + half).clamp(p, 1.0),
        confidence,
        method: CiMethod::Wilson,
    })
}

/// Result of the two-proportion z-test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProportionTest {
    /// Proportion of successes in the first sample, `x1 / n1`.
    pub p1: f64,
    /// Proportion of successes in the second sample, `x2 / n2`.
    pub p2: f64,
    /// `p1 - p2`.
    pub difference: f64,
    /// z with the pooled proportion in the standard error (the test's null).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Two-proportion z-test of `x1 / n1` against `x2 / n2`, pooled under the null.
pub fn two_proportion_z_test(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
) -> Result<ProportionTest, StatsError> {
    if n1 == 0 || n2 == 0 {
        return Err(StatsError::TooFew {
            what: "two-proportion z-test",
            needed: 1,
            got: 0,
        });
    }
    if x1 > n1 || x2 > n2 {
        return Err(StatsError::Invalid(
            "two-proportion z-test: successes cannot exceed trials".into(),
        ));
    }
    let (f1, f2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / f1, x2 as f64 / f2);
    let pooled = (x1 + x2) as f64 / (f1 + f2);
    let se = (pooled * (1.0 - pooled) * (1.0 / f1 + 1.0 / f2)).sqrt();
    if se.is_nan() || se <= 0.0 {
        return Err(StatsError::ZeroVariance {
            what: "two-proportion z-test (every answer is the same)",
        });
    }
    let z = (p1 - p2) / se;
    Ok(ProportionTest {
        p1,
        p2,
        difference: p1 - p2,
        statistic: z,
        p_value: (2.0 * normal_sf(z.abs())).min(1.0),
    })
}

/// Result of Pearson's chi-square test of independence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    /// Pearson's chi-square statistic, `sum (observed - expected)^2 / expected`.
    pub statistic: f64,
    /// Degrees of freedom, `(rows - 1) (columns - 1)`.
    pub df: usize,
    /// Upper tail of chi-square(`df`) at `statistic`.
    pub p_value: f64,
    /// Whether Yates' continuity correction was applied.
    pub yates: bool,
    /// Expected counts under independence, row by row.
    pub expected: Vec<Vec<f64>>,
}

/// Chi-square test of independence of an `r x c` table of counts (rows of equal length).
///
/// With `yates`, Yates' continuity correction is applied, and only when there is one degree
/// of freedom (a 2x2 table), as SciPy's `chi2_contingency(correction=True)` does: each
/// `|observed - expected|` shrinks by 0.5, never below zero. For larger tables `yates` has
/// no effect and the result says `yates: false`.
pub fn chi_square_independence(table: &[Vec<f64>], yates: bool) -> Result<ChiSquare, StatsError> {
    let r = table.len();
    let c = table.first().map_or(0, Vec::len);
    if r < 2 || c < 2 {
        return Err(StatsError::Invalid(format!(
            "chi-square test needs at least a 2x2 table, got {r}x{c}"
        )));
    }
    if table.iter().any(|row| row.len() != c) {
        return Err(StatsError::Invalid(
            "chi-square test: every row of the table needs the same number of columns".into(),
        ));
    }
    if table.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(StatsError::Invalid(
            "chi-square test: counts must be finite and non-negative".into(),
        ));
    }
    let rows: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let cols: Vec<f64> = (0..c)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let total: f64 = rows.iter().sum();
    if rows.iter().chain(&cols).any(|&m| m == 0.0) {
        return Err(StatsError::Invalid(
            "chi-square test: a row or column of the table sums to zero; drop it".into(),
        ));
    }
    let df = (r - 1) * (c - 1);
    let yates = yates && df == 1;
    let expected: Vec<Vec<f64>> = rows
        .iter()
        .map(|ri| cols.iter().map(|cj| ri * cj / total).collect())
        .collect();
    let mut statistic = 0.0;
    for (obs_row, exp_row) in table.iter().zip(&expected) {
        for (o, e) in obs_row.iter().zip(exp_row) {
            let mut d = (o - e).abs();
            if yates {
                d = (d - 0.5).max(0.0);
            }
            statistic += d * d / e;
        }
    }
    Ok(ChiSquare {
        statistic,
        df,
        p_value: chi2_sf(statistic, df as f64),
        yates,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_stays_inside_unit_interval() {
        let i = wilson_interval(0, 10, 0.95).unwrap();
        assert!(i.low.abs() < 1e-15 && i.high > 0.0 && i.high < 1.0);
        let j = wilson_interval(10, 10, 0.95).unwrap();
        assert!((j.high - 1.0).abs() < 1e-15 && j.low < 1.0);
        assert!(wilson_interval(11, 10, 0.95).is_err());
    }

    #[test]
    fn yates_only_for_two_by_two() {
        let t2 = vec![vec![10.0, 20.0], vec![20.0, 10.0]];
        let with = chi_square_independence(&t2, true).unwrap();
        let without = chi_square_independence(&t2, false).unwrap();
        assert!(with.statistic < without.statistic && with.yates);
        let t3 = vec![vec![10.0, 20.0, 5.0], vec![20.0, 10.0, 5.0]];
        let a = chi_square_independence(&t3, true).unwrap();
        assert!(!a.yates);
        assert_eq!(a.df, 2);
    }
}
