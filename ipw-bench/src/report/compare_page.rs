//! Pages that set results side by side: old against new (baseline), and run against run.

use super::case_page::{baseline_rows, BaselineRow};
use super::format::{self, INDEX_METRICS};
use super::group_page::{self, CaseLookup, ComparisonView};
use super::model::{root, Cell, Links};
use super::ReportOptions;
use crate::results::{GroupComparison, RunResults};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct BaselinePage {
    pub root: String,
    pub cases: Vec<BaselineCase>,
}

#[derive(Debug, Serialize)]
pub struct BaselineCase {
    pub bench: String,
    pub id: String,
    pub href: String,
    pub baseline: String,
    pub rows: Vec<BaselineRow>,
}

pub fn baseline(runs: &[RunResults], links: &Links) -> BaselinePage {
    let cases = runs
        .iter()
        .enumerate()
        .flat_map(|(i, run)| run.cases.iter().map(move |c| (i, run, c)))
        .filter_map(|(i, run, c)| {
            let b = c.baseline.as_ref()?;
            Some(BaselineCase {
                bench: run.bench.clone(),
                id: c.id.clone(),
                href: links.case(i, &c.id).unwrap_or_default().to_string(),
                baseline: b.name.clone(),
                rows: baseline_rows(c),
            })
        })
        .collect();
    BaselinePage {
        root: String::new(),
        cases,
    }
}

#[derive(Debug, Serialize)]
pub struct RunComparisonPage {
    pub root: String,
    pub runs: Vec<RunHeader>,
    pub metrics: Vec<MetricTable>,
    pub comparisons: Vec<ComparisonView>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RunHeader {
    pub label: String,
    pub bench: String,
    pub host: String,
    pub cpu: String,
    pub started_at: String,
    pub git_commit: String,
}

#[derive(Debug, Serialize)]
pub struct MetricTable {
    pub metric: String,
    pub rows: Vec<MetricRow>,
}

#[derive(Debug, Serialize)]
pub struct MetricRow {
    pub id: String,
    /// One cell per run, in the order of `runs`.
    pub cells: Vec<Cell>,
}

/// Cases matched by id across runs (possibly from different hosts), one table per metric.
pub fn runs(
    runs: &[RunResults],
    comparisons: &[GroupComparison],
    options: &ReportOptions,
) -> RunComparisonPage {
    let mut ids: Vec<&str> = Vec::new();
    for run in runs {
        for c in &run.cases {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
    }
    let metrics = INDEX_METRICS
        .iter()
        .filter(|(m, _)| {
            runs.iter()
                .flat_map(|r| &r.cases)
                .any(|c| c.estimates.contains_key(*m))
        })
        .map(|(m, _)| MetricTable {
            metric: format::metric_label(m),
            rows: ids
                .iter()
                .map(|id| MetricRow {
                    id: id.to_string(),
                    cells: runs
                        .iter()
                        .map(|r| {
                            Cell::of(
                                r.cases
                                    .iter()
                                    .find(|c| c.id == *id)
                                    .and_then(|c| c.estimates.get(*m)),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    // A comparison names case ids; across runs the same id may exist twice, and the
    // later run wins, which is the order `cargo ipw compare` passes (old, then new).
    let mut lookup = CaseLookup::new();
    for run in runs {
        for c in &run.cases {
            lookup.insert(c.id.as_str(), (c, run.idle.mean_w));
        }
    }
    RunComparisonPage {
        root: root(0),
        runs: runs
            .iter()
            .enumerate()
            .map(|(i, r)| RunHeader {
                label: format!("run {}", i + 1),
                bench: r.bench.clone(),
                host: r
                    .run
                    .host
                    .hostname
                    .clone()
                    .unwrap_or_else(|| "unknown host".into()),
                cpu: r
                    .run
                    .host
                    .cpu_model
                    .clone()
                    .unwrap_or_else(|| "unknown CPU".into()),
                started_at: r.run.started_at.clone(),
                git_commit: r.run.git_commit.clone().unwrap_or_else(|| "unknown".into()),
            })
            .collect(),
        metrics,
        comparisons: comparisons
            .iter()
            .map(|c| group_page::build(c, &lookup, options))
            .collect(),
        warnings: runs
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                r.warnings
                    .iter()
                    .map(move |w| format!("run {}: {w}", i + 1))
            })
            .collect(),
    }
}
