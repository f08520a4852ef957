//! criterion's `Bencher`, over ipw-bench's.

use crate::measurement::{Measurement, WallTime};
use crate::BatchSize;
use std::marker::PhantomData;
use std::time::Duration;

/// The handle a benchmark closure gets: criterion's methods, measured by ipw-bench (time
/// and energy per iteration).
pub struct Bencher<'a, M: Measurement = WallTime> {
    inner: &'a mut ipw_bench::Bencher,
    measurement: PhantomData<M>,
}

impl<'a, M: Measurement> Bencher<'a, M> {
    pub(crate) fn new(inner: &'a mut ipw_bench::Bencher) -> Bencher<'a, M> {
        Bencher {
            inner,
            measurement: PhantomData,
        }
    }

    /// The native Bencher, for the async loops.
    #[cfg(feature = "async")]
    pub(crate) fn native(&mut self) -> &mut ipw_bench::Bencher {
        self.inner
    }

    /// Time and energy per iteration of `routine`.
    pub fn iter<O, R: FnMut() -> O>(&mut self, routine: R) {
        self.inner.iter(routine);
    }

    /// `routine` on inputs made by `setup`, outside the measured windows.
    pub fn iter_batched<I, O, S, R>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.inner.iter_batched(setup, routine, size.native());
    }

    /// [`Bencher::iter_batched`] with the routine borrowing its input.
    pub fn iter_batched_ref<I, O, S, R>(&mut self, setup: S, routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> O,
    {
        self.inner.iter_batched_ref(setup, routine, size.native());
    }

    /// One input per energy window.
    pub fn iter_with_setup<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.inner.iter_with_setup(setup, routine);
    }

    /// Outputs dropped outside the measured windows.
    pub fn iter_with_large_drop<O, R: FnMut() -> O>(&mut self, routine: R) {
        self.inner.iter_with_large_drop(routine);
    }

    /// The routine times `iters` iterations itself; the energy window covers the call.
    pub fn iter_custom<R: FnMut(u64) -> Duration>(&mut self, routine: R) {
        self.inner.iter_custom(routine);
    }
}
