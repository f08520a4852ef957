//! `cargo ipw merge`: runs from many machines combined into one results file.
//!
//! The merged file is an ordinary results file (same schema), so `cargo ipw report` and
//! `cargo ipw export` read it. How the sources stay traceable:
//! - a case id that appears in two or more runs is renamed `<label>:<id>` in every run
//!   (the label is the run's host name, made unique with the file name when two files
//!   share a host); ids found in one run only are kept as they are;
//! - sensor ids and trace sources are prefixed `<label>:` and each sensor gets a `host`
//!   entry in its `details`, so every host's sensors are kept side by side;
//! - `run.config` is `{"merged_from": [...]}`: per source run its file, host, label,
//!   bench, times, seed, commit, renamed ids and original configuration;
//! - `warnings` says which runs were merged, and keeps each run's warnings prefixed by
//!   its label;
//! - run-level facts that differ between runs are merged conservatively: `run.host` holds
//!   the host names joined by `,` (other host facts only where every run agrees),
//!   `started_at` is the earliest, `finished_at` the latest, `duration_s` the sum, and
//!   `idle` is kept only when every run measured the same idle power (otherwise each
//!   run's idle power is listed in `warnings`).

use crate::output::note;
use crate::run_files::{read_all, RunFile};
use anyhow::bail;
use clap::Args;
use ipw_bench::results::{write_json_atomic, GroupComparison, Host, Idle, RunResults};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Two or more `results.json` files, from any machines.
    #[arg(required = true, value_name = "RUN.json")]
    pub files: Vec<PathBuf>,
    /// The merged results file to write (atomically).
    #[arg(short = 'o', long = "output", value_name = "OUT.json", required = true)]
    pub output: PathBuf,
}

/// The value every run agrees on, if they do.
fn common<T: PartialEq + Clone>(values: impl IntoIterator<Item = T>) -> Option<T> {
    let mut it = values.into_iter();
    let first = it.next()?;
    it.all(|v| v == first).then_some(first)
}

fn merged_host(runs: &[RunFile]) -> Host {
    let hosts: Vec<&Host> = runs.iter().map(|r| &r.run.run.host).collect();
    if let Some(h) = common(hosts.iter().copied()) {
        return h.clone();
    }
    let mut names: Vec<String> = Vec::new();
    for r in runs {
        let h = r.host();
        if !names.contains(&h) {
            names.push(h);
        }
    }
    Host {
        hostname: Some(names.join(",")),
        os: common(hosts.iter().map(|h| h.os.clone())).unwrap_or_else(|| "mixed".into()),
        kernel: common(hosts.iter().map(|h| h.kernel.clone())).flatten(),
        arch: common(hosts.iter().map(|h| h.arch.clone())).unwrap_or_else(|| "mixed".into()),
        cpu_model: common(hosts.iter().map(|h| h.cpu_model.clone())).flatten(),
        cpus: hosts.iter().map(|h| h.cpus).max().unwrap_or(0),
        memory_bytes: common(hosts.iter().map(|h| h.memory_bytes)).flatten(),
    }
}

fn rename_comparison(c: &GroupComparison, names: &HashMap<String, String>) -> GroupComparison {
    let rename = |id: &String| names.get(id).cloned().unwrap_or_else(|| id.clone());
    let mut c = c.clone();
    c.variants = c.variants.iter().map(rename).collect();
    for p in &mut c.pairwise {
        p.a = rename(&p.a);
        p.b = rename(&p.b);
    }
    c
}

/// Combine `runs` into one results document (see the module documentation).
pub fn merge(runs: &[RunFile]) -> RunResults {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in runs {
        for c in &r.run.cases {
            *seen.entry(c.id.as_str()).or_default() += 1;
        }
    }
    let mut cases = Vec::new();
    let mut comparisons = Vec::new();
    let mut sensors = Vec::new();
    let mut sensors_unused = Vec::new();
    let mut trace = Vec::new();
    let mut warnings = Vec::new();
    let mut sources = Vec::new();
    for r in runs {
        let label = &r.label;
        let mut names: HashMap<String, String> = HashMap::new();
        for c in &r.run.cases {
            let mut c = c.clone();
            if seen.get(c.id.as_str()).copied().unwrap_or(0) > 1 {
                let new_id = format!("{label}:{}", c.id);
                names.insert(c.id.clone(), new_id.clone());
                c.id = new_id;
            }
            cases.push(c);
        }
        comparisons.extend(
            r.run
                .comparisons
                .iter()
                .map(|c| rename_comparison(c, &names)),
        );
        for s in &r.run.sensors {
            let mut s = s.clone();
            s.id = format!("{label}:{}", s.id);
            s.contained_in = s.contained_in.map(|c| format!("{label}:{c}"));
            s.details.insert("host".into(), r.host());
            sensors.push(s);
        }
        for u in &r.run.sensors_unused {
            let mut u = u.clone();
            u.source = format!("{label}:{}", u.source);
            sensors_unused.push(u);
        }
        for t in &r.run.trace {
            let mut t = t.clone();
            t.sensor = format!("{label}:{}", t.sensor);
            trace.push(t);
        }
        warnings.push(format!(
            "merged from {label} ({}): bench {}, {} cases, started {}",
            r.path.display(),
            r.run.bench,
            r.run.cases.len(),
            r.run.run.started_at
        ));
        warnings.extend(r.run.warnings.iter().map(|w| format!("{label}: {w}")));
        let renamed: BTreeMap<&String, &String> = names.iter().collect();
        sources.push(serde_json::json!({
            "file": r.path.display().to_string(),
            "host": r.host(),
            "label": label,
            "bench": r.run.bench,
            "started_at": r.run.run.started_at,
            "finished_at": r.run.run.finished_at,
            "seed": r.run.run.seed,
            "git_commit": r.run.run.git_commit,
            "renamed": renamed,
            "config": r.run.run.config,
        }));
    }
    let idle = match common(runs.iter().map(|r| r.run.idle.clone())) {
        Some(idle) => idle,
        None => {
            for r in runs {
                let w = r
                    .run
                    .idle
                    .mean_w
                    .map_or("unavailable".to_string(), |w| format!("{w:.3} W"));
                warnings.push(format!(
                    "{}: idle power {w} (per host; see its file)",
                    r.label
                ));
            }
            Idle::default()
        }
    };
    let first = &runs[0].run;
    let mut run = first.run.clone();
    run.host = merged_host(runs);
    run.started_at = runs
        .iter()
        .map(|r| r.run.run.started_at.clone())
        .min()
        .unwrap_or_default();
    run.finished_at = runs
        .iter()
        .map(|r| r.run.run.finished_at.clone())
        .max()
        .unwrap_or_default();
    run.duration_s = runs.iter().map(|r| r.run.run.duration_s).sum();
    run.rustc = common(runs.iter().map(|r| r.run.run.rustc.clone())).flatten();
    run.git_commit = common(runs.iter().map(|r| r.run.run.git_commit.clone())).flatten();
    run.config = serde_json::json!({ "merged_from": sources });
    let mut benches: Vec<&str> = Vec::new();
    for r in runs {
        if !benches.contains(&r.run.bench.as_str()) {
            benches.push(&r.run.bench);
        }
    }
    RunResults {
        // Readers upgrade older files to the current schema.
        schema_version: ipw_bench::results::SCHEMA_VERSION,
        tool: first.tool.clone(),
        bench: benches.join("+"),
        run,
        sensors,
        sensors_unused,
        idle,
        cases,
        // Each case keeps the co2e estimates of its own run; the first run's intensity
        // stands for the file.
        carbon: first.carbon.clone(),
        trace,
        comparisons,
        warnings,
    }
}

pub fn run(args: &MergeArgs) -> anyhow::Result<i32> {
    if args.files.len() < 2 {
        bail!(
            "merge needs two or more results files, got {}: pass RUN.json RUN.json ... -o OUT.json",
            args.files.len()
        );
    }
    let runs = read_all(&args.files)?;
    let merged = merge(&runs);
    write_json_atomic(&args.output, &merged).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {e}; check that its folder is writable",
            args.output.display()
        )
    })?;
    note(&format!(
        "ipw: merged {} cases from {} runs into {}",
        merged.cases.len(),
        runs.len(),
        args.output.display()
    ));
    Ok(0)
}
