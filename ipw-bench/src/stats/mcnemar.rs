//! McNemar's test of two variants' accuracy on the same questions, and its sizing: the
//! smallest difference a number of questions detects, and the questions a difference needs.
//!
//! The test looks only at the discordant pairs of the [`PairedTable`]: under the null of
//! equal accuracy, each of the `b + c` questions on which the variants disagree is won by
//! either one with probability 1/2.
//!
//! The exact binomial tail is computed here rather than by `statrs`' binomial CDF: that one
//! goes through `beta_reg`, whose prefactor is a difference of `ln_gamma` values of size
//! `n ln n`. At a million discordant pairs `statrs` 0.19.1 is off by 4e-10 to 1.1e-9
//! relative (measured against 40-digit sums), 1.4e-10 on a p-value; the tail here agrees
//! with those sums to 5e-14 relative (`tests/stats_reference_c.rs`).

mod sizing;

use super::dist::{normal_cdf, normal_sf};
use super::paired::PairedTable;
use serde::{Deserialize, Serialize};
pub use sizing::{
    mcnemar_detectable_difference, mcnemar_power, mcnemar_sample_size,
    unpaired_detectable_difference, unpaired_sample_size, QuestionsNeeded,
};

/// [`McNemarChoice::Auto`] uses the exact test when there are fewer discordant pairs than
/// this (`b + c < 25`), and the continuity-corrected chi-square test otherwise.
pub const EXACT_BELOW: u64 = 25;

/// Which version of McNemar's test to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum McNemarChoice {
    /// Exact when `b + c < 25` ([`EXACT_BELOW`], the usual textbook threshold below which
    /// the chi-square approximation is poor), otherwise chi-square with continuity
    /// correction. The default.
    #[default]
    Auto,
    /// Always the exact binomial test.
    Exact,
    /// Always the mid-p binomial test.
    MidP,
    /// Always the chi-square test without continuity correction.
    ChiSquare,
    /// Always the chi-square test with Edwards' continuity correction.
    ChiSquareCorrected,
}

/// The version of McNemar's test that was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum McNemarMethod {
    /// Exact binomial test: statistic `min(b, c)`, two-sided p-value
    /// `min(1, 2 P(X <= min(b, c)))` for `X ~ Binomial(b + c, 1/2)`, as statsmodels'
    /// `mcnemar(table, exact=True)`.
    Exact,
    /// Mid-p binomial test: statistic `min(b, c)`, p-value
    /// `min(1, 2 P(X <= min(b, c)) - P(X = min(b, c)))`, the exact p-value less half the
    /// probability of the observed table on each side. Fagerland, Lydersen and Laake
    /// ("The McNemar test for binary matched-pairs data: mid-p and asymptotic are better
    /// than exact conditional", BMC Medical Research Methodology 13:91, 2013) found it
    /// close to the nominal level at every size they studied, where the exact test is
    /// conservative and the uncorrected chi-square test slightly liberal.
    MidP,
    /// Statistic `(b - c)^2 / (b + c)`, referred to chi-square with 1 degree of freedom, as
    /// statsmodels' `mcnemar(table, exact=False, correction=False)`.
    ChiSquare,
    /// Statistic `(|b - c| - 1)^2 / (b + c)`, as statsmodels'
    /// `mcnemar(table, exact=False, correction=True)` and R's `mcnemar.test`. Like them it
    /// is not floored at zero: `b = c` gives `1 / (b + c)`.
    ChiSquareCorrected,
}

/// Result of McNemar's test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct McNemar {
    /// The version that was run (never "auto": the one it chose).
    pub method: McNemarMethod,
    /// `min(b, c)` for the exact test, the chi-square statistic otherwise; 0 when there are
    /// no discordant pairs.
    pub statistic: f64,
    /// Two-sided p-value of equal accuracy; exactly 1 when there are no discordant pairs.
    pub p_value: f64,
    /// `b`: questions only the first variant answered correctly.
    pub first_only: u64,
    /// `c`: questions only the second variant answered correctly.
    pub second_only: u64,
}

/// McNemar's test of equal accuracy of two variants on the same questions.
///
/// With no discordant pairs (`b + c = 0`) every version returns statistic 0 and p-value 1:
/// the data show no difference. (statsmodels returns that for the exact test, and NaN or
/// infinity for the chi-square ones.) Any counts are accepted; with more than 2^40
/// discordant pairs the exact tail is the continuity-corrected normal tail, which for a
/// binomial with p = 1/2 is within 0.03 / (b + c) of it (measured against SciPy for
/// `b + c` from 1e3 to 1e9), below 3e-14.
pub fn mcnemar(table: &PairedTable, choice: McNemarChoice) -> McNemar {
    let (b, c) = (table.first_only, table.second_only);
    let discordant = table.discordant();
    let method = match choice {
        McNemarChoice::Auto if discordant < EXACT_BELOW as u128 => McNemarMethod::Exact,
        McNemarChoice::Auto | McNemarChoice::ChiSquareCorrected => {
            McNemarMethod::ChiSquareCorrected
        }
        McNemarChoice::Exact => McNemarMethod::Exact,
        McNemarChoice::MidP => McNemarMethod::MidP,
        McNemarChoice::ChiSquare => McNemarMethod::ChiSquare,
    };
    let (statistic, p_value) = if discordant == 0 {
        (0.0, 1.0)
    } else if method == McNemarMethod::Exact {
        let k = b.min(c);
        let p = 2.0 * binomial_half_cdf(k, discordant);
        (k as f64, p.min(1.0))
    } else if method == McNemarMethod::MidP {
        let k = b.min(c);
        let p = 2.0 * binomial_half_cdf(k, discordant) - binomial_half_pmf(k, discordant);
        (k as f64, p.clamp(0.0, 1.0))
    } else {
        let correction = if method == McNemarMethod::ChiSquareCorrected {
            1.0
        } else {
            0.0
        };
        let statistic = (b.abs_diff(c) as f64 - correction).powi(2) / discordant as f64;
        // Chi-square with 1 degree of freedom is Z^2: its upper tail is P(|Z| > sqrt(x)),
        // which the normal tail gives to full relative precision.
        (statistic, 2.0 * normal_sf(statistic.sqrt()))
    };
    McNemar {
        method,
        statistic,
        p_value,
        first_only: b,
        second_only: c,
    }
}

/// Up to this many trials the binomial tail is summed term by term (at most about
/// 4.5 sqrt(n) terms, 5e6 at the limit); above it the normal tail is used.
const SUM_LIMIT: u128 = 1 << 40;

/// `P(X <= k)` for `X ~ Binomial(n, 1/2)`, `n >= 1`, `2k <= n`.
fn binomial_half_cdf(k: u64, n: u128) -> f64 {
    let (kf, nf) = (k as f64, n as f64);
    if n > SUM_LIMIT {
        return normal_cdf((kf + 0.5 - nf / 2.0) / (nf.sqrt() / 2.0));
    }
    if k == 0 {
        return (-nf).exp2();
    }
    // P(X <= k) = pmf(k) sum_{i <= k} t_i with t_k = 1 and t_{i-1} = t_i i / (n - i + 1).
    // The ratios shrink as i falls, so the terms after t_i add up to less than
    // t_i r / (1 - r), r the current ratio: stop when that is negligible. Over the millions
    // of terms of a large table a plain sum drifts by 3e-12 and the running product by
    // 5e-14 (measured at 2^40 trials), so the sum is compensated (Kahan) and the product is
    // reset from the pmf every 256 terms: then it agrees with a 40-digit sum to 1e-15.
    let ln_head = ln_binomial_half_pmf(kf, nf);
    let (mut sum, mut carry, mut term, mut i) = (1.0, 0.0, 1.0, kf);
    let mut steps = 0u32;
    while i > 0.0 {
        let r = i / (nf - i + 1.0);
        term *= r;
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(256) && i > 1.0 {
            term = (ln_binomial_half_pmf(i - 1.0, nf) - ln_head).exp();
        }
        let y = term - carry;
        let next = sum + y;
        carry = (next - sum) - y;
        sum = next;
        if term * r < 1e-17 * sum * (1.0 - r) {
            break;
        }
        i -= 1.0;
    }
    (ln_head.exp() * sum).min(1.0)
}

/// `P(X = k)` for `X ~ Binomial(n, 1/2)`, `n >= 1`, `2k <= n` (the normal density with
/// the continuity-corrected tails' difference above [`SUM_LIMIT`] trials).
fn binomial_half_pmf(k: u64, n: u128) -> f64 {
    let (kf, nf) = (k as f64, n as f64);
    if n > SUM_LIMIT {
        let z = |x: f64| (x - nf / 2.0) / (nf.sqrt() / 2.0);
        return normal_cdf(z(kf + 0.5)) - normal_cdf(z(kf - 0.5));
    }
    if k == 0 {
        return (-nf).exp2();
    }
    ln_binomial_half_pmf(kf, nf).exp()
}

/// `ln P(X = k)` for `X ~ Binomial(n, 1/2)`, `1 <= k <= n/2`, to about 1e-15 absolute
/// where the pmf is not negligible, by Loader's saddle-point form ("Fast and accurate
/// computation of binomial probabilities", 2000, the method of R's `dbinom`): the Stirling
/// remainders and the deviance terms are each small, so nothing of size `n ln n` cancels.
fn ln_binomial_half_pmf(k: f64, n: f64) -> f64 {
    let half = n / 2.0;
    let lc = stirling_error(n)
        - stirling_error(k)
        - stirling_error(n - k)
        - deviance(k, half)
        - deviance(n - k, half);
    let lf = (2.0 * std::f64::consts::PI).ln() + k.ln() + (-k / n).ln_1p();
    lc - 0.5 * lf
}

/// `ln(n!) - ln(sqrt(2 pi n) (n/e)^n)` for an integer `n >= 1`.
fn stirling_error(n: f64) -> f64 {
    /// The values for n = 1..=15, computed in 40 digits with mpmath: below 16 the series
    /// does not converge fast enough, and the closed form cancels to about 1e-14.
    const SMALL: [f64; 15] = [
        0.08106146679532726,
        0.0413406959554093,
        0.02767792568499834,
        0.020790672103765093,
        0.016644691189821193,
        0.013876128823070748,
        0.01189670994589177,
        0.010411265261972096,
        0.009255462182712733,
        0.00833056343336287,
        0.007573675487951841,
        0.00694284010720953,
        0.006408994188004207,
        0.0059513701127588475,
        0.005554733551962801,
    ];
    if n <= 15.0 {
        return SMALL[n as usize - 1];
    }
    // The asymptotic series to 1/n^9; the next term is below 2e-16 from n = 16 on.
    let nn = n * n;
    (1.0 / 12.0
        - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / 1188.0 / nn) / nn) / nn) / nn)
        / n
}

/// The deviance term `x ln(x / m) + m - x`, by its series in `(x - m) / (x + m)` where the
/// closed form would cancel.
fn deviance(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let next = s + ej / f64::from(2 * j + 1);
            if next == s {
                break;
            }
            s = next;
        }
        return s;
    }
    x * (x / m).ln() + m - x
}

#[cfg(test)]
#[path = "mcnemar_tests.rs"]
mod tests;
