//! results.json is a function of the measurements and the seed alone: the analysis of the
//! samples a file holds, with the seed it records, gives its estimates and comparisons
//! byte for byte; two runs with one seed differ only in what the clock and the sensor
//! decided; and a golden document, analysed from fixed synthetic samples, pins every
//! number the analysis and its serialisation produce.

use ipw_bench::results::example::{
    analysed, example_run, power_trace, survival_example, synthetic_case, with_baseline,
    with_domains,
};
use ipw_bench::results::{read_results, write_json_atomic, RunResults, Status};
use ipw_bench::sensor::Provenance;
use ipw_tests::{results_path, run, text, QUICK};
use serde_json::Value;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

/// Filters for cases whose work is fixed by the code: iterations that spin for a set
/// time, and queries of which a fixed share is right.
const DETERMINISTIC: &[&str] = &["fixture/busy", "fixture/queries_70", "sized"];

/// The fixture's results over [`DETERMINISTIC`], measured from `synthetic:50` with seed 7.
fn measure(out: &Path) -> RunResults {
    let mut args = vec!["--bench", "--sensors", "synthetic:50", "--seed", "7"];
    args.extend_from_slice(QUICK);
    args.extend_from_slice(DETERMINISTIC);
    let o = run(Path::new(EXE), out, &args);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    read_results(&results_path(out, "ipw-fixture")).expect("a results file")
}

/// Compact JSON of any part of a results document.
macro_rules! json {
    ($v:expr) => {
        serde_json::to_string(&$v).expect("serialisable")
    };
}

/// Every estimate, answer count and comparison of `run` again from its samples, its idle
/// power and its seed, through the analysis a measured run goes through.
#[track_caller]
fn assert_reanalysis_reproduces(run: &RunResults) {
    let again = analysed(run.clone());
    for (saved, redone) in run.cases.iter().zip(&again.cases) {
        assert!(!saved.estimates.is_empty(), "{}", saved.id);
        assert_eq!(
            json!(saved.estimates),
            json!(redone.estimates),
            "estimates of {}",
            saved.id
        );
        assert_eq!(json!(saved.answers), json!(redone.answers), "{}", saved.id);
    }
    assert_eq!(run.comparisons.len(), 2, "fixture and sized");
    assert_eq!(json!(run.comparisons), json!(again.comparisons));
}

#[test]
fn reanalysis_reproduces_every_estimate_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = measure(dir.path());
    assert_eq!(run.run.seed, 7);
    let ids: Vec<&str> = run.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "fixture/busy",
            "fixture/queries_70",
            "sized/1",
            "sized/2",
            "sized/4"
        ]
    );
    assert!(run.cases[1].answers.is_some(), "a query case");
    assert_reanalysis_reproduces(&run);
    // The check can fail: another seed gives other intervals from the same samples.
    let mut reseeded = run.clone();
    reseeded.run.seed = 8;
    let reseeded = analysed(reseeded);
    assert_ne!(
        json!(reseeded.cases[0].estimates),
        json!(run.cases[0].estimates)
    );
}

/// Set the fields named by `keys` of the object `v` (when it is one) to null.
fn blank(v: &mut Value, keys: &[&str]) {
    if let Some(map) = v.as_object_mut() {
        for k in keys {
            if let Some(x) = map.get_mut(*k) {
                *x = Value::Null;
            }
        }
    }
}

/// Every number under `v` set to null.
fn blank_numbers(v: &mut Value) {
    match v {
        Value::Number(_) => *v = Value::Null,
        Value::Array(items) => items.iter_mut().for_each(blank_numbers),
        Value::Object(map) => map.values_mut().for_each(blank_numbers),
        _ => {}
    }
}

fn each(v: &mut Value, mut f: impl FnMut(&mut Value)) {
    if let Some(items) = v.as_array_mut() {
        items.iter_mut().for_each(&mut f);
    }
}

/// A results document without what the clock and the sensor decide, which must vary from
/// run to run, and the output folder the test chose: when and how long the run took; the
/// idle power; the power trace; per case
/// the iterations the schedule chose and its notes on them, each sample's iterations,
/// times, energies, answers and flags, every estimate's point and interval, the quality
/// warnings made from those, the latencies, answer and outlier counts, how many passes of the
/// question set ran and each question's tallies; and of each comparison all
/// but which variants of which group it compares on which metric (the tests it chooses
/// follow the data's shape). Everything else must be the same.
fn without_measurements(run: &RunResults) -> Value {
    let mut v = serde_json::to_value(run).expect("serialisable");
    blank(&mut v["run"], &["started_at", "finished_at", "duration_s"]);
    blank(&mut v["run"]["config"], &["output_dir"]);
    blank_numbers(&mut v["idle"]);
    each(&mut v["trace"], |t| {
        blank(t, &["t_s", "power_w", "temperature_c", "clock_mhz"])
    });
    each(&mut v["cases"], |c| {
        blank(
            &mut c["plan"],
            &["warm_up_iters", "iters_per_sample", "notes"],
        );
        each(&mut c["samples"], |s| {
            blank(
                s,
                &[
                    "iters",
                    "elapsed_s",
                    "start_s",
                    "window_s",
                    "energy_total_j",
                    "correct",
                    "incorrect",
                    "unjudged",
                    "delay_s",
                    "flags",
                    "first_question",
                ],
            );
            blank_numbers(&mut s["energy_j"]);
        });
        if let Some(estimates) = c["estimates"].as_object_mut() {
            for e in estimates.values_mut() {
                blank(e, &["point", "ci_low", "ci_high"]);
            }
        }
        blank(c, &["quality", "run_started_at"]);
        // How often each question was asked follows the clock; which questions there are
        // and how they were split into energy does not.
        blank(&mut c["question_set"], &["passes", "answers"]);
        each(&mut c["question_set"]["per_question"], |q| {
            blank(
                q,
                &[
                    "asked",
                    "correct",
                    "incorrect",
                    "unjudged",
                    "time_s",
                    "energy_j",
                ],
            )
        });
        blank_numbers(&mut c["latency"]);
        blank_numbers(&mut c["answers"]);
        blank_numbers(&mut c["outliers"]);
    });
    each(&mut v["comparisons"], |c| {
        if let Some(map) = c.as_object_mut() {
            map.retain(|k, _| ["group", "metric", "variants"].contains(&k.as_str()));
        }
    });
    v
}

#[test]
fn two_runs_with_one_seed_differ_only_in_what_was_measured() {
    let (a, b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let (first, second) = (measure(a.path()), measure(b.path()));
    let shape = |r: &RunResults| {
        serde_json::to_string_pretty(&without_measurements(r)).expect("serialisable")
    };
    let (left, right) = (shape(&first), shape(&second));
    let differ: Vec<String> = left
        .lines()
        .zip(right.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .take(10)
        .map(|(i, (x, y))| format!("line {}: {x} | {y}", i + 1))
        .collect();
    assert!(
        differ.is_empty() && left.lines().count() == right.lines().count(),
        "the runs differ beyond their measurements:\n{}",
        differ.join("\n")
    );
    assert_ne!(
        first.cases[0].samples, second.cases[0].samples,
        "two measurements, not one file twice"
    );
    assert_reanalysis_reproduces(&first);
    assert_reanalysis_reproduces(&second);
}

/// The golden document: fixed synthetic samples (no measuring) analysed as a run is,
/// compared with a baseline, and serialised as results.json is. Two iteration cases with
/// per-domain energy, three query variants, an estimated case, a Survival Game case and
/// a failed one.
fn golden() -> RunResults {
    const N: usize = 5;
    let split = [("cpu-package", 0.8), ("dram", 0.2)];
    let mut estimated = synthetic_case("cpu/estimated", 0.03, N, 6, None);
    estimated.provenance = Provenance::Estimated;
    let mut trials = synthetic_case("solve/trials", 0.04, N, 7, None);
    trials.kind = Some("trials".to_string());
    let mut failed = synthetic_case("parse", 1.0, 0, 8, None);
    failed.status = Status::Failed;
    failed.message = Some("panicked: index out of bounds".to_string());
    let cases = vec![
        with_domains(synthetic_case("sort/merge", 0.02, N, 1, None), &split),
        with_domains(synthetic_case("sort/quick", 0.018, N, 2, None), &split),
        synthetic_case("llm/fp32", 0.09, N, 3, Some(0.72)),
        synthetic_case("llm/fp16", 0.05, N, 4, Some(0.71)),
        synthetic_case("llm/int8", 0.03, N, 5, Some(0.66)),
        estimated,
        trials,
        failed,
    ];
    let mut old = example_run("golden", 11, cases.clone());
    for s in &mut old.cases[4].samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * 1.1);
    }
    let mut run = with_baseline(
        analysed(example_run("golden", 11, cases)),
        &analysed(old),
        "main",
    );
    run.cases[6].survival = Some(survival_example());
    run.trace = vec![power_trace(&run, 12)];
    run
}

const GOLDEN: &str = "tests/golden/results.json";

/// Any change to the analysis, the statistics, the example builders or the serialisation
/// that moves a number (or a byte) of the golden document fails here. When the change is
/// meant, regenerate the file with `IPW_BLESS=1 cargo test -p ipw-tests --test
/// deterministic_results` and review its diff. (Its p-values come from `statrs`'s
/// distributions, which call the platform's libm; they are pinned for Linux x86_64.)
#[test]
fn golden_results_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = dir.path().join("results.json");
    write_json_atomic(&written, &golden()).expect("written");
    let bytes = std::fs::read(&written).expect("read back");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("IPW_BLESS").is_some() {
        std::fs::write(&path, &bytes).expect("bless the golden document");
    }
    let want = std::fs::read(&path).expect("the golden document (IPW_BLESS=1 writes it)");
    if bytes != want {
        let (got, want) = (
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(&want),
        );
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(g, w)| g != w)
            .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
        panic!(
            "{GOLDEN} differs from line {}: now {:?}, golden {:?}\n(IPW_BLESS=1 rewrites it \
             when the change is meant)",
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
    // It reads back as the same document.
    assert_eq!(read_results(&path).expect("a results file"), golden());
}
