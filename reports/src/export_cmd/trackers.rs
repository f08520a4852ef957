//! `--format bmf` and `--format github-action-benchmark`: each case's estimates as the
//! JSON that benchmark trackers chart.
//!
//! Bencher's metric format (BMF) is `{"<benchmark>": {"<measure>": {"value",
//! "lower_value", "upper_value"}}}`: one benchmark per case, one measure per estimate (by
//! its results.json key, whose suffix names the unit), plus Bencher's own `latency`
//! measure, the time per iteration in nanoseconds. github-action-benchmark's
//! `customSmallerIsBetter` tool reads `[{"name", "unit", "value", "range", "extra"}]`:
//! one entry per case and estimate whose smaller value is better (time, energy, power,
//! J/correct, J/query, CO2e); accuracy, IPW and IPJ, which are better larger, are left to
//! BMF. Only cases that finished (`status` ok) are written. When several files are
//! exported together, each benchmark name starts with the run's host, so that the same
//! case on two machines stays two series.

use crate::run_files::host_of;
use ipw_bench::analysis::format::sig;
use ipw_bench::results::{Better, CaseResult, Estimate, Metric, RunResults, Status};
use serde_json::{json, Map, Value};

/// The metric of an estimate key (`energy_per_iter_j@dram` is `energy_per_iter_j`'s).
fn metric_of(key: &str) -> Option<Metric> {
    Metric::from_key(key.split('@').next().unwrap_or(key))
}

/// Each finished case of `runs` with the name a tracker shows it under.
fn named_cases(runs: &[RunResults]) -> Vec<(String, &CaseResult)> {
    runs.iter()
        .flat_map(|r| {
            let host = host_of(r);
            r.cases
                .iter()
                .filter(|c| c.status == Status::Ok)
                .map(move |c| {
                    let name = if runs.len() > 1 {
                        format!("{host}/{}", c.id)
                    } else {
                        c.id.clone()
                    };
                    (name, c)
                })
        })
        .collect()
}

/// A finite number as JSON; a non-finite one (an unbounded interval) as null.
fn number(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// The runs in Bencher's metric format, pretty-printed.
pub fn bmf(runs: &[RunResults]) -> String {
    let mut out = Map::new();
    for (name, case) in named_cases(runs) {
        let mut measures = Map::new();
        let point = |e: &Estimate, scale: f64| {
            json!({
                "value": number(e.point * scale),
                "lower_value": number(e.ci_low * scale),
                "upper_value": number(e.ci_high * scale),
            })
        };
        if let Some(t) = case.estimates.get(Metric::TimePerIter.key()) {
            measures.insert("latency".into(), point(t, 1e9));
        }
        for (key, e) in &case.estimates {
            measures.insert(key.clone(), point(e, 1.0));
        }
        out.insert(name, Value::Object(measures));
    }
    pretty(&Value::Object(out))
}

/// The runs as github-action-benchmark's `customSmallerIsBetter` input, pretty-printed.
pub fn github_action_benchmark(runs: &[RunResults]) -> String {
    let mut out = Vec::new();
    for (name, case) in named_cases(runs) {
        for (key, e) in &case.estimates {
            if metric_of(key).map(Metric::better) != Some(Better::Lower) {
                continue;
            }
            let half = (e.ci_high - e.ci_low) / 2.0;
            let extra = format!(
                "{:.0}% CI [{}, {}] {}; {}{}",
                e.confidence * 100.0,
                sig(e.ci_low),
                sig(e.ci_high),
                e.method,
                e.provenance,
                e.resampled
                    .as_ref()
                    .map(|r| format!("; resampled over {r}"))
                    .unwrap_or_default(),
            );
            out.push(json!({
                "name": format!("{name} {key}"),
                "unit": e.unit,
                "value": number(e.point),
                "range": format!("± {}", sig(half)),
                "extra": extra,
            }));
        }
    }
    pretty(&Value::Array(out))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}
