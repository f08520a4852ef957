//! How long the HTML report takes for 100 cases x 30 samples, and how much it weighs
//! with `--plots all` and `--plots summary`.
//!
//! `cargo bench -p ipw-bench --bench report_render --features test-support`
//!
//! (The run comes from `ipw_bench::results::example`, behind the `test-support` feature.)

use ipw_bench::report::{report_size, write_report, Plots, ReportOptions};
use ipw_bench::results::example::{power_trace, synthetic_run};
use std::time::{Duration, Instant};

const GROUPS: usize = 25;
const VARIANTS: usize = 4;
const SAMPLES: usize = 30;
const TRACE_POINTS: usize = 3000;

fn main() {
    let mut run = synthetic_run("render", GROUPS, VARIANTS, SAMPLES, 7);
    run.trace = vec![power_trace(&run, TRACE_POINTS)];
    // One comparison page per group, as in the series of docs/benchmarks.md (the analysis
    // also compares joules per correct answer).
    run.comparisons.retain(|c| c.metric == "energy_per_iter_j");
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
