//! What a run prints: criterion-like blocks for people ([`terminal`]), cargo-style JSON
//! lines for tools ([`json_lines`]), libtest lines in test mode ([`libtest`]).
//!
//! Results go to stdout; progress, sensor choices and warnings go to stderr, so
//! `--format json` output on stdout stays one JSON object per line.

pub(crate) mod json_lines;
pub(crate) mod libtest;
pub mod terminal;

#[cfg(test)]
mod snapshot_tests;

use crate::measure::runner::Progress;
use crate::results::{CaseResult, GroupComparison, RunResults};
use crate::setup::config::Format;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub(crate) use terminal::answers_line;

/// Prints in the chosen format.
pub(crate) struct Printer {
    format: Format,
    progress: bool,
}

impl Printer {
    pub(crate) fn new(format: Format) -> Printer {
        Printer {
            format,
            progress: format == Format::Human && std::io::stderr().is_terminal(),
        }
    }

    fn json_line(&self, v: serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{v}");
        let _ = out.flush();
    }

    pub(crate) fn sensors(&self, lines: &[String]) {
        match self.format {
            Format::Human => {
                for l in lines {
                    eprintln!("ipw: {l}");
                }
            }
            Format::Json => self.json_line(json_lines::sensors(lines)),
        }
    }

    pub(crate) fn case(&self, c: &CaseResult) {
        match self.format {
            Format::Json => self.json_line(json_lines::case(c)),
            Format::Human => print!("{}", terminal::human_block(c)),
        }
    }

    pub(crate) fn comparison(&self, c: &GroupComparison) {
        match self.format {
            Format::Json => self.json_line(json_lines::comparison(c)),
            Format::Human => print!("{}", terminal::comparison(c)),
        }
    }

    /// The change of a case against the baseline, one line per metric.
    pub(crate) fn baseline(&self, c: &CaseResult) {
        let Some(b) = &c.baseline else {
            return;
        };
        match self.format {
            Format::Json => self.json_line(json_lines::baseline(c, b)),
            Format::Human => print!("{}", terminal::baseline(c, b)),
        }
    }

    pub(crate) fn warning(&self, w: &str) {
        if self.format == Format::Human {
            eprintln!("warning: {w}");
        }
    }

    /// A line about the run's progress that stays on stderr (human format only).
    pub(crate) fn progress_line(&self, line: &str) {
        if self.format == Format::Human {
            eprintln!("ipw: {line}");
        }
    }

    pub(crate) fn written(&self, path: &Path) {
        if self.format == Format::Human {
            eprintln!("ipw: results written to {}", path.display());
        }
    }

    pub(crate) fn finished(&self, run: &RunResults, path: &Path) {
        match self.format {
            Format::Json => self.json_line(json_lines::finished(run, path)),
            Format::Human => {
                if let Some(line) = terminal::finished(run) {
                    eprintln!("{line}");
                }
            }
        }
    }
}

impl Progress for Printer {
    fn progress(&self, what: &str) {
        if self.progress {
            eprint!("\r\x1b[2K{what}");
        }
    }

    fn progress_done(&self) {
        if self.progress {
            eprint!("\r\x1b[2K");
        }
    }
}
