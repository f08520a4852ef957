//! `queries`: a subject that answers questions, each judged correct, incorrect, scored or
//! unjudged.

use super::{warm_up, Bencher, Command, Reply};
use crate::measure::outcome::{Outcome, Tally};
use crate::measure::record::{CaseKind, RawSample};
use std::hint::black_box;
use std::time::Instant;

impl Bencher {
    /// Answer queries: each call of `answer` handles one item and returns its outcome
    /// (`bool`, a score in [0, 1], `Option<bool>` with `None` for unjudged, or [`Outcome`]).
    /// Samples walk through `items` in order and wrap around, so every item is answered
    /// about equally often; accuracy, joules per correct answer and IPW come from the
    /// outcomes.
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
                    let mut bad = None;
                    for item in &items {
                        if let Err(e) = tally.add(answer(item).into()) {
                            bad = Some(e);
                            break;
                        }
                    }
                    self.reply(match bad {
                        Some(e) => Reply::Error(e.to_string()),
                        None => Reply::Tested,
                    });
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(answer(&items[cursor]).into());
                            cursor = (cursor + 1) % items.len();
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::Queries,
                        iters,
                        elapsed,
                    });
                }
                Command::Sample(n, _) => {
                    let mut outcomes: Vec<Outcome> = Vec::with_capacity(n as usize);
                    let mut latencies: Vec<u64> = Vec::with_capacity(n as usize);
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..n {
                        let q0 = Instant::now();
                        let o: Outcome = answer(&items[cursor]).into();
                        latencies.push(q0.elapsed().as_nanos() as u64);
                        outcomes.push(o);
                        cursor = (cursor + 1) % items.len();
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    let mut tally = Tally::default();
                    let mut bad = None;
                    for o in outcomes {
                        if let Err(e) = tally.add(o) {
                            bad = Some(e);
                        }
                    }
                    self.reply(match bad {
                        Some(e) => Reply::Error(e.to_string()),
                        None => Reply::Sampled(RawSample {
                            iters: n,
                            elapsed_ns: elapsed.as_nanos() as u64,
                            windows: vec![(start, end)],
                            tally: Some(tally),
                            latencies_ns: latencies,
                            tasks: Vec::new(),
                        }),
                    });
                }
            }
        }
    }
}
