//! Power and energy sources behind one trait.
//!
//! A source is either a cumulative energy *counter* (RAPL, NVML total energy, hwmon
//! `energyN_input`, the estimate and synthetic sources) or a power *meter* (hwmon
//! `powerN_input`, NVML power usage, external wall meters). Readings stay in the source's
//! native integer unit (µJ, mJ, µW, mW) until attribution turns a window into joules.

pub mod counter;
mod discovery;
pub mod estimate;
pub mod hwmon;
pub mod meter;
mod nvml;
pub mod rapl;
mod serde_secs;
mod synthetic;
mod sysfs;

pub use crate::setup::sensor_spec::{
    parse_sensor_spec, parse_sensor_spec_with_meters, MeterSource, SensorSpec, SpecError,
};
pub use discovery::{
    discover, discover_in, list_sources, Access, Discovery, DiscoveryError, SourceStatus,
};
pub(crate) use discovery::{not_using, using};
pub use discovery::{SysRoots, Unused};
pub use estimate::EstimateSensor;
pub use hwmon::HwmonSensor;
pub use meter::{MeterError, MeterSensor};
pub use nvml::NvmlSensor;
pub use rapl::RaplZone;
pub use synthetic::SyntheticSensor;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Where a number comes from. An estimate is never shown as a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Read from a hardware or external sensor.
    Measured,
    /// Measured by the bench function itself and handed over (`iter_custom_energy`):
    /// ipw-bench did not read the sensor and cannot vouch for it.
    Reported,
    /// Computed by a model (for example CPU time x per-core power).
    Estimated,
    /// Made up on purpose, for tests and demonstrations.
    Synthetic,
}

impl Provenance {
    /// The weakest of two provenances: anything estimated makes the sum estimated.
    pub fn weakest(self, other: Provenance) -> Provenance {
        self.max(other)
    }

    /// The name recorded in results.json (`measured`, `reported`, `estimated`, `synthetic`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Measured => "measured",
            Provenance::Reported => "reported",
            Provenance::Estimated => "estimated",
            Provenance::Synthetic => "synthetic",
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What part of the machine a source covers, as a short kebab-case name
/// (`cpu-package`, `cpu-core`, `uncore`, `dram`, `psys`, `gpu`, `system`, `wall`, ...).
///
/// Domains of one kind are summed in the totals only when they do not contain each
/// other; see [`SensorInfo::contained_in`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Domain(pub String);

impl Domain {
    /// A whole CPU package (RAPL `package-N`).
    pub const CPU_PACKAGE: &'static str = "cpu-package";
    /// The CPU cores of a package (RAPL `core`, inside its package).
    pub const CPU_CORE: &'static str = "cpu-core";
    /// The package outside the cores, often an integrated GPU (RAPL `uncore`).
    pub const UNCORE: &'static str = "uncore";
    /// Memory (RAPL `dram`).
    pub const DRAM: &'static str = "dram";
    /// The whole platform, packages included (RAPL `psys`).
    pub const PSYS: &'static str = "psys";
    /// A GPU (NVML).
    pub const GPU: &'static str = "gpu";
    /// The whole machine as the board reports it (hwmon's ACPI power meter, a Jetson's
    /// `VDD_IN` rail); also the synthetic source.
    pub const SYSTEM: &'static str = "system";
    /// The whole machine at the socket (an external wall meter).
    pub const WALL: &'static str = "wall";

    /// A domain of any name, one of the constants or another.
    pub fn new(name: &str) -> Domain {
        Domain(name.to_string())
    }

    /// The domain's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a source accumulates energy or reports power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SensorKind {
    /// A cumulative energy counter; the window's energy is a difference.
    Counter,
    /// A power reading; the window's energy is a trapezoid integral.
    Meter,
}

/// The native integer unit of a source's raw readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// Microjoules: an energy counter.
    #[serde(rename = "uJ")]
    Microjoule,
    /// Millijoules: an energy counter.
    #[serde(rename = "mJ")]
    Millijoule,
    /// Microwatts: a power meter.
    #[serde(rename = "uW")]
    Microwatt,
    /// Milliwatts: a power meter.
    #[serde(rename = "mW")]
    Milliwatt,
}

impl Unit {
    /// Multiply a raw value by this to get joules (counters) or watts (meters).
    pub fn to_si(self) -> f64 {
        match self {
            Unit::Microjoule | Unit::Microwatt => 1e-6,
            Unit::Millijoule | Unit::Milliwatt => 1e-3,
        }
    }

    /// `Counter` for an energy unit, `Meter` for a power unit.
    pub fn kind(self) -> SensorKind {
        match self {
            Unit::Microjoule | Unit::Millijoule => SensorKind::Counter,
            Unit::Microwatt | Unit::Milliwatt => SensorKind::Meter,
        }
    }
}

/// Static description of one source, recorded in results.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorInfo {
    /// Unique within a run, e.g. `rapl:intel-rapl:0`, `nvml:0`, `synthetic`.
    pub id: String,
    /// Source family: `rapl`, `hwmon`, `nvml`, `meter`, `estimate`, `synthetic`.
    pub source: String,
    /// What part of the machine the source covers.
    pub domain: Domain,
    /// Human label (zone name, GPU name, rail label).
    pub label: String,
    /// Where its numbers come from.
    pub provenance: Provenance,
    /// Whether it accumulates energy or reports power.
    pub kind: SensorKind,
    /// Native unit of the raw readings.
    pub unit: Unit,
    /// Smallest step of the raw reading, in SI units (J for counters, W for meters).
    pub resolution: f64,
    /// How often the hardware refreshes the value.
    #[serde(with = "serde_secs")]
    pub update_period: Duration,
    /// The id of a source that already contains this one (RAPL `core` inside its package,
    /// packages inside `psys`). Contained sources are reported per domain but never added
    /// to the total, so no energy is counted twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contained_in: Option<String>,
    /// Extra facts: model, UUID, driver, power limit, the estimate's model, ...
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

/// One raw reading in the source's native unit, plus optional trace channels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RawReading {
    /// The reading, in the source's native unit (`SensorInfo::unit`).
    pub value: u64,
    /// Temperature in degrees Celsius, where the source has one (NVML).
    pub temperature_c: Option<f32>,
    /// Clock in MHz, where the source has one (NVML SM clock).
    pub clock_mhz: Option<f32>,
}

impl RawReading {
    /// A reading without temperature or clock.
    pub fn value(value: u64) -> RawReading {
        RawReading {
            value,
            ..RawReading::default()
        }
    }
}

/// Why a read failed. `Gone` means the source disappeared (file removed, library error):
/// the windows it should have covered are invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensorError {
    /// The process may not read the source.
    #[error("permission denied reading {what}: {fix}")]
    PermissionDenied {
        /// The file or device that could not be read.
        what: String,
        /// How to get access (a command or setting); may be empty.
        fix: String,
    },
    /// The source disappeared (file removed, device gone, library error).
    #[error("source disappeared: {0}")]
    Gone(String),
    /// A read failed for another reason; the source may still work next time.
    #[error("read failed: {0}")]
    Read(String),
}

/// A power or energy source polled by the sampler.
///
/// `read` is called from the sampler thread and, at window edges, from the runner; it must
/// be cheap and must not allocate on the success path (the sampler checks this).
pub trait Sensor: Send {
    /// The source's static description.
    fn info(&self) -> &SensorInfo;

    /// Read the current raw value in the native unit.
    fn read(&mut self) -> Result<RawReading, SensorError>;

    /// For counters: the value at which the raw counter wraps back to 0
    /// (`max_energy_range_uj` for RAPL). `None` when it never wraps in practice
    /// (64-bit counters); then a decrease is a reset, not a wrap.
    fn wrap_range(&self) -> Option<u64> {
        None
    }

    /// A generous upper bound on the power this source can see, in watts. A window longer
    /// than `wrap_range / max_power` may hide a missed wrap and is invalidated.
    fn max_plausible_power_w(&self) -> f64 {
        1000.0
    }

    /// The slowest rate at which the sampler may poll this source.
    fn min_poll_interval(&self) -> Duration {
        Duration::from_millis(1)
    }
}

impl fmt::Debug for dyn Sensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sensor").field("info", self.info()).finish()
    }
}
