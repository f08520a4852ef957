//! `--sensors LIST`: which sources a run uses, and why each other one is not used.

use super::{EstimateSensor, Provenance, Sensor, SyntheticSensor};

/// One item of `--sensors`.
#[derive(Debug, Clone, PartialEq)]
pub enum SensorSpec {
    /// Every measured source found; the estimate only when none is.
    Auto,
    /// The CPU-time model, labelled estimated.
    Estimate,
    /// A constant-power source, labelled synthetic.
    Synthetic { watts: f64 },
}

/// Parse a comma-separated `--sensors` value.
pub fn parse_sensor_spec(value: &str) -> Result<Vec<SensorSpec>, String> {
    let mut specs = Vec::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let spec = match item {
            "auto" => SensorSpec::Auto,
            "estimate" => SensorSpec::Estimate,
            _ => match item.strip_prefix("synthetic:") {
                Some(w) => match w.trim().parse::<f64>() {
                    Ok(watts) if watts.is_finite() && watts >= 0.0 => {
                        SensorSpec::Synthetic { watts }
                    }
                    _ => {
                        return Err(format!(
                            "`{item}`: synthetic needs a non-negative power in watts, e.g. synthetic:50"
                        ))
                    }
                },
                None => {
                    return Err(format!(
                        "unknown sensor `{item}`; use auto, estimate or synthetic:WATTS"
                    ))
                }
            },
        };
        specs.push(spec);
    }
    if specs.is_empty() {
        return Err("no sensor given; use auto, estimate or synthetic:WATTS".to_string());
    }
    Ok(specs)
}

/// A source that was looked for and is not used, with the reason and the fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    pub source: String,
    pub reason: String,
}

/// The sources chosen for a run.
pub struct Discovery {
    pub sensors: Vec<Box<dyn Sensor>>,
    pub unused: Vec<Unused>,
}

impl Discovery {
    /// One line per source, printed once at the start of a run.
    pub fn summary(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .sensors
            .iter()
            .map(|s| {
                let i = s.info();
                format!(
                    "using {} ({}, {}, {})",
                    i.id, i.domain, i.label, i.provenance
                )
            })
            .collect();
        lines.extend(
            self.unused
                .iter()
                .map(|u| format!("not using {}: {}", u.source, u.reason)),
        );
        lines
    }

    /// True when no source in use is a measurement.
    pub fn estimated_only(&self) -> bool {
        self.sensors
            .iter()
            .all(|s| s.info().provenance != Provenance::Measured)
    }
}

/// Build the sources for `specs`.
pub fn discover(specs: &[SensorSpec]) -> Result<Discovery, String> {
    let mut sensors: Vec<Box<dyn Sensor>> = Vec::new();
    let mut unused = Vec::new();
    for spec in specs {
        match spec {
            SensorSpec::Auto => {
                let found = discover_measured(&mut unused);
                if found.is_empty() {
                    let watts = EstimateSensor::watts_per_core_from_env()?;
                    unused.push(Unused {
                        source: "measured energy".to_string(),
                        reason: "no measured source was found, so energy is ESTIMATED from CPU time (see `cargo ipw sensors`)".to_string(),
                    });
                    sensors.push(Box::new(EstimateSensor::new(watts)));
                } else {
                    sensors.extend(found);
                }
            }
            SensorSpec::Estimate => {
                let watts = EstimateSensor::watts_per_core_from_env()?;
                sensors.push(Box::new(EstimateSensor::new(watts)));
            }
            SensorSpec::Synthetic { watts } => sensors.push(Box::new(SyntheticSensor::new(*watts))),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    sensors.retain(|s| seen.insert(s.info().id.clone()));
    Ok(Discovery { sensors, unused })
}

/// Every measured source on this machine. Hardware sources register here.
fn discover_measured(unused: &mut Vec<Unused>) -> Vec<Box<dyn Sensor>> {
    unused.push(Unused {
        source: "rapl, hwmon, nvml, meters".to_string(),
        reason: "hardware sources are not built into this version".to_string(),
    });
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_rejects_garbage() {
        assert_eq!(
            parse_sensor_spec("synthetic:50").unwrap(),
            vec![SensorSpec::Synthetic { watts: 50.0 }]
        );
        assert_eq!(
            parse_sensor_spec("auto, estimate").unwrap(),
            vec![SensorSpec::Auto, SensorSpec::Estimate]
        );
        assert!(parse_sensor_spec("synthetic:-1").is_err());
        assert!(parse_sensor_spec("synthetic:x").is_err());
        assert!(parse_sensor_spec("rapel").unwrap_err().contains("rapel"));
        assert!(parse_sensor_spec("").is_err());
    }
}
