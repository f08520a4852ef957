//! End-to-end: `--processes N` when children fail. A child that aborts, one killed by a
//! signal, one that writes nothing and one whose case panics cost their own samples: the
//! run completes with the others' and says which process ended how. A case that no
//! process gave samples of fails the run (exit 1).

use ipw_tests::{case, read_json, results_path, run_with_env, text};
use std::ffi::OsStr;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

/// `fixture/busy` (group `fixture`, measured first) and `sized/1` (group `sized`) in
/// `processes` children, `faults` as `FIXTURE_PROCESS_FAULT`.
fn run(out: &Path, processes: &str, faults: &str) -> std::process::Output {
    run_with_env(
        Path::new(EXE),
        out,
        &[
            "--bench",
            "--sensors",
            "synthetic:50",
            "--sample-size",
            "10",
            "--warm-up-time",
            "0.02",
            "--measurement-time",
            "0.1",
            "--idle-time",
            "0.05",
            "--processes",
            processes,
            "fixture/busy",
            "sized/1",
        ],
        &[("FIXTURE_PROCESS_FAULT", OsStr::new(faults))],
    )
}

fn processes_of(c: &serde_json::Value) -> Vec<u64> {
    let mut p: Vec<u64> = c["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["process"].as_u64().unwrap())
        .collect();
    p.sort_unstable();
    p.dedup();
    p
}

#[test]
fn failed_children_cost_their_own_samples() {
    let dir = tempfile::tempdir().unwrap();
    // Process 1 (index 0) is whole; 2 aborts and 3 is killed in `sized/1`, after their
    // checkpoint of `fixture/busy`; 4 exits before writing anything; in 5 `sized/1`
    // panics.
    let o = run(dir.path(), "5", "1:abort,2:kill,3:silent,4:panic");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    for says in [
        "process 2 of 5 was killed by signal 6 (SIGABRT",
        "process 3 of 5 was killed by signal 9 (SIGKILL",
        "process 4 of 5 exited with code 0 and wrote no results",
        "sized/1 failed in process 5",
        "plan: a +-1% interval",
    ] {
        assert!(err.contains(says), "{says}: {err}");
    }
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    assert_eq!(r["run"]["status"], "complete");
    assert_eq!(r["run"]["process_wall_s"].as_array().map(Vec::len), Some(5));
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("SIGABRT"), "{warnings}");
    assert!(warnings.contains("wrote no results"), "{warnings}");
    let busy = case(&r, "fixture/busy");
    assert_eq!(busy["status"], "ok");
    assert_eq!(processes_of(busy), vec![0, 1, 2, 4]);
    assert_eq!(busy["processes"]["count"], 4);
    let sized = case(&r, "sized/1");
    assert_eq!(sized["status"], "ok", "{sized}");
    assert_eq!(processes_of(sized), vec![0]);
}

#[test]
fn a_case_no_process_measured_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), "2", "0:abort,1:kill");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(
        err.contains("sized/1: no process gave samples of this case"),
        "{err}"
    );
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    assert_eq!(case(&r, "fixture/busy")["processes"]["count"], 2);
    assert!(r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != "sized/1"));
    // Every child writes nothing: nothing to merge, exit 1.
    let o = run(dir.path(), "2", "0:silent,1:silent");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o).1);
    assert!(text(&o)
        .1
        .contains("no process of --processes 2 wrote results"));
}
