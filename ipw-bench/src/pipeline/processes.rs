//! `--processes N`: the bench binary runs itself N times, one fresh child process after
//! another (never two at once: they would disturb each other's energy), each measuring
//! the selected cases as one process does, with its own seed and an environment padded to
//! a different size (Mytkowicz et al. 2009: the environment's size alone moves a program's
//! layout, and its time by several percent). The parent merges the children's results,
//! every sample marked with its process, and analyses them with the process as the unit.
//! A child that crashes, is killed or writes nothing costs its own samples only.

use super::bench::{apply_baseline, carbon_line, gate_exit_code, load_baselines, open_output};
use super::children::{run_children, Children};
use super::document::Header;
use super::exit;
use super::outputs;
use super::shown;
use crate::analysis::compare;
use crate::measure::interrupt::Interrupt;
use crate::measure::sensor::{not_using, using};
use crate::output::Printer;
use crate::results::plan::plan;
use crate::results::processes::{merge_processes, reanalyse};
use crate::results::{host, RunResults, Status};
use crate::setup::config::{Config, Format};
use std::ffi::OsString;
use std::time::Instant;

/// The relative half-width the plan at the end of a run aims at.
const DEFAULT_TARGET: f64 = 0.01;

/// Run `config.processes` children with `args` and merge them (`selected`: the ids of
/// the cases they measure; `known`: every registered case id); returns the exit code.
pub(super) fn run_processes(
    config: &Config,
    args: &[OsString],
    selected: Vec<String>,
    known: Vec<String>,
) -> i32 {
    let printer = Printer::new(config);
    let out = match open_output(config, &printer) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (old_baseline, saved) = match load_baselines(config, &out) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let header = Header {
        config,
        started: host::now_rfc3339(),
        clock: Instant::now(),
        phased: false,
        unused: Vec::new(),
        known,
        selected: Vec::new(),
        resumed: Vec::new(),
    };
    let interrupt = Interrupt::install();
    let parts_dir = out
        .bench_dir
        .join(format!(".processes.{}", std::process::id()));
    let Children {
        parts,
        walls,
        warnings,
    } = run_children(config, args, &parts_dir, &interrupt, &printer);
    let _ = std::fs::remove_dir_all(&parts_dir);
    if parts.is_empty() {
        eprintln!(
            "error: no process of --processes {} wrote results",
            config.processes
        );
        return exit::CASE_FAILED;
    }
    let noise = config
        .noise_threshold
        .unwrap_or(compare::DEFAULT_ENERGY_NOISE);
    let Some(merged) = merge_processes(&parts) else {
        return exit::CASE_FAILED;
    };
    let mut run = reanalyse(merged, noise);
    stamp(&mut run, &header, parts.len(), config.processes);
    if config.format == Format::Json {
        // The children's own lines went to their stdout, which is not this run's.
        printer.sensors(&sources(&run));
    }
    run.run.process_wall_s = walls;
    run.warnings.extend(warnings);
    let missing = missing_cases(&mut run, &selected);
    let previous = out.previous.as_ref();
    shown::print_cases(
        &mut run.cases,
        config,
        previous,
        old_baseline.as_ref(),
        &printer,
    );
    for c in &run.comparisons {
        printer.comparison(c);
    }
    if let Some((name, old)) = &old_baseline {
        apply_baseline(&mut run, old, name, config, &printer);
    }
    let this_run = run.clone();
    let merged = header.merged(out.previous.as_ref(), run, None);
    let baseline_doc = config.save_baseline.as_ref().map(|name| {
        (
            name.clone(),
            header.merged(saved.as_ref(), this_run.clone(), None),
        )
    });
    let written = outputs::write_outputs(&merged, baseline_doc.as_ref(), &out, config, &printer);
    for w in &this_run.warnings {
        printer.warning(w);
    }
    if let Ok(p) = plan(&this_run, DEFAULT_TARGET) {
        printer.plan(&p);
    }
    printer.finished(&this_run, &out.results_path());
    if let Some(signal) = interrupt.requested() {
        eprintln!(
            "ipw: interrupted by {}: {} of {} processes kept, written to {}",
            signal.name(),
            parts.len(),
            config.processes,
            out.results_path().display()
        );
        return signal.exit_code();
    }
    let in_processes = |doc: Option<&RunResults>, id: &str| {
        doc.and_then(|d| d.cases.iter().find(|c| c.id == id))
            .is_some_and(|c| c.processes.is_some())
    };
    let trusted = |id: &str| {
        in_processes(Some(&this_run), id) && in_processes(old_baseline.as_ref().map(|b| &b.1), id)
    };
    let code = gate_exit_code(&this_run, written, config, trusted);
    if missing.is_empty() {
        code
    } else {
        eprintln!(
            "error: {} of the selected cases have no samples from any process",
            missing.len()
        );
        exit::CASE_FAILED
    }
}

/// The selected cases no process gave samples of, each also said in the run's warnings.
fn missing_cases(run: &mut RunResults, selected: &[String]) -> Vec<String> {
    let missing: Vec<String> = selected
        .iter()
        .filter(|id| !run.cases.iter().any(|c| &c.id == *id))
        .cloned()
        .collect();
    for id in &missing {
        run.warnings.push(format!(
            "{id}: no process gave samples of this case (every process that reached it \
             crashed or was killed); it is left out of the results"
        ));
    }
    missing
}

/// The summary lines of the sources the first process used, as a single run prints them.
fn sources(run: &RunResults) -> Vec<String> {
    let mut lines: Vec<String> = run.sensors.iter().map(using).collect();
    lines.extend(
        run.sensors_unused
            .iter()
            .map(|u| not_using(&u.source, &u.reason)),
    );
    lines.push(carbon_line(&run.carbon));
    lines
}

/// The run's own header over the children's: when it started, its seed and
/// configuration, how many processes it asked for and how many gave results.
fn stamp(run: &mut RunResults, header: &Header, kept: usize, asked: u32) {
    let doc = header.document(
        Vec::new(),
        Vec::new(),
        &crate::measure::record::Trace::default(),
        run.idle.clone(),
        run.run.status,
    );
    let status = run.run.status;
    run.run = doc.run;
    run.run.status = status;
    header.stamp(&mut run.cases);
    if kept < asked as usize {
        run.warnings.push(format!(
            "{kept} of {asked} processes gave results; the others' samples are missing"
        ));
    }
    if run.cases.iter().any(|c| c.status == Status::Ok) {
        run.warnings.push(format!(
            "measured in {kept} processes: intervals and comparisons treat the process as the unit"
        ));
    }
}
