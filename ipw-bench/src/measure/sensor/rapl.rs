//! RAPL energy counters through the Linux powercap tree (Intel and AMD).
//!
//! Every `intel-rapl:N` zone and `intel-rapl:N:M` subzone becomes one counter in µJ that
//! wraps at its own `max_energy_range_uj`. Zones are identified by their `name` file, never
//! by index. Containment, so that no joule is counted twice:
//! - `core` and `uncore` are parts of their package;
//! - when a `psys` zone exists it is the platform total, and every other zone (packages,
//!   their parts and `dram`) is contained in it. Intel defines psys as the power of the
//!   whole platform (SoC, memory and the rest of the board), so DRAM is inside it too;
//! - without psys, packages and `dram` are separate top-level domains (a package's energy
//!   does not include its memory).
//!
//! `intel-rapl-mmio:N` zones mirror the MSR zones of the same name and are skipped when
//! their twin exists.

use super::discovery::{Access, SourceStatus};
use super::sysfs::{read_text, Attr, OpenError};
use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable naming the powercap root (for tests and containers).
pub const ROOT_ENV: &str = "IPW_POWERCAP_ROOT";
/// Where Linux exposes powercap.
pub const DEFAULT_ROOT: &str = "/sys/class/powercap";

/// The hardware counter is 32 bits wide; `max_energy_range_uj` is its top times the unit.
const COUNTER_TOP: f64 = 4_294_967_295.0;

/// What to do when `energy_uj` is readable by root only, as it is everywhere since the
/// 2020 PLATYPUS mitigation (CVE-2020-8694).
pub const PERMISSION_FIX: &str =
    "energy_uj is readable by root only (PLATYPUS fix, CVE-2020-8694). \
Fix one of: (1) a udev rule that gives a group read access, e.g. in \
/etc/udev/rules.d/99-ipw-rapl.rules: ACTION==\"add\", SUBSYSTEM==\"powercap\", \
KERNEL==\"intel-rapl*\", RUN+=\"/bin/chgrp power /sys%p/energy_uj\", \
RUN+=\"/bin/chmod g+r /sys%p/energy_uj\" then `usermod -aG power $USER` and re-login; \
(2) `sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj \
/sys/class/powercap/intel-rapl:*:*/energy_uj` (lost at reboot, and lets every user read \
the side channel); (3) run the benchmark as root";

/// The powercap root from `IPW_POWERCAP_ROOT`, or the default.
pub fn root_from_env() -> PathBuf {
    std::env::var_os(ROOT_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT))
}

/// One RAPL zone's energy counter.
#[derive(Debug)]
pub struct RaplZone {
    info: SensorInfo,
    energy: Attr,
    range_uj: u64,
}

impl RaplZone {
    /// The sysfs file this zone reads.
    pub fn path(&self) -> &Path {
        self.energy.path()
    }
}

impl Sensor for RaplZone {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        match self.energy.read() {
            Ok(v) => Ok(RawReading::value(v)),
            Err(SensorError::PermissionDenied { what, .. }) => Err(SensorError::PermissionDenied {
                what,
                fix: PERMISSION_FIX.to_string(),
            }),
            Err(e) => Err(e),
        }
    }

    fn wrap_range(&self) -> Option<u64> {
        Some(self.range_uj)
    }
}

/// A zone directory as found, before its files are opened.
#[derive(Debug, Clone)]
struct ZoneDir {
    /// `intel-rapl:0:1`.
    zone: String,
    /// `intel-rapl:0` for a subzone.
    parent: Option<String>,
    mmio: bool,
    dir: PathBuf,
    name: String,
}

/// The zones under `root` (the sensors) and a status line for every zone looked at.
pub fn probe(root: &Path) -> (Vec<RaplZone>, Vec<SourceStatus>) {
    let mut statuses = Vec::new();
    let dirs = match zone_dirs(root) {
        Ok(d) => d,
        Err(e) => {
            statuses.push(SourceStatus {
                source: "rapl".to_string(),
                id: "rapl".to_string(),
                label: String::new(),
                path: root.to_path_buf(),
                access: Access::Missing,
                detail: e,
            });
            return (Vec::new(), statuses);
        }
    };
    let has_psys = dirs.iter().any(|z| !z.mmio && z.name == "psys");
    let msr_names: Vec<&str> = dirs
        .iter()
        .filter(|z| !z.mmio)
        .map(|z| z.name.as_str())
        .collect();
    let psys_id = dirs
        .iter()
        .find(|z| !z.mmio && z.name == "psys")
        .map(|z| sensor_id(&z.zone));
    let mut zones = Vec::new();
    for z in &dirs {
        let id = sensor_id(&z.zone);
        let mut status = SourceStatus {
            source: "rapl".to_string(),
            id: id.clone(),
            label: z.name.clone(),
            path: z.dir.join("energy_uj"),
            access: Access::Readable,
            detail: String::new(),
        };
        if z.mmio && msr_names.contains(&z.name.as_str()) {
            status.access = Access::Duplicate;
            status.detail = format!(
                "mirrors the intel-rapl zone named `{}`, which is read instead",
                z.name
            );
            statuses.push(status);
            continue;
        }
        let range_uj = match read_text(&z.dir.join("max_energy_range_uj"))
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|r| *r > 0)
        {
            Some(r) => r,
            None => {
                status.access = Access::Unreadable;
                status.detail =
                    "max_energy_range_uj is missing or not a positive integer, so wraps cannot be extended"
                        .to_string();
                statuses.push(status);
                continue;
            }
        };
        let energy = match Attr::open(&status.path) {
            Ok((attr, _)) => attr,
            Err(OpenError::PermissionDenied) => {
                status.access = Access::PermissionDenied;
                status.detail = PERMISSION_FIX.to_string();
                statuses.push(status);
                continue;
            }
            Err(OpenError::Other(e)) => {
                status.access = Access::Unreadable;
                status.detail = e;
                statuses.push(status);
                continue;
            }
        };
        let contained_in = match (&z.parent, z.name.as_str()) {
            (_, "psys") => None,
            (Some(parent), "core" | "uncore") => Some(sensor_id(parent)),
            _ if has_psys => psys_id.clone(),
            _ => None,
        };
        let mut details = BTreeMap::new();
        details.insert("zone".to_string(), z.zone.clone());
        details.insert("path".to_string(), status.path.display().to_string());
        details.insert("max_energy_range_uj".to_string(), range_uj.to_string());
        let unit_uj = range_uj as f64 / COUNTER_TOP;
        details.insert("energy_unit_uj".to_string(), format!("{unit_uj:.3}"));
        statuses.push(status);
        zones.push(RaplZone {
            info: SensorInfo {
                id,
                source: "rapl".to_string(),
                domain: Domain::new(domain_of(&z.name)),
                label: z.name.clone(),
                provenance: Provenance::Measured,
                kind: SensorKind::Counter,
                unit: Unit::Microjoule,
                // The file counts in µJ but moves in steps of the hardware unit.
                resolution: unit_uj.max(1.0) * 1e-6,
                update_period: Duration::from_millis(1),
                contained_in,
                details,
            },
            energy,
            range_uj,
        });
    }
    (zones, statuses)
}

fn sensor_id(zone: &str) -> String {
    format!("rapl:{zone}")
}

/// The domain of a zone, from its `name`.
pub fn domain_of(name: &str) -> &str {
    match name {
        "core" => Domain::CPU_CORE,
        "uncore" => Domain::UNCORE,
        "dram" => Domain::DRAM,
        "psys" => Domain::PSYS,
        n if n.starts_with("package") => Domain::CPU_PACKAGE,
        n => n,
    }
}

/// `intel-rapl:N` and `intel-rapl:N:M` (and their `-mmio` twins) under `root`, sorted so
/// that ids are stable from run to run.
fn zone_dirs(root: &Path) -> Result<Vec<ZoneDir>, String> {
    let entries = std::fs::read_dir(root).map_err(|e| {
        format!(
            "{}: {e} (no powercap tree: not Linux, RAPL driver not loaded, or a container without /sys; set {ROOT_ENV} to point elsewhere)",
            root.display()
        )
    })?;
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(zone) = file_name.to_str() else {
            continue;
        };
        let (mmio, rest) = if let Some(r) = zone.strip_prefix("intel-rapl-mmio:") {
            (true, r)
        } else if let Some(r) = zone.strip_prefix("intel-rapl:") {
            (false, r)
        } else {
            continue;
        };
        let parts: Vec<&str> = rest.split(':').collect();
        if parts.is_empty() || parts.len() > 2 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
            continue;
        }
        let parent = (parts.len() == 2).then(|| {
            let prefix = if mmio {
                "intel-rapl-mmio"
            } else {
                "intel-rapl"
            };
            format!("{prefix}:{}", parts[0])
        });
        let dir = entry.path();
        let Some(name) = read_text(&dir.join("name")) else {
            continue;
        };
        dirs.push(ZoneDir {
            zone: zone.to_string(),
            parent,
            mmio,
            dir,
            name,
        });
    }
    if dirs.is_empty() {
        return Err(format!(
            "{}: no intel-rapl zone (RAPL unsupported on this CPU, the intel_rapl_msr module not loaded, or a virtual machine)",
            root.display()
        ));
    }
    dirs.sort_by_key(|z| (z.mmio, zone_key(&z.zone)));
    Ok(dirs)
}

/// Numeric sort key of `intel-rapl:N:M`, so that `:10` follows `:9`.
fn zone_key(zone: &str) -> Vec<u32> {
    zone.split(':')
        .skip(1)
        .filter_map(|p| p.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn zone(root: &Path, zone: &str, name: &str, energy: u64) {
        let dir = root.join(zone);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("name"), format!("{name}\n")).expect("name");
        fs::write(dir.join("energy_uj"), format!("{energy}\n")).expect("energy");
        fs::write(dir.join("max_energy_range_uj"), "262143328850\n").expect("range");
    }

    #[test]
    fn client_layout_with_psys_and_mmio() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        zone(root, "intel-rapl:0", "package-0", 1000);
        zone(root, "intel-rapl:0:0", "core", 400);
        zone(root, "intel-rapl:0:1", "uncore", 100);
        zone(root, "intel-rapl:0:2", "dram", 50);
        zone(root, "intel-rapl:1", "psys", 5000);
        zone(root, "intel-rapl-mmio:0", "package-0", 1000);
        fs::create_dir_all(root.join("intel-rapl")).expect("control type dir");
        let (zones, statuses) = probe(root);
        let by_label: BTreeMap<&str, &SensorInfo> = zones
            .iter()
            .map(|z| (z.info.label.as_str(), &z.info))
            .collect();
        assert_eq!(zones.len(), 5);
        assert_eq!(
            by_label["core"].contained_in.as_deref(),
            Some("rapl:intel-rapl:0")
        );
        assert_eq!(by_label["uncore"].domain.as_str(), "uncore");
        assert_eq!(
            by_label["package-0"].contained_in.as_deref(),
            Some("rapl:intel-rapl:1")
        );
        assert_eq!(
            by_label["dram"].contained_in.as_deref(),
            Some("rapl:intel-rapl:1")
        );
        assert_eq!(by_label["psys"].contained_in, None);
        assert!((by_label["package-0"].resolution - 61.035e-6).abs() < 1e-9);
        let mmio = statuses
            .iter()
            .find(|s| s.id == "rapl:intel-rapl-mmio:0")
            .expect("mmio status");
        assert_eq!(mmio.access, Access::Duplicate);
    }

    #[test]
    fn server_layout_keeps_dram_beside_the_package() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        zone(root, "intel-rapl:0", "package-0", 1);
        zone(root, "intel-rapl:0:0", "dram", 1);
        zone(root, "intel-rapl:1", "package-1", 1);
        zone(root, "intel-rapl:10", "package-10", 1);
        let (zones, _) = probe(root);
        let ids: Vec<&str> = zones.iter().map(|z| z.info.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "rapl:intel-rapl:0",
                "rapl:intel-rapl:0:0",
                "rapl:intel-rapl:1",
                "rapl:intel-rapl:10"
            ]
        );
        assert!(zones.iter().all(|z| z.info.contained_in.is_none()));
        assert_eq!(zones[1].info.domain.as_str(), Domain::DRAM);
    }

    #[test]
    fn a_missing_tree_is_reported() {
        let (zones, statuses) = probe(Path::new("/nonexistent/powercap"));
        assert!(zones.is_empty());
        assert_eq!(statuses[0].access, Access::Missing);
        assert!(statuses[0].detail.contains(ROOT_ENV));
    }
}
