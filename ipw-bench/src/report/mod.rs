//! HTML reports (index, case, group, baseline and run-comparison pages) plus `report.md`
//! and `estimates.csv`, rendered from saved results.
//!
//! Pages are static: no JavaScript, no network, one shared stylesheet, plots as inline
//! SVG. Every name that comes from a bench (case, group, variant, message) is escaped:
//! by Tera in the templates, by [`svg::escape`] inside plots, and by [`sanitize`] where
//! it becomes part of a file name.
//!
//! ```no_run
//! use ipw_bench::report::{load_results, write_report, ReportOptions};
//! let dir = std::path::Path::new("target/ipw");
//! let (runs, problems) = load_results(dir);
//! for p in problems {
//!     eprintln!("warning: {p}");
//! }
//! let index = write_report(dir, &runs, &ReportOptions::default())?;
//! println!("open {}", index.display());
//! # Ok::<(), ipw_bench::report::ReportError>(())
//! ```

mod case_page;
mod compare_page;
pub mod csv;
pub mod format;
mod group_page;
mod index_page;
pub mod markdown;
mod model;
mod pages;
pub mod sanitize;
mod survival_view;
pub mod svg;

#[cfg(test)]
mod tests;

use crate::config::Plots;
use crate::results::{read_results, GroupComparison, RunResults};
use std::path::{Path, PathBuf};

/// The folder, under the output directory, that holds the report.
pub const REPORT_DIR: &str = "report";

/// How much a report draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// `all`: every plot; `summary`: no per-case trace or scatter plots (pages stay light
    /// with hundreds of cases); `none`: tables only.
    pub plots: Plots,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions { plots: Plots::All }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the report at {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("report template {name} failed: {message} (a bug in ipw-bench: please report it)")]
    Template { name: String, message: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every `<output_dir>/<bench>/results.json`, sorted by path.
pub fn find_results(output_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(output_dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name() != REPORT_DIR)
        .map(|e| e.path().join("results.json"))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found
}

/// The results files under `output_dir`, and one message per file that could not be read
/// (so one bad file does not hide the others).
pub fn load_results(output_dir: &Path) -> (Vec<RunResults>, Vec<String>) {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for path in find_results(output_dir) {
        match read_results(&path) {
            Ok(r) => runs.push(r),
            Err(e) => problems.push(e),
        }
    }
    (runs, problems)
}

/// Write files into a fresh folder beside `target`, then swap it in, so a reader never
/// sees half a report and a failed render leaves the previous report in place.
fn write_folder(target: &Path, files: &[pages::File]) -> Result<(), ReportError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| REPORT_DIR.to_string());
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io_error(&tmp))?;
    }
    for (rel, contents) in files {
        let path = tmp.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        std::fs::write(&path, contents).map_err(io_error(&path))?;
    }
    if target.exists() {
        std::fs::remove_dir_all(target).map_err(io_error(target))?;
    }
    std::fs::rename(&tmp, target).map_err(io_error(target))
}

/// Render the report over `runs` into `<output_dir>/report/` (replacing what was there)
/// and return the path of its `index.html`.
pub fn write_report(
    output_dir: &Path,
    runs: &[RunResults],
    options: &ReportOptions,
) -> Result<PathBuf, ReportError> {
    let files = pages::render_all(runs, options)?;
    let dir = output_dir.join(REPORT_DIR);
    write_folder(&dir, &files)?;
    Ok(dir.join("index.html"))
}

/// Write `<out>/compare.html` (and its stylesheet): the cases of `runs` matched by id,
/// one table per metric with a column per run, then each of `comparisons`. Returns the
/// page's path.
pub fn write_run_comparison(
    out: &Path,
    runs: &[RunResults],
    comparisons: &[GroupComparison],
) -> Result<PathBuf, ReportError> {
    let engine = pages::Engine::new()?;
    let page = compare_page::runs(runs, comparisons, &ReportOptions::default());
    let html = engine.render("compare.html", &page)?;
    std::fs::create_dir_all(out).map_err(io_error(out))?;
    let style = out.join("style.css");
    std::fs::write(&style, pages::STYLE).map_err(io_error(&style))?;
    let path = out.join("compare.html");
    std::fs::write(&path, html).map_err(io_error(&path))?;
    Ok(path)
}

/// Render the report in memory and return the total size in bytes: what `--plots` costs.
pub fn report_size(runs: &[RunResults], options: &ReportOptions) -> Result<usize, ReportError> {
    Ok(pages::render_all(runs, options)?
        .iter()
        .map(|(_, c)| c.len())
        .sum())
}
