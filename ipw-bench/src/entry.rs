//! The entry point behind `ipw_bench::main!()`: parse the configuration, then list, test
//! or benchmark the registered cases.

use crate::config::{Config, Mode, HELP};
use crate::registry;
use crate::runner;
use crate::selection;

/// Run the bench binary with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env_and_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if config.mode == Mode::Help {
        print!("{HELP}");
        return 0;
    }
    let all = registry::expand(&registry::all());
    let cases = selection::select(all, &config);
    match config.mode {
        Mode::List => {
            for c in &cases {
                println!("{}: benchmark", c.id());
            }
            0
        }
        Mode::Test => runner::run_tests(&config, cases),
        Mode::Bench => runner::run_bench(&config, cases),
        Mode::Help => 0,
    }
}
