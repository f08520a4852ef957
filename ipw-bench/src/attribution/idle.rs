//! Idle power: the energy of the idle windows before the first case and after the last,
//! per second, and its drift.

use crate::attribution::record::{Idle, IdleWindow};
use crate::attribution::window::window;
use crate::measure::record::{EdgeId, Trace};

/// The power over one idle window.
pub fn idle_power(trace: &Trace, w: (EdgeId, EdgeId)) -> IdleWindow {
    let e = window(trace, w.0, w.1);
    let per = |j: Option<f64>| j.map(|j| j / e.seconds);
    IdleWindow {
        duration_s: e.seconds,
        power_w: per(e.total),
        power_w_by_domain: e
            .per_domain
            .iter()
            .map(|(d, j)| (d.clone(), per(*j)))
            .collect(),
    }
}

/// Idle power before and after (either may be missing), their mean and the drift.
pub fn idle_summary(
    trace: &Trace,
    before: Option<(EdgeId, EdgeId)>,
    after: Option<(EdgeId, EdgeId)>,
) -> Idle {
    let before = before.map(|w| idle_power(trace, w));
    let after = after.map(|w| idle_power(trace, w));
    let pb = before.as_ref().and_then(|w| w.power_w);
    let pa = after.as_ref().and_then(|w| w.power_w);
    let mean_w = match (pb, pa) {
        (Some(b), Some(a)) => Some((a + b) / 2.0),
        (b, a) => b.or(a),
    };
    let drift_w = pb.zip(pa).map(|(b, a)| a - b);
    Idle {
        before,
        after,
        mean_w,
        drift_w,
        drift_fraction: drift_w.zip(pb).and_then(|(d, b)| (b > 0.0).then(|| d / b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::record::{Edge, TracePoint};
    use crate::measure::sensor::{Domain, Provenance, SensorInfo, Unit};
    use std::time::Duration;

    /// A 10 W counter for the first second, then 12 W.
    fn trace() -> Trace {
        let joules = |ms: u64| 10 * ms.min(1000) + 12 * ms.saturating_sub(1000);
        let points = (0..=2000u64)
            .step_by(100)
            .map(|ms| TracePoint {
                t_ns: ms * 1_000_000,
                read_ns: 0,
                value: joules(ms) * 1_000,
                flags: 0,
                temperature_c: f32::NAN,
                clock_mhz: f32::NAN,
            })
            .collect();
        let edge = |ms: u64| Edge {
            t_ns: ms * 1_000_000,
            index: vec![(ms / 100) as usize],
        };
        Trace {
            sensors: vec![SensorInfo {
                id: "pkg".into(),
                source: "test".into(),
                domain: Domain::new(Domain::CPU_PACKAGE),
                label: "pkg".into(),
                provenance: Provenance::Measured,
                kind: Unit::Microjoule.kind(),
                unit: Unit::Microjoule,
                resolution: 1e-6,
                update_period: Duration::from_millis(1),
                contained_in: None,
                details: Default::default(),
            }],
            points: vec![points],
            edges: vec![edge(0), edge(1000), edge(1000), edge(2000)],
            ..Trace::default()
        }
    }

    #[test]
    fn idle_power_mean_and_drift() {
        let t = trace();
        let i = idle_summary(
            &t,
            Some((EdgeId(0), EdgeId(1))),
            Some((EdgeId(2), EdgeId(3))),
        );
        let b = i.before.as_ref().unwrap();
        assert!((b.power_w.unwrap() - 10.0).abs() < 1e-9, "{b:?}");
        assert!((b.power_w_by_domain["cpu-package"].unwrap() - 10.0).abs() < 1e-9);
        assert!((i.mean_w.unwrap() - 11.0).abs() < 1e-9);
        assert!((i.drift_w.unwrap() - 2.0).abs() < 1e-9);
        assert!((i.drift_fraction.unwrap() - 0.2).abs() < 1e-9);
        let only = idle_summary(&t, None, Some((EdgeId(2), EdgeId(3))));
        assert!((only.mean_w.unwrap() - 12.0).abs() < 1e-9);
        assert_eq!((only.drift_w, only.drift_fraction), (None, None));
        assert_eq!(idle_summary(&t, None, None), Idle::default());
    }
}
