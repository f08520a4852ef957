//! criterion's `AsyncBencher` and `async_executor` module, over ipw-bench's (feature
//! `async`).

use crate::async_executor::AsyncExecutor;
use crate::bencher::Bencher;
use crate::measurement::{Measurement, WallTime};
use crate::BatchSize;
use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

impl<'a, M: Measurement> Bencher<'a, M> {
    /// Measure async routines, their futures run by `runner` (a tokio `Runtime` or
    /// `&Runtime` with feature `async_tokio`, `FuturesExecutor` with `async_futures`).
    #[must_use = "nothing is measured until a loop (`iter`, `iter_batched`, ...) is called"]
    pub fn to_async<'b, A: AsyncExecutor>(&'b mut self, runner: A) -> AsyncBencher<'a, 'b, A, M> {
        AsyncBencher {
            inner: self.native().to_async(runner),
            measurement: PhantomData,
        }
    }
}

/// criterion's `AsyncBencher`: ipw-bench's, whose energy windows each run one future
/// over their iterations, timed from inside it.
pub struct AsyncBencher<'a, 'b, A: AsyncExecutor, M: Measurement = WallTime> {
    inner: ipw_bench::AsyncBencher<'b, A>,
    measurement: PhantomData<(&'a (), M)>,
}

impl<A: AsyncExecutor, M: Measurement> AsyncBencher<'_, '_, A, M> {
    /// Time and energy per iteration of `routine`'s future.
    pub fn iter<O, R, F>(&mut self, routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        self.inner.iter(routine);
    }

    /// The future times `iters` iterations itself; the energy window covers its run.
    pub fn iter_custom<R, F>(&mut self, routine: R)
    where
        R: FnMut(u64) -> F,
        F: Future<Output = Duration>,
    {
        self.inner.iter_custom(routine);
    }

    /// One input per energy window.
    pub fn iter_with_setup<I, O, S, R, F>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        self.inner.iter_with_setup(setup, routine);
    }

    /// Outputs dropped outside the measured windows.
    pub fn iter_with_large_drop<O, R, F>(&mut self, routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        self.inner.iter_with_large_drop(routine);
    }

    /// `routine`'s futures on inputs made by `setup`, outside the measured windows.
    pub fn iter_batched<I, O, S, R, F>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        self.inner.iter_batched(setup, routine, size.native());
    }

    /// [`AsyncBencher::iter_batched`] with the routine borrowing its input.
    pub fn iter_batched_ref<I, O, S, R, F>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> F,
        F: Future<Output = O>,
    {
        self.inner.iter_batched_ref(setup, routine, size.native());
    }
}
