//! A case's record from the measuring stage, with the trace, in; its results out: samples
//! with energy, estimates, quality warnings, the Survival Game score and the status.

use crate::analysis::carbon;
use crate::analysis::estimates::{answers, case_seed, latency};
use crate::analysis::outliers::time_outliers;
use crate::analysis::quality;
use crate::analysis::questions::{case_estimates, sizing};
use crate::analysis::record::{CasePlan, CaseResult, QualityWarning, Status};
use crate::analysis::throughput;
use crate::attribution::questions::question_set;
use crate::attribution::record::{Idle, Sample};
use crate::attribution::sample::to_sample;
use crate::measure::record::{CaseKind, CaseRecord, EdgeId, RawSample, Trace};
use crate::measure::runner::POLL_INTERVAL;
use crate::measure::sensor::{Provenance, SensorInfo};
use crate::survival::{score, SurvivalConfig, SurvivalError, SurvivalResult, TaskOutcome};

/// The provenance of a run's energy: the weakest of its top-level sources.
pub(crate) fn provenance_of(sensors: &[SensorInfo]) -> Provenance {
    sensors
        .iter()
        .filter(|s| s.contained_in.is_none())
        .map(|s| s.provenance)
        .fold(
            if sensors.is_empty() {
                Provenance::Estimated
            } else {
                Provenance::Measured
            },
            Provenance::weakest,
        )
}

/// The results of one case.
pub(crate) fn case_result(
    r: &CaseRecord,
    trace: &Trace,
    idle: &Idle,
    run_seed: u64,
    carbon_flag: Option<f64>,
) -> CaseResult {
    let samples: Vec<Sample> = r
        .raw
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let trial = r.phased.as_ref().zip(r.delays.get(i).copied());
            to_sample(trace, s, trial)
        })
        .collect();
    let provenance = match r.kind {
        Some(CaseKind::IterCustomEnergy) => Provenance::Reported,
        _ => provenance_of(&trace.sensors),
    };
    let seed = case_seed(run_seed, &r.name.id);
    let questions = question_set(&r.raw, &samples, trace);
    let mut estimates = case_estimates(&samples, questions.as_ref(), idle.mean_w, provenance, seed);
    carbon::add_estimates(&mut estimates, &carbon::carbon(carbon_flag));
    if let Some(t) = r.throughput {
        throughput::add_rates(&mut estimates, t);
    }
    let mut notes = r.plan.as_ref().map(|p| p.notes.clone()).unwrap_or_default();
    let mut quality = case_quality(r, trace, &samples, provenance, &notes);
    // The protocol is the remedy for part-time GPU readings, not a problem: a note of the
    // plan, not a quality warning.
    if let Some(p) = r.phased.filter(|_| !samples.is_empty()) {
        notes.push(p.note(samples.len(), r.repeated));
    }
    let survival = survival_of(&r.raw, &samples, seed).and_then(|s| match s {
        Ok(s) => Some(s),
        Err(e) => {
            quality.push(QualityWarning {
                code: "survival".to_string(),
                message: format!("no Survival Game score: {e}"),
            });
            None
        }
    });
    let status = status_of(r, &samples);
    let message = r.skipped.clone().or_else(|| r.failure.clone()).or_else(|| {
        (status == Status::Invalid)
            .then(|| "no sample window has valid energy; see quality".to_string())
    });
    CaseResult {
        group: r.name.group.clone(),
        name: r.name.name.clone(),
        variant: r.name.variant.clone(),
        id: r.name.id.clone(),
        status,
        message,
        kind: r.kind.map(|k| k.as_str().to_string()),
        throughput: r.throughput,
        provenance,
        plan: CasePlan {
            warm_up_time_s: r.budget.warm_up_s,
            warm_up_iters: r.warm_up_iters,
            measurement_time_s: r.budget.measurement_s,
            max_time_s: r.budget.max_s,
            sample_size_requested: r.budget.sample_size,
            iters_per_sample: r.plan.as_ref().map_or(0, |p| p.iters_per_sample),
            notes,
        },
        answers: answers(&samples),
        outliers: time_outliers(&samples),
        samples,
        estimates,
        quality,
        latency: r.latency.as_ref().and_then(latency),
        baseline: None,
        survival,
        sizing: questions.as_ref().and_then(sizing),
        processes: None,
        question_set: questions,
        run_started_at: None,
    }
}

/// Skipped, failed, measured without a single valid energy window, or ok.
fn status_of(r: &CaseRecord, samples: &[Sample]) -> Status {
    if r.skipped.is_some() {
        Status::Skipped
    } else if r.failure.is_some() {
        Status::Failed
    } else if !samples.is_empty() && samples.iter().all(|s| !s.valid) {
        Status::Invalid
    } else {
        Status::Ok
    }
}

/// The quality warnings of a case that ran: from its samples, the trace around its
/// windows, and NVML's part-time readings when the protocol did not apply.
fn case_quality(
    r: &CaseRecord,
    trace: &Trace,
    samples: &[Sample],
    provenance: Provenance,
    notes: &[String],
) -> Vec<QualityWarning> {
    if r.skipped.is_some() {
        return Vec::new();
    }
    let mut quality = quality::case_warnings(samples, provenance, notes);
    let windows: Vec<(EdgeId, EdgeId)> = r.raw.iter().map(RawSample::span).collect();
    quality.extend(quality::trace_warnings(
        trace,
        &windows,
        POLL_INTERVAL.as_secs_f64(),
    ));
    if r.phased.is_none() {
        let shortest = samples
            .iter()
            .map(|s| s.window_s)
            .fold(f64::INFINITY, f64::min);
        if let Some(m) = quality::nvml_short_window_warning(shortest, &trace.sensors) {
            quality.push(QualityWarning {
                code: "nvml-part-time".to_string(),
                message: m,
            });
        }
    }
    quality
}

/// Survival Game scoring of a `trials` or `ranked` case: each task's first run is one
/// observation; its energy is its sample's energy split in proportion to its time.
fn survival_of(
    raw: &[RawSample],
    samples: &[Sample],
    seed: u64,
) -> Option<Result<SurvivalResult, SurvivalError>> {
    if raw.iter().all(|s| s.tasks.is_empty()) {
        return None;
    }
    let mut outcomes = Vec::new();
    for (raw, sample) in raw.iter().zip(samples) {
        let total_ns = raw.task_time_ns;
        // Tasks cycle across samples; a task's later runs repeat its first, so each task
        // is scored once (observations must be independent for the tail fit): the
        // records are first runs, and the sample's time counts every run.
        for t in &raw.tasks {
            let share = if total_ns > 0 {
                t.elapsed_ns as f64 / total_ns as f64
            } else {
                1.0 / raw.iters.max(1) as f64
            };
            outcomes.push(TaskOutcome {
                task: format!("task{}", t.index),
                failures: t.failures,
                censored: t.censored,
                energy_j: sample
                    .energy_total_j
                    .filter(|_| sample.valid)
                    .map(|e| e * share),
                time_s: Some(t.elapsed_ns as f64 * 1e-9),
            });
        }
    }
    // Energy is all or nothing in scoring: drop it when any task lacks it.
    if outcomes.iter().any(|o| o.energy_j.is_none()) {
        for o in &mut outcomes {
            o.energy_j = None;
        }
    }
    let config = SurvivalConfig {
        seed,
        ..Default::default()
    };
    Some(score(&outcomes, &config))
}
