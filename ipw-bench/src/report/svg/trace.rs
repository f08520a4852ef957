//! Power over the run per domain, with a case's sample windows shaded and the idle level.

use super::{close, colour, escape, legend, Axis, Frame};
use crate::results::SensorTrace;
use std::fmt::Write;

/// What to draw besides the traces.
#[derive(Debug, Clone, Default)]
pub struct TraceMarks {
    /// `(start_s, length_s)` of each window to shade.
    pub windows: Vec<(f64, f64)>,
    /// Idle power (W), drawn as a dashed line.
    pub idle_w: Option<f64>,
    /// At most this many points per trace: each bucket keeps its minimum and maximum,
    /// so spikes survive the thinning.
    pub max_points: usize,
}

/// The plot, or `None` when no trace has a valid point.
pub fn plot(traces: &[SensorTrace], marks: &TraceMarks) -> Option<String> {
    let points: Vec<Vec<Option<(f64, f64)>>> = traces
        .iter()
        .map(|t| thin(t, marks.max_points.max(16)))
        .collect();
    if !points.iter().flatten().any(|p| p.is_some()) {
        return None;
    }
    let xs = points.iter().flatten().flatten().map(|p| p.0);
    let x = Axis::fit(xs, "time since start of run", "s");
    let ys = points
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.1)
        .chain(marks.idle_w)
        .chain(std::iter::once(0.0));
    let y = Axis::fit(ys, "power", "W");
    let frame = Frame::new(860.0, 280.0, 64.0, x, y);
    let mut out = String::new();
    frame.open(&mut out, "power trace over the run");
    frame.axes(&mut out, true);
    out.push_str("<g class=\"windows\">");
    for &(start, len) in &marks.windows {
        let x0 = frame.px(start);
        // A millisecond window on a minute-long axis would vanish: keep it visible.
        let w = (frame.px(start + len) - x0).max(1.5);
        let _ = write!(
            out,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>",
            frame.top,
            frame.plot_bottom() - frame.top
        );
    }
    out.push_str("</g>");
    for (i, series) in points.iter().enumerate() {
        for run in series.split(|p| p.is_none()).filter(|r| !r.is_empty()) {
            let _ = write!(
                out,
                "<polyline class=\"line\" stroke=\"{}\" points=\"",
                colour(i)
            );
            for (t, w) in run.iter().flatten() {
                let _ = write!(out, "{:.1},{:.1} ", frame.px(*t), frame.py(*w));
            }
            out.push_str("\"/>");
        }
    }
    if let Some(idle) = marks.idle_w {
        let y = frame.py(idle);
        let _ = write!(
            out,
            "<line class=\"idle\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"note\" x=\"{:.1}\" y=\"{:.1}\">idle {}</text>",
            frame.left,
            frame.plot_right(),
            frame.left + 6.0,
            y - 4.0,
            escape(&crate::analysis::format::value(idle, "W"))
        );
    }
    let names: Vec<(String, &str)> = traces
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{} · {}", t.sensor, t.domain), colour(i)))
        .collect();
    legend(&mut out, &frame, &names);
    close(&mut out);
    Some(out)
}

/// The trace as `(t, W)` points, `None` for invalid readings, thinned to about
/// `max_points` by keeping each bucket's lowest and highest reading in time order.
fn thin(trace: &SensorTrace, max_points: usize) -> Vec<Option<(f64, f64)>> {
    let all: Vec<Option<(f64, f64)>> = trace
        .t_s
        .iter()
        .zip(&trace.power_w)
        .map(|(t, w)| {
            w.filter(|w| w.is_finite() && t.is_finite())
                .map(|w| (*t, w))
        })
        .collect();
    if all.len() <= max_points {
        return all;
    }
    let bucket = all.len().div_ceil(max_points / 2);
    let mut out = Vec::with_capacity(max_points + 2);
    for chunk in all.chunks(bucket) {
        if chunk.iter().any(|p| p.is_none()) {
            // Keep the gap visible rather than bridging it.
            out.push(None);
        }
        let valid = chunk.iter().flatten();
        let lo = valid.clone().min_by(|a, b| a.1.total_cmp(&b.1));
        let hi = valid.max_by(|a, b| a.1.total_cmp(&b.1));
        match (lo, hi) {
            (Some(a), Some(b)) if a.0 <= b.0 => out.extend([Some(*a), Some(*b)]),
            (Some(a), Some(b)) => out.extend([Some(*b), Some(*a)]),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(n: usize) -> SensorTrace {
        SensorTrace {
            sensor: "rapl<0>".to_string(),
            domain: "package".to_string(),
            t_s: (0..n).map(|i| i as f64 * 0.01).collect(),
            power_w: (0..n)
                .map(|i| {
                    if i == 7 {
                        None
                    } else if i == 500 {
                        Some(300.0)
                    } else {
                        Some(50.0)
                    }
                })
                .collect(),
            temperature_c: None,
            clock_mhz: None,
        }
    }

    #[test]
    fn thinning_keeps_spikes_and_gaps() {
        let t = trace(2000);
        let thin = thin(&t, 200);
        assert!(thin.len() <= 210, "{}", thin.len());
        assert!(thin.iter().flatten().any(|p| p.1 == 300.0));
        assert!(thin.iter().any(|p| p.is_none()));
    }

    #[test]
    fn plot_escapes_names_and_marks_windows() {
        let marks = TraceMarks {
            windows: vec![(1.0, 0.001), (2.0, 0.5)],
            idle_w: Some(20.0),
            max_points: 400,
        };
        let svg = plot(&[trace(1000)], &marks).expect("a plot");
        assert!(svg.contains("rapl&lt;0&gt;"));
        assert!(!svg.contains("rapl<0>"));
        assert_eq!(svg.matches("<rect x=").count(), 2 + 1 + 1);
        assert!(svg.contains("class=\"idle\""));
        assert!(plot(&[], &marks).is_none());
    }
}
