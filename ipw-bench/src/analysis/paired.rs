//! Variants that answered the same questions, compared question by question.
//!
//! When every variant of a group has a question set of the same size, question `i` of one
//! is question `i` of the others (the normal case: models or precisions on one
//! benchmark), and the comparison is paired. Accuracy: McNemar's test on the questions
//! exactly one variant got right (exact below 25 of them, else the uncorrected chi-square
//! test, which Fagerland, Lydersen and Laake 2013 found closer to nominal than the
//! corrected or exact-conditional ones), Newcombe's paired interval on the difference,
//! Cochran's Q for three or more variants; with scores, or repeated answers that
//! disagree, a paired bootstrap over questions. Joules per correct answer and IPJ: a
//! paired bootstrap of the ratio over questions, both variants on the same draws.

use crate::analysis::compare::{ratio_comparison, ALPHA};
use crate::analysis::metric::Metric;
use crate::analysis::record::{
    AccuracyComparison, AccuracyPair, AccuracyVerdict, CaseResult, Ci, GroupComparison, Test,
    TestResult,
};
use crate::attribution::record::Question;
use crate::stats::bootstrap::{bootstrap_p_value, percentile_interval_alpha};
use crate::stats::correction::holm;
use crate::stats::dist::chi2_sf;
use crate::stats::mcnemar::{mcnemar, mcnemar_detectable_difference, McNemarChoice};
use crate::stats::paired::{paired_difference_ci, PairedCiMethod, PairedTable};
use crate::stats::Rng;

/// Resamples of the paired bootstraps.
const RESAMPLES: usize = 4_000;

/// The power the detectable difference is quoted at.
pub const POWER: f64 = 0.8;

/// Each case's question records, when every case has a question set of the same size.
pub(crate) fn shared_questions<'a>(cases: &[&'a CaseResult]) -> Option<Vec<&'a [Question]>> {
    let sets: Option<Vec<&[Question]>> = cases
        .iter()
        .map(|c| c.question_set.as_ref().map(|s| s.per_question.as_slice()))
        .collect();
    let sets = sets?;
    let n = sets.first()?.len();
    (n > 0 && sets.iter().all(|s| s.len() == n)).then_some(sets)
}

/// Why a comparison of query cases is not paired, when it is not.
pub(crate) fn unpaired_reason(cases: &[&CaseResult]) -> Option<String> {
    if cases.iter().any(|c| c.question_set.is_none()) {
        return None;
    }
    let sizes: Vec<String> = cases
        .iter()
        .map(|c| {
            c.question_set
                .as_ref()
                .map_or(0, |s| s.questions)
                .to_string()
        })
        .collect();
    Some(format!(
        "unpaired: the variants answered question sets of different sizes ({}), so no \
         question can be matched",
        sizes.join(", ")
    ))
}

/// A question's accuracy over its answers, `None` when none was judged.
fn accuracy(q: &Question) -> Option<f64> {
    let judged = q.correct + q.incorrect;
    (judged > 0.0).then(|| q.correct / judged)
}

/// The questions judged in every variant, with each variant's accuracy on them.
fn judged_rows(sets: &[&[Question]]) -> Vec<Vec<f64>> {
    (0..sets[0].len())
        .filter_map(|i| sets.iter().map(|s| accuracy(&s[i])).collect())
        .collect()
}

fn test(test: Test, statistic: f64, df: Vec<f64>, p_value: f64) -> TestResult {
    TestResult {
        test,
        statistic,
        df,
        p_value,
    }
}

fn verdict(p: f64) -> AccuracyVerdict {
    if p < ALPHA {
        AccuracyVerdict::Differs
    } else {
        AccuracyVerdict::Unchanged
    }
}

/// The paired accuracy comparison of variants on shared questions; `None` when no question
/// was judged by all of them.
pub(crate) fn accuracy_paired(sets: &[&[Question]], seed: u64) -> Option<AccuracyComparison> {
    let rows = judged_rows(sets);
    if rows.is_empty() {
        return None;
    }
    let binary = rows.iter().flatten().all(|&a| a == 0.0 || a == 1.0);
    let n = rows.len() as u64;
    let mut c = match (sets.len(), binary) {
        (2, true) => two_binary(&rows),
        (2, false) => two_scored(&rows, seed),
        (_, true) => cochran_q(&rows),
        // Scores across three or more variants: no paired omnibus test here.
        (_, false) => return None,
    };
    c.paired = true;
    c.questions = Some(n);
    Some(c)
}

/// Every pair of three or more variants on their shared questions, each by the test two
/// variants get ([`two_binary`] or [`two_scored`]), Holm-corrected across the pairs; `ids`
/// names the variants in the order of `sets`.
pub(crate) fn accuracy_pairs(sets: &[&[Question]], ids: &[String], seed: u64) -> Vec<AccuracyPair> {
    let rows = judged_rows(sets);
    if rows.is_empty() || sets.len() < 3 {
        return Vec::new();
    }
    let binary = rows.iter().flatten().all(|&a| a == 0.0 || a == 1.0);
    let mut pairs = Vec::new();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let two: Vec<Vec<f64>> = rows.iter().map(|r| vec![r[i], r[j]]).collect();
            let c = if binary {
                two_binary(&two)
            } else {
                two_scored(&two, seed ^ ((i as u64) << 16 | j as u64))
            };
            let Some(difference) = c.difference else {
                continue;
            };
            pairs.push(AccuracyPair {
                a: ids[i].clone(),
                b: ids[j].clone(),
                difference,
                test: c.test,
                p_adjusted: f64::NAN,
                verdict: AccuracyVerdict::Unchanged,
            });
        }
    }
    let p: Vec<f64> = pairs.iter().map(|x| x.test.p_value).collect();
    for (pair, adjusted) in pairs.iter_mut().zip(holm(&p)) {
        pair.p_adjusted = adjusted;
        pair.verdict = verdict(adjusted);
    }
    pairs
}

/// McNemar with Newcombe's interval and the detectable difference.
fn two_binary(rows: &[Vec<f64>]) -> AccuracyComparison {
    let count = |f: &dyn Fn(&[f64]) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    let table = PairedTable::new(
        count(&|r| r[0] == 1.0 && r[1] == 1.0),
        count(&|r| r[0] == 1.0 && r[1] == 0.0),
        count(&|r| r[0] == 0.0 && r[1] == 1.0),
        count(&|r| r[0] == 0.0 && r[1] == 0.0),
    );
    let discordant = table.discordant() as u64;
    // The mid-p test at every size: close to the nominal level where the exact test is
    // conservative and the uncorrected chi-square liberal (Fagerland, Lydersen and Laake
    // 2013; measured here: 63 false alarms in 1000 for the chi-square at 300 questions).
    let m = mcnemar(&table, McNemarChoice::MidP);
    let name = Test::McnemarMidP;
    let n = rows.len() as f64;
    let difference = paired_difference_ci(&table, 1.0 - ALPHA, PairedCiMethod::Newcombe)
        .ok()
        .map(|d| Ci {
            point: d.point,
            ci_low: d.low,
            ci_high: d.high,
        });
    let discordance = discordant as f64 / n;
    AccuracyComparison {
        test: test(name, m.statistic, vec![], m.p_value),
        verdict: verdict(m.p_value),
        paired: true,
        questions: None,
        difference,
        discordance: Some(discordance),
        minimum_detectable_difference: detectable(n, discordance),
        note: None,
        pairwise: Vec::new(),
    }
}

/// The smallest accuracy difference `n` shared questions detect at [`POWER`], at this
/// discordance (at least one question's worth, so that a perfect agreement still gets a
/// figure).
pub(crate) fn detectable(n: f64, discordance: f64) -> Option<f64> {
    mcnemar_detectable_difference(n, discordance.max(1.0 / n).min(1.0), ALPHA, POWER).ok()
}

/// Scores or disagreeing repeats: the paired bootstrap over questions of the difference of
/// accuracies, with its two-sided p-value.
fn two_scored(rows: &[Vec<f64>], seed: u64) -> AccuracyComparison {
    let n = rows.len();
    let diff = |idx: &mut dyn Iterator<Item = usize>| {
        let (mut a, mut b, mut k) = (0.0, 0.0, 0.0);
        for i in idx {
            a += rows[i][0];
            b += rows[i][1];
            k += 1.0;
        }
        (b - a) / k
    };
    let point = diff(&mut (0..n));
    let mut rng = Rng::new(seed);
    let replicates: Vec<f64> = (0..RESAMPLES)
        .map(|_| diff(&mut (0..n).map(|_| rng.below(n))))
        .collect();
    let p = bootstrap_p_value(&replicates, 0.0);
    let interval = percentile_interval_alpha(replicates, point, ALPHA);
    AccuracyComparison {
        test: test(Test::PairedBootstrap, point, vec![], p),
        verdict: verdict(p),
        paired: true,
        questions: None,
        difference: Some(interval.into()),
        discordance: None,
        minimum_detectable_difference: None,
        note: Some("scores or repeated answers that disagree: the paired bootstrap".into()),
        pairwise: Vec::new(),
    }
}

/// Cochran's Q over k variants' right/wrong answers to the same questions.
fn cochran_q(rows: &[Vec<f64>]) -> AccuracyComparison {
    let k = rows[0].len() as f64;
    let columns: Vec<f64> = (0..rows[0].len())
        .map(|j| rows.iter().map(|r| r[j]).sum())
        .collect();
    let row_totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let total: f64 = row_totals.iter().sum();
    let numerator = (k - 1.0) * (k * columns.iter().map(|c| c * c).sum::<f64>() - total * total);
    let denominator = k * total - row_totals.iter().map(|r| r * r).sum::<f64>();
    let (q, p) = if denominator > 0.0 {
        let q = numerator / denominator;
        (q, chi2_sf(q, k - 1.0))
    } else {
        // Every question answered alike by all: no evidence of a difference.
        (0.0, 1.0)
    };
    AccuracyComparison {
        test: test(Test::CochranQ, q, vec![k - 1.0], p),
        verdict: verdict(p),
        paired: true,
        questions: None,
        difference: None,
        discordance: None,
        minimum_detectable_difference: None,
        note: None,
        pairwise: Vec::new(),
    }
}

/// The columns a ratio metric of a case sums over questions, on the questions with energy
/// in every variant.
struct RatioColumns {
    energy: Vec<f64>,
    credit: Vec<f64>,
    asked: Vec<f64>,
    judged: Vec<f64>,
}

impl RatioColumns {
    fn of(set: &[Question], keep: &[usize]) -> RatioColumns {
        RatioColumns {
            energy: keep
                .iter()
                .map(|&i| set[i].energy_j.unwrap_or(0.0))
                .collect(),
            credit: keep.iter().map(|&i| set[i].correct).collect(),
            asked: keep.iter().map(|&i| set[i].asked as f64).collect(),
            judged: keep
                .iter()
                .map(|&i| set[i].correct + set[i].incorrect)
                .collect(),
        }
    }

    /// The metric over the questions drawn (`idx`).
    fn value(&self, metric: Metric, idx: &[usize]) -> f64 {
        let sum = |v: &[f64]| idx.iter().map(|&i| v[i]).sum::<f64>();
        match metric {
            Metric::Ipj => {
                (sum(&self.credit) / sum(&self.judged)) / (sum(&self.energy) / sum(&self.asked))
            }
            _ => sum(&self.energy) / sum(&self.credit),
        }
    }
}

/// Joules per correct answer or IPJ between every pair of variants by the paired
/// bootstrap over shared questions, Holm-corrected; `None` when a variant lacks them.
pub(crate) fn ratio_paired(
    group: &str,
    cases: &[&CaseResult],
    sets: &[&[Question]],
    metric: Metric,
    noise: f64,
    seed: u64,
) -> Option<GroupComparison> {
    let keep: Vec<usize> = (0..sets[0].len())
        .filter(|&i| {
            sets.iter()
                .all(|s| s[i].energy_j.is_some() && s[i].asked > 0)
        })
        .collect();
    if keep.len() < 2 {
        return None;
    }
    let columns: Vec<RatioColumns> = sets.iter().map(|s| RatioColumns::of(s, &keep)).collect();
    let all: Vec<usize> = (0..keep.len()).collect();
    if columns.iter().any(|c| !c.value(metric, &all).is_finite()) {
        return None;
    }
    let mut rows = Vec::new();
    for i in 0..cases.len() {
        for j in i + 1..cases.len() {
            let (a, b) = (&columns[i], &columns[j]);
            let point = b.value(metric, &all) / a.value(metric, &all);
            let mut rng = Rng::new(seed ^ (i * cases.len() + j) as u64);
            let mut idx = vec![0usize; keep.len()];
            let replicates: Vec<f64> = (0..RESAMPLES)
                .map(|_| {
                    for slot in idx.iter_mut() {
                        *slot = rng.below(keep.len());
                    }
                    b.value(metric, &idx) / a.value(metric, &idx)
                })
                .filter(|r| r.is_finite())
                .collect();
            if replicates.len() < 2 {
                return None;
            }
            let p = bootstrap_p_value(&replicates, 1.0);
            let ratio: Ci = percentile_interval_alpha(replicates, point, ALPHA).into();
            rows.push((i, j, ratio, p, a.value(metric, &all)));
        }
    }
    // Better is lower for J/correct and higher for IPJ; the verdict names the direction of
    // the ratio either way ("higher", "lower").
    Some(ratio_comparison(
        group,
        cases,
        metric,
        Test::PairedBootstrapRatio,
        rows,
        noise,
        accuracy_paired(sets, seed ^ 0xacc),
    ))
}

#[cfg(test)]
#[path = "paired_tests.rs"]
mod tests;
