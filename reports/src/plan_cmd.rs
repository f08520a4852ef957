//! `cargo ipw plan`: from a `--processes N` run, how many processes and samples per
//! process reach a target interval width in the least time (Kalibera and Jones 2013), and
//! the smallest change a gate with that plan detects at 80% power.

use crate::message::shown_path;
use crate::output::print;
use crate::run_files::read;
use anyhow::anyhow;
use clap::Args;
use ipw_bench::results::plan::{flag_seconds, percent, plan, RunPlan};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// A `results.json` written by a bench run with `--processes 2` or more.
    #[arg(value_name = "RUN.json")]
    pub file: PathBuf,
    /// Half-width of the 95% interval to reach, relative to the mean: `1%`, `0.5%`.
    #[arg(long, default_value = "1%", value_parser = parse_target)]
    pub target: f64,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// `1%` or `1` (percent) as 0.01; above 0 and below 100.
fn parse_target(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a percentage: give one such as 1% or 0.5%"))?;
    if x > 0.0 && x < 100.0 {
        Ok(x / 100.0)
    } else {
        Err(format!(
            "`{s}`: give a width above 0% and below 100%, such as 1%"
        ))
    }
}

pub fn run(args: &PlanArgs) -> anyhow::Result<i32> {
    let results = read(&args.file)?;
    let p = plan(&results, args.target).map_err(|e| anyhow!("{}: {e}", shown_path(&args.file)))?;
    let out = if args.format == "json" {
        serde_json::to_string_pretty(&p)? + "\n"
    } else {
        render_text(&p)
    };
    print(&out)?;
    Ok(0)
}

/// Seconds, compactly.
fn secs(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0} s")
    } else if x >= 1.0 {
        format!("{x:.1} s")
    } else {
        format!("{:.1} ms", x * 1e3)
    }
}

pub fn render_text(p: &RunPlan) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "plan for a +-{} interval ({:.0}%) in the least time, from {} processes; a process \
         costs {} beyond its samples",
        percent(p.target),
        100.0 * p.confidence,
        p.measured_processes,
        secs(p.process_cost_s)
    );
    let _ = writeln!(
        o,
        "  {:<28} {:<18} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "case", "metric", "between", "within", "samples", "processes", "time", "detects"
    );
    for m in &p.metrics {
        let rel = |sd: f64| format!("{:.2}%", 100.0 * sd / m.mean.abs());
        let _ = writeln!(
            o,
            "  {:<28} {:<18} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
            m.case,
            m.metric,
            rel(m.between_sd),
            rel(m.within_sd),
            m.samples_per_process,
            m.processes.map_or("> 1000".to_string(), |p| p.to_string()),
            m.time_s.map_or("-".to_string(), secs),
            m.detectable_change
                .map_or("-".to_string(), |c| format!("{:.2}%", 100.0 * c)),
        );
    }
    let _ = writeln!(
        o,
        "  (between, within: SD of the process effect and of a sample, relative to the mean; \
         samples: per process, sqrt(c_process s_w^2 / (c_sample s_b^2)); detects: the \
         smallest change a gate with that plan finds at 80% power, alpha 0.05)"
    );
    match &p.run {
        Some(s) => {
            let _ = writeln!(
                o,
                "run: --processes {} --sample-size {} --measurement-time {} (about {}); a \
                 gate with it detects changes of {:.2}% or more at 80% power (hardest: {}), \
                 when they are also beyond --noise-threshold",
                s.processes,
                s.samples_per_process,
                flag_seconds(s.measurement_time_s),
                secs(s.time_s),
                100.0 * s.detectable_change,
                s.hardest
            );
        }
        None => {
            let _ = writeln!(
                o,
                "run: no plan of up to 1000 processes reaches +-{} for every case; try a \
                 wider --target",
                percent(p.target)
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("1%"), Ok(0.01));
        assert_eq!(parse_target("0.5"), Ok(0.005));
        assert!(parse_target("0%").is_err());
        assert!(parse_target("100%").is_err());
        assert!(parse_target("abc").is_err());
        assert!(parse_target("nan").is_err());
    }
}
