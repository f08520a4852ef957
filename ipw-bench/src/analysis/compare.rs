//! Comparisons between the variants of a group: tests, effect sizes, power, verdicts.
//!
//! Per-sample metrics (energy per iteration) are compared with Welch's t for two variants,
//! and ANOVA / Welch's ANOVA with Tukey or Games-Howell for more; assumptions are checked
//! (Shapiro-Wilk, Levene) and the non-parametric test is reported beside when they fail.
//! Joules per correct answer is a ratio of sums, so it is compared by a seeded bootstrap
//! of the ratio of the two variants' ratios, Holm-corrected across pairs. Query cases on
//! the same questions are compared question by question (`analysis::paired`);
//! query cases on different question sets resample each variant's questions on its own.

mod per_sample;

use crate::analysis::metric::Metric;
use crate::analysis::paired::{
    accuracy_paired, accuracy_pairs, ratio_paired, shared_questions, unpaired_reason,
};
use crate::analysis::record::{
    AccuracyComparison, CaseResult, Ci, GroupComparison, Pairwise, Status, TestResult,
};
use crate::analysis::verdicts::verdict_lines;
use crate::analysis::vocabulary::{AccuracyVerdict, Correction, PairVerdict, Test};
use crate::attribution::record::Sample;
use crate::stats::bootstrap::{
    bootstrap_p_value, percentile_interval_alpha, two_group_ratio_replicates,
};
use crate::stats::{correction, proportions};
use per_sample::compare_per_sample;

/// Significance level of every verdict.
pub const ALPHA: f64 = 0.05;
/// Resamples of the bootstrap comparisons.
const RESAMPLES: usize = 4_000;

/// Default noise thresholds: relative changes below these are not called differences.
pub const DEFAULT_ENERGY_NOISE: f64 = 0.02;
/// Default noise threshold of time per iteration (1%); energy's is [`DEFAULT_ENERGY_NOISE`].
pub const DEFAULT_TIME_NOISE: f64 = 0.01;

/// The per-sample values of a metric, when it has them (time and energy per iteration).
pub fn per_sample(metric: Metric, samples: &[Sample]) -> Vec<f64> {
    samples
        .iter()
        .filter_map(|s| match metric {
            Metric::TimePerIter => Some(s.elapsed_s / s.iters as f64),
            Metric::EnergyPerIter => s
                .energy_total_j
                .filter(|_| s.valid)
                .map(|e| e / s.iters as f64),
            _ => None,
        })
        .collect()
}

/// Energy and credit of a query case's units of evidence: its questions (those with
/// energy), or the valid samples of a case without a question set (version 1 files).
fn energy_and_correct(c: &CaseResult) -> (Vec<f64>, Vec<f64>) {
    if let Some(set) = &c.question_set {
        return set
            .per_question
            .iter()
            .filter(|q| q.asked > 0)
            .filter_map(|q| q.energy_j.map(|e| (e, q.correct)))
            .unzip();
    }
    c.samples
        .iter()
        .filter(|s| s.valid && s.correct.is_some())
        .filter_map(|s| s.energy_total_j.map(|e| (e, s.correct.unwrap_or(0.0))))
        .unzip()
}

/// Right and wrong counts of a query case: over questions (each weighs one, as its
/// share of credit), or over answers for a case without a question set.
fn right_and_wrong(c: &CaseResult) -> Option<(f64, f64)> {
    if let Some(set) = &c.question_set {
        let acc: Vec<f64> = set
            .per_question
            .iter()
            .filter(|q| q.correct + q.incorrect > 0.0)
            .map(|q| q.correct / (q.correct + q.incorrect))
            .collect();
        let right: f64 = acc.iter().sum();
        return Some((right.round(), (acc.len() as f64 - right).round()));
    }
    let correct: f64 = c.samples.iter().filter_map(|s| s.correct).sum();
    let incorrect: f64 = c.samples.iter().filter_map(|s| s.incorrect).sum();
    c.samples
        .iter()
        .any(|s| s.correct.is_some())
        .then_some((correct.round(), incorrect.round()))
}

pub(crate) fn label(c: &CaseResult) -> String {
    c.variant.clone().unwrap_or_else(|| c.name.clone())
}

fn test(test: Test, statistic: f64, df: Vec<f64>, p_value: f64) -> TestResult {
    TestResult {
        test,
        statistic,
        df,
        p_value,
    }
}

/// Percentile bootstrap of mean(b) / mean(a), resampling each variant on its own.
fn ratio_ci(a: &[f64], b: &[f64], seed: u64) -> Ci {
    ratio_of_sums_ci(a, &vec![1.0; a.len()], b, &vec![1.0; b.len()], seed).0
}

/// Percentile bootstrap of (sum(bn)/sum(bd)) / (sum(an)/sum(ad)), each variant resampled
/// on its own, with the two-sided bootstrap p-value of "the ratio is 1".
fn ratio_of_sums_ci(an: &[f64], ad: &[f64], bn: &[f64], bd: &[f64], seed: u64) -> (Ci, f64) {
    let ra = an.iter().sum::<f64>() / ad.iter().sum::<f64>();
    let rb = bn.iter().sum::<f64>() / bd.iter().sum::<f64>();
    let point = rb / ra;
    let ratios = two_group_ratio_replicates((an, ad), (bn, bd), RESAMPLES, seed);
    if ratios.len() < 2 {
        return (Ci::degenerate(point), f64::NAN);
    }
    let p = bootstrap_p_value(&ratios, 1.0);
    (percentile_interval_alpha(ratios, point, ALPHA).into(), p)
}

/// `lower` or `higher` only when the test is significant and the whole interval of the
/// ratio lies beyond the noise band (as criterion does with its noise threshold).
pub(crate) fn verdict_of(ratio: &Ci, p: f64, noise: f64) -> PairVerdict {
    if p < ALPHA && ratio.ci_high < 1.0 - noise {
        PairVerdict::Lower
    } else if p < ALPHA && ratio.ci_low > 1.0 + noise {
        PairVerdict::Higher
    } else {
        PairVerdict::NoDifference
    }
}

/// Accuracy across the variants: paired on shared questions; otherwise two-proportion z
/// for two, chi-square for more, over questions (or answers, without a question set).
fn accuracy_test(cases: &[&CaseResult], seed: u64) -> Option<AccuracyComparison> {
    let shared = shared_questions(cases);
    if let Some(sets) = &shared {
        if let Some(mut c) = accuracy_paired(sets, seed) {
            let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
            c.pairwise = accuracy_pairs(sets, &ids, seed);
            return Some(c);
        }
    }
    let counts: Option<Vec<(f64, f64)>> = cases.iter().map(|c| right_and_wrong(c)).collect();
    let counts = counts?;
    let t = if counts.len() == 2 {
        let (x1, n1) = (counts[0].0 as u64, (counts[0].0 + counts[0].1) as u64);
        let (x2, n2) = (counts[1].0 as u64, (counts[1].0 + counts[1].1) as u64);
        let r = proportions::two_proportion_z_test(x1, n1, x2, n2).ok()?;
        test(Test::TwoProportionZ, r.statistic, vec![], r.p_value)
    } else {
        let table: Vec<Vec<f64>> = counts.iter().map(|&(c, i)| vec![c, i]).collect();
        let r = proportions::chi_square_independence(&table, false).ok()?;
        test(Test::ChiSquare, r.statistic, vec![r.df as f64], r.p_value)
    };
    let verdict = if t.p_value < ALPHA {
        AccuracyVerdict::Differs
    } else {
        AccuracyVerdict::Unchanged
    };
    let note = match shared {
        Some(_) => {
            Some("unpaired: scores across three or more variants have no paired test here".into())
        }
        None => unpaired_reason(cases),
    };
    Some(AccuracyComparison {
        test: t,
        verdict,
        paired: false,
        questions: None,
        difference: None,
        discordance: None,
        minimum_detectable_difference: None,
        note,
        pairwise: Vec::new(),
    })
}

/// Compare joules per correct answer through the paired bootstrap, Holm-corrected.
fn compare_joules_per_correct(
    group: &str,
    cases: &[&CaseResult],
    noise: f64,
    seed: u64,
) -> Option<GroupComparison> {
    let data: Vec<(Vec<f64>, Vec<f64>)> = cases.iter().map(|c| energy_and_correct(c)).collect();
    if data
        .iter()
        .any(|(e, c)| e.len() < 2 || c.iter().sum::<f64>() <= 0.0)
    {
        return None;
    }
    let mut rows = Vec::new();
    for i in 0..cases.len() {
        for j in i + 1..cases.len() {
            let (ea, ca) = &data[i];
            let (eb, cb) = &data[j];
            let k = (i * cases.len() + j) as u64;
            let (ratio, p) = ratio_of_sums_ci(ea, ca, eb, cb, seed ^ k);
            let a = ea.iter().sum::<f64>() / ca.iter().sum::<f64>();
            rows.push((i, j, ratio, p, a));
        }
    }
    Some(ratio_comparison(
        group,
        cases,
        Metric::JoulesPerCorrect,
        Test::BootstrapRatio,
        rows,
        noise,
        accuracy_test(cases, seed ^ 0xacc),
    ))
}

/// One pair of a ratio comparison: variants `i` and `j`, the ratio `j / i` with its
/// interval, its p-value, and variant `i`'s value.
pub(crate) type RatioRow = (usize, usize, Ci, f64, f64);

/// The comparison of a group on a ratio metric from its pairs' ratios: Holm-corrected
/// across pairs (none for two variants), each pair's difference from its ratio, and the
/// verdict from the corrected p-value and the noise band.
pub(crate) fn ratio_comparison(
    group: &str,
    cases: &[&CaseResult],
    metric: Metric,
    basis: Test,
    rows: Vec<RatioRow>,
    noise: f64,
    accuracy: Option<AccuracyComparison>,
) -> GroupComparison {
    let adjusted = correction::holm(&rows.iter().map(|r| r.3).collect::<Vec<_>>());
    let post_hoc = if cases.len() > 2 {
        Correction::Holm
    } else {
        Correction::None
    };
    let pairwise = rows
        .into_iter()
        .zip(adjusted)
        .map(|((i, j, ratio, p, a), p_adjusted)| Pairwise {
            a: cases[i].id.clone(),
            b: cases[j].id.clone(),
            metric,
            difference: Ci {
                point: a * (ratio.point - 1.0),
                ci_low: a * (ratio.ci_low - 1.0),
                ci_high: a * (ratio.ci_high - 1.0),
            },
            verdict: verdict_of(&ratio, p_adjusted, noise),
            ratio,
            test: test(basis, ratio.point, vec![], p),
            p_adjusted,
            correction: post_hoc,
            hedges_g: None,
        })
        .collect();
    GroupComparison {
        group: group.to_string(),
        metric,
        variants: cases.iter().map(|c| c.id.clone()).collect(),
        omnibus: None,
        anova_table: Vec::new(),
        post_hoc,
        pairwise,
        assumptions: Vec::new(),
        nonparametric: None,
        verdict_basis: basis.to_string(),
        accuracy,
        factorial: None,
        power: None,
        verdicts: Vec::new(),
    }
}

/// All comparisons of a group's cases (those that finished with valid samples).
pub fn compare_group(
    group: &str,
    cases: &[&CaseResult],
    energy_noise: f64,
    seed: u64,
) -> Vec<GroupComparison> {
    let ok: Vec<&CaseResult> = cases
        .iter()
        .copied()
        .filter(|c| c.status == Status::Ok)
        .collect();
    if ok.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(c) = compare_per_sample(group, &ok, Metric::EnergyPerIter, energy_noise, seed) {
        out.push(c);
    }
    if ok
        .iter()
        .all(|c| c.estimates.contains_key(Metric::JoulesPerCorrect.key()))
    {
        let seed = seed ^ 0x5a5a;
        match shared_questions(&ok) {
            Some(sets) => {
                for (k, metric) in [Metric::JoulesPerCorrect, Metric::Ipj]
                    .into_iter()
                    .enumerate()
                {
                    let s = seed ^ (k as u64) << 32;
                    out.extend(ratio_paired(group, &ok, &sets, metric, energy_noise, s));
                }
            }
            None => out.extend(compare_joules_per_correct(group, &ok, energy_noise, seed)),
        }
    }
    for c in &mut out {
        verdict_lines(c, &ok);
    }
    out
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
