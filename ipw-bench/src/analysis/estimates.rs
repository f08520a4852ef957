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
#[path = "estimates_tests.rs"]
mod tests;
