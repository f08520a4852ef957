//! Tests of the group comparisons.

use super::*;
use crate::measure::sensor::Provenance;

use crate::results::example::synthetic_case as case;

#[test]
fn ten_percent_less_energy_is_told_apart() {
    let a = case("g/f32", 1.0, 30, 1, None);
    let b = case("g/f16", 0.9, 30, 2, None);
    let c = compare_group("g", &[&a, &b], DEFAULT_ENERGY_NOISE, 7);
    assert_eq!(c.len(), 1);
    let p = &c[0].pairwise[0];
    assert_eq!(p.verdict, PairVerdict::Lower);
    assert!(
        p.ratio.ci_low < 0.9 + 0.03 && p.ratio.ci_high > 0.9 - 0.03,
        "{:?}",
        p.ratio
    );
    assert!(p.hedges_g.unwrap() < -2.0);
    assert!(
        c[0].verdicts[0].starts_with("f16 vs f32: "),
        "{:?}",
        c[0].verdicts
    );
    assert!(
        c[0].verdicts[0].contains("fewer J/iter"),
        "{:?}",
        c[0].verdicts
    );
}

#[test]
fn identical_variants_get_no_false_verdict_across_seeds() {
    for seed in 0..100 {
        let a = case("g/a", 1.0, 20, seed * 2, None);
        let b = case("g/b", 1.0, 20, seed * 2 + 1, None);
        let c = compare_group("g", &[&a, &b], DEFAULT_ENERGY_NOISE, seed);
        assert_eq!(
            c[0].pairwise[0].verdict,
            PairVerdict::NoDifference,
            "seed {seed}"
        );
    }
}

#[test]
fn three_variants_get_anova_and_post_hoc() {
    let a = case("g/a", 1.0, 15, 1, Some(0.9));
    let b = case("g/b", 1.0, 15, 2, Some(0.9));
    let c = case("g/c", 0.8, 15, 3, Some(0.5));
    let cmp = compare_group("g", &[&a, &b, &c], DEFAULT_ENERGY_NOISE, 3);
    let e = &cmp[0];
    assert!(matches!(
        e.omnibus.as_ref().unwrap().test,
        Test::Anova | Test::WelchAnova
    ));
    assert!(e.omnibus.as_ref().unwrap().p_value < 1e-6);
    assert_eq!(e.pairwise.len(), 3);
    assert!(matches!(
        e.post_hoc,
        Correction::Tukey | Correction::GamesHowell
    ));
    assert_eq!(e.pairwise[0].verdict, PairVerdict::NoDifference);
    assert_eq!(e.pairwise[1].verdict, PairVerdict::Lower);
    assert_eq!(
        e.accuracy.as_ref().unwrap().verdict,
        AccuracyVerdict::Differs
    );
    assert!(e.power.as_ref().unwrap().minimum_detectable_d > 0.5);
}

#[test]
fn joules_per_correct_uses_the_ratio_bootstrap() {
    // Same energy, accuracy 0.9 vs 0.6: b needs 50% more joules per correct answer.
    let a = case("g/a", 1.0, 20, 1, Some(0.9));
    let mut b = case("g/b", 1.0, 20, 2, Some(0.6));
    b.estimates.insert("joules_per_correct".into(), dummy());
    let mut a2 = a.clone();
    a2.estimates.insert("joules_per_correct".into(), dummy());
    let cmp = compare_group("g", &[&a2, &b], DEFAULT_ENERGY_NOISE, 5);
    let j = cmp
        .iter()
        .find(|c| c.metric == Metric::JoulesPerCorrect)
        .unwrap();
    let p = &j.pairwise[0];
    assert!((p.ratio.point - 1.5).abs() < 0.05, "{:?}", p.ratio);
    assert_eq!(p.verdict, PairVerdict::Higher);
    assert!(j.verdicts[0].contains("more J/correct"), "{:?}", j.verdicts);
}

#[test]
fn factorial_variants_get_a_two_way_table() {
    let mut cases = Vec::new();
    for (i, (p, b, m)) in [
        ("f32", "8", 1.0),
        ("f32", "32", 0.8),
        ("f16", "8", 0.9),
        ("f16", "32", 0.7),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = case(&format!("g/precision={p},batch={b}"), m, 10, i as u64, None);
        c.variant = Some(format!("precision={p},batch={b}"));
        cases.push(c);
    }
    let refs: Vec<&CaseResult> = cases.iter().collect();
    let cmp = compare_group("g", &refs, DEFAULT_ENERGY_NOISE, 1);
    let f = cmp[0].factorial.as_ref().expect("two-way table");
    let sources: Vec<&str> = f.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        sources,
        ["precision", "batch", "precision:batch", "Residual"]
    );
    assert!(f[0].p_value.unwrap() < 1e-6 && f[1].p_value.unwrap() < 1e-6);
}

fn dummy() -> crate::analysis::record::Estimate {
    crate::analysis::record::Estimate {
        point: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        confidence: 0.95,
        method: "percentile".into(),
        unit: "J".into(),
        provenance: Provenance::Synthetic,
        resampled: None,
    }
}
