//! HTML reports (index, case, group, baseline and run-comparison pages) plus `report.md`
//! and `estimates.csv`, rendered from saved results. [`across_runs`] matches the cases
//! of runs made separately, for `cargo ipw compare` and its page.
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

pub mod across_runs;
mod case_page;
mod compare_page;
pub mod csv;
mod group_page;
mod index_page;
pub mod markdown;
mod model;
mod pages;
pub mod sanitize;
mod survival_view;
pub mod svg;

#[cfg(test)]
mod run_comparison_tests;
#[cfg(test)]
mod tests;

use crate::results::{read_results, RunResults};
pub use crate::setup::config::Plots;
use across_runs::RunComparison;
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

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating or writing a file of the report failed.
    #[error("cannot write the report at {}: {source}", path.display())]
    Io {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// The error of the file system.
        #[source]
        source: std::io::Error,
    },
    /// The folder's `index.html` was not written by this version of ipw-bench, so it is not
    /// replaced.
    #[error(
        "{} was not written by this version of ipw-bench, so it is not replaced: \
         pass another folder to --html, or rebuild the report there (cargo ipw report)",
        path.display()
    )]
    ForeignIndex {
        /// The `index.html` found.
        path: PathBuf,
    },
    /// A page template failed to render: a bug in ipw-bench.
    #[error("report template {name} failed: {message} (a bug in ipw-bench: please report it)")]
    Template {
        /// The template's name.
        name: String,
        /// The template engine's error.
        message: String,
    },
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
            Err(e) => problems.push(e.to_string()),
        }
    }
    (runs, problems)
}

/// Write files into a fresh folder beside `target`, then swap it in, so a reader never
/// sees half a report and a failed render leaves the previous report in place. The old
/// report is renamed aside before the new one takes its place, so at no moment is there
/// neither; on any error the temporary folder is removed (one that a killed writer left
/// is removed by the next run: [`crate::results::remove_stale_temps`]).
fn write_folder(target: &Path, files: &[pages::File]) -> Result<(), ReportError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| REPORT_DIR.to_string());
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.{pid}.tmp"));
    let old = parent.join(format!(".{name}.old.{pid}.tmp"));
    for leftover in [&tmp, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(io_error(leftover))?;
        }
    }
    let swapped = fill(&tmp, files).and_then(|()| swap(&tmp, target, &old));
    if swapped.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    swapped
}

/// Write `files` under the new folder `dir`.
fn fill(dir: &Path, files: &[pages::File]) -> Result<(), ReportError> {
    for (rel, contents) in files {
        let path = dir.join(rel);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(io_error(d))?;
        }
        std::fs::write(&path, contents).map_err(io_error(&path))?;
    }
    Ok(())
}

/// Put `new` at `target`: the old folder moves to `old`, the new one in, the old one goes.
fn swap(new: &Path, target: &Path, old: &Path) -> Result<(), ReportError> {
    let had_old = match std::fs::rename(target, old) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_error(target)(e)),
    };
    if let Err(e) = std::fs::rename(new, target) {
        if had_old {
            let _ = std::fs::rename(old, target);
        }
        return Err(io_error(target)(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
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

/// The run-comparison page's file name inside the folder it is written to.
pub const RUN_COMPARISON_PAGE: &str = "compare.html";

/// Where a report's index lists run comparisons written beside it (in its Files list).
const COMPARISON_SLOT: &str = "<!-- ipw-bench: run comparisons -->";

/// What marks an index written by [`write_run_comparison`] itself.
const COMPARISON_INDEX_MARK: &str = "<!-- ipw-bench: run-comparison index -->";

/// Write `<out>/compare.html` (and its stylesheet): a table per metric with a column per
/// run, then each case found in two or more runs with its distributions, its estimates
/// per run and the comparisons of `compared`. Returns the page's path.
///
/// The page is linked from `<out>/index.html`: when `out` holds a report (written by
/// [`write_report`]) its index gains a link in its Files list; otherwise a small index of
/// the comparison is written (replacing one an earlier comparison wrote). An
/// `index.html` that ipw-bench did not write is left alone and is an error.
pub fn write_run_comparison(out: &Path, compared: &RunComparison) -> Result<PathBuf, ReportError> {
    let engine = pages::Engine::new()?;
    let page = compare_page::runs(compared, &ReportOptions::default());
    let html = engine.render("compare.html", &page)?;
    let index_path = out.join("index.html");
    let index = match std::fs::read_to_string(&index_path) {
        Ok(text) if text.contains(COMPARISON_INDEX_MARK) => None,
        Ok(text) if text.contains(COMPARISON_SLOT) => Some(link_comparison(&text)),
        Ok(_) => return Err(ReportError::ForeignIndex { path: index_path }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(&index_path)(e)),
    };
    let index = match index {
        Some(updated) => updated,
        None => engine.render(
            "compare_index.html",
            &compare_page::runs_index(compared, RUN_COMPARISON_PAGE),
        )?,
    };
    std::fs::create_dir_all(out).map_err(io_error(out))?;
    let style = out.join("style.css");
    write_atomic(&style, pages::STYLE.as_bytes())?;
    let path = out.join(RUN_COMPARISON_PAGE);
    write_atomic(&path, html.as_bytes())?;
    // The index last, so that it never links a page not yet written.
    write_atomic(&index_path, index.as_bytes())?;
    Ok(path)
}

/// Write `contents` to `path` through a temporary file beside it, so that a reader never
/// sees half a page; on an error the temporary file is removed and `path` is unchanged.
fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ReportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, contents)
        .map_err(io_error(&tmp))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io_error(path)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A report index with a link to the run comparison in its Files list (once).
fn link_comparison(index: &str) -> String {
    let link = format!("href=\"{RUN_COMPARISON_PAGE}\"");
    if index.contains(&link) {
        return index.to_string();
    }
    index.replacen(
        COMPARISON_SLOT,
        &format!(
            "<li><a {link}>Run comparison</a>: these cases against runs made \
             separately, with the tests and verdicts</li>\n{COMPARISON_SLOT}"
        ),
        1,
    )
}

/// Render the report in memory and return the total size in bytes: what `--plots` costs.
pub fn report_size(runs: &[RunResults], options: &ReportOptions) -> Result<usize, ReportError> {
    Ok(pages::render_all(runs, options)?
        .iter()
        .map(|(_, c)| c.len())
        .sum())
}
