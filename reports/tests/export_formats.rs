//! End-to-end tests of `cargo ipw export --parquet` and `--format bmf|github-action-benchmark`
//! on the golden results file: the Parquet tables read back by the `parquet` crate give
//! results.json's numbers, and the trackers' JSON has the shape they document (checked-in
//! examples in `docs/examples/`).

use arrow_array::{Array, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use ipw_bench::results::{read_results, RunResults};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn golden() -> String {
    repo()
        .join("tests/tests/golden/results.json")
        .to_string_lossy()
        .into_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every row of a Parquet file, in one batch.
fn read_table(path: &Path) -> RecordBatch {
    let file = std::fs::File::open(path).expect("open parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a parquet file")
        .build()
        .expect("reader");
    let mut batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
    // The writer writes each table as one batch at these sizes.
    assert_eq!(batches.len(), 1, "one batch per table");
    batches.remove(0)
}

fn column<'a, T: 'static>(b: &'a RecordBatch, name: &str) -> &'a T {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap_or_else(|| panic!("type of {name}"))
}

#[test]
fn parquet_tables_give_back_the_results_files_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("pq");
    ok(&["export", "--parquet", &out.to_string_lossy(), &golden()]);
    let run: RunResults = read_results(Path::new(&golden())).expect("golden");

    let cases = read_table(&out.join("cases.parquet"));
    assert_eq!(cases.num_rows(), run.cases.len());
    let estimates = read_table(&out.join("estimates.parquet"));
    let n_estimates: usize = run.cases.iter().map(|c| c.estimates.len()).sum();
    assert_eq!(estimates.num_rows(), n_estimates);
    let samples = read_table(&out.join("samples.parquet"));
    let n_samples: usize = run.cases.iter().map(|c| c.samples.len()).sum();
    assert_eq!(samples.num_rows(), n_samples);
    let questions = read_table(&out.join("questions.parquet"));
    let n_questions: usize = run
        .cases
        .iter()
        .filter_map(|c| c.question_set.as_ref())
        .map(|q| q.per_question.len())
        .sum();
    assert_eq!(questions.num_rows(), n_questions);

    // Energy per iteration of every case: the mean over valid samples of energy / iters.
    let ids = column::<StringArray>(&samples, "case_id");
    let iters = column::<UInt64Array>(&samples, "iters");
    let energy = column::<Float64Array>(&samples, "energy_total_j");
    let valid = column::<BooleanArray>(&samples, "valid");
    for case in run.cases.iter().filter(|c| !c.samples.is_empty()) {
        let per_iter: Vec<f64> = (0..samples.num_rows())
            .filter(|&i| ids.value(i) == case.id && valid.value(i) && !energy.is_null(i))
            .map(|i| energy.value(i) / iters.value(i) as f64)
            .collect();
        let mean = per_iter.iter().sum::<f64>() / per_iter.len() as f64;
        let want = case.estimates["energy_per_iter_j"].point;
        assert_eq!(mean, want, "{}", case.id);
    }
    // Accuracy of each query case from its questions.
    let qids = column::<StringArray>(&questions, "case_id");
    let right = column::<Float64Array>(&questions, "correct");
    let wrong = column::<Float64Array>(&questions, "incorrect");
    for case in run.cases.iter().filter(|c| c.question_set.is_some()) {
        let rows: Vec<usize> = (0..questions.num_rows())
            .filter(|&i| qids.value(i) == case.id)
            .collect();
        let c: f64 = rows.iter().map(|&i| right.value(i)).sum();
        let w: f64 = rows.iter().map(|&i| wrong.value(i)).sum();
        assert_eq!(c / (c + w), case.estimates["accuracy"].point, "{}", case.id);
    }
    // An unavailable value is a null, never 0: the failed case has no provenance-free
    // answers, and its kind stays as the file has it.
    let host = column::<StringArray>(&cases, "host");
    assert_eq!(
        host.value(0),
        run.run.host.hostname.as_deref().unwrap_or("")
    );
    let queries = column::<UInt64Array>(&cases, "queries");
    let first_iter = run
        .cases
        .iter()
        .position(|c| c.answers.is_none())
        .expect("iter case");
    assert!(queries.is_null(first_iter));
}

fn checked_in(name: &str) -> Value {
    let path = repo().join("docs/examples").join(name);
    let text = std::fs::read_to_string(&path).expect("checked-in example");
    serde_json::from_str(&text).expect("example is JSON")
}

/// `{"<benchmark>": {"<measure>": {"value": n, "lower_value": n, "upper_value": n}}}`.
fn assert_bmf_shape(v: &Value) {
    let benchmarks = v.as_object().expect("an object of benchmarks");
    assert!(!benchmarks.is_empty());
    for (name, measures) in benchmarks {
        let measures = measures.as_object().expect("an object of measures");
        assert!(!measures.is_empty(), "{name}");
        for (m, metric) in measures {
            let metric = metric.as_object().expect("a metric object");
            assert!(metric["value"].is_number(), "{name} {m}");
            for k in metric.keys() {
                assert!(
                    ["value", "lower_value", "upper_value"].contains(&k.as_str()),
                    "{name} {m}: {k}"
                );
            }
        }
    }
}

/// `[{"name": s, "unit": s, "value": n, "range": s, "extra": s}]`.
fn assert_github_shape(v: &Value) {
    let entries = v.as_array().expect("an array");
    assert!(!entries.is_empty());
    for e in entries {
        let e = e.as_object().expect("an object");
        assert!(e["name"].is_string() && e["unit"].is_string(), "{e:?}");
        assert!(e["value"].is_number(), "{e:?}");
        assert!(e["range"].is_string() && e["extra"].is_string(), "{e:?}");
        assert_eq!(e.len(), 5, "{e:?}");
    }
}

#[test]
fn bmf_output_has_bencher_shape_and_matches_the_checked_in_example() {
    let out = ok(&["export", "--format", "bmf", &golden()]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_bmf_shape(&v);
    let example = checked_in("bmf.json");
    assert_bmf_shape(&example);
    assert_eq!(
        v, example,
        "regenerate docs/examples/bmf.json (docs/export.md)"
    );
    let run: RunResults = read_results(Path::new(&golden())).expect("golden");
    let e = &run.cases[0].estimates["energy_per_iter_j"];
    assert_eq!(v[&run.cases[0].id]["energy_per_iter_j"]["value"], e.point);
    assert_eq!(
        v[&run.cases[0].id]["energy_per_iter_j"]["upper_value"],
        e.ci_high
    );
}

#[test]
fn github_action_benchmark_output_has_its_shape_and_matches_the_example() {
    let out = ok(&["export", "--format", "github-action-benchmark", &golden()]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_github_shape(&v);
    let example = checked_in("github-action-benchmark.json");
    assert_eq!(
        v, example,
        "regenerate docs/examples/github-action-benchmark.json"
    );
    let names: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"llm/fp32 joules_per_correct"), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(" accuracy")), "{names:?}");
}

#[test]
fn export_formats_refuse_bad_combinations_with_one_line() {
    for (args, needle) in [
        (
            vec!["export", "--csv", "--format", "bmf"],
            "one format at a time",
        ),
        (vec!["export", "--parquet", "d", "-o", "x"], "leave out -o"),
        (
            vec!["export", "--format", "bmf", "--questions"],
            "--questions goes with --csv",
        ),
        (vec!["export", "--format", "nope"], "invalid value"),
    ] {
        let mut args = args.clone();
        let g = golden();
        args.push(&g);
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
