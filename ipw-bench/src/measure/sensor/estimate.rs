//! `estimate`: the fallback when nothing is measured, CPU time x per-core power.
//!
//! The model: energy = (CPU time of this process, all threads) x `watts_per_core`.
//! `watts_per_core` defaults to [`DEFAULT_WATTS_PER_CORE`] and can be set with
//! `IPW_ESTIMATE_CORE_WATTS`. It ignores idle power, DRAM, uncore, turbo and frequency, so
//! it ranks CPU-bound code but says little about a machine's real draw; every number it
//! produces is labelled *estimated*.

use super::DiscoveryError;
use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit};
use std::collections::BTreeMap;
use std::time::Duration;

/// Watts per fully busy core: a mid-range figure for current desktop and server x86 cores
/// at all-core load (package TDP divided by core count is typically 5 to 15 W).
pub const DEFAULT_WATTS_PER_CORE: f64 = 10.0;

/// The `estimate` source: a µJ counter of this process's CPU time (all threads) times a
/// per-core power; its numbers are labelled estimated.
pub struct EstimateSensor {
    info: SensorInfo,
    watts_per_core: f64,
}

impl EstimateSensor {
    /// An estimate that counts `watts_per_core` joules per second of process CPU time.
    pub fn new(watts_per_core: f64) -> EstimateSensor {
        let mut details = BTreeMap::new();
        details.insert(
            "model".to_string(),
            "process CPU time x watts_per_core".to_string(),
        );
        details.insert("watts_per_core".to_string(), format!("{watts_per_core}"));
        details.insert("clock".to_string(), "CLOCK_PROCESS_CPUTIME_ID".to_string());
        EstimateSensor {
            info: SensorInfo {
                id: "estimate".to_string(),
                source: "estimate".to_string(),
                domain: Domain::new(Domain::CPU_PACKAGE),
                label: "CPU time x per-core power (estimate)".to_string(),
                provenance: Provenance::Estimated,
                kind: SensorKind::Counter,
                unit: Unit::Microjoule,
                resolution: watts_per_core * 1e-9,
                update_period: Duration::from_millis(1),
                contained_in: None,
                details,
            },
            watts_per_core,
        }
    }

    /// The per-core power from `IPW_ESTIMATE_CORE_WATTS`, or the default.
    pub fn watts_per_core_from_env() -> Result<f64, DiscoveryError> {
        let bad = |value: String| DiscoveryError::BadSetting {
            variable: "IPW_ESTIMATE_CORE_WATTS",
            value,
            expected: "a positive number of watts",
        };
        match std::env::var_os("IPW_ESTIMATE_CORE_WATTS") {
            Some(v) => match v.to_str().map(|s| s.trim().parse::<f64>()) {
                Some(Ok(w)) if w.is_finite() && w > 0.0 => Ok(w),
                _ => Err(bad(v.to_string_lossy().into_owned())),
            },
            None => Ok(DEFAULT_WATTS_PER_CORE),
        }
    }
}

/// CPU time consumed by all threads of this process.
pub(crate) fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Sensor for EstimateSensor {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let cpu = process_cpu_time().as_secs_f64();
        Ok(RawReading::value((cpu * self.watts_per_core * 1e6) as u64))
    }

    fn max_plausible_power_w(&self) -> f64 {
        self.watts_per_core * 1024.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_is_cpu_time_times_watts_per_core() {
        let mut s = EstimateSensor::new(10.0);
        let cpu0 = process_cpu_time();
        let a = s.read().unwrap().value;
        let mut x = 0u64;
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let b = s.read().unwrap().value;
        let cpu1 = process_cpu_time();
        let joules = (b - a) as f64 * 1e-6;
        // The sensor's span lies inside the clock's span, so its energy is at most 10 W
        // times the clock's CPU time, and the busy loop made that span non-trivial.
        let bound = (cpu1 - cpu0).as_secs_f64() * 10.0;
        assert!(
            joules > 0.0 && joules <= bound + 1e-6,
            "{joules} J, bound {bound}"
        );
        assert!(joules >= 0.5 * bound, "{joules} J, bound {bound}");
        assert_eq!(s.info().provenance, Provenance::Estimated);
    }
}
