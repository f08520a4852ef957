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

use crate::attribution::{self, WindowEnergy};
use crate::sampler::{EdgeId, Trace, TracePoint};
use crate::sensor::{Domain, SensorInfo, SensorKind};
use crate::stats::Rng;
use std::time::Duration;

/// Shortest sample for which GPU energy from NVML alone is trusted without the protocol.
pub const NVML_MIN_SAMPLE_SECS: f64 = 5.0;
/// Fewest trials per case: 32 windows of 25 ms tile a 100 ms period eight times.
pub const MIN_TRIALS: usize = 32;
/// Sensor periods of readings that a trial keeps after its rise time.
pub const SETTLED_PERIODS: f64 = 4.0;
/// A flag of a sample whose GPU source had no reading after the rise time.
pub const UNSETTLED: &str = "unsettled";

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

/// Whether a source is a GPU read through NVML.
fn is_nvml_gpu(s: &SensorInfo) -> bool {
    s.source == "nvml" && s.domain.as_str() == Domain::GPU
}

/// Whether GPU energy comes only from NVML: some GPU source, and every one of them NVML.
pub fn nvml_only_gpu(sources: &[SensorInfo]) -> bool {
    let mut gpu = sources.iter().filter(|s| s.domain.as_str() == Domain::GPU);
    gpu.clone().next().is_some() && gpu.all(is_nvml_gpu)
}

/// A warning when samples are too short for GPU energy that comes only from NVML.
pub fn nvml_short_window_warning(sample_secs: f64, sources: &[SensorInfo]) -> Option<String> {
    if !nvml_only_gpu(sources) || sample_secs >= NVML_MIN_SAMPLE_SECS {
        return None;
    }
    Some(format!(
        "samples last {sample_secs:.2} s, but GPU energy comes only from NVML, which updates \
         every 100 ms and on A100/H100-class boards sees 25 ms of each period: make samples \
         last at least {NVML_MIN_SAMPLE_SECS} s (--measurement-time, or more work per \
         iteration) or use --gpu-protocol phased"
    ))
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

    /// The sample's energy, with each NVML GPU source's taken as one trial: the window's
    /// length times the mean power read after the rise time. Other sources are as
    /// attribution has them. A GPU source without a settled reading voids the sample.
    pub fn window(&self, trace: &Trace, start: EdgeId, end: EdgeId) -> WindowEnergy {
        phased_window(trace, start, end, self.sensor.settle(), |s| {
            self.applies_to(s)
        })
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

/// A trial's energy from one source's points between its edges: readings for a meter;
/// for a counter, the mean power from each reading to the next. `None` when no reading
/// is left after `settle`.
pub fn trial_energy(info: &SensorInfo, points: &[TracePoint], settle: f64) -> Option<f64> {
    let secs = |p: &TracePoint| p.t_ns as f64 * 1e-9;
    let si = info.unit.to_si();
    let readings: Vec<(f64, f64)> = match info.kind {
        SensorKind::Meter => points
            .iter()
            .map(|p| (secs(p), p.value as f64 * si))
            .collect(),
        SensorKind::Counter => points
            .windows(2)
            .filter(|w| w[1].t_ns > w[0].t_ns)
            .map(|w| {
                let joules = w[1].value.saturating_sub(w[0].value) as f64 * si;
                (secs(&w[0]), joules / (secs(&w[1]) - secs(&w[0])))
            })
            .collect(),
    };
    Trial {
        start: secs(points.first()?),
        end: secs(points.last()?),
        readings,
    }
    .energy(settle)
}

/// The energy of a window with the sources that `phased` selects taken as trials
/// ([`trial_energy`]); their domains and the total follow.
pub fn phased_window(
    trace: &Trace,
    start: EdgeId,
    end: EdgeId,
    settle: f64,
    phased: impl Fn(&SensorInfo) -> bool,
) -> WindowEnergy {
    let mut w = attribution::window(trace, start, end);
    for (s, info) in trace.sensors.iter().enumerate() {
        let Some(old) = w.per_source[s].joules.filter(|_| phased(info)) else {
            continue;
        };
        let a = trace.edges[start.0 as usize].index[s];
        let b = trace.edges[end.0 as usize].index[s];
        let new = trial_energy(info, &trace.points[s][a..=b], settle);
        let swap = |j: Option<f64>| j.zip(new).map(|(j, n)| j - old + n);
        w.per_source[s].joules = new;
        if let Some(d) = w.per_domain.get_mut(info.domain.as_str()) {
            *d = swap(*d);
        }
        if info.contained_in.is_none() {
            w.total = swap(w.total);
        }
        if new.is_none() {
            for flags in [&mut w.per_source[s].flags, &mut w.flags] {
                if !flags.contains(&UNSETTLED) {
                    flags.push(UNSETTLED);
                }
            }
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::Edge;
    use crate::sensor::{Provenance, Unit};

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

    fn nvml_power() -> SensorInfo {
        SensorInfo {
            kind: SensorKind::Meter,
            unit: Unit::Milliwatt,
            ..source("nvml:0", "nvml", Domain::GPU)
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

    fn point(t: f64, value: u64) -> TracePoint {
        TracePoint {
            t_ns: (t * 1e9).round() as u64,
            read_ns: 0,
            value,
            flags: 0,
            temperature_c: f32::NAN,
            clock_mhz: f32::NAN,
        }
    }

    /// A trace of an NVML power source reading `sensor` and a 10 W RAPL counter, polled
    /// every 100 ms, with an edge at each start and end of `windows`.
    fn trace(
        sensor: &PartTimeSensor,
        energy: &dyn Fn(f64) -> f64,
        windows: &[(f64, f64)],
    ) -> Trace {
        let last = windows.last().map_or(0.0, |w| w.1);
        let mut times: Vec<(f64, bool)> = (0..)
            .map(|i| 0.0371 + i as f64 * 0.1)
            .take_while(|t| *t < last)
            .map(|t| (t, false))
            .collect();
        times.extend(windows.iter().flat_map(|w| [(w.0, true), (w.1, true)]));
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut t = Trace {
            sensors: vec![nvml_power(), source("rapl:0", "rapl", Domain::CPU_PACKAGE)],
            points: vec![Vec::new(), Vec::new()],
            ..Trace::default()
        };
        for (i, &(at, edge)) in times.iter().enumerate() {
            let mw = (sensor.reading(energy, at) * 1e3).round() as u64;
            t.points[0].push(point(at, mw));
            t.points[1].push(point(at, (at * 10_000.0).round() as u64));
            if edge {
                t.edges.push(Edge {
                    t_ns: t.points[0][i].t_ns,
                    index: vec![i, i],
                });
            }
        }
        t
    }

    /// The cumulative energy of idle power with the kernel loop running in each trial.
    fn loops(starts: Vec<f64>) -> impl Fn(f64) -> f64 {
        move |t| {
            let extra: f64 = starts.iter().map(|&s| square_energy(s)(t) - IDLE * t).sum();
            IDLE * t + extra
        }
    }

    /// Trials as the runner places them, after ends that fall anywhere in the period,
    /// through the trace and the window's energy.
    fn runner_trials(sensor: &PartTimeSensor, delays: &[Duration]) -> Vec<WindowEnergy> {
        let period = Duration::from_millis(100);
        let mut windows = Vec::new();
        let mut free = 1.0;
        for (i, d) in delays.iter().enumerate() {
            let now = Duration::from_secs_f64(free + 0.0137 * i as f64);
            let start = trial_start(now, period, *d).as_secs_f64();
            windows.push((start, start + REGION));
            free = start + REGION + 0.2;
        }
        let energy = loops(windows.iter().map(|w| w.0).collect());
        let t = trace(sensor, &energy, &windows);
        let p = Phased::for_sources(&t.sensors).unwrap();
        (0..windows.len())
            .map(|i| p.window(&t, EdgeId(2 * i as u32), EdgeId(2 * i as u32 + 1)))
            .collect()
    }

    fn mean_gpu(windows: &[WindowEnergy]) -> f64 {
        let gpu: Vec<f64> = windows
            .iter()
            .map(|w| w.per_domain["gpu"].unwrap())
            .collect();
        gpu.iter().sum::<f64>() / gpu.len() as f64
    }

    #[test]
    fn runner_placed_trials_recover_the_truth_from_a_trace() {
        for phase in [0.0, 0.0371, 0.09] {
            let sensor = PartTimeSensor::a100_h100(phase);
            let delays = phased_delays(MIN_TRIALS, Duration::from_millis(100), 3);
            let w = runner_trials(&sensor, &delays);
            let err = mean_gpu(&w) / truth() - 1.0;
            assert!(err.abs() < 0.01, "phase {phase}: error {err}");
            for w in &w {
                // The other source is as attribution has it: 10 W over the window.
                let cpu = w.per_domain["cpu-package"].unwrap();
                assert!((cpu - 10.0 * w.seconds).abs() < 1e-6, "{cpu}");
                let total = w.total.unwrap();
                assert!((total - cpu - w.per_domain["gpu"].unwrap()).abs() < 1e-6);
                assert!(w.flags.is_empty(), "{:?}", w.flags);
            }
            // Without the delays every trial sits at one phase: at 90 ms, blind.
            if phase == 0.09 {
                let w = runner_trials(&sensor, &[Duration::ZERO; MIN_TRIALS]);
                assert!(mean_gpu(&w) / truth() - 1.0 < -0.3);
            }
        }
    }

    #[test]
    fn the_rise_time_is_dropped_and_a_trial_without_settled_readings_is_void() {
        // Idle at 60 W, then 200 W from 1.0 s: a reading shows the load one window late.
        let step = |t: f64| 60.0 * t.min(1.0) + 200.0 * (t - 1.0).max(0.0);
        let sensor = PartTimeSensor::a100_h100(0.02);
        let t = trace(&sensor, &step, &[(1.0, 1.6), (1.6, 1.7)]);
        let p = Phased::for_sources(&t.sensors).unwrap();
        let naive = attribution::window(&t, EdgeId(0), EdgeId(1));
        let naive_gpu = naive.per_domain["gpu"].unwrap();
        assert!(
            naive_gpu < 0.97 * 120.0,
            "the rise time costs the naive sum: {naive_gpu}"
        );
        let w = p.window(&t, EdgeId(0), EdgeId(1));
        let gpu = w.per_domain["gpu"].unwrap();
        assert!((gpu - 120.0).abs() < 1e-6, "{gpu}");
        assert_eq!(w.per_source[0].joules, Some(gpu));
        // 100 ms is shorter than the rise time: nothing settled, the window is void.
        let w = p.window(&t, EdgeId(2), EdgeId(3));
        assert_eq!(w.per_domain["gpu"], None);
        assert_eq!(w.total, None);
        assert!(w.per_domain["cpu-package"].is_some());
        assert!(w.flags.contains(&UNSETTLED), "{:?}", w.flags);
        assert_eq!(w.per_source[0].joules, None);
    }

    #[test]
    fn a_counter_trial_is_its_settled_mean_power_times_its_length() {
        let counter = source("nvml:0", "nvml", Domain::GPU);
        // 50 W until 0.3 s, then 150 W; the counter in mJ read every 100 ms.
        let joules = |t: f64| 50.0 * t.min(0.3) + 150.0 * (t - 0.3).max(0.0);
        let points: Vec<TracePoint> = (0..=10)
            .map(|i| i as f64 * 0.1)
            .map(|t| point(t, (joules(t) * 1e3).round() as u64))
            .collect();
        // Settled from 0.3 s: 150 W over the whole second.
        let e = trial_energy(&counter, &points, 0.3).unwrap();
        assert!((e - 150.0).abs() < 1e-6, "{e}");
        assert_eq!(trial_energy(&counter, &points, 1.0), None);
    }
}
