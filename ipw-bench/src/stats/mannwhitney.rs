//! The Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples.

use super::dist::normal_sf;
use super::error::{check_finite, StatsError};
use serde::{Deserialize, Serialize};

/// How the p-value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum MwMethod {
    /// Exact when both samples have at most 8 values and there are no ties, else asymptotic
    /// (SciPy's `method='auto'` rule).
    #[default]
    Auto,
    /// Normal approximation with tie and continuity correction.
    Asymptotic,
    /// Exact null distribution of U; needs untied data and `n1 + n2 <= 120`.
    Exact,
}

/// Result of a Mann-Whitney U test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// Observations in the first sample.
    pub n1: usize,
    /// Observations in the second sample.
    pub n2: usize,
    /// U of the first sample: `R1 - n1 (n1 + 1) / 2`.
    pub u: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The method actually used (never `Auto`).
    pub method: MwMethod,
    /// z of the normal approximation (with continuity correction); NaN for the exact method.
    pub z: f64,
    /// Common-language effect size `U / (n1 n2)`: the probability that a value of the first
    /// sample exceeds one of the second, counting ties as half.
    pub probability_superiority: f64,
}

/// Average ranks (1-based) of `values`, and the tie term `sum(t^3 - t)` over tie groups.
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; n];
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && values[order[j]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j + 1) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = rank;
        }
        let t = (j - i) as f64;
        ties += t * t * t - t;
        i = j;
    }
    (ranks, ties)
}

/// Largest `n1 + n2` for the exact method: the count of arrangements, `C(n1 + n2, n1)`,
/// then still fits the exact integer arithmetic used.
pub const EXACT_MAX_TOTAL: usize = 120;

/// Mann-Whitney U test of `a` against `b`, two-sided.
pub fn mann_whitney(a: &[f64], b: &[f64], method: MwMethod) -> Result<MannWhitney, StatsError> {
    for x in [a, b] {
        if x.is_empty() {
            return Err(StatsError::TooFew {
                what: "Mann-Whitney U test",
                needed: 1,
                got: 0,
            });
        }
        check_finite("Mann-Whitney U test", x)?;
    }
    let (n1, n2) = (a.len(), b.len());
    let all: Vec<f64> = a.iter().chain(b).copied().collect();
    let (ranks, ties) = average_ranks(&all);
    let r1: f64 = ranks[..n1].iter().sum();
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = r1 - f1 * (f1 + 1.0) / 2.0;
    let u_max = u1.max(f1 * f2 - u1);
    let method = match method {
        MwMethod::Auto if n1 <= 8 && n2 <= 8 && ties == 0.0 => MwMethod::Exact,
        MwMethod::Auto => MwMethod::Asymptotic,
        m => m,
    };
    let (p, z) = match method {
        MwMethod::Exact => {
            if ties != 0.0 {
                return Err(StatsError::Invalid(
                    "the exact Mann-Whitney p-value assumes no ties; use the asymptotic method"
                        .into(),
                ));
            }
            if n1 + n2 > EXACT_MAX_TOTAL {
                return Err(StatsError::Invalid(format!(
                    "the exact Mann-Whitney p-value supports n1 + n2 <= {EXACT_MAX_TOTAL}; \
                     use the asymptotic method"
                )));
            }
            // U is an integer without ties.
            (
                (2.0 * exact_sf(u_max.round() as usize, n1, n2)).min(1.0),
                f64::NAN,
            )
        }
        _ => {
            let n = f1 + f2;
            let mu = f1 * f2 / 2.0;
            let var = f1 * f2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
            if var.is_nan() || var <= 0.0 {
                return Err(StatsError::ZeroVariance {
                    what: "Mann-Whitney U test",
                });
            }
            let z = (u_max - mu - 0.5) / var.sqrt();
            ((2.0 * normal_sf(z)).min(1.0), z)
        }
    };
    Ok(MannWhitney {
        n1,
        n2,
        u: u1,
        p_value: p,
        method,
        z,
        probability_superiority: u1 / (f1 * f2),
    })
}

/// `P(U >= u)` under the null for sizes `m` and `n`, without ties.
///
/// The counts of U are the coefficients of the Gaussian binomial
/// `prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i)`, built one factor at a time in exact integers.
fn exact_sf(u: usize, m: usize, n: usize) -> f64 {
    let top = m * n;
    let mut c = vec![0i128; top + 1];
    c[0] = 1;
    for i in 1..=m {
        let k = n + i;
        for idx in (k..=top).rev() {
            c[idx] -= c[idx - k];
        }
        for idx in i..=top {
            c[idx] += c[idx - i];
        }
    }
    let total: i128 = c.iter().sum();
    let upper: i128 = c[u.min(top + 1)..].iter().sum();
    upper as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_counts_sum_to_binomial() {
        // For m = n = 2 the six arrangements give U = 0,1,2,2,3,4.
        assert!((exact_sf(0, 2, 2) - 1.0).abs() < 1e-15);
        assert!((exact_sf(2, 2, 2) - 4.0 / 6.0).abs() < 1e-15);
        assert!((exact_sf(4, 2, 2) - 1.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn ranks_average_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(t, 6.0);
    }

    #[test]
    fn complete_separation() {
        let r = mann_whitney(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], MwMethod::Auto).unwrap();
        assert_eq!(r.u, 0.0);
        assert_eq!(r.method, MwMethod::Exact);
        assert!((r.p_value - 0.1).abs() < 1e-15);
        assert!(mann_whitney(&[1.0, 1.0], &[1.0, 1.0], MwMethod::Asymptotic).is_err());
    }
}
