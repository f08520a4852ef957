//! The NVML sensor against the real driver, on a machine with an NVIDIA GPU.
//!
//! Opt-in: `IPW_REAL_NVML=1 cargo test -p ipw-bench --test nvml_real -- --nocapture`.
//! Elsewhere it returns at once, saying so. `IPW_NVML_LIB` picks the library as usual;
//! `IPW_REAL_NVML_LOAD` may name a shell command that keeps GPU 0 busy at a steady load
//! (for example a GEMM loop) while the counter is cross-checked; without it the check
//! runs on the idle GPU, which is also steady.

use ipw_bench::attribution::source_window;
use ipw_bench::sampler::Sampler;
use ipw_bench::sensor::{discover, Discovery, SensorSpec, Unit};
use nvml_wrapper::Nvml;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn nvml_only() -> Discovery {
    discover(&[SensorSpec::Nvml]).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(d: &Discovery) -> Vec<String> {
    d.sensors.iter().map(|s| s.info().id.clone()).collect()
}

/// Mean power of a GPU from its power usage, polled every 100 ms for `secs` and
/// integrated by the trapezoid rule.
fn mean_power_usage_w(device: &nvml_wrapper::Device<'_>, secs: f64) -> f64 {
    let start = Instant::now();
    let mut first: Option<f64> = None;
    let mut last: Option<(f64, f64)> = None;
    let mut joules = 0.0;
    while start.elapsed().as_secs_f64() < secs {
        let watts = f64::from(device.power_usage().expect("power usage")) / 1000.0;
        let t = start.elapsed().as_secs_f64();
        if let Some((t0, w0)) = last {
            joules += (w0 + watts) * 0.5 * (t - t0);
        }
        first.get_or_insert(t);
        last = Some((t, watts));
        std::thread::sleep(Duration::from_millis(100));
    }
    let span = last.map_or(0.0, |l| l.0) - first.unwrap_or(0.0);
    joules / span
}

fn start_load() -> Option<Child> {
    let cmd = std::env::var("IPW_REAL_NVML_LOAD").ok()?;
    let child = Command::new("sh")
        .args(["-c", &cmd])
        .spawn()
        .expect("IPW_REAL_NVML_LOAD starts");
    // Let the load and the GPU clocks settle before measuring.
    std::thread::sleep(Duration::from_secs(5));
    Some(child)
}

#[test]
fn nvml_sensor_against_the_real_driver() {
    if std::env::var("IPW_REAL_NVML").as_deref() != Ok("1") {
        eprintln!("skipped: set IPW_REAL_NVML=1 on a machine with an NVIDIA GPU");
        return;
    }
    std::env::remove_var("CUDA_VISIBLE_DEVICES");

    // Discovery: every GPU with its facts.
    let d = nvml_only();
    assert!(!d.sensors.is_empty(), "{}", d.summary().join("\n"));
    for s in &d.sensors {
        let info = s.info();
        assert!(!info.label.is_empty());
        assert!(
            info.details["uuid"].starts_with("GPU-"),
            "{:?}",
            info.details
        );
        assert!(!info.details["driver"].is_empty());
        let limit: f64 = info.details["power_limit_w"]
            .parse()
            .expect("a power limit");
        assert!(limit > 0.0);
    }
    eprintln!("{}", d.summary().join("\n"));
    let first = d.sensors[0].info().clone();
    let others: Vec<String> = d.sensors[1..]
        .iter()
        .map(|s| s.info().details["uuid"].clone())
        .collect();
    drop(d);

    // CUDA_VISIBLE_DEVICES by index, by UUID and by prefix.
    let uuid = first.details["uuid"].clone();
    let unique = (8..=uuid.len())
        .find(|&n| !others.iter().any(|o| o.starts_with(&uuid[..n])))
        .expect("UUIDs differ");
    for spec in ["0", uuid.as_str(), &uuid[..unique]] {
        std::env::set_var("CUDA_VISIBLE_DEVICES", spec);
        assert_eq!(
            ids(&nvml_only()),
            std::slice::from_ref(&first.id),
            "CUDA_VISIBLE_DEVICES={spec}"
        );
    }
    std::env::set_var("CUDA_VISIBLE_DEVICES", "0");

    // The counter against integrated power over 10 s of a steady load.
    let mut load = start_load();
    let d = nvml_only();
    let counter = d.sensors[0].info().unit == Unit::Millijoule;
    let lib = std::env::var_os("IPW_NVML_LIB").unwrap_or_else(|| "libnvidia-ml.so.1".into());
    let nvml = Nvml::builder().lib_path(&lib).init().expect("NVML starts");
    let device = nvml.device_by_index(0).expect("GPU 0");
    let sampler = Sampler::start(d.sensors, Duration::from_millis(100));
    let a = sampler.edge();
    let power_w = mean_power_usage_w(&device, 10.0);
    let b = sampler.edge();
    let trace = sampler.stop();
    if let Some(child) = load.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let e = source_window(&trace, 0, a, b);
    let joules = e
        .joules
        .unwrap_or_else(|| panic!("invalid window: {:?}", e.flags));
    let secs = (trace.edges[1].t_ns - trace.edges[0].t_ns) as f64 * 1e-9;
    let watts = joules / secs;
    eprintln!(
        "{}: {joules:.1} J over {secs:.2} s ({watts:.1} W) from the {}; {power_w:.1} W integrated",
        first.label,
        if counter { "counter" } else { "power readings" }
    );
    assert!(watts > 1.0 && watts < 1.2 * first.details["power_limit_w"].parse::<f64>().unwrap());
    let disagreement = (watts - power_w).abs() / power_w;
    assert!(
        disagreement <= 0.05,
        "counter and integrated power disagree by {:.1} % on a steady load",
        disagreement * 100.0
    );
    assert!(trace.lost.is_empty(), "{:?}", trace.lost);
}
