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

use super::dist::{normal_cdf, normal_quantile, normal_sf};
use super::error::StatsError;
use super::paired::PairedTable;
use serde::{Deserialize, Serialize};

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

/// Questions needed to reach a target power.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuestionsNeeded {
    /// The real-valued solution of the sample-size formula.
    pub exact: f64,
    /// `exact` rounded up: the questions each variant answers.
    pub questions: u64,
}

/// Approximate power of McNemar's test (two-sided, level `alpha`) to detect a difference
/// `difference = p2 - p1` in accuracy with `questions` paired questions, when the variants
/// disagree on a share `discordance` of the questions:
/// `Phi((|delta| sqrt(n) - z_{1-alpha/2} sqrt(p_d)) / sqrt(p_d - delta^2))`, the normal
/// approximation that [`mcnemar_sample_size`] inverts (the far tail is ignored).
/// `|difference| <= discordance`, since the difference comes from the discordant pairs.
pub fn mcnemar_power(
    questions: f64,
    difference: f64,
    discordance: f64,
    alpha: f64,
) -> Result<f64, StatsError> {
    check_alpha(alpha)?;
    check_discordance(discordance)?;
    check_questions(questions)?;
    check_paired_difference(difference, discordance, true)?;
    let z = normal_quantile(1.0 - alpha / 2.0);
    let d = difference.abs();
    let shift = d * questions.sqrt() - z * discordance.sqrt();
    let spread = (discordance - d * d).max(0.0).sqrt();
    if spread == 0.0 {
        // delta = p_d = 1: every question is won by the same variant, nothing is random.
        return Ok(if shift > 0.0 { 1.0 } else { 0.0 });
    }
    Ok(normal_cdf(shift / spread))
}

/// Questions needed for McNemar's test (two-sided, level `alpha`) to detect a difference
/// `difference = p2 - p1` in accuracy with the given power, when the variants disagree on a
/// share `discordance` (`p_d`) of the questions. Connor's (1987) normal-approximation
/// formula ("Sample size for testing differences in proportions for the paired-sample
/// design", Biometrics 43, 207-211):
///
/// ```text
/// n = [z_{1-alpha/2} sqrt(p_d) + z_{power} sqrt(p_d - delta^2)]^2 / delta^2
/// ```
///
/// `0 < |difference| <= discordance`; `power` in `[0.5, 1)`. If the variants' errors were
/// independent, `p_d = 2 p (1 - p) + delta^2 / 2` for a mean accuracy `p`, and the count
/// is close to [`unpaired_sample_size`]'s per variant; correlated errors (the usual case)
/// make `p_d` smaller and the paired design needs fewer questions.
pub fn mcnemar_sample_size(
    difference: f64,
    discordance: f64,
    alpha: f64,
    power: f64,
) -> Result<QuestionsNeeded, StatsError> {
    let (za, zb) = quantiles(alpha, power)?;
    check_discordance(discordance)?;
    check_paired_difference(difference, discordance, false)?;
    questions_needed(connor(difference.abs(), discordance, za, zb))
}

/// The smallest difference `delta > 0` in accuracy that McNemar's test (two-sided, level
/// `alpha`) detects with the given power on `questions` paired questions when the variants
/// disagree on a share `discordance` of them: the root of Connor's formula
/// ([`mcnemar_sample_size`]) in `delta`, by bisection on `(0, discordance]`, where the
/// formula decreases. An error if even `delta = discordance` (every discordant pair won by
/// the same variant) needs more questions.
pub fn mcnemar_detectable_difference(
    questions: f64,
    discordance: f64,
    alpha: f64,
    power: f64,
) -> Result<f64, StatsError> {
    let (za, zb) = quantiles(alpha, power)?;
    check_discordance(discordance)?;
    check_questions(questions)?;
    let fewest = connor(discordance, discordance, za, zb);
    if questions < fewest {
        return Err(StatsError::Invalid(format!(
            "with {questions} questions and discordance {discordance}, no difference reaches \
             power {power}: it needs at least {fewest:.1} questions, or a higher discordance"
        )));
    }
    Ok(decreasing_root(
        |d| connor(d, discordance, za, zb) - questions,
        discordance,
    ))
}

/// Questions per variant for the unpaired comparison, each variant on its own independent
/// sample of questions: the two-proportion z-test (two-sided, level `alpha`) to detect
/// accuracies `p -+ delta/2` around a mean accuracy `p` with the given power,
///
/// ```text
/// n = [z_{1-alpha/2} sqrt(2 p (1 - p)) + z_{power} sqrt(2 p (1 - p) - delta^2 / 2)]^2 / delta^2
/// ```
///
/// (pooled variance under the null, unpooled under the alternative, the far tail ignored),
/// as statsmodels' `samplesize_proportions_2indep_onetail`. For comparison with
/// [`mcnemar_sample_size`]. `0 < |difference| <= 2 min(p, 1 - p)`.
pub fn unpaired_sample_size(
    difference: f64,
    mean_accuracy: f64,
    alpha: f64,
    power: f64,
) -> Result<QuestionsNeeded, StatsError> {
    let (za, zb) = quantiles(alpha, power)?;
    let widest = check_mean_accuracy(mean_accuracy)?;
    let d = difference.abs();
    if !(d > 0.0 && d <= widest) {
        return Err(StatsError::OutOfRange {
            name: "difference in accuracy",
            range: "non-zero, at most 2 min(p, 1 - p) in size, p the mean accuracy",
            value: difference,
        });
    }
    questions_needed(unpaired(d, mean_accuracy, za, zb))
}

/// The smallest difference `delta > 0` in accuracy that the unpaired two-proportion z-test
/// detects with `questions_per_variant` independent questions per variant around a mean
/// accuracy `p` (the inverse of [`unpaired_sample_size`], by bisection). For comparison
/// with [`mcnemar_detectable_difference`].
pub fn unpaired_detectable_difference(
    questions_per_variant: f64,
    mean_accuracy: f64,
    alpha: f64,
    power: f64,
) -> Result<f64, StatsError> {
    let (za, zb) = quantiles(alpha, power)?;
    let widest = check_mean_accuracy(mean_accuracy)?;
    check_questions(questions_per_variant)?;
    let fewest = unpaired(widest, mean_accuracy, za, zb);
    if questions_per_variant < fewest {
        return Err(StatsError::Invalid(format!(
            "with {questions_per_variant} questions per variant around accuracy \
             {mean_accuracy}, no difference reaches power {power}: it needs at least \
             {fewest:.1} questions per variant"
        )));
    }
    Ok(decreasing_root(
        |d| unpaired(d, mean_accuracy, za, zb) - questions_per_variant,
        widest,
    ))
}

/// Connor's paired sample size for a difference `d > 0`.
fn connor(d: f64, discordance: f64, za: f64, zb: f64) -> f64 {
    let spread = (discordance - d * d).max(0.0).sqrt();
    ((za * discordance.sqrt() + zb * spread) / d).powi(2)
}

/// The unpaired per-variant sample size for a difference `d > 0` around `p`.
fn unpaired(d: f64, p: f64, za: f64, zb: f64) -> f64 {
    let null = 2.0 * p * (1.0 - p);
    let alternative = (null - d * d / 2.0).max(0.0);
    ((za * null.sqrt() + zb * alternative.sqrt()) / d).powi(2)
}

fn questions_needed(exact: f64) -> Result<QuestionsNeeded, StatsError> {
    if exact.is_nan() || exact >= 1e18 {
        return Err(StatsError::Invalid(format!(
            "the difference is too small to size: it needs {exact:e} questions"
        )));
    }
    Ok(QuestionsNeeded {
        exact,
        // A root that lands a hair above an integer by rounding must not cost a question.
        questions: (exact - 1e-9 * exact).ceil() as u64,
    })
}

/// Root in `(0, hi]` of `f`, decreasing from `+inf` at 0 to `f(hi) <= 0`, to full precision.
fn decreasing_root(f: impl Fn(f64) -> f64, hi: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, hi);
    for _ in 0..2000 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo + (hi - lo) / 2.0
}

/// `z_{1-alpha/2}` and `z_{power}`.
fn quantiles(alpha: f64, power: f64) -> Result<(f64, f64), StatsError> {
    check_alpha(alpha)?;
    // Below 0.5 the sample-size formulas are no longer monotone in the difference, and
    // planning for less than even odds of detection is not a plan.
    if !(0.5..1.0).contains(&power) {
        return Err(StatsError::OutOfRange {
            name: "power",
            range: "[0.5, 1)",
            value: power,
        });
    }
    Ok((normal_quantile(1.0 - alpha / 2.0), normal_quantile(power)))
}

fn check_alpha(alpha: f64) -> Result<(), StatsError> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(StatsError::OutOfRange {
            name: "alpha",
            range: "(0, 1)",
            value: alpha,
        })
    }
}

fn check_discordance(discordance: f64) -> Result<(), StatsError> {
    if discordance > 0.0 && discordance <= 1.0 {
        Ok(())
    } else {
        Err(StatsError::OutOfRange {
            name: "discordance (share of questions on which the variants disagree)",
            range: "(0, 1]",
            value: discordance,
        })
    }
}

fn check_paired_difference(
    difference: f64,
    discordance: f64,
    zero_ok: bool,
) -> Result<(), StatsError> {
    let d = difference.abs();
    if d <= discordance && (zero_ok || d > 0.0) {
        Ok(())
    } else {
        Err(StatsError::OutOfRange {
            name: "difference in accuracy",
            range: if zero_ok {
                "at most the discordance in size"
            } else {
                "non-zero, at most the discordance in size"
            },
            value: difference,
        })
    }
}

fn check_questions(questions: f64) -> Result<(), StatsError> {
    if questions > 0.0 && questions.is_finite() {
        Ok(())
    } else {
        Err(StatsError::OutOfRange {
            name: "questions",
            range: "(0, inf)",
            value: questions,
        })
    }
}

/// Checks `p` and returns the largest difference around it, `2 min(p, 1 - p)`.
fn check_mean_accuracy(p: f64) -> Result<f64, StatsError> {
    if p > 0.0 && p < 1.0 {
        Ok(2.0 * p.min(1.0 - p))
    } else {
        Err(StatsError::OutOfRange {
            name: "mean accuracy",
            range: "(0, 1)",
            value: p,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(b: u64, c: u64, choice: McNemarChoice) -> McNemar {
        mcnemar(&PairedTable::new(7, b, c, 3), choice)
    }

    #[test]
    fn mid_p_is_the_exact_p_less_the_observed_table() {
        // n = 12, k = 2: P(X <= 2) = (1 + 12 + 66) / 4096, P(X = 2) = 66 / 4096.
        let t = test(2, 10, McNemarChoice::MidP);
        assert_eq!(t.method, McNemarMethod::MidP);
        assert_eq!(t.statistic, 2.0);
        assert!((t.p_value - 92.0 / 4096.0).abs() < 1e-15, "{}", t.p_value);
        let exact = test(10, 2, McNemarChoice::Exact);
        assert!((exact.p_value - 158.0 / 4096.0).abs() < 1e-15);
        // b = 0: 2^-n on each side, less the table's 2^-n.
        assert!((test(0, 5, McNemarChoice::MidP).p_value - 1.0 / 32.0).abs() < 1e-15);
        // A tie is no evidence at all: exactly 1.
        assert_eq!(test(6, 6, McNemarChoice::MidP).p_value, 1.0);
        // Large tables: within the chi-square's neighbourhood, between it and the exact.
        let (b, c) = (4_800, 5_200);
        let mid = test(b, c, McNemarChoice::MidP).p_value;
        let ex = test(b, c, McNemarChoice::Exact).p_value;
        let chi = test(b, c, McNemarChoice::ChiSquare).p_value;
        assert!(
            mid < ex && (mid - chi).abs() < 3e-3 * chi,
            "{mid} {ex} {chi}"
        );
        // Above the summing limit the normal forms take over, continuously.
        let huge = 1u64 << 41;
        let h = test(huge - 3_000_000, huge + 3_000_000, McNemarChoice::MidP).p_value;
        let hc = test(huge - 3_000_000, huge + 3_000_000, McNemarChoice::ChiSquare).p_value;
        assert!((h - hc).abs() < 1e-6 * hc.max(1e-300), "{h} {hc}");
    }

    #[test]
    fn exact_tail_by_hand() {
        // P(X <= 3), X ~ Bin(10, 1/2) = (1 + 10 + 45 + 120) / 1024.
        let p = binomial_half_cdf(3, 10);
        assert!((p / (176.0 / 1024.0) - 1.0).abs() < 1e-14, "{p:e}");
        let t = test(3, 7, McNemarChoice::Exact);
        assert_eq!(t.statistic, 3.0);
        assert!((t.p_value / (352.0 / 1024.0) - 1.0).abs() < 1e-14);
        assert_eq!(
            test(0, 1000, McNemarChoice::Exact).p_value,
            2.0 * 0.5f64.powi(1000)
        );
        // b = c: the doubled tail passes 1 and is capped.
        assert_eq!(test(6, 6, McNemarChoice::Exact).p_value, 1.0);
    }

    #[test]
    fn binomial_tail_adds_up() {
        // 2 P(X <= n/2 - 1) + P(X = n/2) = 1 for even n, odd n: 2 P(X <= (n-1)/2) = 1.
        for n in [2u64, 16, 17, 30, 31, 1000, 1_000_001, 1_000_000] {
            let k = n / 2;
            let total = if n % 2 == 0 {
                2.0 * binomial_half_cdf(k - 1, n as u128)
                    + ln_binomial_half_pmf(k as f64, n as f64).exp()
            } else {
                2.0 * binomial_half_cdf(k, n as u128)
            };
            assert!((total - 1.0).abs() < 1e-13, "{n}: {total}");
        }
    }

    #[test]
    fn normal_tail_takes_over_smoothly() {
        // At the limit, the summed tail and the continuity-corrected normal tail at the
        // same k agree to within the normal's O(1/n) error, 0.03 / 2^40 < 3e-14.
        let n = SUM_LIMIT;
        let (nf, sd) = (n as f64, (n as f64).sqrt() / 2.0);
        for z in [-0.5, -2.0, -4.0] {
            let k = (nf / 2.0 + z * sd).floor() as u64;
            let summed = binomial_half_cdf(k, n);
            let normal = normal_cdf((k as f64 + 0.5 - nf / 2.0) / sd);
            assert!(
                (summed - normal).abs() < 5e-14,
                "z {z}: {summed} vs {normal}"
            );
            // Just above the limit (normal tail), the same k a hair further out.
            let above = binomial_half_cdf(k, n + 2);
            assert!(above < summed && summed - above < 1e-6, "z {z}: {above}");
        }
    }

    #[test]
    fn no_discordant_pairs() {
        for choice in [
            McNemarChoice::Auto,
            McNemarChoice::Exact,
            McNemarChoice::ChiSquare,
            McNemarChoice::ChiSquareCorrected,
        ] {
            let t = test(0, 0, choice);
            assert_eq!((t.statistic, t.p_value), (0.0, 1.0), "{choice:?}");
        }
        let none = mcnemar(&PairedTable::default(), McNemarChoice::Auto);
        assert_eq!(none.p_value, 1.0);
    }

    #[test]
    fn auto_switches_at_25_discordant_pairs() {
        assert_eq!(
            test(10, 14, McNemarChoice::Auto).method,
            McNemarMethod::Exact
        );
        let t = test(10, 15, McNemarChoice::Auto);
        assert_eq!(t.method, McNemarMethod::ChiSquareCorrected);
        assert_eq!(t.statistic, 16.0 / 25.0);
        assert_eq!((t.first_only, t.second_only), (10, 15));
    }

    #[test]
    fn chi_square_by_hand() {
        let t = test(5, 15, McNemarChoice::ChiSquare);
        assert_eq!(t.statistic, 5.0);
        // P(chi2_1 > 5) = erfc(sqrt(2.5)) = 0.025347318677468264 (mpmath).
        assert!(
            (t.p_value / 0.025_347_318_677_468_264 - 1.0).abs() < 1e-13,
            "{:e}",
            t.p_value
        );
        // Corrected, b = c: not floored at zero, as statsmodels and R.
        assert_eq!(
            test(4, 4, McNemarChoice::ChiSquareCorrected).statistic,
            0.125
        );
        assert_eq!(test(4, 5, McNemarChoice::ChiSquareCorrected).p_value, 1.0);
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let max = mcnemar(
            &PairedTable::new(u64::MAX, u64::MAX, u64::MAX, u64::MAX),
            McNemarChoice::Auto,
        );
        assert_eq!(max.method, McNemarMethod::ChiSquareCorrected);
        assert!(max.p_value > 0.99 && max.p_value <= 1.0);
        let exact = mcnemar(
            &PairedTable::new(0, u64::MAX - 1, u64::MAX, 0),
            McNemarChoice::Exact,
        );
        assert!(exact.p_value > 0.99 && exact.p_value <= 1.0);
        let far = mcnemar(&PairedTable::new(0, 0, u64::MAX, 0), McNemarChoice::Exact);
        assert_eq!(far.p_value, 0.0);
    }

    #[test]
    fn connor_by_hand() {
        // delta 0.1, p_d 0.2, alpha 0.05, power 0.8:
        // [1.959964 sqrt(0.2) + 0.841621 sqrt(0.19)]^2 / 0.01 = 154.6, so 155 questions.
        let s = mcnemar_sample_size(0.1, 0.2, 0.05, 0.8).unwrap();
        assert_eq!(s.questions, 155);
        assert!((s.exact - 154.6).abs() < 0.05, "{s:?}");
        let d = mcnemar_detectable_difference(s.exact, 0.2, 0.05, 0.8).unwrap();
        assert!((d - 0.1).abs() < 1e-12, "{d}");
        let p = mcnemar_power(s.exact, -0.1, 0.2, 0.05).unwrap();
        assert!((p - 0.8).abs() < 1e-12, "{p}");
    }

    #[test]
    fn sizing_limits() {
        // 3 questions cannot detect anything at discordance 0.2.
        assert!(mcnemar_detectable_difference(3.0, 0.2, 0.05, 0.8).is_err());
        assert!(mcnemar_sample_size(0.3, 0.2, 0.05, 0.8).is_err());
        assert!(mcnemar_sample_size(0.0, 0.2, 0.05, 0.8).is_err());
        assert!(mcnemar_sample_size(0.1, 0.2, 0.05, 0.4).is_err());
        assert!(mcnemar_power(100.0, 0.1, 0.0, 0.05).is_err());
        assert!(unpaired_sample_size(0.5, 0.9, 0.05, 0.8).is_err());
        assert!(unpaired_detectable_difference(100.0, 1.0, 0.05, 0.8).is_err());
        // Every question won by the same variant: power is 0 or 1.
        assert_eq!(mcnemar_power(100.0, 1.0, 1.0, 0.05).unwrap(), 1.0);
        assert_eq!(mcnemar_power(2.0, 1.0, 1.0, 0.05).unwrap(), 0.0);
        // The largest detectable difference is the discordance itself.
        let fewest = mcnemar_sample_size(0.2, 0.2, 0.05, 0.8).unwrap().exact;
        let d = mcnemar_detectable_difference(fewest, 0.2, 0.05, 0.8).unwrap();
        assert!((d - 0.2).abs() < 1e-12);
    }

    #[test]
    fn pairing_pays_when_errors_agree() {
        // Mean accuracy 0.7, delta 0.05: independent errors would give p_d = 0.42 + 0.00125.
        let unpaired = unpaired_sample_size(0.05, 0.7, 0.05, 0.8).unwrap();
        let independent = mcnemar_sample_size(0.05, 0.42125, 0.05, 0.8).unwrap();
        assert!((independent.exact / unpaired.exact - 1.0).abs() < 0.01);
        let correlated = mcnemar_sample_size(0.05, 0.15, 0.05, 0.8).unwrap();
        assert!(correlated.exact < 0.4 * unpaired.exact);
    }
}
