//! `Bencher::to_async` and `AsyncBencher`: the measured loops with routines that return
//! futures (feature `async`).
//!
//! Each loop is the synchronous one (`custom`, `batched`) with one call of the executor's
//! `block_on` per energy window: the future it runs loops over every iteration of the
//! window and times them from inside, as criterion's `AsyncBencher` does, so neither the
//! executor's entry and exit nor a `block_on` per iteration is in the time.

use super::Bencher;
use crate::measure::async_executor::AsyncExecutor;
use crate::measure::batch::BatchSize;
use crate::measure::record::CaseKind;
use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

impl Bencher {
    /// Measure async routines, their futures run by `runner`: a tokio `Runtime` or
    /// `&Runtime` (feature `async-tokio`), [`FuturesExecutor`](crate::async_executor::FuturesExecutor),
    /// or any [`AsyncExecutor`]. Criterion's `to_async`.
    ///
    /// ```no_run
    /// # #[cfg(feature = "async-tokio")]
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// b.to_async(&rt).iter(|| async {
    ///     tokio::task::yield_now().await;
    /// });
    /// # }
    /// ```
    #[must_use = "nothing is measured until a loop (`iter`, `iter_batched`, ...) is called"]
    pub fn to_async<A: AsyncExecutor>(&mut self, runner: A) -> AsyncBencher<'_, A> {
        AsyncBencher { b: self, runner }
    }
}

/// [`Bencher`] for routines that return futures, made by [`Bencher::to_async`]; the loops
/// and their energy windows are the synchronous ones.
///
/// In each energy window the executor runs one future that awaits the window's
/// iterations one after another and times them from inside: a sample of `iter` is one
/// `block_on`, and so is each batch of `iter_batched` (one per iteration only with
/// [`BatchSize::PerIteration`], which asks for a window per iteration). The executor's
/// entry and exit are outside the time but inside the energy window, like the edge reads
/// that delimit it.
pub struct AsyncBencher<'b, A: AsyncExecutor> {
    b: &'b mut Bencher,
    runner: A,
}

impl<A: AsyncExecutor> AsyncBencher<'_, A> {
    /// Measure `routine`'s future: time and energy per iteration (criterion's
    /// `AsyncBencher::iter`). The case's kind is `iter`.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::async_executor::FuturesExecutor;
    /// async fn checksum(data: &[u8]) -> u64 {
    ///     data.iter().map(|&x| x as u64).sum()
    /// }
    /// let data = vec![1u8; 4096];
    /// b.to_async(FuturesExecutor).iter(|| checksum(&data));
    /// # }
    /// ```
    pub fn iter<O, R, F>(&mut self, mut routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        let AsyncBencher { b, runner } = self;
        b.custom(CaseKind::Iter, |iters| {
            let elapsed = runner.block_on(async {
                let t0 = Instant::now();
                for _ in 0..iters {
                    black_box(routine().await);
                }
                t0.elapsed()
            });
            (elapsed, None)
        });
    }

    /// [`Bencher::iter_batched`] with an async routine: inputs made by `setup` and
    /// outputs dropped outside the windows, one `block_on` per batch.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::{async_executor::FuturesExecutor, BatchSize};
    /// b.to_async(FuturesExecutor).iter_batched(
    ///     || (0..1000u64).rev().collect::<Vec<_>>(),
    ///     |mut v| async move {
    ///         v.sort_unstable();
    ///         v
    ///     },
    ///     BatchSize::SmallInput,
    /// );
    /// # }
    /// ```
    pub fn iter_batched<I, O, S, R, F>(&mut self, setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        let AsyncBencher { b, runner } = self;
        b.batched(setup, size, |inputs, outputs| {
            runner.block_on(async {
                let t0 = Instant::now();
                for input in inputs.drain(..) {
                    outputs.push(routine(input).await);
                }
                t0.elapsed()
            })
        });
    }

    /// [`Bencher::iter_batched_ref`] with an async routine. As in criterion, the future
    /// cannot borrow the input: it gets what it needs from `&mut I` before it is made.
    pub fn iter_batched_ref<I, O, S, R, F>(&mut self, setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> F,
        F: Future<Output = O>,
    {
        let AsyncBencher { b, runner } = self;
        b.batched(setup, size, |inputs, outputs| {
            runner.block_on(async {
                let t0 = Instant::now();
                for input in inputs.iter_mut() {
                    outputs.push(routine(input).await);
                }
                t0.elapsed()
            })
        });
    }

    /// [`Bencher::iter_with_setup`] with an async routine: one input per window.
    pub fn iter_with_setup<I, O, S, R, F>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        self.iter_batched(setup, routine, BatchSize::PerIteration);
    }

    /// [`Bencher::iter_with_large_drop`] with an async routine.
    pub fn iter_with_large_drop<O, R, F>(&mut self, mut routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        self.iter_batched(|| (), |()| routine(), BatchSize::Auto);
    }

    /// [`Bencher::iter_custom`] with an async routine: `routine(iters)`'s future runs
    /// `iters` iterations and returns their time; the energy window covers its
    /// `block_on`.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::async_executor::FuturesExecutor;
    /// b.to_async(FuturesExecutor).iter_custom(|iters| async move {
    ///     let t = std::time::Instant::now();
    ///     for i in 0..iters {
    ///         std::hint::black_box(i.wrapping_mul(31));
    ///     }
    ///     t.elapsed()
    /// });
    /// # }
    /// ```
    pub fn iter_custom<R, F>(&mut self, mut routine: R)
    where
        R: FnMut(u64) -> F,
        F: Future<Output = Duration>,
    {
        let AsyncBencher { b, runner } = self;
        b.custom(CaseKind::IterCustom, |iters| {
            (runner.block_on(routine(iters)), None)
        });
    }

    /// [`Bencher::iter_custom_energy`] with an async routine: its future returns the time
    /// and the joules of `iters` iterations.
    pub fn iter_custom_energy<R, F>(&mut self, mut routine: R)
    where
        R: FnMut(u64) -> F,
        F: Future<Output = (Duration, f64)>,
    {
        let AsyncBencher { b, runner } = self;
        b.custom(CaseKind::IterCustomEnergy, |iters| {
            let (t, j) = runner.block_on(routine(iters));
            (t, Some(j))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::async_executor::FuturesExecutor;
    use crate::measure::batch::WindowLimit;
    use crate::measure::bencher::{Command, Reply, SampleRequest};
    use crate::measure::record::RawSample;
    use crate::measure::sampler::Sampler;
    use crate::measure::worker;
    use std::cell::Cell;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// An executor whose entry is slow (10 ms before the first poll) and that counts its
    /// calls: time taken outside the future, or a `block_on` per iteration, shows.
    struct SlowEntry<'c>(&'c Cell<u32>);

    const ENTRY: Duration = Duration::from_millis(10);

    impl AsyncExecutor for SlowEntry<'_> {
        fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
            self.0.set(self.0.get() + 1);
            std::thread::sleep(ENTRY);
            FuturesExecutor.block_on(future)
        }
    }

    /// Pending once (woken at once), then ready: each iteration really suspends.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = u64;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
            if self.0 {
                return Poll::Ready(1);
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn sample(iters: u64) -> Command {
        Command::Sample(SampleRequest {
            iters,
            limit: WindowLimit {
                for_sensors: u64::MAX,
                single: false,
            },
            first_question: 0,
            per_answer_windows: false,
        })
    }

    /// Runs `f` on a Bencher that is asked for one test run and one sample of `iters`;
    /// returns the sample and how many `block_on` calls the sample made.
    fn measure(iters: u64, f: impl FnOnce(&mut Bencher, SlowEntry<'_>)) -> (RawSample, u32) {
        let sampler = Sampler::start(Vec::new(), Duration::from_millis(1));
        let (mut b, replies) = worker::scripted(&[Command::Test, sample(iters)], sampler);
        let calls = Cell::new(0);
        f(&mut b, SlowEntry(&calls));
        assert!(matches!(replies.recv().unwrap(), Reply::Tested));
        let test_calls = 1;
        match replies.recv().unwrap() {
            Reply::Sampled(s) => (*s, calls.get() - test_calls),
            _ => panic!("no sample"),
        }
    }

    #[test]
    fn iter_runs_a_sample_in_one_future_timed_from_inside() {
        let (s, calls) = measure(200, |b, e| b.to_async(e).iter(|| YieldOnce(false)));
        assert_eq!(calls, 1, "one block_on for the whole sample");
        assert_eq!((s.iters, s.windows.len()), (200, 1));
        let elapsed = Duration::from_nanos(s.elapsed_ns);
        assert!(elapsed < ENTRY, "executor entry timed: {elapsed:?}");
        assert!(elapsed > Duration::ZERO);
    }

    #[test]
    fn iter_batched_runs_each_window_in_one_future() {
        let (s, calls) = measure(100, |b, e| {
            b.to_async(e).iter_batched(
                || vec![5u64; 64],
                |v| async move {
                    YieldOnce(false).await;
                    v.iter().sum::<u64>()
                },
                BatchSize::NumBatches(4),
            )
        });
        assert_eq!((calls, s.windows.len()), (4, 4));
        assert!(Duration::from_nanos(s.elapsed_ns) < ENTRY);
    }

    #[test]
    fn iter_batched_ref_lends_each_input() {
        let seen = Cell::new(0u64);
        let (s, calls) = measure(10, |b, e| {
            b.to_async(e).iter_batched_ref(
                || 3u64,
                |x| {
                    seen.set(seen.get() + *x);
                    YieldOnce(false)
                },
                BatchSize::NumBatches(1),
            )
        });
        assert_eq!((calls, s.windows.len()), (1, 1));
        assert_eq!(
            seen.get(),
            3 * 11,
            "the test run and the sample's ten iterations"
        );
    }

    #[test]
    fn iter_custom_returns_the_futures_time_and_energy() {
        let (s, calls) = measure(7, |b, e| {
            b.to_async(e)
                .iter_custom_energy(|iters| async move { (Duration::from_micros(iters), 0.5) })
        });
        assert_eq!(calls, 1);
        assert_eq!((s.elapsed_ns, s.reported_energy_j), (7_000, Some(0.5)));
        let (s, _) = measure(7, |b, e| {
            b.to_async(e)
                .iter_custom(|iters| async move { Duration::from_micros(iters) })
        });
        assert_eq!((s.elapsed_ns, s.reported_energy_j), (7_000, None));
    }

    #[test]
    fn warm_up_reports_the_iterations_it_ran() {
        let sampler = Sampler::start(Vec::new(), Duration::from_millis(1));
        let warm = Command::WarmUp(Duration::from_millis(5));
        let (mut b, replies) = worker::scripted(&[warm], sampler);
        let runs = Cell::new(0u64);
        b.to_async(FuturesExecutor).iter(|| {
            runs.set(runs.get() + 1);
            YieldOnce(false)
        });
        match replies.recv().unwrap() {
            Reply::WarmedUp { kind, iters, .. } => {
                assert_eq!(kind, CaseKind::Iter);
                assert_eq!(iters, runs.get());
            }
            _ => panic!("no warm-up"),
        }
    }
}
