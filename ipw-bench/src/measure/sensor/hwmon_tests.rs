//! Tests of the hwmon energy counters and power meters.

use super::*;
use std::fs;

fn chip(root: &Path, hwmon: &str, name: &str, files: &[(&str, &str)]) {
    let dir = root.join(hwmon);
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("name"), format!("{name}\n")).expect("name");
    for (f, v) in files {
        fs::write(dir.join(f), format!("{v}\n")).expect("file");
    }
}

fn by_id(sensors: &[HwmonSensor]) -> BTreeMap<&str, &SensorInfo> {
    sensors
        .iter()
        .map(|s| (s.info.id.as_str(), &s.info))
        .collect()
}

#[test]
fn gpu_chips_and_counter_preference() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    chip(root, "hwmon0", "k10temp", &[("temp1_input", "40000")]);
    chip(
        root,
        "hwmon1",
        "amdgpu",
        &[
            ("power1_input", "30000000"),
            ("power1_average", "29000000"),
            ("power1_label", "PPT"),
        ],
    );
    chip(
        root,
        "hwmon2",
        "xe",
        &[
            ("energy1_input", "100"),
            ("energy1_label", "card"),
            ("energy2_input", "50"),
            ("energy2_label", "pkg"),
            ("power1_input", "5000000"),
        ],
    );
    chip(root, "hwmon3", "mystery", &[("power1_input", "1")]);
    let (sensors, statuses) = probe(root, false);
    let ids = by_id(&sensors);
    assert_eq!(ids.len(), 3, "{:?}", ids.keys());
    let gpu = ids["hwmon:hwmon1:power1"];
    assert_eq!(
        (gpu.domain.as_str(), gpu.kind),
        (Domain::GPU, SensorKind::Meter)
    );
    assert_eq!(gpu.label, "amdgpu PPT");
    assert_eq!(ids["hwmon:hwmon2:energy1"].kind, SensorKind::Counter);
    assert_eq!(
        ids["hwmon:hwmon2:energy2"].contained_in.as_deref(),
        Some("hwmon:hwmon2:energy1")
    );
    let access = |id: &str| statuses.iter().find(|s| s.id == id).map(|s| s.access);
    assert_eq!(access("hwmon:hwmon2:power1"), Some(Access::Duplicate));
    assert_eq!(access("hwmon:hwmon3:power1"), Some(Access::UnknownScope));
}

#[test]
fn jetson_rails_multiply_volts_and_amps_inside_vdd_in() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    chip(
        root,
        "hwmon4",
        "ina3221",
        &[
            ("in1_label", "VDD_IN"),
            ("in1_input", "5000"),
            ("curr1_input", "1200"),
            ("in2_label", "VDD_CPU_GPU_CV"),
            ("in2_input", "5000"),
            ("curr2_input", "300"),
            ("in3_label", "VDD_SOC"),
            ("in3_input", "5000"),
            ("curr3_input", "200"),
        ],
    );
    let (mut sensors, _) = probe(root, false);
    assert_eq!(sensors.len(), 3);
    let vin = sensors
        .iter_mut()
        .find(|s| s.info.domain.as_str() == "system");
    let vin = vin.expect("VDD_IN");
    assert_eq!(vin.read().map(|r| r.value), Ok(6_000_000));
    let ids = by_id(&sensors);
    assert_eq!(ids["hwmon:hwmon4:in2"].domain.as_str(), "cpu-gpu");
    assert_eq!(ids["hwmon:hwmon4:in3"].domain.as_str(), "soc");
    assert_eq!(
        ids["hwmon:hwmon4:in3"].contained_in.as_deref(),
        Some("hwmon:hwmon4:in1")
    );
}

#[test]
fn cpu_chips_yield_to_rapl() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    chip(
        root,
        "hwmon0",
        "amd_energy",
        &[
            ("energy1_input", "10"),
            ("energy1_label", "Ecore000"),
            ("energy2_input", "20"),
            ("energy2_label", "Esocket0"),
        ],
    );
    let (alone, _) = probe(root, false);
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].info.domain.as_str(), Domain::CPU_PACKAGE);
    let (with_rapl, statuses) = probe(root, true);
    assert!(with_rapl.is_empty());
    assert!(statuses.iter().all(|s| s.access == Access::Duplicate));
}
