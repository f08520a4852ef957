//! `cargo ipw report`: rebuild the HTML report, `report.md` and `estimates.csv` from saved
//! results files.

use crate::output::note;
use crate::run_files::read;
use clap::Args;
use ipw_bench::report::Plots;
use ipw_bench::report::{write_report, ReportOptions};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// `results.json` files written by bench binaries (one or more).
    #[arg(required = true, value_name = "RESULTS.json")]
    pub files: Vec<PathBuf>,
    /// Folder that receives `report/`. Default: the output directory the first file lies
    /// in (`<dir>/<bench>/results.json` gives `<dir>`).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Which plots to draw: `all`, `summary` (no per-case trace or scatter: light pages
    /// for many cases) or `none`.
    #[arg(long, default_value = "all", value_parser = ["all", "summary", "none"])]
    pub plots: String,
}

/// `<dir>` of `<dir>/<bench>/results.json`, or the current directory for a bare name.
fn default_output_dir(first: &Path) -> PathBuf {
    first
        .parent()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let plots = match args.plots.as_str() {
        "summary" => Plots::Summary,
        "none" => Plots::None,
        _ => Plots::All,
    };
    // Every file is read before anything is written: a bad file leaves the old report.
    let runs = args
        .files
        .iter()
        .map(|f| read(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let out = match &args.output_dir {
        Some(d) => d.clone(),
        None => default_output_dir(&args.files[0]),
    };
    let index = write_report(&out, &runs, &ReportOptions { plots })?;
    note(&format!("ipw: report written to {}", index.display()));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_output_dir_is_two_levels_up() {
        assert_eq!(
            default_output_dir(Path::new("target/ipw/micro/results.json")),
            PathBuf::from("target/ipw")
        );
        assert_eq!(
            default_output_dir(Path::new("results.json")),
            PathBuf::from(".")
        );
        assert_eq!(
            default_output_dir(Path::new("x/results.json")),
            PathBuf::from(".")
        );
    }
}
