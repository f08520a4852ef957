//! `cargo ipw survival`: Survival Game scoring of per-task failure counts from a CSV.

use crate::message::{shown, SHOWN_PATH_CHARS};
use crate::output::print;
use clap::Args;
use ipw_bench::survival::{read_csv, score, CostSummary, SurvivalConfig, SurvivalResult};

/// How many never-solved task names the text output lists before summing up the rest.
const UNSOLVED_SHOWN: usize = 10;

#[derive(Args, Debug)]
pub struct SurvivalArgs {
    /// CSV with columns task, failures, censored (0/1) and optionally energy_j, time_s;
    /// `-` reads standard input.
    pub file: String,
    /// Seed of the bootstrap; the same data and seed give the same intervals.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Confidence level of the intervals, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 1000)]
    pub resamples: usize,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

pub fn run(args: &SurvivalArgs) -> anyhow::Result<i32> {
    let name = if args.file == "-" {
        "<stdin>".to_string()
    } else {
        shown(&args.file, SHOWN_PATH_CHARS)
    };
    let tasks = if args.file == "-" {
        read_csv(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.file).map_err(|e| {
            anyhow::anyhow!(
                "cannot read {name}: {e}; give the path of a CSV file, or - for standard input"
            )
        })?;
        read_csv(file)
    }
    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let config = SurvivalConfig {
        confidence: args.confidence,
        resamples: args.resamples,
        seed: args.seed,
    };
    let result = score(&tasks, &config).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let out = if args.format == "json" {
        serde_json::to_string_pretty(&result)? + "\n"
    } else {
        render_text(&result)
    };
    print(&out)?;
    Ok(0)
}

/// The terminal summary, the level in words.
pub fn render_text(r: &SurvivalResult) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let mut line = |label: &str, value: String| out.push_str(&format!("  {label:<22} {value}\n"));
    let cap = s
        .cap
        .map_or(String::new(), |c| format!(" at a cap of {c} failures"));
    let mut head = format!(
        "Survival Game: {} tasks, {} solved, {} never solved ({:.1}%){cap}\n",
        s.n_tasks,
        s.n_solved,
        s.n_censored,
        100.0 * s.censored_fraction
    );
    head.push_str(&format!("  {:<22} {}\n", "level", r.level.describe()));
    line("pass@1", format!("{:.1}%", 100.0 * s.pass_at_1));
    line(
        "median failures",
        s.median_failures
            .map_or("above the cap".to_string(), |m| m.to_string()),
    );
    line(
        "restricted mean",
        format!(
            "E[min(F, {})] = {:.3}",
            s.restricted_mean_horizon, s.restricted_mean_failures
        ),
    );
    line(
        "tail exponent a",
        format!(
            "{:.3}  [{:.3}, {:.3}]  {:.0}% {} bootstrap, {} resamples, seed {}",
            r.alpha,
            r.alpha_ci_low,
            r.alpha_ci_high,
            100.0 * r.confidence,
            method_name(r),
            r.resamples,
            r.seed
        ),
    );
    line(
        "tail",
        format!(
            "k_min = {} (min KS distance {:.4}), {} tasks, {} of them censored",
            r.k_min, r.ks_distance, r.n_tail, r.n_tail_censored
        ),
    );
    let opt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    line(
        "cross-checks",
        format!(
            "Hill {:.3}, least squares on frequencies {}, on S(k) {}",
            r.alpha_hill,
            opt(r.alpha_ls_frequency),
            opt(r.alpha_ls_ccdf)
        ),
    );
    if let Some(e) = &r.energy {
        line("energy", cost_text(e));
    }
    if let Some(t) = &r.time {
        line("time", cost_text(t));
    }
    if !s.unsolved_tasks.is_empty() {
        let shown: Vec<&str> = s
            .unsolved_tasks
            .iter()
            .take(UNSOLVED_SHOWN)
            .map(String::as_str)
            .collect();
        let more = s.unsolved_tasks.len().saturating_sub(UNSOLVED_SHOWN);
        let rest = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        line("never solved", format!("{}{rest}", shown.join(", ")));
    }
    head.push_str(&out);
    for note in &r.notes {
        head.push_str(&format!("note: {note}\n"));
    }
    head
}

/// The interval method as results.json spells it.
fn method_name(r: &SurvivalResult) -> String {
    serde_json::to_value(r.ci_method)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn cost_text(c: &CostSummary) -> String {
    let (m, d) = (&c.mean_to_first_success, &c.median_to_first_success);
    let u = &c.unit;
    format!(
        "to first success: mean {} {u} [{}, {}], median {} {u} [{}, {}]; per solved task {} {u}",
        num(m.point),
        num(m.low),
        num(m.high),
        num(d.point),
        num(d.low),
        num(d.high),
        num(c.per_solved_task)
    )
}

/// Fixed point for ordinary magnitudes, scientific for very large or small ones.
fn num(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:.4e}")
    } else {
        format!("{x:.4}")
    }
}
