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
//! Everything here is plain arithmetic on times in seconds and power in watts, or on a
//! recorded trace; the runner sleeps the delays ([`trial_start`], taking a trial that
//! began later than [`Phased::max_late`] again) and [`Phased`] turns each sample into a
//! trial: at least [`MIN_TRIALS`] of them, each long enough to keep [`SETTLED_PERIODS`]
//! sensor periods of readings after the rise time, whose GPU energy is [`Trial::energy`]
//! of the NVML readings ([`phased_window`]).

use crate::measure::sensor::{Domain, SensorInfo};
use crate::stats::Rng;
use std::time::Duration;

/// Fewest trials per case: 32 windows of 25 ms tile a 100 ms period eight times.
pub const MIN_TRIALS: usize = 32;
/// Sensor periods of readings that a trial keeps after its rise time.
pub const SETTLED_PERIODS: f64 = 4.0;

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

    #[cfg(test)]
    /// The last publication at or before `t`.
    pub fn last_update(&self, t: f64) -> f64 {
        self.phase + ((t - self.phase) / self.period).floor() * self.period
    }

    #[cfg(test)]
    /// The value reported at `t`, given the load's cumulative energy in joules.
    pub fn reading(&self, energy: &dyn Fn(f64) -> f64, t: f64) -> f64 {
        let u = self.last_update(t);
        (energy(u) - energy(u - self.window)) / self.window
    }

    #[cfg(test)]
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

/// Whether a source is a GPU read through NVML.
pub(crate) fn is_nvml_gpu(s: &SensorInfo) -> bool {
    s.source == "nvml" && s.domain.as_str() == Domain::GPU
}

/// Whether GPU energy comes only from NVML: some GPU source, and every one of them NVML.
pub fn nvml_only_gpu(sources: &[SensorInfo]) -> bool {
    let mut gpu = sources.iter().filter(|s| s.domain.as_str() == Domain::GPU);
    gpu.clone().next().is_some() && gpu.all(is_nvml_gpu)
}

/// The phased protocol as a run applies it: every sample of every case is a trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phased {
    /// The sensor model; its phase is unknown and unused.
    pub sensor: PartTimeSensor,
}

impl Phased {
    /// The protocol for these sources: `None` unless GPU energy comes only from NVML.
    /// The NVML sources' update period is the model's; the window is A100/H100's.
    pub fn for_sources(sources: &[SensorInfo]) -> Option<Phased> {
        if !nvml_only_gpu(sources) {
            return None;
        }
        let period = sources
            .iter()
            .filter(|s| is_nvml_gpu(s))
            .map(|s| s.update_period.as_secs_f64())
            .fold(0.0, f64::max);
        Some(Phased {
            sensor: PartTimeSensor {
                period,
                ..PartTimeSensor::a100_h100(0.0)
            },
        })
    }

    /// Whether a source's energy is taken by the protocol.
    pub fn applies_to(&self, s: &SensorInfo) -> bool {
        is_nvml_gpu(s)
    }

    pub fn period(&self) -> Duration {
        Duration::from_secs_f64(self.sensor.period)
    }

    /// The shortest trial: the rise time, then [`SETTLED_PERIODS`] periods of readings.
    pub fn min_trial_s(&self) -> f64 {
        self.sensor.settle() + SETTLED_PERIODS * self.sensor.period
    }

    /// The delays before a case's `trials` trials, seeded by the run seed and case id.
    pub fn delays(&self, trials: usize, case_seed: u64) -> Vec<Duration> {
        // Not the case's bootstrap seed itself: the delays and resamples stay unrelated.
        phased_delays(trials, self.period(), case_seed ^ 0x5048_4153_4544_0001)
    }

    /// How late a trial may begin: a quarter of the spacing of [`MIN_TRIALS`] delays. A
    /// later one is taken again, since its phase is not the one its delay chose.
    pub fn max_late(&self) -> Duration {
        self.period() / (4 * MIN_TRIALS as u32)
    }

    /// The case's note: the protocol was used, and how.
    pub fn note(&self, trials: usize, repeated: usize) -> String {
        let mut note = format!(
            "GPU energy by the phased protocol: {trials} trials, each started after a \
             controlled delay (evenly spaced over the {:.0} ms NVML period, in a seeded \
             order), its readings of the first {:.0} ms (the rise time) dropped",
            self.sensor.period * 1e3,
            self.sensor.settle() * 1e3
        );
        if repeated > 0 {
            note.push_str(&format!(
                "; {repeated} trials that began more than {:.2} ms late were taken again",
                self.max_late().as_secs_f64() * 1e3
            ));
        }
        note
    }
}

/// When to start a trial, as time since the run's epoch: at the next whole sensor
/// `period` from `now`, plus the trial's `delay`. Counting from whole periods makes the
/// delays, not the time the previous sample happened to end, set each trial's phase.
pub fn trial_start(now: Duration, period: Duration, delay: Duration) -> Duration {
    let p = period.as_nanos().max(1);
    let periods = now.as_nanos().div_ceil(p);
    Duration::from_nanos((periods * p) as u64) + delay
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::measure::sensor::{Provenance, SensorKind, Unit};

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

    pub(crate) fn source(id: &str, source: &str, domain: &str) -> SensorInfo {
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
    fn the_protocol_applies_only_where_nvml_alone_measures_the_gpu() {
        let rapl = source("rapl:0", "rapl", Domain::CPU_PACKAGE);
        let meter = source("meter:gpu", "meter", Domain::GPU);
        let p = Phased::for_sources(&[rapl.clone(), nvml_power()]).unwrap();
        assert_eq!(p.sensor.period, 0.1);
        assert_eq!(p.sensor.window, 0.025);
        assert!((p.min_trial_s() - 0.525).abs() < 1e-12);
        assert!(p.applies_to(&nvml_power()) && !p.applies_to(&rapl));
        assert!(p.note(32, 0).contains("32 trials"), "{}", p.note(32, 0));
        assert!(!p.note(32, 0).contains("again"));
        assert!(p
            .note(32, 3)
            .contains("3 trials that began more than 0.78 ms late"));
        assert_eq!(Phased::for_sources(&[nvml_power(), meter]), None);
        assert_eq!(Phased::for_sources(&[rapl]), None);
        assert_eq!(Phased::for_sources(&[]), None);
        // Seeded per case, and not the bootstrap's own stream.
        assert_eq!(p.delays(32, 9), p.delays(32, 9));
        assert_ne!(p.delays(32, 9), p.delays(32, 10));
        assert_ne!(p.delays(32, 9), phased_delays(32, p.period(), 9));
    }

    #[test]
    fn trials_start_at_a_whole_period_plus_their_delay() {
        let ms = Duration::from_millis;
        let us = Duration::from_micros;
        assert_eq!(trial_start(ms(1234), ms(100), ms(30)), ms(1330));
        assert_eq!(trial_start(ms(1200), ms(100), ms(30)), ms(1230));
        assert_eq!(
            trial_start(us(1_200_001), ms(100), us(12_500)),
            us(1_312_500)
        );
        assert_eq!(trial_start(ms(0), ms(100), ms(7)), ms(7));
    }

    pub(crate) fn nvml_power() -> SensorInfo {
        SensorInfo {
            kind: SensorKind::Meter,
            unit: Unit::Milliwatt,
            ..source("nvml:0", "nvml", Domain::GPU)
        }
    }
}
