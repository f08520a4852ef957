//! Writing results atomically and reading them back with a version check.

use super::{RunResults, SCHEMA_VERSION};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a results file cannot be read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The file could not be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{}: not JSON: {source}", path.display())]
    NotJson {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The file has no `schema_version`.
    #[error("{}: no schema_version: not an ipw-bench results file", path.display())]
    NotResults {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by a build with another schema.
    #[error(
        "{}: schema_version {found} is not supported (this build reads {SCHEMA_VERSION})",
        path.display()
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version it has.
        found: u64,
    },
    /// A field is missing or has the wrong type.
    #[error("{}: {source}", path.display())]
    Schema {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

/// Write `value` as pretty JSON to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over the target.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results.json".to_string());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    serde_json::to_writer_pretty(&mut f, value).map_err(std::io::Error::other)?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// Read a results file, with an error that says what is wrong.
pub fn read_results(path: &Path) -> Result<RunResults, ResultsError> {
    let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| ResultsError::NotJson {
            path: path.to_path_buf(),
            source,
        })?;
    match v.get("schema_version").and_then(|s| s.as_u64()) {
        Some(n) if n == SCHEMA_VERSION as u64 => {}
        Some(found) => {
            return Err(ResultsError::Version {
                path: path.to_path_buf(),
                found,
            })
        }
        None => {
            return Err(ResultsError::NotResults {
                path: path.to_path_buf(),
            })
        }
    }
    serde_json::from_value(v).map_err(|source| ResultsError::Schema {
        path: path.to_path_buf(),
        source,
    })
}
