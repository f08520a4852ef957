//! Tests of the analysis estimates.

use super::*;

fn sample(iters: u64, secs: f64, joules: f64, correct: Option<(f64, f64)>) -> Sample {
    Sample {
        iters,
        elapsed_s: secs,
        start_s: 0.0,
        window_s: secs,
        energy_j: BTreeMap::new(),
        energy_total_j: Some(joules),
        method: "counter-difference".into(),
        valid: true,
        flags: vec![],
        correct: correct.map(|c| c.0),
        incorrect: correct.map(|c| c.1),
        unjudged: correct.map(|_| 0),
        delay_s: None,
        energy_windows: 1,
        first_question: None,
        process: None,
    }
}

#[test]
fn constant_power_gives_exact_points() {
    let s: Vec<Sample> = (0..20)
        .map(|i| {
            let secs = 0.1 + i as f64 * 0.001;
            sample(1000, secs, 50.0 * secs, None)
        })
        .collect();
    let e = estimates(&s, Some(10.0), Provenance::Synthetic, 1);
    assert!((e["mean_power_w"].point - 50.0).abs() < 1e-9);
    assert!((e["mean_power_w"].ci_low - 50.0).abs() < 1e-9);
    let t = e["time_per_iter_s"].point;
    assert!((e["energy_per_iter_j"].point - 50.0 * t).abs() < 1e-12);
    assert!((e["energy_per_iter_net_j"].point - 40.0 * t).abs() < 1e-12);
    assert!(!e.contains_key("accuracy"));
}

#[test]
fn query_metrics_are_ratios_of_means() {
    // 10 queries per sample, 7 correct; 1 s at 20 W then 1 s at 40 W.
    let s = vec![
        sample(10, 1.0, 20.0, Some((7.0, 3.0))),
        sample(10, 1.0, 40.0, Some((7.0, 3.0))),
    ];
    let e = estimates(&s, None, Provenance::Measured, 3);
    assert_eq!(e["accuracy"].point, 0.7);
    assert!((e["joules_per_correct"].point - 60.0 / 14.0).abs() < 1e-12);
    assert!((e["joules_per_query"].point - 3.0).abs() < 1e-12);
    assert!((e["ipw"].point - 0.7 / 30.0).abs() < 1e-12);
    assert!((e["ipj"].point - 0.7 / 3.0).abs() < 1e-12);
    assert!((e["queries_per_s"].point - 10.0).abs() < 1e-12);
    let mut s = s;
    (s[1].iters, s[1].unjudged, s[1].valid) = (14, Some(4), false);
    let a = answers(&s).unwrap();
    assert_eq!(
        (a.queries, a.correct, a.incorrect, a.unjudged),
        (24, 14.0, 6.0, 4)
    );
    assert_eq!(answers(&[sample(5, 1.0, 1.0, None)]), None);
}

#[test]
fn same_seed_same_interval() {
    let s: Vec<Sample> = (0..30)
        .map(|i| sample(100, 0.1 + (i % 7) as f64 * 0.01, 5.0 + (i % 5) as f64, None))
        .collect();
    let a = estimates(&s, None, Provenance::Measured, 11);
    let b = estimates(&s, None, Provenance::Measured, 11);
    assert_eq!(a, b);
    let e = &a["energy_per_iter_j"];
    assert!(e.ci_low < e.point && e.point < e.ci_high);
}

/// Repeated seeded runs with a known per-query energy and success rate: the point
/// estimates sit on the analytic values on average and the intervals cover them in
/// about 95% of runs.
#[test]
fn intervals_cover_the_truth_about_95_percent_of_the_time() {
    const RUNS: usize = 300;
    let (joules_per_query, p_correct, watts) = (0.5, 0.8, 50.0);
    let truth_jpc = joules_per_query / p_correct;
    let truth_ipj = p_correct / joules_per_query;
    let truth_ipw = p_correct / watts;
    let mut rng = Rng::new(2024);
    let (mut covered_jpc, mut covered_acc, mut covered_ipj, mut covered_ipw) = (0, 0, 0, 0);
    for run in 0..RUNS {
        let samples: Vec<Sample> = (0..20)
            .map(|_| {
                let n = 50u64;
                let correct = (0..n).filter(|_| rng.next_f64() < p_correct).count() as f64;
                // Each query's energy varies by +-20% around the mean; power is constant,
                // so time follows energy.
                let energy: f64 = (0..n)
                    .map(|_| joules_per_query * (0.8 + 0.4 * rng.next_f64()))
                    .sum();
                let mut s = sample(
                    n,
                    energy / watts,
                    energy,
                    Some((correct, n as f64 - correct)),
                );
                s.window_s = energy / watts;
                s
            })
            .collect();
        let e = estimates(&samples, None, Provenance::Synthetic, run as u64);
        let inside = |k: &str, t: f64| e[k].ci_low <= t && t <= e[k].ci_high;
        covered_jpc += usize::from(inside("joules_per_correct", truth_jpc));
        covered_acc += usize::from(inside("accuracy", p_correct));
        covered_ipj += usize::from(inside("ipj", truth_ipj));
        covered_ipw += usize::from(inside("ipw", truth_ipw));
        assert!((e["mean_power_w"].point - watts).abs() < 1e-9);
    }
    for (what, c) in [
        ("J/correct", covered_jpc),
        ("accuracy", covered_acc),
        ("IPJ", covered_ipj),
        ("IPW", covered_ipw),
    ] {
        let rate = c as f64 / RUNS as f64;
        assert!((0.90..=0.99).contains(&rate), "{what}: coverage {rate}");
    }
}

#[test]
fn per_domain_energy_when_several_domains() {
    let s: Vec<Sample> = (0..5)
        .map(|i| {
            let mut x = sample(10, 1.0, 30.0 + i as f64, None);
            x.energy_j
                .insert("cpu-package".into(), Some(20.0 + i as f64));
            x.energy_j.insert("dram".into(), Some(10.0));
            x
        })
        .collect();
    let e = estimates(&s, None, Provenance::Measured, 1);
    assert_eq!(e["energy_per_iter_j@dram"].point, 1.0);
    assert!((e["energy_per_iter_j@cpu-package"].point - 2.2).abs() < 1e-12);
}

#[test]
fn latency_percentiles_come_from_the_histogram_within_its_precision() {
    let mut h = crate::measure::record::latency_histogram();
    for i in 1..=100u64 {
        h.record(i * 1_000_000).unwrap();
    }
    let l = latency(&h).unwrap();
    assert_eq!(l.count, 100);
    for (got, exact) in [(l.p50_s, 0.050), (l.p90_s, 0.090), (l.p99_s, 0.099)] {
        assert!(
            (got - exact).abs() / exact <= LATENCY_PRECISION,
            "{got} vs {exact}"
        );
    }
    assert!((l.mean_s - 0.0505).abs() / 0.0505 <= LATENCY_PRECISION);
    assert_eq!(latency(&crate::measure::record::latency_histogram()), None);
}

#[test]
fn processes_latencies_merge_as_one_histogram_of_every_answer() {
    use crate::measure::record::latency_histogram;
    let (mut a, mut b, mut all) = (
        latency_histogram(),
        latency_histogram(),
        latency_histogram(),
    );
    // Two processes, the second's answers slower and more numerous.
    for i in 1..=300u64 {
        let (h, ns) = if i % 3 == 0 {
            (&mut a, i * 1_000_003)
        } else {
            (&mut b, 2_000_000 + i * 7_919_111)
        };
        h.record(ns).unwrap();
        all.record(ns).unwrap();
    }
    let part = |h: &LatencyHistogram| {
        let mut l = latency(h).unwrap();
        l.buckets = latency_buckets(h);
        l
    };
    let merged = merged_latency(&[&part(&a), &part(&b)]).unwrap();
    assert_eq!(merged, latency(&all).unwrap());
    assert_eq!(merged.count, 300);
    assert!(merged.buckets.is_empty());
    // Neither process's own percentiles are the merged ones.
    assert_ne!(latency(&a).unwrap().p90_s, merged.p90_s);
    // A part with answers but no buckets cannot be merged exactly.
    assert_eq!(merged_latency(&[&part(&a), &latency(&b).unwrap()]), None);
}
