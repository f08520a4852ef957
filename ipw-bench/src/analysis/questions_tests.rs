//! Tests of the estimates that resample a query case's questions.

use super::*;
use crate::attribution::record::Question;

/// A population of queries: each question has a difficulty `d` in [0, 1); a subject
/// answers it right with probability `0.9 - 0.4 d` (0.7 on average), and an answer
/// costs `0.5 + 1.5 d` joules (1.25 on average, so hard questions cost more), give or
/// take 5% per answer, at 50 W.
pub(crate) const POPULATION_ACCURACY: f64 = 0.7;
pub(crate) const POPULATION_JOULES_PER_CORRECT: f64 = 1.25 / 0.7;

/// A question set of `n` questions drawn from the population, each answered `passes`
/// times; a deterministic subject gives one answer per question every time, a
/// stochastic one draws each answer.
pub(crate) fn draw(rng: &mut Rng, n: usize, passes: u64, stochastic: bool) -> QuestionSet {
    let per_question = (0..n)
        .map(|i| {
            let d = rng.next_f64();
            let p = 0.9 - 0.4 * d;
            let fixed = rng.next_f64() < p;
            let mut q = Question {
                index: i as u64,
                asked: passes,
                correct: 0.0,
                incorrect: 0.0,
                unjudged: 0,
                time_s: 0.0,
                energy_j: Some(0.0),
            };
            for _ in 0..passes {
                let right = if stochastic {
                    rng.next_f64() < p
                } else {
                    fixed
                };
                if right {
                    q.correct += 1.0;
                } else {
                    q.incorrect += 1.0;
                }
                let e = (0.5 + 1.5 * d) * (0.95 + 0.1 * rng.next_f64());
                q.energy_j = q.energy_j.map(|j| j + e);
                q.time_s += e / 50.0;
            }
            q
        })
        .collect();
    QuestionSet {
        questions: n as u64,
        passes,
        answers: n as u64 * passes,
        energy_method: "per-answer-window".into(),
        per_question,
    }
}

fn covers(e: &Estimate, truth: f64) -> bool {
    e.ci_low <= truth && truth <= e.ci_high
}

/// Question sets of 300 drawn from the population: the 95% intervals of accuracy and
/// J/correct cover the population's values in 92-98% of draws, for a deterministic
/// and for a stochastic subject. The interval an answer-level count would give (as if
/// every answer were a new question) is printed beside, for contrast.
#[test]
fn question_intervals_cover_the_population_values() {
    const DRAWS: usize = 400;
    for stochastic in [false, true] {
        let mut rng = Rng::new(if stochastic { 77 } else { 76 });
        let (mut acc, mut jpc, mut naive) = (0, 0, 0);
        for k in 0..DRAWS {
            let set = draw(&mut rng, 300, 8, stochastic);
            // 2,000 resamples: the same coverage as the default 10,000, in a fifth of
            // the time.
            let e = question_estimates_with(&set, Provenance::Synthetic, k as u64, 2_000);
            acc += usize::from(covers(&e["accuracy"], POPULATION_ACCURACY));
            jpc += usize::from(covers(
                &e["joules_per_correct"],
                POPULATION_JOULES_PER_CORRECT,
            ));
            let (c, n) = set.per_question.iter().fold((0.0, 0.0), |(c, n), q| {
                (c + q.correct, n + q.correct + q.incorrect)
            });
            let w = crate::stats::proportions::wilson_interval(c as u64, n as u64, 0.95)
                .expect("a proportion");
            naive += usize::from(w.low <= POPULATION_ACCURACY && POPULATION_ACCURACY <= w.high);
        }
        let share = |k: usize| k as f64 / DRAWS as f64;
        println!(
            "stochastic {stochastic}: accuracy {:.3}, J/correct {:.3}, answer-level {:.3}",
            share(acc),
            share(jpc),
            share(naive)
        );
        for (what, k) in [("accuracy", acc), ("J/correct", jpc)] {
            assert!(
                (0.92..=0.98).contains(&share(k)),
                "{what} covered in {} of {DRAWS} draws (stochastic {stochastic})",
                k
            );
        }
    }
}

#[test]
fn a_deterministic_subject_gets_the_set_accuracy_exactly() {
    let mut rng = Rng::new(5);
    let set = draw(&mut rng, 400, 3, false);
    let right = set.per_question.iter().filter(|q| q.correct > 0.0).count();
    let e = question_estimates(&set, Provenance::Synthetic, 1);
    assert_eq!(e["accuracy"].point, right as f64 / 400.0);
    assert_eq!(e["accuracy"].resampled.as_deref(), Some(QUESTIONS));
    // About +-1.96 sqrt(p (1 - p) / 400) wide, whatever the number of passes.
    let half = (e["accuracy"].ci_high - e["accuracy"].ci_low) / 2.0;
    let p = e["accuracy"].point;
    let expected = 1.96 * (p * (1.0 - p) / 400.0).sqrt();
    assert!((half / expected - 1.0).abs() < 0.15, "{half} vs {expected}");
}

#[test]
fn fixed_set_intervals_resample_within_parts_and_need_two_passes() {
    let sample = |first: u64, energy: f64| Sample {
        iters: 10,
        elapsed_s: 1.0,
        start_s: 0.0,
        window_s: 1.0,
        energy_j: BTreeMap::new(),
        energy_total_j: Some(energy),
        method: "counter-difference".into(),
        valid: true,
        flags: vec![],
        correct: Some(7.0),
        incorrect: Some(3.0),
        unjudged: Some(0),
        delay_s: None,
        energy_windows: 1,
        first_question: Some(first),
        process: None,
    };
    // One pass in two chunks: nothing to resample.
    let one = [sample(0, 10.0), sample(10, 30.0)];
    let e = fixed_set_estimates(&one, Provenance::Measured, 3);
    let j = &e["joules_per_correct_fixed_set"];
    assert_eq!(
        (j.point, j.ci_low, j.ci_high),
        (40.0 / 14.0, 40.0 / 14.0, 40.0 / 14.0)
    );
    assert_eq!(j.method, "degenerate");
    // Two passes: chunk 0 costs 10 or 12 J, chunk 1 always 30 J; the interval spans
    // only chunk 0's variation, never mixing the chunks.
    let two = [
        sample(0, 10.0),
        sample(10, 30.0),
        sample(0, 12.0),
        sample(10, 30.0),
    ];
    let e = fixed_set_estimates(&two, Provenance::Measured, 3);
    let j = &e["joules_per_correct_fixed_set"];
    assert!((j.ci_low - 80.0 / 28.0).abs() < 1e-12, "{j:?}");
    assert!((j.ci_high - 84.0 / 28.0).abs() < 1e-12, "{j:?}");
    assert_eq!(j.resampled.as_deref(), Some(SAMPLES_WITHIN_PARTS));
}
