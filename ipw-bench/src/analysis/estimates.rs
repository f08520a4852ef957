//! Analysis: samples with their energy in, estimates with confidence intervals out.
//!
//! Ratios of means, as in the Intelligence-per-Watt paper: joules per correct answer is
//! total energy / total correct; IPW is accuracy / mean per-query power; IPJ is accuracy /
//! mean per-query energy. Intervals come from a seeded bootstrap over samples that keeps
//! each sample's energy, time and outcomes together.

use crate::analysis::metric::Metric;
use crate::analysis::record::{Answers, Estimate, Latency};
use crate::attribution::record::Sample;
use crate::measure::record::{LatencyHistogram, LATENCY_PRECISION};
use crate::measure::sensor::Provenance;
use crate::stats::bootstrap::percentile_interval;
use crate::stats::{Interval, Rng};
use std::collections::BTreeMap;

/// Bootstrap resamples for every estimate.
pub const RESAMPLES: usize = 10_000;
/// Confidence of every interval.
pub const CONFIDENCE: f64 = 0.95;
/// What an interval over the samples of one process resampled, as results.json names it.
pub const SAMPLES: &str = "samples";
/// What a proportion's interval over answers (Wilson) varies over.
pub const ANSWERS: &str = "answers";

pub use crate::stats::rng::case_seed;

/// Percentile bootstrap of any statistic of the samples, resampling whole samples.
/// The statistic gets the resampled indices.
pub fn bootstrap_samples(
    n: usize,
    seed: u64,
    point: f64,
    statistic: impl Fn(&[usize]) -> f64,
) -> Interval {
    if n < 2 || !point.is_finite() {
        return Interval::degenerate(point, CONFIDENCE);
    }
    let mut rng = Rng::new(seed);
    let mut idx = vec![0usize; n];
    let stats = (0..RESAMPLES)
        .map(|_| {
            for slot in idx.iter_mut() {
                *slot = rng.below(n);
            }
            statistic(&idx)
        })
        .collect();
    percentile_interval(stats, point, CONFIDENCE)
}

/// The estimate of `metric` from an interval over samples: in its unit, with the energy's
/// provenance when it is computed from energy (time, accuracy and throughput are measured).
pub(crate) fn estimate(i: Interval, metric: Metric, energy: Provenance) -> Estimate {
    Estimate {
        point: i.point,
        ci_low: i.low,
        ci_high: i.high,
        confidence: i.confidence,
        method: serde_json::to_value(i.method)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        unit: metric.unit().to_string(),
        provenance: if metric.from_energy() {
            energy
        } else {
            Provenance::Measured
        },
        resampled: Some(SAMPLES.to_string()),
    }
}

fn insert(out: &mut BTreeMap<String, Estimate>, metric: Metric, i: Interval, energy: Provenance) {
    out.insert(metric.key().to_string(), estimate(i, metric, energy));
}

/// Per-sample columns used by the estimates (valid samples only for energy).
struct Columns {
    iters: Vec<f64>,
    secs: Vec<f64>,
    window: Vec<f64>,
    energy: Vec<f64>,
    correct: Vec<f64>,
    judged: Vec<f64>,
}

fn sum(v: &[f64], idx: &[usize]) -> f64 {
    idx.iter().map(|&i| v[i]).sum()
}

/// Estimates of one case.
///
/// `idle_w` is the idle power to subtract for net energy; `provenance` is that of the
/// energy sources; `seed` comes from [`case_seed`].
pub fn estimates(
    samples: &[Sample],
    idle_w: Option<f64>,
    provenance: Provenance,
    seed: u64,
) -> BTreeMap<String, Estimate> {
    let mut out = BTreeMap::new();
    if samples.is_empty() {
        return out;
    }
    let per_iter: Vec<f64> = samples
        .iter()
        .map(|s| s.elapsed_s / s.iters as f64)
        .collect();
    let t_point = per_iter.iter().sum::<f64>() / per_iter.len() as f64;
    let t = bootstrap_samples(per_iter.len(), seed, t_point, |idx| {
        sum(&per_iter, idx) / idx.len() as f64
    });
    insert(&mut out, Metric::TimePerIter, t, provenance);

    let valid: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.valid && s.energy_total_j.is_some())
        .collect();
    let c = Columns {
        iters: valid.iter().map(|s| s.iters as f64).collect(),
        secs: valid.iter().map(|s| s.elapsed_s).collect(),
        window: valid.iter().map(|s| s.window_s).collect(),
        energy: valid
            .iter()
            .map(|s| s.energy_total_j.unwrap_or(f64::NAN))
            .collect(),
        correct: valid.iter().map(|s| s.correct.unwrap_or(0.0)).collect(),
        judged: valid
            .iter()
            .map(|s| s.correct.unwrap_or(0.0) + s.incorrect.unwrap_or(0.0))
            .collect(),
    };
    let n = c.energy.len();
    if n > 0 {
        let epi: Vec<f64> = (0..n).map(|i| c.energy[i] / c.iters[i]).collect();
        let mean = |v: &[f64], idx: &[usize]| sum(v, idx) / idx.len() as f64;
        let all: Vec<usize> = (0..n).collect();
        let e = bootstrap_samples(n, seed ^ 1, mean(&epi, &all), |idx| mean(&epi, idx));
        insert(&mut out, Metric::EnergyPerIter, e, provenance);
        if let Some(idle) = idle_w {
            let net: Vec<f64> = (0..n)
                .map(|i| (c.energy[i] - idle * c.window[i]) / c.iters[i])
                .collect();
            let e = bootstrap_samples(n, seed ^ 2, mean(&net, &all), |idx| mean(&net, idx));
            insert(&mut out, Metric::EnergyPerIterNet, e, provenance);
        }
        domain_estimates(&mut out, &valid, provenance, seed);
        let power = |idx: &[usize]| sum(&c.energy, idx) / sum(&c.window, idx);
        let p = bootstrap_samples(n, seed ^ 3, power(&all), power);
        insert(&mut out, Metric::MeanPower, p, provenance);
        if samples.iter().any(|s| s.correct.is_some()) {
            query_estimates(&mut out, &c, provenance, seed);
        }
    }
    if samples.iter().any(|s| s.correct.is_some()) {
        accuracy_estimate(&mut out, samples, seed);
    }
    out
}

/// Energy per iteration of each domain ([`Metric::domain_key`]), when the run has more
/// than one.
fn domain_estimates(
    out: &mut BTreeMap<String, Estimate>,
    valid: &[&Sample],
    provenance: Provenance,
    seed: u64,
) {
    let domains: std::collections::BTreeSet<&String> =
        valid.iter().flat_map(|s| s.energy_j.keys()).collect();
    if domains.len() < 2 {
        return;
    }
    for (k, d) in domains.into_iter().enumerate() {
        let per_iter: Option<Vec<f64>> = valid
            .iter()
            .map(|s| {
                s.energy_j
                    .get(d)
                    .copied()
                    .flatten()
                    .map(|e| e / s.iters as f64)
            })
            .collect();
        let Some(v) = per_iter else { continue };
        let point = v.iter().sum::<f64>() / v.len() as f64;
        let e = bootstrap_samples(v.len(), seed ^ (0x100 + k as u64), point, |idx| {
            sum(&v, idx) / idx.len() as f64
        });
        let metric = Metric::EnergyPerIter;
        out.insert(metric.domain_key(d), estimate(e, metric, provenance));
    }
}

fn accuracy_estimate(out: &mut BTreeMap<String, Estimate>, samples: &[Sample], seed: u64) {
    let correct: Vec<f64> = samples.iter().map(|s| s.correct.unwrap_or(0.0)).collect();
    let judged: Vec<f64> = samples
        .iter()
        .map(|s| s.correct.unwrap_or(0.0) + s.incorrect.unwrap_or(0.0))
        .collect();
    let all: Vec<usize> = (0..samples.len()).collect();
    let acc = |idx: &[usize]| sum(&correct, idx) / sum(&judged, idx);
    let (c, n) = (sum(&correct, &all), sum(&judged, &all));
    // Boolean outcomes: the Wilson score interval of a proportion. Partial scores are not
    // counts, so they keep the bootstrap over samples.
    if c.fract() == 0.0 && n.fract() == 0.0 && n > 0.0 {
        if let Ok(w) = crate::stats::proportions::wilson_interval(c as u64, n as u64, CONFIDENCE) {
            let w = Interval { point: c / n, ..w };
            let mut e = estimate(w, Metric::Accuracy, Provenance::Measured);
            e.resampled = Some(ANSWERS.to_string());
            out.insert(Metric::Accuracy.key().to_string(), e);
            return;
        }
    }
    if acc(&all).is_finite() {
        let a = bootstrap_samples(samples.len(), seed ^ 4, acc(&all), acc);
        insert(out, Metric::Accuracy, a, Provenance::Measured);
    }
}

fn query_estimates(
    out: &mut BTreeMap<String, Estimate>,
    c: &Columns,
    provenance: Provenance,
    seed: u64,
) {
    let n = c.energy.len();
    let all: Vec<usize> = (0..n).collect();
    let jpc = |idx: &[usize]| sum(&c.energy, idx) / sum(&c.correct, idx);
    if jpc(&all).is_finite() {
        let e = bootstrap_samples(n, seed ^ 5, jpc(&all), jpc);
        insert(out, Metric::JoulesPerCorrect, e, provenance);
    }
    let jpq = |idx: &[usize]| sum(&c.energy, idx) / sum(&c.iters, idx);
    let e = bootstrap_samples(n, seed ^ 6, jpq(&all), jpq);
    insert(out, Metric::JoulesPerQuery, e, provenance);
    let acc = |idx: &[usize]| sum(&c.correct, idx) / sum(&c.judged, idx);
    // Every query of a sample shares the sample's mean power, so the mean over queries
    // of per-query power weights each sample by its query count.
    let mean_query_power = |idx: &[usize]| {
        idx.iter()
            .map(|&i| c.energy[i] / c.window[i] * c.iters[i])
            .sum::<f64>()
            / sum(&c.iters, idx)
    };
    let ipw = |idx: &[usize]| acc(idx) / mean_query_power(idx);
    if ipw(&all).is_finite() {
        let e = bootstrap_samples(n, seed ^ 7, ipw(&all), ipw);
        insert(out, Metric::Ipw, e, provenance);
    }
    let ipj = |idx: &[usize]| acc(idx) / jpq(idx);
    if ipj(&all).is_finite() {
        let e = bootstrap_samples(n, seed ^ 8, ipj(&all), ipj);
        insert(out, Metric::Ipj, e, provenance);
    }
    let qps = |idx: &[usize]| sum(&c.iters, idx) / sum(&c.secs, idx);
    let e = bootstrap_samples(n, seed ^ 9, qps(&all), qps);
    insert(out, Metric::QueriesPerSecond, e, provenance);
}

/// The answers of a query case summed over all its samples; `None` for other cases.
/// Samples whose energy window is invalid count too: their answers were given.
pub fn answers(samples: &[Sample]) -> Option<Answers> {
    let query: Vec<&Sample> = samples.iter().filter(|s| s.correct.is_some()).collect();
    if query.is_empty() {
        return None;
    }
    Some(Answers {
        queries: query.iter().map(|s| s.iters).sum(),
        correct: query.iter().filter_map(|s| s.correct).sum(),
        incorrect: query.iter().filter_map(|s| s.incorrect).sum(),
        unjudged: query.iter().filter_map(|s| s.unjudged).sum(),
    })
}

/// Latency percentiles over every answer of a case, from its histogram (each within
/// 0.1% (`LATENCY_PRECISION`) of the exact value).
pub fn latency(h: &LatencyHistogram) -> Option<Latency> {
    if h.is_empty() {
        return None;
    }
    let secs = |ns: u64| ns as f64 * 1e-9;
    Some(Latency {
        count: h.len(),
        p50_s: secs(h.value_at_quantile(0.5)),
        p90_s: secs(h.value_at_quantile(0.9)),
        p99_s: secs(h.value_at_quantile(0.99)),
        mean_s: h.mean() * 1e-9,
        relative_error: LATENCY_PRECISION,
        buckets: Vec::new(),
    })
}

/// The histogram's recorded buckets as `[nanoseconds, count]`, what a `--processes` child
/// hands its parent: recorded again into an empty histogram, each lands in its own bucket.
pub fn latency_buckets(h: &LatencyHistogram) -> Vec<[u64; 2]> {
    h.iter_recorded()
        .map(|v| [v.value_iterated_to(), v.count_at_value()])
        .collect()
}

/// The latency of several processes' answers together, from their buckets: the same
/// percentiles as one histogram of every answer. `None` when a part with answers has no
/// buckets (it cannot be merged exactly).
pub fn merged_latency(parts: &[&Latency]) -> Option<Latency> {
    let mut h = crate::measure::record::latency_histogram();
    for l in parts {
        if l.buckets.is_empty() && l.count > 0 {
            return None;
        }
        for &[ns, n] in &l.buckets {
            h.record_n(ns.clamp(1, crate::measure::record::LATENCY_MAX_NS), n)
                .ok()?;
        }
    }
    latency(&h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(iters: u64, secs: f64, joules: f64, correct: Option<(f64, f64)>) -> Sample {
        Sample {
            iters,
            elapsed_s: secs,
            start_s: 0.0,
            window_s: secs,
            energy_j: BTreeMap::new(),
            energy_total_j: Some(joules),
            method: "counter-difference".into(),
            valid: true,
            flags: vec![],
            correct: correct.map(|c| c.0),
            incorrect: correct.map(|c| c.1),
            unjudged: correct.map(|_| 0),
            delay_s: None,
            energy_windows: 1,
            first_question: None,
            process: None,
        }
    }

    #[test]
    fn constant_power_gives_exact_points() {
        let s: Vec<Sample> = (0..20)
            .map(|i| {
                let secs = 0.1 + i as f64 * 0.001;
                sample(1000, secs, 50.0 * secs, None)
            })
            .collect();
        let e = estimates(&s, Some(10.0), Provenance::Synthetic, 1);
        assert!((e["mean_power_w"].point - 50.0).abs() < 1e-9);
        assert!((e["mean_power_w"].ci_low - 50.0).abs() < 1e-9);
        let t = e["time_per_iter_s"].point;
        assert!((e["energy_per_iter_j"].point - 50.0 * t).abs() < 1e-12);
        assert!((e["energy_per_iter_net_j"].point - 40.0 * t).abs() < 1e-12);
        assert!(!e.contains_key("accuracy"));
    }

    #[test]
    fn query_metrics_are_ratios_of_means() {
        // 10 queries per sample, 7 correct; 1 s at 20 W then 1 s at 40 W.
        let s = vec![
            sample(10, 1.0, 20.0, Some((7.0, 3.0))),
            sample(10, 1.0, 40.0, Some((7.0, 3.0))),
        ];
        let e = estimates(&s, None, Provenance::Measured, 3);
        assert_eq!(e["accuracy"].point, 0.7);
        assert!((e["joules_per_correct"].point - 60.0 / 14.0).abs() < 1e-12);
        assert!((e["joules_per_query"].point - 3.0).abs() < 1e-12);
        assert!((e["ipw"].point - 0.7 / 30.0).abs() < 1e-12);
        assert!((e["ipj"].point - 0.7 / 3.0).abs() < 1e-12);
        assert!((e["queries_per_s"].point - 10.0).abs() < 1e-12);
        let mut s = s;
        (s[1].iters, s[1].unjudged, s[1].valid) = (14, Some(4), false);
        let a = answers(&s).unwrap();
        assert_eq!(
            (a.queries, a.correct, a.incorrect, a.unjudged),
            (24, 14.0, 6.0, 4)
        );
        assert_eq!(answers(&[sample(5, 1.0, 1.0, None)]), None);
    }

    #[test]
    fn same_seed_same_interval() {
        let s: Vec<Sample> = (0..30)
            .map(|i| sample(100, 0.1 + (i % 7) as f64 * 0.01, 5.0 + (i % 5) as f64, None))
            .collect();
        let a = estimates(&s, None, Provenance::Measured, 11);
        let b = estimates(&s, None, Provenance::Measured, 11);
        assert_eq!(a, b);
        let e = &a["energy_per_iter_j"];
        assert!(e.ci_low < e.point && e.point < e.ci_high);
    }

    /// Repeated seeded runs with a known per-query energy and success rate: the point
    /// estimates sit on the analytic values on average and the intervals cover them in
    /// about 95% of runs.
    #[test]
    fn intervals_cover_the_truth_about_95_percent_of_the_time() {
        const RUNS: usize = 300;
        let (joules_per_query, p_correct, watts) = (0.5, 0.8, 50.0);
        let truth_jpc = joules_per_query / p_correct;
        let truth_ipj = p_correct / joules_per_query;
        let truth_ipw = p_correct / watts;
        let mut rng = Rng::new(2024);
        let (mut covered_jpc, mut covered_acc, mut covered_ipj, mut covered_ipw) = (0, 0, 0, 0);
        for run in 0..RUNS {
            let samples: Vec<Sample> = (0..20)
                .map(|_| {
                    let n = 50u64;
                    let correct = (0..n).filter(|_| rng.next_f64() < p_correct).count() as f64;
                    // Each query's energy varies by +-20% around the mean; power is constant,
                    // so time follows energy.
                    let energy: f64 = (0..n)
                        .map(|_| joules_per_query * (0.8 + 0.4 * rng.next_f64()))
                        .sum();
                    let mut s = sample(
                        n,
                        energy / watts,
                        energy,
                        Some((correct, n as f64 - correct)),
                    );
                    s.window_s = energy / watts;
                    s
                })
                .collect();
            let e = estimates(&samples, None, Provenance::Synthetic, run as u64);
            let inside = |k: &str, t: f64| e[k].ci_low <= t && t <= e[k].ci_high;
            covered_jpc += usize::from(inside("joules_per_correct", truth_jpc));
            covered_acc += usize::from(inside("accuracy", p_correct));
            covered_ipj += usize::from(inside("ipj", truth_ipj));
            covered_ipw += usize::from(inside("ipw", truth_ipw));
            assert!((e["mean_power_w"].point - watts).abs() < 1e-9);
        }
        for (what, c) in [
            ("J/correct", covered_jpc),
            ("accuracy", covered_acc),
            ("IPJ", covered_ipj),
            ("IPW", covered_ipw),
        ] {
            let rate = c as f64 / RUNS as f64;
            assert!((0.90..=0.99).contains(&rate), "{what}: coverage {rate}");
        }
    }

    #[test]
    fn per_domain_energy_when_several_domains() {
        let s: Vec<Sample> = (0..5)
            .map(|i| {
                let mut x = sample(10, 1.0, 30.0 + i as f64, None);
                x.energy_j
                    .insert("cpu-package".into(), Some(20.0 + i as f64));
                x.energy_j.insert("dram".into(), Some(10.0));
                x
            })
            .collect();
        let e = estimates(&s, None, Provenance::Measured, 1);
        assert_eq!(e["energy_per_iter_j@dram"].point, 1.0);
        assert!((e["energy_per_iter_j@cpu-package"].point - 2.2).abs() < 1e-12);
    }

    #[test]
    fn latency_percentiles_come_from_the_histogram_within_its_precision() {
        let mut h = crate::measure::record::latency_histogram();
        for i in 1..=100u64 {
            h.record(i * 1_000_000).unwrap();
        }
        let l = latency(&h).unwrap();
        assert_eq!(l.count, 100);
        for (got, exact) in [(l.p50_s, 0.050), (l.p90_s, 0.090), (l.p99_s, 0.099)] {
            assert!(
                (got - exact).abs() / exact <= LATENCY_PRECISION,
                "{got} vs {exact}"
            );
        }
        assert!((l.mean_s - 0.0505).abs() / 0.0505 <= LATENCY_PRECISION);
        assert_eq!(latency(&crate::measure::record::latency_histogram()), None);
    }

    #[test]
    fn processes_latencies_merge_as_one_histogram_of_every_answer() {
        use crate::measure::record::latency_histogram;
        let (mut a, mut b, mut all) = (
            latency_histogram(),
            latency_histogram(),
            latency_histogram(),
        );
        // Two processes, the second's answers slower and more numerous.
        for i in 1..=300u64 {
            let (h, ns) = if i % 3 == 0 {
                (&mut a, i * 1_000_003)
            } else {
                (&mut b, 2_000_000 + i * 7_919_111)
            };
            h.record(ns).unwrap();
            all.record(ns).unwrap();
        }
        let part = |h: &LatencyHistogram| {
            let mut l = latency(h).unwrap();
            l.buckets = latency_buckets(h);
            l
        };
        let merged = merged_latency(&[&part(&a), &part(&b)]).unwrap();
        assert_eq!(merged, latency(&all).unwrap());
        assert_eq!(merged.count, 300);
        assert!(merged.buckets.is_empty());
        // Neither process's own percentiles are the merged ones.
        assert_ne!(latency(&a).unwrap().p90_s, merged.p90_s);
        // A part with answers but no buckets cannot be merged exactly.
        assert_eq!(merged_latency(&[&part(&a), &latency(&b).unwrap()]), None);
    }
}
