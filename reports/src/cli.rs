//! Command-line parsing and dispatch for `cargo ipw` (and `cargo-ipw`).

use clap::{Parser, Subcommand};
use std::ffi::OsString;

use crate::message::one_line;
use crate::output::{note, OutputError};

/// Exit code for bad input or usage.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when the output could not be written (a full disk).
pub const EXIT_OUTPUT: i32 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "cargo-ipw",
    bin_name = "cargo ipw",
    version,
    about = "Statistics, comparisons, Survival Game scoring and reports over ipw-bench results"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List every power source found, its domain, resolution, update period and problems.
    Sensors(crate::sensors_cmd::SensorsArgs),
    /// Statistical tests over a CSV: describe, ttest, mannwhitney, proportions, anova, tukey,
    /// games-howell, kruskal, levene, shapiro, anova2, mcnemar, paired-bootstrap.
    Stats(crate::stats_cmd::StatsArgs),
    /// Survival Game score from per-task failure counts: tail exponent, level, energy.
    Survival(crate::survival_cmd::SurvivalArgs),
    /// Rebuild the HTML report, report.md and estimates.csv from saved results.json files.
    Report(crate::report_cmd::ReportArgs),
    /// Compare the same cases across runs made separately (machines, accelerators,
    /// before and after), with the tests and verdicts used within a run.
    Compare(crate::compare_cmd::CompareArgs),
    /// Combine results files from many machines into one.
    Merge(crate::merge_cmd::MergeArgs),
    /// Every sample as one CSV row (`--csv`), or every question of the query cases
    /// (`--csv --questions`), for pandas, R or DuckDB; the Parquet tables (`--parquet DIR`);
    /// or a benchmark tracker's JSON (`--format bmf|github-action-benchmark`).
    Export(crate::export_cmd::ExportArgs),
    /// How many processes and samples per process reach a target interval width in the
    /// least time, from a `--processes N` run: `plan RUN.json --target 1%`.
    Plan(crate::plan_cmd::PlanArgs),
    /// Other harnesses' per-query records as results files with intervals and paired
    /// tests: `import ipw-harness PATH... -o DIR`.
    Import(crate::import_cmd::ImportArgs),
}

/// Parse `args` (the whole argv) and run; returns the process exit code.
pub fn run(mut args: Vec<OsString>) -> i32 {
    // `cargo ipw ...` runs `cargo-ipw ipw ...`: drop the subcommand name cargo passes.
    if args.get(1).is_some_and(|a| a == "ipw") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Sensors(a) => crate::sensors_cmd::run(&a),
        Command::Stats(a) => crate::stats_cmd::run(&a),
        Command::Survival(a) => crate::survival_cmd::run(&a),
        Command::Report(a) => crate::report_cmd::run(&a),
        Command::Compare(a) => crate::compare_cmd::run(&a),
        Command::Merge(a) => crate::merge_cmd::run(&a),
        Command::Export(a) => crate::export_cmd::run(&a),
        Command::Import(a) => crate::import_cmd::run(&a),
        Command::Plan(a) => crate::plan_cmd::run(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => exit_code_of(&e),
    }
}

/// Reports `e` (its whole chain, on one line) and picks the exit code: quiet 0 when the
/// reader of standard output stopped early, 1 when output could not be written, 2 for
/// bad input.
fn exit_code_of(e: &anyhow::Error) -> i32 {
    let output = e.chain().find_map(|c| c.downcast_ref::<OutputError>());
    if let Some(OutputError::Closed) = output {
        return 0;
    }
    note(&format!(
        "error: {}",
        one_line(&crate::message::chain_text(e))
    ));
    if output.is_some() {
        EXIT_OUTPUT
    } else {
        EXIT_USAGE
    }
}
