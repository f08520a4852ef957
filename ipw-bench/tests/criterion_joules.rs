//! criterion runs its whole analysis on `ipw_bench::criterion::Joules`: long samples are
//! counter differences, samples too short for the counter are interpolated from the
//! trace, none is zero, and each equals the known power x the sample's wall time.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, SamplingMode};
use ipw_bench::criterion::Joules;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WATTS: f64 = 50.0;

/// `Joules`, with the wall time of each window it measured kept aside as the truth.
struct Recording {
    joules: Joules,
    windows: Arc<Mutex<Vec<f64>>>,
    /// `Joules::interpolated()` when criterion drops the measurement.
    counts: Arc<Mutex<(u64, u64)>>,
}

impl Drop for Recording {
    fn drop(&mut self) {
        *self.counts.lock().unwrap() = self.joules.interpolated();
    }
}

impl Measurement for Recording {
    type Intermediate = (Instant, <Joules as Measurement>::Intermediate);
    type Value = f64;

    fn start(&self) -> Self::Intermediate {
        let t = Instant::now();
        (t, self.joules.start())
    }
    fn end(&self, (t, i): Self::Intermediate) -> f64 {
        let j = self.joules.end(i);
        self.windows.lock().unwrap().push(t.elapsed().as_secs_f64());
        j
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, v: &f64) -> f64 {
        *v
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.joules.formatter()
    }
}

fn spin(d: Duration) {
    let t = Instant::now();
    while t.elapsed() < d {
        std::hint::black_box(0);
    }
}

/// The joules criterion saved for each sample of `id`, in order.
fn saved_samples(dir: &Path, id: &str) -> Vec<f64> {
    let path = dir.join(id).join("new").join("sample.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Bench `f` under `mode` and compare each saved sample with WATTS x its window.
fn check(mode: SamplingMode, measurement: Duration, f: fn()) -> (Vec<f64>, (u64, u64)) {
    let dir = tempfile::tempdir().unwrap();
    let windows = Arc::new(Mutex::new(Vec::new()));
    let counts = Arc::new(Mutex::new((0, 0)));
    let joules = Joules::with_sensors(&format!("synthetic:{WATTS}")).unwrap();
    let mut c = Criterion::default()
        .with_measurement(Recording {
            joules,
            windows: windows.clone(),
            counts: counts.clone(),
        })
        .output_directory(dir.path())
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(measurement)
        .without_plots();
    let mut g = c.benchmark_group("g");
    g.sampling_mode(mode);
    g.bench_function("f", |b| b.iter(f));
    g.finish();
    drop(c);
    let counts = *counts.lock().unwrap();
    let saved = saved_samples(dir.path(), "g/f");
    let windows = windows.lock().unwrap();
    // Each criterion sample is one window; the samples are the last windows measured.
    let truth = &windows[windows.len() - saved.len()..];
    let ratios: Vec<f64> = saved
        .iter()
        .zip(truth)
        .map(|(j, secs)| j / (WATTS * secs))
        .collect();
    assert!(saved.iter().all(|&j| j > 0.0), "criterion aborts on zero");
    (ratios, counts)
}

#[test]
fn flat_samples_are_counter_differences() {
    let (ratios, (windows, interpolated)) =
        check(SamplingMode::Flat, Duration::from_secs(1), || {
            spin(Duration::from_millis(2))
        });
    for r in &ratios {
        assert!((r - 1.0).abs() < 0.01, "{ratios:?}");
    }
    // Only warm-up windows (from one 2 ms iteration up) can be short.
    assert!(
        windows > 10 && interpolated < windows - 10,
        "{windows} {interpolated}"
    );
}

#[test]
fn short_linear_samples_are_interpolated_and_never_zero() {
    // 0.1 s over 55 iteration units: the first samples last about 2 ms, under the
    // 10 ms (10 update periods) that the synthetic counter needs.
    let (ratios, (_, interpolated)) =
        check(SamplingMode::Linear, Duration::from_millis(100), || {
            spin(Duration::from_micros(20))
        });
    for r in &ratios {
        assert!((r - 1.0).abs() < 0.02, "{ratios:?}");
    }
    assert!(interpolated >= 2, "{interpolated}");
}
