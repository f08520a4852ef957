//! The A/A and A/B experiments of the regression gate, with a simulated process effect and
//! no timing noise: every run is built from seeded two-level samples (a per-process,
//! per-case offset of 1% SD on time and energy, then 0.6% noise per sample) and analysed and
//! compared with its baseline by the same code a `--processes` run uses
//! (`results::processes::reanalyse`, `analysis::baseline`). Each trial is a baseline and
//! a comparison measured with other process offsets (another seed).
//!
//! With 4 processes on both sides, at most 5% of the case-metrics of unchanged cases are
//! called `regressed` or `improved`, and cases doing 5% more work are called `regressed`
//! in at least 80% of their time and energy metrics; with one process the same gate calls
//! far more unchanged case-metrics, which is why it does not fail on them (#17).

use ipw_bench::analysis::case_seed;
use ipw_bench::analysis::metric::Metric;
use ipw_bench::analysis::vocabulary::BaselineVerdict;
use ipw_bench::results::example::{analysed, example_run, synthetic_case, with_baseline};
use ipw_bench::results::RunResults;
use ipw_bench::stats::Rng;

const CASES: [&str; 6] = ["fmt", "alloc", "sort", "hash", "parse", "json"];
/// The cases that do 5% more work in the A/B experiment.
const SLOWED: [&str; 2] = ["sort", "json"];
const SAMPLES_PER_PROCESS: usize = 10;
const PROCESS_SD: f64 = 0.01;
/// The share of synthetic_case's 3% sample noise kept: 0.6%, so that the process effect
/// dominates, as published measurements find (Kalibera and Jones 2013).
const WITHIN: f64 = 0.2;
const TRIALS: u64 = 12;

fn normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0
}

/// A run of `processes` processes, offsets seeded by `seed`; `slower` scales the time
/// and energy of the `SLOWED` cases.
fn run(seed: u64, processes: u32, slower: f64) -> RunResults {
    let mut rng = Rng::new(seed);
    let cases = CASES
        .iter()
        .map(|id| {
            let n = SAMPLES_PER_PROCESS * processes as usize;
            let mut c = synthetic_case(id, 1.0, n, case_seed(seed, id), None);
            let work = if SLOWED.contains(id) { slower } else { 1.0 };
            let offsets: Vec<f64> = (0..processes)
                .map(|_| 1.0 + PROCESS_SD * normal(&mut rng))
                .collect();
            for (i, s) in c.samples.iter_mut().enumerate() {
                let k = (i / SAMPLES_PER_PROCESS) as u32;
                let f = offsets[k as usize] * work;
                // synthetic_case's 3% noise about 0.1 s and 100 J, shrunk to 0.6%.
                let shrink = |x: f64, nominal: f64| nominal * (1.0 + WITHIN * (x / nominal - 1.0));
                s.elapsed_s = shrink(s.elapsed_s, 0.1);
                s.energy_total_j = s.energy_total_j.map(|e| shrink(e, 100.0));
                s.elapsed_s *= f;
                s.window_s *= f;
                s.energy_total_j = s.energy_total_j.map(|e| e * f);
                s.process = (processes > 1).then_some(k);
            }
            c
        })
        .collect();
    analysed(example_run("suite", seed, cases))
}

/// Per trial, the comparison's verdicts: `(case, metric, verdict)`.
fn verdicts(processes: u32, slower: f64) -> Vec<(String, Metric, BaselineVerdict)> {
    (0..TRIALS)
        .flat_map(|t| {
            let base = run(1_000 + 2 * t, processes, 1.0);
            let new = with_baseline(run(1_001 + 2 * t, processes, slower), &base, "main");
            new.cases
                .into_iter()
                .flat_map(|c| {
                    let id = c.id.clone();
                    c.baseline
                        .into_iter()
                        .flat_map(|b| b.metrics)
                        .map(move |m| (id.clone(), m.metric, m.verdict))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn flagged(v: &BaselineVerdict) -> bool {
    matches!(v, BaselineVerdict::Regressed | BaselineVerdict::Improved)
}

/// The share of unchanged case-metrics flagged, and of slowed time and energy metrics
/// called regressed.
fn rates(processes: u32, slower: f64) -> (f64, f64) {
    let v = verdicts(processes, slower);
    let unchanged: Vec<_> = v
        .iter()
        .filter(|(id, _, _)| slower == 1.0 || !SLOWED.contains(&id.as_str()))
        .collect();
    let slowed: Vec<_> = v
        .iter()
        .filter(|(id, m, _)| {
            SLOWED.contains(&id.as_str())
                && matches!(m, Metric::TimePerIter | Metric::EnergyPerIter)
        })
        .collect();
    assert!(unchanged.len() >= 96 && slowed.len() >= 48, "{}", v.len());
    let share = |xs: &[&(String, Metric, BaselineVerdict)],
                 f: &dyn Fn(&BaselineVerdict) -> bool| {
        xs.iter().filter(|x| f(&x.2)).count() as f64 / xs.len() as f64
    };
    (
        share(&unchanged, &flagged),
        share(&slowed, &|v| *v == BaselineVerdict::Regressed),
    )
}

#[test]
fn the_gate_with_four_processes_neither_cries_wolf_nor_misses_five_percent() {
    let (aa4, _) = rates(4, 1.0);
    let (ab4_unchanged, ab4) = rates(4, 1.05);
    let (aa1, _) = rates(1, 1.0);
    let (_, ab1) = rates(1, 1.05);
    println!(
        "A/A flagged: 4 processes {:.1}%, 1 process {:.1}%; A/B 5% slower called \
         regressed: 4 processes {:.1}% (unchanged flagged {:.1}%), 1 process {:.1}%",
        100.0 * aa4,
        100.0 * aa1,
        100.0 * ab4,
        100.0 * ab4_unchanged,
        100.0 * ab1
    );
    assert!(aa4 <= 0.05, "A/A with 4 processes: {aa4}");
    assert!(
        ab4_unchanged <= 0.05,
        "A/B unchanged with 4 processes: {ab4_unchanged}"
    );
    assert!(ab4 >= 0.80, "A/B with 4 processes: {ab4}");
    // One process takes its own offset for the code's: it cries wolf.
    assert!(aa1 > 2.0 * aa4.max(0.02), "A/A with 1 process: {aa1}");
}
