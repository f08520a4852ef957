//! `cargo ipw compare`: the same cases across runs made separately (two machines, two
//! accelerators, before and after), with the tests and verdicts used within a run.
//!
//! Cases are matched by id ([`RunComparison`]). Each case present in two or more runs is
//! compared as if the runs were variants of a group, each run going by its label (the
//! run's host name, made unique with the file name when two files share a host). In the
//! JSON the comparisons name each run's copy `<label>:<id>`.

use crate::output::{note, print};
use crate::run_files::{host_of, read_all};
use anyhow::bail;
use clap::Args;
use ipw_bench::analysis::compare::DEFAULT_ENERGY_NOISE;
use ipw_bench::analysis::format::point_and_interval;
use ipw_bench::report::across_runs::{LabelledRun, RunComparison};
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Two or more `results.json` files; the first is the reference ("a") of each pair.
    #[arg(required = true, value_name = "RUN.json")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Relative changes of energy smaller than this are not called differences.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_ENERGY_NOISE)]
    pub noise_threshold: f64,
    /// Seed of the bootstrap intervals (the same files and seed give the same intervals).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the run-comparison page `DIR/compare.html`, linked from `DIR/index.html`
    /// (a report's index there gains a link; otherwise a small index is written).
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
}

fn run_json(path: &Path, r: &LabelledRun) -> serde_json::Value {
    serde_json::json!({
        "file": path.display().to_string(),
        "host": host_of(&r.results),
        "label": r.label,
        "bench": r.results.bench,
        "started_at": r.results.run.started_at,
        "git_commit": r.results.run.git_commit,
    })
}

fn render_text(paths: &[PathBuf], compared: &RunComparison) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "runs:");
    for (path, r) in paths.iter().zip(&compared.runs) {
        let _ = writeln!(
            o,
            "  {:<20} {}  bench {}  started {}",
            r.label,
            path.display(),
            r.results.bench,
            r.results.run.started_at
        );
    }
    let width = compared
        .runs
        .iter()
        .map(|r| r.label.len())
        .max()
        .unwrap_or(0);
    for m in &compared.cases {
        let _ = writeln!(o);
        if m.comparisons.is_empty() {
            let _ = writeln!(
                o,
                "{}: not compared (fewer than two runs have it with two or more valid samples)",
                m.id
            );
            continue;
        }
        for g in &m.comparisons {
            let _ = writeln!(o, "{}: {}", m.id, g.metric);
            for copy in &m.copies {
                let Some(case) = compared.case(m, copy) else {
                    continue;
                };
                let cell = match case.estimates.get(g.metric.key()) {
                    Some(e) => {
                        let (point, ci) = point_and_interval(e.point, e.ci_low, e.ci_high, &e.unit);
                        format!("{point} {ci}")
                    }
                    None => "—".to_string(),
                };
                let _ = writeln!(
                    o,
                    "  {:<width$}  {cell}  ({} samples, {})",
                    compared.runs[copy.run].label,
                    case.samples.len(),
                    case.provenance
                );
            }
            for v in &g.verdicts {
                let _ = writeln!(o, "  {v}");
            }
        }
    }
    o
}

pub fn run(args: &CompareArgs) -> anyhow::Result<i32> {
    if args.files.len() < 2 {
        bail!(
            "compare needs two or more results files, got {}: pass RUN.json RUN.json ...",
            args.files.len()
        );
    }
    if !(args.noise_threshold.is_finite() && (0.0..1.0).contains(&args.noise_threshold)) {
        bail!(
            "--noise-threshold must be a fraction in [0, 1), got {}: try 0.02 for 2%",
            args.noise_threshold
        );
    }
    let (paths, labelled): (Vec<PathBuf>, Vec<LabelledRun>) = read_all(&args.files)?
        .into_iter()
        .map(|f| {
            let run = LabelledRun {
                label: f.label,
                results: f.run,
            };
            (f.path, run)
        })
        .unzip();
    let compared = RunComparison::new(labelled, args.noise_threshold, args.seed);
    if compared.cases.is_empty() {
        let names: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "no case id appears in two or more of {}: compare runs of the same bench",
            names.join(", ")
        );
    }
    if let Some(dir) = &args.html {
        let page = ipw_bench::report::write_run_comparison(dir, &compared)?;
        note(&format!(
            "ipw: run comparison written to {} (linked from {})",
            page.display(),
            dir.join("index.html").display()
        ));
    }
    if args.format == "json" {
        let out = serde_json::json!({
            "runs": paths
                .iter()
                .zip(&compared.runs)
                .map(|(p, r)| run_json(p, r))
                .collect::<Vec<_>>(),
            "comparisons": compared.comparisons().collect::<Vec<_>>(),
        });
        print(&format!("{out}\n"))?;
    } else {
        print(&render_text(&paths, &compared))?;
    }
    Ok(0)
}
