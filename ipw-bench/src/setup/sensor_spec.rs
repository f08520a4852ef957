//! `--sensors LIST` and the meter flags, parsed: which kinds of source a run asks for.
//!
//! Plain configuration. Finding and opening the sources is the measuring stage's
//! discovery; this module only says what was asked for.

use std::path::PathBuf;

/// Where an external wall meter's readings come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeterSource {
    /// A program run through `sh -c`, printing lines on stdout.
    Command(String),
    /// A log file appended to by another program; read from its end, like `tail -f`.
    Csv(PathBuf),
}

/// A `--sensors` value that cannot be used; the message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

/// One item of `--sensors`.
#[derive(Debug, Clone, PartialEq)]
pub enum SensorSpec {
    /// Every measured source found; the estimate only when none is.
    Auto,
    /// The CPU-time model, labelled estimated.
    Estimate,
    /// A constant-power source, labelled synthetic.
    Synthetic {
        /// The constant power, in watts.
        watts: f64,
    },
    /// NVIDIA GPUs through NVML (`IPW_NVML_LIB`, `CUDA_VISIBLE_DEVICES`).
    Nvml,
    /// RAPL zones through powercap (`IPW_POWERCAP_ROOT`); an error when none is usable.
    Rapl,
    /// hwmon energy counters and power meters (`IPW_HWMON_ROOT`); an error when none is usable.
    Hwmon,
    /// An external wall meter, from `--meter-cmd` or `--meter-csv`.
    Meter(MeterSource),
}

/// Parse a comma-separated `--sensors` value.
pub fn parse_sensor_spec(value: &str) -> Result<Vec<SensorSpec>, SpecError> {
    let mut specs = Vec::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let spec = match item {
            "auto" => SensorSpec::Auto,
            "estimate" => SensorSpec::Estimate,
            "nvml" => SensorSpec::Nvml,
            "rapl" => SensorSpec::Rapl,
            "hwmon" => SensorSpec::Hwmon,
            "meter" => return Err(SpecError(METER_NEEDS_FLAG.to_string())),
            _ => match item.strip_prefix("synthetic:") {
                Some(w) => match w.trim().parse::<f64>() {
                    Ok(watts) if watts.is_finite() && watts >= 0.0 => {
                        SensorSpec::Synthetic { watts }
                    }
                    _ => {
                        return Err(SpecError(format!(
                            "`{item}`: synthetic needs a non-negative power in watts, e.g. synthetic:50"
                        )))
                    }
                },
                None => {
                    return Err(SpecError(format!(
                        "unknown sensor `{item}`; use auto, rapl, hwmon, nvml, estimate or synthetic:WATTS"
                    )))
                }
            },
        };
        specs.push(spec);
    }
    if specs.is_empty() {
        return Err(SpecError(
            "no sensor given; use auto, estimate or synthetic:WATTS".to_string(),
        ));
    }
    Ok(specs)
}

const METER_NEEDS_FLAG: &str =
    "`meter` needs --meter-cmd CMD or --meter-csv FILE (either flag alone also adds the meter)";

/// Parse `--sensors` together with the meter flags: `meter` in the list stands for the
/// meters the flags give, and a meter flag adds its meter even when the list omits it.
pub fn parse_sensor_spec_with_meters(
    value: &str,
    meter_cmd: Option<&str>,
    meter_csv: Option<&std::path::Path>,
) -> Result<Vec<SensorSpec>, SpecError> {
    let meters: Vec<SensorSpec> = meter_cmd
        .map(|c| SensorSpec::Meter(MeterSource::Command(c.to_string())))
        .into_iter()
        .chain(meter_csv.map(|p| SensorSpec::Meter(MeterSource::Csv(p.to_path_buf()))))
        .collect();
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    let asked = items.contains(&"meter");
    if asked && meters.is_empty() {
        return Err(SpecError(METER_NEEDS_FLAG.to_string()));
    }
    let rest: Vec<&str> = items.into_iter().filter(|i| *i != "meter").collect();
    let mut specs = if asked && rest.iter().all(|i| i.is_empty()) {
        Vec::new()
    } else {
        parse_sensor_spec(&rest.join(","))?
    };
    specs.extend(meters);
    Ok(specs)
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
        assert!(parse_sensor_spec("rapel").unwrap_err().0.contains("rapel"));
        assert_eq!(
            parse_sensor_spec("nvml,estimate").unwrap(),
            vec![SensorSpec::Nvml, SensorSpec::Estimate]
        );
        assert!(parse_sensor_spec("").is_err());
    }

    #[test]
    fn parses_hardware_families_and_meter_flags() {
        assert_eq!(
            parse_sensor_spec("rapl, hwmon").unwrap(),
            vec![SensorSpec::Rapl, SensorSpec::Hwmon]
        );
        assert!(parse_sensor_spec("meter")
            .unwrap_err()
            .0
            .contains("--meter-cmd"));
        assert!(parse_sensor_spec_with_meters("auto,meter", None, None).is_err());
        let cmd = SensorSpec::Meter(MeterSource::Command("wt310 --log".to_string()));
        assert_eq!(
            parse_sensor_spec_with_meters("meter", Some("wt310 --log"), None).unwrap(),
            vec![cmd.clone()]
        );
        let csv = std::path::Path::new("/tmp/wall.csv");
        assert_eq!(
            parse_sensor_spec_with_meters("auto", None, Some(csv)).unwrap(),
            vec![
                SensorSpec::Auto,
                SensorSpec::Meter(MeterSource::Csv(csv.to_path_buf()))
            ]
        );
    }
}
