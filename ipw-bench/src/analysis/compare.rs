//! Comparisons between the variants of a group: tests, effect sizes, power, verdicts.
//!
//! Per-sample metrics (energy per iteration) are compared with Welch's t for two variants,
//! and ANOVA / Welch's ANOVA with Tukey or Games-Howell for more; assumptions are checked
//! (Shapiro-Wilk, Levene) and the non-parametric test is reported beside when they fail.
//! Joules per correct answer is a ratio of sums, so it is compared by a seeded bootstrap
//! of the ratio of the two variants' ratios, Holm-corrected across pairs. Query cases on
//! the same questions are compared question by question ([`crate::analysis::paired`]);
//! query cases on different question sets resample each variant's questions on its own.

use crate::analysis::format::p_value_scientific;
use crate::analysis::metric::Metric;
use crate::analysis::paired::{accuracy_paired, ratio_paired, shared_questions, unpaired_reason};
use crate::analysis::record::{
    AccuracyComparison, AnovaRow, CaseResult, Ci, GroupComparison, Pairwise, PowerInfo, Status,
    TestResult,
};
use crate::analysis::vocabulary::{AccuracyVerdict, Correction, PairVerdict, Test};
use crate::attribution::record::Sample;
use crate::measure::sensor::Provenance;
use crate::stats::bootstrap::{
    bootstrap_p_value, percentile_interval_alpha, two_group_ratio_replicates,
};
use crate::stats::descriptive::mean;
use crate::stats::{
    anova, anova2, correction, games_howell, kruskal, levene, mannwhitney, power, proportions,
    shapiro, ttest, tukey, welch_anova,
};

/// Significance level of every verdict.
pub const ALPHA: f64 = 0.05;
/// Resamples of the bootstrap comparisons.
const RESAMPLES: usize = 4_000;

/// Default noise thresholds: relative changes below these are not called differences.
pub const DEFAULT_ENERGY_NOISE: f64 = 0.02;
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

fn label(c: &CaseResult) -> String {
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
    if let Some(c) = shared.as_ref().and_then(|s| accuracy_paired(s, seed)) {
        return Some(c);
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
    })
}

/// Two factors read from variant names like `precision=f16,batch=32`.
fn factors(cases: &[&CaseResult]) -> Option<[(String, Vec<String>); 2]> {
    let mut names: Option<[String; 2]> = None;
    let mut levels = [Vec::new(), Vec::new()];
    for c in cases {
        let v = c.variant.as_deref()?;
        let parts: Vec<(&str, &str)> = v
            .split([',', ';'])
            .map(|p| p.split_once('=').map(|(k, v)| (k.trim(), v.trim())))
            .collect::<Option<_>>()?;
        if parts.len() != 2 {
            return None;
        }
        let these = [parts[0].0.to_string(), parts[1].0.to_string()];
        match &names {
            None => names = Some(these),
            Some(n) if *n == these => {}
            Some(_) => return None,
        }
        levels[0].push(parts[0].1.to_string());
        levels[1].push(parts[1].1.to_string());
    }
    let [a, b] = names?;
    let [la, lb] = levels;
    Some([(a, la), (b, lb)])
}

fn two_way(cases: &[&CaseResult], values: &[Vec<f64>]) -> Option<Vec<AnovaRow>> {
    let [(fa, la), (fb, lb)] = factors(cases)?;
    let mut response = Vec::new();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (i, v) in values.iter().enumerate() {
        for &x in v {
            response.push(x);
            a.push(la[i].clone());
            b.push(lb[i].clone());
        }
    }
    let t = anova2::anova2(
        &response,
        anova2::Factor {
            name: &fa,
            levels: &a,
        },
        anova2::Factor {
            name: &fb,
            levels: &b,
        },
    )
    .ok()?;
    Some(
        t.effects
            .into_iter()
            .map(|e| AnovaRow {
                ms: (e.df > 0.0).then(|| e.ss / e.df),
                source: e.source,
                ss: e.ss,
                df: e.df,
                f: e.f,
                p_value: e.p_value,
            })
            .collect(),
    )
}

fn power_info(values: &[Vec<f64>]) -> Option<PowerInfo> {
    let n = values.iter().map(Vec::len).min()?;
    if n < 2 {
        return None;
    }
    let grand = mean(&values.concat());
    let pooled_var = values
        .iter()
        .map(|v| {
            let m = mean(v);
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>()
        })
        .sum::<f64>()
        / (values.iter().map(Vec::len).sum::<usize>() - values.len()) as f64;
    let sd = pooled_var.sqrt();
    let d = power::minimum_detectable_effect(n as f64, ALPHA, 0.8).ok()?;
    let d5 = 0.05 * grand.abs() / sd;
    Some(PowerInfo {
        n_per_group: n,
        minimum_detectable_d: d,
        minimum_detectable_relative: d * sd / grand.abs(),
        n_for_5_percent: power::sample_size_per_group(d5, ALPHA, 0.8)
            .ok()
            .map(|s| s.exact),
    })
}

/// Compare the variants of one group on a per-sample metric.
fn compare_per_sample(
    group: &str,
    cases: &[&CaseResult],
    metric: Metric,
    noise: f64,
    seed: u64,
) -> Option<GroupComparison> {
    let values: Vec<Vec<f64>> = cases
        .iter()
        .map(|c| per_sample(metric, &c.samples))
        .collect();
    if values.iter().any(|v| v.len() < 2) {
        return None;
    }
    let slices: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
    let mut assumptions: Vec<TestResult> = values
        .iter()
        .filter(|v| v.len() >= 3)
        .filter_map(|v| shapiro::shapiro_wilk(v).ok())
        .map(|s| test(Test::ShapiroWilk, s.w, vec![], s.p_value))
        .collect();
    let normal = assumptions.iter().all(|t| t.p_value >= ALPHA);
    let lev = levene::brown_forsythe(&slices).ok();
    let equal_var = lev.as_ref().is_none_or(|l| l.p_value >= ALPHA);
    if let Some(l) = &lev {
        assumptions.push(test(
            Test::Levene,
            l.statistic,
            vec![l.df1, l.df2],
            l.p_value,
        ));
    }
    let mut omnibus = None;
    let mut anova_table = Vec::new();
    let mut nonparametric = None;
    let mut pairwise = Vec::new();
    let post_hoc;
    if cases.len() == 2 {
        post_hoc = Correction::None;
        let t = ttest::welch_t_test(&values[1], &values[0], 1.0 - ALPHA).ok()?;
        if !normal {
            let mw = mannwhitney::mann_whitney(
                &values[1],
                &values[0],
                mannwhitney::MwMethod::Asymptotic,
            )
            .ok();
            nonparametric = mw.map(|m| test(Test::MannWhitney, m.u, vec![], m.p_value));
        }
        let ratio = ratio_ci(&values[0], &values[1], seed);
        // Welch's t is robust to unequal variances and, with a few samples per variant,
        // to moderate non-normality; the rank test is reported beside it when normality
        // is rejected, and the verdict line says whether the two agree.
        let chosen = test(Test::WelchT, t.statistic, vec![t.df], t.p_value);
        let p = chosen.p_value;
        pairwise.push(Pairwise {
            a: cases[0].id.clone(),
            b: cases[1].id.clone(),
            metric,
            difference: Ci {
                point: t.mean_difference,
                ci_low: t.ci.low,
                ci_high: t.ci.high,
            },
            verdict: verdict_of(&ratio, p, noise),
            ratio,
            test: chosen,
            p_adjusted: p,
            correction: Correction::None,
            hedges_g: Some(t.hedges_g),
        });
    } else {
        let a = anova::anova(&slices).ok()?;
        anova_table = vec![
            AnovaRow {
                source: "variant".into(),
                ss: a.ss_between,
                df: a.df_between,
                ms: Some(a.ms_between),
                f: Some(a.f),
                p_value: Some(a.p_value),
            },
            AnovaRow {
                source: "Residual".into(),
                ss: a.ss_within,
                df: a.df_within,
                ms: Some(a.ms_within),
                f: None,
                p_value: None,
            },
        ];
        omnibus = Some(if equal_var {
            test(Test::Anova, a.f, vec![a.df_between, a.df_within], a.p_value)
        } else {
            let w = welch_anova::welch_anova(&slices).ok()?;
            test(Test::WelchAnova, w.f, vec![w.df1, w.df2], w.p_value)
        });
        if !normal {
            nonparametric = kruskal::kruskal(&slices)
                .ok()
                .map(|k| test(Test::KruskalWallis, k.h, vec![k.df], k.p_value));
        }
        let (table, name, correction) = if equal_var {
            (
                tukey::tukey_hsd(&slices, 1.0 - ALPHA).ok()?,
                Test::Tukey,
                Correction::Tukey,
            )
        } else {
            (
                games_howell::games_howell(&slices, 1.0 - ALPHA).ok()?,
                Test::GamesHowell,
                Correction::GamesHowell,
            )
        };
        post_hoc = correction;
        for (k, row) in table.comparisons.iter().enumerate() {
            let (va, vb) = (&values[row.a], &values[row.b]);
            let ratio = ratio_ci(va, vb, seed ^ (k as u64 + 1));
            let g = ttest::welch_t_test(vb, va, 1.0 - ALPHA)
                .ok()
                .map(|t| t.hedges_g);
            pairwise.push(Pairwise {
                a: cases[row.a].id.clone(),
                b: cases[row.b].id.clone(),
                metric,
                difference: Ci {
                    point: row.mean_difference,
                    ci_low: row.ci_low,
                    ci_high: row.ci_high,
                },
                verdict: verdict_of(&ratio, row.p_value, noise),
                ratio,
                test: test(name, row.q, vec![row.df], row.p_value),
                p_adjusted: row.p_value,
                correction,
                hedges_g: g,
            });
        }
    }
    let verdict_basis = match &omnibus {
        Some(o) => format!("{} with {post_hoc}", o.test),
        None => Test::WelchT.to_string(),
    };
    Some(GroupComparison {
        group: group.to_string(),
        metric,
        variants: cases.iter().map(|c| c.id.clone()).collect(),
        omnibus,
        anova_table,
        post_hoc,
        pairwise,
        assumptions,
        nonparametric,
        verdict_basis,
        accuracy: accuracy_test(cases, seed ^ 0xacc),
        factorial: two_way(cases, &values),
        power: power_info(&values),
        verdicts: Vec::new(),
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
    let adjusted = correction::holm(&rows.iter().map(|r| r.3).collect::<Vec<_>>());
    let holm = if cases.len() > 2 {
        Correction::Holm
    } else {
        Correction::None
    };
    let pairwise = rows
        .into_iter()
        .zip(adjusted)
        .map(|((i, j, ratio, p, a), padj)| Pairwise {
            a: cases[i].id.clone(),
            b: cases[j].id.clone(),
            metric: Metric::JoulesPerCorrect,
            difference: Ci {
                point: a * (ratio.point - 1.0),
                ci_low: a * (ratio.ci_low - 1.0),
                ci_high: a * (ratio.ci_high - 1.0),
            },
            verdict: verdict_of(&ratio, padj, noise),
            ratio,
            test: test(Test::BootstrapRatio, ratio.point, vec![], p),
            p_adjusted: padj,
            correction: holm,
            hedges_g: None,
        })
        .collect();
    Some(GroupComparison {
        group: group.to_string(),
        metric: Metric::JoulesPerCorrect,
        variants: cases.iter().map(|c| c.id.clone()).collect(),
        omnibus: None,
        anova_table: Vec::new(),
        post_hoc: holm,
        pairwise,
        assumptions: Vec::new(),
        nonparametric: None,
        verdict_basis: Test::BootstrapRatio.to_string(),
        accuracy: accuracy_test(cases, seed ^ 0xacc),
        factorial: None,
        power: None,
        verdicts: Vec::new(),
    })
}

/// How a verdict line says the accuracy comparison: the verdict, the difference where
/// there is one, and the test with what it rests on; `scope` (e.g. " across variants")
/// follows the verdict.
fn accuracy_words(acc: &AccuracyComparison, scope: &str) -> String {
    let old_style = !acc.paired && acc.note.is_none();
    if old_style {
        // A comparison without question sets (a file of version 1, or cases built from
        // samples alone): every answer counted as a question, and the line says so.
        return format!(
            "accuracy {}{scope} ({} over answers, p = {})",
            acc.verdict,
            acc.test.test,
            p_value_scientific(acc.test.p_value)
        );
    }
    let mut s = format!("accuracy {}{scope}", acc.verdict);
    if let Some(d) = &acc.difference {
        s.push_str(&format!(
            " {:+.1} pts [{:+.1}, {:+.1}]",
            d.point * 100.0,
            d.ci_low * 100.0,
            d.ci_high * 100.0
        ));
    }
    let basis = match acc.questions {
        Some(n) => format!("{}, {n} shared questions", acc.test.test),
        None => acc.test.test.to_string(),
    };
    s.push_str(&format!(
        " ({basis}, p = {})",
        p_value_scientific(acc.test.p_value)
    ));
    if let Some(mde) = acc.minimum_detectable_difference {
        s.push_str(&format!("; detects {:.1} pts at 80% power", mde * 100.0));
    }
    if let Some(note) = acc.note.as_ref().filter(|_| !acc.paired) {
        s.push_str(&format!(" [{note}]"));
    }
    s
}

/// The plain verdict lines of a comparison.
fn verdict_lines(c: &mut GroupComparison, cases: &[&CaseResult]) {
    let name_of = |id: &str| {
        cases
            .iter()
            .find(|c| c.id == id)
            .map(|c| label(c))
            .unwrap_or_else(|| id.to_string())
    };
    let words = c.metric.words();
    let provenance = cases
        .iter()
        .map(|c| c.provenance)
        .fold(Provenance::Measured, Provenance::weakest);
    let mut lines = Vec::new();
    if let Some(o) = &c.omnibus {
        lines.push(format!(
            "{} across {} variants: {} F({:.1}, {:.1}) = {:.2}, p = {}",
            words,
            c.variants.len(),
            o.test,
            o.df.first().copied().unwrap_or(f64::NAN),
            o.df.get(1).copied().unwrap_or(f64::NAN),
            o.statistic,
            p_value_scientific(o.p_value)
        ));
    }
    for p in &c.pairwise {
        let change = p.ratio.point - 1.0;
        let (lo, hi) = (p.ratio.ci_low - 1.0, p.ratio.ci_high - 1.0);
        let what = match p.verdict {
            PairVerdict::Lower => format!(
                "{:.1}% fewer {words} [{:.1}%, {:.1}%]",
                -change * 100.0,
                -hi * 100.0,
                -lo * 100.0
            ),
            PairVerdict::Higher => format!(
                "{:.1}% more {words} [{:.1}%, {:.1}%]",
                change * 100.0,
                lo * 100.0,
                hi * 100.0
            ),
            PairVerdict::NoDifference => format!(
                "no clear difference in {words} ({:+.1}% [{:+.1}%, {:+.1}%])",
                change * 100.0,
                lo * 100.0,
                hi * 100.0
            ),
        };
        let stat = match p.test.test {
            Test::WelchT => format!(
                "Welch t({:.1}) = {:.2}, p = {}",
                p.test.df.first().copied().unwrap_or(f64::NAN),
                p.test.statistic,
                p_value_scientific(p.p_adjusted)
            ),
            other => format!("{other}, p = {}", p_value_scientific(p.p_adjusted)),
        };
        let mut line = format!("{} vs {}: {what}, {stat}", name_of(&p.b), name_of(&p.a));
        if let Some(np) = &c.nonparametric {
            let basis_significant = c
                .omnibus
                .as_ref()
                .map_or(p.test.p_value < ALPHA, |o| o.p_value < ALPHA);
            let agree = (np.p_value < ALPHA) == basis_significant;
            line.push_str(&format!(
                " (normality rejected; {} p = {} {})",
                np.test,
                p_value_scientific(np.p_value),
                if agree { "agrees" } else { "DISAGREES" }
            ));
        }
        if let Some(acc) = c.accuracy.as_ref().filter(|_| c.variants.len() == 2) {
            line.push_str(&format!("; {}", accuracy_words(acc, "")));
        }
        if p.verdict == PairVerdict::NoDifference {
            if let Some(pw) = &c.power {
                if pw.minimum_detectable_relative > 0.05 {
                    line.push_str(&format!(
                        "; underpowered: {} samples detect {:.1}%, {} per variant would detect 5%",
                        pw.n_per_group,
                        pw.minimum_detectable_relative * 100.0,
                        pw.n_for_5_percent
                            .map_or("?".into(), |n| format!("{}", n.ceil()))
                    ));
                }
            }
        }
        if provenance != Provenance::Measured {
            line.push_str(&format!(" [{provenance} energy]"));
        }
        lines.push(line);
    }
    if let (Some(acc), true) = (&c.accuracy, c.variants.len() > 2) {
        lines.push(accuracy_words(acc, " across variants"));
    }
    c.verdicts = lines;
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
mod tests {
    use super::*;

    use crate::results::example::synthetic_case as case;

    #[test]
    fn ten_percent_less_energy_is_told_apart() {
        let a = case("g/f32", 1.0, 30, 1, None);
        let b = case("g/f16", 0.9, 30, 2, None);
        let c = compare_group("g", &[&a, &b], DEFAULT_ENERGY_NOISE, 7);
        assert_eq!(c.len(), 1);
        let p = &c[0].pairwise[0];
        assert_eq!(p.verdict, PairVerdict::Lower);
        assert!(
            p.ratio.ci_low < 0.9 + 0.03 && p.ratio.ci_high > 0.9 - 0.03,
            "{:?}",
            p.ratio
        );
        assert!(p.hedges_g.unwrap() < -2.0);
        assert!(
            c[0].verdicts[0].starts_with("f16 vs f32: "),
            "{:?}",
            c[0].verdicts
        );
        assert!(
            c[0].verdicts[0].contains("fewer J/iter"),
            "{:?}",
            c[0].verdicts
        );
    }

    #[test]
    fn identical_variants_get_no_false_verdict_across_seeds() {
        for seed in 0..100 {
            let a = case("g/a", 1.0, 20, seed * 2, None);
            let b = case("g/b", 1.0, 20, seed * 2 + 1, None);
            let c = compare_group("g", &[&a, &b], DEFAULT_ENERGY_NOISE, seed);
            assert_eq!(
                c[0].pairwise[0].verdict,
                PairVerdict::NoDifference,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn three_variants_get_anova_and_post_hoc() {
        let a = case("g/a", 1.0, 15, 1, Some(0.9));
        let b = case("g/b", 1.0, 15, 2, Some(0.9));
        let c = case("g/c", 0.8, 15, 3, Some(0.5));
        let cmp = compare_group("g", &[&a, &b, &c], DEFAULT_ENERGY_NOISE, 3);
        let e = &cmp[0];
        assert!(matches!(
            e.omnibus.as_ref().unwrap().test,
            Test::Anova | Test::WelchAnova
        ));
        assert!(e.omnibus.as_ref().unwrap().p_value < 1e-6);
        assert_eq!(e.pairwise.len(), 3);
        assert!(matches!(
            e.post_hoc,
            Correction::Tukey | Correction::GamesHowell
        ));
        assert_eq!(e.pairwise[0].verdict, PairVerdict::NoDifference);
        assert_eq!(e.pairwise[1].verdict, PairVerdict::Lower);
        assert_eq!(
            e.accuracy.as_ref().unwrap().verdict,
            AccuracyVerdict::Differs
        );
        assert!(e.power.as_ref().unwrap().minimum_detectable_d > 0.5);
    }

    #[test]
    fn joules_per_correct_uses_the_ratio_bootstrap() {
        // Same energy, accuracy 0.9 vs 0.6: b needs 50% more joules per correct answer.
        let a = case("g/a", 1.0, 20, 1, Some(0.9));
        let mut b = case("g/b", 1.0, 20, 2, Some(0.6));
        b.estimates.insert("joules_per_correct".into(), dummy());
        let mut a2 = a.clone();
        a2.estimates.insert("joules_per_correct".into(), dummy());
        let cmp = compare_group("g", &[&a2, &b], DEFAULT_ENERGY_NOISE, 5);
        let j = cmp
            .iter()
            .find(|c| c.metric == Metric::JoulesPerCorrect)
            .unwrap();
        let p = &j.pairwise[0];
        assert!((p.ratio.point - 1.5).abs() < 0.05, "{:?}", p.ratio);
        assert_eq!(p.verdict, PairVerdict::Higher);
        assert!(j.verdicts[0].contains("more J/correct"), "{:?}", j.verdicts);
    }

    #[test]
    fn factorial_variants_get_a_two_way_table() {
        let mut cases = Vec::new();
        for (i, (p, b, m)) in [
            ("f32", "8", 1.0),
            ("f32", "32", 0.8),
            ("f16", "8", 0.9),
            ("f16", "32", 0.7),
        ]
        .into_iter()
        .enumerate()
        {
            let mut c = case(&format!("g/precision={p},batch={b}"), m, 10, i as u64, None);
            c.variant = Some(format!("precision={p},batch={b}"));
            cases.push(c);
        }
        let refs: Vec<&CaseResult> = cases.iter().collect();
        let cmp = compare_group("g", &refs, DEFAULT_ENERGY_NOISE, 1);
        let f = cmp[0].factorial.as_ref().expect("two-way table");
        let sources: Vec<&str> = f.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(
            sources,
            ["precision", "batch", "precision:batch", "Residual"]
        );
        assert!(f[0].p_value.unwrap() < 1e-6 && f[1].p_value.unwrap() < 1e-6);
    }

    fn dummy() -> crate::analysis::record::Estimate {
        crate::analysis::record::Estimate {
            point: 0.0,
            ci_low: 0.0,
            ci_high: 0.0,
            confidence: 0.95,
            method: "percentile".into(),
            unit: "J".into(),
            provenance: Provenance::Synthetic,
            resampled: None,
        }
    }
}
