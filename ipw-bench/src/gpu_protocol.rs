//! The phased protocol for GPU power that is only observed part of the time.
//!
//! On A100/H100-class boards NVML publishes, every 100 ms, the mean power of only the last
//! 25 ms, at a phase fixed at boot (Yang, Adámek and Armour, SC'24; `research/sensors.md`
//! §2.2). A kernel loop whose period is commensurate with 100 ms is then seen at one phase
//! only, and naive integration can miss its busy part entirely. The protocol repeats the
//! measured region in several trials, starts each after a controlled delay that shifts
//! the load against the sensor's window (evenly spaced over one period, with a seeded
//! random offset and order), drops the readings of the rise time, and averages the trials.
//!
//! Everything here is plain arithmetic on times in seconds and power in watts; the runner
//! sleeps the delays and hands over the readings.

use crate::sensor::{Domain, SensorInfo};
use crate::stats::Rng;
use std::time::Duration;

/// Shortest sample for which GPU energy from NVML alone is trusted without the protocol.
pub const NVML_MIN_SAMPLE_SECS: f64 = 5.0;

/// A sensor that publishes every `period` the mean power of only the last `window` of it,
/// at a fixed, unknown `phase` (the time of one publication, in seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartTimeSensor {
    pub period: f64,
    pub window: f64,
    pub phase: f64,
}

impl PartTimeSensor {
    /// NVML power on A100 and H100: 25 ms seen of every 100 ms.
    pub fn a100_h100(phase: f64) -> PartTimeSensor {
        PartTimeSensor {
            period: 0.1,
            window: 0.025,
            phase,
        }
    }

    /// The last publication at or before `t`.
    pub fn last_update(&self, t: f64) -> f64 {
        self.phase + ((t - self.phase) / self.period).floor() * self.period
    }

    /// The value reported at `t`, given the load's cumulative energy in joules.
    pub fn reading(&self, energy: &dyn Fn(f64) -> f64, t: f64) -> f64 {
        let u = self.last_update(t);
        (energy(u) - energy(u - self.window)) / self.window
    }

    /// Readings polled every `poll` seconds from `from` to `to` inclusive, as (time, watts).
    pub fn poll(
        &self,
        energy: &dyn Fn(f64) -> f64,
        from: f64,
        to: f64,
        poll: f64,
    ) -> Vec<(f64, f64)> {
        let n = ((to - from) / poll).floor() as usize;
        (0..=n)
            .map(|i| from + i as f64 * poll)
            .map(|t| (t, self.reading(energy, t)))
            .collect()
    }

    /// How long after a change of load a reading may still describe the time before it.
    pub fn settle(&self) -> f64 {
        self.period + self.window
    }
}

/// The delays to wait before each of `trials` repetitions of a measured region.
///
/// They are evenly spaced over one sensor `period` after a random offset, so that
/// together the trials place the sensor's window at every phase of the load; they come in
/// a random order, so that slow drift does not line up with phase. The same seed gives the
/// same delays. When `trials` x window / period is a whole number (32 trials of a 25 ms
/// window in 100 ms: 8), the windows of all trials tile the period exactly and the average
/// is exact for any load that repeats with the sensor's period.
pub fn phased_delays(trials: usize, period: Duration, seed: u64) -> Vec<Duration> {
    let mut rng = Rng::new(seed);
    let offset = rng.next_f64();
    let mut delays: Vec<Duration> = (0..trials)
        .map(|i| period.mul_f64((i as f64 + offset) / trials as f64))
        .collect();
    rng.shuffle(&mut delays);
    delays
}

/// The integral over `[from, to]` of readings held from each one to the next, in joules.
/// Before the first reading nothing is known: that part counts as nothing.
pub fn held_integral(readings: &[(f64, f64)], from: f64, to: f64) -> f64 {
    let mut joules = 0.0;
    for (i, &(t, watts)) in readings.iter().enumerate() {
        let next = readings.get(i + 1).map_or(f64::INFINITY, |r| r.0);
        let (a, b) = (t.max(from), next.min(to));
        if b > a {
            joules += watts * (b - a);
        }
    }
    joules
}

/// One repetition of the measured region and the power readings around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub start: f64,
    pub end: f64,
    /// (time in seconds, watts), in time order.
    pub readings: Vec<(f64, f64)>,
}

impl Trial {
    /// The region's energy: its duration times the mean power read once the sensor has
    /// settled (`settle` seconds after the start). `None` when no reading is left.
    pub fn energy(&self, settle: f64) -> Option<f64> {
        let from = self.start + settle;
        let first = self.readings.iter().position(|r| r.0 >= from)?;
        let readings = &self.readings[first..];
        let span = self.end - readings[0].0;
        if span <= 0.0 {
            return None;
        }
        let mean_watts = held_integral(readings, readings[0].0, self.end) / span;
        Some(mean_watts * (self.end - self.start))
    }
}

/// The combined estimate of a phased measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhasedEstimate {
    /// Mean energy of one repetition, joules.
    pub joules: f64,
    /// Standard deviation across trials, joules: mostly the phase effect.
    pub sd: f64,
    pub trials: usize,
}

/// Average the trials' energies; `None` when no trial has a settled reading.
pub fn phased_estimate(trials: &[Trial], settle: f64) -> Option<PhasedEstimate> {
    let energies: Vec<f64> = trials.iter().filter_map(|t| t.energy(settle)).collect();
    let n = energies.len();
    if n == 0 {
        return None;
    }
    let mean = energies.iter().sum::<f64>() / n as f64;
    let var = if n > 1 {
        energies.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    Some(PhasedEstimate {
        joules: mean,
        sd: var.sqrt(),
        trials: n,
    })
}

/// A warning when samples are too short for GPU energy that comes only from NVML.
pub fn nvml_short_window_warning(sample_secs: f64, sources: &[SensorInfo]) -> Option<String> {
    let gpu: Vec<&SensorInfo> = sources
        .iter()
        .filter(|s| s.domain.as_str() == Domain::GPU)
        .collect();
    let nvml_only = !gpu.is_empty() && gpu.iter().all(|s| s.source == "nvml");
    if !nvml_only || sample_secs >= NVML_MIN_SAMPLE_SECS {
        return None;
    }
    Some(format!(
        "samples last {sample_secs:.2} s, but GPU energy comes only from NVML, which updates \
         every 100 ms and on A100/H100-class boards sees 25 ms of each period: make samples \
         last at least {NVML_MIN_SAMPLE_SECS} s (--measurement-time, or more work per \
         iteration) or use --gpu-protocol phased"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::{Provenance, SensorKind, Unit};

    const IDLE: f64 = 60.0;
    const HIGH: f64 = 300.0;
    const LOW: f64 = 100.0;
    const LOAD_PERIOD: f64 = 0.1;
    /// Busy share of each iteration.
    const DUTY: f64 = 0.3;
    /// 30 kernel iterations of 100 ms, 30 % busy: 160 W on average, 480 J.
    const REGION: f64 = 3.0;
    const POLL: f64 = 0.05;

    /// Cumulative energy of a kernel loop running over `[start, start + REGION)`, idle
    /// around it: busy (HIGH) for the first DUTY of each iteration, LOW for the rest.
    fn square_energy(start: f64) -> impl Fn(f64) -> f64 {
        move |t: f64| {
            let before = IDLE * t.min(start);
            let inside = (t.min(start + REGION) - start).max(0.0);
            let periods = (inside / LOAD_PERIOD).floor();
            let rest = inside - periods * LOAD_PERIOD;
            let busy = LOAD_PERIOD * DUTY;
            let loop_j = periods * (HIGH * busy + LOW * (LOAD_PERIOD - busy))
                + HIGH * rest.min(busy)
                + LOW * (rest - busy).max(0.0);
            before + loop_j + IDLE * (t - start - REGION).max(0.0)
        }
    }

    fn truth() -> f64 {
        let e = square_energy(10.0);
        e(10.0 + REGION) - e(10.0)
    }

    fn trial(sensor: &PartTimeSensor, start: f64) -> Trial {
        let energy = square_energy(start);
        Trial {
            start,
            end: start + REGION,
            readings: sensor.poll(&energy, start - 0.5, start + REGION, POLL),
        }
    }

    /// Trials 10 s apart (a whole number of sensor periods), each after its delay.
    fn run(sensor: &PartTimeSensor, delays: &[f64]) -> Vec<Trial> {
        delays
            .iter()
            .enumerate()
            .map(|(i, d)| trial(sensor, 10.0 * (i + 1) as f64 + d))
            .collect()
    }

    /// A publication at 0.09 s into every iteration: the window sees 65..90 ms, idle only.
    fn blind_sensor() -> PartTimeSensor {
        PartTimeSensor::a100_h100(10.09)
    }

    #[test]
    fn the_model_reports_the_mean_of_its_window_only() {
        let s = PartTimeSensor::a100_h100(0.02);
        let e = square_energy(0.0);
        assert!((s.last_update(0.15) - 0.12).abs() < 1e-12);
        assert!((s.last_update(0.119) - 0.02).abs() < 1e-12);
        // Publication at 0.12 covers 95..120 ms: 5 ms low, then 20 ms of the next busy part.
        let w = s.reading(&e, 0.15);
        assert!(
            (w - (LOW * 0.005 + HIGH * 0.020) / 0.025).abs() < 1e-9,
            "{w}"
        );
    }

    #[test]
    fn naive_integration_misses_the_busy_part() {
        let t = trial(&blind_sensor(), 10.0);
        let naive = held_integral(&t.readings, t.start, t.end);
        let bias = naive / truth() - 1.0;
        assert!(bias < -0.3, "bias {bias}");
        // Repeating at the same phase does not help: every trial sees the same thing.
        let same = run(&blind_sensor(), &[0.0; 32]);
        let est = phased_estimate(&same, blind_sensor().settle()).unwrap();
        assert!(est.joules / truth() - 1.0 < -0.3, "{est:?}");
    }

    #[test]
    fn phased_trials_recover_the_truth_within_one_percent() {
        let mut phases: Vec<f64> = (0..16).map(|i| i as f64 * 0.1 / 16.0).collect();
        phases.push(blind_sensor().phase);
        for (k, phase) in phases.into_iter().enumerate() {
            let sensor = PartTimeSensor::a100_h100(phase);
            let delays: Vec<f64> = phased_delays(32, Duration::from_millis(100), k as u64)
                .iter()
                .map(Duration::as_secs_f64)
                .collect();
            let est = phased_estimate(&run(&sensor, &delays), sensor.settle()).unwrap();
            let err = est.joules / truth() - 1.0;
            assert!(err.abs() < 0.01, "phase {phase}: error {err}, {est:?}");
            assert_eq!(est.trials, 32);
            assert!(
                est.sd > 0.1 * truth(),
                "the trials did see different phases"
            );
        }
    }

    #[test]
    fn delays_cover_one_period_evenly_in_a_seeded_order() {
        let period = Duration::from_millis(100);
        let a = phased_delays(8, period, 7);
        assert_eq!(a, phased_delays(8, period, 7));
        assert_ne!(a, phased_delays(8, period, 8));
        let mut sorted = a.clone();
        sorted.sort();
        assert_ne!(a, sorted, "the order is shuffled");
        assert!(sorted[0] < period / 8 && sorted[7] < period);
        for w in sorted.windows(2) {
            let gap = (w[1] - w[0]).as_secs_f64();
            assert!((gap - 0.0125).abs() < 2e-9, "{gap}");
        }
    }

    #[test]
    fn held_integral_and_trial_energy() {
        let r = [(0.0, 10.0), (1.0, 20.0), (2.0, 30.0)];
        assert_eq!(held_integral(&r, 0.5, 2.5), 5.0 + 20.0 + 15.0);
        let t = Trial {
            start: 0.0,
            end: 3.0,
            readings: r.to_vec(),
        };
        // After 1 s of settling: 20 W then 30 W, a mean of 25 W over the whole 3 s.
        assert_eq!(t.energy(1.0), Some(75.0));
        assert_eq!(t.energy(3.5), None);
    }

    fn source(id: &str, source: &str, domain: &str) -> SensorInfo {
        SensorInfo {
            id: id.to_string(),
            source: source.to_string(),
            domain: Domain::new(domain),
            label: id.to_string(),
            provenance: Provenance::Measured,
            kind: SensorKind::Counter,
            unit: Unit::Millijoule,
            resolution: 1e-3,
            update_period: Duration::from_millis(100),
            contained_in: None,
            details: Default::default(),
        }
    }

    #[test]
    fn short_samples_warn_only_when_nvml_is_the_only_gpu_source() {
        let nvml = source("nvml:0", "nvml", Domain::GPU);
        let rapl = source("rapl:0", "rapl", Domain::CPU_PACKAGE);
        let meter = source("meter:gpu", "meter", Domain::GPU);
        let w = nvml_short_window_warning(1.2, &[rapl.clone(), nvml.clone()]).unwrap();
        assert!(
            w.contains("1.20 s") && w.contains("--gpu-protocol phased"),
            "{w}"
        );
        assert_eq!(
            nvml_short_window_warning(5.0, std::slice::from_ref(&nvml)),
            None
        );
        assert_eq!(nvml_short_window_warning(1.2, &[nvml, meter]), None);
        assert_eq!(nvml_short_window_warning(1.2, &[rapl]), None);
    }
}
