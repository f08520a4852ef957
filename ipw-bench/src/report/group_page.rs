//! A group comparison: distributions, ANOVA, post-hoc and pairwise tests, accuracy,
//! the Pareto chart and the verdicts.

use super::model::{fact, metric_unit, sample_values, short_name, Fact};
use super::svg::{distribution, pareto};
use super::ReportOptions;
use crate::analysis::format;
use crate::analysis::vocabulary::Test;
use crate::analysis::Metric;
use crate::results::{AnovaRow, CaseResult, GroupComparison, TestResult};
use crate::setup::config::Plots;
use serde::Serialize;
use std::collections::HashMap;

/// The cases a comparison may name, by the id the comparison uses.
pub type CaseLookup<'a> = HashMap<&'a str, CaseEntry<'a>>;

/// A case, the mean idle power (W) of the run it comes from, and what the comparison
/// calls it.
#[derive(Debug, Clone)]
pub struct CaseEntry<'a> {
    pub case: &'a CaseResult,
    pub idle_w: Option<f64>,
    /// Its label in tables and plots: the variant within a run ([`short_name`]), the run's
    /// label across runs.
    pub name: String,
}

impl<'a> CaseEntry<'a> {
    /// A case of a run's own group, named by [`short_name`].
    pub fn new(case: &'a CaseResult, idle_w: Option<f64>) -> CaseEntry<'a> {
        CaseEntry {
            case,
            idle_w,
            name: short_name(case),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub title: String,
    pub group: String,
    pub metric: String,
    pub variants: Vec<Fact>,
    pub distribution_svg: Option<String>,
    pub pareto_svg: Option<String>,
    /// The omnibus test, when there is no ANOVA table to head.
    pub omnibus: Option<TestRow>,
    /// The ANOVA table's own F test, for its heading: the figures equal the table's row.
    pub anova_heading: Option<TestRow>,
    /// The omnibus test that decides the verdict when it is not the table's (Welch's
    /// ANOVA when variances differ), said beside the table so the two never disagree
    /// silently.
    pub decided_by: Option<TestRow>,
    pub anova: Vec<AnovaView>,
    pub post_hoc: String,
    pub pairwise: Vec<PairRow>,
    pub assumptions: Vec<TestRow>,
    pub nonparametric: Option<TestRow>,
    pub verdict_basis: String,
    pub accuracy: Option<TestRow>,
    pub accuracy_verdict: String,
    pub factorial: Vec<AnovaView>,
    pub power: Vec<Fact>,
    pub verdicts: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TestRow {
    pub test: String,
    pub statistic: String,
    pub df: String,
    pub p_value: String,
}

#[derive(Debug, Serialize)]
pub struct AnovaView {
    pub source: String,
    pub ss: String,
    pub df: String,
    pub ms: String,
    pub f: String,
    pub p_value: String,
}

#[derive(Debug, Serialize)]
pub struct PairRow {
    pub a: String,
    pub b: String,
    pub difference: String,
    pub ratio: String,
    pub test: String,
    pub p_value: String,
    pub p_adjusted: String,
    pub hedges_g: String,
    pub verdict: String,
}

pub fn test_row(t: &TestResult) -> TestRow {
    TestRow {
        test: t.test.to_string(),
        statistic: format::sig(t.statistic),
        df: t
            .df
            .iter()
            .map(|d| format::count(*d))
            .collect::<Vec<_>>()
            .join(", "),
        p_value: format::p_value(t.p_value),
    }
}

/// The heading of the ANOVA table (its first row with an F test, the table's own figures)
/// and the omnibus test, split by what the page shows: the omnibus alone when there is no
/// table; beside the table only when it is another test than the table's.
fn omnibus_views(c: &GroupComparison) -> (Option<TestRow>, Option<TestRow>, Option<TestRow>) {
    let heading = c.anova_table.iter().find_map(|r| {
        let (f, p) = (r.f?, r.p_value?);
        let residual_df = c.anova_table.iter().find(|o| o.f.is_none()).map(|o| o.df);
        Some(TestRow {
            test: Test::Anova.to_string(),
            statistic: format::sig(f),
            df: std::iter::once(r.df)
                .chain(residual_df)
                .map(format::count)
                .collect::<Vec<_>>()
                .join(", "),
            p_value: format::p_value(p),
        })
    });
    let omnibus = c.omnibus.as_ref().map(test_row);
    match (heading, omnibus) {
        (None, omnibus) => (omnibus, None, None),
        (Some(h), Some(o)) if c.omnibus.as_ref().map(|t| t.test) != Some(Test::Anova) => {
            (None, Some(h), Some(o))
        }
        (Some(h), _) => (None, Some(h), None),
    }
}

fn anova_rows(rows: &[AnovaRow]) -> Vec<AnovaView> {
    rows.iter()
        .map(|r| AnovaView {
            source: r.source.clone(),
            ss: format::sig(r.ss),
            df: format::count(r.df),
            ms: format::opt(r.ms),
            f: format::opt(r.f),
            p_value: r.p_value.map_or("—".into(), format::p_value),
        })
        .collect()
}

pub fn build(c: &GroupComparison, cases: &CaseLookup, options: &ReportOptions) -> ComparisonView {
    let members: Vec<(&str, Option<&CaseEntry>)> = c
        .variants
        .iter()
        .map(|id| (id.as_str(), cases.get(id.as_str())))
        .collect();
    let name = |id: &str| {
        cases
            .get(id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let unit = metric_unit(
        members.iter().filter_map(|(_, m)| m.map(|m| m.case)),
        c.metric,
    );
    let distribution_svg = (options.plots != Plots::None)
        .then(|| {
            let series: Vec<(String, Vec<f64>)> = members
                .iter()
                .map(|(id, m)| {
                    let values = m.map(|e| sample_values(e.case, c.metric, e.idle_w));
                    (name(id), values.unwrap_or_default())
                })
                .collect();
            distribution::plot(&series, &c.metric.label(), &unit, distribution::WIDE)
        })
        .flatten();
    let pareto_svg = (options.plots != Plots::None)
        .then(|| {
            let points: Vec<pareto::Point> = members
                .iter()
                .filter_map(|(id, m)| {
                    let case = (*m)?.case;
                    let e = case.estimates.get(Metric::JoulesPerQuery.key())?;
                    let a = case.estimates.get(Metric::Accuracy.key())?;
                    Some(pareto::Point {
                        name: name(id),
                        energy: (e.point, e.ci_low, e.ci_high),
                        accuracy: (a.point, a.ci_low, a.ci_high),
                    })
                })
                .collect();
            (points.len() >= 2)
                .then(|| pareto::plot(&points, "J"))
                .flatten()
        })
        .flatten();
    let pairwise = c
        .pairwise
        .iter()
        .map(|p| PairRow {
            a: name(&p.a),
            b: name(&p.b),
            difference: {
                let d = &p.difference;
                format::point_with_interval(d.point, d.ci_low, d.ci_high, &unit)
            },
            ratio: format!(
                "{} [{}, {}]",
                format::sig(p.ratio.point),
                format::sig(p.ratio.ci_low),
                format::sig(p.ratio.ci_high)
            ),
            test: p.test.test.to_string(),
            p_value: format::p_value(p.test.p_value),
            p_adjusted: format!("{} ({})", format::p_value(p.p_adjusted), p.correction),
            hedges_g: format::opt(p.hedges_g),
            verdict: p.verdict.to_string(),
        })
        .collect();
    let power = power_facts(c);
    let (omnibus, anova_heading, decided_by) = omnibus_views(c);
    ComparisonView {
        title: format!("{}: {}", c.group, c.metric.label()),
        group: c.group.clone(),
        metric: c.metric.label(),
        variants: members
            .iter()
            .map(|(id, m)| fact(&name(id), m.map_or(*id, |e| e.case.id.as_str())))
            .collect(),
        distribution_svg,
        pareto_svg,
        omnibus,
        anova_heading,
        decided_by,
        anova: anova_rows(&c.anova_table),
        post_hoc: c.post_hoc.to_string(),
        pairwise,
        assumptions: c.assumptions.iter().map(test_row).collect(),
        nonparametric: c.nonparametric.as_ref().map(test_row),
        verdict_basis: c.verdict_basis.clone(),
        accuracy: c.accuracy.as_ref().map(|a| test_row(&a.test)),
        accuracy_verdict: c
            .accuracy
            .as_ref()
            .map(|a| a.verdict.to_string())
            .unwrap_or_default(),
        factorial: c.factorial.as_deref().map(anova_rows).unwrap_or_default(),
        power,
        verdicts: c.verdicts.clone(),
    }
}

/// The power of the comparison: the samples, the smallest effect they detect, and the
/// samples a 5% change needs.
fn power_facts(c: &GroupComparison) -> Vec<Fact> {
    c.power
        .as_ref()
        .map(|p| {
            vec![
                fact("samples per variant", p.n_per_group.to_string()),
                fact(
                    "smallest detectable effect (Cohen's d)",
                    format::sig(p.minimum_detectable_d),
                ),
                fact(
                    "smallest detectable change",
                    format::percent(p.minimum_detectable_relative),
                ),
                fact(
                    "samples per variant to detect a 5% change",
                    p.n_for_5_percent
                        .map_or("—".into(), |n| format!("{}", n.ceil())),
                ),
            ]
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::full_example;

    fn comparison(omnibus: Test, f: f64) -> GroupComparison {
        let mut c = full_example().comparisons.remove(0);
        c.anova_table = vec![
            AnovaRow {
                source: "variant".into(),
                ss: 8.0,
                df: 2.0,
                ms: Some(4.0),
                f: Some(5.25),
                p_value: Some(0.0123),
            },
            AnovaRow {
                source: "Residual".into(),
                ss: 16.0,
                df: 21.0,
                ms: Some(0.762),
                f: None,
                p_value: None,
            },
        ];
        c.omnibus = Some(TestResult {
            test: omnibus,
            statistic: f,
            df: vec![2.0, 12.4],
            p_value: 0.0456,
        });
        c
    }

    fn view(c: &GroupComparison) -> ComparisonView {
        build(c, &CaseLookup::new(), &ReportOptions { plots: Plots::None })
    }

    #[test]
    fn the_anova_heading_shows_the_tables_own_test_and_names_welchs_when_it_decides() {
        let v = view(&comparison(Test::WelchAnova, 3.9));
        let heading = v.anova_heading.expect("a heading");
        assert_eq!(heading.statistic, v.anova[0].f);
        assert_eq!(heading.p_value, v.anova[0].p_value);
        assert_eq!(heading.df, format!("{}, {}", v.anova[0].df, v.anova[1].df));
        let decided = v
            .decided_by
            .expect("Welch's ANOVA is said beside the table");
        assert_eq!(decided.test, Test::WelchAnova.to_string());
        assert_eq!(decided.statistic, format::sig(3.9));
        assert!(v.omnibus.is_none());
    }

    #[test]
    fn the_classic_anova_is_said_once_and_a_table_less_omnibus_stands_alone() {
        let v = view(&comparison(Test::Anova, 5.25));
        assert_eq!(v.anova_heading.expect("a heading").statistic, v.anova[0].f);
        assert!(v.decided_by.is_none() && v.omnibus.is_none());
        let mut bare = comparison(Test::KruskalWallis, 7.0);
        bare.anova_table.clear();
        let v = view(&bare);
        assert!(v.anova_heading.is_none() && v.decided_by.is_none());
        assert_eq!(
            v.omnibus.expect("the omnibus alone").statistic,
            format::sig(7.0)
        );
    }
}
