//! `synthetic:WATTS`: a constant-power counter for tests and demonstrations.

use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A cumulative energy counter (µJ) that grows at exactly `watts`.
/// Labelled synthetic everywhere: its numbers describe no hardware.
pub struct SyntheticSensor {
    info: SensorInfo,
    start: Instant,
    watts: f64,
}

impl SyntheticSensor {
    /// A counter that grows at exactly `watts` W from now on.
    pub fn new(watts: f64) -> SyntheticSensor {
        let mut details = BTreeMap::new();
        details.insert("watts".to_string(), format!("{watts}"));
        SyntheticSensor {
            info: SensorInfo {
                id: "synthetic".to_string(),
                source: "synthetic".to_string(),
                domain: Domain::new(Domain::SYSTEM),
                label: format!("synthetic {watts} W"),
                provenance: Provenance::Synthetic,
                kind: SensorKind::Counter,
                unit: Unit::Microjoule,
                resolution: 1e-6,
                update_period: Duration::from_millis(1),
                contained_in: None,
                details,
            },
            start: Instant::now(),
            watts,
        }
    }
}

impl Sensor for SyntheticSensor {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let micro_joules = self.start.elapsed().as_secs_f64() * self.watts * 1e6;
        Ok(RawReading::value(micro_joules.round() as u64))
    }

    fn max_plausible_power_w(&self) -> f64 {
        self.watts * 2.0 + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_at_the_given_power() {
        let mut s = SyntheticSensor::new(50.0);
        let a = s.read().unwrap().value;
        let t = Instant::now();
        std::thread::sleep(Duration::from_millis(20));
        let b = s.read().unwrap().value;
        let secs = t.elapsed().as_secs_f64();
        let watts = (b - a) as f64 * 1e-6 / secs;
        assert!((watts - 50.0).abs() < 5.0, "{watts}");
        assert_eq!(s.info().provenance, Provenance::Synthetic);
    }
}
