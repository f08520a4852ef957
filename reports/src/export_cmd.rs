//! `cargo ipw export --csv`: every sample of every case as one CSV row, for pandas, R or
//! DuckDB; with `--questions`, every question of every query case instead.
//!
//! Columns: `bench, host, case_id, group, name, variant, sample, iters, elapsed_s,
//! window_s, energy_total_j, valid, correct, incorrect, unjudged`, then one
//! `energy_j_<domain>` per energy domain found in any of the files (sorted). `sample`
//! counts from 0 within a case; `valid` is `true` or `false`; an unavailable value (a
//! host name, an invalid window's energy) is an empty field, never 0. Text fields go through
//! [`text_field`]: quoted as RFC 4180 says, and a leading `'` where a spreadsheet would
//! read the text as a formula; numbers are written as they are.
//!
//! `--questions` columns: `bench, host, case_id, group, variant, question, asked, correct,
//! incorrect, unjudged, time_s, energy_j, energy_method`, one row per entry of a case's
//! `question_set.per_question` (cases without a question set have none); `question` is
//! the question's index, the key that pairs two variants' answers; `energy_j` is empty
//! when null.

use crate::output::{note, print};
use crate::run_files::read;
use anyhow::bail;
use clap::Args;
use ipw_bench::report::csv::text_field;
use ipw_bench::results::RunResults;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write CSV (the only export format so far; required, so later formats stay explicit).
    #[arg(long)]
    pub csv: bool,
    /// One row per question of every query case with a question set, instead of one per
    /// sample.
    #[arg(long)]
    pub questions: bool,
    /// `results.json` files (one or more).
    #[arg(required = true, value_name = "RUN.json")]
    pub files: Vec<PathBuf>,
    /// The file to write (atomically). Default: standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const FIXED: [&str; 15] = [
    "bench",
    "host",
    "case_id",
    "group",
    "name",
    "variant",
    "sample",
    "iters",
    "elapsed_s",
    "window_s",
    "energy_total_j",
    "valid",
    "correct",
    "incorrect",
    "unjudged",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The CSV text of every sample of every case of `runs`.
pub fn samples_csv(runs: &[RunResults]) -> String {
    let domains: BTreeSet<&str> = runs
        .iter()
        .flat_map(|r| &r.cases)
        .flat_map(|c| &c.samples)
        .flat_map(|s| s.energy_j.keys().map(String::as_str))
        .collect();
    let mut out = String::new();
    let header: Vec<String> = FIXED
        .iter()
        .map(|h| h.to_string())
        .chain(domains.iter().map(|d| format!("energy_j_{d}")))
        .map(|h| text_field(&h))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for r in runs {
        let host = r.run.host.hostname.clone().unwrap_or_default();
        for c in &r.cases {
            for (i, s) in c.samples.iter().enumerate() {
                let mut row = vec![
                    text_field(&r.bench),
                    text_field(&host),
                    text_field(&c.id),
                    text_field(&c.group),
                    text_field(&c.name),
                    text_field(c.variant.as_deref().unwrap_or_default()),
                    i.to_string(),
                    s.iters.to_string(),
                    s.elapsed_s.to_string(),
                    s.window_s.to_string(),
                    opt(s.energy_total_j),
                    s.valid.to_string(),
                    opt(s.correct),
                    opt(s.incorrect),
                    opt(s.unjudged),
                ];
                row.extend(
                    domains
                        .iter()
                        .map(|d| opt(s.energy_j.get(*d).copied().flatten())),
                );
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}

const QUESTION_COLUMNS: [&str; 13] = [
    "bench",
    "host",
    "case_id",
    "group",
    "variant",
    "question",
    "asked",
    "correct",
    "incorrect",
    "unjudged",
    "time_s",
    "energy_j",
    "energy_method",
];

/// The CSV text of every question of every query case of `runs` that has a question set.
pub fn questions_csv(runs: &[RunResults]) -> String {
    let mut out = QUESTION_COLUMNS.join(",");
    out.push('\n');
    for r in runs {
        let host = r.run.host.hostname.clone().unwrap_or_default();
        for c in &r.cases {
            let Some(set) = &c.question_set else {
                continue;
            };
            for q in &set.per_question {
                let row = [
                    text_field(&r.bench),
                    text_field(&host),
                    text_field(&c.id),
                    text_field(&c.group),
                    text_field(c.variant.as_deref().unwrap_or_default()),
                    q.index.to_string(),
                    q.asked.to_string(),
                    q.correct.to_string(),
                    q.incorrect.to_string(),
                    q.unjudged.to_string(),
                    q.time_s.to_string(),
                    opt(q.energy_j),
                    text_field(&set.energy_method),
                ];
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}

/// Write `text` to `path` through a temporary file renamed over it.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export.csv".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

pub fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    if !args.csv {
        bail!("export needs a format: pass --csv (cargo ipw export --csv RUN.json... -o FILE)");
    }
    let runs = args
        .files
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let text = if args.questions {
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
        questions_csv(&runs)
    } else {
        samples_csv(&runs)
    };
    match &args.output {
        Some(path) => write_atomic(path, &text).map_err(|e| {
            anyhow::anyhow!(
                "cannot write {}: {e}; check that its folder exists and is writable",
                path.display()
            )
        })?,
        None => print(&text)?,
    }
    Ok(0)
}
