//! Estimates of a query case that resample its questions.
//!
//! A question set is a sample from a population of queries, and repeating a question adds
//! no evidence about that population (`research/methodology.md`). So accuracy, joules per
//! correct answer, joules per query, IPW, IPJ, throughput and latency percentiles get
//! intervals from a seeded bootstrap over questions, each resampled question carrying all
//! its answers, their time and their energy (so a stochastic subject's repeat-to-repeat
//! variation is in the interval too). The measurement-only intervals, for one fixed
//! question set, resample samples within the same part of the set
//! (`fixed_set_estimates`).

use crate::analysis::estimates::{estimate, estimates, CONFIDENCE, RESAMPLES};
use crate::analysis::metric::Metric;
use crate::analysis::paired::{detectable, POWER};
use crate::analysis::processes::{by_process, over_processes};
use crate::analysis::record::{Estimate, Sizing};
use crate::attribution::record::{QuestionSet, Sample};
use crate::measure::sensor::Provenance;
use crate::stats::bootstrap::{percentile_interval, quantile_sorted};
use crate::stats::{Interval, Rng};
use std::collections::BTreeMap;

/// What a question-level interval resampled, as results.json names it.
pub const QUESTIONS: &str = "questions";
/// What a fixed-set interval resampled.
pub const SAMPLES_WITHIN_PARTS: &str = "samples-within-parts";

/// A statistic of a draw of sample indices.
type Statistic<'a> = Box<dyn Fn(&[usize]) -> f64 + 'a>;

/// Per-question columns over the questions whose energy is known.
struct Columns {
    asked: Vec<f64>,
    credit: Vec<f64>,
    judged: Vec<f64>,
    time: Vec<f64>,
    energy: Vec<f64>,
}

/// Sums of the columns over one draw of questions.
#[derive(Default, Clone, Copy)]
struct Sums {
    asked: f64,
    credit: f64,
    judged: f64,
    time: f64,
    energy: f64,
    /// Sum over answers of their question's mean power (energy / time x asked).
    answer_power: f64,
}

impl Columns {
    fn add(&self, s: &mut Sums, i: usize) {
        s.asked += self.asked[i];
        s.credit += self.credit[i];
        s.judged += self.judged[i];
        s.time += self.time[i];
        s.energy += self.energy[i];
        if self.time[i] > 0.0 {
            s.answer_power += self.energy[i] / self.time[i] * self.asked[i];
        }
    }
}

impl Sums {
    fn accuracy(&self) -> f64 {
        self.credit / self.judged
    }
    fn joules_per_correct(&self) -> f64 {
        self.energy / self.credit
    }
    fn joules_per_query(&self) -> f64 {
        self.energy / self.asked
    }
    /// IPW: accuracy over the mean, over answers, of each answer's power.
    fn ipw(&self) -> f64 {
        self.accuracy() / (self.answer_power / self.asked)
    }
    fn ipj(&self) -> f64 {
        self.accuracy() / self.joules_per_query()
    }
    fn queries_per_s(&self) -> f64 {
        self.asked / self.time
    }
}

/// A ratio metric of the question sums.
type Ratio = fn(&Sums) -> f64;

/// The ratio estimates that need energy.
const ENERGY_RATIOS: [(Metric, Ratio); 4] = [
    (Metric::JoulesPerCorrect, Sums::joules_per_correct),
    (Metric::JoulesPerQuery, Sums::joules_per_query),
    (Metric::Ipw, Sums::ipw),
    (Metric::Ipj, Sums::ipj),
];

/// Insert the estimate of `metric` from an interval over questions.
fn insert(out: &mut BTreeMap<String, Estimate>, metric: Metric, i: Interval, energy: Provenance) {
    let mut e = estimate(i, metric, energy);
    e.resampled = Some(QUESTIONS.to_string());
    out.insert(metric.key().to_string(), e);
}

/// Question-level estimates of a query case: accuracy, J/correct, J/query, IPW, IPJ,
/// queries/s and the latency percentiles of questions' mean latency.
pub(crate) fn question_estimates(
    set: &QuestionSet,
    provenance: Provenance,
    seed: u64,
) -> BTreeMap<String, Estimate> {
    question_estimates_with(set, provenance, seed, RESAMPLES)
}

/// [`question_estimates`] with a number of resamples for the ratios; the latency
/// quantiles take a fifth of it (each needs a sort, and a quantile's interval is already
/// coarse at the sizes question sets come in).
pub(crate) fn question_estimates_with(
    set: &QuestionSet,
    provenance: Provenance,
    seed: u64,
    resamples: usize,
) -> BTreeMap<String, Estimate> {
    let mut out = BTreeMap::new();
    let all: Vec<usize> = (0..set.per_question.len())
        .filter(|&i| set.per_question[i].asked > 0)
        .collect();
    if all.is_empty() {
        return out;
    }
    let col = |f: &dyn Fn(usize) -> f64, which: &[usize]| which.iter().map(|&i| f(i)).collect();
    let q = &set.per_question;
    let columns = |which: &[usize]| Columns {
        asked: col(&|i| q[i].asked as f64, which),
        credit: col(&|i| q[i].correct, which),
        judged: col(&|i| q[i].correct + q[i].incorrect, which),
        time: col(&|i| q[i].time_s, which),
        energy: col(&|i| q[i].energy_j.unwrap_or(0.0), which),
    };
    // Accuracy and throughput over every question; energy ratios over those with energy.
    let every = columns(&all);
    let acc = bootstrap_sums(
        &every,
        seed ^ 0x51,
        &[Sums::accuracy, Sums::queries_per_s],
        resamples,
    );
    for (metric, i) in [Metric::Accuracy, Metric::QueriesPerSecond]
        .into_iter()
        .zip(acc)
    {
        if let Some(i) = i.filter(|i| i.point.is_finite()) {
            insert(&mut out, metric, i, provenance);
        }
    }
    let with_energy: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| q[i].energy_j.is_some())
        .collect();
    if !with_energy.is_empty() {
        let energy = columns(&with_energy);
        let ratios: Vec<Ratio> = ENERGY_RATIOS.iter().map(|r| r.1).collect();
        let intervals = bootstrap_sums(&energy, seed ^ 0x52, &ratios, resamples);
        for ((metric, _), i) in ENERGY_RATIOS.iter().zip(intervals) {
            if let Some(i) = i.filter(|i| i.point.is_finite()) {
                insert(&mut out, *metric, i, provenance);
            }
        }
    }
    let latency: Vec<f64> = all
        .iter()
        .map(|&i| q[i].time_s / q[i].asked as f64)
        .collect();
    let quantiles = [
        (Metric::LatencyP50, 0.5),
        (Metric::LatencyP90, 0.9),
        (Metric::LatencyP99, 0.99),
    ];
    let ps: Vec<f64> = quantiles.iter().map(|q| q.1).collect();
    for ((metric, _), i) in quantiles.iter().zip(bootstrap_quantiles(
        &latency,
        &ps,
        seed ^ 0x60,
        resamples / 5,
    )) {
        insert(&mut out, *metric, i, provenance);
    }
    out
}

/// Percentile bootstrap over questions of several ratio metrics from the same draws.
fn bootstrap_sums(
    c: &Columns,
    seed: u64,
    metrics: &[Ratio],
    resamples: usize,
) -> Vec<Option<Interval>> {
    let n = c.asked.len();
    let mut total = Sums::default();
    for i in 0..n {
        c.add(&mut total, i);
    }
    let points: Vec<f64> = metrics.iter().map(|m| m(&total)).collect();
    if n < 2 {
        return points
            .into_iter()
            .map(|p| Some(Interval::degenerate(p, CONFIDENCE)))
            .collect();
    }
    let mut rng = Rng::new(seed);
    let mut replicates: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); metrics.len()];
    for _ in 0..resamples {
        let mut s = Sums::default();
        for _ in 0..n {
            c.add(&mut s, rng.below(n));
        }
        for (r, m) in replicates.iter_mut().zip(metrics) {
            r.push(m(&s));
        }
    }
    replicates
        .into_iter()
        .zip(points)
        .map(|(r, p)| Some(percentile_interval(r, p, CONFIDENCE)))
        .collect()
}

/// Percentile bootstrap of quantiles of per-question values, all from the same draws.
fn bootstrap_quantiles(values: &[f64], ps: &[f64], seed: u64, resamples: usize) -> Vec<Interval> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let points: Vec<f64> = ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect();
    let n = values.len();
    if n < 2 {
        return points
            .into_iter()
            .map(|p| Interval::degenerate(p, CONFIDENCE))
            .collect();
    }
    let mut rng = Rng::new(seed);
    let mut draw = vec![0.0; n];
    let mut replicates: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); ps.len()];
    for _ in 0..resamples {
        for d in draw.iter_mut() {
            *d = values[rng.below(n)];
        }
        draw.sort_unstable_by(f64::total_cmp);
        for (r, &p) in replicates.iter_mut().zip(ps) {
            r.push(quantile_sorted(&draw, p));
        }
    }
    replicates
        .into_iter()
        .zip(points)
        .map(|(r, p)| percentile_interval(r, p, CONFIDENCE))
        .collect()
}

/// The measurement-only intervals for this one question set (`*_fixed_set`): samples
/// that answered the same questions (the same `first_question`) are resampled among
/// themselves, so the interval holds the measurement's variation and a stochastic
/// subject's repeat-to-repeat variation, not the questions'. A part of the set answered
/// by a single sample contributes no spread; when every part has one sample the
/// interval is the point (`degenerate`): a second pass is needed.
pub(crate) fn fixed_set_estimates(
    samples: &[Sample],
    provenance: Provenance,
    seed: u64,
) -> BTreeMap<String, Estimate> {
    let mut out = BTreeMap::new();
    let valid: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.valid && s.energy_total_j.is_some() && s.correct.is_some())
        .collect();
    if valid.is_empty() {
        return out;
    }
    let mut parts: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, s) in valid.iter().enumerate() {
        parts
            .entry(s.first_question.unwrap_or(0))
            .or_default()
            .push(i);
    }
    let strata: Vec<Vec<usize>> = parts.into_values().collect();
    let energy: Vec<f64> = valid
        .iter()
        .map(|s| s.energy_total_j.unwrap_or(0.0))
        .collect();
    let credit: Vec<f64> = valid.iter().map(|s| s.correct.unwrap_or(0.0)).collect();
    let judged: Vec<f64> = valid
        .iter()
        .map(|s| s.correct.unwrap_or(0.0) + s.incorrect.unwrap_or(0.0))
        .collect();
    let iters: Vec<f64> = valid.iter().map(|s| s.iters as f64).collect();
    let window: Vec<f64> = valid.iter().map(|s| s.window_s).collect();
    let sum = |v: &[f64], idx: &[usize]| idx.iter().map(|&i| v[i]).sum::<f64>();
    let acc = |idx: &[usize]| sum(&credit, idx) / sum(&judged, idx);
    let jpq = |idx: &[usize]| sum(&energy, idx) / sum(&iters, idx);
    // Every answer of a sample shares the sample's mean power.
    let mean_power = |idx: &[usize]| {
        idx.iter()
            .map(|&i| energy[i] / window[i] * iters[i])
            .sum::<f64>()
            / sum(&iters, idx)
    };
    let metrics: [(Metric, Statistic); 5] = [
        (Metric::AccuracyFixedSet, Box::new(acc)),
        (
            Metric::JoulesPerCorrectFixedSet,
            Box::new(|idx: &[usize]| sum(&energy, idx) / sum(&credit, idx)),
        ),
        (Metric::JoulesPerQueryFixedSet, Box::new(jpq)),
        (
            Metric::IpwFixedSet,
            Box::new(move |idx: &[usize]| acc(idx) / mean_power(idx)),
        ),
        (
            Metric::IpjFixedSet,
            Box::new(move |idx: &[usize]| acc(idx) / jpq(idx)),
        ),
    ];
    let all: Vec<usize> = (0..valid.len()).collect();
    for (k, (metric, f)) in metrics.iter().enumerate() {
        let point = f(&all);
        if !point.is_finite() {
            continue;
        }
        let i = bootstrap_stratified(&strata, seed ^ (0x70 + k as u64), point, f);
        let mut e = estimate(i, *metric, provenance);
        e.resampled = Some(SAMPLES_WITHIN_PARTS.to_string());
        out.insert(metric.key().to_string(), e);
    }
    out
}

/// Percentile bootstrap that resamples each stratum within itself (sizes kept).
fn bootstrap_stratified(
    strata: &[Vec<usize>],
    seed: u64,
    point: f64,
    statistic: &dyn Fn(&[usize]) -> f64,
) -> Interval {
    if strata.iter().all(|s| s.len() < 2) {
        return Interval::degenerate(point, CONFIDENCE);
    }
    let mut rng = Rng::new(seed);
    let n: usize = strata.iter().map(Vec::len).sum();
    let mut idx = Vec::with_capacity(n);
    let replicates = (0..RESAMPLES)
        .map(|_| {
            idx.clear();
            for s in strata {
                for _ in 0..s.len() {
                    idx.push(s[rng.below(s.len())]);
                }
            }
            statistic(&idx)
        })
        .collect();
    percentile_interval(replicates, point, CONFIDENCE)
}

/// The estimates of a query case that the question-level ones replace.
const QUERY_METRICS: [Metric; 6] = [
    Metric::Accuracy,
    Metric::JoulesPerCorrect,
    Metric::JoulesPerQuery,
    Metric::Ipw,
    Metric::Ipj,
    Metric::QueriesPerSecond,
];

/// Every estimate of a case: those over samples; for a query case with its question set,
/// the query metrics over questions instead, and the ones over samples kept as the
/// fixed-set estimates. The bench binary and a re-analysis of a results file both come
/// here, so that one gives the other's numbers byte for byte.
pub fn case_estimates(
    samples: &[Sample],
    questions: Option<&QuestionSet>,
    idle_w: Option<f64>,
    provenance: Provenance,
    seed: u64,
) -> BTreeMap<String, Estimate> {
    let mut out = estimates(samples, idle_w, provenance, seed);
    if let Some(set) = questions {
        // The unit of evidence of a query case is the question: its intervals resample
        // questions, and the intervals over samples are kept as the fixed-set ones.
        for metric in QUERY_METRICS {
            out.remove(metric.key());
        }
        out.extend(question_estimates(set, provenance, seed));
        out.extend(fixed_set_estimates(samples, provenance, seed));
    }
    let groups = by_process(samples);
    if groups.len() >= 2 {
        // The estimates over samples become estimates over processes; those over
        // questions stay (the question set is the same in every process).
        let per_process: Vec<BTreeMap<String, Estimate>> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let s = seed ^ ((i as u64 + 1) << 40);
                let mut m = estimates(g, idle_w, provenance, s);
                if questions.is_some() {
                    m.extend(fixed_set_estimates(g, provenance, s));
                }
                m.retain(|k, _| !out.get(k).is_some_and(is_over_questions));
                m
            })
            .collect();
        over_processes(&mut out, &per_process);
    }
    out
}

fn is_over_questions(e: &Estimate) -> bool {
    e.resampled.as_deref() == Some(QUESTIONS)
}

/// What accuracy difference a question set can detect in a paired comparison, against a
/// subject of the same accuracy whose mistakes are independent of this one's.
pub fn sizing(set: &QuestionSet) -> Option<Sizing> {
    let (credit, judged) = set
        .per_question
        .iter()
        .filter(|q| q.correct + q.incorrect > 0.0)
        .fold((0.0, 0usize), |(c, n), q| {
            (c + q.correct / (q.correct + q.incorrect), n + 1)
        });
    if judged == 0 {
        return None;
    }
    let p = credit / judged as f64;
    let discordance = 2.0 * p * (1.0 - p);
    Some(Sizing {
        questions: judged as u64,
        power: POWER,
        assumed_discordance: discordance,
        minimum_detectable_difference: detectable(judged as f64, discordance),
    })
}

#[cfg(test)]
#[path = "questions_tests.rs"]
pub(crate) mod tests;
