//! Two levels of evidence: samples nested in processes (`--processes N`).
//!
//! What varies most between two runs of unchanged code is the process (code and heap
//! layout, address-space randomisation, frequency, placement): the samples of one process
//! are not independent evidence about the next one. With two or more processes, every
//! per-sample estimate is computed within each process as with one (a ratio of sums for
//! energy and J/correct), its point is the mean of the per-process estimates, and its
//! interval is Student's t over those `k` estimates with `k - 1` degrees of freedom
//! (`method: t`, `resampled: processes`). A percentile bootstrap over so few processes
//! (2 to 8 is what users run) cannot reach its nominal coverage; the t interval over
//! per-process estimates is exact for normal process means and is what Kalibera and Jones
//! ("Rigorous benchmarking in reasonable time", 2013) use for their multi-level design.
//! The variance components say how the variation splits between processes and samples.

use crate::analysis::compare::per_sample;
use crate::analysis::estimates::CONFIDENCE;
use crate::analysis::metric::Metric;
use crate::analysis::record::{Estimate, ProcessComponents, Processes};
use crate::attribution::record::Sample;
use crate::stats::components::variance_components;
use crate::stats::descriptive::{mean, t_interval, variance_about};
use std::collections::BTreeMap;

/// What an interval over processes resampled.
pub const PROCESSES: &str = "processes";

/// The samples of each process, by process index; one group when no sample has one.
pub fn by_process(samples: &[Sample]) -> Vec<Vec<Sample>> {
    let mut groups: BTreeMap<u32, Vec<Sample>> = BTreeMap::new();
    for s in samples {
        groups
            .entry(s.process.unwrap_or(0))
            .or_default()
            .push(s.clone());
    }
    groups.into_values().collect()
}

/// How many processes measured `samples`.
pub fn process_count(samples: &[Sample]) -> usize {
    let mut seen: Vec<u32> = samples.iter().map(|s| s.process.unwrap_or(0)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// Replace every estimate in `out` whose key `per_process` gives for each process by the
/// estimate over processes: the mean of the per-process points and Student's t interval
/// over them. Keys missing from a process keep their one-level estimate.
pub fn over_processes(
    out: &mut BTreeMap<String, Estimate>,
    per_process: &[BTreeMap<String, Estimate>],
) {
    let k = per_process.len();
    if k < 2 {
        return;
    }
    for (key, e) in out.iter_mut() {
        let points: Option<Vec<f64>> = per_process
            .iter()
            .map(|m| m.get(key).map(|x| x.point).filter(|p| p.is_finite()))
            .collect();
        let Some(points) = points else { continue };
        let m = mean(&points);
        let sd = variance_about(&points, m).sqrt();
        let i = t_interval(m, sd, k, CONFIDENCE);
        e.point = i.point;
        e.ci_low = i.low;
        e.ci_high = i.high;
        e.method = "t".to_string();
        e.resampled = Some(PROCESSES.to_string());
    }
}

/// The processes of a case and how time and energy per iteration vary between and within
/// them; `None` for a case measured in one process.
pub fn processes_summary(samples: &[Sample]) -> Option<Processes> {
    let groups = by_process(samples);
    if groups.len() < 2 {
        return None;
    }
    let components = [Metric::TimePerIter, Metric::EnergyPerIter]
        .into_iter()
        .filter_map(|metric| {
            let values: Vec<Vec<f64>> = groups.iter().map(|g| per_sample(metric, g)).collect();
            let slices: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
            let c = variance_components(&slices)?;
            Some((
                metric.key().to_string(),
                ProcessComponents {
                    between_share: c.icc,
                    within_share: 1.0 - c.icc,
                    between_sd: c.between.sqrt(),
                    within_sd: c.within.sqrt(),
                },
            ))
        })
        .collect();
    Some(Processes {
        count: groups.len(),
        samples: groups.iter().map(Vec::len).collect(),
        components,
    })
}

/// The per-unit values a comparison of `metric` tests: the per-process means when the
/// cases compared were measured in two or more processes, else the per-sample values.
pub fn unit_values(metric: Metric, samples: &[Sample], by_processes: bool) -> Vec<f64> {
    if !by_processes {
        return per_sample(metric, samples);
    }
    by_process(samples)
        .iter()
        .map(|g| per_sample(metric, g))
        .filter(|v| !v.is_empty())
        .map(|v| mean(&v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::case_estimates;
    use crate::measure::sensor::Provenance;
    use crate::stats::Rng;

    fn normal(rng: &mut Rng) -> f64 {
        (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0
    }

    /// `k` processes of `n` samples of 1,000 iterations: time per iteration 1 µs, each
    /// process shifted by a seeded effect of SD `between` and each sample by noise of SD
    /// `within` (relative); energy at 50 W.
    pub(crate) fn two_level(
        rng: &mut Rng,
        k: u32,
        n: usize,
        between: f64,
        within: f64,
    ) -> Vec<Sample> {
        let mut out = Vec::new();
        for p in 0..k {
            let effect = 1.0 + between * normal(rng);
            for _ in 0..n {
                let t = 1e-6 * effect * (1.0 + within * normal(rng)) * 1_000.0;
                out.push(Sample {
                    iters: 1_000,
                    elapsed_s: t,
                    start_s: 0.0,
                    window_s: t,
                    energy_j: BTreeMap::new(),
                    energy_total_j: Some(50.0 * t),
                    method: "counter-difference".into(),
                    valid: true,
                    flags: vec![],
                    correct: None,
                    incorrect: None,
                    unjudged: None,
                    delay_s: None,
                    energy_windows: 1,
                    first_question: None,
                    process: Some(p),
                });
            }
        }
        out
    }

    /// A simulated two-level process with a known mean (1 µs, 50 µJ per iteration): the
    /// interval over processes covers it in 92-98% of seeded trials; the one-level
    /// interval over samples, which treats every sample as independent, far less.
    #[test]
    fn the_interval_over_processes_covers_the_true_mean() {
        const TRIALS: usize = 400;
        let mut rng = Rng::new(17);
        let (mut two, mut one) = (0, 0);
        for trial in 0..TRIALS {
            let s = two_level(&mut rng, 4, 20, 0.03, 0.01);
            let e = case_estimates(&s, None, None, Provenance::Synthetic, trial as u64);
            let t = &e["time_per_iter_s"];
            assert_eq!(t.resampled.as_deref(), Some(PROCESSES));
            two += usize::from(t.ci_low <= 1e-6 && 1e-6 <= t.ci_high);
            let flat: Vec<Sample> = s
                .iter()
                .cloned()
                .map(|mut x| {
                    x.process = None;
                    x
                })
                .collect();
            let f = case_estimates(&flat, None, None, Provenance::Synthetic, trial as u64);
            let t = &f["time_per_iter_s"];
            one += usize::from(t.ci_low <= 1e-6 && 1e-6 <= t.ci_high);
        }
        let share = |k: usize| k as f64 / TRIALS as f64;
        println!(
            "over processes {:.3}, over samples {:.3}",
            share(two),
            share(one)
        );
        assert!((0.92..=0.98).contains(&share(two)), "{}", share(two));
        assert!(share(one) < 0.6, "{}", share(one));
    }

    #[test]
    fn the_summary_splits_the_variance() {
        let mut rng = Rng::new(3);
        let s = two_level(&mut rng, 6, 40, 0.05, 0.01);
        let p = processes_summary(&s).expect("six processes");
        assert_eq!(p.count, 6);
        assert_eq!(p.samples, vec![40; 6]);
        let c = &p.components["time_per_iter_s"];
        assert!(c.between_share > 0.8, "{c:?}");
        assert!((c.between_share + c.within_share - 1.0).abs() < 1e-12);
        assert!(processes_summary(&two_level(&mut rng, 1, 10, 0.05, 0.01)).is_none());
        // Per-process means for comparisons: one value per process.
        assert_eq!(unit_values(Metric::TimePerIter, &s, true).len(), 6);
        assert_eq!(unit_values(Metric::TimePerIter, &s, false).len(), 240);
    }
}
