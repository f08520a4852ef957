//! The sampler: a thread that polls every source into a preallocated trace, and the
//! synchronous edge reads that delimit measured windows.
//!
//! Every read is timestamped with the monotonic clock before and after it; the point's time
//! is the midpoint. Counters are extended in software as they are read (wraps, resets,
//! possibly missed wraps), so the trace holds monotonic values in native units.

pub use crate::measure::record::{Edge, EdgeId, Trace, TracePoint};
use crate::measure::sensor::counter::{CounterExtender, GONE, READ_ERROR};
use crate::measure::sensor::{Sensor, SensorError, SensorInfo, SensorKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Points preallocated per source: at 10 Hz, almost two hours before the buffer grows.
const DEFAULT_CAPACITY: usize = 1 << 16;

struct Slot {
    sensor: Box<dyn Sensor>,
    extender: Option<CounterExtender>,
    interval_ns: u64,
    next_poll_ns: u64,
    gone: bool,
    last_value: u64,
}

struct State {
    slots: Vec<Slot>,
    /// What has been recorded so far; `duration_ns` is filled in when it is handed over.
    trace: Trace,
}

struct Shared {
    epoch: Instant,
    state: Mutex<State>,
    stop: AtomicBool,
}

/// A running sampler. Cloning the handle shares it (the runner and case threads take edges).
#[derive(Clone)]
pub struct Sampler {
    shared: Arc<Shared>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
    infos: Arc<Vec<SensorInfo>>,
}

impl Sampler {
    /// Start polling `sensors` every `poll` (each source no faster than its own minimum).
    pub fn start(sensors: Vec<Box<dyn Sensor>>, poll: Duration) -> Sampler {
        Sampler::start_with_capacity(sensors, poll, DEFAULT_CAPACITY)
    }

    /// As [`Sampler::start`], with room for `capacity` trace points per source before a buffer
    /// grows.
    pub fn start_with_capacity(
        sensors: Vec<Box<dyn Sensor>>,
        poll: Duration,
        capacity: usize,
    ) -> Sampler {
        let infos: Vec<SensorInfo> = sensors.iter().map(|s| s.info().clone()).collect();
        let slots: Vec<Slot> = sensors
            .into_iter()
            .map(|sensor| {
                let info = sensor.info();
                let extender = (info.kind == SensorKind::Counter).then(|| {
                    CounterExtender::new(
                        sensor.wrap_range(),
                        sensor.max_plausible_power_w(),
                        info.unit.to_si(),
                    )
                });
                let mut interval = poll.max(sensor.min_poll_interval());
                if let Some(safe) = extender.as_ref().and_then(|e| e.safe_interval_ns()) {
                    // Poll at least four times per possible wrap so that none is missed.
                    interval = interval
                        .min(Duration::from_nanos(safe / 4).max(Duration::from_micros(100)));
                }
                Slot {
                    sensor,
                    extender,
                    interval_ns: interval.as_nanos() as u64,
                    next_poll_ns: 0,
                    gone: false,
                    last_value: 0,
                }
            })
            .collect();
        let n = slots.len();
        let shared = Arc::new(Shared {
            epoch: Instant::now(),
            state: Mutex::new(State {
                slots,
                trace: Trace {
                    sensors: infos.clone(),
                    points: (0..n).map(|_| Vec::with_capacity(capacity)).collect(),
                    edges: Vec::with_capacity(4096),
                    ..Trace::default()
                },
            }),
            stop: AtomicBool::new(false),
        });
        let sampler = Sampler {
            shared: shared.clone(),
            thread: Arc::new(Mutex::new(None)),
            infos: Arc::new(infos),
        };
        if n > 0 {
            let handle = std::thread::Builder::new()
                .name("ipw-sampler".to_string())
                .spawn(move || poll_loop(&shared))
                .ok();
            *lock(&sampler.thread) = handle;
        }
        sampler
    }

    /// The sources being sampled.
    pub fn sensors(&self) -> &[SensorInfo] {
        &self.infos
    }

    /// Nanoseconds since the sampler's epoch.
    pub fn now_ns(&self) -> u64 {
        self.shared.epoch.elapsed().as_nanos() as u64
    }

    /// The sampler's epoch: trace times count from here.
    pub fn epoch(&self) -> Instant {
        self.shared.epoch
    }

    /// Read every source now and remember the readings as an edge.
    pub fn edge(&self) -> EdgeId {
        let mut st = lock(&self.shared.state);
        let st = &mut *st;
        let mut index = Vec::with_capacity(st.slots.len());
        let t_start = self.now_ns();
        for (i, slot) in st.slots.iter_mut().enumerate() {
            let p = read_slot(slot, i, &self.shared.epoch, &mut st.trace.lost);
            st.trace.points[i].push(p);
            index.push(st.trace.points[i].len() - 1);
        }
        let t_end = self.now_ns();
        let id = EdgeId(st.trace.edges.len() as u32);
        st.trace.edges.push(Edge {
            t_ns: t_start + (t_end - t_start) / 2,
            index,
        });
        id
    }

    /// Stop the thread and hand over the trace.
    pub fn stop(&self) -> Trace {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(h) = lock(&self.thread).take() {
            h.thread().unpark();
            let _ = h.join();
        }
        let duration_ns = self.now_ns();
        let mut trace = std::mem::take(&mut lock(&self.shared.state).trace);
        trace.duration_ns = duration_ns;
        trace
    }

    /// A copy of the trace so far, without stopping.
    pub fn snapshot(&self) -> Trace {
        self.with_trace(Trace::clone)
    }

    /// Run `f` on the trace so far without copying it; the sampler waits meanwhile, so
    /// keep `f` short.
    pub fn with_trace<R>(&self, f: impl FnOnce(&Trace) -> R) -> R {
        let duration_ns = self.now_ns();
        let mut st = lock(&self.shared.state);
        st.trace.duration_ns = duration_ns;
        f(&st.trace)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read_slot(
    slot: &mut Slot,
    index: usize,
    epoch: &Instant,
    lost: &mut Vec<(usize, u64, String)>,
) -> TracePoint {
    let before = epoch.elapsed().as_nanos() as u64;
    let result = if slot.gone {
        Err(SensorError::Gone(String::new()))
    } else {
        slot.sensor.read()
    };
    let after = epoch.elapsed().as_nanos() as u64;
    let t_ns = before + (after - before) / 2;
    let read_ns = (after - before).min(u32::MAX as u64) as u32;
    match result {
        Ok(r) => {
            let (value, flags) = match slot.extender.as_mut() {
                Some(ext) => {
                    let e = ext.update(r.value, t_ns);
                    (e.value, e.flags)
                }
                None => (r.value, 0),
            };
            slot.last_value = value;
            TracePoint {
                t_ns,
                read_ns,
                value,
                flags,
                temperature_c: r.temperature_c.unwrap_or(f32::NAN),
                clock_mhz: r.clock_mhz.unwrap_or(f32::NAN),
            }
        }
        Err(e) => {
            let flags = match e {
                SensorError::Gone(msg) => {
                    if !slot.gone {
                        slot.gone = true;
                        lost.push((index, t_ns, msg));
                    }
                    GONE
                }
                SensorError::PermissionDenied { .. } | SensorError::Read(_) => READ_ERROR,
            };
            TracePoint {
                t_ns,
                read_ns,
                value: slot.last_value,
                flags,
                temperature_c: f32::NAN,
                clock_mhz: f32::NAN,
            }
        }
    }
}

fn poll_loop(shared: &Shared) {
    while !shared.stop.load(Ordering::Relaxed) {
        let wake_ns = {
            let mut st = lock(&shared.state);
            let st = &mut *st;
            let tick_start = Instant::now();
            let now = shared.epoch.elapsed().as_nanos() as u64;
            let mut next = u64::MAX;
            let mut polled = false;
            for (i, slot) in st.slots.iter_mut().enumerate() {
                if slot.next_poll_ns <= now {
                    let p = read_slot(slot, i, &shared.epoch, &mut st.trace.lost);
                    st.trace.points[i].push(p);
                    slot.next_poll_ns = now + slot.interval_ns;
                    polled = true;
                }
                next = next.min(slot.next_poll_ns);
            }
            if polled {
                st.trace.ticks += 1;
                st.trace.tick_time_ns += tick_start.elapsed().as_nanos() as u64;
            }
            next
        };
        let now = shared.epoch.elapsed().as_nanos() as u64;
        // Park until the next poll is due; stop() unparks the thread so it ends promptly.
        let sleep = wake_ns.saturating_sub(now).min(1_000_000_000);
        std::thread::park_timeout(Duration::from_nanos(sleep.max(50_000)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sensor::SyntheticSensor;

    #[test]
    fn edges_and_polls_are_recorded() {
        let s = Sampler::start(
            vec![Box::new(SyntheticSensor::new(10.0))],
            Duration::from_millis(5),
        );
        let a = s.edge();
        std::thread::sleep(Duration::from_millis(40));
        let b = s.edge();
        let trace = s.stop();
        assert_eq!((a, b), (EdgeId(0), EdgeId(1)));
        let ia = trace.edges[0].index[0];
        let ib = trace.edges[1].index[0];
        assert!(ib > ia + 2, "the thread polled between the edges");
        let pts = &trace.points[0];
        assert!(pts.windows(2).all(|w| w[0].t_ns <= w[1].t_ns));
        let joules = (pts[ib].value - pts[ia].value) as f64 * 1e-6;
        let secs = (pts[ib].t_ns - pts[ia].t_ns) as f64 * 1e-9;
        assert!((joules / secs - 10.0).abs() < 0.1, "{}", joules / secs);
        assert!(trace.ticks > 2);
    }
}
