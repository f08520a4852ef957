//! The plan of a `--processes N` run for a target interval width: per case and metric,
//! Kalibera and Jones' samples per process and the processes that then reach the target
//! (`stats::plan`), and one `--processes`/`--sample-size` for the whole run, the cheapest
//! that reaches it for every case and metric, with the smallest change a gate with it
//! detects at 80% power.
//!
//! The costs come from the run: a sample costs its window; a process costs its wall time
//! (`run.process_wall_s`) less its samples' windows (start, warm-up, idle power, set-up),
//! shared equally by the cases it measured.

use super::RunResults;
use crate::analysis::estimates::CONFIDENCE;
use crate::analysis::processes::by_process;
use crate::stats::plan::{detectable_change, optimal_samples, plan_cost_s, processes_for, Design};
use serde::Serialize;
use std::collections::BTreeMap;
use thiserror::Error;

/// Level and power of the gate whose detectable change a plan reports.
pub const GATE_ALPHA: f64 = 0.05;
/// Power (0.8) at which a plan's detectable change is computed.
pub const GATE_POWER: f64 = 0.8;

/// Why a run cannot be planned from.
#[derive(Debug, Error, PartialEq)]
pub enum PlanError {
    #[error(
        "no case was measured in two or more processes: run the bench with --processes 4 \
         (or more) so that the variance between processes can be told from the variance \
         within them"
    )]
    /// No case of the run has samples from two or more processes.
    OneProcess,
    #[error(
        "the run records no process wall times (run.process_wall_s; written by ipw-bench \
         0.2 or later with --processes): measure it again with this version"
    )]
    /// The run does not record `run.process_wall_s`, so a process's cost is unknown.
    NoWallTimes,
    /// The target half-width given, outside (0, 1).
    #[error("the target must be a width above 0% and below 100%, got {0}")]
    BadTarget(f64),
}

/// One case's metric: its components, costs and plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricPlan {
    /// The case's id.
    pub case: String,
    /// The metric's name (`time_per_iter_s`, `energy_per_iter_j`).
    pub metric: String,
    /// The metric's point estimate, in its unit.
    pub mean: f64,
    /// Standard deviation of the process effect, in the metric's unit.
    pub between_sd: f64,
    /// Standard deviation of a sample within its process, in the metric's unit.
    pub within_sd: f64,
    /// Seconds a process costs this case beyond its samples: the mean over its processes of
    /// each one's overhead, shared equally by the cases that process measured.
    pub process_cost_s: f64,
    /// Mean seconds of one of the case's samples (its energy window).
    pub sample_cost_s: f64,
    /// Kalibera and Jones' optimal samples per process.
    pub samples_per_process: u64,
    /// Processes of that many samples that reach the target; `None` if none up to 1,000.
    pub processes: Option<u64>,
    /// Seconds that plan takes for this case.
    pub time_s: Option<f64>,
    /// Smallest relative change a gate with that plan detects at 80% power.
    pub detectable_change: Option<f64>,
}

/// The one plan for the whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedPlan {
    /// `--processes` of the plan.
    pub processes: u64,
    /// `--sample-size` of the plan: samples in each process.
    pub samples_per_process: u64,
    /// `--measurement-time` that keeps the samples as long as measured.
    pub measurement_time_s: f64,
    /// Seconds the run would take.
    pub time_s: f64,
    /// The largest detectable change over the cases and metrics, and where.
    pub detectable_change: f64,
    /// `case-id metric` with the largest detectable change.
    pub hardest: String,
}

/// Everything `cargo ipw plan` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunPlan {
    /// Target half-width relative to the mean.
    pub target: f64,
    /// Confidence level of the intervals planned for (0.95).
    pub confidence: f64,
    /// Processes of the run that measured samples.
    pub measured_processes: usize,
    /// Mean seconds a process cost beyond its samples.
    pub process_cost_s: f64,
    /// Each case's metric planned on its own.
    pub metrics: Vec<MetricPlan>,
    /// `None` when some case or metric cannot reach the target within 1,000 processes.
    pub run: Option<SharedPlan>,
}

/// Plan `run` for a relative half-width of `target` (0.01 for 1%).
pub fn plan(run: &RunResults, target: f64) -> Result<RunPlan, PlanError> {
    if !(target > 0.0 && target < 1.0) {
        return Err(PlanError::BadTarget(target));
    }
    let cases: Vec<_> = run
        .cases
        .iter()
        .filter(|c| c.processes.is_some() && !c.samples.is_empty())
        .collect();
    if cases.is_empty() {
        return Err(PlanError::OneProcess);
    }
    let walls = &run.run.process_wall_s;
    if walls.is_empty() {
        return Err(PlanError::NoWallTimes);
    }
    // Per process: seconds beyond the samples, and how many cases shared them.
    let mut busy: BTreeMap<u32, (f64, usize)> = BTreeMap::new();
    for c in &cases {
        for g in by_process(&c.samples) {
            let k = g[0].process.unwrap_or(0);
            let e = busy.entry(k).or_default();
            e.0 += g.iter().map(|s| s.window_s).sum::<f64>();
            e.1 += 1;
        }
    }
    let overhead = |k: u32| {
        let wall = walls.get(k as usize).copied()?;
        let (samples, _) = busy.get(&k)?;
        Some((wall - samples).max(0.0))
    };
    let overheads: Vec<f64> = busy.keys().filter_map(|&k| overhead(k)).collect();
    if overheads.is_empty() {
        return Err(PlanError::NoWallTimes);
    }
    let process_cost_s = overheads.iter().sum::<f64>() / overheads.len() as f64;
    let mut designs: Vec<(String, String, Design)> = Vec::new();
    let mut sample_costs = Vec::new();
    for c in &cases {
        let shares: Vec<f64> = by_process(&c.samples)
            .iter()
            .filter_map(|g| {
                let k = g[0].process.unwrap_or(0);
                Some(overhead(k)? / busy.get(&k)?.1 as f64)
            })
            .collect();
        let process_cost = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
        let sample_cost =
            c.samples.iter().map(|s| s.window_s).sum::<f64>() / c.samples.len() as f64;
        sample_costs.push(sample_cost);
        let Some(p) = &c.processes else { continue };
        for (metric, comp) in &p.components {
            let Some(e) = c.estimates.get(metric) else {
                continue;
            };
            designs.push((
                c.id.clone(),
                metric.clone(),
                Design {
                    mean: e.point,
                    between: comp.between_sd.powi(2),
                    within: comp.within_sd.powi(2),
                    process_cost_s: process_cost,
                    sample_cost_s: sample_cost,
                },
            ));
        }
    }
    let metrics = designs
        .iter()
        .map(|(case, metric, d)| metric_plan(case, metric, d, target))
        .collect();
    let shared = shared_plan(&designs, process_cost_s, &sample_costs, target);
    Ok(RunPlan {
        target,
        confidence: CONFIDENCE,
        measured_processes: busy.len(),
        process_cost_s,
        metrics,
        run: shared,
    })
}

fn metric_plan(case: &str, metric: &str, d: &Design, target: f64) -> MetricPlan {
    let n = optimal_samples(d);
    let p = processes_for(d, n, target, CONFIDENCE);
    MetricPlan {
        case: case.to_string(),
        metric: metric.to_string(),
        mean: d.mean,
        between_sd: d.between.sqrt(),
        within_sd: d.within.sqrt(),
        process_cost_s: d.process_cost_s,
        sample_cost_s: d.sample_cost_s,
        samples_per_process: n,
        processes: p,
        time_s: p.map(|p| plan_cost_s(d, p, n)),
        detectable_change: p.and_then(|p| detectable_change(d, p, n, GATE_ALPHA, GATE_POWER)),
    }
}

/// The cheapest one `(processes, samples per process)` among the metrics' own optimal
/// sample counts that reaches the target for every metric.
fn shared_plan(
    designs: &[(String, String, Design)],
    process_cost_s: f64,
    sample_costs: &[f64],
    target: f64,
) -> Option<SharedPlan> {
    let per_sample: f64 = sample_costs.iter().sum();
    let mut candidates: Vec<u64> = designs.iter().map(|(_, _, d)| optimal_samples(d)).collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|n| {
            let p = designs
                .iter()
                .map(|(_, _, d)| processes_for(d, n, target, CONFIDENCE))
                .collect::<Option<Vec<u64>>>()?
                .into_iter()
                .max()?;
            let time_s = p as f64 * (process_cost_s + n as f64 * per_sample);
            Some((n, p, time_s))
        })
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .and_then(|(n, p, time_s)| {
            let (hardest, change) = designs
                .iter()
                .filter_map(|(c, m, d)| {
                    let change = detectable_change(d, p, n, GATE_ALPHA, GATE_POWER)?;
                    Some((format!("{c} {m}"), change))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))?;
            Some(SharedPlan {
                processes: p,
                samples_per_process: n,
                measurement_time_s: n as f64 * per_sample / sample_costs.len().max(1) as f64,
                time_s,
                detectable_change: change,
                hardest,
            })
        })
}

/// The one line a `--processes N` run ends with.
pub fn plan_line(p: &RunPlan) -> String {
    match &p.run {
        Some(s) => format!(
            "plan: a +-{} interval for every case measured in two or more processes, in \
             about {:.0} s: --processes {} --sample-size {} --measurement-time {}; a \
             gate with it detects changes of {:.1}% at 80% power (cargo ipw plan \
             RESULTS.json for details)",
            percent(p.target),
            s.time_s,
            s.processes,
            s.samples_per_process,
            flag_seconds(s.measurement_time_s),
            100.0 * s.detectable_change
        ),
        None => format!(
            "plan: a +-{} interval is out of reach within 1,000 processes for some case \
             (cargo ipw plan RESULTS.json --target 5% for details)",
            percent(p.target)
        ),
    }
}

/// A `--measurement-time` value to type: two decimals, or three significant digits below
/// 0.1 s, so that a short sample never reads `0.00`.
pub fn flag_seconds(s: f64) -> String {
    if s.is_nan() || s <= 0.0 || s.is_infinite() {
        return format!("{s}");
    }
    let decimals = if s >= 0.1 {
        2
    } else {
        (2 - s.log10().floor() as i32).clamp(2, 12) as usize
    };
    format!("{s:.decimals$}")
}

/// `0.01` as `1%`, `0.005` as `0.5%`.
pub fn percent(x: f64) -> String {
    format!("{}%", (x * 1e6).round() / 1e4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::{analysed, example_run, synthetic_case};

    /// Two cases of 12 samples of 0.1 s in 3 processes, the second process 5% and the third
    /// 10% slower; each process ran 3 s, 0.8 s of it in samples.
    fn three_processes() -> RunResults {
        let cases = ["a/x", "b/y"]
            .iter()
            .map(|id| {
                let mut c = synthetic_case(id, 1.0, 12, 7, None);
                for (i, s) in c.samples.iter_mut().enumerate() {
                    let k = (i % 3) as u32;
                    s.process = Some(k);
                    s.elapsed_s *= 1.0 + 0.05 * f64::from(k);
                }
                c
            })
            .collect();
        let mut run = analysed(example_run("plan", 1, cases));
        run.run.process_wall_s = vec![3.0; 3];
        run
    }

    #[test]
    fn costs_and_plans_from_the_run() {
        let run = three_processes();
        let p = plan(&run, 0.01).expect("a plan");
        assert_eq!(p.measured_processes, 3);
        // 3 s less 2 cases x 4 samples x 0.1 s; shared by the two cases.
        assert!(
            (p.process_cost_s - 2.2).abs() < 1e-9,
            "{}",
            p.process_cost_s
        );
        let m = &p.metrics[0];
        assert_eq!(m.case, "a/x");
        assert!((m.process_cost_s - 1.1).abs() < 1e-9);
        assert!((m.sample_cost_s - 0.1).abs() < 1e-12);
        let c = &run.cases[0].processes.as_ref().unwrap().components[&m.metric];
        let d = Design {
            mean: run.cases[0].estimates[&m.metric].point,
            between: c.between_sd.powi(2),
            within: c.within_sd.powi(2),
            process_cost_s: 1.1,
            sample_cost_s: 0.1,
        };
        assert_eq!(m.samples_per_process, optimal_samples(&d));
        assert_eq!(
            m.processes,
            processes_for(&d, m.samples_per_process, 0.01, 0.95)
        );
        let s = p.run.as_ref().expect("reachable");
        for m in &p.metrics {
            let d = Design {
                mean: m.mean,
                between: m.between_sd.powi(2),
                within: m.within_sd.powi(2),
                process_cost_s: m.process_cost_s,
                sample_cost_s: m.sample_cost_s,
            };
            let needed = processes_for(&d, s.samples_per_process, 0.01, 0.95).unwrap();
            assert!(s.processes >= needed);
        }
        let n = s.samples_per_process as f64;
        assert!((s.time_s - s.processes as f64 * (2.2 + n * 0.2)).abs() < 1e-9);
        assert!((s.measurement_time_s - n * 0.1).abs() < 1e-9);
        assert_eq!(flag_seconds(1.5), "1.50");
        assert_eq!(flag_seconds(0.25), "0.25");
        assert_eq!(flag_seconds(0.042), "0.0420");
        assert_eq!(flag_seconds(0.000_42), "0.000420");
        assert!(s.detectable_change > 0.0 && s.detectable_change < 1.0);
        assert!(
            plan_line(&p).starts_with("plan: a +-1% interval"),
            "{}",
            plan_line(&p)
        );
    }

    #[test]
    fn what_cannot_be_planned() {
        let mut run = three_processes();
        assert_eq!(plan(&run, 0.0), Err(PlanError::BadTarget(0.0)));
        assert!(plan(&run, f64::NAN).is_err());
        run.run.process_wall_s.clear();
        assert_eq!(plan(&run, 0.01), Err(PlanError::NoWallTimes));
        let one = analysed(example_run(
            "plan",
            1,
            vec![synthetic_case("a/x", 1.0, 8, 1, None)],
        ));
        assert_eq!(plan(&one, 0.01), Err(PlanError::OneProcess));
        assert_eq!(percent(0.005), "0.5%");
    }
}
