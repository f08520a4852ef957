//! Pages that set results side by side: old against new (baseline), and run against run.

use super::across_runs::{LabelledRun, MatchedCase, RunComparison};
use super::case_page::{baseline_rows, BaselineRow};
use super::group_page::{self, CaseEntry, CaseLookup, ComparisonView};
use super::model::{metric_unit, root, sample_values, Cell, Links};
use super::svg::distribution;
use super::ReportOptions;
use crate::analysis::Metric;
use crate::results::RunResults;
use crate::setup::config::Plots;
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
    pub cases: Vec<CaseAcross>,
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
    /// The case's section on the page, when two or more runs have it.
    pub anchor: Option<String>,
    /// One cell per run, in the order of `runs`.
    pub cells: Vec<Cell>,
}

/// One case across the runs that have it: what `cargo ipw compare` prints for it, plus
/// its distributions.
#[derive(Debug, Serialize)]
pub struct CaseAcross {
    pub id: String,
    pub anchor: String,
    /// Metric headings of `rows`' cells.
    pub columns: Vec<String>,
    pub rows: Vec<RunRow>,
    /// Box plots with every sample, one row per run: energy and time per iteration.
    pub plots: Vec<String>,
    pub comparisons: Vec<ComparisonView>,
}

/// One run's copy of a case.
#[derive(Debug, Serialize)]
pub struct RunRow {
    pub label: String,
    pub cells: Vec<Cell>,
    pub samples: usize,
    pub provenance: String,
}

/// The per-sample metrics every case section plots, side by side.
const PLOTTED: [Metric; 2] = [Metric::EnergyPerIter, Metric::TimePerIter];

/// Cases matched by id across runs (possibly from different hosts): one table per metric
/// with a column per run, then a section per case present in two or more runs.
pub fn runs(compared: &RunComparison, options: &ReportOptions) -> RunComparisonPage {
    let runs = &compared.runs;
    let mut ids: Vec<&str> = Vec::new();
    for run in runs {
        for c in &run.results.cases {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
    }
    let metrics = Metric::index_columns()
        .map(|(m, _)| m)
        .filter(|m| {
            runs.iter()
                .flat_map(|r| &r.results.cases)
                .any(|c| c.estimates.contains_key(m.key()))
        })
        .map(|m| MetricTable {
            metric: m.label(),
            rows: ids
                .iter()
                .map(|id| MetricRow {
                    id: id.to_string(),
                    anchor: compared.cases.iter().position(|c| c.id == *id).map(anchor),
                    cells: runs
                        .iter()
                        .map(|r| {
                            Cell::of(
                                r.results
                                    .cases
                                    .iter()
                                    .find(|c| c.id == *id)
                                    .and_then(|c| c.estimates.get(m.key())),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    RunComparisonPage {
        root: root(0),
        runs: runs.iter().map(run_header).collect(),
        metrics,
        cases: compared
            .cases
            .iter()
            .enumerate()
            .map(|(i, m)| case_across(compared, m, anchor(i), options))
            .collect(),
        warnings: runs
            .iter()
            .flat_map(|r| {
                r.results
                    .warnings
                    .iter()
                    .map(move |w| format!("{}: {w}", r.label))
            })
            .collect(),
    }
}

/// The in-page anchor of the `i`th matched case's section.
fn anchor(i: usize) -> String {
    format!("case-{}", i + 1)
}

fn run_header(r: &LabelledRun) -> RunHeader {
    let info = &r.results.run;
    RunHeader {
        label: r.label.clone(),
        bench: r.results.bench.clone(),
        host: info
            .host
            .hostname
            .clone()
            .unwrap_or_else(|| "unknown host".into()),
        cpu: info
            .host
            .cpu_model
            .clone()
            .unwrap_or_else(|| "unknown CPU".into()),
        started_at: info.started_at.clone(),
        git_commit: info.git_commit.clone().unwrap_or_else(|| "unknown".into()),
    }
}

/// The index of a folder that holds a run comparison and no report.
#[derive(Debug, Serialize)]
pub struct RunComparisonIndex {
    pub root: String,
    pub page: String,
    pub runs: Vec<RunHeader>,
    pub cases: Vec<CaseLink>,
}

/// A compared case: where its section is and its verdict lines.
#[derive(Debug, Serialize)]
pub struct CaseLink {
    pub id: String,
    pub href: String,
    pub verdicts: Vec<String>,
}

/// The index that leads to `page`, the run comparison of `compared`.
pub fn runs_index(compared: &RunComparison, page: &str) -> RunComparisonIndex {
    RunComparisonIndex {
        root: root(0),
        page: page.to_string(),
        runs: compared.runs.iter().map(run_header).collect(),
        cases: compared
            .cases
            .iter()
            .enumerate()
            .map(|(i, m)| CaseLink {
                id: m.id.clone(),
                href: format!("{page}#{}", anchor(i)),
                verdicts: m
                    .comparisons
                    .iter()
                    .flat_map(|c| c.verdicts.iter().cloned())
                    .collect(),
            })
            .collect(),
    }
}

fn case_across(
    compared: &RunComparison,
    matched: &MatchedCase,
    anchor: String,
    options: &ReportOptions,
) -> CaseAcross {
    // Each copy with its run: the comparisons name copies by `variant_id`, the page by
    // the run's label.
    let keyed: Vec<(&str, CaseEntry)> = matched
        .copies
        .iter()
        .filter_map(|copy| {
            let run = compared.runs.get(copy.run)?;
            let entry = CaseEntry {
                case: compared.case(matched, copy)?,
                idle_w: run.results.idle.mean_w,
                name: run.label.clone(),
            };
            Some((copy.variant_id.as_str(), entry))
        })
        .collect();
    let copies: Vec<&CaseEntry> = keyed.iter().map(|(_, e)| e).collect();
    let mut metrics: Vec<Metric> = PLOTTED.to_vec();
    for c in &matched.comparisons {
        if !metrics.contains(&c.metric) {
            metrics.push(c.metric);
        }
    }
    metrics.retain(|m| {
        copies
            .iter()
            .any(|e| e.case.estimates.contains_key(m.key()))
    });
    metrics.sort_by_key(|m| m.rank());
    let plots = if options.plots == Plots::None {
        Vec::new()
    } else {
        PLOTTED
            .iter()
            .filter_map(|&metric| {
                let series: Vec<(String, Vec<f64>)> = copies
                    .iter()
                    .map(|e| (e.name.clone(), sample_values(e.case, metric, e.idle_w)))
                    .collect();
                distribution::plot(
                    &series,
                    &metric.label(),
                    &metric_unit(copies.iter().map(|e| e.case), metric),
                    distribution::PAIR,
                )
            })
            .collect()
    };
    let lookup: CaseLookup = keyed.iter().cloned().collect();
    let comparisons = matched
        .comparisons
        .iter()
        .map(|c| {
            let mut view = group_page::build(c, &lookup, options);
            // Drawn above, beside time per iteration.
            if PLOTTED.contains(&c.metric) {
                view.distribution_svg = None;
            }
            view
        })
        .collect();
    CaseAcross {
        id: matched.id.clone(),
        anchor,
        columns: metrics.iter().map(|m| m.label()).collect(),
        rows: copies
            .iter()
            .map(|e| RunRow {
                label: e.name.clone(),
                cells: metrics
                    .iter()
                    .map(|m| Cell::of(e.case.estimates.get(m.key())))
                    .collect(),
                samples: e.case.samples.len(),
                provenance: e.case.provenance.as_str().to_string(),
            })
            .collect(),
        plots,
        comparisons,
    }
}
