//! Tests of the question-by-question comparisons.

use super::*;
use crate::stats::Rng;

fn question(i: usize, right: bool, energy: f64) -> Question {
    Question {
        index: i as u64,
        asked: 1,
        correct: f64::from(u8::from(right)),
        incorrect: f64::from(u8::from(!right)),
        unjudged: 0,
        time_s: energy / 50.0,
        energy_j: Some(energy),
    }
}

/// Two deterministic subjects on the same `n` questions drawn from a population in
/// which 69% of questions are easy (right with probability 0.95) and 31% hard (0.15):
/// 0.70 accuracy on average, and subjects agree on most questions, as models on one
/// benchmark do. The second subject is `better` more likely right on every question.
fn pair(rng: &mut Rng, n: usize, better: f64) -> (Vec<Question>, Vec<Question>) {
    let easy_share = 0.6875;
    (0..n)
        .map(|i| {
            let p = if rng.next_f64() < easy_share {
                0.95
            } else {
                0.15
            };
            let a = rng.next_f64() < p;
            let b = rng.next_f64() < p + better;
            (question(i, a, 1.0), question(i, b, 1.0))
        })
        .unzip()
}

fn differs(rng: &mut Rng, n: usize, better: f64, seed: u64) -> bool {
    let (a, b) = pair(rng, n, better);
    let c = accuracy_paired(&[&a, &b], seed).expect("judged questions");
    assert!(c.paired && c.questions == Some(n as u64));
    c.verdict == AccuracyVerdict::Differs
}

#[test]
fn equal_subjects_are_rarely_called_different_and_five_points_are_found() {
    // The mid-p test's real level in this model is 4.8% (20,000 trials in SciPy); at
    // 4000 trials a 6% bound is 3 standard errors above 5%.
    const TRIALS: usize = 1000;
    const NULL_TRIALS: usize = 4000;
    let mut rng = Rng::new(2026);
    let false_alarms = (0..NULL_TRIALS)
        .filter(|&k| differs(&mut rng, 300, 0.0, k as u64))
        .count();
    let detected = (0..TRIALS)
        .filter(|&k| differs(&mut rng, 1000, 0.05, k as u64))
        .count();
    println!("false alarms {false_alarms}/{NULL_TRIALS}, detected {detected}/{TRIALS}");
    assert!(
        false_alarms as f64 <= 0.06 * NULL_TRIALS as f64,
        "{false_alarms}"
    );
    assert!(detected as f64 >= 0.80 * TRIALS as f64, "{detected}");
}

#[test]
fn mcnemar_difference_and_sizing_on_a_known_table() {
    // 60 both right, 25 only the first, 10 only the second, 5 both wrong.
    let mut a = Vec::new();
    let mut b = Vec::new();
    let cells = [
        (true, true, 60),
        (true, false, 25),
        (false, true, 10),
        (false, false, 5),
    ];
    for (ra, rb, k) in cells {
        for _ in 0..k {
            let i = a.len();
            a.push(question(i, ra, 1.0));
            b.push(question(i, rb, 1.0));
        }
    }
    let c = accuracy_paired(&[&a, &b], 1).unwrap();
    assert_eq!(c.test.test, Test::McnemarMidP);
    assert_eq!(c.test.statistic, 10.0);
    // 2 P(X <= 10) - P(X = 10), X ~ Binomial(35, 1/2) (SciPy: 0.0113310).
    assert!(
        (c.test.p_value - 0.011_331_0).abs() < 1e-7,
        "{}",
        c.test.p_value
    );
    let d = c.difference.unwrap();
    assert!((d.point - (-0.15)).abs() < 1e-12, "{d:?}");
    assert!(d.ci_low < -0.15 && d.ci_high > -0.15 && d.ci_high < 0.0);
    assert_eq!(c.discordance, Some(0.35));
    assert!(c.minimum_detectable_difference.unwrap() > 0.1);
}

#[test]
fn scores_use_the_paired_bootstrap_and_three_variants_cochran() {
    let mut a: Vec<Question> = (0..50).map(|i| question(i, i % 2 == 0, 1.0)).collect();
    for q in a.iter_mut().take(10) {
        (q.correct, q.incorrect) = (0.5, 0.5);
    }
    let b: Vec<Question> = (0..50).map(|i| question(i, true, 1.0)).collect();
    let c = accuracy_paired(&[&a, &b], 3).unwrap();
    assert_eq!(c.test.test, Test::PairedBootstrap);
    assert_eq!(c.verdict, AccuracyVerdict::Differs);
    let c3 = accuracy_paired(&[&b, &b, &b], 3).unwrap();
    assert_eq!(c3.test.test, Test::CochranQ);
    assert_eq!(c3.test.p_value, 1.0);
}

#[test]
fn three_variants_get_every_pair_holm_corrected() {
    // 200 questions: a right on the first 120, b on the first 124 (4 more), c on the
    // first 160 (40 more than a).
    let set =
        |right: usize| -> Vec<Question> { (0..200).map(|i| question(i, i < right, 1.0)).collect() };
    let (a, b, c) = (set(120), set(124), set(160));
    let ids: Vec<String> = ["m/a", "m/b", "m/c"].map(String::from).to_vec();
    let pairs = accuracy_pairs(&[&a, &b, &c], &ids, 5);
    assert_eq!(pairs.len(), 3);
    let ab = &pairs[0];
    assert_eq!((ab.a.as_str(), ab.b.as_str()), ("m/a", "m/b"));
    assert!((ab.difference.point - 0.02).abs() < 1e-12);
    assert_eq!(ab.test.test, Test::McnemarMidP);
    // b = 0, c = 4: mid-p = 2 / 16 - 1 / 16.
    assert!(
        (ab.test.p_value - 1.0 / 16.0).abs() < 1e-15,
        "{}",
        ab.test.p_value
    );
    assert_eq!(ab.verdict, AccuracyVerdict::Unchanged);
    let ac = &pairs[1];
    assert!((ac.difference.point - 0.2).abs() < 1e-12);
    assert_eq!(ac.verdict, AccuracyVerdict::Differs);
    // Holm: the smallest p times 3, the next times 2, never below the one before.
    let mut raw: Vec<f64> = pairs.iter().map(|p| p.test.p_value).collect();
    raw.sort_by(f64::total_cmp);
    let mut adjusted: Vec<f64> = pairs.iter().map(|p| p.p_adjusted).collect();
    adjusted.sort_by(f64::total_cmp);
    assert!((adjusted[0] - 3.0 * raw[0]).abs() <= 1e-15 * adjusted[0].max(1e-300));
    assert!(adjusted[2] >= adjusted[1] && adjusted[1] >= adjusted[0]);
    // Two variants have no pairwise list: their comparison is the pair.
    assert!(accuracy_pairs(&[&a, &b], &ids[..2], 5).is_empty());
}
