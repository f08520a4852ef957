//! The power trace of a run, downsampled for results and reports.

use crate::attribution::record::SensorTrace;
use crate::measure::record::{Trace, TracePoint};
use crate::measure::sensor::counter::INVALIDATING;
use crate::measure::sensor::SensorKind;

/// Points kept per source.
pub const MAX_POINTS: usize = 2000;

fn channel(pts: &[TracePoint], f: impl Fn(&TracePoint) -> f32) -> Option<Vec<Option<f64>>> {
    pts.iter().any(|p| !f(p).is_nan()).then(|| {
        pts.iter()
            .map(|p| Some(f(p) as f64).filter(|v| !v.is_nan()))
            .collect()
    })
}

/// Power per source over the run, at most [`MAX_POINTS`] points each.
pub fn power_traces(trace: &Trace) -> Vec<SensorTrace> {
    trace
        .sensors
        .iter()
        .zip(&trace.points)
        .map(|(info, pts)| {
            let unit = info.unit.to_si();
            let step = pts.len().div_ceil(MAX_POINTS).max(1);
            let kept: Vec<TracePoint> = pts.iter().step_by(step).copied().collect();
            let (t_s, power_w) = match info.kind {
                SensorKind::Meter => (
                    kept.iter().map(|p| p.t_ns as f64 * 1e-9).collect(),
                    kept.iter()
                        .map(|p| (p.flags & INVALIDATING == 0).then_some(p.value as f64 * unit))
                        .collect(),
                ),
                SensorKind::Counter => {
                    let mut t = Vec::with_capacity(kept.len());
                    let mut w = Vec::with_capacity(kept.len());
                    for pair in kept.windows(2) {
                        let dt = pair[1].t_ns.saturating_sub(pair[0].t_ns) as f64 * 1e-9;
                        if dt <= 0.0 {
                            continue;
                        }
                        t.push((pair[0].t_ns + pair[1].t_ns) as f64 * 0.5e-9);
                        let ok = pair[1].flags & INVALIDATING == 0;
                        w.push(ok.then(|| {
                            pair[1].value.saturating_sub(pair[0].value) as f64 * unit / dt
                        }));
                    }
                    (t, w)
                }
            };
            SensorTrace {
                sensor: info.id.clone(),
                domain: info.domain.0.clone(),
                t_s,
                power_w,
                temperature_c: channel(&kept, |p| p.temperature_c),
                clock_mhz: channel(&kept, |p| p.clock_mhz),
            }
        })
        .collect()
}
