//! How long the HTML report takes for 100 cases x 30 samples, and how much it weighs
//! with `--plots all` and `--plots summary`.
//!
//! `cargo bench -p ipw-bench --bench report_render --features test-support`
//!
//! (The run comes from `ipw_bench::results::example`, behind the `test-support` feature.)
//! Without `--bench` on its command line, as `cargo test` runs it, it renders a small
//! run once and checks it, so that the tests and `cargo clippy --all-targets` keep this
//! bench building.

use ipw_bench::report::{report_size, write_report, Plots, ReportOptions};
use ipw_bench::results::example::{power_trace, synthetic_run};
use std::time::{Duration, Instant};

const GROUPS: usize = 25;
const VARIANTS: usize = 4;
const SAMPLES: usize = 30;
const TRACE_POINTS: usize = 3000;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        smoke_test();
        return;
    }
    let mut run = synthetic_run("render", GROUPS, VARIANTS, SAMPLES, 7);
    run.trace = vec![power_trace(&run, TRACE_POINTS)];
    // One comparison page per group, as in the series of docs/benchmarks.md (the analysis
    // also compares joules per correct answer).
    run.comparisons
        .retain(|c| c.metric == ipw_bench::results::Metric::EnergyPerIter);
    let cases = run.cases.len();
    let runs = [run];
    let dir = tempfile::tempdir().expect("temp dir");
    for (label, plots) in [("all", Plots::All), ("summary", Plots::Summary)] {
        let options = ReportOptions { plots };
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                write_report(dir.path(), &runs, &options).expect("report written");
                t.elapsed()
            })
            .collect();
        times.sort();
        let bytes = report_size(&runs, &options).expect("report renders");
        println!(
            "report_render --plots {label:<7}: {cases} cases x {SAMPLES} samples: median {:.1} ms \
             (min {:.1} ms) over {} runs, {:.2} MB",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times.len(),
            bytes as f64 / 1e6
        );
    }
}

/// One render of a run of two groups, in test mode.
fn smoke_test() {
    let runs = [synthetic_run("render", 2, VARIANTS, 5, 7)];
    let dir = tempfile::tempdir().expect("temp dir");
    let index = write_report(dir.path(), &runs, &ReportOptions::default()).expect("written");
    assert!(index.is_file(), "{}", index.display());
    let cases = std::fs::read_dir(dir.path().join("report").join("cases")).expect("cases");
    assert_eq!(cases.count(), 2 * VARIANTS, "a page per case");
    println!("report_render: renders (run with --bench to measure)");
}
