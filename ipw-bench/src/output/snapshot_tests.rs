//! Snapshots of everything a run prints for people and for tools: the terminal's case
//! blocks, verdict and baseline lines, and every JSON line, on fixed-seed example runs.
//! Test mode's libtest lines print straight to stdout: `tests/tests/output_snapshots.rs`
//! snapshots them from the fixture binary.

use super::{json_lines, terminal};
use crate::measure::sensor::{discover, Provenance, SensorSpec};
use crate::results::example::{
    analysed, example_run, survival_example, synthetic_case, synthetic_run, with_baseline,
};
use crate::results::{CaseResult, RunResults, Status};
use std::path::Path;

const SAMPLES: usize = 8;

/// The cases of [`run`], before analysis: one of each kind the terminal prints
/// differently, and a two-variant group (`llm`).
fn cases() -> Vec<CaseResult> {
    let mut estimated = synthetic_case("cpu/estimated", 0.03, SAMPLES, 4, None);
    estimated.provenance = Provenance::Estimated;
    let mut trials = synthetic_case("solve/trials", 0.04, SAMPLES, 5, None);
    trials.kind = Some("trials".to_string());
    let mut failed = synthetic_case("parse", 1.0, 0, 6, None);
    failed.status = Status::Failed;
    failed.message = Some("panicked: index out of bounds: the len is 3 but the index is 7".into());
    let mut skipped = synthetic_case("gpu/square", 1.0, 0, 7, None);
    skipped.status = Status::Skipped;
    skipped.message = Some("needs the fake NVML library: IPW_NVML_LIB is not set".into());
    vec![
        synthetic_case("sort/quick", 0.02, SAMPLES, 1, None),
        synthetic_case("llm/int8", 0.05, SAMPLES, 2, Some(0.7)),
        synthetic_case("llm/fp16", 0.08, SAMPLES, 3, Some(0.65)),
        estimated,
        trials,
        failed,
        skipped,
    ]
}

fn scale_energy(run: &mut RunResults, id: &str, factor: f64) {
    let case = run.cases.iter_mut().find(|c| c.id == id).expect("the case");
    for s in &mut case.samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * factor);
    }
}

/// The analysed run of [`cases`], the trials case with a Survival Game score, against a
/// baseline `main` where `llm/int8` took 10% more energy, `llm/fp16` 10% less and
/// `sort/quick` the same, and which lacks `cpu/estimated`.
fn run() -> RunResults {
    let mut old = example_run("models", 42, cases());
    scale_energy(&mut old, "llm/int8", 1.1);
    scale_energy(&mut old, "llm/fp16", 0.9);
    old.cases.retain(|c| c.id != "cpu/estimated");
    let mut r = with_baseline(
        analysed(example_run("models", 42, cases())),
        &analysed(old),
        "main",
    );
    r.cases[4].survival = Some(survival_example());
    r
}

fn case<'a>(run: &'a RunResults, id: &str) -> &'a CaseResult {
    run.cases.iter().find(|c| c.id == id).expect("the case")
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON")
}

#[test]
fn terminal_case_blocks() {
    let r = run();
    for (name, id) in [
        ("terminal_iter_case", "sort/quick"),
        ("terminal_query_case", "llm/int8"),
        ("terminal_estimated_case", "cpu/estimated"),
        ("terminal_survival_case", "solve/trials"),
        ("terminal_failed_case", "parse"),
        ("terminal_skipped_case", "gpu/square"),
    ] {
        insta::assert_snapshot!(name, terminal::human_block(case(&r, id)));
    }
}

#[test]
fn terminal_verdicts_of_two_variants() {
    let r = run();
    let llm: Vec<_> = r.comparisons.iter().filter(|c| c.group == "llm").collect();
    assert_eq!(llm.len(), 3, "energy, joules per correct answer and IPJ");
    let text: String = llm.iter().map(|c| terminal::comparison(c)).collect();
    insta::assert_snapshot!(text);
}

#[test]
fn terminal_verdicts_of_four_variants() {
    let r = synthetic_run("models", 1, 4, SAMPLES, 9);
    assert_eq!(r.comparisons[0].variants.len(), 4);
    let text: String = r.comparisons.iter().map(terminal::comparison).collect();
    insta::assert_snapshot!(text);
}

#[test]
fn terminal_baseline_changes() {
    let r = run();
    let text: String = r
        .cases
        .iter()
        .filter_map(|c| c.baseline.as_ref().map(|b| terminal::baseline(c, b)))
        .collect();
    for verdict in ["improved", "regressed", "no-change"] {
        assert!(text.contains(verdict), "{verdict} missing:\n{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn terminal_closing_line() {
    let r = run();
    insta::assert_snapshot!(terminal::finished(&r).expect("two cases did not complete"));
    let mut ok = r.clone();
    ok.cases.retain(|c| c.status == Status::Ok);
    assert_eq!(terminal::finished(&ok), None);
}

#[test]
fn json_sensors_line() {
    let discovery = discover(&[SensorSpec::Synthetic { watts: 50.0 }]).expect("synthetic");
    insta::assert_snapshot!(pretty(&json_lines::sensors(&discovery.summary())));
}

#[test]
fn json_case_complete_lines() {
    let r = run();
    for (name, id) in [
        ("json_case_iter", "sort/quick"),
        ("json_case_query", "llm/int8"),
        ("json_case_failed", "parse"),
        ("json_case_skipped", "gpu/square"),
    ] {
        insta::assert_snapshot!(name, pretty(&json_lines::case(case(&r, id))));
    }
}

#[test]
fn json_group_complete_lines() {
    let two = run();
    let four = synthetic_run("models", 1, 4, SAMPLES, 9);
    let lines: Vec<serde_json::Value> = two
        .comparisons
        .iter()
        .chain(&four.comparisons)
        .map(json_lines::comparison)
        .collect();
    insta::assert_snapshot!(pretty(&serde_json::Value::from(lines)));
}

#[test]
fn json_baseline_compared_lines() {
    let r = run();
    let lines: Vec<serde_json::Value> = r
        .cases
        .iter()
        .filter_map(|c| c.baseline.as_ref().map(|b| json_lines::baseline(c, b)))
        .collect();
    insta::assert_snapshot!(pretty(&serde_json::Value::from(lines)));
}

#[test]
fn json_run_complete_line() {
    let mut r = run();
    r.warnings
        .push("idle power drifted by +12% between the start and the end of the run".into());
    let path = Path::new("target/ipw/models/results.json");
    insta::assert_snapshot!(pretty(&json_lines::finished(&r, path)));
}
