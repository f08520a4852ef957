//! Writing a run's files: a checkpoint of results.json after each group, and at the end
//! results.json, the report over every bench's results, and the saved baseline. A file
//! that cannot be written leaves the previous one in place, and the error names it.

use super::output_dir::OutputDir;
use crate::output::Printer;
use crate::report::{self, ReportOptions};
use crate::results::{baselines, write_json_atomic, RunResults};
use crate::setup::config::Config;

/// Which of the files that had to be written were.
pub(super) struct Written {
    pub results: bool,
    pub baseline: bool,
}

impl Written {
    /// Every file that had to be written was.
    pub(super) fn all(&self) -> bool {
        self.results && self.baseline
    }
}

/// Rewrite results.json with the groups finished so far (`done` of them): a checkpoint
/// that a killed run leaves behind. A failure is a warning: the run goes on, and the
/// previous file stays.
/// `done`: the groups finished, and of how many when that is known in advance.
pub(super) fn checkpoint(
    doc: &RunResults,
    out: &OutputDir,
    done: (usize, Option<usize>),
    p: &Printer,
) {
    let path = out.results_path();
    let of = match done.1 {
        Some(total) => format!(" of {total}"),
        None => String::new(),
    };
    match write_json_atomic(&path, doc) {
        Ok(()) => p.progress_line(&format!(
            "checkpoint: {}{of} groups in {}",
            done.0,
            path.display()
        )),
        Err(e) => p.warning(&format!(
            "checkpoint not written to {}: {e}",
            path.display()
        )),
    }
}

/// Write results.json, then the report over every bench's results under the output
/// directory, then the baseline (`name`, document) if one is saved.
pub(super) fn write_outputs(
    run: &RunResults,
    baseline: Option<&(String, RunResults)>,
    out: &OutputDir,
    config: &Config,
    printer: &Printer,
) -> Written {
    let path = out.results_path();
    let mut written = Written {
        results: true,
        baseline: true,
    };
    match write_json_atomic(&path, run) {
        Ok(()) => printer.written(&path),
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            written.results = false;
        }
    }
    if written.results {
        // One report over every bench binary's results under the output directory, so a
        // `cargo bench` that runs several binaries ends with a single index. A report
        // failure costs the pages, not the measurements: a warning, not a failed run.
        let (runs, problems) = report::load_results(&out.root);
        for p in &problems {
            printer.warning(&format!("report: left out {p}"));
        }
        let options = ReportOptions {
            plots: config.plots,
        };
        match report::write_report(&out.root, &runs, &options) {
            Ok(index) => printer.written(&index),
            Err(e) => printer.warning(&format!("report not written: {e}")),
        }
    }
    if let Some((name, doc)) = baseline {
        match baselines::save(&out.bench_dir, name, doc) {
            Ok(p) => printer.written(&p),
            Err(e) => {
                eprintln!("error: --save-baseline: {e}");
                written.baseline = false;
            }
        }
    }
    written
}
