//! `Joules`: a criterion `Measurement` that reports energy instead of time.
//!
//! An existing criterion bench gets joules by changing one line:
//!
//! ```ignore
//! Criterion::default().with_measurement(ipw_bench::criterion::Joules::auto())
//! ```
//!
//! The same sampler as `cargo bench` runs beside criterion: every sample's start and end
//! read every source synchronously, and the energy between the two reads is the value
//! criterion analyses (joules, of every top-level source: cpu-package, dram, gpu, ...).
//!
//! Criterion aborts its analysis on a zero measurement, and a counter that did not tick
//! during a short sample reads exactly zero. So a sample shorter than
//! [`MIN_UPDATE_PERIODS`] update periods of a counter (RAPL: 1 ms, NVML: 100 ms) gets,
//! for that counter, the mean power over the last [`MIN_UPDATE_PERIODS`] periods of the
//! trace (at least [`MIN_SPAN`]) times the sample's duration: an interpolation, counted
//! and reported when the measurement is dropped. Criterion's default linear sampling makes
//! its first samples short; flat sampling with fewer, longer samples
//! (`.sampling_mode(SamplingMode::Flat).sample_size(10)` and a `measurement_time` of
//! several seconds) keeps every sample a measurement.

use crate::attribution;
use crate::measure::sampler::{EdgeId, Sampler, Trace};
use crate::measure::sensor::counter::INVALIDATING;
use crate::measure::sensor::{
    discover, parse_sensor_spec, DiscoveryError, EstimateSensor, Sensor, SpecError,
};
use crate::measure::sensor::{Provenance, SensorKind};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::Throughput;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Samples shorter than this many update periods of a counter are interpolated.
pub const MIN_UPDATE_PERIODS: f64 = 10.0;
/// The shortest stretch of trace a mean power is taken over, in seconds.
pub const MIN_SPAN: f64 = 0.5;

/// How often the sampler reads the sources between samples.
const POLL: Duration = Duration::from_millis(100);

/// Why `Joules` cannot measure with the sources asked for.
#[derive(Debug, thiserror::Error)]
pub enum JoulesError {
    /// The list of sources is not valid.
    #[error("ipw_bench::criterion::Joules: {0}")]
    Spec(#[from] SpecError),
    /// The sources cannot be had (a family asked for by name, a bad setting).
    #[error("ipw_bench::criterion::Joules: {0}")]
    Discovery(#[from] DiscoveryError),
    /// The list names no source at all.
    #[error("ipw_bench::criterion::Joules: no energy source for `{0}`")]
    NoSource(String),
}

/// A criterion measurement in joules. See the module documentation.
pub struct Joules {
    sampler: Sampler,
    formatter: JoulesFormatter,
    samples: AtomicU64,
    interpolated: AtomicU64,
    invalid: AtomicU64,
}

impl Joules {
    /// Every measured source found (`--sensors auto`), the estimate when none is; the
    /// sources are printed once on stderr.
    ///
    /// Discovery with `auto` fails only on a bad setting that the estimate reads
    /// (`IPW_ESTIMATE_CORE_WATTS`); then the error is printed as a warning and the estimate
    /// runs at its documented default power, labelled estimated like every estimate. Use
    /// [`Joules::try_auto`] to treat that as an error instead.
    pub fn auto() -> Joules {
        Joules::try_auto().unwrap_or_else(|e| {
            eprintln!(
                "warning: {e}; using the estimate at its default {} W per core",
                crate::measure::sensor::estimate::DEFAULT_WATTS_PER_CORE
            );
            let estimate: Box<dyn Sensor> = Box::new(EstimateSensor::new(
                crate::measure::sensor::estimate::DEFAULT_WATTS_PER_CORE,
            ));
            Joules::from_sampler(Sampler::start(vec![estimate], POLL))
        })
    }

    /// [`Joules::auto`], with a bad setting as an error.
    pub fn try_auto() -> Result<Joules, JoulesError> {
        Joules::with_sensors("auto")
    }

    /// The sources of a `--sensors` list: `auto`, `rapl,nvml`, `estimate`, `synthetic:50`.
    pub fn with_sensors(spec: &str) -> Result<Joules, JoulesError> {
        let specs = parse_sensor_spec(spec)?;
        let discovery = discover(&specs)?;
        for line in discovery.summary() {
            eprintln!("ipw: {line}");
        }
        if discovery.sensors.is_empty() {
            return Err(JoulesError::NoSource(spec.to_string()));
        }
        Ok(Joules::from_sampler(Sampler::start(
            discovery.sensors,
            POLL,
        )))
    }

    pub(crate) fn from_sampler(sampler: Sampler) -> Joules {
        let provenance = crate::analysis::assemble::provenance_of(sampler.sensors());
        Joules {
            sampler,
            formatter: JoulesFormatter { provenance },
            samples: AtomicU64::new(0),
            interpolated: AtomicU64::new(0),
            invalid: AtomicU64::new(0),
        }
    }

    /// Whether the joules are measured, estimated or synthetic.
    pub fn provenance(&self) -> Provenance {
        self.formatter.provenance
    }

    /// Windows measured (criterion's `start`/`end` pairs), and how many of them were
    /// interpolated from the power trace.
    pub fn interpolated(&self) -> (u64, u64) {
        (
            self.samples.load(Ordering::Relaxed),
            self.interpolated.load(Ordering::Relaxed),
        )
    }

    /// The energy between two edges, never zero or negative.
    fn joules(&self, trace: &Trace, start: EdgeId, end: EdgeId) -> f64 {
        let w = attribution::window(trace, start, end);
        let mut total = 0.0;
        let mut interpolated = false;
        for (s, info) in trace.sensors.iter().enumerate() {
            if info.contained_in.is_some() {
                continue;
            }
            let e = &w.per_source[s];
            let short = w.seconds < MIN_UPDATE_PERIODS * info.update_period.as_secs_f64();
            let direct = e.joules.filter(|&j| j > 0.0);
            let joules = match direct {
                Some(j) if !(short && info.kind == SensorKind::Counter) => j,
                _ => {
                    if e.joules.is_none() {
                        self.invalid.fetch_add(1, Ordering::Relaxed);
                    }
                    interpolated = true;
                    let b = trace.edges[end.0 as usize].index[s];
                    recent_power(trace, s, b, info.update_period.as_secs_f64())
                        .map_or(0.0, |watts| watts * w.seconds)
                }
            };
            total += joules;
        }
        self.samples.fetch_add(1, Ordering::Relaxed);
        if interpolated {
            self.interpolated.fetch_add(1, Ordering::Relaxed);
        }
        if total > 0.0 {
            total
        } else {
            // Nothing moved at all (a sample of a few nanoseconds on an idle counter):
            // half the finest resolution is the expected energy of a reading of zero.
            trace
                .sensors
                .iter()
                .map(|s| s.resolution)
                .filter(|&r| r > 0.0)
                .fold(f64::INFINITY, f64::min)
                .min(1e-6)
                * 0.5
        }
    }
}

/// Mean power of counter `s` over the stretch of trace that ends at point `b` and spans
/// at least [`MIN_UPDATE_PERIODS`] update periods and [`MIN_SPAN`] (or all there is),
/// stopping at a reset or a missed wrap. For a meter, the latest reading.
fn recent_power(trace: &Trace, s: usize, b: usize, period_s: f64) -> Option<f64> {
    let info = &trace.sensors[s];
    let pts = &trace.points[s];
    let unit = info.unit.to_si();
    if info.kind == SensorKind::Meter {
        return Some(pts.get(b)?.value as f64 * unit);
    }
    let span = (MIN_UPDATE_PERIODS * period_s).max(MIN_SPAN);
    let end = pts.get(b)?;
    let mut a = b;
    while a > 0 && pts[a].flags & INVALIDATING == 0 {
        a -= 1;
        let dt = end.t_ns.saturating_sub(pts[a].t_ns) as f64 * 1e-9;
        if dt >= span && end.value > pts[a].value {
            break;
        }
    }
    let dt = end.t_ns.saturating_sub(pts[a].t_ns) as f64 * 1e-9;
    let de = end.value.saturating_sub(pts[a].value) as f64 * unit;
    (dt > 0.0 && de > 0.0).then(|| de / dt)
}

impl Drop for Joules {
    fn drop(&mut self) {
        self.sampler.stop();
        let (n, k) = self.interpolated();
        if k > 0 {
            let invalid = self.invalid.load(Ordering::Relaxed);
            eprintln!(
                "ipw: {k} of {n} measured windows (criterion calls start/end once per sample, \
                 and once per batch in iter_batched) were shorter than {MIN_UPDATE_PERIODS} \
                 update periods of a counter{}: their energy is the trace's recent mean power x \
                 their duration. Flat sampling with fewer, longer samples keeps every window \
                 measured.",
                if invalid > 0 {
                    format!(" or had an invalid window ({invalid} source windows)")
                } else {
                    String::new()
                }
            );
        }
    }
}

impl Measurement for Joules {
    type Intermediate = EdgeId;
    type Value = f64;

    fn start(&self) -> EdgeId {
        self.sampler.edge()
    }

    fn end(&self, start: EdgeId) -> f64 {
        let end = self.sampler.edge();
        self.sampler
            .with_trace(|trace| self.joules(trace, start, end))
    }

    fn add(&self, v1: &f64, v2: &f64) -> f64 {
        v1 + v2
    }

    fn zero(&self) -> f64 {
        0.0
    }

    fn to_f64(&self, value: &f64) -> f64 {
        *value
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &self.formatter
    }
}

/// Formats joules with SI prefixes, and says when they are not measured.
struct JoulesFormatter {
    provenance: Provenance,
}

/// Units by prefix (J, mJ, µJ, nJ) and provenance (measured, estimated, synthetic).
const UNITS: [[&str; 4]; 3] = [
    ["J", "mJ", "µJ", "nJ"],
    [
        "J (estimated)",
        "mJ (estimated)",
        "µJ (estimated)",
        "nJ (estimated)",
    ],
    [
        "J (synthetic)",
        "mJ (synthetic)",
        "µJ (synthetic)",
        "nJ (synthetic)",
    ],
];

impl JoulesFormatter {
    fn units(&self) -> &'static [&'static str; 4] {
        match self.provenance {
            // A criterion measurement reads sensors itself: never reported.
            Provenance::Measured | Provenance::Reported => &UNITS[0],
            Provenance::Estimated => &UNITS[1],
            Provenance::Synthetic => &UNITS[2],
        }
    }
}

/// Scale `values` by the power of 1000 that suits `typical`, from `units` (largest first).
fn scale(typical: f64, values: &mut [f64], units: &[&'static str; 4], up: bool) -> &'static str {
    let steps: [f64; 4] = if up {
        [1.0, 1e3, 1e6, 1e9]
    } else {
        [1.0, 1e-3, 1e-6, 1e-9]
    };
    // `up`: values are small (joules) and grow by 1000 per step; otherwise they shrink.
    let i = if up {
        match typical.abs() {
            t if t >= 1.0 || t == 0.0 => 0,
            t if t >= 1e-3 => 1,
            t if t >= 1e-6 => 2,
            _ => 3,
        }
    } else {
        match typical.abs() {
            t if t < 1e3 => 0,
            t if t < 1e6 => 1,
            t if t < 1e9 => 2,
            _ => 3,
        }
    };
    for v in values.iter_mut() {
        *v *= steps[i];
    }
    units[i]
}

impl ValueFormatter for JoulesFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        scale(typical, values, self.units(), true)
    }

    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let (per_iter, units): (f64, &[&'static str; 4]) = match *throughput {
            Throughput::Bits(n) => (n as f64, &["b/J", "Kb/J", "Mb/J", "Gb/J"]),
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => {
                (n as f64, &["B/J", "KB/J", "MB/J", "GB/J"])
            }
            Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => {
                (n as f64, &["elem/J", "Kelem/J", "Melem/J", "Gelem/J"])
            }
        };
        for v in values.iter_mut() {
            *v = per_iter / *v;
        }
        scale(per_iter / typical, values, units, false)
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        self.units()[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sensor::{
        Domain, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit,
    };
    use std::collections::BTreeMap;
    use std::time::Instant;

    /// A counter that, like NVML's, moves only every `period`: `watts` x `period` at a time.
    struct Coarse {
        info: SensorInfo,
        start: Instant,
        watts: f64,
    }

    impl Coarse {
        fn new(watts: f64, period: Duration) -> Coarse {
            Coarse {
                info: SensorInfo {
                    id: "coarse".into(),
                    source: "test".into(),
                    domain: Domain::new(Domain::GPU),
                    label: "coarse".into(),
                    provenance: Provenance::Measured,
                    kind: SensorKind::Counter,
                    unit: Unit::Millijoule,
                    resolution: 1e-3,
                    update_period: period,
                    contained_in: None,
                    details: BTreeMap::new(),
                },
                start: Instant::now(),
                watts,
            }
        }
    }

    impl Sensor for Coarse {
        fn info(&self) -> &SensorInfo {
            &self.info
        }
        fn read(&mut self) -> Result<RawReading, SensorError> {
            let p = self.info.update_period.as_secs_f64();
            let ticks = (self.start.elapsed().as_secs_f64() / p).floor();
            Ok(RawReading::value((ticks * p * self.watts * 1e3) as u64))
        }
        fn max_plausible_power_w(&self) -> f64 {
            self.watts * 2.0
        }
    }

    fn spin(d: Duration) {
        let t = Instant::now();
        while t.elapsed() < d {
            std::hint::black_box(0);
        }
    }

    #[test]
    fn long_samples_are_counter_differences() {
        let j = Joules::with_sensors("synthetic:50").unwrap();
        assert_eq!(j.provenance(), Provenance::Synthetic);
        let t = Instant::now();
        let s = j.start();
        spin(Duration::from_millis(30));
        let joules = j.end(s);
        let secs = t.elapsed().as_secs_f64();
        assert!(
            (joules / (50.0 * secs) - 1.0).abs() < 0.05,
            "{joules} J in {secs} s"
        );
        assert_eq!(j.interpolated(), (1, 0));
    }

    #[test]
    fn short_samples_are_never_zero_and_follow_the_trace() {
        // 40 W on a counter that moves every 50 ms: a 2 ms sample reads 0 most of the time.
        let sampler = Sampler::start(
            vec![Box::new(Coarse::new(40.0, Duration::from_millis(50)))],
            Duration::from_millis(10),
        );
        let j = Joules::from_sampler(sampler);
        spin(Duration::from_millis(700));
        let mut ratios = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let s = j.start();
            spin(Duration::from_millis(2));
            let joules = j.end(s);
            let secs = t.elapsed().as_secs_f64();
            assert!(joules > 0.0, "criterion would abort on zero");
            ratios.push(joules / (40.0 * secs));
        }
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        // The trace's mean power over >= 0.5 s is within one 50 ms quantum of 40 W.
        assert!((mean - 1.0).abs() < 0.15, "{ratios:?}");
        assert_eq!(j.interpolated(), (20, 20));
    }

    #[test]
    fn units_scale_and_say_the_provenance() {
        let f = JoulesFormatter {
            provenance: Provenance::Estimated,
        };
        let mut v = [0.0021, 0.0030];
        assert_eq!(f.scale_values(0.0025, &mut v), "mJ (estimated)");
        assert!((v[0] - 2.1).abs() < 1e-12);
        let mut t = [0.002];
        // 4096 bytes per 2 mJ: 2.048 MB per joule.
        assert_eq!(
            f.scale_throughputs(0.002, &Throughput::Bytes(4096), &mut t),
            "MB/J"
        );
        assert!((t[0] - 2.048).abs() < 1e-9, "{t:?}");
        let m = JoulesFormatter {
            provenance: Provenance::Measured,
        };
        assert_eq!(m.scale_values(2.0, &mut [2.0]), "J");
        assert_eq!(m.scale_values(3e-8, &mut [3e-8]), "nJ");
    }
}
