//! `iter` and `iter_batched`: time and energy per iteration of a routine.

use super::{warm_up, Bencher, Command, Reply};
use crate::measure::batch::BatchSize;
use crate::measure::record::{CaseKind, RawSample};
use std::hint::black_box;
use std::time::{Duration, Instant};

impl Bencher {
    /// Measure `routine`: time and energy per iteration.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// let data: Vec<u64> = (0..1000).rev().collect();
    /// b.iter(|| {
    ///     let mut v = data.clone();
    ///     v.sort_unstable();
    ///     v
    /// });
    /// # }
    /// ```
    pub fn iter<O, F: FnMut() -> O>(&mut self, mut routine: F) {
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    black_box(routine());
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(routine());
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::Iter,
                        iters,
                        elapsed,
                        questions: None,
                    });
                }
                Command::Sample(req) => {
                    let iters = req.iters;
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..iters {
                        black_box(routine());
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    self.reply(Reply::Sampled(Box::new(RawSample {
                        iters,
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows: vec![(start, end)],
                        tally: None,
                        questions: None,
                        latency: None,
                        tasks: Vec::new(),
                        task_time_ns: 0,
                    })));
                }
            }
        }
    }

    /// Measure `routine` on inputs made by `setup`; setup runs outside the measured windows,
    /// and outputs are dropped outside them too. Inputs are made in batches
    /// ([`BatchSize::Auto`]: criterion's ten per sample, as far as the sensors allow);
    /// [`Bencher::iter_batched_with`] chooses the batch size.
    pub fn iter_batched<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched_with(setup, routine, BatchSize::Auto);
    }

    /// [`Bencher::iter_batched`] with a chosen batch size. Each batch's inputs are made
    /// before its energy window opens and its outputs dropped after it closes; a sample's
    /// time and energy are the sums over its batches.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::BatchSize;
    /// let data: Vec<u64> = (0..10_000).rev().collect();
    /// b.iter_batched_with(
    ///     || data.clone(),
    ///     |mut v| {
    ///         v.sort_unstable();
    ///         v
    ///     },
    ///     BatchSize::NumBatches(4),
    /// );
    /// # }
    /// ```
    pub fn iter_batched_with<I, O, S, R>(&mut self, mut setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        let mut inputs: Vec<I> = Vec::new();
        let mut outputs: Vec<O> = Vec::new();
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    black_box(routine(setup()));
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    // Time only the routine, as the samples will.
                    let mut routine_time = Duration::ZERO;
                    let (iters, _) = warm_up(budget, |n| {
                        for _ in 0..n {
                            let input = setup();
                            let t = Instant::now();
                            black_box(routine(input));
                            routine_time += t.elapsed();
                        }
                    });
                    let elapsed = routine_time;
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::IterBatched,
                        iters,
                        elapsed,
                        questions: None,
                    });
                }
                Command::Sample(req) => {
                    let (iters, limit) = (req.iters, req.limit);
                    let per_batch = size.iters_per_batch(iters, limit);
                    let mut windows = Vec::with_capacity(iters.div_ceil(per_batch) as usize);
                    let mut elapsed = Duration::ZERO;
                    let mut left = iters.max(1);
                    while left > 0 {
                        let n = per_batch.min(left);
                        inputs.extend((0..n).map(|_| setup()));
                        outputs.reserve(n as usize);
                        let start = self.sampler.edge();
                        let t0 = Instant::now();
                        for input in inputs.drain(..) {
                            outputs.push(routine(input));
                        }
                        elapsed += t0.elapsed();
                        let end = self.sampler.edge();
                        black_box(&mut outputs);
                        outputs.clear();
                        windows.push((start, end));
                        left -= n;
                    }
                    self.reply(Reply::Sampled(Box::new(RawSample {
                        iters: iters.max(1),
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows,
                        tally: None,
                        questions: None,
                        latency: None,
                        tasks: Vec::new(),
                        task_time_ns: 0,
                    })));
                }
            }
        }
    }
}
