//! End-to-end tests of `cargo ipw stats` on Parquet files: the same answers as on the
//! same data in CSV, streamed (anova) or in memory (kruskal, paired ttest), and one-line
//! errors for a missing column, a wrong column type and a file that is not Parquet.

use arrow_array::{ArrayRef, Float32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

/// Rows of the test data: group, value, pair.
fn rows() -> Vec<(&'static str, f64, i64)> {
    (0..3000)
        .map(|i| {
            let g = ["fp32", "fp16", "int8"][i % 3];
            // Deterministic and uneven, with a shift per group.
            let v = ((i * 7919) % 1009) as f64 / 97.0 + (i % 3) as f64 * 0.25;
            (g, v, (i / 3) as i64)
        })
        .collect()
}

fn write_csv(path: &Path) {
    let mut text = String::from("group,value,pair\n");
    for (g, v, p) in rows() {
        text.push_str(&format!("{g},{v:?},{p}\n"));
    }
    std::fs::write(path, text).expect("write csv");
}

/// Writes the columns as Parquet, in small row groups and pages so that the reader goes
/// through several batches.
fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(columns).expect("batch");
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(1000))
        .build();
    let file = std::fs::File::create(path).expect("create parquet");
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
}

fn standard_columns() -> Vec<(&'static str, ArrayRef)> {
    columns_of(&rows())
}

fn columns_of(r: &[(&str, f64, i64)]) -> Vec<(&'static str, ArrayRef)> {
    vec![
        (
            "group",
            Arc::new(r.iter().map(|x| Some(x.0)).collect::<StringArray>()) as ArrayRef,
        ),
        (
            "value",
            Arc::new(Float64Array::from_iter_values(r.iter().map(|x| x.1))),
        ),
        (
            "pair",
            Arc::new(Int64Array::from_iter_values(r.iter().map(|x| x.2))),
        ),
    ]
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn stdout_of(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn parquet_gives_the_csv_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("data.csv");
    let pq = dir.path().join("data.parquet");
    // No `.parquet` name: found by its PAR1 start.
    let unnamed = dir.path().join("data.bin");
    write_csv(&csv);
    write_parquet(&pq, standard_columns());
    std::fs::copy(&pq, &unnamed).expect("copy");
    let (csv, pq, unnamed) = (
        csv.to_str().unwrap(),
        pq.to_str().unwrap(),
        unnamed.to_str().unwrap(),
    );
    for args in [
        &["anova"][..],
        &["anova", "--welch"],
        &["tukey"],
        &["kruskal"],
        &["describe"],
    ] {
        let on = |file: &str| {
            let mut a = vec!["stats"];
            a.extend_from_slice(args);
            a.extend([file, "--format", "json"]);
            stdout_of(&a)
        };
        let want = on(csv);
        assert_eq!(on(pq), want, "{args:?}");
        assert_eq!(on(unnamed), want, "{args:?}");
    }
    // Integer pairs as labels: the paired t-test of the first two groups.
    let two = dir.path().join("two.csv");
    let text = std::fs::read_to_string(csv).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with("int8"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&two, kept).unwrap();
    let r: Vec<_> = rows().into_iter().filter(|x| x.0 != "int8").collect();
    let two_pq = dir.path().join("two.parquet");
    write_parquet(&two_pq, columns_of(&r));
    let paired = |file: &Path| {
        stdout_of(&[
            "stats",
            "ttest",
            file.to_str().unwrap(),
            "--pair",
            "pair",
            "--format",
            "json",
        ])
    };
    assert_eq!(paired(&two_pq), paired(&two));
}

#[test]
fn integer_groups_and_float32_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rows();
    let values: Vec<f32> = r.iter().map(|x| x.1 as f32).collect();
    let pq = dir.path().join("ints.parquet");
    write_parquet(
        &pq,
        vec![
            (
                "group",
                Arc::new(Int64Array::from_iter_values(r.iter().map(|x| x.2 % 4))) as ArrayRef,
            ),
            ("value", Arc::new(Float32Array::from(values.clone()))),
        ],
    );
    let mut text = String::from("group,value\n");
    for (x, v) in r.iter().zip(&values) {
        text.push_str(&format!("{},{:?}\n", x.2 % 4, f64::from(*v)));
    }
    let csv = dir.path().join("ints.csv");
    std::fs::write(&csv, text).unwrap();
    for test in ["anova", "kruskal"] {
        let on = |f: &Path| stdout_of(&["stats", test, f.to_str().unwrap(), "--format", "json"]);
        assert_eq!(on(&pq), on(&csv), "{test}");
    }
}

#[track_caller]
fn fails_with(args: &[&str], needle: &str) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn missing_columns_and_wrong_types_are_one_line_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pq = dir.path().join("data.parquet");
    write_parquet(&pq, standard_columns());
    let p = pq.to_str().unwrap();
    fails_with(
        &["stats", "anova", p, "--value", "energy"],
        "data.parquet: column 'energy' not found in the header (columns: group, value, pair); \
         pass --value COL",
    );
    fails_with(
        &["stats", "anova", p, "--value", "group"],
        "data.parquet: column 'group' holds Utf8 where it needs a number",
    );
    fails_with(
        &["stats", "anova", p, "--group", "value"],
        "data.parquet: column 'value' holds Float64 where it needs text or an integer",
    );
    let broken = dir.path().join("broken.parquet");
    std::fs::write(&broken, b"PAR1 but nothing after").unwrap();
    fails_with(
        &["stats", "kruskal", broken.to_str().unwrap()],
        "broken.parquet: not a readable Parquet file",
    );
    let nulls = dir.path().join("nulls.parquet");
    write_parquet(
        &nulls,
        vec![
            (
                "group",
                Arc::new(StringArray::from(vec![Some("a"), Some("b")])) as ArrayRef,
            ),
            ("value", Arc::new(Float64Array::from(vec![Some(1.0), None]))),
        ],
    );
    fails_with(
        &["stats", "anova", nulls.to_str().unwrap()],
        "nulls.parquet: row 2, column 'value': the cell is empty",
    );
}
