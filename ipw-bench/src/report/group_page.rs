//! A group comparison: distributions, ANOVA, post-hoc and pairwise tests, accuracy,
//! the Pareto chart and the verdicts.

use super::model::{fact, metric_unit, sample_values, short_name, Fact};
use super::svg::{distribution, pareto};
use super::ReportOptions;
use crate::analysis::format;
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
    pub omnibus: Option<TestRow>,
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
        omnibus: c.omnibus.as_ref().map(test_row),
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
