//! Tests of McNemar's test and its sizing.

use super::*;

fn test(b: u64, c: u64, choice: McNemarChoice) -> McNemar {
    mcnemar(&PairedTable::new(7, b, c, 3), choice)
}

#[test]
fn mid_p_is_the_exact_p_less_the_observed_table() {
    // n = 12, k = 2: P(X <= 2) = (1 + 12 + 66) / 4096, P(X = 2) = 66 / 4096.
    let t = test(2, 10, McNemarChoice::MidP);
    assert_eq!(t.method, McNemarMethod::MidP);
    assert_eq!(t.statistic, 2.0);
    assert!((t.p_value - 92.0 / 4096.0).abs() < 1e-15, "{}", t.p_value);
    let exact = test(10, 2, McNemarChoice::Exact);
    assert!((exact.p_value - 158.0 / 4096.0).abs() < 1e-15);
    // b = 0: 2^-n on each side, less the table's 2^-n.
    assert!((test(0, 5, McNemarChoice::MidP).p_value - 1.0 / 32.0).abs() < 1e-15);
    // A tie is no evidence at all: exactly 1.
    assert_eq!(test(6, 6, McNemarChoice::MidP).p_value, 1.0);
    // Large tables: within the chi-square's neighbourhood, between it and the exact.
    let (b, c) = (4_800, 5_200);
    let mid = test(b, c, McNemarChoice::MidP).p_value;
    let ex = test(b, c, McNemarChoice::Exact).p_value;
    let chi = test(b, c, McNemarChoice::ChiSquare).p_value;
    assert!(
        mid < ex && (mid - chi).abs() < 3e-3 * chi,
        "{mid} {ex} {chi}"
    );
    // Above the summing limit the normal forms take over, continuously.
    let huge = 1u64 << 41;
    let h = test(huge - 3_000_000, huge + 3_000_000, McNemarChoice::MidP).p_value;
    let hc = test(huge - 3_000_000, huge + 3_000_000, McNemarChoice::ChiSquare).p_value;
    assert!((h - hc).abs() < 1e-6 * hc.max(1e-300), "{h} {hc}");
}

#[test]
fn exact_tail_by_hand() {
    // P(X <= 3), X ~ Bin(10, 1/2) = (1 + 10 + 45 + 120) / 1024.
    let p = binomial_half_cdf(3, 10);
    assert!((p / (176.0 / 1024.0) - 1.0).abs() < 1e-14, "{p:e}");
    let t = test(3, 7, McNemarChoice::Exact);
    assert_eq!(t.statistic, 3.0);
    assert!((t.p_value / (352.0 / 1024.0) - 1.0).abs() < 1e-14);
    assert_eq!(
        test(0, 1000, McNemarChoice::Exact).p_value,
        2.0 * 0.5f64.powi(1000)
    );
    // b = c: the doubled tail passes 1 and is capped.
    assert_eq!(test(6, 6, McNemarChoice::Exact).p_value, 1.0);
}

#[test]
fn binomial_tail_adds_up() {
    // 2 P(X <= n/2 - 1) + P(X = n/2) = 1 for even n, odd n: 2 P(X <= (n-1)/2) = 1.
    for n in [2u64, 16, 17, 30, 31, 1000, 1_000_001, 1_000_000] {
        let k = n / 2;
        let total = if n % 2 == 0 {
            2.0 * binomial_half_cdf(k - 1, n as u128)
                + ln_binomial_half_pmf(k as f64, n as f64).exp()
        } else {
            2.0 * binomial_half_cdf(k, n as u128)
        };
        assert!((total - 1.0).abs() < 1e-13, "{n}: {total}");
    }
}

#[test]
fn normal_tail_takes_over_smoothly() {
    // At the limit, the summed tail and the continuity-corrected normal tail at the
    // same k agree to within the normal's O(1/n) error, 0.03 / 2^40 < 3e-14.
    let n = SUM_LIMIT;
    let (nf, sd) = (n as f64, (n as f64).sqrt() / 2.0);
    for z in [-0.5, -2.0, -4.0] {
        let k = (nf / 2.0 + z * sd).floor() as u64;
        let summed = binomial_half_cdf(k, n);
        let normal = normal_cdf((k as f64 + 0.5 - nf / 2.0) / sd);
        assert!(
            (summed - normal).abs() < 5e-14,
            "z {z}: {summed} vs {normal}"
        );
        // Just above the limit (normal tail), the same k a hair further out.
        let above = binomial_half_cdf(k, n + 2);
        assert!(above < summed && summed - above < 1e-6, "z {z}: {above}");
    }
}

#[test]
fn no_discordant_pairs() {
    for choice in [
        McNemarChoice::Auto,
        McNemarChoice::Exact,
        McNemarChoice::ChiSquare,
        McNemarChoice::ChiSquareCorrected,
    ] {
        let t = test(0, 0, choice);
        assert_eq!((t.statistic, t.p_value), (0.0, 1.0), "{choice:?}");
    }
    let none = mcnemar(&PairedTable::default(), McNemarChoice::Auto);
    assert_eq!(none.p_value, 1.0);
}

#[test]
fn auto_switches_at_25_discordant_pairs() {
    assert_eq!(
        test(10, 14, McNemarChoice::Auto).method,
        McNemarMethod::Exact
    );
    let t = test(10, 15, McNemarChoice::Auto);
    assert_eq!(t.method, McNemarMethod::ChiSquareCorrected);
    assert_eq!(t.statistic, 16.0 / 25.0);
    assert_eq!((t.first_only, t.second_only), (10, 15));
}

#[test]
fn chi_square_by_hand() {
    let t = test(5, 15, McNemarChoice::ChiSquare);
    assert_eq!(t.statistic, 5.0);
    // P(chi2_1 > 5) = erfc(sqrt(2.5)) = 0.025347318677468264 (mpmath).
    assert!(
        (t.p_value / 0.025_347_318_677_468_264 - 1.0).abs() < 1e-13,
        "{:e}",
        t.p_value
    );
    // Corrected, b = c: not floored at zero, as statsmodels and R.
    assert_eq!(
        test(4, 4, McNemarChoice::ChiSquareCorrected).statistic,
        0.125
    );
    assert_eq!(test(4, 5, McNemarChoice::ChiSquareCorrected).p_value, 1.0);
}

#[test]
fn huge_counts_do_not_overflow() {
    let max = mcnemar(
        &PairedTable::new(u64::MAX, u64::MAX, u64::MAX, u64::MAX),
        McNemarChoice::Auto,
    );
    assert_eq!(max.method, McNemarMethod::ChiSquareCorrected);
    assert!(max.p_value > 0.99 && max.p_value <= 1.0);
    let exact = mcnemar(
        &PairedTable::new(0, u64::MAX - 1, u64::MAX, 0),
        McNemarChoice::Exact,
    );
    assert!(exact.p_value > 0.99 && exact.p_value <= 1.0);
    let far = mcnemar(&PairedTable::new(0, 0, u64::MAX, 0), McNemarChoice::Exact);
    assert_eq!(far.p_value, 0.0);
}

#[test]
fn connor_by_hand() {
    // delta 0.1, p_d 0.2, alpha 0.05, power 0.8:
    // [1.959964 sqrt(0.2) + 0.841621 sqrt(0.19)]^2 / 0.01 = 154.6, so 155 questions.
    let s = mcnemar_sample_size(0.1, 0.2, 0.05, 0.8).unwrap();
    assert_eq!(s.questions, 155);
    assert!((s.exact - 154.6).abs() < 0.05, "{s:?}");
    let d = mcnemar_detectable_difference(s.exact, 0.2, 0.05, 0.8).unwrap();
    assert!((d - 0.1).abs() < 1e-12, "{d}");
    let p = mcnemar_power(s.exact, -0.1, 0.2, 0.05).unwrap();
    assert!((p - 0.8).abs() < 1e-12, "{p}");
}

#[test]
fn sizing_limits() {
    // 3 questions cannot detect anything at discordance 0.2.
    assert!(mcnemar_detectable_difference(3.0, 0.2, 0.05, 0.8).is_err());
    assert!(mcnemar_sample_size(0.3, 0.2, 0.05, 0.8).is_err());
    assert!(mcnemar_sample_size(0.0, 0.2, 0.05, 0.8).is_err());
    assert!(mcnemar_sample_size(0.1, 0.2, 0.05, 0.4).is_err());
    assert!(mcnemar_power(100.0, 0.1, 0.0, 0.05).is_err());
    assert!(unpaired_sample_size(0.5, 0.9, 0.05, 0.8).is_err());
    assert!(unpaired_detectable_difference(100.0, 1.0, 0.05, 0.8).is_err());
    // Every question won by the same variant: power is 0 or 1.
    assert_eq!(mcnemar_power(100.0, 1.0, 1.0, 0.05).unwrap(), 1.0);
    assert_eq!(mcnemar_power(2.0, 1.0, 1.0, 0.05).unwrap(), 0.0);
    // The largest detectable difference is the discordance itself.
    let fewest = mcnemar_sample_size(0.2, 0.2, 0.05, 0.8).unwrap().exact;
    let d = mcnemar_detectable_difference(fewest, 0.2, 0.05, 0.8).unwrap();
    assert!((d - 0.2).abs() < 1e-12);
}

#[test]
fn pairing_pays_when_errors_agree() {
    // Mean accuracy 0.7, delta 0.05: independent errors would give p_d = 0.42 + 0.00125.
    let unpaired = unpaired_sample_size(0.05, 0.7, 0.05, 0.8).unwrap();
    let independent = mcnemar_sample_size(0.05, 0.42125, 0.05, 0.8).unwrap();
    assert!((independent.exact / unpaired.exact - 1.0).abs() < 0.01);
    let correlated = mcnemar_sample_size(0.05, 0.15, 0.05, 0.8).unwrap();
    assert!(correlated.exact < 0.4 * unpaired.exact);
}
