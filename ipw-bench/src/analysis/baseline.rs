//! A run against a saved baseline: per-metric change, interval, p-value and verdict.
//!
//! A baseline is a saved results file ([`crate::results::baselines`]). Each metric of a
//! case is compared old against new as a relative change `(new - old) / old` with a
//! seeded bootstrap interval (each run's samples resampled on their own), a p-value, and
//! a verdict that calls a change only when it is significant and its whole interval lies
//! beyond the noise threshold, as criterion does.
//!
//! | metric | per-sample values | p-value |
//! |---|---|---|
//! | `time_per_iter_s` | elapsed / iters | Welch's t |
//! | `energy_per_iter_j` | energy / iters (valid samples) | Welch's t |
//! | `joules_per_correct` | total energy / total credit | bootstrap, two-sided |
//! | `accuracy` | total correct / total judged | two-proportion z |
//!
//! Time is held to the time noise threshold; energy, joules per correct answer and
//! accuracy to the energy noise threshold. A metric is left out when either run lacks it,
//! has fewer than two samples of it, or the old value is zero (no relative change).

use crate::analysis::compare::ALPHA;
use crate::analysis::metric::{Better, Metric};
use crate::analysis::processes::{process_count, unit_values};
use crate::analysis::record::{BaselineComparison, CaseResult, Ci, MetricChange};
use crate::analysis::vocabulary::BaselineVerdict;
use crate::attribution::record::Sample;
use crate::stats::bootstrap::{
    bootstrap_p_value, percentile_interval_alpha, two_group_ratio_replicates,
};
use crate::stats::descriptive::mean;
use crate::stats::error::StatsError;
use crate::stats::rng::case_seed;
use crate::stats::{proportions, ttest};

/// Bootstrap resamples per metric.
const RESAMPLES: usize = 4_000;

/// Per-sample numerator and denominator of a metric: the metric is sum(num) / sum(den).
struct Columns {
    num: Vec<f64>,
    den: Vec<f64>,
}

impl Columns {
    fn ratio(&self) -> f64 {
        self.num.iter().sum::<f64>() / self.den.iter().sum::<f64>()
    }

    fn len(&self) -> usize {
        self.num.len()
    }

    /// The `(num, den)` pairs, for the bootstrap.
    fn pairs(&self) -> (&[f64], &[f64]) {
        (&self.num, &self.den)
    }

    fn means(values: Vec<f64>) -> Columns {
        Columns {
            den: vec![1.0; values.len()],
            num: values,
        }
    }
}

/// Energy and credit of the valid samples with energy, when the case judges answers.
fn joules_per_correct(samples: &[Sample]) -> Option<Columns> {
    if !samples.iter().any(|s| s.correct.is_some()) {
        return None;
    }
    let (num, den) = samples
        .iter()
        .filter(|s| s.valid)
        .filter_map(|s| s.energy_total_j.map(|e| (e, s.correct.unwrap_or(0.0))))
        .unzip();
    Some(Columns { num, den })
}

/// Credit and judged answers of every sample, when the case judges answers.
fn accuracy(samples: &[Sample]) -> Option<Columns> {
    if !samples.iter().any(|s| s.correct.is_some()) {
        return None;
    }
    let (num, den) = samples
        .iter()
        .map(|s| {
            let c = s.correct.unwrap_or(0.0);
            (c, c + s.incorrect.unwrap_or(0.0))
        })
        .unzip();
    Some(Columns { num, den })
}

/// Percentile bootstrap of new / old - 1, resampling each run on its own, with the
/// two-sided p-value of "no change" (twice the smaller share of resamples on one side).
fn change_ci(old: &Columns, new: &Columns, seed: u64) -> (Ci, f64) {
    let point = new.ratio() / old.ratio() - 1.0;
    // The interval is read off the changes themselves: the ratios' interval minus one
    // would round differently.
    let changes: Vec<f64> = two_group_ratio_replicates(old.pairs(), new.pairs(), RESAMPLES, seed)
        .into_iter()
        .map(|r| r - 1.0)
        .collect();
    if changes.len() < 2 {
        return (Ci::degenerate(point), 1.0);
    }
    let p = bootstrap_p_value(&changes, 0.0);
    (percentile_interval_alpha(changes, point, ALPHA).into(), p)
}

/// `improved` / `regressed` when significant and the whole interval lies beyond the
/// noise band; `within-noise` when significant but the interval reaches into the band.
fn verdict(change: &Ci, p: Option<f64>, noise: f64, better: Better) -> BaselineVerdict {
    if !p.is_some_and(|p| p < ALPHA) {
        return BaselineVerdict::NoChange;
    }
    let up = change.ci_low > noise;
    let down = change.ci_high < -noise;
    match (better, up, down) {
        (Better::Lower, _, true) | (Better::Higher, true, _) => BaselineVerdict::Improved,
        (Better::Lower, true, _) | (Better::Higher, _, true) => BaselineVerdict::Regressed,
        _ => BaselineVerdict::WithinNoise,
    }
}

fn metric_change(
    metric: Metric,
    old: &Columns,
    new: &Columns,
    p_value: Option<f64>,
    noise: f64,
    seed: u64,
) -> Option<MetricChange> {
    let (o, n) = (old.ratio(), new.ratio());
    if old.len() < 2 || new.len() < 2 || !o.is_finite() || !n.is_finite() || o == 0.0 {
        return None;
    }
    let (change, boot_p) = change_ci(old, new, seed);
    let p_value = p_value.or(Some(boot_p));
    Some(MetricChange {
        metric,
        old: o,
        new: n,
        verdict: verdict(&change, p_value, noise, metric.better()),
        change,
        p_value,
        noise_threshold: noise,
    })
}

/// A metric with per-sample values, tested with Welch's t.
fn per_sample_change(
    metric: Metric,
    new: &CaseResult,
    old: &CaseResult,
    noise: f64,
    seed: u64,
) -> Option<MetricChange> {
    // Both runs in two or more processes: the process is the unit (Welch on the
    // per-process means); otherwise the samples of one process stand for it.
    let by_processes = process_count(&old.samples) >= 2 && process_count(&new.samples) >= 2;
    let (o, n) = (
        unit_values(metric, &old.samples, by_processes),
        unit_values(metric, &new.samples, by_processes),
    );
    if o.len() < 2 || n.len() < 2 {
        return None;
    }
    let p = match ttest::welch_t_test(&n, &o, 1.0 - ALPHA) {
        Ok(t) => Some(t.p_value).filter(|p| p.is_finite()),
        // Constant samples in both runs (a deterministic source): the change is certain
        // when the values differ, and absent when they agree.
        Err(StatsError::ZeroVariance { .. }) => Some(if mean(&n) == mean(&o) { 1.0 } else { 0.0 }),
        Err(_) => None,
    };
    metric_change(
        metric,
        &Columns::means(o),
        &Columns::means(n),
        p,
        noise,
        seed,
    )
}

/// Compare one case with the same case in baseline `name`.
pub fn compare_case(
    new: &CaseResult,
    old: &CaseResult,
    name: &str,
    energy_noise: f64,
    time_noise: f64,
    seed: u64,
) -> BaselineComparison {
    let mut metrics = Vec::new();
    metrics.extend(per_sample_change(
        Metric::TimePerIter,
        new,
        old,
        time_noise,
        seed,
    ));
    metrics.extend(per_sample_change(
        Metric::EnergyPerIter,
        new,
        old,
        energy_noise,
        seed ^ 1,
    ));
    if let (Some(o), Some(n)) = (
        joules_per_correct(&old.samples),
        joules_per_correct(&new.samples),
    ) {
        metrics.extend(metric_change(
            Metric::JoulesPerCorrect,
            &o,
            &n,
            None,
            energy_noise,
            seed ^ 2,
        ));
    }
    if let (Some(o), Some(n)) = (accuracy(&old.samples), accuracy(&new.samples)) {
        let counts = |c: &Columns| {
            let x = c.num.iter().sum::<f64>().round();
            (x as u64, c.den.iter().sum::<f64>().round() as u64)
        };
        let ((x_old, n_old), (x_new, n_new)) = (counts(&o), counts(&n));
        // Every answer right (or wrong) in both runs: no spread, no evidence of a change.
        let p = proportions::two_proportion_z_test(x_new, n_new, x_old, n_old)
            .map(|t| t.p_value)
            .unwrap_or(1.0);
        metrics.extend(metric_change(
            Metric::Accuracy,
            &o,
            &n,
            Some(p),
            energy_noise,
            seed ^ 3,
        ));
    }
    BaselineComparison {
        name: name.to_string(),
        metrics,
    }
}

/// Fill `baseline` of every case of `new` found (by id) in `old`; returns one note per
/// case that the baseline does not have.
pub fn apply(
    new: &mut [CaseResult],
    old: &[CaseResult],
    name: &str,
    energy_noise: f64,
    time_noise: f64,
    seed: u64,
) -> Vec<String> {
    let mut notes = Vec::new();
    for case in new.iter_mut() {
        match old.iter().find(|c| c.id == case.id) {
            Some(prev) => {
                let s = case_seed(seed, &case.id);
                case.baseline = Some(compare_case(case, prev, name, energy_noise, time_noise, s));
            }
            None => notes.push(format!("{}: new case, not in baseline {name}", case.id)),
        }
    }
    notes
}

/// `(case id, metric)` of every metric whose verdict is `regressed`.
pub fn regressions(cases: &[CaseResult]) -> Vec<(String, String)> {
    cases
        .iter()
        .filter_map(|c| c.baseline.as_ref().map(|b| (c, b)))
        .flat_map(|(c, b)| {
            b.metrics
                .iter()
                .filter(|m| m.verdict == BaselineVerdict::Regressed)
                .map(|m| (c.id.clone(), m.metric.key().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::results::example::synthetic_case as case;

    fn metric<'a>(b: &'a BaselineComparison, name: &str) -> &'a MetricChange {
        b.metrics
            .iter()
            .find(|m| m.metric.key() == name)
            .unwrap_or_else(|| panic!("no {name} in {b:?}"))
    }

    fn compare(new: &CaseResult, old: &CaseResult, seed: u64) -> BaselineComparison {
        compare_case(new, old, "main", 0.02, 0.01, seed)
    }

    #[test]
    fn ten_percent_more_energy_is_a_regression() {
        let old = case("g", 1.0, 30, 1, None);
        let new = case("g", 1.1, 30, 2, None);
        let b = compare(&new, &old, 7);
        let e = metric(&b, "energy_per_iter_j");
        assert_eq!(e.verdict, BaselineVerdict::Regressed, "{e:?}");
        assert!(e.change.ci_low < 0.1 && e.change.ci_high > 0.1, "{e:?}");
        assert!(e.change.ci_low > 0.02, "{e:?}");
        assert!(e.p_value.unwrap() < 1e-6);
        assert_eq!(e.noise_threshold, 0.02);
        assert_eq!(metric(&b, "time_per_iter_s").noise_threshold, 0.01);
        // The other way round, the same difference is an improvement.
        let back = compare(&old, &new, 7);
        assert_eq!(
            metric(&back, "energy_per_iter_j").verdict,
            BaselineVerdict::Improved
        );
    }

    #[test]
    fn identical_runs_never_get_a_verdict_across_seeds() {
        for seed in 0..50 {
            let old = case("g", 1.0, 20, seed * 2, Some(0.8));
            let new = case("g", 1.0, 20, seed * 2 + 1, Some(0.8));
            let b = compare(&new, &old, seed);
            assert_eq!(b.metrics.len(), 4, "{b:?}");
            for m in &b.metrics {
                assert!(
                    matches!(
                        m.verdict,
                        BaselineVerdict::NoChange | BaselineVerdict::WithinNoise
                    ),
                    "seed {seed}: {m:?}"
                );
            }
            // The very same samples: nothing at all.
            let same = compare(&old, &old, seed);
            assert!(
                same.metrics
                    .iter()
                    .all(|m| m.verdict == BaselineVerdict::NoChange),
                "{same:?}"
            );
        }
    }

    #[test]
    fn constant_samples_still_get_a_verdict() {
        let flat = |e: f64| {
            let mut c = case("g", 1.0, 10, 1, None);
            for s in &mut c.samples {
                s.elapsed_s = 0.1;
                s.energy_total_j = Some(e);
            }
            c
        };
        let b = compare(&flat(110.0), &flat(100.0), 1);
        assert_eq!(
            metric(&b, "energy_per_iter_j").verdict,
            BaselineVerdict::Regressed,
            "{b:?}"
        );
        assert_eq!(
            metric(&b, "time_per_iter_s").verdict,
            BaselineVerdict::NoChange,
            "{b:?}"
        );
    }

    #[test]
    fn a_small_significant_change_is_within_noise() {
        // 1% more energy with little noise: significant, but inside the 2% band.
        let old = case("g", 1.0, 200, 1, None);
        let new = case("g", 1.01, 200, 2, None);
        let e = metric(&compare(&new, &old, 3), "energy_per_iter_j").clone();
        assert!(e.p_value.unwrap() < ALPHA, "{e:?}");
        assert_eq!(e.verdict, BaselineVerdict::WithinNoise, "{e:?}");
    }

    #[test]
    fn an_accuracy_drop_is_a_regression_and_costs_joules_per_correct() {
        let old = case("g", 1.0, 20, 1, Some(0.9));
        let new = case("g", 1.0, 20, 2, Some(0.6));
        let b = compare(&new, &old, 5);
        let a = metric(&b, "accuracy");
        assert_eq!(a.verdict, BaselineVerdict::Regressed, "{a:?}");
        assert!((a.old - 0.9).abs() < 1e-12 && (a.new - 0.6).abs() < 1e-12);
        assert!((a.change.point + 1.0 / 3.0).abs() < 1e-9, "{a:?}");
        let j = metric(&b, "joules_per_correct");
        assert_eq!(j.verdict, BaselineVerdict::Regressed, "{j:?}");
        assert!((j.change.point - 0.5).abs() < 0.05, "{j:?}");
        assert!(j.p_value.unwrap() < ALPHA);
    }

    #[test]
    fn cases_without_answers_have_no_accuracy_metrics() {
        let b = compare(
            &case("g", 1.0, 10, 1, None),
            &case("g", 1.0, 10, 2, None),
            1,
        );
        let names: Vec<&str> = b.metrics.iter().map(|m| m.metric.key()).collect();
        assert_eq!(names, ["time_per_iter_s", "energy_per_iter_j"]);
    }

    #[test]
    fn apply_notes_new_cases_and_regressions_lists_them() {
        let old = vec![case("g/a", 1.0, 20, 1, None)];
        let mut new = vec![case("g/a", 1.2, 20, 2, None), case("g/b", 1.0, 20, 3, None)];
        let notes = apply(&mut new, &old, "main", 0.02, 0.01, 9);
        assert_eq!(notes, ["g/b: new case, not in baseline main"]);
        assert_eq!(new[0].baseline.as_ref().unwrap().name, "main");
        assert!(new[1].baseline.is_none());
        assert_eq!(
            regressions(&new),
            [("g/a".to_string(), "energy_per_iter_j".to_string())]
        );
    }
}
