//! NVIDIA GPUs through NVML, one source per visible GPU.
//!
//! The library is loaded at run time (`IPW_NVML_LIB`, default `libnvidia-ml.so.1`), so
//! nothing NVIDIA is needed to build. Each GPU is read through its total-energy counter
//! (mJ since driver load, Volta and later); a decrease is a driver reset, which the
//! counter extension turns into an invalid window. Boards without the counter fall back to
//! power usage integrated as a meter, and say so. Readings change every 100 ms and each
//! call takes NVIDIA's resource-manager lock, so a source is polled no faster than every
//! 50 ms, and temperature and clock are only asked for every few reads.

use super::DiscoveryError;
use super::Unused;
use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, Unit};
use nvml_wrapper::enum_wrappers::device::{Clock, TemperatureSensor};
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::Nvml;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_LIB: &str = "libnvidia-ml.so.1";
/// How often NVML refreshes energy and power.
const UPDATE_PERIOD: Duration = Duration::from_millis(100);
/// Faster polls only return repeated values and hold the driver lock the workload needs.
const MIN_POLL: Duration = Duration::from_millis(50);
/// Temperature and clock are trace context, not energy: one read in this many asks for them.
const AUX_EVERY: u32 = 10;

/// How a GPU's energy is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// `nvmlDeviceGetTotalEnergyConsumption`, mJ.
    EnergyCounter,
    /// `nvmlDeviceGetPowerUsage`, mW, integrated by the trapezoid rule.
    PowerUsage,
}

/// One GPU. The `Nvml` instance is shared by all GPUs of a run and shut down with the last.
pub struct NvmlSensor {
    info: SensorInfo,
    nvml: Arc<Nvml>,
    index: u32,
    method: Method,
    reads_until_aux: u32,
    has_temperature: bool,
    has_clock: bool,
}

impl NvmlSensor {
    fn error(&self, e: NvmlError) -> SensorError {
        match e {
            // Transient by NVML's own description: this interval is lost, not the GPU.
            NvmlError::Timeout | NvmlError::NoData => {
                SensorError::Read(format!("{} ({}): {e}", self.info.id, self.info.label))
            }
            _ => SensorError::Gone(format!("{} ({}): {e}", self.info.id, self.info.label)),
        }
    }
}

impl Sensor for NvmlSensor {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let device = self
            .nvml
            .device_by_index(self.index)
            .map_err(|e| self.error(e))?;
        let value = match self.method {
            Method::EnergyCounter => device.total_energy_consumption(),
            Method::PowerUsage => device.power_usage().map(u64::from),
        }
        .map_err(|e| self.error(e))?;
        let mut reading = RawReading::value(value);
        if self.reads_until_aux == 0 {
            self.reads_until_aux = AUX_EVERY;
            if self.has_temperature {
                match device.temperature(TemperatureSensor::Gpu) {
                    Ok(c) => reading.temperature_c = Some(c as f32),
                    Err(NvmlError::NotSupported) => self.has_temperature = false,
                    Err(_) => {}
                }
            }
            if self.has_clock {
                match device.clock_info(Clock::SM) {
                    Ok(mhz) => reading.clock_mhz = Some(mhz as f32),
                    Err(NvmlError::NotSupported) => self.has_clock = false,
                    Err(_) => {}
                }
            }
        }
        self.reads_until_aux -= 1;
        Ok(reading)
    }

    fn min_poll_interval(&self) -> Duration {
        MIN_POLL
    }
}

/// The NVML indices that `CUDA_VISIBLE_DEVICES` exposes, in its order, and a note when
/// part of it was ignored.
///
/// Like CUDA, an entry that names no GPU ends the list. Entries are indices or UUIDs,
/// with or without the `GPU-` prefix, or any unique prefix of one. Indices are taken in
/// NVML's PCI-bus order, which is CUDA's only under `CUDA_DEVICE_ORDER=PCI_BUS_ID`.
fn visible_devices(spec: Option<&str>, uuids: &[Option<String>]) -> (Vec<u32>, Option<String>) {
    let Some(spec) = spec else {
        return ((0..uuids.len() as u32).collect(), None);
    };
    if spec.trim().is_empty() {
        let why = "CUDA_VISIBLE_DEVICES is set and empty, so no GPU is visible";
        return (Vec::new(), Some(why.to_string()));
    }
    let mut visible = Vec::new();
    for entry in spec.split(',').map(str::trim) {
        let found = match entry.parse::<u64>() {
            Ok(i) if i < uuids.len() as u64 => Some(i as u32),
            Ok(_) => None,
            Err(_) => uuid_prefix_match(entry, uuids),
        };
        match found {
            Some(i) if !visible.contains(&i) => visible.push(i),
            Some(_) => {}
            None => {
                let why = if entry.starts_with("MIG-") {
                    "MIG instances are not measured separately (NVML energy is per GPU)"
                } else {
                    "it matches no GPU, or more than one"
                };
                return (
                    visible,
                    Some(format!(
                        "CUDA_VISIBLE_DEVICES entry `{entry}` is ignored with every later one: {why}"
                    )),
                );
            }
        }
    }
    (visible, None)
}

/// CUDA numbers GPUs fastest first unless told otherwise, NVML by PCI bus: with several
/// GPUs an index in `CUDA_VISIBLE_DEVICES` may then name different boards to the two.
fn order_warning(cuda_visible: Option<&str>, count: u32, order: Option<&str>) -> Option<String> {
    let by_index = cuda_visible?
        .split(',')
        .any(|e| e.trim().parse::<u64>().is_ok());
    (by_index && count > 1 && order != Some("PCI_BUS_ID")).then(|| {
        "CUDA_VISIBLE_DEVICES names GPUs by index, read here in PCI bus order; set \
         CUDA_DEVICE_ORDER=PCI_BUS_ID so that CUDA counts the same way, or name GPUs by UUID"
            .to_string()
    })
}

fn uuid_prefix_match(entry: &str, uuids: &[Option<String>]) -> Option<u32> {
    let bare = |s: &str| s.strip_prefix("GPU-").unwrap_or(s).to_ascii_lowercase();
    let wanted = bare(entry);
    if wanted.is_empty() || entry.starts_with("MIG-") {
        return None;
    }
    let mut matches = uuids
        .iter()
        .enumerate()
        .filter(|(_, u)| u.as_deref().is_some_and(|u| bare(u).starts_with(&wanted)));
    match (matches.next(), matches.next()) {
        (Some((i, _)), None) => Some(i as u32),
        _ => None,
    }
}

fn init_failure(lib: &OsString, custom: bool, e: &NvmlError) -> String {
    match e {
        NvmlError::LibloadingError(_) if !custom => {
            format!("no NVIDIA driver: {DEFAULT_LIB} not found; set IPW_NVML_LIB")
        }
        NvmlError::LibloadingError(err) => format!(
            "IPW_NVML_LIB={} could not be loaded ({err}); point it at libnvidia-ml.so.1",
            lib.to_string_lossy()
        ),
        NvmlError::DriverNotLoaded => format!(
            "{} was found but the NVIDIA driver is not loaded (check `nvidia-smi`)",
            lib.to_string_lossy()
        ),
        NvmlError::NoPermission => {
            "no permission to talk to the NVIDIA driver; check the /dev/nvidia* permissions"
                .to_string()
        }
        other => format!("NVML failed to start: {other}"),
    }
}

/// Every GPU that NVML and `CUDA_VISIBLE_DEVICES` expose, with a line in `unused` for
/// each thing not measured, or measured the weaker way.
pub(crate) fn discover_nvml(unused: &mut Vec<Unused>) -> Vec<Box<dyn Sensor>> {
    let custom = std::env::var_os("IPW_NVML_LIB");
    let cuda_visible = std::env::var("CUDA_VISIBLE_DEVICES").ok();
    let order = std::env::var("CUDA_DEVICE_ORDER").ok();
    discover_with(custom, cuda_visible.as_deref(), order.as_deref(), unused)
}

/// `--sensors nvml`: the GPUs, or an error that says why there are none, since the user
/// asked for GPU energy by name.
pub(crate) fn require_nvml(
    unused: &mut Vec<Unused>,
) -> Result<Vec<Box<dyn Sensor>>, DiscoveryError> {
    let before = unused.len();
    let found = discover_nvml(unused);
    if found.is_empty() {
        let why: Vec<&str> = unused[before..].iter().map(|u| u.reason.as_str()).collect();
        return Err(DiscoveryError::NoneUsable {
            family: "nvml",
            what: "NVIDIA GPU",
            reasons: why.join("; "),
        });
    }
    Ok(found)
}

fn discover_with(
    custom_lib: Option<OsString>,
    cuda_visible: Option<&str>,
    device_order: Option<&str>,
    unused: &mut Vec<Unused>,
) -> Vec<Box<dyn Sensor>> {
    let mut note = |source: String, reason: String| unused.push(Unused { source, reason });
    let custom = custom_lib.is_some();
    let lib = custom_lib.unwrap_or_else(|| DEFAULT_LIB.into());
    let nvml = match Nvml::builder().lib_path(&lib).init() {
        Ok(nvml) => Arc::new(nvml),
        Err(e) => {
            note("nvml".to_string(), init_failure(&lib, custom, &e));
            return Vec::new();
        }
    };
    let driver = nvml
        .sys_driver_version()
        .unwrap_or_else(|_| "unknown".to_string());
    let count = match nvml.device_count() {
        Ok(n) => n,
        Err(e) => {
            note(
                "nvml".to_string(),
                format!("NVML could not count GPUs: {e}"),
            );
            return Vec::new();
        }
    };
    let uuids: Vec<Option<String>> = (0..count)
        .map(|i| nvml.device_by_index(i).and_then(|d| d.uuid()).ok())
        .collect();
    let (visible, warning) = visible_devices(cuda_visible, &uuids);
    if let Some(w) = warning {
        note("nvml".to_string(), w);
    }
    if let Some(w) = order_warning(cuda_visible, count, device_order) {
        note("nvml".to_string(), w);
    }
    if count == 0 {
        note("nvml".to_string(), "NVML found no GPU".to_string());
    }
    let mut sensors: Vec<Box<dyn Sensor>> = Vec::new();
    for (cuda_index, &index) in visible.iter().enumerate() {
        let id = format!("nvml:{index}");
        match describe(&nvml, index, cuda_index, &driver, &lib) {
            Ok((info, method)) => {
                if method == Method::PowerUsage {
                    note(
                        format!("{id} energy counter"),
                        format!(
                            "{} has no total-energy counter (Volta and later have one), so its \
                             power usage is integrated instead; on Ampere and later that reading \
                             is a 1 s average",
                            info.label
                        ),
                    );
                }
                sensors.push(Box::new(NvmlSensor {
                    info,
                    nvml: nvml.clone(),
                    index,
                    method,
                    reads_until_aux: 0,
                    has_temperature: true,
                    has_clock: true,
                }));
            }
            Err(reason) => note(id, reason),
        }
    }
    sensors
}

fn describe(
    nvml: &Nvml,
    index: u32,
    cuda_index: usize,
    driver: &str,
    lib: &OsString,
) -> Result<(SensorInfo, Method), String> {
    let device = nvml
        .device_by_index(index)
        .map_err(|e| format!("NVML cannot open it: {e}"))?;
    let name = device
        .name()
        .map_err(|e| format!("NVML cannot name it: {e}"))?;
    let method = match device.total_energy_consumption() {
        Ok(_) => Method::EnergyCounter,
        Err(NvmlError::NotSupported) => match device.power_usage() {
            Ok(_) => Method::PowerUsage,
            Err(e) => {
                return Err(format!(
                    "{name}: no energy counter, and power usage fails: {e}"
                ))
            }
        },
        Err(e) => return Err(format!("{name}: the energy counter fails: {e}")),
    };
    let mut details = BTreeMap::new();
    details.insert("name".to_string(), name.clone());
    if let Ok(uuid) = device.uuid() {
        details.insert("uuid".to_string(), uuid);
    }
    details.insert("driver".to_string(), driver.to_string());
    if let Ok(mw) = device
        .enforced_power_limit()
        .or_else(|_| device.power_management_limit())
    {
        details.insert(
            "power_limit_w".to_string(),
            format!("{}", f64::from(mw) / 1000.0),
        );
    }
    details.insert("nvml_index".to_string(), index.to_string());
    details.insert("cuda_index".to_string(), cuda_index.to_string());
    details.insert("library".to_string(), lib.to_string_lossy().into_owned());
    let (unit, how) = match method {
        Method::EnergyCounter => (Unit::Millijoule, "total-energy counter (mJ)"),
        Method::PowerUsage => (
            Unit::Milliwatt,
            "power usage integrated by trapezoid: this GPU has no total-energy counter",
        ),
    };
    details.insert("method".to_string(), how.to_string());
    let info = SensorInfo {
        id: format!("nvml:{index}"),
        source: "nvml".to_string(),
        domain: Domain::new(Domain::GPU),
        label: name,
        provenance: Provenance::Measured,
        kind: unit.kind(),
        unit,
        resolution: 1e-3,
        update_period: UPDATE_PERIOD,
        contained_in: None,
        details,
    };
    Ok((info, method))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuids() -> Vec<Option<String>> {
        vec![
            Some("GPU-aaaa1111-0000-0000-0000-000000000000".to_string()),
            Some("GPU-aaaa2222-0000-0000-0000-000000000000".to_string()),
            Some("GPU-bbbb3333-0000-0000-0000-000000000000".to_string()),
        ]
    }

    #[test]
    fn unset_shows_every_gpu_and_empty_shows_none() {
        assert_eq!(visible_devices(None, &uuids()), (vec![0, 1, 2], None));
        let (v, w) = visible_devices(Some(" "), &uuids());
        assert!(v.is_empty() && w.unwrap().contains("empty"));
    }

    #[test]
    fn indices_and_uuids_in_cuda_order() {
        assert_eq!(visible_devices(Some("2,0"), &uuids()), (vec![2, 0], None));
        let full = "GPU-aaaa2222-0000-0000-0000-000000000000";
        assert_eq!(visible_devices(Some(full), &uuids()).0, vec![1]);
        assert_eq!(
            visible_devices(Some("GPU-bbbb, aaaa1"), &uuids()).0,
            vec![2, 0]
        );
        assert_eq!(visible_devices(Some("1,1"), &uuids()).0, vec![1]);
    }

    #[test]
    fn a_bad_entry_ends_the_list_like_cuda() {
        let (v, w) = visible_devices(Some("1,7,0"), &uuids());
        assert_eq!(v, vec![1]);
        assert!(w.unwrap().contains("`7`"));
        // `GPU-aaaa` matches two GPUs: ambiguous, so ignored.
        let (v, w) = visible_devices(Some("GPU-aaaa,2"), &uuids());
        assert!(v.is_empty());
        assert!(w.unwrap().contains("more than one"));
        let (v, w) = visible_devices(Some("-1"), &uuids());
        assert!(v.is_empty() && w.is_some());
        let (_, w) = visible_devices(Some("MIG-1234"), &uuids());
        assert!(w.unwrap().contains("MIG"));
    }

    #[test]
    fn indices_need_the_pci_bus_order_to_mean_the_same_gpu() {
        assert!(order_warning(Some("1,0"), 2, None)
            .unwrap()
            .contains("PCI_BUS_ID"));
        assert!(order_warning(Some("1,0"), 2, Some("FASTEST_FIRST")).is_some());
        assert_eq!(order_warning(Some("1,0"), 2, Some("PCI_BUS_ID")), None);
        assert_eq!(order_warning(Some("0"), 1, None), None);
        assert_eq!(order_warning(Some("GPU-ab12"), 4, None), None);
        assert_eq!(order_warning(None, 4, None), None);
    }

    #[test]
    fn a_missing_library_is_a_reason_not_an_error() {
        let mut unused = Vec::new();
        let missing = OsString::from("/nonexistent/ipw/libnvidia-ml.so.1");
        assert!(discover_with(Some(missing), None, None, &mut unused).is_empty());
        assert_eq!(unused.len(), 1);
        assert!(
            unused[0].reason.contains("IPW_NVML_LIB=/nonexistent/ipw/"),
            "{unused:?}"
        );

        unused.clear();
        let e = NvmlError::DriverNotLoaded;
        assert!(init_failure(&DEFAULT_LIB.into(), false, &e).contains("driver is not loaded"));
        let missing = std::ffi::OsStr::new("/nonexistent/ipw/libnvidia-ml.so.1");
        let e = Nvml::builder().lib_path(missing).init().err();
        let e = e.expect("a missing library fails to load");
        assert!(matches!(e, NvmlError::LibloadingError(_)));
        assert_eq!(
            init_failure(&DEFAULT_LIB.into(), false, &e),
            "no NVIDIA driver: libnvidia-ml.so.1 not found; set IPW_NVML_LIB"
        );
    }
}
