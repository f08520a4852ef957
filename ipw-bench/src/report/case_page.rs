//! One case: its power trace, sample distribution, every estimate, sensors and setup.

use super::model::{fact, root, sample_value, sample_values, Cell, Fact, Links};
use super::svg::{distribution, scatter, trace};
use super::ReportOptions;
use crate::analysis::format;
use crate::analysis::Metric;
use crate::measure::sensor::SensorKind;
use crate::results::{CaseResult, RunResults};
use crate::setup::config::Plots;
use serde::Serialize;

/// Points per trace on a case page: about one per horizontal pixel pair.
const TRACE_POINTS: usize = 600;

#[derive(Debug, Serialize)]
pub struct CasePage {
    pub root: String,
    pub bench: String,
    pub id: String,
    pub status: String,
    pub message: String,
    pub provenance: String,
    /// The start of the earlier run that measured this case, when it is not this run's.
    pub earlier: Option<String>,
    pub estimates: Vec<EstimateRow>,
    pub quality: Vec<Fact>,
    pub trace_svg: Option<String>,
    pub trace_note: String,
    pub distribution_svg: Option<String>,
    pub scatter_svg: Option<String>,
    pub samples: Vec<Fact>,
    pub latency: Vec<Fact>,
    pub plan: Vec<Fact>,
    pub sensors: Vec<SensorRow>,
    pub idle: Vec<Fact>,
    pub environment: Vec<Fact>,
    pub config: Vec<Fact>,
    pub baseline: Vec<BaselineRow>,
    pub baseline_name: String,
    pub comparisons: Vec<Fact>,
    pub survival: Option<super::survival_view::SurvivalView>,
}

#[derive(Debug, Serialize)]
pub struct EstimateRow {
    pub metric: String,
    pub key: String,
    pub cell: Cell,
    pub confidence: String,
    pub method: String,
}

#[derive(Debug, Serialize)]
pub struct SensorRow {
    pub id: String,
    pub domain: String,
    pub label: String,
    pub provenance: String,
    pub kind: String,
    pub resolution: String,
    pub update_period: String,
}

/// One metric against the baseline (also used by the baseline page).
#[derive(Debug, Serialize)]
pub struct BaselineRow {
    pub metric: String,
    pub old: String,
    pub new: String,
    pub change: String,
    pub ci: String,
    pub p_value: String,
    pub noise: String,
    pub verdict: String,
}

pub fn baseline_rows(case: &CaseResult) -> Vec<BaselineRow> {
    let Some(b) = &case.baseline else {
        return Vec::new();
    };
    b.metrics
        .iter()
        .map(|m| {
            let unit = case
                .estimates
                .get(m.metric.key())
                .map(|e| e.unit.as_str())
                .unwrap_or("");
            BaselineRow {
                metric: m.metric.label(),
                old: format::value(m.old, unit),
                new: format::value(m.new, unit),
                change: format::signed_percent(m.change.point),
                ci: format::signed_percent_interval(m.change.ci_low, m.change.ci_high),
                p_value: m.p_value.map(format::p_value).unwrap_or_else(|| "—".into()),
                noise: format!("±{}", format::percent(m.noise_threshold)),
                verdict: m.verdict.to_string(),
            }
        })
        .collect()
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn opt_text(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "unknown".to_string())
}

pub fn build(
    index: usize,
    run: &RunResults,
    case: &CaseResult,
    links: &Links,
    options: &ReportOptions,
) -> CasePage {
    let idle = run.idle.mean_w;
    let estimates = estimate_rows(case);
    let (trace_svg, trace_note) = trace_plot(run, case, options, idle);
    let (distribution_svg, scatter_svg) = sample_plots(case, options, idle);
    let samples = sample_facts(case, idle);
    let latency = latency_facts(case);
    let plan = plan_facts(case);
    let sensors = sensor_rows(run);
    let idle_facts = idle_facts(run);
    let environment = environment_facts(run);
    let config = config_facts(run);
    let comparisons = comparison_facts(index, run, case, links);
    CasePage {
        root: root(1),
        bench: run.bench.clone(),
        id: case.id.clone(),
        status: format!("{:?}", case.status).to_lowercase(),
        message: case.message.clone().unwrap_or_default(),
        provenance: case.provenance.as_str().to_string(),
        earlier: super::model::earlier_run(run, case),
        estimates,
        quality: case
            .quality
            .iter()
            .map(|q| fact(&q.code, q.message.clone()))
            .collect(),
        trace_svg,
        trace_note,
        distribution_svg,
        scatter_svg,
        samples,
        latency,
        plan,
        sensors,
        idle: idle_facts,
        environment,
        config,
        baseline: baseline_rows(case),
        baseline_name: case
            .baseline
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_default(),
        comparisons,
        survival: case
            .survival
            .as_ref()
            .map(|s| super::survival_view::build(s, options)),
    }
}

/// The estimates, in the order of their metrics.
fn estimate_rows(case: &CaseResult) -> Vec<EstimateRow> {
    let mut keys: Vec<&String> = case.estimates.keys().collect();
    keys.sort_by_key(|k| (Metric::rank_of_key(k), k.to_string()));
    keys.into_iter()
        .map(|k| {
            let e = &case.estimates[k];
            EstimateRow {
                metric: Metric::label_of_key(k),
                key: k.clone(),
                cell: Cell::of(Some(e)),
                confidence: format::percent(e.confidence),
                method: format::estimate_method(e),
            }
        })
        .collect()
}

/// The power trace with the samples' windows marked, or why there is none.
fn trace_plot(
    run: &RunResults,
    case: &CaseResult,
    options: &ReportOptions,
    idle: Option<f64>,
) -> (Option<String>, String) {
    match options.plots {
        Plots::All => {
            let marks = trace::TraceMarks {
                windows: case
                    .samples
                    .iter()
                    .map(|s| (s.start_s, s.window_s))
                    .collect(),
                idle_w: idle,
                max_points: TRACE_POINTS,
            };
            let svg = trace::plot(&run.trace, &marks);
            let note = if svg.is_none() {
                "No power trace was recorded for this run."
            } else {
                ""
            };
            (svg, note.to_string())
        }
        Plots::Summary => (
            None,
            "Trace left out (--plots summary keeps pages light); rebuild with --plots all."
                .to_string(),
        ),
        Plots::None => (None, "Plots left out (--plots none).".to_string()),
    }
}

/// The distribution of energy per iteration and its scatter against time per iteration,
/// as the plots option allows.
fn sample_plots(
    case: &CaseResult,
    options: &ReportOptions,
    idle: Option<f64>,
) -> (Option<String>, Option<String>) {
    let energy = Metric::EnergyPerIter;
    let time = Metric::TimePerIter;
    let energy_unit = case
        .estimates
        .get(energy.key())
        .map_or(energy.unit(), |e| e.unit.as_str());
    let distribution_svg = (options.plots != Plots::None)
        .then(|| {
            distribution::plot(
                &[(case.id.clone(), sample_values(case, energy, idle))],
                &energy.label(),
                energy_unit,
                distribution::SINGLE,
            )
        })
        .flatten();
    let scatter_svg = (options.plots == Plots::All)
        .then(|| {
            let points: Vec<(f64, f64, bool)> = case
                .samples
                .iter()
                .filter(|s| s.iters > 0)
                .map(|s| {
                    let e = s.energy_total_j.map_or(f64::NAN, |e| e / s.iters as f64);
                    (s.elapsed_s / s.iters as f64, e, s.valid)
                })
                .collect();
            scatter::plot(
                &points,
                (&time.label(), time.unit()),
                (&energy.label(), energy.unit()),
            )
        })
        .flatten();
    (distribution_svg, scatter_svg)
}

/// What the samples were: how many, their method, windows and power.
fn sample_facts(case: &CaseResult, idle: Option<f64>) -> Vec<Fact> {
    let valid = case.samples.iter().filter(|s| s.valid).count();
    let mut methods: Vec<&str> = case.samples.iter().map(|s| s.method.as_str()).collect();
    methods.sort_unstable();
    methods.dedup();
    let flags: usize = case.samples.iter().map(|s| s.flags.len()).sum();
    vec![
        fact("samples", format!("{} ({valid} valid)", case.samples.len())),
        fact(
            "iterations per sample",
            case.plan.iters_per_sample.to_string(),
        ),
        fact("energy method", methods.join(", ")),
        fact("flagged windows", flags.to_string()),
        fact(
            "mean window",
            sample_mean(case.samples.iter().map(|s| s.window_s))
                .map_or("—".into(), |w| format::value(w, "s")),
        ),
        fact(
            "median power over samples",
            median(
                &case
                    .samples
                    .iter()
                    .filter_map(|s| sample_value(s, Metric::MeanPower, idle))
                    .collect::<Vec<_>>(),
            )
            .map_or("—".into(), |w| format::value(w, "W")),
        ),
    ]
}

/// The answers and latency of a query case; none for other cases.
fn latency_facts(case: &CaseResult) -> Vec<Fact> {
    case.latency
        .as_ref()
        .map(|l| {
            vec![
                fact(
                    "answers",
                    case.answers
                        .as_ref()
                        .map_or("—".into(), crate::output::answers_line),
                ),
                fact("queries timed", l.count.to_string()),
                fact("mean", format::value(l.mean_s, "s")),
                fact("p50", format::value(l.p50_s, "s")),
                fact("p90", format::value(l.p90_s, "s")),
                fact("p99", format::value(l.p99_s, "s")),
            ]
        })
        .unwrap_or_default()
}

/// The case's plan: warm-up, measuring time and samples, with its notes.
fn plan_facts(case: &CaseResult) -> Vec<Fact> {
    let p = &case.plan;
    let mut plan = vec![
        fact(
            "warm-up",
            format!(
                "{} ({} iterations)",
                format::value(p.warm_up_time_s, "s"),
                p.warm_up_iters
            ),
        ),
        fact("measurement time", format::value(p.measurement_time_s, "s")),
        fact("max time", format::value(p.max_time_s, "s")),
        fact("samples requested", p.sample_size_requested.to_string()),
    ];
    plan.extend(p.notes.iter().map(|n| fact("note", n.clone())));
    plan
}

/// One row for each sensor of the run.
fn sensor_rows(run: &RunResults) -> Vec<SensorRow> {
    run.sensors
        .iter()
        .map(|s| {
            let counter = s.kind == SensorKind::Counter;
            SensorRow {
                id: s.id.clone(),
                domain: s.domain.to_string(),
                label: s.label.clone(),
                provenance: s.provenance.as_str().to_string(),
                kind: if counter {
                    "energy counter"
                } else {
                    "power meter"
                }
                .to_string(),
                resolution: format::value(s.resolution, if counter { "J" } else { "W" }),
                update_period: format::value(s.update_period.as_secs_f64(), "s"),
            }
        })
        .collect()
}

/// The idle power before and after the run, its mean and its drift.
fn idle_facts(run: &RunResults) -> Vec<Fact> {
    let i = &run.idle;
    vec![
        fact(
            "before",
            i.before
                .as_ref()
                .and_then(|w| w.power_w)
                .map_or("—".into(), |w| format::value(w, "W")),
        ),
        fact(
            "after",
            i.after
                .as_ref()
                .and_then(|w| w.power_w)
                .map_or("—".into(), |w| format::value(w, "W")),
        ),
        fact(
            "mean",
            i.mean_w.map_or("—".into(), |w| format::value(w, "W")),
        ),
        fact(
            "drift",
            i.drift_fraction.map_or("—".into(), format::signed_percent),
        ),
    ]
}

/// The host, toolchain and run the case was measured in.
fn environment_facts(run: &RunResults) -> Vec<Fact> {
    let r = &run.run;
    let h = &r.host;
    vec![
        fact("host", opt_text(&h.hostname)),
        fact("OS / arch", format!("{} / {}", h.os, h.arch)),
        fact("kernel", opt_text(&h.kernel)),
        fact(
            "CPU",
            format!("{} ({} CPUs)", opt_text(&h.cpu_model), h.cpus),
        ),
        fact(
            "memory",
            h.memory_bytes.map_or("unknown".into(), |b| {
                format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64)
            }),
        ),
        fact("rustc", opt_text(&r.rustc)),
        fact("git commit", opt_text(&r.git_commit)),
        fact("seed", r.seed.to_string()),
        fact("started", r.started_at.clone()),
        fact("duration", format::value(r.duration_s, "s")),
        fact("tool", format!("{} {}", run.tool.name, run.tool.version)),
    ]
}

/// The run's configuration, one fact per setting.
fn config_facts(run: &RunResults) -> Vec<Fact> {
    match &run.run.config {
        serde_json::Value::Object(map) => map.iter().map(|(k, v)| fact(k, json_text(v))).collect(),
        other => vec![fact("config", json_text(other))],
    }
}

/// Links to the group comparisons the case is in.
fn comparison_facts(index: usize, run: &RunResults, case: &CaseResult, links: &Links) -> Vec<Fact> {
    run.comparisons
        .iter()
        .filter(|c| c.variants.contains(&case.id))
        .filter_map(|c| Some(fact(&c.metric.label(), links.group(index, c)?.to_string())))
        .collect()
}

fn sample_mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, sum) = values.fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    (n > 0).then_some(sum / n as f64)
}

fn median(values: &[f64]) -> Option<f64> {
    distribution::box_stats(values).map(|b| b.median)
}
