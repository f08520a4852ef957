//! How `iter_batched` splits a sample into batches, each with its own energy window.
//!
//! Setup must stay out of the measured energy, so a batch's inputs are all made before its
//! window opens and its outputs are dropped after it closes. One batch per sample keeps the
//! sample's energy in one window, but all of its inputs must then exist at once (300 inputs
//! of 80 KB are 24 MB, cold in cache by the time the routine reads them, which made sorting
//! 5-8% slower than criterion measures it). More batches keep the inputs warm, at a cost in
//! energy precision: each window's two edges carry up to one sensor update of quantisation
//! (zero on average, since edges fall at any phase of the sensor), so a sample cut into `k`
//! windows has about `sqrt(k)` times the quantisation noise of one window, which widens the
//! interval rather than biasing it. The default ([`BatchSize::Auto`]) uses criterion's ten
//! batches as far as every window still spans
//! [`crate::measure::schedule::SENSOR_PERIODS_PER_WINDOW`] updates of the slowest sensor, the length
//! below which attribution flags a window as short.

/// How many inputs `iter_batched` makes at a time (criterion's names and meanings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchSize {
    /// Ten batches per sample (criterion's `SmallInput`), fewer when a batch's window would
    /// be shorter than two updates of the slowest sensor; one under the phased GPU protocol.
    #[default]
    Auto,
    /// Ten batches per sample, whatever the sensors.
    SmallInput,
    /// A thousand batches per sample: for inputs too large to hold many of at once.
    LargeInput,
    /// One input at a time, each in its own energy window.
    PerIteration,
    /// This many batches per sample.
    NumBatches(u64),
    /// This many iterations per batch.
    NumIterations(u64),
}

/// Batches criterion's `SmallInput` makes per sample.
const SMALL_INPUT_BATCHES: u64 = 10;
/// Batches criterion's `LargeInput` makes per sample.
const LARGE_INPUT_BATCHES: u64 = 1000;

/// What the runner allows a sample's windows to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowLimit {
    /// Windows a sample can be cut into with each still spanning enough sensor updates.
    pub for_sensors: u64,
    /// One window whatever was asked (the phased GPU protocol times whole trials).
    pub single: bool,
}

impl WindowLimit {
    /// No splitting at all.
    pub const ONE: WindowLimit = WindowLimit {
        for_sensors: 1,
        single: true,
    };
}

impl BatchSize {
    /// Iterations per batch for a sample of `iters` iterations.
    pub fn iters_per_batch(self, iters: u64, limit: WindowLimit) -> u64 {
        let iters = iters.max(1);
        let batches = match self {
            _ if limit.single => 1,
            BatchSize::Auto => SMALL_INPUT_BATCHES.min(limit.for_sensors),
            BatchSize::SmallInput => SMALL_INPUT_BATCHES,
            BatchSize::LargeInput => LARGE_INPUT_BATCHES,
            BatchSize::PerIteration => iters,
            BatchSize::NumBatches(n) => n,
            BatchSize::NumIterations(n) => return n.clamp(1, iters),
        };
        iters.div_ceil(batches.clamp(1, iters))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FREE: WindowLimit = WindowLimit {
        for_sensors: u64::MAX,
        single: false,
    };

    fn batches(b: BatchSize, iters: u64, limit: WindowLimit) -> u64 {
        iters.div_ceil(b.iters_per_batch(iters, limit))
    }

    #[test]
    fn auto_is_small_input_when_the_sensors_allow_it() {
        assert_eq!(batches(BatchSize::Auto, 300, FREE), 10);
        assert_eq!(BatchSize::Auto.iters_per_batch(300, FREE), 30);
        assert_eq!(batches(BatchSize::SmallInput, 300, FREE), 10);
    }

    #[test]
    fn auto_keeps_each_window_long_enough_for_the_sensors() {
        let limit = WindowLimit {
            for_sensors: 3,
            single: false,
        };
        assert_eq!(batches(BatchSize::Auto, 300, limit), 3);
        let one = WindowLimit {
            for_sensors: 1,
            single: false,
        };
        assert_eq!(batches(BatchSize::Auto, 300, one), 1);
        // An explicit choice is the user's: kept, and warned about elsewhere.
        assert_eq!(batches(BatchSize::SmallInput, 300, one), 10);
    }

    #[test]
    fn a_single_window_overrides_every_choice() {
        for b in [
            BatchSize::Auto,
            BatchSize::SmallInput,
            BatchSize::LargeInput,
            BatchSize::PerIteration,
            BatchSize::NumBatches(7),
        ] {
            assert_eq!(batches(b, 300, WindowLimit::ONE), 1, "{b:?}");
        }
    }

    #[test]
    fn explicit_sizes_and_edges() {
        assert_eq!(batches(BatchSize::PerIteration, 17, FREE), 17);
        assert_eq!(batches(BatchSize::NumBatches(4), 10, FREE), 4);
        assert_eq!(BatchSize::NumBatches(4).iters_per_batch(10, FREE), 3);
        assert_eq!(BatchSize::NumIterations(4).iters_per_batch(10, FREE), 4);
        assert_eq!(BatchSize::NumIterations(40).iters_per_batch(10, FREE), 10);
        assert_eq!(BatchSize::NumIterations(0).iters_per_batch(10, FREE), 1);
        assert_eq!(batches(BatchSize::NumBatches(0), 10, FREE), 1);
        assert_eq!(batches(BatchSize::LargeInput, 5, FREE), 5);
        assert_eq!(BatchSize::SmallInput.iters_per_batch(0, FREE), 1);
    }
}
