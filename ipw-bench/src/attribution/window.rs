//! Energy attribution: the joules of each measured window, per source and per domain.
//!
//! A counter's window energy is the difference of its extended readings at the two edges
//! (read synchronously, so the edges are exact). A meter's is the trapezoid integral of its
//! readings from edge to edge. Each window records its method and why it is not valid.

use crate::measure::record::{EdgeId, Trace, TracePoint};
use crate::measure::sensor::counter::{GONE, INVALIDATING, MAYBE_MISSED_WRAP, READ_ERROR, RESET};
use crate::measure::sensor::{Provenance, SensorKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a window's energy was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The difference of a counter's extended readings at the two edges.
    CounterDifference,
    /// The trapezoid integral of a meter's power readings from edge to edge.
    Trapezoid,
    /// Counters and meters together.
    Mixed,
    /// Joules the bench function measured itself (`iter_custom_energy`).
    Reported,
}

impl Method {
    /// The name recorded in results.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::CounterDifference => "counter-difference",
            Method::Trapezoid => "trapezoid",
            Method::Mixed => "mixed",
            Method::Reported => "reported",
        }
    }
}

/// The energy of one window from one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEnergy {
    /// Joules, `None` when the window is invalid for this source.
    pub joules: Option<f64>,
    /// `CounterDifference` for a counter, `Trapezoid` for a meter.
    pub method: Method,
    /// Why the energy is unknown or doubtful (`missed-wrap`, `reset`, `read-error`,
    /// `source-gone`, `short-window`).
    pub flags: Vec<&'static str>,
}

/// The energy of one window from all sources.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowEnergy {
    /// Time between the window's two edges, in seconds.
    pub seconds: f64,
    /// Each source's energy, in the order of the trace's sensors.
    pub per_source: Vec<SourceEnergy>,
    /// Joules per domain, summing only sources not contained in another.
    pub per_domain: BTreeMap<String, Option<f64>>,
    /// Total joules over top-level sources; `None` if any of them is invalid.
    pub total: Option<f64>,
    /// How the top-level sources' energy was obtained: `Mixed` when both counters and
    /// meters were summed.
    pub method: Method,
    /// The weakest provenance among the top-level sources.
    pub provenance: Provenance,
    /// Every source's flags, merged without repeats.
    pub flags: Vec<&'static str>,
}

fn flag_names(flags: u8, out: &mut Vec<&'static str>) {
    for (bit, name) in [
        (MAYBE_MISSED_WRAP, "missed-wrap"),
        (RESET, "reset"),
        (READ_ERROR, "read-error"),
        (GONE, "source-gone"),
    ] {
        if flags & bit != 0 && !out.contains(&name) {
            out.push(name);
        }
    }
}

/// Energy of `[start, end]` for source `s`.
pub fn source_window(trace: &Trace, s: usize, start: EdgeId, end: EdgeId) -> SourceEnergy {
    let info = &trace.sensors[s];
    let pts = &trace.points[s];
    let a = trace.edges[start.0 as usize].index[s];
    let b = trace.edges[end.0 as usize].index[s];
    let mut flags = Vec::new();
    let mut bits = 0u8;
    // The flags of the start edge describe the interval before it, not this window.
    for p in &pts[a + 1..=b] {
        bits |= p.flags & INVALIDATING;
    }
    bits |= pts[a].flags & GONE;
    flag_names(bits, &mut flags);
    let unit = info.unit.to_si();
    let (joules, method) = match info.kind {
        SensorKind::Counter => (
            pts[b].value.saturating_sub(pts[a].value) as f64 * unit,
            Method::CounterDifference,
        ),
        SensorKind::Meter => (trapezoid(&pts[a..=b]) * unit, Method::Trapezoid),
    };
    let seconds = (pts[b].t_ns.saturating_sub(pts[a].t_ns)) as f64 * 1e-9;
    if seconds < 2.0 * info.update_period.as_secs_f64() {
        flags.push("short-window");
    }
    SourceEnergy {
        joules: (bits == 0).then_some(joules),
        method,
        flags,
    }
}

/// Trapezoid integral of power readings (native unit x seconds).
fn trapezoid(pts: &[TracePoint]) -> f64 {
    pts.windows(2)
        .map(|w| {
            let dt = w[1].t_ns.saturating_sub(w[0].t_ns) as f64 * 1e-9;
            (w[0].value as f64 + w[1].value as f64) * 0.5 * dt
        })
        .sum()
}

/// Energy of the window between two edges, over every source.
pub fn window(trace: &Trace, start: EdgeId, end: EdgeId) -> WindowEnergy {
    let seconds = trace.edges[end.0 as usize]
        .t_ns
        .saturating_sub(trace.edges[start.0 as usize].t_ns) as f64
        * 1e-9;
    let per_source: Vec<SourceEnergy> = (0..trace.sensors.len())
        .map(|s| source_window(trace, s, start, end))
        .collect();
    let mut per_domain: BTreeMap<String, Option<f64>> = BTreeMap::new();
    let mut total = Some(0.0);
    let mut provenance = Provenance::Measured;
    let mut has_counter = false;
    let mut has_meter = false;
    let mut flags = Vec::new();
    for (info, e) in trace.sensors.iter().zip(&per_source) {
        merge_flags(&mut flags, &e.flags);
        let entry = per_domain.entry(info.domain.0.clone()).or_insert(Some(0.0));
        *entry = entry.zip(e.joules).map(|(a, b)| a + b);
        if info.contained_in.is_some() {
            // A contained source is shown in its domain, but never added to the total.
            continue;
        }
        total = total.zip(e.joules).map(|(a, b)| a + b);
        provenance = provenance.weakest(info.provenance);
        match info.kind {
            SensorKind::Counter => has_counter = true,
            SensorKind::Meter => has_meter = true,
        }
    }
    if trace.sensors.is_empty() {
        total = None;
        provenance = Provenance::Estimated;
    }
    let method = match (has_counter, has_meter) {
        (true, true) => Method::Mixed,
        (false, true) => Method::Trapezoid,
        _ => Method::CounterDifference,
    };
    WindowEnergy {
        seconds,
        per_source,
        per_domain,
        total,
        method,
        provenance,
        flags,
    }
}

/// Energy of a sample cut into several windows (the batches of `iter_batched`): seconds,
/// joules per source and per domain are the sums over the windows; a source invalid in any
/// window is invalid for the sample, and every window's flags are kept.
pub fn windows(trace: &Trace, windows: &[(EdgeId, EdgeId)]) -> WindowEnergy {
    let mut parts = windows.iter().map(|&(a, b)| window(trace, a, b));
    let Some(mut sum) = parts.next() else {
        return window_of_nothing(trace);
    };
    for w in parts {
        sum.seconds += w.seconds;
        for (acc, e) in sum.per_source.iter_mut().zip(w.per_source) {
            acc.joules = acc.joules.zip(e.joules).map(|(a, b)| a + b);
            merge_flags(&mut acc.flags, &e.flags);
        }
        for (domain, joules) in w.per_domain {
            let entry = sum.per_domain.entry(domain).or_insert(Some(0.0));
            *entry = entry.zip(joules).map(|(a, b)| a + b);
        }
        sum.total = sum.total.zip(w.total).map(|(a, b)| a + b);
        merge_flags(&mut sum.flags, &w.flags);
    }
    sum
}

/// A sample with no window: no time, no energy, invalid.
fn window_of_nothing(trace: &Trace) -> WindowEnergy {
    WindowEnergy {
        seconds: 0.0,
        per_source: Vec::new(),
        per_domain: BTreeMap::new(),
        total: None,
        method: Method::CounterDifference,
        provenance: if trace.sensors.is_empty() {
            Provenance::Estimated
        } else {
            Provenance::Measured
        },
        flags: Vec::new(),
    }
}

fn merge_flags(into: &mut Vec<&'static str>, from: &[&'static str]) {
    for f in from {
        if !into.contains(f) {
            into.push(*f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::record::Edge;
    use crate::measure::sensor::{Domain, SensorInfo, Unit};
    use std::time::Duration;

    fn info(id: &str, unit: Unit, contained_in: Option<&str>) -> SensorInfo {
        SensorInfo {
            id: id.into(),
            source: "test".into(),
            domain: Domain::new(if contained_in.is_some() {
                Domain::CPU_CORE
            } else {
                Domain::CPU_PACKAGE
            }),
            label: id.into(),
            provenance: Provenance::Measured,
            kind: unit.kind(),
            unit,
            resolution: 1e-6,
            update_period: Duration::from_millis(1),
            contained_in: contained_in.map(String::from),
            details: Default::default(),
        }
    }

    fn pt(t_ms: u64, value: u64, flags: u8) -> TracePoint {
        TracePoint {
            t_ns: t_ms * 1_000_000,
            read_ns: 0,
            value,
            flags,
            temperature_c: f32::NAN,
            clock_mhz: f32::NAN,
        }
    }

    #[test]
    fn counter_meter_and_containment() {
        let trace = Trace {
            sensors: vec![
                info("pkg", Unit::Microjoule, None),
                info("core", Unit::Microjoule, Some("pkg")),
                info("wall", Unit::Microwatt, None),
            ],
            points: vec![
                vec![pt(0, 0, 0), pt(50, 5_000_000, 0), pt(100, 10_000_000, 0)],
                vec![pt(0, 0, 0), pt(100, 4_000_000, 0)],
                // 20 W rising linearly to 40 W: 3 J over 100 ms.
                vec![pt(0, 20_000_000, 0), pt(100, 40_000_000, 0)],
            ],
            edges: vec![
                Edge {
                    t_ns: 0,
                    index: vec![0, 0, 0],
                },
                Edge {
                    t_ns: 100_000_000,
                    index: vec![2, 1, 1],
                },
            ],
            ..Trace::default()
        };
        let w = window(&trace, EdgeId(0), EdgeId(1));
        assert!((w.total.unwrap() - 13.0).abs() < 1e-9, "{:?}", w.total);
        assert_eq!(w.per_domain["cpu-core"], Some(4.0));
        assert_eq!(w.method, Method::Mixed);
        assert!((w.seconds - 0.1).abs() < 1e-12);
    }

    #[test]
    fn invalid_flags_inside_the_window_void_it() {
        let trace = Trace {
            sensors: vec![info("pkg", Unit::Microjoule, None)],
            points: vec![vec![
                pt(0, 0, RESET),
                pt(50, 10, MAYBE_MISSED_WRAP),
                pt(100, 20, 0),
            ]],
            edges: vec![
                Edge {
                    t_ns: 0,
                    index: vec![0],
                },
                Edge {
                    t_ns: 100_000_000,
                    index: vec![2],
                },
            ],
            ..Trace::default()
        };
        let w = window(&trace, EdgeId(0), EdgeId(1));
        assert_eq!(w.total, None);
        assert_eq!(w.flags, vec!["missed-wrap"]);
    }

    #[test]
    fn a_sample_of_several_windows_sums_them_and_leaves_out_the_gaps() {
        // 10 W from 0 to 100 ms (setup), 50 W from 100 to 200 ms (routine), and so on.
        let mut points = Vec::new();
        let mut joules = 0u64;
        for ms in 0..=400u64 {
            points.push(pt(ms, joules, 0));
            let watts = if (ms / 100) % 2 == 0 { 10 } else { 50 };
            joules += watts * 1_000; // µJ per ms
        }
        let edge = |ms: u64| Edge {
            t_ns: ms * 1_000_000,
            index: vec![ms as usize],
        };
        let trace = Trace {
            sensors: vec![info("pkg", Unit::Microjoule, None)],
            points: vec![points],
            edges: vec![edge(100), edge(200), edge(300), edge(400)],
            ..Trace::default()
        };
        let both = windows(&trace, &[(EdgeId(0), EdgeId(1)), (EdgeId(2), EdgeId(3))]);
        assert!(
            (both.total.unwrap() - 10.0).abs() < 1e-9,
            "{:?}",
            both.total
        );
        assert!((both.seconds - 0.2).abs() < 1e-12);
        assert_eq!(both.per_domain["cpu-package"], Some(10.0));
        assert_eq!(both.per_source[0].joules, Some(10.0));
        // One window is the same as `window`.
        assert_eq!(
            windows(&trace, &[(EdgeId(0), EdgeId(1))]),
            window(&trace, EdgeId(0), EdgeId(1))
        );
        assert_eq!(windows(&trace, &[]).total, None);
    }

    #[test]
    fn one_invalid_window_voids_the_sample() {
        let trace = Trace {
            sensors: vec![info("pkg", Unit::Microjoule, None)],
            points: vec![vec![
                pt(0, 0, 0),
                pt(10, 10, 0),
                pt(20, 20, 0),
                pt(30, 30, RESET),
            ]],
            edges: (0..4)
                .map(|i| Edge {
                    t_ns: i * 10_000_000,
                    index: vec![i as usize],
                })
                .collect(),
            ..Trace::default()
        };
        let w = windows(&trace, &[(EdgeId(0), EdgeId(1)), (EdgeId(2), EdgeId(3))]);
        assert_eq!(w.total, None);
        assert_eq!(w.per_domain["cpu-package"], None);
        assert_eq!(w.flags, vec!["reset"]);
    }
}
