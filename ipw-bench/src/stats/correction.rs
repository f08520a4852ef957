//! Multiple-comparison corrections of p-values: Bonferroni and Holm.

/// Bonferroni: each p-value times the number of tests, capped at 1.
pub fn bonferroni(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len() as f64;
    p_values.iter().map(|p| (p * m).min(1.0)).collect()
}

/// Holm's step-down adjustment, in the input order: sorted ascending, the i-th smallest
/// (0-based) is multiplied by `m - i`, then a running maximum keeps the adjusted values
/// monotone, capped at 1. A NaN input stays NaN and does not count as a test.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = order.len();
    let mut adjusted = vec![f64::NAN; p_values.len()];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max((p_values[i] * (m - rank) as f64).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_by_hand() {
        let adj = holm(&[0.01, 0.04, 0.03, 0.5]);
        let want = [0.04, 0.09, 0.09, 0.5];
        for (a, w) in adj.iter().zip(want) {
            assert!((a - w).abs() < 1e-15, "{adj:?}");
        }
        assert_eq!(bonferroni(&[0.01, 0.3]), vec![0.02, 0.6]);
        assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
        let nan = holm(&[f64::NAN, 0.2]);
        assert!(nan[0].is_nan() && nan[1] == 0.2);
    }
}
