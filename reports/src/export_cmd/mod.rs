//! `cargo ipw export`: saved runs in the formats other tools read. `--csv` (every sample,
//! or every question with `--questions`) for pandas, R or DuckDB; `--parquet DIR` (the
//! cases, estimates, samples and questions tables); `--format bmf` (Bencher's metric
//! format) and `--format github-action-benchmark` (its `customSmallerIsBetter` input), for
//! benchmark trackers. Columns and units: `docs/export.md`.

pub mod csv;
pub mod parquet;
pub mod trackers;

use crate::output::{note, print};
use crate::run_files::read;
use anyhow::bail;
use clap::{Args, ValueEnum};
use ipw_bench::results::RunResults;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use self::csv::{questions_csv, samples_csv};

/// A tracker's JSON format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackerFormat {
    /// Bencher Metric Format: `{"<case>": {"<measure>": {"value", "lower_value",
    /// "upper_value"}}}`.
    Bmf,
    /// github-action-benchmark's `customSmallerIsBetter` input: `[{"name", "unit",
    /// "value", "range", "extra"}]`.
    GithubActionBenchmark,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write CSV: one row per sample (or per question, with `--questions`).
    #[arg(long)]
    pub csv: bool,
    /// Write the Parquet tables cases, estimates, samples and questions into this folder
    /// (made if missing), one `<table>.parquet` file each.
    #[arg(long, value_name = "DIR")]
    pub parquet: Option<PathBuf>,
    /// Write a benchmark tracker's JSON: `bmf` (Bencher) or `github-action-benchmark`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TrackerFormat>,
    /// With `--csv`: one row per question of every query case with a question set,
    /// instead of one per sample.
    #[arg(long)]
    pub questions: bool,
    /// `results.json` files (one or more).
    #[arg(required = true, value_name = "RUN.json")]
    pub files: Vec<PathBuf>,
    /// The file to write (atomically), for `--csv` and `--format`. Default: standard
    /// output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Write `bytes` to `path` through a temporary file renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// The one-line error for a file that could not be written.
fn cannot_write(path: &Path, e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot write {}: {e}; check that its folder exists and is writable",
        crate::message::shown_path(path)
    )
}

/// Runs `cargo ipw export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    let chosen = [args.csv, args.parquet.is_some(), args.format.is_some()];
    match chosen.iter().filter(|c| **c).count() {
        0 => bail!(
            "export needs a format: pass --csv, --parquet DIR or --format \
             bmf|github-action-benchmark (cargo ipw export --csv RUN.json... -o FILE)"
        ),
        1 => {}
        _ => bail!("export writes one format at a time: pass one of --csv, --parquet, --format"),
    }
    if args.questions && !args.csv {
        bail!("--questions goes with --csv (the Parquet export always has a questions table)");
    }
    if args.parquet.is_some() && args.output.is_some() {
        bail!("--parquet names its output folder itself: leave out -o");
    }
    let runs = args
        .files
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(dir) = &args.parquet {
        std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, e))?;
        for (table, bytes) in parquet::tables(&runs)? {
            let path = dir.join(format!("{table}.parquet"));
            write_atomic(&path, &bytes).map_err(|e| cannot_write(&path, e))?;
        }
        note(&format!(
            "wrote cases, estimates, samples and questions .parquet to {}",
            dir.display()
        ));
        return Ok(0);
    }
    let text = match args.format {
        Some(TrackerFormat::Bmf) => trackers::bmf(&runs),
        Some(TrackerFormat::GithubActionBenchmark) => trackers::github_action_benchmark(&runs),
        None => csv_text(args, &runs),
    };
    match &args.output {
        Some(path) => write_atomic(path, text.as_bytes()).map_err(|e| cannot_write(path, e))?,
        None => print(&text)?,
    }
    Ok(0)
}

/// The CSV of `--csv`, per sample or (`--questions`) per question.
fn csv_text(args: &ExportArgs, runs: &[RunResults]) -> String {
    if !args.questions {
        return samples_csv(runs);
    }
    let any = runs
        .iter()
        .flat_map(|r| &r.cases)
        .any(|c| c.question_set.is_some());
    if !any {
        note(
            "note: no case in these files has a question set (only query cases record \
             their questions): the CSV has its header only",
        );
    }
    questions_csv(runs)
}
