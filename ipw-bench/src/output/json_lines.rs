//! Cargo-style JSON lines (`--format json`): one object per event, each with a `reason`.

use crate::results::plan::RunPlan;
use crate::results::{BaselineComparison, CaseResult, GroupComparison, RunResults, Status};
use serde_json::{json, Value};
use std::path::Path;

/// The sources chosen for the run.
pub(crate) fn sensors(lines: &[String]) -> Value {
    json!({"reason": "sensors", "lines": lines})
}

/// A case's estimates, once its group is done.
pub(crate) fn case(c: &CaseResult) -> Value {
    json!({
        "reason": "case-complete",
        "id": c.id,
        "group": c.group,
        "name": c.name,
        "variant": c.variant,
        "status": c.status,
        "message": c.message,
        "provenance": c.provenance,
        "estimates": c.estimates,
        "answers": c.answers,
        "quality": c.quality,
    })
}

/// A group's comparison on one metric.
pub(crate) fn comparison(c: &GroupComparison) -> Value {
    json!({
        "reason": "group-complete",
        "group": c.group,
        "metric": c.metric,
        "variants": c.variants,
        "verdicts": c.verdicts,
    })
}

/// A case against the baseline.
pub(crate) fn baseline(c: &CaseResult, b: &BaselineComparison) -> Value {
    json!({
        "reason": "baseline-compared",
        "id": c.id,
        "baseline": b,
    })
}

/// The plan of a `--processes` run: the processes and samples that reach the target
/// interval in the least time, as `cargo ipw plan --format json` gives it.
pub(crate) fn plan(p: &RunPlan) -> Value {
    let mut v = json!({"reason": "plan"});
    if let (Value::Object(line), Ok(Value::Object(plan))) = (&mut v, serde_json::to_value(p)) {
        line.extend(plan);
    }
    v
}

/// The end of the run.
pub(crate) fn finished(run: &RunResults, path: &Path) -> Value {
    let failed = run.cases.iter().filter(|c| c.status != Status::Ok).count();
    json!({
        "reason": "run-complete",
        "bench": run.bench,
        "results": path,
        "cases": run.cases.len(),
        "failed": failed,
        "warnings": run.warnings,
    })
}
