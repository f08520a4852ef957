//! The NVML sensor end to end through the real `nvml-wrapper` code path (dlopen, symbol
//! lookup, error mapping), against the scripted library of the `ipw-fake-nvml` crate.
//!
//! NVML is configured through process-wide environment variables, so every scenario runs
//! in one test function, one after the other.

use ipw_bench::attribution::{source_window, window, Method};
use ipw_bench::sampler::{EdgeId, Sampler, Trace};
use ipw_bench::sensor::{discover, Discovery, SensorSpec, Unit};
use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const H100: &str = "GPU-11111111-2222-3333-4444-555555555555";
const P100: &str = "GPU-99999999-8888-7777-6666-555555555555";
const A100: &str = "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const LOST: &str = "GPU-ab000000-0000-0000-0000-000000000000";

/// The fake library, built into the debug profile of this test's target directory.
///
/// `cargo test -p ipw-bench` does not build other workspace members, so the test asks
/// cargo for it; when it is up to date that costs a fraction of a second, and it never
/// runs a stale copy.
fn fake_library() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let file = format!("{DLL_PREFIX}ipw_fake_nvml{DLL_SUFFIX}");
    let lib = target.join("debug").join(file);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "ipw-fake-nvml"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &target)
        .status();
    match status {
        Ok(s) if s.success() => {}
        // Without cargo (a copied test binary), a library built earlier still serves.
        Err(_) if lib.exists() => {}
        other => panic!("building ipw-fake-nvml failed: {other:?}"),
    }
    assert!(lib.exists(), "{} was not built", lib.display());
    lib
}

fn script() -> String {
    [
        "driver=550.54.15".to_string(),
        format!(
            "gpu name=NVIDIA H100 80GB HBM3, uuid={H100}, power=200, limit=700, temp=41, \
             sm_clock=1980, start_mj=123456789"
        ),
        format!("gpu name=Tesla P100-PCIE-16GB, uuid={P100}, power=250, limit=250, energy=none"),
        format!("gpu name=NVIDIA A100-SXM4-40GB, uuid={A100}, power=200, limit=400, reset_at=3.0"),
        format!("gpu name=NVIDIA A100-SXM4-80GB, uuid={LOST}, power=150, limit=400, lost_at=5.0"),
    ]
    .join("; ")
}

fn nvml_only() -> Discovery {
    discover(&[SensorSpec::Nvml]).expect("the script has visible GPUs")
}

fn ids(d: &Discovery) -> Vec<String> {
    d.sensors.iter().map(|s| s.info().id.clone()).collect()
}

fn set_visible(value: Option<&str>) {
    match value {
        Some(v) => std::env::set_var("CUDA_VISIBLE_DEVICES", v),
        None => std::env::remove_var("CUDA_VISIBLE_DEVICES"),
    }
}

fn seconds(trace: &Trace, a: EdgeId, b: EdgeId, s: usize) -> f64 {
    let pa = trace.edges[a.0 as usize].index[s];
    let pb = trace.edges[b.0 as usize].index[s];
    (trace.points[s][pb].t_ns - trace.points[s][pa].t_ns) as f64 * 1e-9
}

fn discovery_reports_the_scripted_gpus() {
    set_visible(None);
    let d = nvml_only();
    assert_eq!(ids(&d), ["nvml:0", "nvml:1", "nvml:2", "nvml:3"]);
    let h100 = d.sensors[0].info();
    assert_eq!(h100.label, "NVIDIA H100 80GB HBM3");
    assert_eq!(h100.domain.as_str(), "gpu");
    assert_eq!(h100.unit, Unit::Millijoule);
    assert_eq!(h100.details["uuid"], H100);
    assert_eq!(h100.details["driver"], "550.54.15");
    assert_eq!(h100.details["power_limit_w"], "700");
    assert_eq!(d.sensors[0].min_poll_interval(), Duration::from_millis(50));

    // No energy counter: power usage integrated, and said so twice.
    let p100 = d.sensors[1].info();
    assert_eq!(p100.unit, Unit::Milliwatt);
    assert!(p100.details["method"].contains("no total-energy counter"));
    let said = d.summary().join("\n");
    assert!(
        said.contains(
            "not using nvml:1 energy counter: Tesla P100-PCIE-16GB has no total-energy counter"
        ),
        "{said}"
    );
    assert!(
        said.contains("using nvml:0 (gpu, NVIDIA H100 80GB HBM3, measured)"),
        "{said}"
    );

    // `auto` finds them too.
    let auto = discover(&[SensorSpec::Auto]).unwrap();
    assert!(
        ids(&auto).iter().any(|id| id == "nvml:0"),
        "{:?}",
        ids(&auto)
    );
    assert!(!auto.estimated_only());
}

fn cuda_visible_devices_selects() {
    for (spec, want) in [
        ("2,0", vec!["nvml:2", "nvml:0"]),
        (A100, vec!["nvml:2"]),
        ("GPU-9999", vec!["nvml:1"]),
        ("99999999-8888", vec!["nvml:1"]),
        ("GPU-1111", vec!["nvml:0"]),
        ("3, GPU-aaaa", vec!["nvml:3", "nvml:2"]),
        // `GPU-a` is ambiguous (both A100s): CUDA stops there.
        ("1,GPU-a,0", vec!["nvml:1"]),
        ("0,9,1", vec!["nvml:0"]),
    ] {
        set_visible(Some(spec));
        let d = nvml_only();
        assert_eq!(ids(&d), want, "CUDA_VISIBLE_DEVICES={spec}");
        let said = d.summary().join("\n");
        if spec.contains(",9,") {
            assert!(said.contains("entry `9` is ignored"), "{said}");
        }
        let by_index = spec.split(',').any(|e| e.trim().parse::<u32>().is_ok());
        assert_eq!(
            said.contains("CUDA_DEVICE_ORDER=PCI_BUS_ID"),
            by_index,
            "{said}"
        );
    }
    std::env::set_var("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
    set_visible(Some("2,0"));
    assert!(!nvml_only()
        .summary()
        .join("\n")
        .contains("CUDA_DEVICE_ORDER"));
    std::env::remove_var("CUDA_DEVICE_ORDER");
    set_visible(None);
}

fn energy_reset_fallback_and_loss() {
    set_visible(None);
    let d = nvml_only();
    let sampler = Sampler::start(d.sensors, Duration::from_millis(20));
    // Script time starts at discovery: edges near 0, 2.3, 3.8, 6.0 and 8.2 s put the
    // reset (3.0 s) inside the second window and the loss (5.0 s) inside the third.
    let mut edges = vec![sampler.edge()];
    for pause in [2300, 1500, 2200, 2200] {
        std::thread::sleep(Duration::from_millis(pause));
        edges.push(sampler.edge());
    }
    let trace = sampler.stop();
    let w = |i: usize, s: usize| source_window(&trace, s, edges[i], edges[i + 1]);

    // Steady 200 W through the counter: a whole number of 100 ms ticks (20 J each), which
    // is the analytic energy to within less than one tick (plus 5 ms of read slack).
    let within_a_tick = |j: f64, secs: f64| (j - 200.0 * secs).abs() < 20.0 + 200.0 * 0.005;
    for i in 0..4 {
        let e = w(i, 0);
        let j = e.joules.expect("the steady GPU is valid in every window");
        let secs = seconds(&trace, edges[i], edges[i + 1], 0);
        assert!(within_a_tick(j, secs), "window {i}: {j} J over {secs} s");
        assert!(
            (j / 20.0 - (j / 20.0).round()).abs() < 1e-9,
            "{j} J is not whole ticks"
        );
        assert_eq!(e.method, Method::CounterDifference);
    }
    // Over the 8 s run that is within 1.3 %.
    let whole = source_window(&trace, 0, edges[0], edges[4]).joules.unwrap();
    let secs = seconds(&trace, edges[0], edges[4], 0);
    assert!(within_a_tick(whole, secs), "{whole} J over {secs} s");

    // Temperature and clock ride along in the trace, but not on every read.
    let points = &trace.points[0];
    let with_temp = points.iter().filter(|p| p.temperature_c == 41.0).count();
    assert!(
        with_temp >= 2 && with_temp < points.len() / 2,
        "{with_temp}/{}",
        points.len()
    );
    assert!(points.iter().any(|p| p.clock_mhz == 1980.0));

    // No counter: the trapezoid of 250 W readings.
    for i in 0..4 {
        let e = w(i, 1);
        let secs = seconds(&trace, edges[i], edges[i + 1], 1);
        let j = e.joules.unwrap();
        assert!(
            (j - 250.0 * secs).abs() < 1e-3 * 250.0 * secs,
            "{j} J over {secs} s"
        );
        assert_eq!(e.method, Method::Trapezoid);
    }

    // The driver reset at 3.0 s voids the window around it, and only that one.
    let reset = w(1, 2);
    assert_eq!(reset.joules, None);
    assert!(reset.flags.contains(&"reset"), "{:?}", reset.flags);
    for i in [0, 2, 3] {
        let j = w(i, 2)
            .joules
            .expect("windows without the reset stay valid");
        let secs = seconds(&trace, edges[i], edges[i + 1], 2);
        assert!(within_a_tick(j, secs), "window {i}: {j} J over {secs} s");
    }

    // The GPU lost at 5.0 s: valid before, invalid from then on, and the run went on.
    assert!(w(0, 3).joules.is_some() && w(1, 3).joules.is_some());
    for i in [2, 3] {
        let e = w(i, 3);
        assert_eq!(e.joules, None);
        assert!(e.flags.contains(&"source-gone"), "{:?}", e.flags);
        assert_eq!(window(&trace, edges[i], edges[i + 1]).total, None);
    }
    assert_eq!(trace.lost.len(), 1, "{:?}", trace.lost);
    assert_eq!(trace.lost[0].0, 3);
    assert!(
        trace.lost[0].2.contains("fell off the bus"),
        "{}",
        trace.lost[0].2
    );
    let last = &trace.edges[4].index;
    assert!(trace.points[0][last[0]].t_ns > 8_000_000_000);
}

fn missing_library_is_reported_not_fatal() {
    // `auto` notes it and goes on; `--sensors nvml` asked for a GPU and says why not.
    std::env::set_var("IPW_NVML_LIB", "/nonexistent/ipw/libnvidia-ml.so.1");
    let d = discover(&[SensorSpec::Auto]).expect("auto never fails for want of a GPU");
    assert!(!ids(&d).iter().any(|id| id.starts_with("nvml")));
    let said = d.summary().join("\n");
    assert!(
        said.contains("not using nvml: IPW_NVML_LIB=/nonexistent/ipw/"),
        "{said}"
    );
    let err = discover(&[SensorSpec::Nvml])
        .err()
        .expect("an explicit nvml needs a GPU")
        .to_string();
    assert!(
        err.starts_with("--sensors nvml: no usable NVIDIA GPU (IPW_NVML_LIB="),
        "{err}"
    );

    // A library that loads but has no script behaves like a driver that is not loaded.
    std::env::set_var("IPW_NVML_LIB", fake_library());
    std::env::remove_var("IPW_FAKE_NVML_SCRIPT");
    let d = discover(&[SensorSpec::Auto]).unwrap();
    assert!(d.summary().join("\n").contains("driver is not loaded"));

    // A script whose GPUs are all hidden leaves nothing to measure.
    std::env::set_var("IPW_FAKE_NVML_SCRIPT", script());
    set_visible(Some(""));
    let err = discover(&[SensorSpec::Nvml])
        .err()
        .expect("no visible GPU")
        .to_string();
    assert!(
        err.contains("CUDA_VISIBLE_DEVICES is set and empty"),
        "{err}"
    );
    set_visible(None);
}

#[test]
fn nvml_sensor_against_the_fake_library() {
    std::env::set_var("IPW_NVML_LIB", fake_library());
    std::env::set_var("IPW_FAKE_NVML_SCRIPT", script());
    std::env::remove_var("CUDA_DEVICE_ORDER");
    discovery_reports_the_scripted_gpus();
    cuda_visible_devices_selects();
    energy_reset_fallback_and_loss();
    missing_library_is_reported_not_fatal();
}
