//! Each question of a query case over all its samples: answers, credit, time and energy.
//!
//! A question's time is its answers' time plus its share of the loop's own work between
//! them, so that the questions' times add up to the samples'. A question's energy is the sum of its answers' own windows when each answer had one
//! (answers long enough for the sensors), else its share of each sample's energy in
//! proportion to its time in the sample, as survival tasks are charged.

use crate::attribution::record::{Question, QuestionSet, Sample};
use crate::attribution::window::window;
use crate::measure::record::{RawSample, Trace};

/// The question set of a case whose samples answered questions; `None` otherwise.
/// `samples[i]` is `raw[i]` with its energy.
pub(crate) fn question_set(
    raw: &[RawSample],
    samples: &[Sample],
    trace: &Trace,
) -> Option<QuestionSet> {
    let total = raw.iter().find_map(|r| r.questions.as_ref())?.total;
    let mut per_question: Vec<Question> = (0..total)
        .map(|i| Question {
            index: i as u64,
            asked: 0,
            correct: 0.0,
            incorrect: 0.0,
            unjudged: 0,
            time_s: 0.0,
            energy_j: Some(0.0),
        })
        .collect();
    let mut per_answer = true;
    for (r, sample) in raw.iter().zip(samples) {
        let Some(sq) = &r.questions else { continue };
        per_answer &= sq.per_answer_windows;
        let index = |k: usize| (sq.first + k) % total;
        // The loop's own work between answers is shared out by time, so that the questions'
        // times add up to the sample's.
        let answered: u64 = sq.per_question.iter().map(|t| t.time_ns).sum();
        let scale = if answered > 0 {
            r.elapsed_ns as f64 / answered as f64
        } else {
            1.0
        };
        for (k, t) in sq.per_question.iter().enumerate() {
            let q = &mut per_question[index(k)];
            q.asked += u64::from(t.asked);
            q.correct += t.tally.correct;
            q.incorrect += t.tally.incorrect();
            q.unjudged += t.tally.unjudged;
            q.time_s += t.time_ns as f64 * scale * 1e-9;
        }
        let energies = question_energies(r, sample, trace);
        for (k, e) in energies.into_iter().enumerate() {
            let q = &mut per_question[index(k)];
            q.energy_j = q.energy_j.zip(e).map(|(a, b)| a + b);
        }
    }
    let answers: u64 = per_question.iter().map(|q| q.asked).sum();
    Some(QuestionSet {
        questions: total as u64,
        passes: per_question.iter().map(|q| q.asked).min().unwrap_or(0),
        answers,
        energy_method: if per_answer {
            "per-answer-window"
        } else {
            "time-share"
        }
        .to_string(),
        per_question,
    })
}

/// The energy of each distinct question of one sample (in the sample's order): its own
/// windows' sum, or its time's share of the sample's energy; `None` where a window is
/// invalid.
fn question_energies(r: &RawSample, sample: &Sample, trace: &Trace) -> Vec<Option<f64>> {
    let Some(sq) = &r.questions else {
        return Vec::new();
    };
    let distinct = sq.per_question.len();
    if sq.per_answer_windows {
        let mut out = vec![Some(0.0); distinct];
        for (j, &(a, b)) in r.windows.iter().enumerate() {
            let e = window(trace, a, b).total;
            let slot = &mut out[j % distinct.max(1)];
            *slot = slot.zip(e).map(|(x, y)| x + y);
        }
        return out;
    }
    let energy = sample.energy_total_j.filter(|_| sample.valid);
    let time: u64 = sq.per_question.iter().map(|q| q.time_ns).sum();
    let asked: u32 = sq.per_question.iter().map(|q| q.asked).sum();
    sq.per_question
        .iter()
        .map(|q| {
            // Answers that took no measurable time share the energy by count.
            let share = if time > 0 {
                q.time_ns as f64 / time as f64
            } else {
                f64::from(q.asked) / f64::from(asked.max(1))
            };
            energy.map(|e| e * share)
        })
        .collect()
}
