//! `trials` and `ranked`: the Survival Game's failures before the first success.

use super::{warm_up, Bencher, Command, Reply};
use crate::measure::outcome::Tally;
use crate::measure::record::{latency_histogram, CaseKind, RawSample, TaskRecord};
use std::hint::black_box;
use std::time::Instant;

impl Bencher {
    /// The Survival Game: attempt each task until the first success or `max_attempts`.
    ///
    /// `attempt(task, i)` makes attempt `i` (from 0) and says whether it succeeded. Per
    /// task, the failure count (or "censored at `max_attempts`") and the time until success
    /// are recorded; a task's energy is its sample's energy split in proportion to time.
    /// The tail exponent, the level and the joules until first success are in the results'
    /// `survival`.
    pub fn trials<T, F>(
        &mut self,
        tasks: impl IntoIterator<Item = T>,
        max_attempts: u64,
        mut attempt: F,
    ) where
        F: FnMut(&T, u64) -> bool,
    {
        let max_attempts = max_attempts.max(1);
        self.survival_loop(tasks, CaseKind::Trials, move |task| {
            for i in 0..max_attempts {
                if attempt(task, i) {
                    return (i, false);
                }
            }
            (max_attempts, true)
        });
    }

    /// The Survival Game for subjects that rank candidates: `rank(task)` is the 1-based rank
    /// of the correct candidate, so the failure count is `rank - 1`; a rank beyond `top_k`
    /// (or 0, for "not found") is censored at `top_k`.
    pub fn ranked<T, F>(&mut self, tasks: impl IntoIterator<Item = T>, top_k: u64, mut rank: F)
    where
        F: FnMut(&T) -> usize,
    {
        let top_k = top_k.max(1);
        self.survival_loop(tasks, CaseKind::Ranked, move |task| {
            let r = rank(task) as u64;
            if r == 0 || r > top_k {
                (top_k, true)
            } else {
                (r - 1, false)
            }
        });
    }

    fn survival_loop<T>(
        &mut self,
        tasks: impl IntoIterator<Item = T>,
        kind: CaseKind,
        mut run: impl FnMut(&T) -> (u64, bool),
    ) {
        let tasks: Vec<T> = tasks.into_iter().collect();
        let mut cursor = 0usize;
        let mut runs = 0u64;
        loop {
            match self.next_command() {
                Command::Stop => return,
                _ if tasks.is_empty() => {
                    self.reply(Reply::Error("no tasks were given".to_string()));
                    self.stopped = true;
                    return;
                }
                Command::Test => {
                    for t in &tasks {
                        black_box(run(t));
                    }
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(run(&tasks[cursor]));
                            cursor = (cursor + 1) % tasks.len();
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind,
                        iters,
                        elapsed,
                        questions: None,
                        throughput: self.throughput,
                    });
                }
                Command::Sample(req) => {
                    let n = req.iters;
                    // First runs are scored; a task's later runs repeat it, and only their
                    // time counts (towards the share of the sample's energy).
                    let first_runs = (tasks.len() as u64).saturating_sub(runs).min(n);
                    let mut records = Vec::with_capacity(first_runs as usize);
                    let mut latency = latency_histogram();
                    let (mut solved, mut task_time_ns) = (0u64, 0u64);
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..n {
                        let q0 = Instant::now();
                        let (failures, censored) = run(&tasks[cursor]);
                        let elapsed_ns = q0.elapsed().as_nanos() as u64;
                        if runs < tasks.len() as u64 {
                            records.push(TaskRecord {
                                index: cursor,
                                failures,
                                censored,
                                elapsed_ns,
                            });
                        }
                        latency.saturating_record(elapsed_ns.max(1));
                        task_time_ns += elapsed_ns;
                        solved += u64::from(!censored);
                        runs += 1;
                        cursor = (cursor + 1) % tasks.len();
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    self.reply(Reply::Sampled(Box::new(RawSample {
                        iters: n,
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows: vec![(start, end)],
                        tally: Some(Tally {
                            correct: solved as f64,
                            judged: n,
                            unjudged: 0,
                        }),
                        questions: None,
                        latency: Some(latency),
                        tasks: records,
                        task_time_ns,
                        reported_energy_j: None,
                    })));
                }
            }
        }
    }
}
