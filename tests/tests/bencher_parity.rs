//! End-to-end: a bench written as for criterion (`iter_batched` with a `BatchSize`,
//! `iter_custom`, `Throughput::Bytes`, `to_async`) runs against the native API.

use ipw_tests::{case, read_json, results_path, run, text, QUICK};
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-criterion-style");

fn point(c: &serde_json::Value, metric: &str) -> f64 {
    c["estimates"][metric]["point"]
        .as_f64()
        .unwrap_or_else(|| panic!("{metric} of {}", c["id"]))
}

#[test]
fn criterion_style_loops_measure_time_energy_and_rates() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--bench", "--sensors", "synthetic:50"];
    args.extend_from_slice(QUICK);
    let o = run(Path::new(EXE), dir.path(), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let r = read_json(&results_path(dir.path(), "ipw-criterion-style"));
    for (id, kind) in [
        ("style/batched", "iter_batched"),
        ("style/batched_ref", "iter_batched"),
        ("style/with_setup", "iter_batched"),
        ("style/large_drop", "iter_batched"),
        ("style/custom", "iter_custom"),
        ("rates/bytes", "iter"),
        ("rates/elements", "iter"),
        ("async/sleep", "iter"),
        ("async/sort", "iter_batched"),
    ] {
        let c = case(&r, id);
        assert_eq!(c["status"], "ok", "{id}: {c}");
        assert_eq!(c["kind"], kind, "{id}");
        assert_eq!(c["provenance"], "synthetic", "{id}");
        assert!(point(c, "time_per_iter_s") > 0.0 && point(c, "energy_per_iter_j") > 0.0);
    }
    // Energy the routine reported replaces the sensors': 2 W exactly, provenance says so.
    let c = case(&r, "style/custom_energy");
    assert_eq!(c["kind"], "iter_custom_energy");
    assert_eq!(c["provenance"], "reported");
    assert_eq!(
        c["estimates"]["energy_per_iter_j"]["provenance"],
        "reported"
    );
    assert_eq!(c["samples"][0]["method"], "reported");
    let ratio = point(c, "energy_per_iter_j") / point(c, "time_per_iter_s");
    assert!((ratio - 2.0).abs() < 1e-6, "{ratio} W");
    let codes: Vec<&str> = c["quality"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["code"].as_str())
        .collect();
    assert!(codes.contains(&"reported-energy"), "{codes:?}");
    // Throughput: per second from time, per joule from energy.
    let c = case(&r, "rates/bytes");
    assert_eq!(c["throughput"]["bytes"], 4096);
    let per_s = point(c, "bytes_per_s") * point(c, "time_per_iter_s");
    assert!((per_s - 4096.0).abs() < 1e-6, "{per_s}");
    let per_j = point(c, "bytes_per_j") * point(c, "energy_per_iter_j");
    assert!((per_j - 4096.0).abs() < 1e-6, "{per_j}");
    assert_eq!(c["estimates"]["bytes_per_j"]["provenance"], "synthetic");
    let c = case(&r, "rates/elements");
    assert_eq!(c["throughput"]["elements"], 100);
    assert!(point(c, "elements_per_s") > 0.0 && point(c, "elements_per_j") > 0.0);
    assert!(out.contains("bytes/s:"), "{out}");
    // An awaited 2 ms sleep is timed inside the future: about 2 ms an iteration (tokio's
    // timer rounds up to its 1 ms ticks; a loaded machine adds to it, never takes away).
    let t = point(case(&r, "async/sleep"), "time_per_iter_s");
    assert!((0.0019..0.02).contains(&t), "{t} s per 2 ms sleep");
}

#[test]
fn criterion_style_loops_run_once_in_test_mode() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(Path::new(EXE), dir.path(), &[]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("test style/custom_energy ... ok"), "{out}");
    assert!(out.contains("test async/sleep ... ok"), "{out}");
    assert!(out.contains("10 passed"), "{out}");
}

#[test]
fn criterion_flags_test_profile_time_and_help() {
    let dir = tempfile::tempdir().unwrap();
    // `cargo bench -- --test`: each case once, as test mode does.
    let o = run(Path::new(EXE), dir.path(), &["--bench", "--test"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("10 passed"), "{out}");
    // --profile-time: each case runs for a while; nothing is analysed or written.
    let args = ["--bench", "--profile-time", "0.05", "style/custom"];
    let o = run(Path::new(EXE), dir.path(), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("profiled style/custom for 0.05 s"), "{out}");
    assert!(!results_path(dir.path(), "ipw-criterion-style").exists());
    // A statistics setting that is not applied is said, not silently ignored.
    let args = [
        "--list",
        "--confidence-level",
        "0.99",
        "--noplot",
        "--quick",
    ];
    let o = run(Path::new(EXE), dir.path(), &args);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("--confidence-level 0.99: accepted for criterion"),
        "{err}"
    );
    let o = run(Path::new(EXE), dir.path(), &["--help"]);
    let (out, _) = text(&o);
    for flag in [
        "--quick",
        "--profile-time",
        "--noplot",
        "--load-baseline",
        "--discard-baseline",
        "--baseline-lenient",
        "--confidence-level",
        "--significance-level",
        "--nresamples",
        "IPW_QUICK",
    ] {
        assert!(out.contains(flag), "{flag} missing from --help:\n{out}");
    }
}
