//! What a run prints: criterion-like blocks for people ([`terminal`]), cargo-style JSON
//! lines for tools ([`json_lines`]), libtest lines in test mode ([`libtest`]), the
//! progress lines ([`progress`]) and the colours ([`style`]).
//!
//! Results go to stdout; progress, sensor choices and warnings go to stderr, so
//! `--format json` output on stdout stays one JSON object per line. `--quiet` keeps
//! results and errors only.

mod changes;
pub(crate) mod json_lines;
pub(crate) mod libtest;
mod progress;
mod style;
pub(crate) mod terminal;

#[cfg(test)]
mod snapshot_tests;

use crate::measure::runner::{Progress, Status};
use crate::results::plan::{plan_line, RunPlan};
use crate::results::{BaselineComparison, CaseResult, GroupComparison, RunResults};
use crate::setup::config::{Config, Format, Verbosity};
use progress::ProgressLines;
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::Path;
use style::Palette;
use terminal::BlockView;

pub(crate) use terminal::answers_line;

/// Where printed text goes: stdout and stderr, or buffers in tests.
type Sink = RefCell<Box<dyn Write>>;

/// Prints in the chosen format.
pub(crate) struct Printer {
    format: Format,
    verbosity: Verbosity,
    palette: Palette,
    progress: ProgressLines,
    /// The once-per-run warnings already said ([`terminal::ONCE_PER_RUN`]).
    said: RefCell<Vec<String>>,
    out: Sink,
    err: Sink,
}

impl Printer {
    pub(crate) fn new(config: &Config) -> Printer {
        let stderr_terminal = std::io::stderr().is_terminal();
        let color = style::use_color(
            config.color,
            std::io::stdout().is_terminal(),
            style::no_color_set(),
        );
        let quiet = config.verbosity == Verbosity::Quiet;
        let progress = if config.progress && !stderr_terminal {
            ProgressLines::plain()
        } else if (config.progress || (config.format == Format::Human && !quiet)) && stderr_terminal
        {
            ProgressLines::terminal()
        } else {
            ProgressLines::Off
        };
        Printer {
            format: config.format,
            verbosity: config.verbosity,
            palette: Palette::new(color),
            progress,
            said: RefCell::new(Vec::new()),
            out: RefCell::new(Box::new(std::io::stdout())),
            err: RefCell::new(Box::new(std::io::stderr())),
        }
    }

    /// A printer into `out` and `err`, without progress lines.
    #[cfg(test)]
    pub(crate) fn into_sinks(
        format: Format,
        verbosity: Verbosity,
        palette: Palette,
        out: Box<dyn Write>,
        err: Box<dyn Write>,
    ) -> Printer {
        Printer {
            format,
            verbosity,
            palette,
            progress: ProgressLines::Off,
            said: RefCell::new(Vec::new()),
            out: RefCell::new(out),
            err: RefCell::new(err),
        }
    }

    /// `text` on stdout, flushed.
    fn print(&self, text: &str) {
        let mut out = self.out.borrow_mut();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// One line on stderr.
    fn eprint_line(&self, line: &str) {
        let _ = writeln!(self.err.borrow_mut(), "{line}");
    }

    /// Whether lines besides results and errors are printed.
    fn chatty(&self) -> bool {
        self.format == Format::Human && self.verbosity != Verbosity::Quiet
    }

    fn json_line(&self, v: serde_json::Value) {
        self.print(&format!("{v}\n"));
    }

    /// The sources and the carbon intensity: one line, or one line each with `-v`.
    pub(crate) fn sensors(&self, lines: &[String]) {
        match self.format {
            Format::Human if !self.chatty() => {}
            Format::Human if self.verbosity == Verbosity::Verbose => {
                for l in lines {
                    self.eprint_line(&format!("ipw: {l}"));
                }
            }
            Format::Human => self.eprint_line(&format!("ipw: {}", lines.join("; "))),
            Format::Json => self.json_line(json_lines::sensors(lines)),
        }
    }

    /// A case's block, with its change against the previous run of the bench (`None`:
    /// the previous run did not have the case) and against the baseline.
    pub(crate) fn case(&self, c: &CaseResult, previous: Option<&BaselineComparison>) {
        match self.format {
            Format::Json => self.json_line(json_lines::case(c)),
            Format::Human => {
                let view = BlockView {
                    previous,
                    palette: self.palette,
                    verbose: self.verbosity == Verbosity::Verbose,
                };
                if self.verbosity != Verbosity::Verbose {
                    self.once_per_run(c);
                }
                self.print(&terminal::human_block(c, &view));
            }
        }
    }

    /// The warnings a block leaves out ([`terminal::ONCE_PER_RUN`]), the first time a
    /// case has each.
    fn once_per_run(&self, c: &CaseResult) {
        for q in &c.quality {
            if !terminal::ONCE_PER_RUN.contains(&q.code.as_str()) {
                continue;
            }
            let mut said = self.said.borrow_mut();
            if !said.contains(&q.code) {
                said.push(q.code.clone());
                let tag = terminal::provenance_tag(c.provenance).unwrap_or_default();
                self.warning(&format!("{}; such figures are tagged {tag}", q.message));
            }
        }
    }

    pub(crate) fn comparison(&self, c: &GroupComparison) {
        match self.format {
            Format::Json => self.json_line(json_lines::comparison(c)),
            Format::Human => self.print(&terminal::comparison(c)),
        }
    }

    /// The change of a case against the baseline as a JSON line (people see it in the
    /// case's block).
    pub(crate) fn baseline(&self, c: &CaseResult) {
        if let (Some(b), Format::Json) = (&c.baseline, self.format) {
            self.json_line(json_lines::baseline(c, b));
        }
    }

    pub(crate) fn warning(&self, w: &str) {
        if self.chatty() {
            self.eprint_line(&format!("warning: {w}"));
        }
    }

    /// A line about the run's progress that stays on stderr (human format only).
    pub(crate) fn progress_line(&self, line: &str) {
        if self.chatty() {
            self.eprint_line(&format!("ipw: {line}"));
        }
    }

    pub(crate) fn written(&self, path: &Path) {
        if self.chatty() {
            self.eprint_line(&format!("ipw: results written to {}", path.display()));
        }
    }

    /// The plan at the end of a `--processes` run: one line, or a JSON line.
    pub(crate) fn plan(&self, p: &RunPlan) {
        match self.format {
            Format::Human if !self.chatty() => {}
            Format::Human => self.eprint_line(&plan_line(p)),
            Format::Json => self.json_line(json_lines::plan(p)),
        }
    }

    pub(crate) fn finished(&self, run: &RunResults, path: &Path) {
        match self.format {
            Format::Json => self.json_line(json_lines::finished(run, path)),
            Format::Human => {
                if let Some(line) = terminal::finished(run) {
                    self.eprint_line(&line);
                }
            }
        }
    }
}

impl Progress for Printer {
    fn progress(&self, status: &Status) {
        self.progress.progress(status);
    }

    fn progress_done(&self) {
        self.progress.progress_done();
    }
}
