//! The child processes of `--processes N`: started one after another, each judged by
//! what it left: complete results, a checkpoint of the groups it finished before it
//! crashed or was killed, or nothing. A child that crashes costs its own samples only, and
//! says so in a warning that names the process and how it ended.

use crate::measure::interrupt::Interrupt;
use crate::output::Printer;
use crate::results::{paths, read_results, RunResults, RunStatus};
use crate::setup::config::Config;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

/// What the children left.
pub(super) struct Children {
    /// Each child's results that had any cases, with its index.
    pub parts: Vec<(u32, RunResults)>,
    /// The wall time of every child started, by index.
    pub walls: Vec<f64>,
    /// One line per child that crashed, was killed or wrote nothing.
    pub warnings: Vec<String>,
}

/// The children, one after another. Stops starting children after a signal.
pub(super) fn run_children(
    config: &Config,
    args: &[OsString],
    parts_dir: &Path,
    interrupt: &Interrupt,
    printer: &Printer,
) -> Children {
    let mut out = Children {
        parts: Vec::new(),
        walls: Vec::new(),
        warnings: Vec::new(),
    };
    let Ok(exe) = std::env::current_exe() else {
        eprintln!("error: --processes: cannot find this program to run it again");
        return out;
    };
    let n = config.processes;
    for k in 0..n {
        if interrupt.requested().is_some() {
            break;
        }
        printer.progress_line(&format!("process {} of {n}", k + 1));
        let dir = parts_dir.join(format!("p{k}"));
        let started = Instant::now();
        let status = Command::new(&exe)
            .args(args)
            .env("IPW_WORKER", format!("{k}:{}", dir.display()))
            .env("IPW_ENV_PAD", "x".repeat(padding(k, n)))
            .env_remove("IPW_PROCESSES")
            .stdout(Stdio::null())
            .status();
        out.walls.push(started.elapsed().as_secs_f64());
        let results = read_results(&dir.join(paths::bench_name()).join("results.json"))
            .ok()
            .filter(|r| !r.cases.is_empty());
        let process = format!("process {} of {n}", k + 1);
        let warning = match (&status, &results) {
            (Err(e), _) => Some(format!("{process} did not start: {e}")),
            (Ok(s), None) => Some(format!(
                "{process} {} and wrote no results; its samples are left out",
                ended(s)
            )),
            (Ok(s), Some(r)) if r.run.status == RunStatus::Running => Some(format!(
                "{process} {} after its first {} cases; its samples of the others are \
                 left out",
                ended(s),
                r.cases.len()
            )),
            _ => None,
        };
        if let Some(w) = warning {
            eprintln!("warning: {w}");
            out.warnings.push(w);
        }
        if let Some(r) = results {
            out.parts.push((k, r));
        }
    }
    out
}

/// How a child ended, in words: "crashed (signal 6, SIGABRT)", "exited with code 0".
fn ended(s: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (_, Some(sig)) => format!("was killed by signal {sig} ({})", signal_name(sig)),
        (Some(c), _) => format!("exited with code {c}"),
        _ => format!("ended ({s})"),
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => "SIGABRT: it aborted or crashed",
        libc::SIGKILL => "SIGKILL: killed, perhaps for memory",
        libc::SIGSEGV => "SIGSEGV: it crashed",
        libc::SIGBUS => "SIGBUS: it crashed",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Bytes of environment padding of child `k` of `n`: spread over 0 to 4 KiB, so that the
/// children's stacks start at different alignments.
fn padding(k: u32, n: u32) -> usize {
    (k as usize * 4096 / n.max(1) as usize) + k as usize * 16
}
