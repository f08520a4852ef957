//! End-to-end: `--gpu-protocol phased` through the real NVML path (nvml-wrapper loading
//! the fake library), against a GPU whose power reading sees only 25 ms of every 100 ms.
//!
//! The fixture's `gpu/square` case plays a kernel loop on the fake's driven load: 30 ms at
//! 300 W, then 70 ms at 100 W, per 100 ms iteration. The fake publishes a reading at every
//! whole 100 ms of its clock, the exact mean of the 25 ms before it, and the loop is
//! started 22.5 ms after one: each publication then falls 77.5 ms into an iteration, and
//! its window (52.5..77.5 ms) sees only the 100 W part. That is the unlucky phase a loop
//! commensurate with the sensor can be stuck at; without the protocol every sample is
//! stuck there. The fake also integrates the true load exactly, and the fixture writes
//! each iteration's true energy, so the truth is known.

use ipw_tests::{case, fake_nvml_library, read_json, results_path, run_with_env, text, QUICK};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

const SCRIPT: &str =
    "driver=550.54.15; gpu name=NVIDIA H100 80GB HBM3, power=driven:100, part_time=0.0";
/// Where in the fake's 100 ms period the loop starts: see the module documentation.
const START_AT: &str = "0.0225";
/// 300 W for 30 ms and 100 W for 70 ms.
const JOULES_PER_ITER: f64 = 16.0;

struct GpuRun {
    results: Value,
    /// The exact energy of each iteration, warm-up first.
    truth: Vec<f64>,
    stderr: String,
}

fn run_square(dir: &Path, protocol: &str) -> GpuRun {
    let lib = fake_nvml_library();
    let truth_file = dir.join("truth.txt");
    let args = [
        "--bench",
        "--exact",
        "gpu/square",
        "--sensors",
        "nvml",
        "--gpu-protocol",
        protocol,
        "--sample-size",
        "4",
        "--warm-up-time",
        "0.05",
        "--measurement-time",
        "0.3",
        "--idle-time",
        "0.1",
        "--plots",
        "none",
    ];
    let env: [(&str, &OsStr); 4] = [
        ("IPW_NVML_LIB", lib.as_os_str()),
        ("IPW_FAKE_NVML_SCRIPT", OsStr::new(SCRIPT)),
        ("FIXTURE_GPU_START_AT", OsStr::new(START_AT)),
        ("FIXTURE_GPU_TRUTH", truth_file.as_os_str()),
    ];
    let o = run_with_env(Path::new(EXE), dir, &args, &env);
    let (out, stderr) = text(&o);
    assert!(o.status.success(), "{protocol}: {out}\n{stderr}");
    let truth = std::fs::read_to_string(&truth_file)
        .expect("the fixture wrote the truth")
        .lines()
        .map(|l| l.parse().expect("joules"))
        .collect();
    GpuRun {
        results: read_json(&results_path(dir, "ipw-fixture")),
        truth,
        stderr,
    }
}

/// Trials the phased protocol took again because they began late (their iterations ran,
/// but are in no sample), from the case's note.
fn repeated(c: &Value) -> usize {
    notes(c)
        .iter()
        .find_map(|n| {
            n.split_once("; ")?
                .1
                .split_once(" trials that began more than")
        })
        .map_or(0, |(n, _)| n.parse().expect("a count"))
}

/// The estimate of energy per iteration, the true energy per iteration measured, and the
/// relative error. Every iteration is the same kernel and wait, so the truth is the mean
/// over all measured iterations (those of trials taken again included).
fn error(run: &GpuRun) -> (f64, f64, f64) {
    let c = case(&run.results, "gpu/square");
    assert_eq!(c["status"], "ok", "{c}");
    let samples = c["samples"].as_array().unwrap();
    assert!(samples.iter().all(|s| s["valid"] == true), "{c}");
    let warm_up = c["plan"]["warm_up_iters"].as_u64().unwrap() as usize;
    let iters = c["plan"]["iters_per_sample"].as_u64().unwrap() as usize;
    assert!(samples.iter().all(|s| s["iters"] == iters as u64));
    let measured = &run.truth[warm_up.min(run.truth.len())..];
    assert_eq!(
        measured.len(),
        (samples.len() + repeated(c)) * iters,
        "one true energy per iteration run"
    );
    let truth = measured.iter().sum::<f64>() / measured.len() as f64;
    let estimate = c["estimates"]["energy_per_iter_j"]["point"]
        .as_f64()
        .unwrap();
    (estimate, truth, estimate / truth - 1.0)
}

fn notes(c: &Value) -> Vec<&str> {
    c["plan"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect()
}

fn quality_codes(c: &Value) -> Vec<&str> {
    c["quality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect()
}

#[test]
fn phased_trials_undo_the_part_time_bias_that_simple_integration_shows() {
    let (simple_dir, phased_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // One after the other: the fake GPU is played by a host thread, whose timing suffers
    // when another run's analysis takes a core of a small machine.
    let simple = run_square(simple_dir.path(), "simple");
    let phased = run_square(phased_dir.path(), "phased");

    let (est, truth, err) = error(&simple);
    eprintln!(
        "simple: {est:.4} J per iteration against {truth:.4} J true: {err:+.2}%",
        err = err * 100.0
    );
    let (p_est, p_truth, p_err) = error(&phased);
    eprintln!(
        "phased: {p_est:.4} J per iteration against {p_truth:.4} J true: {p_err:+.2}%",
        p_err = p_err * 100.0
    );
    // The workload is what it says: the truth is the analytic 16 J per iteration.
    for t in [truth, p_truth] {
        assert!(
            (t / JOULES_PER_ITER - 1.0).abs() < 0.01,
            "{t} J per iteration"
        );
    }
    assert!(
        err.abs() > 0.05,
        "simple integration at a stuck phase is biased: {err}"
    );
    assert!(
        p_err.abs() < 0.01,
        "the phased protocol recovers the truth: {p_err}"
    );

    // Without the protocol: no delays, and the part-time warning fires.
    let c = case(&simple.results, "gpu/square");
    assert!(c["samples"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s.get("delay_s").is_none()));
    assert!(
        quality_codes(c).contains(&"nvml-part-time"),
        "{}",
        c["quality"]
    );
    assert_eq!(simple.results["run"]["config"]["gpu_protocol"], "simple");
    assert_eq!(
        simple.results["run"]["config"]["gpu_protocol_used"],
        "simple"
    );
    assert!(
        !simple.stderr.contains("gpu protocol phased"),
        "{}",
        simple.stderr
    );

    // With it: 32 trials, each after its own delay, evenly spaced over the 100 ms period,
    // and started that long after a whole period of the run's clock.
    let c = case(&phased.results, "gpu/square");
    let samples = c["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 32);
    let mut delays: Vec<f64> = samples
        .iter()
        .map(|s| s["delay_s"].as_f64().expect("each trial has its delay"))
        .collect();
    // Trials that began late were taken again, up to a limit that a saturated machine can
    // reach; most began within a millisecond (starts at random would spread over 100 ms).
    let mut late: Vec<f64> = samples
        .iter()
        .zip(&delays)
        .map(|(s, d)| (s["start_s"].as_f64().unwrap() - d).rem_euclid(0.1))
        .collect();
    late.sort_by(f64::total_cmp);
    assert!(late[16] < 0.001, "time after each delay: {late:?}");
    delays.sort_by(f64::total_cmp);
    assert!(delays[0] >= 0.0 && delays[31] < 0.1, "{delays:?}");
    for w in delays.windows(2) {
        assert!((w[1] - w[0] - 0.1 / 32.0).abs() < 1e-9, "{delays:?}");
    }
    let notes = notes(c);
    assert!(
        notes.iter().any(|n| n.contains("raised from 4 to 32")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("phased protocol: 32 trials")),
        "{notes:?}"
    );
    let codes = quality_codes(c);
    assert!(!codes.contains(&"nvml-part-time"), "{codes:?}");
    // The protocol note is not a quality warning; the raised sample size is one.
    assert!(
        !c["quality"]
            .to_string()
            .contains("phased protocol: 32 trials"),
        "{}",
        c["quality"]
    );
    assert_eq!(phased.results["run"]["config"]["gpu_protocol"], "phased");
    assert_eq!(
        phased.results["run"]["config"]["gpu_protocol_used"],
        "phased"
    );
    assert_eq!(
        phased
            .stderr
            .matches("gpu protocol phased: each sample is a trial")
            .count(),
        1
    );
}

#[test]
fn phased_without_nvml_changes_nothing_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--bench",
        "--sensors",
        "synthetic:50",
        "--gpu-protocol",
        "phased",
        "--exact",
        "fixture/busy",
    ];
    args.extend_from_slice(QUICK);
    let o = run_with_env(Path::new(EXE), dir.path(), &args, &[]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert_eq!(
        err.matches("gpu protocol phased changes nothing").count(),
        1,
        "{err}"
    );
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let c = case(&r, "fixture/busy");
    let samples = c["samples"].as_array().unwrap();
    assert_eq!(
        samples.len(),
        10,
        "the requested sample size, not the protocol's"
    );
    assert!(samples.iter().all(|s| s.get("delay_s").is_none()));
    assert!(
        !notes(c).iter().any(|n| n.contains("phased")),
        "{:?}",
        notes(c)
    );
    assert_eq!(r["run"]["config"]["gpu_protocol"], "phased");
    assert_eq!(r["run"]["config"]["gpu_protocol_used"], "simple");
}
