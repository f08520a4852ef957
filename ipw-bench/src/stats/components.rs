//! Variance components of a two-level design: samples nested in processes.
//!
//! The one-way random-effects model `x_ij = mu + a_i + e_ij`, `a_i ~ (0, s_b^2)` the
//! process effect and `e_ij ~ (0, s_w^2)` the sample noise, estimated by the method of
//! moments (the ANOVA estimator, Searle, Casella and McCulloch, "Variance Components",
//! 1992, ch. 3): `s_w^2 = MSW`, `s_b^2 = max(0, (MSB - MSW) / n0)` with
//! `n0 = (N - sum n_i^2 / N) / (k - 1)`, which is the common group size when the groups
//! are balanced. The intraclass correlation `s_b^2 / (s_b^2 + s_w^2)` is the share of the
//! variance that is between processes.

use serde::{Deserialize, Serialize};

/// The estimated components.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VarianceComponents {
    /// Processes (groups) with at least one sample.
    pub processes: usize,
    /// Between-process variance `s_b^2` (truncated at 0).
    pub between: f64,
    /// Within-process variance `s_w^2`.
    pub within: f64,
    /// `s_b^2 / (s_b^2 + s_w^2)`; 0 when both are 0.
    pub icc: f64,
}

/// The components of `groups` (one slice of values per process); `None` with fewer than
/// two processes or no replicate within any process (no within-process variance).
pub fn variance_components(groups: &[&[f64]]) -> Option<VarianceComponents> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = groups.len();
    let total: usize = groups.iter().map(|g| g.len()).sum();
    if k < 2 || total <= k {
        return None;
    }
    let means: Vec<f64> = groups
        .iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect();
    let grand = groups.iter().flat_map(|g| g.iter()).sum::<f64>() / total as f64;
    let ss_between: f64 = groups
        .iter()
        .zip(&means)
        .map(|(g, m)| g.len() as f64 * (m - grand).powi(2))
        .sum();
    let ss_within: f64 = groups
        .iter()
        .zip(&means)
        .map(|(g, m)| g.iter().map(|x| (x - m).powi(2)).sum::<f64>())
        .sum();
    let (kf, nf) = (k as f64, total as f64);
    let ms_between = ss_between / (kf - 1.0);
    let ms_within = ss_within / (nf - kf);
    let n0 = (nf - groups.iter().map(|g| (g.len() as f64).powi(2)).sum::<f64>() / nf) / (kf - 1.0);
    let between = ((ms_between - ms_within) / n0).max(0.0);
    let within = ms_within;
    let icc = if between + within > 0.0 {
        between / (between + within)
    } else {
        0.0
    };
    Some(VarianceComponents {
        processes: k,
        between,
        within,
        icc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Rng;

    #[test]
    fn a_balanced_example_by_hand() {
        // Means 2 and 5 about 3.5: MSB = 3 (2.25 + 2.25) / 1 = 13.5; MSW = 4 / 4 = 1;
        // n0 = 3; s_b^2 = 12.5 / 3.
        let c = variance_components(&[&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]]).unwrap();
        assert_eq!(c.processes, 2);
        assert!((c.within - 1.0).abs() < 1e-15);
        assert!((c.between - 12.5 / 3.0).abs() < 1e-14);
        assert!((c.icc - (12.5 / 3.0) / (12.5 / 3.0 + 1.0)).abs() < 1e-15);
        // Equal means: no between-process variance, truncated at zero.
        let c = variance_components(&[&[1.0, 3.0], &[1.5, 2.5]]).unwrap();
        assert_eq!(c.between, 0.0);
        assert_eq!(c.icc, 0.0);
        assert!(variance_components(&[&[1.0, 2.0]]).is_none());
        assert!(variance_components(&[&[1.0], &[2.0]]).is_none());
    }

    #[test]
    fn recovers_known_components_on_average() {
        // 8 processes of 30 samples; s_b = 2, s_w = 1: ICC 0.8. Unbalanced by one sample.
        let mut rng = Rng::new(9);
        let normal = |rng: &mut Rng| (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
        let (mut b, mut w) = (0.0, 0.0);
        const TRIALS: usize = 400;
        for _ in 0..TRIALS {
            let groups: Vec<Vec<f64>> = (0..8)
                .map(|i| {
                    let a = 2.0 * normal(&mut rng);
                    (0..30 + i % 2)
                        .map(|_| 10.0 + a + normal(&mut rng))
                        .collect()
                })
                .collect();
            let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
            let c = variance_components(&slices).unwrap();
            b += c.between;
            w += c.within;
        }
        let (b, w) = (b / TRIALS as f64, w / TRIALS as f64);
        assert!((b - 4.0).abs() < 0.3, "between {b}");
        assert!((w - 1.0).abs() < 0.02, "within {w}");
    }
}
