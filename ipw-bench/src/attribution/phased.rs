//! The phased protocol's energy: a trial's GPU energy from the NVML readings after the
//! sensor's rise time.
//!
//! The measuring stage places the trials ([`crate::measure::phased`]); here a trial's
//! window is its length times the mean power read once the sensor has settled, because
//! on A100/H100-class boards a reading describes only the last 25 ms of each 100 ms
//! period and the first period after a change of load still describes the time before it.

use crate::attribution::window::{window, WindowEnergy};
use crate::measure::phased::Phased;
use crate::measure::record::{EdgeId, Trace, TracePoint};
use crate::measure::sensor::{SensorInfo, SensorKind};

/// A flag of a sample whose GPU source had no reading after the rise time.
pub const UNSETTLED: &str = "unsettled";

/// The sample's energy under the protocol, with each NVML GPU source's taken as one
/// trial: the window's length times the mean power read after the rise time. Other
/// sources are as attribution has them. A GPU source without a settled reading voids the
/// sample.
pub fn phased_sample(trace: &Trace, start: EdgeId, end: EdgeId, p: &Phased) -> WindowEnergy {
    phased_window(trace, start, end, p.sensor.settle(), |s| p.applies_to(s))
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
    let mut w = window(trace, start, end);
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
    use crate::measure::phased::tests::{nvml_power, source};
    use crate::measure::phased::{phased_delays, trial_start, PartTimeSensor, MIN_TRIALS};
    use crate::measure::record::Edge;
    use crate::measure::sensor::Domain;
    use std::time::Duration;

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

    /// The combined estimate of a phased measurement.
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct PhasedEstimate {
        /// Mean energy of one repetition, joules.
        joules: f64,
        /// Standard deviation across trials, joules: mostly the phase effect.
        sd: f64,
        trials: usize,
    }

    /// Average the trials' energies; `None` when no trial has a settled reading.
    fn phased_estimate(trials: &[Trial], settle: f64) -> Option<PhasedEstimate> {
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
            .map(|i| phased_sample(&t, EdgeId(2 * i as u32), EdgeId(2 * i as u32 + 1), &p))
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
        let naive = window(&t, EdgeId(0), EdgeId(1));
        let naive_gpu = naive.per_domain["gpu"].unwrap();
        assert!(
            naive_gpu < 0.97 * 120.0,
            "the rise time costs the naive sum: {naive_gpu}"
        );
        let w = phased_sample(&t, EdgeId(0), EdgeId(1), &p);
        let gpu = w.per_domain["gpu"].unwrap();
        assert!((gpu - 120.0).abs() < 1e-6, "{gpu}");
        assert_eq!(w.per_source[0].joules, Some(gpu));
        // 100 ms is shorter than the rise time: nothing settled, the window is void.
        let w = phased_sample(&t, EdgeId(2), EdgeId(3), &p);
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
