//! `iter` and the batched loops (`iter_batched`, `iter_batched_ref`, `iter_with_setup`,
//! `iter_with_large_drop`): time and energy per iteration of a routine.

use super::{warm_up, Bencher, Command, Reply};
use crate::measure::batch::BatchSize;
use crate::measure::record::{CaseKind, EdgeId, RawSample};
use std::hint::black_box;
use std::time::{Duration, Instant};

impl RawSample {
    /// A sample of a timed loop: its iterations, time and energy windows, nothing else.
    pub(super) fn timed(
        iters: u64,
        elapsed: Duration,
        windows: Vec<(EdgeId, EdgeId)>,
    ) -> RawSample {
        RawSample {
            iters,
            elapsed_ns: elapsed.as_nanos() as u64,
            windows,
            tally: None,
            questions: None,
            latency: None,
            tasks: Vec::new(),
            task_time_ns: 0,
            reported_energy_j: None,
        }
    }
}

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
                    self.reply(self.warmed_up(CaseKind::Iter, iters, elapsed));
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
                    let sample = RawSample::timed(iters, elapsed, vec![(start, end)]);
                    self.reply(Reply::Sampled(Box::new(sample)));
                }
            }
        }
    }

    /// Measure `routine` on inputs made by `setup`, criterion's `iter_batched`: setup runs
    /// outside the measured windows, and outputs are dropped outside them too. `size`
    /// says how many inputs are made at a time; each batch's inputs are made before its
    /// energy window opens and its outputs dropped after it closes, and a sample's time
    /// and energy are the sums over its batches. [`BatchSize::Auto`] (what
    /// [`Bencher::iter_batched_auto`] uses) keeps every window long enough for the
    /// sensors.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::BatchSize;
    /// let data: Vec<u64> = (0..10_000).rev().collect();
    /// b.iter_batched(
    ///     || data.clone(),
    ///     |mut v| {
    ///         v.sort_unstable();
    ///         v
    ///     },
    ///     BatchSize::SmallInput,
    /// );
    /// # }
    /// ```
    pub fn iter_batched<I, O, S, R>(&mut self, setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.batched(setup, size, |inputs, outputs| {
            timed(|| {
                for input in inputs.drain(..) {
                    outputs.push(routine(input));
                }
            })
        });
    }

    /// [`Bencher::iter_batched`] with [`BatchSize::Auto`]: criterion's ten batches per
    /// sample, as far as the sensors allow. (Before 0.2 this was `iter_batched`.)
    pub fn iter_batched_auto<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched(setup, routine, BatchSize::Auto);
    }

    /// The three-argument `iter_batched` of 0.1.
    #[deprecated(
        since = "0.2.0",
        note = "use `iter_batched`, which now takes the BatchSize"
    )]
    pub fn iter_batched_with<I, O, S, R>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched(setup, routine, size);
    }

    /// [`Bencher::iter_batched`] with the routine borrowing its input: the inputs are
    /// dropped after the energy window closes, with the outputs.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::BatchSize;
    /// b.iter_batched_ref(|| vec![3u8; 1 << 16], |v| v.sort_unstable(), BatchSize::SmallInput);
    /// # }
    /// ```
    pub fn iter_batched_ref<I, O, S, R>(&mut self, setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> O,
    {
        self.batched(setup, size, |inputs, outputs| {
            timed(|| {
                for input in inputs.iter_mut() {
                    outputs.push(routine(input));
                }
            })
        });
    }

    /// Criterion's `iter_with_setup`: [`Bencher::iter_batched`] with one input per
    /// energy window ([`BatchSize::PerIteration`]).
    pub fn iter_with_setup<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched(setup, routine, BatchSize::PerIteration);
    }

    /// Measure `routine` with its outputs dropped outside the energy windows (criterion's
    /// `iter_with_large_drop`): for routines whose result is expensive to drop.
    pub fn iter_with_large_drop<O, R: FnMut() -> O>(&mut self, mut routine: R) {
        self.iter_batched(|| (), |()| routine(), BatchSize::Auto);
    }

    /// The batched loop: `run` moves or borrows a batch of inputs into outputs, between
    /// the edges of one energy window, and returns the time the routine took (timed by
    /// `run` so that an async routine is timed inside its future, without the
    /// executor's entry and exit).
    pub(super) fn batched<I, O, S>(
        &mut self,
        mut setup: S,
        size: BatchSize,
        mut run: impl FnMut(&mut Vec<I>, &mut Vec<O>) -> Duration,
    ) where
        S: FnMut() -> I,
    {
        let mut inputs: Vec<I> = Vec::new();
        let mut outputs: Vec<O> = Vec::new();
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    inputs.push(setup());
                    run(&mut inputs, &mut outputs);
                    black_box(&mut outputs);
                    outputs.clear();
                    inputs.clear();
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    // Time only the routine, as the samples will.
                    let mut routine_time = Duration::ZERO;
                    let (iters, _) = warm_up(budget, |n| {
                        for _ in 0..n {
                            inputs.push(setup());
                            routine_time += run(&mut inputs, &mut outputs);
                            black_box(&mut outputs);
                            outputs.clear();
                            inputs.clear();
                        }
                    });
                    self.reply(self.warmed_up(CaseKind::IterBatched, iters, routine_time));
                }
                Command::Sample(req) => {
                    let (iters, limit) = (req.iters.max(1), req.limit);
                    let per_batch = size.iters_per_batch(iters, limit);
                    let mut windows = Vec::with_capacity(iters.div_ceil(per_batch) as usize);
                    let mut elapsed = Duration::ZERO;
                    let mut left = iters;
                    while left > 0 {
                        let n = per_batch.min(left);
                        inputs.extend((0..n).map(|_| setup()));
                        outputs.reserve(n as usize);
                        let start = self.sampler.edge();
                        elapsed += run(&mut inputs, &mut outputs);
                        let end = self.sampler.edge();
                        black_box(&mut outputs);
                        outputs.clear();
                        inputs.clear();
                        windows.push((start, end));
                        left -= n;
                    }
                    let sample = RawSample::timed(iters, elapsed, windows);
                    self.reply(Reply::Sampled(Box::new(sample)));
                }
            }
        }
    }
}

/// The time `f` takes.
#[inline(always)]
fn timed(f: impl FnOnce()) -> Duration {
    let t0 = Instant::now();
    f();
    t0.elapsed()
}
