//! A wall meter read through `--meter-csv` end to end: the sampler integrates its power,
//! and a silent stretch voids the window it falls in instead of repeating the last value.

use ipw_bench::attribution::window;
use ipw_bench::sampler::Sampler;
use ipw_bench::sensor::{MeterSensor, Sensor};
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Append `unix_seconds,watts` lines every 50 ms: 50 W until 0.8 s, nothing until 1.2 s,
/// then 80 W until 1.9 s.
fn logger(path: std::path::PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut f = match std::fs::OpenOptions::new().append(true).open(&path) {
            Ok(f) => f,
            Err(e) => panic!("open {}: {e}", path.display()),
        };
        let start = Instant::now();
        let mut tick = 0u32;
        loop {
            let t = Duration::from_millis(50) * tick;
            tick += 1;
            std::thread::sleep((start + t).saturating_duration_since(Instant::now()));
            let secs = t.as_secs_f64();
            let watts = match secs {
                s if s < 0.8 => 50,
                s if s < 1.2 => continue,
                s if s < 1.9 => 80,
                _ => return,
            };
            let unix = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            if writeln!(f, "{unix:.3},{watts}").is_err() {
                return;
            }
        }
    })
}

#[test]
fn a_csv_meter_is_integrated_and_a_silent_meter_voids_its_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("wall.csv");
    std::fs::write(&path, "unix_seconds,watts\n").expect("create log");
    let writer = logger(path.clone());
    let t0 = Instant::now();
    let meter = match MeterSensor::from_csv(&path) {
        Ok(m) => m,
        Err(e) => panic!("meter: {e}"),
    };
    assert!(meter.info().details.contains_key("clock_offset_s"));
    let sampler = Sampler::start(vec![Box::new(meter)], Duration::from_millis(10));
    let at = |secs: f64| {
        std::thread::sleep(
            (t0 + Duration::from_secs_f64(secs)).saturating_duration_since(Instant::now()),
        );
        sampler.edge()
    };
    let e0 = at(0.15);
    let e1 = at(0.7);
    let e2 = at(1.35);
    let e3 = at(1.85);
    let trace = sampler.stop();
    writer.join().expect("logger");
    for (a, b, watts) in [(e0, e1, 50.0), (e2, e3, 80.0)] {
        let w = window(&trace, a, b);
        let joules = w
            .total
            .unwrap_or_else(|| panic!("window invalid: {:?}", w.flags));
        let want = watts * w.seconds;
        assert!(
            (joules - want).abs() <= 0.01 * want,
            "{joules:.3} J measured, {want:.3} J expected at {watts} W"
        );
    }
    let silent = window(&trace, e1, e2);
    assert_eq!(silent.total, None, "a stale meter is not integrated");
    assert!(silent.flags.contains(&"read-error"), "{:?}", silent.flags);
}
