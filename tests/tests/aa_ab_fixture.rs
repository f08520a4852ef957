//! The A/A and A/B experiments of the regression gate through the real `--processes`
//! path: the `ipw-simulated` bench binary reports seeded two-level time and energy (a 1%
//! per-process offset, 0.6% per-sample noise, no timing noise), and each trial is a
//! baseline saved by one invocation and comparisons made by fresh invocations, whose
//! processes draw new offsets, exactly as a user's CI would run the gate (#17).
//!
//! With `--processes 4` on both sides at most 5% of the unchanged case-metrics are called
//! `regressed` or `improved`, and at least 80% of the time and energy metrics of cases
//! doing 5% more work are called `regressed`; one process per side cries wolf far more
//! often, which is why the gate does not fail a run on it unless `--strict`.
//!
//! Ignored by default (about two minutes); `.ci/run` runs it.

use ipw_tests::{read_json, results_path, run_with_env, text};
use std::ffi::OsStr;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-simulated");
const SLOWED: [&str; 2] = ["suite/sort", "suite/json"];
const TRIALS: usize = 6;

/// One invocation: `SIM_RUN=name`, the cases `SLOWED` slowed by `slower_percent`, saving
/// or comparing with the baseline `base`. Returns each case-metric's verdict.
fn invoke(
    out: &Path,
    processes: u32,
    name: &str,
    slower_percent: u32,
    baseline_flag: &str,
) -> Vec<(String, String, String)> {
    let p = processes.to_string();
    let slower = format!("{slower_percent}:{}", SLOWED.join(","));
    let o = run_with_env(
        Path::new(EXE),
        out,
        &[
            "--bench",
            "--sensors",
            "estimate",
            "--sample-size",
            "10",
            "--warm-up-time",
            "0.05",
            "--measurement-time",
            "0.1",
            "--idle-time",
            "0.05",
            "--processes",
            &p,
            baseline_flag,
            "base",
        ],
        &[
            ("SIM_RUN", OsStr::new(name)),
            ("SIM_SLOWER", OsStr::new(&slower)),
        ],
    );
    let (stdout, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{name}: {stdout}\n{stderr}");
    let r = read_json(&results_path(out, "ipw-simulated"));
    r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            let id = c["id"].as_str().unwrap().to_owned();
            c["baseline"]["metrics"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |m| {
                    let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
                    (id.clone(), s("metric"), s("verdict"))
                })
        })
        .collect()
}

struct Rates {
    /// A/A: unchanged case-metrics called regressed or improved, of all.
    aa: (usize, usize),
    /// A/B: the unchanged cases' case-metrics called either way, of theirs.
    ab_unchanged: (usize, usize),
    /// A/B: the slowed cases' time and energy metrics called regressed, of theirs.
    ab_slowed: (usize, usize),
}

fn flagged(v: &str) -> bool {
    v == "regressed" || v == "improved"
}

fn experiment(processes: u32) -> Rates {
    let mut r = Rates {
        aa: (0, 0),
        ab_unchanged: (0, 0),
        ab_slowed: (0, 0),
    };
    for t in 0..TRIALS {
        let dir = tempfile::tempdir().unwrap();
        let name = |what: &str| format!("p{processes}-t{t}-{what}");
        invoke(dir.path(), processes, &name("base"), 0, "--save-baseline");
        for (id, _, v) in invoke(dir.path(), processes, &name("aa"), 0, "--baseline") {
            assert!(!id.is_empty());
            r.aa.0 += flagged(&v) as usize;
            r.aa.1 += 1;
        }
        for (id, metric, v) in invoke(dir.path(), processes, &name("ab"), 5, "--baseline") {
            if SLOWED.contains(&id.as_str()) {
                if metric == "time_per_iter_s" || metric == "energy_per_iter_j" {
                    r.ab_slowed.0 += (v == "regressed") as usize;
                    r.ab_slowed.1 += 1;
                }
            } else {
                r.ab_unchanged.0 += flagged(&v) as usize;
                r.ab_unchanged.1 += 1;
            }
        }
    }
    r
}

fn share((k, n): (usize, usize)) -> f64 {
    assert!(n > 0, "no case-metrics were compared");
    k as f64 / n as f64
}

#[test]
#[ignore = "about two minutes of bench invocations; .ci/run runs it"]
fn the_gate_through_real_processes_neither_cries_wolf_nor_misses_five_percent() {
    let four = experiment(4);
    let one = experiment(1);
    println!(
        "A/A flagged: 4 processes {}/{}, 1 process {}/{}; A/B slowed called regressed: \
         4 processes {}/{} (unchanged flagged {}/{}), 1 process {}/{}",
        four.aa.0,
        four.aa.1,
        one.aa.0,
        one.aa.1,
        four.ab_slowed.0,
        four.ab_slowed.1,
        four.ab_unchanged.0,
        four.ab_unchanged.1,
        one.ab_slowed.0,
        one.ab_slowed.1
    );
    // 6 cases x 2 metrics per trial; 2 slowed cases x 2 metrics.
    assert_eq!(four.aa.1, TRIALS * 12);
    assert_eq!(four.ab_slowed.1, TRIALS * 4);
    assert!(share(four.aa) <= 0.05, "A/A with 4 processes");
    assert!(
        share(four.ab_unchanged) <= 0.05,
        "A/B unchanged, 4 processes"
    );
    assert!(share(four.ab_slowed) >= 0.80, "A/B slowed, 4 processes");
    // One process takes its own offset for the code's.
    assert!(
        share(one.aa) > 2.0 * share(four.aa).max(0.02),
        "A/A with 1 process"
    );
}
