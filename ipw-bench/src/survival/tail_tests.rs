//! Tests of the tail exponent fit.

use super::*;

fn tasks_from(counts: &[(u64, usize)]) -> Vec<TaskOutcome> {
    counts
        .iter()
        .flat_map(|&(f, n)| (0..n).map(move |_| f))
        .enumerate()
        .map(|(i, f)| TaskOutcome::solved(format!("t{i}"), f))
        .collect()
}

#[test]
fn likelihood_matches_the_direct_sum() {
    let mut tasks = tasks_from(&[(1, 5), (2, 3), (4, 2), (9, 1)]);
    tasks.push(TaskOutcome::censored("c", 12));
    let stats = TailStats::new(&tasks, 2);
    let a = 2.3;
    let z = |q: f64| hurwitz_zeta(a, q);
    let direct = 3.0 * (2f64.powf(-a) / z(2.0)).ln()
        + 2.0 * (4f64.powf(-a) / z(2.0)).ln()
        + (9f64.powf(-a) / z(2.0)).ln()
        + (z(12.0) / z(2.0)).ln();
    assert!((stats.log_likelihood(a) - direct).abs() < 1e-12);
    assert_eq!(stats.n(), 7.0);
}

#[test]
fn the_mle_zeroes_the_score() {
    let tasks = tasks_from(&[(1, 40), (2, 12), (3, 6), (5, 3), (8, 2), (20, 1)]);
    let stats = TailStats::new(&tasks, 1);
    let (a, _, at_bound) = stats.mle(FIT_TOL);
    assert!(!at_bound);
    let h = 1e-5;
    let score = (stats.log_likelihood(a + h) - stats.log_likelihood(a - h)) / (2.0 * h);
    assert!(score.abs() < 1e-4, "a={a} score={score}");
}

#[test]
fn a_single_value_tail_is_on_the_bound() {
    let tasks = tasks_from(&[(3, 12), (0, 4)]);
    let fit = fit_tail_at(&tasks, 3).expect("12 tasks in the tail");
    assert!(fit.at_bound && fit.alpha == ALPHA_MAX, "{fit:?}");
}

#[test]
fn ks_is_zero_for_the_exact_distribution_shape() {
    // With many tasks spread as the model says, the KS distance is only rounding.
    let a = 2.0;
    let z1 = hurwitz_zeta(a, 1.0);
    let counts: Vec<(u64, usize)> = (1..=60u64)
        .map(|k| (k, (1e7 * (k as f64).powf(-a) / z1).round() as usize))
        .collect();
    let tasks = tasks_from(&counts);
    let km = KaplanMeier::new(&tasks);
    let d = ks_distance(&km, 1, a, None, f64::INFINITY, 0).0;
    // Everything above k = 60 is missing from the data: S(61) is 0 there but not in the
    // model, so the distance is the model's mass above 60, and nothing more.
    let missing = hurwitz_zeta(a, 61.0) / z1;
    assert!((d - missing).abs() < 1e-4, "d={d} missing={missing}");
}

#[test]
fn the_scan_fits_each_candidate_as_a_fixed_k_min_fit_would() {
    let mut tasks = tasks_from(&[(0, 9), (1, 30), (2, 14), (3, 9), (5, 6), (9, 3), (30, 2)]);
    tasks.push(TaskOutcome::censored("c", 40));
    let chosen = fit_tail(&tasks).expect("fits");
    let fixed = fit_tail_at(&tasks, chosen.k_min).expect("fits");
    // The sums are added in another order, and the log-likelihood is flat at its
    // maximum, so rounding alone moves the arg max by about 1e-8.
    assert!(
        (chosen.alpha - fixed.alpha).abs() < 1e-6,
        "{chosen:?} {fixed:?}"
    );
    assert_eq!(chosen.n_tail, fixed.n_tail);
    assert!((chosen.ks_distance - fixed.ks_distance).abs() < 1e-6);
    for k in [1, 2, 3, 5] {
        let d = fit_tail_at(&tasks, k).expect("fits").ks_distance;
        assert!(d >= chosen.ks_distance - 1e-6, "k_min {k}: {d}");
    }
}

/// The KS distance the slow way: the model at every event.
fn ks_every_event(km: &KaplanMeier, k_min: u64, a: f64, min_cap: Option<u64>) -> f64 {
    let s0 = km.at(k_min);
    let z0 = hurwitz_zeta(a, k_min as f64);
    let (observed, modelled, end) = match min_cap {
        Some(c) => (1.0 - km.at(c) / s0, 1.0 - hurwitz_zeta(a, c as f64) / z0, c),
        None => (1.0, 1.0, u64::MAX),
    };
    if !(observed > 0.0 && modelled > 0.0) {
        return 1.0;
    }
    let gap = |s: f64, z: f64| ((1.0 - s / s0) / observed - (1.0 - z / z0) / modelled).abs();
    let mut d: f64 = 0.0;
    for (j, &e) in km.events.iter().enumerate() {
        if e < k_min || e >= end {
            continue;
        }
        let z = hurwitz_zeta(a, e as f64);
        d = d
            .max(gap(km.before[j], z))
            .max(gap(km.after[j], hurwitz_zeta(a, e as f64 + 1.0)));
    }
    d
}

#[test]
fn the_narrowed_search_finds_the_largest_gap_of_every_event() {
    let mut rng = crate::stats::Rng::new(17);
    for round in 0..60 {
        let n = 20 + rng.below(3000);
        let spread = [5.0, 100.0, 1e4][round % 3];
        let mut tasks: Vec<TaskOutcome> = (0..n)
            .map(|i| {
                let f = (spread * rng.next_f64().powi(1 + (round % 4) as i32)) as u64;
                TaskOutcome::solved(format!("t{i}"), f)
            })
            .collect();
        let cap = (round % 2 == 0).then(|| (spread * 0.7) as u64 + 2);
        if let Some(c) = cap {
            for t in tasks.iter_mut().filter(|t| t.failures >= c) {
                t.failures = c;
                t.censored = true;
            }
        }
        let km = KaplanMeier::new(&tasks);
        for k_min in [1, 2, 3, 7] {
            for a in [1.3, 2.0, 3.1, 6.0] {
                let slow = ks_every_event(&km, k_min, a, cap);
                let (fast, at) = ks_distance(&km, k_min, a, cap, f64::INFINITY, 0);
                let hinted = ks_distance(&km, k_min, a, cap, f64::INFINITY, at / 2).0;
                assert_eq!(
                    fast, hinted,
                    "round {round}: the hint changes only the order"
                );
                assert!(
                    (slow - fast).abs() < 1e-12,
                    "round {round} k_min {k_min} a {a}: {fast} vs {slow}"
                );
                // Told to stop at a bound below the distance, it stops at or above it.
                let stopped = ks_distance(&km, k_min, a, cap, slow / 2.0, 0).0;
                assert!(stopped >= slow / 2.0 && stopped <= slow + 1e-12);
            }
        }
    }
}

#[test]
fn with_large_tails_the_thinned_scan_stays_at_the_minimum() {
    // 3,000 tasks with about 900 distinct counts: tails above 1,024 tasks are thinned.
    let mut rng = crate::stats::Rng::new(8);
    let tasks: Vec<TaskOutcome> = (0..3000)
        .map(|i| {
            let f = (1.0 / (1.0 - rng.next_f64()).powf(1.0 / 0.7)) as u64;
            TaskOutcome::solved(format!("t{i}"), f)
        })
        .collect();
    let chosen = fit_tail(&tasks).expect("fits");
    let km = KaplanMeier::new(&tasks);
    let every: Vec<TailFit> = km.events[..km.events.len() - 1]
        .iter()
        .filter_map(|&k| fit_tail_at(&tasks, k).ok())
        .collect();
    let best = every
        .iter()
        .map(|f| f.ks_distance)
        .fold(f64::INFINITY, f64::min);
    assert!(
        chosen.ks_distance <= best + 2e-3,
        "chosen {chosen:?}, exhaustive minimum {best}"
    );
    // Where the tails are under 1,024 tasks, every count is tried: the choice is the
    // exhaustive one there.
    let small: Vec<&TailFit> = every.iter().filter(|f| f.n_tail < 1024).collect();
    let best_small = small
        .iter()
        .map(|f| f.ks_distance)
        .fold(f64::INFINITY, f64::min);
    // (The scan sums in another order than a fixed-k_min fit: rounding moves a by 1e-8.)
    if chosen.n_tail < 1024 {
        assert!((chosen.ks_distance - best_small).abs() < 1e-6);
    }
}

#[test]
fn too_few_in_the_tail_is_an_error() {
    let tasks = tasks_from(&[(0, 50), (1, 4), (2, 3)]);
    assert!(matches!(
        fit_tail(&tasks),
        Err(SurvivalError::TooFewInTail {
            n_tail: 7,
            needed: 10,
            ..
        })
    ));
    assert!(matches!(
        fit_tail_at(&tasks, 2),
        Err(SurvivalError::TooFewInTail {
            n_tail: 3,
            k_min: 2,
            ..
        })
    ));
}
