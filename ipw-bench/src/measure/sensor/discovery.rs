//! `--sensors LIST`: which sources a run uses, and why each other one is not used.

use super::meter::{MeterError, MeterSensor};
use super::{hwmon, rapl, Domain, SensorError, SensorInfo};
use super::{EstimateSensor, Provenance, Sensor, SyntheticSensor};
use crate::setup::sensor_spec::{MeterSource, SensorSpec};
use std::path::PathBuf;

/// A source that was looked for and is not used, with the reason and the fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    /// What was looked for: a sensor id (with its label), a family such as `nvml`, or
    /// `measured energy`.
    pub source: String,
    /// Why it is not used, and the fix.
    pub reason: String,
}

/// The sources chosen for a run.
pub struct Discovery {
    /// The sources the run reads, in discovery order.
    pub sensors: Vec<Box<dyn Sensor>>,
    /// The sources looked for and not used.
    pub unused: Vec<Unused>,
}

impl Discovery {
    /// One line per source, printed once at the start of a run.
    pub fn summary(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.sensors.iter().map(|s| using(s.info())).collect();
        lines.extend(self.unused.iter().map(|u| not_using(&u.source, &u.reason)));
        lines
    }

    /// True when no source in use is a measurement.
    pub fn estimated_only(&self) -> bool {
        self.sensors
            .iter()
            .all(|s| s.info().provenance != Provenance::Measured)
    }
}

/// The summary line of a source in use.
pub(crate) fn using(i: &SensorInfo) -> String {
    format!(
        "using {} ({}, {}, {})",
        i.id, i.domain, i.label, i.provenance
    )
}

/// The summary line of a source looked for and not used.
pub(crate) fn not_using(source: &str, reason: &str) -> String {
    format!("not using {source}: {reason}")
}

/// Where the sysfs sources live: the real trees, or fakes named by environment variables.
#[derive(Debug, Clone, PartialEq)]
pub struct SysRoots {
    /// The powercap tree (RAPL zones), normally `/sys/class/powercap`.
    pub powercap: PathBuf,
    /// The hwmon tree, normally `/sys/class/hwmon`.
    pub hwmon: PathBuf,
}

impl SysRoots {
    /// `IPW_POWERCAP_ROOT` and `IPW_HWMON_ROOT`, or `/sys/class/powercap` and `/sys/class/hwmon`.
    pub fn from_env() -> SysRoots {
        SysRoots {
            powercap: rapl::root_from_env(),
            hwmon: hwmon::root_from_env(),
        }
    }
}

/// Why the sources asked for cannot be had; each message names the flag or setting and
/// says what to do.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// A family asked for by name has no usable source.
    #[error(
        "--sensors {family}: no usable {what} ({reasons}); run `cargo ipw sensors` for details"
    )]
    NoneUsable {
        /// The family named in `--sensors`.
        family: &'static str,
        /// What was looked for, in words.
        what: &'static str,
        /// Why each candidate was not usable.
        reasons: String,
    },
    /// A setting a source reads is not valid.
    #[error("{variable}={value:?} is not {expected}")]
    BadSetting {
        /// The environment variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A wall meter could not be started.
    #[error(transparent)]
    Meter(#[from] MeterError),
}

/// Build the sources for `specs`.
pub fn discover(specs: &[SensorSpec]) -> Result<Discovery, DiscoveryError> {
    discover_in(specs, &SysRoots::from_env())
}

/// Build the sources for `specs`, looking for sysfs sources under `roots`.
pub fn discover_in(specs: &[SensorSpec], roots: &SysRoots) -> Result<Discovery, DiscoveryError> {
    let mut sensors: Vec<Box<dyn Sensor>> = Vec::new();
    let mut unused = Vec::new();
    for spec in specs {
        match spec {
            SensorSpec::Auto => {
                let found = discover_measured(roots, &mut unused);
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
            SensorSpec::Nvml => sensors.extend(super::nvml::require_nvml(&mut unused)?),
            SensorSpec::Rapl => {
                let (found, statuses) = rapl::probe(&roots.powercap);
                sensors.extend(required("rapl", found, &statuses, &mut unused)?);
            }
            SensorSpec::Hwmon => {
                // CPU chips read what RAPL reads: skip them when RAPL zones are (or, later
                // in the list, will be) in use.
                let rapl_wanted = specs
                    .iter()
                    .any(|s| matches!(s, SensorSpec::Auto | SensorSpec::Rapl));
                let cpu_covered = rapl_in_use(&sensors)
                    || (rapl_wanted && !rapl::probe(&roots.powercap).0.is_empty());
                let (found, statuses) = hwmon::probe(&roots.hwmon, cpu_covered);
                sensors.extend(required("hwmon", found, &statuses, &mut unused)?);
            }
            SensorSpec::Meter(MeterSource::Command(cmd)) => {
                sensors.push(Box::new(MeterSensor::from_command(cmd)?));
            }
            SensorSpec::Meter(MeterSource::Csv(path)) => {
                sensors.push(Box::new(MeterSensor::from_csv(path)?));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    sensors.retain(|s| seen.insert(s.info().id.clone()));
    let sensors = nest_under_outermost(sensors);
    Ok(Discovery { sensors, unused })
}

/// Every measured source on this machine. Hardware sources register here.
fn discover_measured(roots: &SysRoots, unused: &mut Vec<Unused>) -> Vec<Box<dyn Sensor>> {
    let mut found: Vec<Box<dyn Sensor>> = Vec::new();
    let (zones, statuses) = rapl::probe(&roots.powercap);
    note_unused(&statuses, unused);
    found.extend(zones.into_iter().map(|z| Box::new(z) as Box<dyn Sensor>));
    let (channels, statuses) = hwmon::probe(&roots.hwmon, rapl_in_use(&found));
    note_unused(&statuses, unused);
    found.extend(channels.into_iter().map(|c| Box::new(c) as Box<dyn Sensor>));
    found.extend(super::nvml::discover_nvml(unused));
    found
}

/// Whether a source that was found can be read, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Opened and read once at discovery.
    Readable,
    /// The file exists but this user may not read it (`detail` names the fixes).
    PermissionDenied,
    /// The file exists but reading it failed (EIO in a virtual machine, bad content).
    Unreadable,
    /// Another source measures the same thing and is used instead.
    Duplicate,
    /// The source's scope is not known, so it could count energy twice.
    UnknownScope,
    /// The tree or library is absent.
    Missing,
}

impl Access {
    /// The name `cargo ipw sensors` prints (`readable`, `permission-denied`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Readable => "readable",
            Access::PermissionDenied => "permission-denied",
            Access::Unreadable => "unreadable",
            Access::Duplicate => "duplicate",
            Access::UnknownScope => "unknown-scope",
            Access::Missing => "missing",
        }
    }
}

/// One source looked at by discovery, usable or not, for `cargo ipw sensors`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceStatus {
    /// Source family: `rapl`, `hwmon`.
    pub source: String,
    /// The sensor id it has (or would have) in a run.
    pub id: String,
    /// Zone name, chip and channel label.
    pub label: String,
    /// The file read, or the tree looked in.
    pub path: PathBuf,
    /// Whether it can be read, or why it is not used.
    pub access: Access,
    /// Why it is not used and how to fix it; empty when readable.
    pub detail: String,
}

/// Every sysfs source found under `roots`, with its permission state and the fix for each
/// problem. Probing opens and reads each file once.
pub fn list_sources(roots: &SysRoots) -> Vec<SourceStatus> {
    let (zones, mut statuses) = rapl::probe(&roots.powercap);
    let (_, hwmon_statuses) = hwmon::probe(&roots.hwmon, !zones.is_empty());
    statuses.extend(hwmon_statuses);
    statuses
}

fn note_unused(statuses: &[SourceStatus], unused: &mut Vec<Unused>) {
    for s in statuses.iter().filter(|s| s.access != Access::Readable) {
        let what = if s.label.is_empty() {
            s.id.clone()
        } else {
            format!("{} ({})", s.id, s.label)
        };
        unused.push(Unused {
            source: what,
            reason: format!("{}: {}", s.access.as_str(), s.detail),
        });
    }
}

/// An explicitly requested family: its sources, or an error that says why there are none.
fn required<S: Sensor + 'static>(
    family: &'static str,
    found: Vec<S>,
    statuses: &[SourceStatus],
    unused: &mut Vec<Unused>,
) -> Result<Vec<Box<dyn Sensor>>, DiscoveryError> {
    note_unused(statuses, unused);
    if found.is_empty() {
        let why: Vec<String> = statuses
            .iter()
            .map(|s| format!("{}: {}", s.id, s.detail))
            .collect();
        return Err(DiscoveryError::NoneUsable {
            family,
            what: if family == "rapl" {
                "rapl source"
            } else {
                "hwmon source"
            },
            reasons: why.join("; "),
        });
    }
    Ok(found
        .into_iter()
        .map(|s| Box::new(s) as Box<dyn Sensor>)
        .collect())
}

fn rapl_in_use(sensors: &[Box<dyn Sensor>]) -> bool {
    sensors.iter().any(|s| s.info().source == "rapl")
}

/// Scope rank of domains that contain everything else on the machine.
fn outer_rank(info: &SensorInfo) -> Option<u8> {
    if info.provenance != Provenance::Measured || info.contained_in.is_some() {
        return None;
    }
    match info.domain.as_str() {
        Domain::WALL => Some(2),
        Domain::SYSTEM => Some(1),
        _ => None,
    }
}

/// When exactly one measured source covers the whole machine (a wall meter, else a board
/// input rail or ACPI power meter), every other measured top-level source is a part of
/// it: shown per domain, never added to the total.
fn nest_under_outermost(sensors: Vec<Box<dyn Sensor>>) -> Vec<Box<dyn Sensor>> {
    let Some(rank) = sensors.iter().filter_map(|s| outer_rank(s.info())).max() else {
        return sensors;
    };
    let outer: Vec<String> = sensors
        .iter()
        .filter(|s| outer_rank(s.info()) == Some(rank))
        .map(|s| s.info().id.clone())
        .collect();
    let [outer] = outer.as_slice() else {
        return sensors;
    };
    sensors
        .into_iter()
        .map(|s| {
            let info = s.info();
            if info.id == *outer
                || info.contained_in.is_some()
                || info.provenance != Provenance::Measured
            {
                return s;
            }
            let mut info = info.clone();
            info.contained_in = Some(outer.clone());
            Box::new(Nested { inner: s, info }) as Box<dyn Sensor>
        })
        .collect()
}

/// A source re-described as contained in another; reads pass straight through.
struct Nested {
    inner: Box<dyn Sensor>,
    info: SensorInfo,
}

impl Sensor for Nested {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<super::RawReading, SensorError> {
        self.inner.read()
    }

    fn wrap_range(&self) -> Option<u64> {
        self.inner.wrap_range()
    }

    fn max_plausible_power_w(&self) -> f64 {
        self.inner.max_plausible_power_w()
    }

    fn min_poll_interval(&self) -> std::time::Duration {
        self.inner.min_poll_interval()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_zone(root: &std::path::Path, zone: &str, name: &str) {
        let dir = root.join(zone);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("name"), format!("{name}\n")).expect("name");
        std::fs::write(dir.join("energy_uj"), "1000\n").expect("energy");
        std::fs::write(dir.join("max_energy_range_uj"), "262143328850\n").expect("range");
    }

    #[test]
    fn auto_uses_every_measured_source_and_says_why_not_for_the_rest() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let roots = SysRoots {
            powercap: tmp.path().join("powercap"),
            hwmon: tmp.path().join("hwmon"),
        };
        fake_zone(&roots.powercap, "intel-rapl:0", "package-0");
        fake_zone(&roots.powercap, "intel-rapl-mmio:0", "package-0");
        let gpu = roots.hwmon.join("hwmon0");
        std::fs::create_dir_all(&gpu).expect("mkdir");
        std::fs::write(gpu.join("name"), "amdgpu\n").expect("name");
        std::fs::write(gpu.join("power1_average"), "25000000\n").expect("power");
        let d = discover_in(&[SensorSpec::Auto], &roots).expect("discover");
        let ids: Vec<&str> = d.sensors.iter().map(|s| s.info().id.as_str()).collect();
        assert!(ids.contains(&"rapl:intel-rapl:0"), "{ids:?}");
        assert!(ids.contains(&"hwmon:hwmon0:power1"), "{ids:?}");
        assert!(!ids.contains(&"estimate"), "measured sources were found");
        assert!(d
            .unused
            .iter()
            .any(|u| u.source.contains("intel-rapl-mmio:0") && u.reason.starts_with("duplicate")));
        let err = match discover_in(
            &[SensorSpec::Hwmon],
            &SysRoots {
                powercap: roots.powercap.clone(),
                hwmon: tmp.path().join("absent"),
            },
        ) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("an explicit family with nothing usable is an error"),
        };
        assert!(
            err.contains("--sensors hwmon") && err.contains("absent"),
            "{err}"
        );
    }

    #[test]
    fn a_wall_meter_contains_the_other_measured_sources() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let roots = SysRoots {
            powercap: tmp.path().join("powercap"),
            hwmon: tmp.path().join("hwmon"),
        };
        fake_zone(&roots.powercap, "intel-rapl:0", "package-0");
        let cmd = "while true; do echo \"$(date +%s.%N),120\"; sleep 0.02; done";
        let specs = [
            SensorSpec::Rapl,
            SensorSpec::Meter(MeterSource::Command(cmd.to_string())),
            SensorSpec::Synthetic { watts: 5.0 },
        ];
        let d = discover_in(&specs, &roots).expect("discover");
        let infos: Vec<&SensorInfo> = d.sensors.iter().map(|s| s.info()).collect();
        assert_eq!(infos[0].contained_in.as_deref(), Some("meter:cmd"));
        assert_eq!(infos[1].contained_in, None);
        assert_eq!(
            infos[2].contained_in, None,
            "synthetic sources are left alone"
        );
    }
}
