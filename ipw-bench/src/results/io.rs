//! Writing results atomically and reading them back with a version check.

use super::{RunResults, OLDEST_READABLE, SCHEMA_VERSION};
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
        "{}: schema_version {found} is not supported (this build reads {OLDEST_READABLE} to \
         {SCHEMA_VERSION}); use the ipw-bench that wrote it",
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
/// directory, flushed, then renamed over the target. On any error the temporary file is
/// removed and `path` is as it was; a writer killed midway leaves one behind, which
/// [`super::remove_stale_temps`] removes later.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results.json".to_string());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = write_synced(&tmp, value).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Write `value` as pretty JSON to a new file at `path` and flush it to disk.
fn write_synced<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut f, value).map_err(std::io::Error::other)?;
    f.write_all(b"\n")?;
    f.into_inner().map_err(|e| e.into_error())?.sync_all()
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
        Some(n) if (OLDEST_READABLE as u64..=SCHEMA_VERSION as u64).contains(&n) => {}
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
    let run: RunResults = serde_json::from_value(v).map_err(|source| ResultsError::Schema {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(upgraded(run))
}

/// A file of an older schema in the current one's terms: version 1 estimates did not say
/// what their intervals resampled, which was the samples, except accuracy's Wilson
/// interval, over answers. Nothing else changed meaning, so the result is a version
/// [`SCHEMA_VERSION`] document (a merge of old and new files writes that version).
fn upgraded(mut run: RunResults) -> RunResults {
    if run.schema_version < 2 {
        for c in &mut run.cases {
            for e in c.estimates.values_mut() {
                if e.resampled.is_none() {
                    let over = if e.method == "wilson" {
                        "answers"
                    } else {
                        "samples"
                    };
                    e.resampled = Some(over.to_string());
                }
            }
        }
    }
    run.schema_version = SCHEMA_VERSION;
    run
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::full_example;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("results.json");
        std::fs::write(&path, "old").expect("written");
        // A folder where the temporary file goes: creating it fails, as on a full disk.
        let tmp = dir
            .path()
            .join(format!(".results.json.{}.tmp", std::process::id()));
        std::fs::create_dir(&tmp).expect("made");
        assert!(write_json_atomic(&path, &full_example()).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        std::fs::remove_dir(&tmp).expect("removed");
        let value = serde_json::json!({"a": 1});
        // Renaming over a folder fails after the file was written: it is removed.
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).expect("made");
        std::fs::write(target.join("x"), "x").expect("written");
        assert!(write_json_atomic(&target, &value).is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("listed")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn a_version_1_file_reads_as_the_current_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("results.json");
        let mut v = serde_json::to_value(full_example()).expect("serialisable");
        v["schema_version"] = 1.into();
        for c in v["cases"].as_array_mut().expect("cases") {
            let estimates = c["estimates"].as_object_mut().expect("estimates");
            let mut wilson = estimates["energy_per_iter_j"].clone();
            wilson["method"] = "wilson".into();
            estimates.insert("accuracy".into(), wilson);
            for e in estimates.values_mut() {
                e.as_object_mut().expect("an estimate").remove("resampled");
            }
        }
        std::fs::write(&path, v.to_string()).expect("written");
        let run = read_results(&path).expect("a version 1 file reads");
        assert_eq!(run.schema_version, SCHEMA_VERSION);
        let over = |case: usize, metric: &str| {
            run.cases[case].estimates[metric]
                .resampled
                .clone()
                .expect("filled in")
        };
        assert_eq!(over(0, "energy_per_iter_j"), "samples");
        assert_eq!(over(0, "accuracy"), "answers");
        // A future version is refused with the versions this build reads.
        v["schema_version"] = (SCHEMA_VERSION + 1).into();
        std::fs::write(&path, v.to_string()).expect("written");
        let e = read_results(&path).unwrap_err().to_string();
        assert!(
            e.contains("is not supported") && e.contains("reads 1 to"),
            "{e}"
        );
    }
}
