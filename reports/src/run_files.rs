//! Results files named on the command line: reading them, and a short label per run.

use crate::message::{shown, shown_path};
use anyhow::Context;
use ipw_bench::results::{read_results, RunResults};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The largest results file read: far above any real run (a results file holds aggregates,
/// a few MB for thousands of cases), far below what would exhaust memory once parsed.
pub const MAX_RESULTS_BYTES: u64 = 1 << 30;

/// Why a file named as a results file cannot be read; the context adds its name.
#[derive(Debug, Error)]
pub enum RunFileError {
    #[error("{0}")]
    Metadata(#[source] std::io::Error),
    #[error("it is not a regular file but {kind}: pass the path of a results.json file")]
    NotAFile { kind: &'static str },
    #[error(
        "it holds {size} bytes, more than the {max} bytes (1 GiB) a results file may have: \
         pass a results.json file written by a bench"
    )]
    TooLarge { size: u64, max: u64 },
    #[error(
        "{0}; pass results.json files written by ipw-bench benches \
         (target/ipw/<bench>/results.json)"
    )]
    Unreadable(String),
}

/// One results file and what it holds.
#[derive(Debug, Clone)]
pub struct RunFile {
    pub path: PathBuf,
    pub run: RunResults,
    /// The host name, made unique among the files read together (`host-a`, or
    /// `host-a(b.json)` when two files come from the same host).
    pub label: String,
}

impl RunFile {
    /// The host name the run records, or `unknown-host`.
    pub fn host(&self) -> String {
        host_of(&self.run)
    }
}

pub fn host_of(run: &RunResults) -> String {
    run.run
        .host
        .hostname
        .clone()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_string())
}

/// Read a results file; the error is one line that names the file and what to do.
///
/// The file must be a regular file of at most [`MAX_RESULTS_BYTES`]: a device
/// (`/dev/zero`), a pipe or a huge file is refused before anything is read.
pub fn read(path: &Path) -> anyhow::Result<RunResults> {
    check_file(path)
        .and_then(|()| {
            read_results(path)
                .map_err(|e| RunFileError::Unreadable(without_path(&e.to_string(), path)))
        })
        .with_context(|| format!("cannot load {}", shown_path(path)))
}

/// Refuses what is not a regular file of a bounded size.
pub fn check_file(path: &Path) -> Result<(), RunFileError> {
    let meta = std::fs::metadata(path).map_err(RunFileError::Metadata)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(RunFileError::NotAFile {
            kind: kind_name(&kind),
        });
    }
    if meta.len() > MAX_RESULTS_BYTES {
        return Err(RunFileError::TooLarge {
            size: meta.len(),
            max: MAX_RESULTS_BYTES,
        });
    }
    Ok(())
}

fn kind_name(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// `read_results` starts its messages with the path, which the context already names; the
/// rest is kept on one short line.
fn without_path(message: &str, path: &Path) -> String {
    let prefix = format!("{}: ", path.display());
    shown(message.strip_prefix(&prefix).unwrap_or(message), 160)
}

/// Read every file (all before any output), labelled by host.
pub fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<RunFile>> {
    let runs = paths
        .iter()
        .map(|p| read(p).map(|run| (p.clone(), run)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let hosts: Vec<String> = runs.iter().map(|(_, r)| host_of(r)).collect();
    let labels = unique_labels(&hosts, paths);
    Ok(runs
        .into_iter()
        .zip(labels)
        .map(|((path, run), label)| RunFile { path, run, label })
        .collect())
}

/// The host names, with the file name (then the position) added where they repeat.
fn unique_labels(hosts: &[String], paths: &[PathBuf]) -> Vec<String> {
    let count = |v: &[String], x: &String| v.iter().filter(|h| *h == x).count();
    let with_file: Vec<String> = hosts
        .iter()
        .zip(paths)
        .map(|(h, p)| {
            if count(hosts, h) > 1 {
                format!("{h}({})", p.display())
            } else {
                h.clone()
            }
        })
        .collect();
    with_file
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if count(&with_file, l) > 1 {
                format!("{l}#{}", i + 1)
            } else {
                l.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_pipes_are_refused_before_reading() {
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "cannot load /dev/zero: it is not a regular file but a character device: pass the \
             path of a results.json file"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let e = format!("{:#}", read(dir.path()).unwrap_err());
        assert!(e.contains("not a regular file but a folder"), "{e}");
        let e = format!("{:#}", read(&dir.path().join("missing.json")).unwrap_err());
        assert!(e.contains("missing.json: No such file"), "{e}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.json");
        let f = std::fs::File::create(&path).expect("create");
        // A sparse file: its size is what counts, nothing is written.
        f.set_len(MAX_RESULTS_BYTES + 1).expect("set_len");
        let e = format!("{:#}", read(&path).unwrap_err());
        assert!(
            e.contains("holds 1073741825 bytes, more than the 1073741824"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_file_is_named_once_and_on_one_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.json");
        std::fs::write(&path, "{\n\"a\": [1,\n").expect("write");
        let e = format!("{:#}", read(&path).unwrap_err());
        assert_eq!(e.matches("x.json").count(), 1, "{e}");
        assert!(!e.contains('\n') && e.contains("not JSON"), "{e}");
    }

    #[test]
    fn labels_are_hosts_made_unique() {
        let hosts = ["a", "b", "b", "c", "c"].map(String::from);
        let paths = ["1.json", "2.json", "3.json", "x.json", "x.json"].map(PathBuf::from);
        assert_eq!(
            unique_labels(&hosts, &paths),
            ["a", "b(2.json)", "b(3.json)", "c(x.json)#4", "c(x.json)#5"]
        );
    }
}
