//! Saved baselines on disk: `<bench_dir>/baselines/<name>.json`, a results file each.
//!
//! The comparison of a run against a baseline is analysis's
//! ([`crate::analysis::baseline`]); this module only names, writes and reads the files.

use crate::results::{read_results, write_json_atomic, ResultsError, RunResults};
use crate::setup::names::baseline_name_problem;
use std::path::{Path, PathBuf};

/// The folder, under a bench's output folder, that holds its baselines.
pub const BASELINES_DIR: &str = "baselines";

#[derive(Debug, thiserror::Error)]
/// Why a baseline cannot be saved or loaded; each message says what to do.
pub enum BaselineError {
    /// The name would leave the baselines folder or is empty.
    #[error(
        "baseline name {name:?} is not usable: {reason}; use letters, digits, '-', '_' or '.'"
    )]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No baseline of that name was saved.
    #[error(
        "no baseline named {name:?}: {} does not exist; run the bench with \
         `--save-baseline {name}` first",
        path.display()
    )]
    Missing {
        /// The name given.
        name: String,
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The file is there but is not a readable results file.
    #[error("baseline {name:?} cannot be read: {source}")]
    Unreadable {
        /// The name given.
        name: String,
        /// The cause.
        #[source]
        source: ResultsError,
    },
    /// Writing the file failed.
    #[error("cannot save baseline {name:?} at {}: {source}", path.display())]
    Write {
        /// The name given.
        name: String,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// `<bench_dir>/baselines/<name>.json`, for a name that stays inside that folder.
pub fn baseline_path(bench_dir: &Path, name: &str) -> Result<PathBuf, BaselineError> {
    // The same rule checks `--save-baseline` and `--baseline` before anything runs.
    if let Some(reason) = baseline_name_problem(name) {
        return Err(BaselineError::InvalidName {
            name: name.to_string(),
            reason,
        });
    }
    Ok(bench_dir.join(BASELINES_DIR).join(format!("{name}.json")))
}

/// Store `run` as baseline `name` (atomically: a reader never sees half a file).
pub fn save(bench_dir: &Path, name: &str, run: &RunResults) -> Result<PathBuf, BaselineError> {
    let path = baseline_path(bench_dir, name)?;
    write_json_atomic(&path, run).map_err(|source| BaselineError::Write {
        name: name.to_string(),
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Read baseline `name`; a missing one says how to create it.
pub fn load(bench_dir: &Path, name: &str) -> Result<RunResults, BaselineError> {
    let path = baseline_path(bench_dir, name)?;
    if !path.is_file() {
        return Err(BaselineError::Missing {
            name: name.to_string(),
            path,
        });
    }
    read_results(&path).map_err(|source| BaselineError::Unreadable {
        name: name.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::{full_example, synthetic_case as case};

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = full_example();
        r.cases = vec![case("g/a", 1.0, 5, 1, Some(0.5))];
        let path = save(dir.path(), "before-fix", &r).unwrap();
        assert_eq!(path, dir.path().join("baselines").join("before-fix.json"));
        assert_eq!(load(dir.path(), "before-fix").unwrap(), r);
    }

    #[test]
    fn a_missing_baseline_says_how_to_make_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path(), "main").unwrap_err().to_string();
        assert!(e.contains("main.json"), "{e}");
        assert!(e.contains("--save-baseline main"), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = Path::new("/tmp/bench");
        for bad in ["", "a/b", "..", "../x", "a\\b", "."] {
            let e = baseline_path(dir, bad).unwrap_err();
            assert!(e.to_string().contains("is not usable"), "{bad}: {e}");
        }
        assert!(baseline_path(dir, "v1.2_main-x").is_ok());
    }
}
