//! The sizing of McNemar's test: its power, the questions a difference needs and the
//! smallest difference a number of questions detects, paired and unpaired.

use crate::stats::dist::{normal_cdf, normal_quantile};
use crate::stats::error::StatsError;
use crate::stats::power::check_alpha;
use serde::{Deserialize, Serialize};

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
