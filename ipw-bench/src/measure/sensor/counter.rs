//! Software extension of wrapping and resetting energy counters.
//!
//! RAPL's `energy_uj` is a 32-bit hardware count scaled to µJ that wraps at
//! `max_energy_range_uj`; NVML's total energy is 64-bit mJ that only goes down when the
//! driver reloads. The extender turns either into a monotonic 64-bit count in the native
//! unit and flags what it cannot know: a wrap that may have been missed, or a reset.

/// The reading wrapped once and was extended.
pub const WRAPPED: u8 = 1;
/// The time since the last reading was long enough to hide a whole wrap: the energy of
/// this interval is unknown.
pub const MAYBE_MISSED_WRAP: u8 = 2;
/// The counter went down without a wrap range (a driver reset): the energy of this
/// interval is unknown.
pub const RESET: u8 = 4;
/// The read failed; the value repeats the last good one.
pub const READ_ERROR: u8 = 8;
/// The source disappeared; every later window is invalid for it.
pub const GONE: u8 = 16;

/// Flags that make the interval before the reading unusable.
pub const INVALIDATING: u8 = MAYBE_MISSED_WRAP | RESET | READ_ERROR | GONE;

/// A counter reading after extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extended {
    /// Monotonic count in the native unit since the first reading.
    pub value: u64,
    /// Bit set of the flags above.
    pub flags: u8,
}

/// Per-source state of the extension.
#[derive(Debug, Clone)]
pub struct CounterExtender {
    wrap_range: Option<u64>,
    /// Native units a source can add per nanosecond at its plausible maximum power.
    max_units_per_ns: f64,
    last: Option<(u64, u64)>,
    total: u64,
}

impl CounterExtender {
    /// `unit_si` converts one native unit to joules (1e-6 for µJ).
    pub fn new(wrap_range: Option<u64>, max_power_w: f64, unit_si: f64) -> CounterExtender {
        CounterExtender {
            wrap_range,
            max_units_per_ns: max_power_w * 1e-9 / unit_si,
            last: None,
            total: 0,
        }
    }

    /// Feed a raw reading taken at `t_ns` (monotonic nanoseconds).
    pub fn update(&mut self, raw: u64, t_ns: u64) -> Extended {
        let Some((last_raw, last_t)) = self.last else {
            self.last = Some((raw, t_ns));
            return Extended { value: 0, flags: 0 };
        };
        let mut flags = 0;
        let delta = if raw >= last_raw {
            raw - last_raw
        } else if let Some(range) = self.wrap_range {
            flags |= WRAPPED;
            // The counter runs 0..=range, so the step across the wrap is what was left
            // to the top plus what was counted from zero.
            range.saturating_sub(last_raw) + raw
        } else {
            flags |= RESET;
            // After a reset the counter restarted from zero at an unknown moment; the
            // raw value is a lower bound, and the interval is flagged invalid anyway.
            raw
        };
        if let Some(range) = self.wrap_range {
            let elapsed = t_ns.saturating_sub(last_t) as f64;
            if elapsed * self.max_units_per_ns >= range as f64 {
                flags |= MAYBE_MISSED_WRAP;
            }
        }
        self.total = self.total.saturating_add(delta);
        self.last = Some((raw, t_ns));
        Extended {
            value: self.total,
            flags,
        }
    }

    /// The extended value of the last reading (0 before any).
    pub fn current(&self) -> u64 {
        self.total
    }

    /// The longest interval between reads that cannot hide a whole wrap, in nanoseconds.
    pub fn safe_interval_ns(&self) -> Option<u64> {
        self.wrap_range
            .map(|r| (r as f64 / self.max_units_per_ns.max(f64::MIN_POSITIVE)).round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u64 = 1_000_000;

    #[test]
    fn plain_increase() {
        let mut c = CounterExtender::new(Some(1_000_000), 100.0, 1e-6);
        assert_eq!(c.update(10, 0).value, 0);
        let e = c.update(510, MS);
        assert_eq!(
            e,
            Extended {
                value: 500,
                flags: 0
            }
        );
    }

    #[test]
    fn wrap_is_extended() {
        let mut c = CounterExtender::new(Some(1_000_000), 100.0, 1e-6);
        c.update(999_000, 0);
        let e = c.update(500, MS);
        assert_eq!(e.value, 1_500);
        assert_eq!(e.flags, WRAPPED);
    }

    #[test]
    fn long_gap_may_hide_a_wrap() {
        // 1 J range at up to 100 W wraps in 10 ms; a 20 ms gap could hide one.
        let mut c = CounterExtender::new(Some(1_000_000), 100.0, 1e-6);
        c.update(0, 0);
        let e = c.update(400_000, 20 * MS);
        assert!(e.flags & MAYBE_MISSED_WRAP != 0);
        assert_eq!(c.safe_interval_ns(), Some(10 * MS));
    }

    #[test]
    fn decrease_without_range_is_a_reset() {
        let mut c = CounterExtender::new(None, 700.0, 1e-3);
        c.update(5_000, 0);
        c.update(6_000, MS);
        let e = c.update(20, 2 * MS);
        assert_eq!(e.flags, RESET);
        assert_eq!(e.value, 1_020);
    }
}
