//! Results files named on the command line: reading them, and a short label per run.

use ipw_bench::results::{read_results, RunResults};
use std::path::{Path, PathBuf};

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
pub fn read(path: &Path) -> anyhow::Result<RunResults> {
    read_results(path).map_err(|e| {
        anyhow::anyhow!(
            "{}; pass results.json files written by ipw-bench benches \
             (target/ipw/<bench>/results.json)",
            e.to_string().replace('\n', " ")
        )
    })
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
    fn labels_are_hosts_made_unique() {
        let hosts = ["a", "b", "b", "c", "c"].map(String::from);
        let paths = ["1.json", "2.json", "3.json", "x.json", "x.json"].map(PathBuf::from);
        assert_eq!(
            unique_labels(&hosts, &paths),
            ["a", "b(2.json)", "b(3.json)", "c(x.json)#4", "c(x.json)#5"]
        );
    }
}
