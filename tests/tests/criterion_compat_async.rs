//! End-to-end: async benches written for criterion 0.5 (`to_async` on a tokio runtime and
//! on `FuturesExecutor`) run under ipw-criterion-compat in test mode and briefly in bench
//! mode, every id with time and energy in results.json, an awaited sleep timed inside
//! its future.

use ipw_tests::{case, read_json, results_path, run, text, BRIEF_BENCH};
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-criterion-05-async");
const BENCH: &str = "ipw-criterion-05-async";
const IDS: [&str; 6] = [
    "tokio/sleep",
    "tokio/checksum",
    "tokio/batched",
    "tokio/batched_ref",
    "tokio/custom",
    "futures/checksum",
];

#[test]
fn test_mode_runs_every_async_benchmark_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(Path::new(EXE), dir.path(), &[]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    for id in IDS {
        assert!(out.contains(&format!("test {id} ... ok")), "{id}:\n{out}");
    }
    assert!(out.contains("6 passed"), "{out}");
    assert!(!results_path(dir.path(), BENCH).exists());
}

#[test]
fn bench_mode_measures_time_and_energy_of_every_async_benchmark() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(Path::new(EXE), dir.path(), BRIEF_BENCH);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let r = read_json(&results_path(dir.path(), BENCH));
    let point = |id: &str, m: &str| case(&r, id)["estimates"][m]["point"].as_f64();
    for id in IDS {
        assert_eq!(case(&r, id)["status"], "ok", "{id}");
        for m in ["time_per_iter_s", "energy_per_iter_j"] {
            assert!(point(id, m).unwrap_or(0.0) > 0.0, "{id}: {m}");
        }
    }
    for (id, kind) in [
        ("tokio/sleep", "iter"),
        ("tokio/batched", "iter_batched"),
        ("tokio/batched_ref", "iter_batched"),
        ("tokio/custom", "iter_custom"),
    ] {
        assert_eq!(case(&r, id)["kind"], kind, "{id}");
    }
    // tokio::time::sleep(2 ms), awaited inside the timed future: at least 2 ms an
    // iteration (the timer rounds up to 1 ms ticks), and no executor entry per iteration
    // on top of it. The bound above is generous for a loaded machine.
    let t = point("tokio/sleep", "time_per_iter_s").unwrap();
    assert!((0.0019..0.02).contains(&t), "{t} s per 2 ms sleep");
    // 50 W synthetic: the sleep's energy is its time's.
    let j = point("tokio/sleep", "energy_per_iter_j").unwrap();
    assert!((j / t - 50.0).abs() < 10.0, "{j} J over {t} s");
    let compared = r["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["group"] == "tokio");
    assert!(compared, "{}", r["comparisons"]);
}
