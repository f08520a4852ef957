//! Planning a two-level experiment: how many processes and samples per process reach an
//! interval width in the least time (Kalibera and Jones, "Rigorous benchmarking in
//! reasonable time", ISMM 2013).
//!
//! With `P` processes of `n` samples each, the mean over processes has variance
//! `(s_b^2 + s_w^2 / n) / P` and costs `P (c_p + n c_s)` seconds, `c_p` the cost of a
//! process beyond its samples and `c_s` that of one sample. For a fixed variance the cost is
//! least at `n* = sqrt(c_p s_w^2 / (c_s s_b^2))`; the processes then follow from the target
//! half-width with Student's t over the `P` per-process means.

use crate::stats::dist::t_quantile;
use crate::stats::power::minimum_detectable_effect;

/// The most samples per process a plan asks for (also the answer when no variance is
/// between processes).
pub const MAX_SAMPLES: u64 = 1_000;
/// The most processes a plan asks for; beyond this a target counts as unreachable.
pub const MAX_PROCESSES: u64 = 1_000;

/// What is known of one metric: its variance components and its costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Design {
    /// The metric's mean (for relative widths).
    pub mean: f64,
    /// Between-process variance `s_b^2`.
    pub between: f64,
    /// Within-process variance `s_w^2`.
    pub within: f64,
    /// Seconds a process costs beyond its samples.
    pub process_cost_s: f64,
    /// Seconds one sample costs.
    pub sample_cost_s: f64,
}

impl Design {
    /// Variance of one process's mean of `n` samples.
    pub fn process_mean_variance(&self, n: u64) -> f64 {
        self.between + self.within / n.max(1) as f64
    }
}

/// Kalibera and Jones' optimal samples per process, rounded and kept within
/// `2..=MAX_SAMPLES` (two, so each process still has a within-process variance);
/// `MAX_SAMPLES` when nothing varies between processes or a sample costs nothing.
pub fn optimal_samples(d: &Design) -> u64 {
    let x = (d.process_cost_s * d.within / (d.sample_cost_s * d.between)).sqrt();
    if !x.is_finite() {
        return MAX_SAMPLES;
    }
    (x.round() as u64).clamp(2, MAX_SAMPLES)
}

/// The fewest processes (at least 2) of `n` samples each whose `confidence` interval
/// over processes has a half-width of at most `target` times the mean; `None` when no
/// number up to [`MAX_PROCESSES`] does, or the inputs are not finite.
pub fn processes_for(d: &Design, n: u64, target: f64, confidence: f64) -> Option<u64> {
    let v = d.process_mean_variance(n);
    let width = target * d.mean.abs();
    if !(v.is_finite() && width.is_finite() && width > 0.0) {
        return None;
    }
    let p_quantile = 1.0 - (1.0 - confidence) / 2.0;
    let reaches = |p: u64| {
        let pf = p as f64;
        t_quantile(p_quantile, pf - 1.0) * (v / pf).sqrt() <= width
    };
    if !reaches(MAX_PROCESSES) {
        return None;
    }
    // The half-width falls as processes are added: bisect for the first that reaches.
    let (mut lo, mut hi) = (1, MAX_PROCESSES);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Seconds that `p` processes of `n` samples take.
pub fn plan_cost_s(d: &Design, p: u64, n: u64) -> f64 {
    p as f64 * (d.process_cost_s + n as f64 * d.sample_cost_s)
}

/// The smallest change, relative to the mean, that a two-sided t-test at `alpha` on the
/// per-process means of two runs of `p` processes of `n` samples detects with `power`.
pub fn detectable_change(d: &Design, p: u64, n: u64, alpha: f64, power: f64) -> Option<f64> {
    let effect = minimum_detectable_effect(p as f64, alpha, power).ok()?;
    let change = effect * d.process_mean_variance(n).sqrt() / d.mean.abs();
    change.is_finite().then_some(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s_b^2 = 1`, `s_w^2 = 4`, a process 10 s, a sample 0.1 s, mean 100.
    fn design() -> Design {
        Design {
            mean: 100.0,
            between: 1.0,
            within: 4.0,
            process_cost_s: 10.0,
            sample_cost_s: 0.1,
        }
    }

    #[test]
    fn the_optimum_by_hand() {
        // n* = sqrt(10 * 4 / (0.1 * 1)) = 20.
        let d = design();
        assert_eq!(optimal_samples(&d), 20);
        // Per-process mean variance 1 + 4/20 = 1.2; a 1% target is a half-width of 1:
        // 7 processes give t(0.975, 6) sqrt(1.2 / 7) = 1.01312 > 1, 8 give
        // t(0.975, 7) sqrt(1.2 / 8) = 0.91582 (SciPy 1.17 t.ppf).
        assert_eq!(processes_for(&d, 20, 0.01, 0.95), Some(8));
        assert!((plan_cost_s(&d, 8, 20) - 8.0 * 12.0).abs() < 1e-12);
        // Two runs of 8 processes: the noncentral-t power of 80% at alpha 0.05 needs
        // d = 1.5066342 SD of a process mean, sqrt(1.2): 1.65044% of the mean (SciPy
        // nct, brentq).
        let change = detectable_change(&d, 8, 20, 0.05, 0.8).unwrap();
        assert!((change - 0.016504351).abs() < 1e-6, "{change}");
    }

    #[test]
    fn bisection_finds_the_first_that_reaches() {
        for (between, n, target) in [(1.0, 20, 0.01), (0.3, 5, 0.02), (4.0, 2, 0.005)] {
            let d = Design {
                between,
                ..design()
            };
            let width = target * d.mean;
            let first = (2..=MAX_PROCESSES).find(|&p| {
                let pf = p as f64;
                t_quantile(0.975, pf - 1.0) * (d.process_mean_variance(n) / pf).sqrt() <= width
            });
            assert_eq!(
                processes_for(&d, n, target, 0.95),
                first,
                "{between} {n} {target}"
            );
        }
    }

    #[test]
    fn edges() {
        let mut d = design();
        d.between = 0.0;
        assert_eq!(optimal_samples(&d), MAX_SAMPLES);
        d.between = 1e6;
        assert_eq!(optimal_samples(&d), 2);
        // Two processes suffice; then a 0.001% target with a process SD of 10: more than
        // MAX_PROCESSES.
        assert_eq!(processes_for(&design(), 2, 0.5, 0.95), Some(2));
        d.between = 100.0;
        assert_eq!(processes_for(&d, 2, 1e-5, 0.95), None);
        assert_eq!(processes_for(&d, 2, f64::NAN, 0.95), None);
        d.mean = 0.0;
        assert_eq!(processes_for(&d, 2, 0.01, 0.95), None);
        assert_eq!(detectable_change(&d, 8, 20, 0.05, 0.8), None);
    }
}
