//! The output folder of a bench run, taken before the first sample: locked against other
//! writers, checked writable, cleared of stale temporary files, and holding the previous
//! results that this run's cases merge into.

use super::exit;
use crate::output::Printer;
use crate::results::lock::{lock_output_dir, OutputLock};
use crate::results::{baselines, read_results, remove_stale_temps, ResultsError, RunResults};
use std::path::{Path, PathBuf};

/// The output folder, held for the whole run.
pub(super) struct OutputDir {
    /// `<output_dir>`: the report goes here, and the lock.
    pub root: PathBuf,
    /// `<output_dir>/<bench>`: results.json and the baselines.
    pub bench_dir: PathBuf,
    /// The results this run updates, when there were readable ones.
    pub previous: Option<RunResults>,
    _lock: OutputLock,
}

impl OutputDir {
    /// Lock `root` (waiting for another writer, named on stderr), check that `bench_dir`
    /// can be written, remove what killed writers left, and read the previous results.
    /// An unusable folder is a one-line error and exit 2, before anything is measured.
    pub(super) fn open(root: &Path, bench: &str, printer: &Printer) -> Result<OutputDir, i32> {
        let bench_dir = root.join(bench);
        let usage = |e: String| {
            eprintln!("error: output directory {}: {e}", root.display());
            exit::USAGE
        };
        let lock = lock_output_dir(root, |who| {
            eprintln!(
                "ipw: waiting for {who}, which is writing to {}; it holds {}",
                root.display(),
                root.join(crate::results::lock::LOCK_FILE).display()
            );
        })
        .map_err(|e| usage(e.to_string()))?;
        probe_writable(&bench_dir).map_err(usage)?;
        for dir in [
            root.to_path_buf(),
            bench_dir.clone(),
            bench_dir.join(baselines::BASELINES_DIR),
        ] {
            for p in remove_stale_temps(&dir) {
                printer.warning(&format!(
                    "removed {}, left by a run that was killed while writing",
                    p.display()
                ));
            }
        }
        let previous = previous_results(&bench_dir.join("results.json"), printer);
        Ok(OutputDir {
            root: root.to_path_buf(),
            bench_dir,
            previous,
            _lock: lock,
        })
    }

    /// `<bench_dir>/results.json`.
    pub(super) fn results_path(&self) -> PathBuf {
        self.bench_dir.join("results.json")
    }
}

/// Create `dir` and a file in it, then remove the file.
fn probe_writable(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".probe.{}.tmp", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The results at `path`, if any. An unreadable file is moved aside to
/// `results.json.unreadable`, said in a warning, so that nothing in it is lost.
fn previous_results(path: &Path, printer: &Printer) -> Option<RunResults> {
    match read_results(path) {
        Ok(r) => Some(r),
        Err(ResultsError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            None
        }
        Err(e) => {
            let aside = path.with_extension("json.unreadable");
            let moved = std::fs::rename(path, &aside);
            printer.warning(&match moved {
                Ok(()) => format!(
                    "{e}; it is kept as {} and this run starts a new file",
                    aside.display()
                ),
                Err(m) => format!("{e}; it will be replaced (moving it aside failed: {m})"),
            });
            None
        }
    }
}
