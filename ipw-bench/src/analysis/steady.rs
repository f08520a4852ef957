//! Steady state and drift in a case's series of samples, as quality warnings.
//!
//! Each process's samples are taken in the order they were measured, as time per
//! iteration relative to that process's mean (so a process effect is no trend). Two
//! questions, after Georges et al. (2007) and Barrett et al. (2017), who found that many
//! benchmarks never settle:
//! - `not-steady`: the first fifth of each process's samples (at least 3) differ from the
//!   rest by 2% or more (Welch's t, p < 0.01), and the rest shows no trend: warm-up ended
//!   before the case reached its steady state.
//! - `drift`: time per iteration trends with sample order over the case (Spearman's rank
//!   correlation, p < 0.01) and moves by 1% or more from its first quarter to its last:
//!   the machine's state changed while the case ran.
//!
//! A trend that only the first samples make is reported as `not-steady`, not as both.

use crate::analysis::record::QualityWarning;
use crate::attribution::record::Sample;
use crate::stats::descriptive::mean;
use crate::stats::spearman::spearman;
use crate::stats::ttest::welch_t_test;
use std::collections::BTreeMap;

/// Significance level of both checks.
pub const SERIES_P: f64 = 0.01;
/// Smallest relative difference of the first samples that counts as not steady.
pub const WARM_UP_SHIFT: f64 = 0.02;
/// Smallest relative change from the first quarter to the last that counts as drift.
pub const DRIFT_CHANGE: f64 = 0.01;
/// Fewest samples in a process for its first ones to be judged.
pub const MIN_SAMPLES: usize = 10;

/// One process's series: `(position, value relative to the process mean)`.
type Series = Vec<(f64, f64)>;

/// Each process's time per iteration in measured order, relative to its mean.
fn series(samples: &[Sample]) -> Vec<Series> {
    let mut by: BTreeMap<u32, Vec<&Sample>> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.iters > 0) {
        by.entry(s.process.unwrap_or(0)).or_default().push(s);
    }
    by.into_values()
        .filter_map(|mut g| {
            g.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
            let v: Vec<f64> = g.iter().map(|s| s.elapsed_s / s.iters as f64).collect();
            let m = mean(&v);
            (m > 0.0 && m.is_finite()).then(|| {
                v.iter()
                    .enumerate()
                    .map(|(i, x)| (i as f64, x / m - 1.0))
                    .collect()
            })
        })
        .collect()
}

/// The `not-steady` and `drift` warnings of a case's samples.
pub fn series_warnings(samples: &[Sample]) -> Vec<QualityWarning> {
    let all = series(samples);
    let mut out = Vec::new();
    let warm = warm_up_shift(&all);
    let rest: Vec<Series> = all
        .iter()
        .map(|s| s[first_window(s.len()).min(s.len())..].to_vec())
        .collect();
    let rest_drifts = warm.is_some() && trend(&rest).is_some();
    if let (Some((shift, p, w)), false) = (warm, rest_drifts) {
        out.push(QualityWarning {
            code: "not-steady".to_string(),
            message: format!(
                "the first {w} samples of each process are {:.1}% {} than the rest (Welch t, \
                 p = {p:.1e}): warm-up ended before the case reached its steady state; \
                 raise --warm-up-time",
                100.0 * shift.abs(),
                if shift > 0.0 { "slower" } else { "faster" }
            ),
        });
    } else if let Some((change, rho, p)) = trend(&all) {
        out.push(QualityWarning {
            code: "drift".to_string(),
            message: format!(
                "time per iteration {} {:.1}% from the first quarter of the samples to the \
                 last (Spearman rho {rho:.2}, p = {p:.1e}): the machine's state changed \
                 while the case ran (heat, frequency, a background job) or the routine \
                 accumulates state; run on a quiet machine with a fixed CPU frequency, or \
                 reset the routine's state in each iteration",
                if change > 0.0 { "rose" } else { "fell" },
                100.0 * change.abs()
            ),
        });
    }
    out
}

/// Samples at the start of a process of `n` that the warm-up check looks at.
fn first_window(n: usize) -> usize {
    (n / 5).max(3)
}

/// `(relative shift, p, window)` when the first samples of the processes long enough to
/// judge differ from the rest by [`WARM_UP_SHIFT`] or more at [`SERIES_P`].
fn warm_up_shift(all: &[Series]) -> Option<(f64, f64, usize)> {
    let judged: Vec<&Series> = all.iter().filter(|s| s.len() >= MIN_SAMPLES).collect();
    let w = judged.iter().map(|s| first_window(s.len())).min()?;
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for s in judged {
        let k = first_window(s.len());
        first.extend(s[..k].iter().map(|p| p.1));
        rest.extend(s[k..].iter().map(|p| p.1));
    }
    let t = welch_t_test(&first, &rest, 0.95).ok()?;
    let shift = t.mean_difference / (1.0 + mean(&rest));
    (t.p_value < SERIES_P && shift.abs() >= WARM_UP_SHIFT).then_some((shift, t.p_value, w))
}

/// `(change from the first quarter to the last, rho, p)` when the pooled series trends at
/// [`SERIES_P`] and moves by [`DRIFT_CHANGE`] or more.
fn trend(all: &[Series]) -> Option<(f64, f64, f64)> {
    let (x, y): (Vec<f64>, Vec<f64>) = all.iter().flatten().copied().unzip();
    if x.len() < MIN_SAMPLES {
        return None;
    }
    let s = spearman(&x, &y)?;
    let quarter = |from: f64, to: f64| {
        let v: Vec<f64> = all
            .iter()
            .flat_map(|s| {
                let n = s.len() as f64;
                s.iter()
                    .enumerate()
                    .filter(move |(i, _)| *i as f64 >= from * n && (*i as f64) < to * n)
                    .map(|(_, p)| p.1)
            })
            .collect();
        (!v.is_empty()).then(|| mean(&v))
    };
    let (a, b) = (quarter(0.0, 0.25)?, quarter(0.75, 1.0)?);
    let change = (b - a) / (1.0 + a);
    (s.p_value < SERIES_P && change.abs() >= DRIFT_CHANGE).then_some((change, s.rho, s.p_value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Rng;

    /// `k` processes of `n` samples: time per iteration `base_k * f(i) * (1 + 1% noise)`,
    /// base 1 µs times 1 + 5% per process.
    fn samples(k: u32, n: usize, seed: u64, f: impl Fn(usize) -> f64) -> Vec<Sample> {
        let mut rng = Rng::new(seed);
        let mut out = Vec::new();
        for p in 0..k {
            for i in 0..n {
                let z = (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
                let t = 1e-6 * (1.0 + 0.05 * f64::from(p)) * f(i) * (1.0 + 0.01 * z) * 1e3;
                out.push(Sample {
                    iters: 1_000,
                    elapsed_s: t,
                    start_s: i as f64,
                    window_s: t,
                    energy_j: BTreeMap::new(),
                    energy_total_j: Some(t),
                    method: "counter-difference".into(),
                    valid: true,
                    flags: vec![],
                    correct: None,
                    incorrect: None,
                    unjudged: None,
                    delay_s: None,
                    energy_windows: 1,
                    first_question: None,
                    process: (k > 1).then_some(p),
                });
            }
        }
        out
    }

    fn codes(s: &[Sample]) -> Vec<String> {
        series_warnings(s).into_iter().map(|w| w.code).collect()
    }

    #[test]
    fn a_steady_series_has_no_warning() {
        for seed in 0..20 {
            assert!(
                codes(&samples(1, 30, seed, |_| 1.0)).is_empty(),
                "seed {seed}"
            );
            // Process effects are no trend.
            assert!(
                codes(&samples(4, 15, seed, |_| 1.0)).is_empty(),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn slow_first_samples_are_not_steady() {
        let s = samples(1, 30, 1, |i| if i < 6 { 1.10 } else { 1.0 });
        let w = series_warnings(&s);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].code, "not-steady");
        assert!(w[0].message.contains("first 6 samples"), "{}", w[0].message);
        assert!(w[0].message.contains("slower"), "{}", w[0].message);
        assert!(w[0].message.contains("--warm-up-time"), "{}", w[0].message);
        // In every one of 3 processes.
        let s = samples(3, 20, 2, |i| if i < 4 { 1.08 } else { 1.0 });
        assert_eq!(codes(&s), vec!["not-steady"]);
    }

    #[test]
    fn a_trend_is_drift() {
        let s = samples(1, 40, 3, |i| 1.0 + 0.002 * i as f64);
        let w = series_warnings(&s);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].code, "drift");
        assert!(w[0].message.contains("rose"), "{}", w[0].message);
        let s = samples(2, 30, 4, |i| 1.0 - 0.002 * i as f64);
        assert_eq!(codes(&s), vec!["drift"]);
        // Significant but below 1% over the case: no warning.
        let s = samples(1, 2000, 5, |i| 1.0 + 2e-6 * i as f64);
        assert!(codes(&s).is_empty());
        // Too few samples to judge.
        assert!(codes(&samples(1, 6, 6, |i| 1.0 + 0.05 * i as f64)).is_empty());
    }
}
