//! ipw-bench against criterion 0.8: the same three functions (sorting 10,000 u64, FNV-1a
//! over 4 KiB, an empty closure), measured by both in one process with the same warm-up,
//! measurement time and sample count. Each round measures each function with both tools
//! back to back (alternating which goes first), so that the two measurements of a function
//! are seconds apart and a shared machine's slow drift falls on both.
//!
//! `cargo bench -p ipw-examples --bench vs_criterion [-- --rounds N --measurement-time S
//! --only NAME]` (NAME: `sort_10k`, `hash_4k` or `empty`).
//!
//! Prints, per function and round, ipw-bench's time per iteration with its 95% CI and
//! criterion's slope estimate with its 95% CI, then the median ratios over the rounds:
//! the estimates (goal: within 3%), the CI widths (goal: ipw-bench's no wider) and the
//! difference on the empty closure (goal: at most 1 ns more than criterion). Interval
//! widths on a shared machine are heavy-tailed from round to round, so the summary also
//! gives the ratio of the median widths, the geometric mean of the width ratios and the
//! number of rounds in which ipw-bench's interval was the narrower. The table
//! also goes to `target/ipw-vs-criterion/summary.md`. Not part of the example suite.
//!
//! Each function is its own group, as criterion runs it alone: ipw-bench interleaves the
//! samples of one group's variants, which spreads drift over them but makes each sample
//! start in the cache and allocator state the previous variant left (sorting's 24 MB of
//! inputs makes the next function's samples noisier). docs/benchmarks.md gives both.

use criterion::{BatchSize, Criterion};
use ipw_bench::results::paths;
use ipw_bench::{black_box, Bencher};
use ipw_examples::micro;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WARM_UP_S: f64 = 1.0;
const SAMPLES: usize = 100;
const CASES: [&str; 3] = ["sort_10k", "hash_4k", "empty"];

#[ipw_bench::bench]
fn sort_10k(b: &mut Bencher) {
    let input = micro::random_u64s(micro::SORT_LEN, 1);
    b.iter_batched(
        || input.clone(),
        |mut v| {
            micro::sort_u64(&mut v);
            v
        },
        ipw_bench::BatchSize::Auto,
    );
}

#[ipw_bench::bench]
fn hash_4k(b: &mut Bencher) {
    let data = micro::random_bytes(micro::HASH_LEN, 2);
    b.iter(|| micro::fnv1a_64(black_box(&data)));
}

#[ipw_bench::bench]
fn empty(b: &mut Bencher) {
    b.iter(|| ());
}

/// criterion on one function (`sort_10k` also as `sort_10k_one_batch`).
fn criterion_round(dir: &Path, measurement_s: f64, name: &str) {
    let mut c = Criterion::default()
        .output_directory(dir)
        .sample_size(SAMPLES)
        .warm_up_time(Duration::from_secs_f64(WARM_UP_S))
        .measurement_time(Duration::from_secs_f64(measurement_s))
        .without_plots();
    match name {
        "sort_10k" => {
            let input = micro::random_u64s(micro::SORT_LEN, 1);
            c.bench_function("sort_10k", |b| {
                b.iter_batched(
                    || input.clone(),
                    |mut v| {
                        micro::sort_u64(&mut v);
                        v
                    },
                    BatchSize::SmallInput,
                )
            });
            // The same with all of a sample's inputs made before it: what batching costs.
            c.bench_function("sort_10k_one_batch", |b| {
                b.iter_batched(
                    || input.clone(),
                    |mut v| {
                        micro::sort_u64(&mut v);
                        v
                    },
                    BatchSize::NumBatches(1),
                )
            });
        }
        "hash_4k" => {
            let data = micro::random_bytes(micro::HASH_LEN, 2);
            c.bench_function("hash_4k", |b| b.iter(|| micro::fnv1a_64(black_box(&data))));
        }
        _ => {
            c.bench_function("empty", |b| b.iter(|| ()));
        }
    }
}

/// (point, low, high) in seconds per iteration.
type Est = (f64, f64, f64);

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn criterion_estimate(dir: &Path, id: &str) -> Result<Est, String> {
    let v = read_json(&dir.join(id).join("new").join("estimates.json"))?;
    // Linear sampling: criterion's headline `time` is the slope.
    let s = &v["slope"];
    let get = |x: &serde_json::Value| x.as_f64().map(|ns| ns * 1e-9);
    match (
        get(&s["point_estimate"]),
        get(&s["confidence_interval"]["lower_bound"]),
        get(&s["confidence_interval"]["upper_bound"]),
    ) {
        (Some(p), Some(l), Some(h)) => Ok((p, l, h)),
        _ => Err(format!("{id}: no slope in criterion's estimates.json")),
    }
}

fn ipw_estimate(results: &Path, id: &str) -> Result<Est, String> {
    let v = read_json(results)?;
    let case = v["cases"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == id))
        .ok_or_else(|| format!("{id} missing from {}", results.display()))?;
    let e = &case["estimates"]["time_per_iter_s"];
    match (
        e["point"].as_f64(),
        e["ci_low"].as_f64(),
        e["ci_high"].as_f64(),
    ) {
        (Some(p), Some(l), Some(h)) => Ok((p, l, h)),
        _ => Err(format!("{id}: no time_per_iter_s")),
    }
}

/// ipw-bench on one function, as `cargo bench` would run it with `--exact NAME`.
fn ipw_round(dir: &Path, measurement_s: f64, name: &str) -> Result<Est, String> {
    let args: Vec<String> = [
        "--bench",
        "--sample-size",
        &SAMPLES.to_string(),
        "--warm-up-time",
        &WARM_UP_S.to_string(),
        "--measurement-time",
        &measurement_s.to_string(),
        "--idle-time",
        "0",
        "--output-dir",
        &dir.display().to_string(),
        "--exact",
        name,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let code = ipw_bench::run_with_args(&args);
    if code != 0 {
        return Err(format!("ipw-bench run exited with {code}"));
    }
    ipw_estimate(&dir.join(paths::bench_name()).join("results.json"), name)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn ns(s: f64) -> String {
    format!("{:.3}", s * 1e9)
}

/// The value of `--NAME X`, if given; a value that is not a number is an error.
fn flag(args: &[String], name: &str) -> Result<Option<f64>, String> {
    let Some(i) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    let value = args.get(i + 1).map(String::as_str).unwrap_or("");
    match value.parse::<f64>() {
        Ok(v) if v > 0.0 => Ok(Some(v)),
        _ => Err(format!("{name}: expected a positive number, got `{value}`")),
    }
}

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().collect();
    let rounds = flag(&args, "--rounds")?.unwrap_or(3.0).max(1.0) as usize;
    let measurement_s = flag(&args, "--measurement-time")?.unwrap_or(3.0);
    let only = match args.iter().position(|a| a == "--only") {
        Some(i) => match args.get(i + 1) {
            Some(name) if CASES.contains(&name.as_str()) => Some(name.clone()),
            other => {
                return Err(format!(
                    "--only: expected one of {}, got `{}`",
                    CASES.join(", "),
                    other.map_or("", String::as_str)
                ))
            }
        },
        None => None,
    };
    let root: PathBuf = paths::default_output_dir()
        .parent()
        .map(|t| t.join("ipw-vs-criterion"))
        .unwrap_or_else(|| PathBuf::from("target/ipw-vs-criterion"));
    let mut rows: Vec<Vec<(Est, Est)>> = vec![Vec::new(); CASES.len() + 1];
    for round in 0..rounds {
        for (i, name) in CASES.iter().enumerate() {
            if only.as_ref().is_some_and(|o| o != name) {
                continue;
            }
            let crit_dir = root.join(format!("criterion-{round}-{name}"));
            let ipw_dir = root.join(format!("ipw-{round}-{name}"));
            // Alternate which tool goes first, so slow drift does not favour one.
            let ipw = if (round + i) % 2 == 0 {
                let ipw = ipw_round(&ipw_dir, measurement_s, name)?;
                criterion_round(&crit_dir, measurement_s, name);
                ipw
            } else {
                criterion_round(&crit_dir, measurement_s, name);
                ipw_round(&ipw_dir, measurement_s, name)?
            };
            rows[i].push((ipw, criterion_estimate(&crit_dir, name)?));
            if *name == "sort_10k" {
                let one = criterion_estimate(&crit_dir, "sort_10k_one_batch")?;
                rows[CASES.len()].push((ipw, one));
            }
        }
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{rounds} rounds, {SAMPLES} samples, {WARM_UP_S} s warm-up, {measurement_s} s \
         measurement per function and tool; times in ns per iteration.\n\n\
         | function | round | ipw-bench [95% CI] | criterion slope [95% CI] | estimate ratio | CI width ratio |\n\
         |---|---|---|---|---|---|\n"
    ));
    let mut summary = String::from(
        "\n| function | median estimate ratio (ipw/criterion) | median CI width ratio | ratio of median CI widths | geometric mean CI width ratio | rounds ipw-bench narrower | median difference (ns) |\n|---|---|---|---|---|---|---|\n",
    );
    let names = CASES
        .iter()
        .copied()
        .chain(["sort_10k vs criterion NumBatches(1)"]);
    for (i, name) in names.enumerate() {
        if rows[i].is_empty() {
            continue;
        }
        let ipw_widths: Vec<f64> = rows[i].iter().map(|(a, _)| a.2 - a.1).collect();
        let crit_widths: Vec<f64> = rows[i].iter().map(|(_, c)| c.2 - c.1).collect();
        let narrower = ipw_widths
            .iter()
            .zip(&crit_widths)
            .filter(|(a, c)| a < c)
            .count();
        let mut ratios = Vec::new();
        let mut widths = Vec::new();
        let mut diffs = Vec::new();
        for (round, (a, c)) in rows[i].iter().enumerate() {
            let ratio = a.0 / c.0;
            let width = (a.2 - a.1) / (c.2 - c.1);
            ratios.push(ratio);
            widths.push(width);
            diffs.push(a.0 - c.0);
            out.push_str(&format!(
                "| {name} | {round} | {} [{}, {}] | {} [{}, {}] | {ratio:.4} | {width:.3} |\n",
                ns(a.0),
                ns(a.1),
                ns(a.2),
                ns(c.0),
                ns(c.1),
                ns(c.2)
            ));
        }
        let geo = (widths.iter().map(|w| w.ln()).sum::<f64>() / widths.len() as f64).exp();
        let rounds_done = widths.len();
        summary.push_str(&format!(
            "| {name} | {:.4} | {:.3} | {:.3} | {geo:.3} | {narrower}/{rounds_done} | {:+.3} |\n",
            median(ratios),
            median(widths),
            median(ipw_widths) / median(crit_widths),
            median(diffs) * 1e9
        ));
    }
    out.push_str(&summary);
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let path = root.join("summary.md");
    std::fs::write(&path, &out).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(out)
}

fn main() {
    match run() {
        Ok(table) => println!("\n{table}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
