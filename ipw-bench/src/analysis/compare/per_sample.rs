//! Per-sample metrics compared: Welch's t for two variants, ANOVA or Welch's ANOVA with
//! Tukey or Games-Howell for more, after the checks of normality and equal variances.

use super::{accuracy_test, ratio_ci, test, verdict_of, ALPHA};
use crate::analysis::design::{power_info, two_way};
use crate::analysis::metric::Metric;
use crate::analysis::processes::{process_count, unit_values};
use crate::analysis::record::{AnovaRow, CaseResult, Ci, GroupComparison, Pairwise, TestResult};
use crate::analysis::vocabulary::{Correction, Test};
use crate::stats::{
    anova, games_howell, kruskal, levene, mannwhitney, shapiro, ttest, tukey, welch_anova,
};

/// What the tests of a group found: the omnibus test and its table (three or more
/// variants), the rank test when normality is rejected, the pairs, and their correction.
struct Tested {
    omnibus: Option<TestResult>,
    anova_table: Vec<AnovaRow>,
    nonparametric: Option<TestResult>,
    pairwise: Vec<Pairwise>,
    post_hoc: Correction,
}

/// The variants' values, one slice per variant, with the metric and the settings every
/// test of a group shares.
struct Variants<'a> {
    cases: &'a [&'a CaseResult],
    values: &'a [Vec<f64>],
    slices: &'a [&'a [f64]],
    metric: Metric,
    noise: f64,
    seed: u64,
}

/// Compare the variants of one group on a per-sample metric.
pub(super) fn compare_per_sample(
    group: &str,
    cases: &[&CaseResult],
    metric: Metric,
    noise: f64,
    seed: u64,
) -> Option<GroupComparison> {
    // Measured in two or more processes: the process is the unit of evidence, and each
    // variant's values are its per-process means.
    let by_processes = cases.iter().all(|c| process_count(&c.samples) >= 2);
    let values: Vec<Vec<f64>> = cases
        .iter()
        .map(|c| unit_values(metric, &c.samples, by_processes))
        .collect();
    if values.iter().any(|v| v.len() < 2) {
        return None;
    }
    let slices: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
    let (assumptions, normal, equal_var) = assumptions(&values, &slices);
    let variants = Variants {
        cases,
        values: &values,
        slices: &slices,
        metric,
        noise,
        seed,
    };
    let Tested {
        omnibus,
        anova_table,
        nonparametric,
        pairwise,
        post_hoc,
    } = if cases.len() == 2 {
        two_variants(&variants, normal)?
    } else {
        many_variants(&variants, normal, equal_var)?
    };
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

/// The checks of the tests' assumptions (Shapiro-Wilk on each variant of three or more
/// values, then Levene), whether normality holds, and whether the variances are equal.
fn assumptions(values: &[Vec<f64>], slices: &[&[f64]]) -> (Vec<TestResult>, bool, bool) {
    let mut assumptions: Vec<TestResult> = values
        .iter()
        .filter(|v| v.len() >= 3)
        .filter_map(|v| shapiro::shapiro_wilk(v).ok())
        .map(|s| test(Test::ShapiroWilk, s.w, vec![], s.p_value))
        .collect();
    let normal = assumptions.iter().all(|t| t.p_value >= ALPHA);
    let lev = levene::brown_forsythe(slices).ok();
    let equal_var = lev.as_ref().is_none_or(|l| l.p_value >= ALPHA);
    if let Some(l) = &lev {
        assumptions.push(test(
            Test::Levene,
            l.statistic,
            vec![l.df1, l.df2],
            l.p_value,
        ));
    }
    (assumptions, normal, equal_var)
}

/// Two variants: Welch's t, with Mann-Whitney beside it when normality is rejected.
fn two_variants(variants: &Variants, normal: bool) -> Option<Tested> {
    let (cases, values, metric, noise, seed) = (
        variants.cases,
        variants.values,
        variants.metric,
        variants.noise,
        variants.seed,
    );
    let mut nonparametric = None;
    let mut pairwise = Vec::new();
    let post_hoc = Correction::None;
    let t = ttest::welch_t_test(&values[1], &values[0], 1.0 - ALPHA).ok()?;
    if !normal {
        let mw =
            mannwhitney::mann_whitney(&values[1], &values[0], mannwhitney::MwMethod::Asymptotic)
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
    Some(Tested {
        omnibus: None,
        anova_table: Vec::new(),
        nonparametric,
        pairwise,
        post_hoc,
    })
}

/// Three or more variants: ANOVA (Welch's when the variances differ), Kruskal-Wallis
/// beside it when normality is rejected, and the pairs by Tukey or Games-Howell.
fn many_variants(variants: &Variants, normal: bool, equal_var: bool) -> Option<Tested> {
    let (cases, values, slices) = (variants.cases, variants.values, variants.slices);
    let (metric, noise, seed) = (variants.metric, variants.noise, variants.seed);
    let mut nonparametric = None;
    let mut pairwise = Vec::new();
    let a = anova::anova(slices).ok()?;
    let anova_table = anova_rows(&a);
    let omnibus = Some(if equal_var {
        test(Test::Anova, a.f, vec![a.df_between, a.df_within], a.p_value)
    } else {
        let w = welch_anova::welch_anova(slices).ok()?;
        test(Test::WelchAnova, w.f, vec![w.df1, w.df2], w.p_value)
    });
    if !normal {
        nonparametric = kruskal::kruskal(slices)
            .ok()
            .map(|k| test(Test::KruskalWallis, k.h, vec![k.df], k.p_value));
    }
    let (table, name, correction) = if equal_var {
        (
            tukey::tukey_hsd(slices, 1.0 - ALPHA).ok()?,
            Test::Tukey,
            Correction::Tukey,
        )
    } else {
        (
            games_howell::games_howell(slices, 1.0 - ALPHA).ok()?,
            Test::GamesHowell,
            Correction::GamesHowell,
        )
    };
    let post_hoc = correction;
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
    Some(Tested {
        omnibus,
        anova_table,
        nonparametric,
        pairwise,
        post_hoc,
    })
}

/// The one-way ANOVA table: the variants' row and the residual's.
fn anova_rows(a: &anova::Anova) -> Vec<AnovaRow> {
    vec![
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
    ]
}
