//! What every page shares: estimate cells, links between pages, per-sample metric values.

use super::sanitize::UniqueNames;
use crate::analysis::format::{self, EstimateText};
use crate::analysis::Metric;
use crate::results::{CaseResult, Estimate, GroupComparison, RunResults, Sample};
use serde::Serialize;
use std::collections::HashMap;

/// One estimate in a table cell, or nothing (`available` false) where the case has no
/// such metric: "unavailable" is never shown as 0.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub available: bool,
    pub point: String,
    pub ci: String,
    pub how: String,
    pub provenance: String,
}

impl Cell {
    pub fn of(e: Option<&Estimate>) -> Cell {
        match e {
            Some(e) => {
                let EstimateText { point, ci, how } = format::estimate(e);
                Cell {
                    available: true,
                    point,
                    ci,
                    how,
                    provenance: e.provenance.as_str().to_string(),
                }
            }
            None => Cell {
                available: false,
                point: String::new(),
                ci: String::new(),
                how: String::new(),
                provenance: String::new(),
            },
        }
    }
}

/// A key/value line of a facts table.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

/// When `case` was measured by an earlier run than `run` (kept when a later run selected
/// other cases), that run's start; none for the run's own cases, those of the earlier
/// parts of a resumed run included, and for files that do not record it.
pub fn earlier_run(run: &RunResults, case: &CaseResult) -> Option<String> {
    let at = case.run_started_at.as_deref()?;
    let this_run = at == run.run.started_at || run.run.resumed.iter().any(|p| p.started_at == at);
    (!this_run).then(|| at.to_string())
}

pub fn fact(key: &str, value: impl Into<String>) -> Fact {
    Fact {
        key: key.to_string(),
        value: value.into(),
    }
}

/// File names of every page, decided once so that links and files agree and two cases
/// whose names sanitise alike still get separate pages.
#[derive(Debug, Default)]
pub struct Links {
    cases: HashMap<(usize, String), String>,
    groups: HashMap<(usize, String, Metric), String>,
}

impl Links {
    pub fn new(runs: &[RunResults]) -> Links {
        let mut case_names = UniqueNames::new();
        let mut group_names = UniqueNames::new();
        let mut links = Links::default();
        // Keyed by the run's position: two saved runs of one bench get pages of their own.
        for (i, run) in runs.iter().enumerate() {
            for case in &run.cases {
                let key = (i, case.id.clone());
                if links.cases.contains_key(&key) {
                    continue;
                }
                let stem = case_names.stem(&format!("{}-{}", run.bench, case.id));
                links.cases.insert(key, format!("cases/{stem}.html"));
            }
            for c in &run.comparisons {
                let key = (i, c.group.clone(), c.metric);
                if links.groups.contains_key(&key) {
                    continue;
                }
                let stem = group_names.stem(&format!("{}-{}-{}", run.bench, c.group, c.metric));
                links.groups.insert(key, format!("groups/{stem}.html"));
            }
        }
        links
    }

    /// The page of case `id` of `runs[run]`, relative to the report root.
    pub fn case(&self, run: usize, id: &str) -> Option<&str> {
        self.cases.get(&(run, id.to_string())).map(String::as_str)
    }

    /// The page of comparison `c` of `runs[run]`, relative to the report root.
    pub fn group(&self, run: usize, c: &GroupComparison) -> Option<&str> {
        self.groups
            .get(&(run, c.group.clone(), c.metric))
            .map(String::as_str)
    }
}

/// The value of `metric` in one sample, where the sample alone determines it.
pub fn sample_value(s: &Sample, metric: Metric, idle_w: Option<f64>) -> Option<f64> {
    if !s.valid || s.iters == 0 {
        return None;
    }
    let iters = s.iters as f64;
    let energy = s.energy_total_j;
    let judged = match (s.correct, s.incorrect) {
        (Some(c), Some(i)) if c + i > 0.0 => Some((c, c + i)),
        _ => None,
    };
    let accuracy = judged.map(|(c, n)| c / n);
    let v = match metric {
        Metric::TimePerIter => Some(s.elapsed_s / iters),
        Metric::QueriesPerSecond => (s.elapsed_s > 0.0).then_some(iters / s.elapsed_s),
        Metric::EnergyPerIter | Metric::JoulesPerQuery | Metric::JoulesPerQueryFixedSet => {
            energy.map(|e| e / iters)
        }
        Metric::EnergyPerIterNet => energy
            .zip(idle_w)
            .map(|(e, idle)| (e - idle * s.window_s) / iters),
        Metric::MeanPower => energy.filter(|_| s.window_s > 0.0).map(|e| e / s.window_s),
        Metric::Accuracy | Metric::AccuracyFixedSet => accuracy,
        Metric::JoulesPerCorrect | Metric::JoulesPerCorrectFixedSet => energy
            .zip(judged)
            .filter(|(_, (c, _))| *c > 0.0)
            .map(|(e, (c, _))| e / c),
        Metric::Ipw | Metric::IpwFixedSet => accuracy
            .zip(energy)
            .filter(|_| s.window_s > 0.0)
            .map(|(a, e)| a / (e / s.window_s)),
        Metric::Ipj | Metric::IpjFixedSet => accuracy.zip(energy).map(|(a, e)| a / (e / iters)),
        // Percentiles over questions, throughput (a property of the case) and carbon have
        // no per-sample value here.
        Metric::BytesPerSecond
        | Metric::BytesPerJoule
        | Metric::ElementsPerSecond
        | Metric::ElementsPerJoule
        | Metric::Co2ePerIter
        | Metric::Co2ePerCorrect
        | Metric::LatencyP50
        | Metric::LatencyP90
        | Metric::LatencyP99 => None,
    };
    v.filter(|v| v.is_finite())
}

/// The values of `metric` over the case's valid samples.
pub fn sample_values(case: &CaseResult, metric: Metric, idle_w: Option<f64>) -> Vec<f64> {
    case.samples
        .iter()
        .filter_map(|s| sample_value(s, metric, idle_w))
        .collect()
}

/// The unit of `metric` for axis titles, from any case that estimates it.
pub fn metric_unit<'a>(cases: impl IntoIterator<Item = &'a CaseResult>, metric: Metric) -> String {
    cases
        .into_iter()
        .find_map(|c| c.estimates.get(metric.key()).map(|e| e.unit.clone()))
        .unwrap_or_default()
}

/// The headline energy metric of a set of cases: joules per correct answer when every
/// case is scored, else energy per iteration.
pub fn headline_metric<'a>(cases: impl IntoIterator<Item = &'a CaseResult> + Clone) -> Metric {
    let all_scored = cases
        .clone()
        .into_iter()
        .all(|c| c.estimates.contains_key(Metric::JoulesPerCorrect.key()));
    if all_scored && cases.into_iter().next().is_some() {
        Metric::JoulesPerCorrect
    } else {
        Metric::EnergyPerIter
    }
}

/// The label of a case inside its group: the variant, else the name, else the id.
pub fn short_name(case: &CaseResult) -> String {
    match &case.variant {
        Some(v) if case.name == case.group => v.clone(),
        Some(v) => format!("{}/{v}", case.name),
        None if case.name != case.group => case.name.clone(),
        None => case.id.clone(),
    }
}

/// The relative path from a page `depth` folders below the root back to the root.
pub fn root(depth: usize) -> String {
    "../".repeat(depth)
}
