//! `queries`: a subject that answers questions, each judged correct, incorrect, scored or
//! unjudged.
//!
//! The question set is the unit of evidence: a sample is one or more whole passes over
//! the set, or one chunk of a pass when a pass is longer than a sample, as the runner
//! asks (`first_question` and `iters`). Each question's answers, credit and time are
//! summed per sample, and latencies go into a fixed-size histogram, so memory is bounded
//! by the number of questions, not of answers.

use super::{warm_up, Bencher, Command, Reply, SampleRequest};
use crate::measure::outcome::{BadScore, Outcome, Tally};
use crate::measure::record::{
    latency_histogram, CaseKind, QuestionTally, RawSample, SampleQuestions,
};
use std::hint::black_box;
use std::time::Instant;

impl Bencher {
    /// Answer queries: each call of `answer` handles one item and returns its outcome
    /// (`bool`, a score in [0, 1], `Option<bool>` with `None` for unjudged, or [`Outcome`]).
    ///
    /// The items are the question set. Samples answer it in whole passes (every question
    /// the same number of times), so accuracy is exactly the set's accuracy for a
    /// deterministic subject; when one pass is longer than a sample, each sample answers
    /// one chunk of a pass and the case ends on a pass boundary. Accuracy, joules per
    /// correct answer, IPW and IPJ get intervals by resampling questions.
    pub fn queries<T, O, F>(&mut self, items: impl IntoIterator<Item = T>, mut answer: F)
    where
        O: Into<Outcome>,
        F: FnMut(&T) -> O,
    {
        let items: Vec<T> = items.into_iter().collect();
        let mut cursor = 0usize;
        loop {
            match self.next_command() {
                Command::Stop => return,
                _ if items.is_empty() => {
                    self.reply(Reply::Error("queries() was given no items".to_string()));
                    self.stopped = true;
                    return;
                }
                Command::Test => {
                    let mut tally = Tally::default();
                    let bad = items
                        .iter()
                        .find_map(|item| tally.add(answer(item).into()).err());
                    self.reply(match bad {
                        Some(e) => Reply::Error(e.to_string()),
                        None => Reply::Tested,
                    });
                }
                Command::WarmUp(budget) => {
                    // The same work per answer as a sample (its clock reads, its tally and
                    // histogram), so that the plan's time per answer is the sample's.
                    let mut scratch = QuestionTally::default();
                    let mut latency = latency_histogram();
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            let q0 = Instant::now();
                            let o: Outcome = answer(&items[cursor]).into();
                            let ns = q0.elapsed().as_nanos() as u64;
                            scratch.time_ns += ns;
                            let _ = scratch.tally.add(o);
                            latency.saturating_record(ns.max(1));
                            cursor = (cursor + 1) % items.len();
                        }
                    });
                    black_box(&scratch);
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::Queries,
                        iters,
                        elapsed,
                        questions: Some(items.len()),
                        throughput: self.throughput,
                    });
                }
                Command::Sample(req) => {
                    let reply = match self.query_sample(&items, &mut answer, req) {
                        Ok(s) => Reply::Sampled(Box::new(s)),
                        Err(e) => Reply::Error(e.to_string()),
                    };
                    self.reply(reply);
                }
            }
        }
    }

    /// One measured sample of `req.iters` answers from `req.first_question` on.
    fn query_sample<T, O, F>(
        &self,
        items: &[T],
        answer: &mut F,
        req: SampleRequest,
    ) -> Result<RawSample, BadScore>
    where
        O: Into<Outcome>,
        F: FnMut(&T) -> O,
    {
        let total = items.len();
        let iters = req.iters.max(1);
        // Whole passes touch every question; a chunk of a pass touches `iters` of them.
        let distinct = (iters as usize).min(total);
        let mut per_question = vec![QuestionTally::default(); distinct];
        let mut latency = latency_histogram();
        let per_answer = req.per_answer_windows;
        let mut windows = Vec::with_capacity(if per_answer { iters as usize } else { 1 });
        let mut bad = None;
        let mut cursor = req.first_question % total;
        let start = (!per_answer).then(|| self.sampler.edge());
        let t0 = Instant::now();
        for j in 0..iters as usize {
            let a = if per_answer {
                Some(self.sampler.edge())
            } else {
                None
            };
            let q0 = Instant::now();
            let o: Outcome = answer(&items[cursor]).into();
            let ns = q0.elapsed().as_nanos() as u64;
            if let Some(a) = a {
                windows.push((a, self.sampler.edge()));
            }
            let q = &mut per_question[j % distinct];
            q.asked += 1;
            q.time_ns += ns;
            if let Err(e) = q.tally.add(o) {
                bad.get_or_insert(e);
            }
            latency.saturating_record(ns.max(1));
            cursor = (cursor + 1) % total;
        }
        let elapsed = t0.elapsed();
        if let Some(start) = start {
            windows.push((start, self.sampler.edge()));
        }
        if let Some(e) = bad {
            return Err(e);
        }
        let tally = per_question.iter().fold(Tally::default(), |mut t, q| {
            t.correct += q.tally.correct;
            t.judged += q.tally.judged;
            t.unjudged += q.tally.unjudged;
            t
        });
        Ok(RawSample {
            iters,
            elapsed_ns: elapsed.as_nanos() as u64,
            windows,
            tally: Some(tally),
            questions: Some(SampleQuestions {
                first: req.first_question % total,
                total,
                per_question,
                per_answer_windows: per_answer,
            }),
            latency: Some(latency),
            tasks: Vec::new(),
            task_time_ns: 0,
            reported_energy_j: None,
        })
    }
}
