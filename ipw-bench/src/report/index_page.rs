//! The index: every case with its estimates, the best variant of each group, the verdicts.

use super::model::{earlier_run, headline_metric, metric_unit, short_name, Cell, Links};
use super::svg::forest;
use super::ReportOptions;
use crate::analysis::format;
use crate::analysis::metric::{Better, Metric};
use crate::results::{CaseResult, RunResults, Status};
use crate::setup::config::Plots;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IndexPage {
    pub root: String,
    pub title: String,
    pub benches: Vec<BenchInfo>,
    pub many_benches: bool,
    pub warnings: Vec<Warning>,
    pub columns: Vec<String>,
    pub rows: Vec<CaseRow>,
    pub groups: Vec<GroupSummary>,
    pub has_baseline: bool,
}

#[derive(Debug, Serialize)]
pub struct BenchInfo {
    pub bench: String,
    pub host: String,
    pub started_at: String,
    pub cases: usize,
}

#[derive(Debug, Serialize)]
pub struct Warning {
    pub bench: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub bench: String,
    pub id: String,
    pub href: String,
    pub status: String,
    pub message: String,
    pub provenance: String,
    pub cells: Vec<Cell>,
    pub warnings: Vec<QualityNote>,
    pub change: Option<ChangeNote>,
    pub best: bool,
    /// The start of the earlier run that measured this case, when it is not this run's.
    pub earlier: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QualityNote {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeNote {
    pub metric: String,
    pub change: String,
    pub ci: String,
    pub verdict: String,
}

#[derive(Debug, Serialize)]
pub struct GroupSummary {
    pub bench: String,
    pub group: String,
    pub metric: String,
    /// One sentence: which case is best on the headline metric and how sure that is.
    pub best: String,
    pub plot: Option<String>,
    pub comparisons: Vec<ComparisonLink>,
}

#[derive(Debug, Serialize)]
pub struct ComparisonLink {
    pub metric: String,
    pub href: String,
    pub verdicts: Vec<String>,
}

/// The change against the baseline shown on the index: the headline energy metric.
pub fn change_note(case: &CaseResult) -> Option<ChangeNote> {
    let b = case.baseline.as_ref()?;
    let m = [Metric::JoulesPerCorrect, Metric::EnergyPerIter]
        .into_iter()
        .find_map(|k| b.metrics.iter().find(|m| m.metric == k))
        .or_else(|| b.metrics.first())?;
    Some(ChangeNote {
        metric: m.metric.label(),
        change: format::signed_percent(m.change.point),
        ci: format::signed_percent_interval(m.change.ci_low, m.change.ci_high),
        verdict: m.verdict.to_string(),
    })
}

/// The best case of a group on `metric` (lowest, or highest where higher is better) and
/// whether its interval is clear of every other case's.
fn best_of<'a>(cases: &[&'a CaseResult], metric: Metric) -> Option<(&'a CaseResult, bool)> {
    let lower = metric.better() == Better::Lower;
    let key = metric.key();
    let with: Vec<&CaseResult> = cases
        .iter()
        .copied()
        .filter(|c| c.status == Status::Ok && c.estimates.contains_key(key))
        .collect();
    let best = with.iter().copied().min_by(|a, b| {
        let (x, y) = (a.estimates[key].point, b.estimates[key].point);
        if lower {
            x.total_cmp(&y)
        } else {
            y.total_cmp(&x)
        }
    })?;
    let e = &best.estimates[key];
    let clear = with.iter().filter(|c| c.id != best.id).all(|c| {
        let o = &c.estimates[key];
        if lower {
            e.ci_high < o.ci_low
        } else {
            e.ci_low > o.ci_high
        }
    });
    Some((best, clear && with.len() > 1))
}

fn group_summary(
    index: usize,
    run: &RunResults,
    group: &str,
    links: &Links,
    options: &ReportOptions,
) -> Option<GroupSummary> {
    let cases: Vec<&CaseResult> = run.cases.iter().filter(|c| c.group == group).collect();
    if cases.len() < 2 {
        return None;
    }
    let metric = headline_metric(cases.iter().copied());
    let label = metric.label();
    let best = best_of(&cases, metric);
    let best_text = match best {
        Some((b, true)) => format!(
            "{} has the lowest {label}, and its {} interval does not overlap any other \
             variant's: the difference is clear.",
            b.id,
            format::percent(b.estimates[metric.key()].confidence)
        ),
        Some((b, false)) => format!(
            "{} has the lowest {label} point estimate, but its interval overlaps another \
             variant's: see the comparison's tests before calling it better.",
            b.id
        ),
        // Kept, so that the links to the group's comparisons still show.
        None => format!("No case of this group has a valid {label}."),
    };
    let best_id = best.map(|(b, _)| b.id.as_str());
    let plot = (options.plots != Plots::None)
        .then(|| {
            let rows: Vec<forest::Row> = cases
                .iter()
                .map(|c| {
                    let e = c.estimates.get(metric.key());
                    forest::Row {
                        name: short_name(c),
                        point: e.map_or(f64::NAN, |e| e.point),
                        low: e.map_or(f64::NAN, |e| e.ci_low),
                        high: e.map_or(f64::NAN, |e| e.ci_high),
                        best: Some(c.id.as_str()) == best_id,
                    }
                })
                .collect();
            forest::plot(&rows, &label, &metric_unit(cases.iter().copied(), metric))
        })
        .flatten();
    let comparisons = run
        .comparisons
        .iter()
        .filter(|c| c.group == group)
        .filter_map(|c| {
            Some(ComparisonLink {
                metric: c.metric.label(),
                href: links.group(index, c)?.to_string(),
                verdicts: c.verdicts.clone(),
            })
        })
        .collect();
    Some(GroupSummary {
        bench: run.bench.clone(),
        group: group.to_string(),
        metric: label,
        best: best_text,
        plot,
        comparisons,
    })
}

pub fn build(runs: &[RunResults], links: &Links, options: &ReportOptions) -> IndexPage {
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    let mut warnings = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        warnings.extend(run.warnings.iter().map(|w| Warning {
            bench: run.bench.clone(),
            message: w.clone(),
        }));
        let mut seen: Vec<&str> = Vec::new();
        for case in &run.cases {
            if !seen.contains(&case.group.as_str()) {
                seen.push(&case.group);
            }
        }
        let mut best_ids = Vec::new();
        for g in seen {
            if let Some(s) = group_summary(index, run, g, links, options) {
                groups.push(s);
            }
            let members: Vec<&CaseResult> = run.cases.iter().filter(|c| c.group == g).collect();
            if members.len() > 1 {
                if let Some((b, _)) = best_of(&members, headline_metric(members.iter().copied())) {
                    best_ids.push(b.id.clone());
                }
            }
        }
        for case in &run.cases {
            rows.push(CaseRow {
                bench: run.bench.clone(),
                id: case.id.clone(),
                earlier: earlier_run(run, case),
                href: links.case(index, &case.id).unwrap_or_default().to_string(),
                status: format!("{:?}", case.status).to_lowercase(),
                message: case.message.clone().unwrap_or_default(),
                provenance: case.provenance.as_str().to_string(),
                cells: Metric::index_columns()
                    .map(|(m, _)| Cell::of(case.estimates.get(m.key())))
                    .collect(),
                warnings: case
                    .quality
                    .iter()
                    .map(|q| QualityNote {
                        code: q.code.clone(),
                        message: q.message.clone(),
                    })
                    .collect(),
                change: change_note(case),
                best: best_ids.contains(&case.id),
            });
        }
    }
    IndexPage {
        root: String::new(),
        title: "ipw-bench report".to_string(),
        benches: runs
            .iter()
            .map(|r| BenchInfo {
                bench: r.bench.clone(),
                host: r
                    .run
                    .host
                    .hostname
                    .clone()
                    .unwrap_or_else(|| "unknown host".into()),
                started_at: r.run.started_at.clone(),
                cases: r.cases.len(),
            })
            .collect(),
        many_benches: runs.len() > 1,
        warnings,
        columns: Metric::index_columns()
            .map(|(_, heading)| heading.to_string())
            .collect(),
        rows,
        groups,
        has_baseline: runs
            .iter()
            .flat_map(|r| &r.cases)
            .any(|c| c.baseline.is_some()),
    }
}
