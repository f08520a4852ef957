//! Snapshots of what the fixture bench binary prints: test mode's libtest lines and
//! summary (text and JSON), `--list`, and the sequence and shape of bench mode's JSON
//! lines. Test mode and `--list` print nothing measured, so they are compared byte for
//! byte; bench mode's lines carry measurements, so their numbers and the texts made from
//! them are blanked first (`ipw-bench/src/output/snapshot_tests.rs` pins those texts on
//! fixed data).

use ipw_tests::{run, text, QUICK};
use serde_json::Value;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

/// stdout of the fixture with `args`, and its exit code.
fn stdout(out: &Path, args: &[&str]) -> (String, Option<i32>) {
    let o = run(Path::new(EXE), out, args);
    (text(&o).0, o.status.code())
}

#[test]
fn test_mode_lines_and_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (failing, code) = stdout(dir.path(), &[]);
    assert_eq!(code, Some(1), "a case fails");
    insta::assert_snapshot!("test_mode_failing", failing);
    let (passing, code) = stdout(dir.path(), &["--skip", "panics"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("test_mode_passing", passing);
}

#[test]
fn test_mode_json_lines_and_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (failing, code) = stdout(dir.path(), &["--format", "json"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("test_mode_json_failing", failing);
    let (passing, code) = stdout(dir.path(), &["--format", "json", "--skip", "panics"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("test_mode_json_passing", passing);
}

#[test]
fn list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (all, code) = stdout(dir.path(), &["--list"]);
    assert_eq!(code, Some(0));
    let (ignored, _) = stdout(dir.path(), &["--list", "--ignored"]);
    insta::assert_snapshot!(format!("{all}--- --ignored\n{ignored}"));
}

/// Keys whose numbers are settings or counts, the same in every run.
const FIXED_NUMBERS: &[&str] = &["confidence", "noise_threshold", "cases", "failed"];
/// Keys whose values are made from measurements.
const MEASURED_TEXT: &[&str] = &["verdict", "verdicts", "quality"];

/// `v` without what a measurement decides: numbers (but for [`FIXED_NUMBERS`]) and the
/// texts of [`MEASURED_TEXT`] become null; the output folder becomes `<out>`.
fn blank_measurements(v: &mut Value, key: &str, out: &str) {
    match v {
        Value::Number(_) if !FIXED_NUMBERS.contains(&key) => *v = Value::Null,
        Value::String(s) => *s = s.replace(out, "<out>"),
        Value::Array(items) => {
            for item in items {
                blank_measurements(item, key, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                if MEASURED_TEXT.contains(&k.as_str()) {
                    *item = Value::Null;
                } else {
                    blank_measurements(item, k, out);
                }
            }
        }
        _ => {}
    }
}

/// Bench mode's lines with a group of three variants, a failing case and a baseline:
/// which events come, in which order, with which fields.
#[test]
fn bench_mode_json_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = vec!["--bench", "--sensors", "synthetic:50", "--seed", "7"];
    args.extend_from_slice(QUICK);
    let mut save = args.clone();
    save.extend(["--save-baseline", "main", "sized"]);
    assert_eq!(stdout(dir.path(), &save).1, Some(0));
    args.extend(["--format", "json", "--baseline", "main", "sized", "panics"]);
    let (lines, code) = stdout(dir.path(), &args);
    assert_eq!(code, Some(1), "panics fails");
    let out = dir.path().to_string_lossy().into_owned();
    let shapes: Vec<String> = lines
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("each line is one JSON object");
            blank_measurements(&mut v, "", &out);
            v.to_string()
        })
        .collect();
    insta::assert_snapshot!(shapes.join("\n"));
}
