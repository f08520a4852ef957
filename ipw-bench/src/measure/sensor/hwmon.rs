//! Energy counters and power meters from Linux hwmon chips.
//!
//! hwmon units: `energyN_input` is a cumulative count in µJ (64-bit in the drivers that
//! have it: i915 and xe extend their 32-bit registers, amd_energy accumulates), and
//! `powerN_input` / `powerN_average` are µW. INA3221 rails on Jetson boards expose voltage
//! (mV) and current (mA) instead; their product is µW.
//!
//! Chip name and channel label decide the domain; a chip not in this map is reported and
//! not used, because summing a source of unknown scope could count energy twice.
//!
//! | chip (`name`)              | channel                         | domain                        |
//! |----------------------------|---------------------------------|-------------------------------|
//! | `amdgpu`, `nouveau`        | `power1_input` (else `_average`)| `gpu` (whole SoC on an APU)   |
//! | `i915`                     | `energy1_input`                 | `gpu`                         |
//! | `xe`                       | `energy1` (`card`), `energy2` (`pkg`) | `gpu`, pkg inside card  |
//! | `amd_energy`               | `Esocket*` / `Ecore*`           | `cpu-package` / `cpu-core`    |
//! | `zenpower`                 | `SVI2_P_Core` / `SVI2_P_SoC`    | `cpu-core` / `soc`            |
//! | `ina3221` (Jetson)         | `VDD_IN`                        | `system`, every rail inside   |
//! |                            | `*CPU*GPU*` (`VDD_CPU_GPU_CV`)  | `cpu-gpu`                     |
//! |                            | `*GPU*SOC*` / `*CPU*CV*`        | `gpu-soc` / `cpu-cv`          |
//! |                            | `*GPU*`, `*CPU*`, `*SOC*`       | `gpu`, `cpu-package`, `soc`   |
//! |                            | `*DDR*`, `VDDQ*`                | `dram`                        |
//! |                            | other rails (under `VDD_IN`)    | the label, lower case         |
//! | `power_meter` (ACPI)       | `power1_average`                | `system`                      |
//!
//! A chip with an energy counter is read through the counter only (a counter loses no
//! energy between reads). CPU chips (`amd_energy`, `zenpower`) read the same hardware as
//! RAPL and are skipped when RAPL zones are in use.

use super::discovery::{Access, SourceStatus};
use super::sysfs::{read_text, Attr, OpenError};
use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable naming the hwmon root (for tests and containers).
pub const ROOT_ENV: &str = "IPW_HWMON_ROOT";
/// Where Linux exposes hwmon.
pub const DEFAULT_ROOT: &str = "/sys/class/hwmon";

/// The fix for an hwmon file only root can read.
pub const PERMISSION_FIX: &str = "this hwmon file is not readable by this user. Fix one of: \
(1) a udev rule on SUBSYSTEM==\"hwmon\" that runs chgrp/chmod g+r on the file for a group \
you are in; (2) `sudo chmod o+r` on the file (lost at reboot); (3) run as root";

/// The hwmon root from `IPW_HWMON_ROOT`, or the default.
pub fn root_from_env() -> PathBuf {
    std::env::var_os(ROOT_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT))
}

enum Reading {
    Single(Attr),
    /// Bus voltage (mV) x current (mA) = µW.
    Product {
        millivolts: Attr,
        milliamps: Attr,
    },
}

/// One hwmon channel: an energy counter (µJ) or a power meter (µW).
pub struct HwmonSensor {
    info: SensorInfo,
    reading: Reading,
}

impl Sensor for HwmonSensor {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let value = match &mut self.reading {
            Reading::Single(a) => a.read(),
            Reading::Product {
                millivolts,
                milliamps,
            } => match (millivolts.read(), milliamps.read()) {
                (Ok(v), Ok(i)) => Ok(v.saturating_mul(i)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            },
        };
        match value {
            Ok(v) => Ok(RawReading::value(v)),
            Err(SensorError::PermissionDenied { what, .. }) => Err(SensorError::PermissionDenied {
                what,
                fix: PERMISSION_FIX.to_string(),
            }),
            Err(e) => Err(e),
        }
    }
}

/// What kind of file a channel is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Energy,
    PowerInput,
    PowerAverage,
    /// INA3221: `inN_input` x `currN_input`.
    VoltCurr,
}

#[derive(Debug, Clone)]
struct Channel {
    kind: Kind,
    n: u32,
    label: Option<String>,
}

impl Channel {
    fn stem(&self) -> String {
        match self.kind {
            Kind::Energy => format!("energy{}", self.n),
            Kind::PowerInput | Kind::PowerAverage => format!("power{}", self.n),
            Kind::VoltCurr => format!("in{}", self.n),
        }
    }

    fn file(&self) -> String {
        match self.kind {
            Kind::Energy => format!("energy{}_input", self.n),
            Kind::PowerInput => format!("power{}_input", self.n),
            Kind::PowerAverage => format!("power{}_average", self.n),
            Kind::VoltCurr => format!("in{}_input", self.n),
        }
    }
}

/// Where a channel belongs, or why it is not used.
enum Placement {
    Use {
        domain: String,
        /// Stem of the channel of the same chip that contains this one.
        inside: Option<String>,
    },
    Skip(Access, String),
}

/// The channels under `root` (the sensors) and a status for every channel looked at.
/// `cpu_covered`: RAPL is in use, so CPU chips would count the package twice.
pub fn probe(root: &Path, cpu_covered: bool) -> (Vec<HwmonSensor>, Vec<SourceStatus>) {
    let mut sensors = Vec::new();
    let mut statuses = Vec::new();
    let chips = match chip_dirs(root) {
        Ok(c) => c,
        Err(e) => {
            statuses.push(SourceStatus {
                source: "hwmon".to_string(),
                id: "hwmon".to_string(),
                label: String::new(),
                path: root.to_path_buf(),
                access: Access::Missing,
                detail: e,
            });
            return (sensors, statuses);
        }
    };
    for (hwmon, dir) in chips {
        let Some(chip) = read_text(&dir.join("name")) else {
            continue;
        };
        let channels = channels(&dir);
        let has_counter = channels.iter().any(|c| c.kind == Kind::Energy);
        let update_interval = read_text(&dir.join("update_interval"))
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|ms| *ms > 0);
        for ch in &channels {
            let id = format!("hwmon:{hwmon}:{}", ch.stem());
            let path = dir.join(ch.file());
            let label = match &ch.label {
                Some(l) => format!("{chip} {l}"),
                None => format!("{chip} {}", ch.stem()),
            };
            let mut status = SourceStatus {
                source: "hwmon".to_string(),
                id: id.clone(),
                label: label.clone(),
                path: path.clone(),
                access: Access::Readable,
                detail: String::new(),
            };
            let placement = place(&chip, ch, &channels, has_counter, cpu_covered);
            let (domain, inside) = match placement {
                Placement::Use { domain, inside } => (domain, inside),
                Placement::Skip(access, why) => {
                    status.access = access;
                    status.detail = why;
                    statuses.push(status);
                    continue;
                }
            };
            let reading = match open_reading(&dir, ch) {
                Ok(r) => r,
                Err((access, why)) => {
                    status.access = access;
                    status.detail = why;
                    statuses.push(status);
                    continue;
                }
            };
            let (unit, kind) = if ch.kind == Kind::Energy {
                (Unit::Microjoule, SensorKind::Counter)
            } else {
                (Unit::Microwatt, SensorKind::Meter)
            };
            let average_interval = read_text(&dir.join(format!("power{}_average_interval", ch.n)))
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|ms| *ms > 0 && ch.kind == Kind::PowerAverage);
            let (period, period_source) = match (average_interval, update_interval) {
                (Some(ms), _) => (Duration::from_millis(ms), "powerN_average_interval"),
                (None, Some(ms)) => (Duration::from_millis(ms), "update_interval"),
                // amd_energy and the GPU drivers refresh about every millisecond; meters
                // without a stated interval are assumed to average over ~10 ms.
                (None, None) if kind == SensorKind::Counter => {
                    (Duration::from_millis(1), "assumed")
                }
                (None, None) => (Duration::from_millis(10), "assumed"),
            };
            let mut details = BTreeMap::new();
            details.insert("chip".to_string(), chip.clone());
            details.insert("hwmon".to_string(), hwmon.clone());
            details.insert("path".to_string(), path.display().to_string());
            details.insert(
                "update_period_source".to_string(),
                period_source.to_string(),
            );
            if ch.kind == Kind::VoltCurr {
                details.insert(
                    "method".to_string(),
                    format!("in{0}_input (mV) x curr{0}_input (mA)", ch.n),
                );
            }
            statuses.push(status);
            sensors.push(HwmonSensor {
                info: SensorInfo {
                    id,
                    source: "hwmon".to_string(),
                    domain: Domain::new(&domain),
                    label,
                    provenance: Provenance::Measured,
                    kind,
                    unit,
                    resolution: 1e-6,
                    update_period: period,
                    contained_in: inside.map(|stem| format!("hwmon:{hwmon}:{stem}")),
                    details,
                },
                reading,
            });
        }
    }
    (sensors, statuses)
}

fn open_reading(dir: &Path, ch: &Channel) -> Result<Reading, (Access, String)> {
    let open = |file: String| {
        Attr::open(&dir.join(file))
            .map(|(a, _)| a)
            .map_err(|e| match e {
                OpenError::PermissionDenied => {
                    (Access::PermissionDenied, PERMISSION_FIX.to_string())
                }
                OpenError::Other(why) => (Access::Unreadable, why),
            })
    };
    Ok(match ch.kind {
        Kind::VoltCurr => Reading::Product {
            millivolts: open(format!("in{}_input", ch.n))?,
            milliamps: open(format!("curr{}_input", ch.n))?,
        },
        _ => Reading::Single(open(ch.file())?),
    })
}

fn place(
    chip: &str,
    ch: &Channel,
    all: &[Channel],
    has_counter: bool,
    cpu_covered: bool,
) -> Placement {
    let label = ch.label.as_deref().unwrap_or("").to_ascii_uppercase();
    if ch.kind == Kind::PowerAverage
        && all
            .iter()
            .any(|c| c.kind == Kind::PowerInput && c.n == ch.n)
    {
        return Placement::Skip(
            Access::Duplicate,
            format!(
                "power{}_input is read instead (instantaneous rather than averaged)",
                ch.n
            ),
        );
    }
    if has_counter && matches!(ch.kind, Kind::PowerInput | Kind::PowerAverage) {
        return Placement::Skip(
            Access::Duplicate,
            "this chip has an energy counter, which is read instead".to_string(),
        );
    }
    let use_top = |domain: &str| Placement::Use {
        domain: domain.to_string(),
        inside: None,
    };
    match chip {
        "amdgpu" | "nouveau" | "i915" => use_top(Domain::GPU),
        "xe" => {
            let card = all
                .iter()
                .find(|c| c.kind == ch.kind && c.label.as_deref() == Some("card"));
            match card {
                Some(card) if card.n != ch.n => Placement::Use {
                    domain: Domain::GPU.to_string(),
                    inside: Some(card.stem()),
                },
                _ => use_top(Domain::GPU),
            }
        }
        "amd_energy" | "zenpower" if cpu_covered => Placement::Skip(
            Access::Duplicate,
            "reads the same CPU energy as the RAPL zones, which are used".to_string(),
        ),
        "amd_energy" if label.starts_with("ESOCKET") => use_top(Domain::CPU_PACKAGE),
        "amd_energy" if label.starts_with("ECORE") => {
            if all
                .iter()
                .any(|c| c.label.as_deref().is_some_and(|l| l.starts_with("Esocket")))
            {
                Placement::Skip(
                    Access::Duplicate,
                    "contained in the socket counter, which is read instead (one file per core per tick costs more than it tells)".to_string(),
                )
            } else {
                use_top(Domain::CPU_CORE)
            }
        }
        "zenpower" if label.contains("CORE") => use_top(Domain::CPU_CORE),
        "zenpower" if label.contains("SOC") => use_top("soc"),
        "ina3221" => place_rail(&label, ch, all),
        "power_meter" => use_top(Domain::SYSTEM),
        _ => Placement::Skip(
            Access::UnknownScope,
            format!("chip `{chip}` is not in ipw-bench's domain map, so its scope (and overlap with other sources) is unknown"),
        ),
    }
}

/// Jetson INA3221 rails: `VDD_IN` is the module's input; every other rail is a part of it.
fn place_rail(label: &str, ch: &Channel, all: &[Channel]) -> Placement {
    if label.is_empty() || label == "NC" {
        return Placement::Skip(
            Access::UnknownScope,
            "rail without a label (not connected)".to_string(),
        );
    }
    if label == "VDD_IN" {
        return Placement::Use {
            domain: Domain::SYSTEM.to_string(),
            inside: None,
        };
    }
    let input = all
        .iter()
        .find(|c| c.label.as_deref().map(str::to_ascii_uppercase).as_deref() == Some("VDD_IN"));
    let has = |s: &str| label.contains(s);
    let domain = if has("CPU") && has("GPU") {
        "cpu-gpu".to_string()
    } else if has("GPU") && has("SOC") {
        "gpu-soc".to_string()
    } else if has("CPU") && has("CV") {
        "cpu-cv".to_string()
    } else if has("GPU") {
        Domain::GPU.to_string()
    } else if has("CPU") {
        Domain::CPU_PACKAGE.to_string()
    } else if has("SOC") {
        "soc".to_string()
    } else if has("DDR") || label.starts_with("VDDQ") {
        Domain::DRAM.to_string()
    } else if input.is_some() {
        label.to_ascii_lowercase()
    } else {
        return Placement::Skip(
            Access::UnknownScope,
            format!("rail `{label}` is not in the domain map and no VDD_IN rail contains it"),
        );
    };
    Placement::Use {
        domain,
        inside: input.filter(|i| i.n != ch.n).map(Channel::stem),
    }
}

/// The channels of one chip directory, sorted by kind and index.
fn channels(dir: &Path) -> Vec<Channel> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let parsed = [
            ("energy", "_input", Kind::Energy),
            ("power", "_input", Kind::PowerInput),
            ("power", "_average", Kind::PowerAverage),
            ("curr", "_input", Kind::VoltCurr),
        ]
        .into_iter()
        .find_map(|(prefix, suffix, kind)| {
            let n = name
                .strip_prefix(prefix)?
                .strip_suffix(suffix)?
                .parse()
                .ok()?;
            Some((kind, n))
        });
        let Some((kind, n)) = parsed else {
            continue;
        };
        let label_file = match kind {
            Kind::Energy => format!("energy{n}_label"),
            Kind::PowerInput | Kind::PowerAverage => format!("power{n}_label"),
            Kind::VoltCurr => {
                if !dir.join(format!("in{n}_input")).exists() {
                    continue;
                }
                format!("in{n}_label")
            }
        };
        let label = read_text(&dir.join(label_file));
        found.push(Channel { kind, n, label });
    }
    found.sort_by_key(|c| (c.kind, c.n));
    found
}

/// `hwmonN` directories under `root`, numerically sorted.
fn chip_dirs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(root).map_err(|e| {
        format!(
            "{}: {e} (no hwmon class: not Linux or a container without /sys; set {ROOT_ENV} to point elsewhere)",
            root.display()
        )
    })?;
    let mut chips: Vec<(u32, String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let n = name.strip_prefix("hwmon")?.parse().ok()?;
            Some((n, name, e.path()))
        })
        .collect();
    chips.sort();
    Ok(chips
        .into_iter()
        .map(|(_, name, path)| (name, path))
        .collect())
}

#[cfg(test)]
#[path = "hwmon_tests.rs"]
mod tests;
