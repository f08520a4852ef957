//! End-to-end checks of [`score`](super::score) on samples from known discrete power laws.

use super::*;
use crate::stats::Rng;

/// Inverse-CDF draw from `P(F = k) = k^-a / zeta(a, 1)`, k >= 1: the smallest k with
/// `P(F > k) = zeta(a, k + 1) / zeta(a, 1) <= v`, found by doubling then bisection.
fn draw_power_law(rng: &mut Rng, a: f64) -> u64 {
    let v = 1.0 - rng.next_f64();
    let z1 = hurwitz_zeta(a, 1.0);
    let above = |k: u64| hurwitz_zeta(a, k as f64 + 1.0) / z1;
    let mut hi = 1u64;
    while above(hi) > v && hi < 1 << 62 {
        hi *= 2;
    }
    let mut lo = hi / 2;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if above(mid) > v {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi.max(1)
}

/// n tasks: a share `p0` solved at once (outside the tail), the rest power-law failures,
/// censored at `cap` when given.
fn sample(a: f64, n: usize, p0: f64, cap: Option<u64>, seed: u64) -> Vec<TaskOutcome> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let f = if rng.next_f64() < p0 {
                0
            } else {
                draw_power_law(&mut rng, a)
            };
            match cap {
                Some(m) if f >= m => TaskOutcome::censored(format!("t{i}"), m),
                _ => TaskOutcome::solved(format!("t{i}"), f),
            }
        })
        .collect()
}

fn check(a: f64, cap: Option<u64>, expected: Level) -> SurvivalResult {
    let tasks = sample(a, 5000, 0.3, cap, 20_250_201 + (a * 10.0) as u64);
    let r = score(&tasks, &SurvivalConfig::default()).expect("scores");
    eprintln!(
        "a={a} cap={cap:?}: alpha={:.4} [{:.4}, {:.4}] k_min={} n_tail={} censored={:.4} \
         hill={:.4} ls_freq={:?} ls_ccdf={:?} level={:?}",
        r.alpha,
        r.alpha_ci_low,
        r.alpha_ci_high,
        r.k_min,
        r.n_tail,
        r.summary.censored_fraction,
        r.alpha_hill,
        r.alpha_ls_frequency,
        r.alpha_ls_ccdf,
        r.level
    );
    assert!(
        r.alpha_ci_low <= a && a <= r.alpha_ci_high,
        "interval [{}, {}] misses a = {a}",
        r.alpha_ci_low,
        r.alpha_ci_high
    );
    assert_eq!(r.level, expected);
    assert!(!r.alpha_at_bound);
    // The share solved at once is drawn with p0 = 0.3 and sits outside the tail.
    assert!(
        (r.summary.pass_at_1 - 0.3).abs() < 0.03,
        "{}",
        r.summary.pass_at_1
    );
    r
}

#[test]
fn limited_subject_uncensored_and_censored() {
    check(1.5, None, Level::Limited);
    let r = check(1.5, Some(50), Level::Limited);
    assert!(r.summary.censored_fraction > 0.05 && r.n_tail_censored > 0);
    assert_eq!(r.summary.cap, Some(50));
}

#[test]
fn capable_subject_uncensored_and_censored() {
    check(2.5, None, Level::Capable);
    let r = check(2.5, Some(20), Level::Capable);
    assert!(r.summary.n_censored > 0);
}

#[test]
fn autonomous_subject_uncensored_and_censored() {
    check(3.5, None, Level::Autonomous);
    let r = check(3.5, Some(10), Level::Autonomous);
    assert!(
        r.notes.iter().any(|n| n.contains("the cap is 10")),
        "{:?}",
        r.notes
    );
}

#[test]
fn ignoring_censoring_biases_the_exponent_upward() {
    // A heavy tail cut at a low cap: left out or counted as solved at the cap, the censored
    // tasks make the tail look lighter than it is; the censored likelihood does not.
    let tasks = sample(1.5, 3000, 0.0, Some(30), 77);
    let r = score(&tasks, &SurvivalConfig::default()).expect("scores");
    let dropped = r
        .alpha_censored_dropped
        .expect("censored tasks in the tail");
    let solved = r
        .alpha_censored_as_solved
        .expect("censored tasks in the tail");
    assert!(dropped > r.alpha && solved > r.alpha, "{r:?}");
    assert!(r.alpha_ci_low <= 1.5 && 1.5 <= r.alpha_ci_high, "{r:?}");
    assert!(r.summary.censored_fraction > CENSORED_NOTE_SHARE);
    assert!(r.notes.iter().any(|n| n.contains("never solved")));
    assert!(
        r.notes.iter().any(|n| n.contains("could move a across")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.summary.unsolved_tasks.len(), r.summary.n_censored);
}

#[test]
fn same_seed_same_result_and_stable_json_names() {
    let mut tasks = sample(2.2, 400, 0.2, Some(30), 3);
    for (i, t) in tasks.iter_mut().enumerate() {
        t.energy_j = Some(10.0 * (t.failures + 1) as f64 + (i % 3) as f64);
    }
    let config = SurvivalConfig {
        seed: 9,
        resamples: 200,
        ..SurvivalConfig::default()
    };
    let a = score(&tasks, &config).expect("scores");
    assert_eq!(a, score(&tasks, &config).expect("scores"));
    let b = score(&tasks, &SurvivalConfig { seed: 10, ..config }).expect("scores");
    assert_ne!(a.alpha_ci_low, b.alpha_ci_low);
    assert_eq!(a.alpha, b.alpha);
    let json = serde_json::to_value(&a).expect("serialises");
    for key in [
        "alpha",
        "alpha_ci_low",
        "alpha_ci_high",
        "k_min",
        "level",
        "pass_at_1",
        "censored_fraction",
        "n_tasks",
        "median_failures",
        "restricted_mean_failures",
        "survival",
        "alpha_hill",
        "alpha_ls_frequency",
        "energy",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(a.summary.n_censored > 0);
    let energy = a.energy.expect("every task has energy");
    assert_eq!(energy.unit, "J");
    assert!(energy.per_solved_task > energy.mean_to_first_success.point);
    let back: SurvivalResult = serde_json::from_value(json).expect("round trip");
    assert_eq!(back.k_min, a.k_min);
}

#[test]
fn bad_inputs_and_settings_are_errors() {
    let config = SurvivalConfig::default();
    assert_eq!(score(&[], &config), Err(SurvivalError::Empty));
    let all: Vec<TaskOutcome> = (0..20)
        .map(|i| TaskOutcome::censored(format!("t{i}"), 5))
        .collect();
    assert_eq!(
        score(&all, &config),
        Err(SurvivalError::AllCensored { n: 20 })
    );
    let easy: Vec<TaskOutcome> = (0..50)
        .map(|i| TaskOutcome::solved(format!("t{i}"), u64::from(i % 10 == 0)))
        .collect();
    assert!(matches!(
        score(&easy, &config),
        Err(SurvivalError::TooFewInTail { n_tail: 5, .. })
    ));
    let tasks = sample(2.0, 200, 0.0, None, 1);
    for bad in [0.0, 1.0, f64::NAN] {
        let c = SurvivalConfig {
            confidence: bad,
            ..config
        };
        assert!(matches!(
            score(&tasks, &c),
            Err(SurvivalError::BadConfig {
                setting: "--confidence",
                ..
            })
        ));
    }
    let c = SurvivalConfig {
        resamples: 1,
        ..config
    };
    assert!(matches!(
        score(&tasks, &c),
        Err(SurvivalError::BadConfig {
            setting: "--resamples",
            ..
        })
    ));
}

#[test]
fn extreme_counts_do_not_overflow() {
    let mut tasks = sample(1.6, 300, 0.1, None, 12);
    tasks.push(TaskOutcome::solved("huge", u64::MAX));
    tasks.push(TaskOutcome::censored("huge-cap", u64::MAX));
    let config = SurvivalConfig {
        resamples: 50,
        ..SurvivalConfig::default()
    };
    let r = score(&tasks, &config).expect("scores");
    assert!(r.alpha.is_finite() && r.summary.restricted_mean_failures.is_finite());
    assert_eq!(r.summary.cap, Some(u64::MAX));
}
