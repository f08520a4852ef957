//! `cargo ipw compare`: the same cases across runs made separately (two machines, two
//! accelerators, before and after), with the tests and verdicts used within a run.
//!
//! Cases are matched by id. Each case present in two or more runs is compared as if the
//! runs were variants of a group: every run's copy is renamed `<label>:<id>` (the label is
//! the run's host name, made unique with the file name when two files share a host) and
//! handed to [`ipw_bench::compare::compare_group`].

use crate::run_files::{read_all, RunFile};
use anyhow::bail;
use clap::Args;
use ipw_bench::compare::{compare_group, DEFAULT_ENERGY_NOISE};
use ipw_bench::report::format::point_and_interval;
use ipw_bench::results::{CaseResult, GroupComparison};
use std::path::PathBuf;

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
    /// Also write the run-comparison page `DIR/compare.html`.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
}

/// One case's comparison across the runs that have it.
struct Compared {
    id: String,
    /// `(run index, renamed copy)` for each run holding the case.
    copies: Vec<(usize, CaseResult)>,
    comparisons: Vec<GroupComparison>,
}

/// Every case id present in two or more runs, compared across them, in the order the
/// ids first appear.
fn compare_runs(runs: &[RunFile], noise: f64, seed: u64) -> Vec<Compared> {
    let mut ids: Vec<&str> = Vec::new();
    for r in runs {
        for c in &r.run.cases {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            let copies: Vec<(usize, CaseResult)> = runs
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let c = r.run.cases.iter().find(|c| c.id == id)?;
                    let mut copy = c.clone();
                    copy.id = format!("{}:{id}", r.label);
                    copy.variant = Some(r.label.clone());
                    Some((i, copy))
                })
                .collect();
            if copies.len() < 2 {
                return None;
            }
            let refs: Vec<&CaseResult> = copies.iter().map(|(_, c)| c).collect();
            let comparisons = compare_group(id, &refs, noise, seed);
            Some(Compared {
                id: id.to_string(),
                copies,
                comparisons,
            })
        })
        .collect()
}

fn run_json(r: &RunFile) -> serde_json::Value {
    serde_json::json!({
        "file": r.path.display().to_string(),
        "host": r.host(),
        "label": r.label,
        "bench": r.run.bench,
        "started_at": r.run.run.started_at,
        "git_commit": r.run.run.git_commit,
    })
}

fn print_text(runs: &[RunFile], compared: &[Compared]) {
    println!("runs:");
    for r in runs {
        println!(
            "  {:<20} {}  bench {}  started {}",
            r.label,
            r.path.display(),
            r.run.bench,
            r.run.run.started_at
        );
    }
    let width = runs.iter().map(|r| r.label.len()).max().unwrap_or(0);
    for c in compared {
        println!();
        if c.comparisons.is_empty() {
            println!(
                "{}: not compared (fewer than two runs have it with two or more valid samples)",
                c.id
            );
            continue;
        }
        for g in &c.comparisons {
            println!("{}: {}", c.id, g.metric);
            for (i, case) in &c.copies {
                let cell = match case.estimates.get(&g.metric) {
                    Some(e) => {
                        let (point, ci) = point_and_interval(e.point, e.ci_low, e.ci_high, &e.unit);
                        format!("{point} {ci}")
                    }
                    None => "—".to_string(),
                };
                println!(
                    "  {:<width$}  {cell}  ({} samples, {})",
                    runs[*i].label,
                    case.samples.len(),
                    case.provenance
                );
            }
            for v in &g.verdicts {
                println!("  {v}");
            }
        }
    }
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
    let runs = read_all(&args.files)?;
    let compared = compare_runs(&runs, args.noise_threshold, args.seed);
    if compared.is_empty() {
        let names: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "no case id appears in two or more of {}: compare runs of the same bench",
            names.join(", ")
        );
    }
    let comparisons: Vec<GroupComparison> = compared
        .iter()
        .flat_map(|c| c.comparisons.iter().cloned())
        .collect();
    if let Some(dir) = &args.html {
        let plain: Vec<_> = runs.iter().map(|r| r.run.clone()).collect();
        let page = ipw_bench::report::write_run_comparison(dir, &plain, &comparisons)?;
        eprintln!("ipw: run comparison written to {}", page.display());
    }
    if args.format == "json" {
        let out = serde_json::json!({
            "runs": runs.iter().map(run_json).collect::<Vec<_>>(),
            "comparisons": comparisons,
        });
        println!("{out}");
    } else {
        print_text(&runs, &compared);
    }
    Ok(0)
}
