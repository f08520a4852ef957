//! `iter_custom` and `iter_custom_energy`: loops that time themselves (and, for the
//! second, measure their own energy).

use super::{Bencher, Command, Reply};
use crate::measure::record::{CaseKind, RawSample};
use std::time::{Duration, Instant};

impl Bencher {
    /// Criterion's `iter_custom`: `routine(iters)` runs `iters` iterations and returns the
    /// time they took, measured as it chooses (a part of the work, another clock).
    ///
    /// The energy window opens just before the call and closes just after it, so the
    /// case's energy covers the whole call, including what the routine does outside the
    /// time it returns; the case's plan notes say so.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// b.iter_custom(|iters| {
    ///     let t = std::time::Instant::now();
    ///     for i in 0..iters {
    ///         std::hint::black_box(i.wrapping_mul(31));
    ///     }
    ///     t.elapsed()
    /// });
    /// # }
    /// ```
    pub fn iter_custom<R: FnMut(u64) -> Duration>(&mut self, mut routine: R) {
        self.custom(CaseKind::IterCustom, |iters| (routine(iters), None));
    }

    /// [`Bencher::iter_custom`] for a bench function that measures energy itself (a device
    /// ipw-bench has no sensor for): `routine(iters)` returns the time and the joules of
    /// `iters` iterations. Those joules replace the sensors' for the case, whose energy
    /// estimates then have the provenance `reported`: measured, but not by ipw-bench.
    ///
    /// ```no_run
    /// # fn read_my_meter_joules() -> f64 { 0.0 }
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// b.iter_custom_energy(|iters| {
    ///     let (t, j0) = (std::time::Instant::now(), read_my_meter_joules());
    ///     for i in 0..iters {
    ///         std::hint::black_box(i.wrapping_mul(31));
    ///     }
    ///     (t.elapsed(), read_my_meter_joules() - j0)
    /// });
    /// # }
    /// ```
    pub fn iter_custom_energy<R: FnMut(u64) -> (Duration, f64)>(&mut self, mut routine: R) {
        self.custom(CaseKind::IterCustomEnergy, |iters| {
            let (t, j) = routine(iters);
            (t, Some(j))
        });
    }

    /// The loop of routines that time themselves: `routine(iters)` returns the time of
    /// `iters` iterations (and any joules it measured), between the edges of one window.
    pub(super) fn custom(
        &mut self,
        kind: CaseKind,
        mut routine: impl FnMut(u64) -> (Duration, Option<f64>),
    ) {
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    routine(1);
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    let t0 = Instant::now();
                    let (mut iters, mut elapsed, mut n) = (0u64, Duration::ZERO, 1u64);
                    while t0.elapsed() < budget {
                        elapsed += routine(n).0;
                        iters += n;
                        n = n.saturating_mul(2);
                    }
                    // A routine that reports no time would make the plan divide by zero.
                    let elapsed = elapsed.max(Duration::from_nanos(1));
                    self.reply(self.warmed_up(kind, iters.max(1), elapsed));
                }
                Command::Sample(req) => {
                    let iters = req.iters.max(1);
                    let start = self.sampler.edge();
                    let (elapsed, joules) = routine(iters);
                    let end = self.sampler.edge();
                    let mut sample = RawSample::timed(iters, elapsed, vec![(start, end)]);
                    sample.reported_energy_j = joules;
                    self.reply(Reply::Sampled(Box::new(sample)));
                }
            }
        }
    }
}
