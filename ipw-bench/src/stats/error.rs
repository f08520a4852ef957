//! Errors of the statistics engine.

use thiserror::Error;

/// Why a statistic could not be computed; each message says what the data needs.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StatsError {
    #[error("{what} needs at least {needed} observations, got {got}")]
    TooFew {
        what: &'static str,
        needed: usize,
        got: usize,
    },
    #[error("{what}: the data contain a NaN or infinite value; remove or fix it")]
    NonFinite { what: &'static str },
    #[error("{what}: the values overflow f64 here (magnitudes near 1e308): rescale the column, e.g. to kJ or MJ")]
    Overflow { what: &'static str },
    #[error("{what}: every value is the same, so the spread is zero and the test is undefined")]
    ZeroVariance { what: &'static str },
    #[error("{what}: the two samples must have the same length for pairing ({left} vs {right})")]
    Unpaired {
        what: &'static str,
        left: usize,
        right: usize,
    },
    #[error("{name} must be in {range}, got {value}")]
    OutOfRange {
        name: &'static str,
        range: &'static str,
        value: f64,
    },
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
