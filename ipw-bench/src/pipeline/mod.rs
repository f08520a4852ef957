//! The pipeline above the stages: parse the configuration, then list, test or measure the
//! selected cases; measuring runs each stage in turn (measure, attribute, analyse, write,
//! render) and decides the exit code.
//!
//! Only this module sees every stage; no stage imports a later one.

mod baseline;
mod bench;
mod children;
mod document;
mod exit;
pub(crate) mod inline;
mod output_dir;
mod outputs;
mod processes;
mod resume;
mod room;
mod shown;
mod test_mode;

use crate::measure::registry::{self, CaseRef};
use crate::setup::config::{Config, Mode};
use crate::setup::help::help;
use crate::setup::names::escape_controls;
use crate::setup::selection;
use std::ffi::{OsStr, OsString};

/// Run the bench binary with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    run(&args)
}

/// Run the registered cases with these arguments (without the program name), as the
/// command line of a bench binary would; returns the exit code.
pub fn run_with_args(args: &[String]) -> i32 {
    run(args)
}

fn run<S: AsRef<OsStr>>(args: &[S]) -> i32 {
    let config = match Config::from_env_and_args(args) {
        Ok((config, warnings)) => {
            for w in warnings.iter().chain(&config.notices) {
                eprintln!("warning: {w}");
            }
            config
        }
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if config.mode == Mode::Help {
        print!("{}", help());
        return exit::OK;
    }
    let all = registry::expand(&registry::all());
    if let Some(message) = duplicate_id(&all) {
        eprintln!("error: {message}");
        return exit::USAGE;
    }
    let cases = selection::select(all.clone(), &config);
    match config.mode {
        Mode::List => {
            for c in &cases {
                println!("{}: benchmark", escape_controls(&c.id()));
            }
            exit::OK
        }
        Mode::Test => test_mode::run_tests(&config, cases),
        // libtest measures nothing and succeeds here, but a bench run that measures
        // nothing would still replace the results: say why instead, before anything runs.
        Mode::Bench if cases.is_empty() => {
            eprintln!("error: {}", selection::nothing_selected(&all, &config));
            exit::USAGE
        }
        Mode::Bench if config.processes >= 2 && config.worker.is_none() => {
            let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
            let selected = cases.iter().map(CaseRef::id).collect();
            processes::run_processes(
                &config,
                &args,
                selected,
                all.iter().map(CaseRef::id).collect(),
            )
        }
        Mode::Bench => bench::run_bench(&config, cases, all.iter().map(CaseRef::id).collect()),
        Mode::Profile => test_mode::run_profile(cases, config.profile_time.unwrap_or(1.0)),
        Mode::Help => exit::OK,
    }
}

/// Two cases with one id would overwrite each other's results: name both.
fn duplicate_id(cases: &[CaseRef]) -> Option<String> {
    let (a, b) = selection::first_duplicate(cases)?;
    let at = |c: &CaseRef| format!("{}:{}", c.case.file, c.case.line);
    Some(format!(
        "two cases have the id `{}`, at {} and {}; give one of them another name, group or \
         args",
        escape_controls(&cases[a].id()),
        at(&cases[a]),
        at(&cases[b])
    ))
}
