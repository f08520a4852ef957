//! Command-line parsing and dispatch for `cargo ipw` (and `cargo-ipw`).

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// Exit code for bad input or usage.
pub const EXIT_USAGE: i32 = 2;

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
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
