//! The results documents of a run: what every one of them shares (the header), and how a
//! run's cases merge into earlier results (the previous file, a baseline), with the
//! comparisons of the groups the run measured recomputed from the merged cases.

use crate::analysis::{carbon, compare};
use crate::attribution::record::Idle;
use crate::attribution::trace::power_traces;
use crate::measure::record::Trace;
use crate::measure::sensor::Provenance;
use crate::results::merge::{merge_cases, merge_comparisons};
use crate::results::{
    host, paths, CaseResult, GroupComparison, RunInfo, RunPart, RunResults, RunStatus, Tool,
    UnusedSensor, SCHEMA_VERSION,
};
use crate::setup::config::Config;
use crate::stats::rng::case_seed;
use std::collections::BTreeSet;
use std::time::Instant;

/// What every document this run writes shares.
pub(super) struct Header<'a> {
    pub config: &'a Config,
    /// RFC 3339: `run.started_at`, and each measured case's `run_started_at`.
    pub started: String,
    pub clock: Instant,
    pub phased: bool,
    pub unused: Vec<UnusedSensor>,
    /// Every registered case id, in registry order: the cases a merge may keep.
    pub known: Vec<String>,
    /// The ids this run selected, in order: recorded while the run is not complete.
    pub selected: Vec<String>,
    /// The earlier parts of a run this one continues (`--resume`).
    pub resumed: Vec<RunPart>,
}

impl Header<'_> {
    /// A document of `cases` as measured now, over the trace so far.
    pub(super) fn document(
        &self,
        cases: Vec<CaseResult>,
        comparisons: Vec<GroupComparison>,
        trace: &Trace,
        idle: Idle,
        status: RunStatus,
    ) -> RunResults {
        RunResults {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "ipw-bench".to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            bench: paths::bench_name(),
            run: RunInfo {
                started_at: self.started.clone(),
                finished_at: host::now_rfc3339(),
                duration_s: self.clock.elapsed().as_secs_f64(),
                host: host::host(),
                rustc: host::rustc(),
                git_commit: host::git_commit(),
                seed: self.config.seed,
                config: config_record(self.config, self.phased),
                status,
                selected: (status != RunStatus::Complete).then(|| self.selected.clone()),
                resumed: self.resumed.clone(),
                process_wall_s: Vec::new(),
            },
            sensors: trace.sensors.clone(),
            sensors_unused: self.unused.clone(),
            warnings: run_warnings(trace, &idle),
            idle,
            cases,
            carbon: carbon::carbon(self.config.carbon_intensity),
            trace: power_traces(trace),
            comparisons,
        }
    }

    /// Mark cases as measured by this run.
    pub(super) fn stamp(&self, cases: &mut [CaseResult]) {
        for c in cases {
            c.run_started_at = Some(self.started.clone());
        }
    }

    /// `run` (this run's cases only) merged into `old`: the cases `run` measured are
    /// replaced, the others kept; comparisons of the groups in `touched` come from
    /// `fresh` when given, else are recomputed from the merged cases.
    pub(super) fn merged(
        &self,
        old: Option<&RunResults>,
        mut run: RunResults,
        fresh: Option<&[GroupComparison]>,
    ) -> RunResults {
        let Some(old) = old else {
            return run;
        };
        let touched: BTreeSet<String> = run.cases.iter().map(|c| c.group.clone()).collect();
        let cases = merge_cases(&old.cases, &run.cases, &self.known);
        let new: Vec<GroupComparison> = match fresh {
            Some(f) => f.to_vec(),
            None => touched
                .iter()
                .flat_map(|g| {
                    let members: Vec<CaseResult> =
                        cases.iter().filter(|c| &c.group == g).cloned().collect();
                    group_comparisons(self.config, g, &members)
                })
                .collect(),
        };
        run.comparisons = merge_comparisons(&old.comparisons, &new, &touched, &cases);
        run.cases = cases;
        run
    }
}

/// The comparisons between the variants of one group.
pub(super) fn group_comparisons(
    config: &Config,
    group: &str,
    cases: &[CaseResult],
) -> Vec<GroupComparison> {
    let refs: Vec<&CaseResult> = cases.iter().collect();
    let noise = config
        .noise_threshold
        .unwrap_or(compare::DEFAULT_ENERGY_NOISE);
    compare::compare_group(group, &refs, noise, case_seed(config.seed, group))
}

/// The group's cases as the merged file will hold them: this run's, and the earlier
/// ones of the same group that it did not measure.
pub(super) fn group_members(
    header: &Header,
    previous: Option<&RunResults>,
    group: &str,
    measured: &[CaseResult],
) -> Vec<CaseResult> {
    let old: Vec<CaseResult> = previous
        .map(|p| {
            p.cases
                .iter()
                .filter(|c| c.group == group)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    merge_cases(&old, measured, &header.known)
}

/// The configuration as recorded, with the GPU protocol that was actually applied.
pub(super) fn config_record(config: &Config, phased: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(config).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        let used = if phased { "phased" } else { "simple" };
        map.insert("gpu_protocol_used".to_string(), used.into());
    }
    v
}

/// Run-level warnings: lost sources, idle drift, energy that is only estimated.
fn run_warnings(trace: &Trace, idle: &Idle) -> Vec<String> {
    let mut w = Vec::new();
    for (i, t_ns, msg) in &trace.lost {
        w.push(format!(
            "source {} disappeared {:.1} s into the run ({msg}); the windows after it are invalid",
            trace.sensors[*i].id,
            *t_ns as f64 * 1e-9
        ));
    }
    if let Some(d) = idle.drift_fraction.filter(|d| d.abs() > 0.10) {
        w.push(format!(
            "idle power drifted by {:+.0}% between the start and the end of the run: \
             thermal or background load changed",
            d * 100.0
        ));
    }
    let sensors = &trace.sensors;
    if !sensors.is_empty()
        && sensors
            .iter()
            .all(|s| s.provenance == Provenance::Estimated)
    {
        w.push("no measured energy source was used: energy is ESTIMATED from CPU time".to_string());
    }
    w
}
