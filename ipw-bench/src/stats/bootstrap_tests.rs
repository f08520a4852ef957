use super::*;

#[test]
fn the_mean_of_values_near_the_top_of_f64_does_not_overflow() {
    let big = [1.5e308, 1.7e308, 1.6e308, 1.0e308];
    let i = bootstrap_mean(&big, 200, 0.9, 4);
    assert!((i.point - 1.45e308).abs() < 1e293, "{i:?}");
    assert!(
        i.low.is_finite() && i.high.is_finite() && i.low <= i.point,
        "{i:?}"
    );
    assert!(i.low >= 1.0e308 && i.high <= 1.7e308, "{i:?}");
    // Scaled or not, the same data at ordinary sizes give the same interval to the bit.
    let small: Vec<f64> = big.iter().map(|v| v / 2f64.powi(1000)).collect();
    let j = bootstrap_mean(&small, 200, 0.9, 4);
    assert_eq!(j.low * 2f64.powi(1000), i.low);
    assert_eq!(j.point * 2f64.powi(1000), i.point);
}

#[test]
fn same_seed_same_interval() {
    let data: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin()).collect();
    let a = bootstrap_mean(&data, 2000, 0.95, 9);
    let b = bootstrap_mean(&data, 2000, 0.95, 9);
    assert_eq!(a, b);
    assert!(a.low < a.point && a.point < a.high);
}

#[test]
fn ratio_of_sums_not_mean_of_ratios() {
    let num = [1.0, 1.0, 10.0];
    let den = [1.0, 2.0, 10.0];
    let r = bootstrap_ratio(&num, &den, 500, 0.95, 1);
    assert!((r.point - 12.0 / 13.0).abs() < 1e-12);
}

#[test]
fn bca_is_deterministic_and_covers_the_mean() {
    let data: Vec<f64> = (0..40)
        .map(|i| ((i * 7) % 13) as f64 + 0.1 * i as f64)
        .collect();
    let a = bootstrap_mean_bca(&data, 2000, 0.95, 3);
    assert_eq!(a, bootstrap_mean_bca(&data, 2000, 0.95, 3));
    assert_eq!(a.method, CiMethod::Bca);
    assert!(a.low < a.point && a.point < a.high);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let general = bootstrap_bca(&data, mean, 2000, 0.95, 3);
    assert!((general.low - a.low).abs() < 1e-12 && (general.high - a.high).abs() < 1e-12);
}

#[test]
fn bca_with_all_replicates_on_one_side_falls_back_to_percentile() {
    let i = bca_interval(0.0, vec![1.0, 2.0, 3.0], &[0.0, 1.0], 0.9);
    assert_eq!(i.method, CiMethod::Percentile);
}

#[test]
fn skewed_data_shift_bca_right_of_percentile() {
    let data: Vec<f64> = (1..=30).map(|i| (i as f64 / 6.0).exp()).collect();
    let bca = bootstrap_mean_bca(&data, 4000, 0.95, 11);
    let pct = bootstrap_mean(&data, 4000, 0.95, 11);
    assert!(
        bca.high > pct.high && bca.low > pct.low,
        "{bca:?} vs {pct:?}"
    );
}

#[test]
fn quantile_matches_type7() {
    let v = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(quantile_sorted(&v, 0.5), 2.5);
    assert_eq!(quantile_sorted(&v, 0.0), 1.0);
    assert_eq!(quantile_sorted(&v, 1.0), 4.0);
}
