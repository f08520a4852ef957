//! End-to-end tests of `cargo ipw import ipw-harness` on runs written by the real writers
//! (`scripts/ipw_harness_fixtures.py`: `datasets.save_to_disk` and `pyarrow`), committed
//! in `tests/fixtures/ipw-harness`; CI also writes them afresh into `IPW_HARNESS_FIXTURES`
//! and the same tests read those. The expected values are the fixture script's
//! hand-computed ones.

use ipw_bench::results::{read_results, RunResults};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

/// The fixture folders to test: the committed copy, and the fresh one when CI made it.
fn fixture_roots() -> Vec<PathBuf> {
    let mut roots = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ipw-harness")];
    if let Some(fresh) = std::env::var_os("IPW_HARNESS_FIXTURES") {
        roots.push(PathBuf::from(fresh));
    }
    roots
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn import(path: &Path, out: &Path) -> Output {
    run(&[
        "import",
        "ipw-harness",
        &path.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ])
}

fn imported(path: &Path, out: &Path, hardware_dir: &str) -> RunResults {
    let o = import(path, out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    read_results(&out.join(hardware_dir).join("results.json")).expect("imported results")
}

fn point(run: &RunResults, case: &str, metric: &str) -> f64 {
    let c = run.cases.iter().find(|c| c.id == case).expect("case");
    c.estimates[metric].point
}

#[test]
fn single_turn_runs_give_the_hand_computed_accuracy_and_joules() {
    for root in fixture_roots() {
        let dir = tempfile::tempdir().expect("tempdir");
        let run = imported(
            &root.join("single-turn/runs"),
            dir.path(),
            "NVIDIA-H100-80GB-HBM3",
        );
        assert_eq!(
            run.run.host.hostname.as_deref(),
            Some("NVIDIA H100 80GB HBM3")
        );
        assert_eq!(run.run.config["provenance"], "imported");
        assert_eq!(run.run.config["imported_from"]["tool"], "ipw-harness");
        let a = "ipw-harness/model-a";
        assert_eq!(point(&run, a, "accuracy"), 0.8);
        assert_eq!(point(&run, a, "joules_per_correct"), 57.75);
        assert_eq!(point(&run, a, "joules_per_query"), 38.5);
        assert_eq!(point(&run, a, "joules_per_output_token"), 1.1);
        assert_eq!(point(&run, a, "joules_per_input_token"), 0.385);
        let b = "ipw-harness/model-b";
        assert_eq!(point(&run, b, "accuracy"), 0.5);
        assert_eq!(point(&run, b, "joules_per_correct"), 11.0);
        assert_eq!(point(&run, b, "joules_per_output_token"), 0.55);
        // The unscorable query is unjudged, not wrong.
        let case_a = &run.cases[0];
        let answers = case_a.answers.expect("answers");
        assert_eq!(
            (answers.correct, answers.incorrect, answers.unjudged),
            (4.0, 1.0, 1)
        );
        // Intervals over questions, as for a native query case.
        let acc = &case_a.estimates["accuracy"];
        assert_eq!(acc.resampled.as_deref(), Some("questions"));
        assert!(acc.ci_low < 0.8 && acc.ci_high >= 0.8, "{acc:?}");
        // Energy by domain: GPU and CPU measured, ANE and SoC (-1) left out.
        let domains: Vec<&String> = case_a.samples[0].energy_j.keys().collect();
        assert_eq!(domains, ["cpu", "gpu"]);
        // The two models are compared paired on their shared questions.
        let accuracy = run
            .comparisons
            .iter()
            .find_map(|g| g.accuracy.as_ref())
            .expect("an accuracy comparison");
        assert!(accuracy.paired, "{accuracy:?}");
        assert_eq!(accuracy.questions, Some(5));
        assert!(run.idle.mean_w.is_none() && run.sensors.is_empty());
    }
}

#[test]
fn bench_runs_in_stream_and_file_format_read_alike() {
    for root in fixture_roots() {
        for (path, label) in [
            (root.join("bench/runs/agent-run"), "stream"),
            (root.join("bench-file/trace.arrow"), "file"),
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let run = imported(&path, dir.path(), "NVIDIA-A100-SXM4-40GB");
            let c = "ipw-harness/agent-model";
            assert_eq!(point(&run, c, "accuracy"), 2.0 / 3.0, "{label}");
            assert_eq!(point(&run, c, "joules_per_correct"), 825.0, "{label}");
            assert_eq!(point(&run, c, "joules_per_output_token"), 1.1, "{label}");
            assert_eq!(point(&run, c, "joules_per_input_token"), 0.33, "{label}");
            let answers = run.cases[0].answers.expect("answers");
            // The timed-out and the unscorable query are unjudged.
            assert_eq!(answers.unjudged, 2, "{label}");
            assert_eq!(run.run.config["imported_from"]["version"], "0.3.0");
            // The source measured no time to first token: the metric is absent, not 0.
            assert!(!run.cases[0].estimates.contains_key("ttft_mean_s"));
        }
    }
}

#[test]
fn imported_runs_render_and_compare_like_native_ones() {
    let root = &fixture_roots()[0];
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("imported");
    let o = import(&root.join("single-turn"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = out.join("NVIDIA-H100-80GB-HBM3/results.json");
    let f = file.to_string_lossy().into_owned();
    let report = dir.path().join("report");
    let o = run(&["report", &f, "--output-dir", &report.to_string_lossy()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(report.join("report/index.html").is_file());
    let o = run(&["compare", &f, &f, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_foreign_or_corrupt_file_is_one_line_naming_what_it_lacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = &fixture_roots()[0];
    let corrupt = dir.path().join("corrupt.arrow");
    let bytes = std::fs::read(root.join("bench-file/trace.arrow")).expect("fixture");
    std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).expect("write");
    let text = dir.path().join("text.arrow");
    std::fs::write(&text, "query_id,energy\nq1,3\n").expect("write");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/tests/golden/results.json");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    for (path, needle) in [
        (corrupt, "not an Arrow IPC file"),
        (text, "not an Arrow IPC stream"),
        (golden, "not an Arrow IPC stream"),
        (dir.path().join("missing.arrow"), "no such file"),
        (empty, "no .arrow file"),
    ] {
        let o = import(&path, &dir.path().join("out"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{path:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{path:?}: {err}");
    }
}

/// An Arrow IPC stream of `columns` (each of 1 row of 1.0), written by the `arrow` crates.
fn foreign_stream(path: &Path, columns: &[&str]) {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch};
    use std::sync::Arc;
    let cols: Vec<(&str, ArrayRef)> = columns
        .iter()
        .map(|c| (*c, Arc::new(Float64Array::from(vec![1.0])) as ArrayRef))
        .collect();
    let batch = RecordBatch::try_from_iter(cols).expect("batch");
    let file = std::fs::File::create(path).expect("create");
    let mut w = arrow_ipc::writer::StreamWriter::try_new(file, &batch.schema()).expect("writer");
    w.write(&batch).expect("write");
    w.finish().expect("finish");
}

#[test]
fn a_foreign_arrow_file_names_the_column_it_lacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (columns, needle) in [
        (&["a", "b"][..], "neither column `model_metrics`"),
        (
            &["query_id", "total_gpu_energy_joules"][..],
            "no column `total_wall_clock_s`",
        ),
        (
            &["total_gpu_energy_joules", "total_wall_clock_s"][..],
            "no column `is_resolved`",
        ),
        (
            &["model_metrics"][..],
            "`model_metrics` is Float64, not a struct",
        ),
    ] {
        let path = dir.path().join("foreign.arrow");
        foreign_stream(&path, columns);
        let o = import(&path, &dir.path().join("out"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{columns:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains("foreign.arrow") && err.contains(needle),
            "{err}"
        );
    }
}
