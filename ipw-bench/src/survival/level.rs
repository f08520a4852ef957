//! The Survival Game level, read from the interval of the tail exponent.

use serde::{Deserialize, Serialize};

/// The level a subject reaches, from the tail exponent a of its failure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// a <= 2: the expected failure count diverges; no better than blind enumeration.
    Limited,
    /// 2 < a <= 3: finite mean, infinite variance; finds solutions, but unstably.
    Capable,
    /// a > 3: finite mean and variance; finds solutions reliably at an affordable cost.
    Autonomous,
    /// The interval of a straddles 2 or 3: the data cannot tell the levels apart.
    Indeterminate,
}

impl Level {
    /// The level of a single value of a.
    pub fn of(alpha: f64) -> Level {
        if alpha <= 2.0 {
            Level::Limited
        } else if alpha <= 3.0 {
            Level::Capable
        } else {
            Level::Autonomous
        }
    }

    /// The level when the whole interval `[low, high]` agrees on one, else
    /// [`Level::Indeterminate`].
    pub fn of_interval(low: f64, high: f64) -> Level {
        if !(low.is_finite() && high.is_finite()) {
            return Level::Indeterminate;
        }
        let level = Level::of(low);
        if Level::of(high) == level {
            level
        } else {
            Level::Indeterminate
        }
    }

    /// The name used in JSON: `limited`, `capable`, `autonomous`, `indeterminate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Limited => "limited",
            Level::Capable => "capable",
            Level::Autonomous => "autonomous",
            Level::Indeterminate => "indeterminate",
        }
    }

    /// One line in words, for the terminal.
    pub fn describe(self) -> &'static str {
        match self {
            Level::Limited => {
                "Limited (a <= 2): the expected number of failures diverges; no better than \
                 blind enumeration"
            }
            Level::Capable => {
                "Capable (2 < a <= 3): finite expected failures but infinite variance; finds \
                 solutions, unstably"
            }
            Level::Autonomous => {
                "Autonomous (a > 3): finite mean and variance of failures; finds solutions \
                 reliably"
            }
            Level::Indeterminate => {
                "Indeterminate: the interval of a straddles a threshold (2 or 3); more tasks \
                 or a higher cap are needed"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_belong_to_the_lower_level() {
        assert_eq!(Level::of(2.0), Level::Limited);
        assert_eq!(Level::of(2.0001), Level::Capable);
        assert_eq!(Level::of(3.0), Level::Capable);
        assert_eq!(Level::of(3.0001), Level::Autonomous);
    }

    #[test]
    fn intervals() {
        assert_eq!(Level::of_interval(1.2, 1.9), Level::Limited);
        assert_eq!(Level::of_interval(1.9, 2.1), Level::Indeterminate);
        assert_eq!(Level::of_interval(2.1, 2.9), Level::Capable);
        assert_eq!(Level::of_interval(2.9, 3.1), Level::Indeterminate);
        assert_eq!(Level::of_interval(1.5, 3.5), Level::Indeterminate);
        assert_eq!(Level::of_interval(3.2, 9.0), Level::Autonomous);
        assert_eq!(Level::of_interval(f64::NAN, 9.0), Level::Indeterminate);
        let json = serde_json::to_string(&Level::Indeterminate).expect("serialises");
        assert_eq!(json, "\"indeterminate\"");
    }
}
