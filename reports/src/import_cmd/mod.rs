//! `cargo ipw import ipw-harness|ml-energy PATH... -o DIR`: other harnesses' per-query
//! records as ipw-bench results files, so that their runs get intervals, paired tests and
//! report pages. One `DIR/<hardware>/results.json` per hardware, with one query case
//! `<group>/<model>` per model; the same case ids on two hardwares compare with `cargo ipw
//! compare`. Mapping and new metrics: `docs/export.md`.

pub mod arrow_file;
pub mod build;
pub mod harness;
pub mod mlenergy;

use crate::message::shown_path;
use crate::output::note;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use harness::{Subject, Summary};
use ipw_bench::results::CaseResult;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

/// The harness whose files are read.
#[derive(Subcommand, Debug)]
pub enum ImportSource {
    /// The Intelligence-per-Watt harness: single-turn runs (`model_metrics` rows) and
    /// bench or agentic runs (flat trace rows with a `summary.json`), as Arrow IPC files.
    IpwHarness(HarnessArgs),
    /// The ML.ENERGY benchmark (v3, vLLM): per-run `results.json` files (with the
    /// `prometheus.json` beside each, when there is one).
    MlEnergy(MlEnergyArgs),
}

#[derive(Args, Debug)]
pub struct MlEnergyArgs {
    /// Run folders (every `results.json` under them, as in `run/llm/<task>/results/...`)
    /// or `results.json` files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The folder to write `<gpu>-x<num_gpus>-max_num_seqs-<n>/results.json` into (made
    /// if missing).
    #[arg(short = 'o', long = "output-dir", value_name = "DIR", required = true)]
    pub output_dir: PathBuf,
    /// Seed of the bootstrap intervals (the same files and seed give the same file).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct HarnessArgs {
    /// Run folders (every `*.arrow` file under them) or `.arrow` files (IPC stream or file
    /// format).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The folder to write `<hardware>/results.json` into (made if missing).
    #[arg(short = 'o', long = "output-dir", value_name = "DIR", required = true)]
    pub output_dir: PathBuf,
    /// The cases' group: the question set's name (case ids are `<group>/<model>`).
    #[arg(long, default_value = "ipw-harness")]
    pub group: String,
    /// Seed of the bootstrap intervals (the same files and seed give the same file).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Runs `cargo ipw import`.
pub fn run(args: &ImportArgs) -> anyhow::Result<i32> {
    match &args.source {
        ImportSource::IpwHarness(a) => import_harness(a),
        ImportSource::MlEnergy(a) => import_mlenergy(a),
    }
}

/// The files named or under the folders named that `wanted` accepts, each folder's
/// sorted by path; `what` says in an error what was looked for.
fn source_files(
    paths: &[PathBuf],
    wanted: fn(&Path) -> bool,
    what: &str,
) -> anyhow::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, wanted: fn(&Path) -> bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, wanted, out)?;
            } else if wanted(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, wanted, &mut out)
                .map_err(|e| anyhow!("cannot read the folder {}: {e}", shown_path(p)))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            bail!("cannot import {}: no such file or folder", shown_path(p));
        }
    }
    if out.is_empty() {
        bail!("no {what}");
    }
    Ok(out)
}

/// The `.arrow` files named or under the folders named.
fn arrow_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    source_files(
        paths,
        |p| p.extension().is_some_and(|e| e == "arrow"),
        ".arrow file under the paths given: pass a run folder (runs/<run>/) or its data-*.arrow files",
    )
}

/// `summary.json` beside `file`, if there is one and it is JSON.
fn summary_beside(file: &Path) -> anyhow::Result<Summary> {
    let path = file.with_file_name("summary.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Summary::default());
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("cannot import {}: not JSON ({e})", shown_path(&path)))?;
    Ok(Summary::from_json(&v))
}

/// A name fit for a folder: anything but letters, digits, `.`, `_` and `-` becomes `-`.
fn folder_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// When `path` was last written, as RFC 3339.
fn written_at(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(ipw_bench::results::host::rfc3339)
        .unwrap_or_else(|_| ipw_bench::results::host::now_rfc3339())
}

fn import_harness(args: &HarnessArgs) -> anyhow::Result<i32> {
    if args.group.is_empty() || args.group.contains('/') {
        bail!("--group must be a non-empty name without '/': it is the first part of case ids");
    }
    let files = arrow_files(&args.paths)?;
    // Subjects by (hardware, model), their queries appended file after file (shards).
    let mut subjects: BTreeMap<(String, String), Subject> = BTreeMap::new();
    let mut version = None;
    for file in &files {
        let shown = shown_path(file);
        let batches =
            arrow_file::read_batches(file).map_err(|e| anyhow!("cannot import {shown}: {e}"))?;
        if batches.iter().all(|b| b.num_rows() == 0) {
            bail!("cannot import {shown}: it holds no rows");
        }
        let summary = summary_beside(file)?;
        version = version.or(summary.version.clone());
        let fallback = file
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        for batch in &batches {
            let found = harness::subjects(batch, &summary, &fallback)
                .map_err(|e| anyhow!("cannot import {shown}: {e}"))?;
            for s in found {
                let key = (s.hardware.clone(), s.model.clone());
                match subjects.get_mut(&key) {
                    Some(have) => have.queries.extend(s.queries),
                    None => {
                        subjects.insert(key, s);
                    }
                }
            }
        }
    }
    let source = build::Source {
        tool: "ipw-harness".into(),
        version,
        files: files.iter().map(|f| f.display().to_string()).collect(),
        written_at: written_at(&files[0]),
    };
    let mut by_hardware: BTreeMap<&str, Vec<&Subject>> = BTreeMap::new();
    for ((hardware, _), s) in &subjects {
        by_hardware.entry(hardware).or_default().push(s);
    }
    for (hardware, members) in by_hardware {
        let run = build::run_results(hardware, &args.group, &members, &source, args.seed);
        let dir = args.output_dir.join(folder_name(hardware));
        let path = dir.join("results.json");
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow!("cannot write {}: {e}", shown_path(&dir)))?;
        ipw_bench::results::write_json_atomic(&path, &run)
            .map_err(|e| anyhow!("cannot write {}: {e}", shown_path(&path)))?;
        note(&format!(
            "wrote {} ({} models on {hardware}, {})",
            path.display(),
            members.len(),
            source.label()
        ));
    }
    Ok(0)
}

/// A JSON file's document; the error names the file.
fn json_file(path: &Path) -> anyhow::Result<serde_json::Value> {
    let shown = shown_path(path);
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("cannot import {shown}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| anyhow!("cannot import {shown}: not JSON ({e})"))
}

/// The task of a results file laid out as the benchmark writes it,
/// `<task>/results/<model_id>/<gpu>/<params>/results.json`; `None` for another layout.
fn mlenergy_task(file: &Path, model_id: &str) -> Option<String> {
    let up = 3 + model_id.split('/').count();
    let results = file.ancestors().nth(up)?;
    if results.file_name()? != "results" {
        return None;
    }
    Some(
        results
            .parent()?
            .file_name()?
            .to_string_lossy()
            .into_owned(),
    )
}

fn import_mlenergy(args: &MlEnergyArgs) -> anyhow::Result<i32> {
    let files = source_files(
        &args.paths,
        |p| p.file_name().is_some_and(|n| n == "results.json"),
        "results.json under the paths given: pass a run folder (run/llm/<task>/) or results.json files",
    )?;
    let source = build::Source {
        tool: "ml-energy".into(),
        version: Some(mlenergy::VERSION.into()),
        files: files.iter().map(|f| f.display().to_string()).collect(),
        written_at: written_at(&files[0]),
    };
    let label = source.label();
    // Cases by run configuration: GPU, GPU count and max_num_seqs.
    let mut by_config: BTreeMap<String, (String, Vec<CaseResult>)> = BTreeMap::new();
    for file in &files {
        let shown = shown_path(file);
        let results = json_file(file)?;
        let beside = file.with_file_name("prometheus.json");
        let prometheus = if beside.is_file() {
            Some(json_file(&beside)?)
        } else {
            None
        };
        let run = mlenergy::run(&results, prometheus.as_ref())
            .map_err(|e| anyhow!("cannot import {shown}: {e}"))?;
        let group = mlenergy_task(file, &run.model_id).unwrap_or_else(|| "ml-energy".into());
        let case = run.case(&group, &label, args.seed);
        let (hardware, cases) = by_config
            .entry(folder_name(&format!(
                "{}-x{}-max_num_seqs-{}",
                run.gpu_model, run.num_gpus, run.max_num_seqs
            )))
            .or_insert_with(|| (run.configuration(), Vec::new()));
        if cases.iter().any(|c| c.id == case.id) {
            bail!(
                "cannot import {shown}: a second run of case {} on {hardware}: pass one run per task, model and configuration",
                case.id
            );
        }
        cases.push(case);
    }
    for (folder, (hardware, cases)) in by_config {
        let n = cases.len();
        let warning = format!(
            "{label}: per-request energy is attributed by the source (steady-state energy per \
             token x output length), not measured; no idle power, sensor trace or host \
             details were recorded (null, and 0 CPUs)"
        );
        let doc = build::run_document(&hardware, cases, &source, args.seed, warning);
        let dir = args.output_dir.join(folder);
        let path = dir.join("results.json");
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow!("cannot write {}: {e}", shown_path(&dir)))?;
        ipw_bench::results::write_json_atomic(&path, &doc)
            .map_err(|e| anyhow!("cannot write {}: {e}", shown_path(&path)))?;
        note(&format!(
            "wrote {} ({n} runs on {hardware}, {label})",
            path.display()
        ));
    }
    Ok(0)
}
