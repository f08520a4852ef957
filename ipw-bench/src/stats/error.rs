//! Errors of the statistics engine.

use thiserror::Error;

/// Why a statistic could not be computed; each message says what the data needs.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    /// Too few observations for the statistic.
    #[error("{what} needs at least {needed} observations, got {got}")]
    TooFew {
        /// The statistic or test.
        what: &'static str,
        /// The fewest observations it accepts.
        needed: usize,
        /// Observations given.
        got: usize,
    },
    /// An observation is NaN or infinite.
    #[error("{what}: the data contain a NaN or infinite value; remove or fix it")]
    NonFinite {
        /// The statistic or test.
        what: &'static str,
    },
    /// An intermediate sum overflows `f64`.
    #[error("{what}: the values overflow f64 here (magnitudes near 1e308): rescale the column, e.g. to kJ or MJ")]
    Overflow {
        /// The statistic or test.
        what: &'static str,
    },
    /// Every value is the same, so a statistic that divides by the spread is undefined.
    #[error("{what}: every value is the same, so the spread is zero and the test is undefined")]
    ZeroVariance {
        /// The statistic or test.
        what: &'static str,
    },
    /// A paired statistic got two samples of different lengths.
    #[error("{what}: the two samples must have the same length for pairing ({left} vs {right})")]
    Unpaired {
        /// The statistic or test.
        what: &'static str,
        /// Length of the first sample.
        left: usize,
        /// Length of the second sample.
        right: usize,
    },
    /// A parameter lies outside its domain.
    #[error("{name} must be in {range}, got {value}")]
    OutOfRange {
        /// The parameter's name.
        name: &'static str,
        /// Its allowed range, as written in the message (e.g. `(0, 1)`).
        range: &'static str,
        /// The value given.
        value: f64,
    },
    /// Any other unusable input; the message says what is wrong.
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn check_finite(what: &'static str, data: &[f64]) -> Result<(), StatsError> {
    if data.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(StatsError::NonFinite { what })
    }
}

pub(crate) fn check_confidence(confidence: f64) -> Result<(), StatsError> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(StatsError::OutOfRange {
            name: "confidence",
            range: "(0, 1)",
            value: confidence,
        })
    }
}
