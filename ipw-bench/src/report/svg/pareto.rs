//! Accuracy against energy per query with both intervals: the variants no other variant
//! beats on both axes (the Pareto front) are joined by a line.

use super::{close, colour, escape, shorten, Axis, Frame};
use crate::analysis::Metric;
use std::fmt::Write;

/// A variant: its name, energy per query and accuracy, each `(point, low, high)`.
#[derive(Debug, Clone)]
pub struct Point {
    /// The variant's name.
    pub name: String,
    /// Energy per query `(point, low, high)`, in `energy_unit` of [`plot`].
    pub energy: (f64, f64, f64),
    /// Accuracy `(point, low, high)`, a fraction 0-1.
    pub accuracy: (f64, f64, f64),
}

/// Indices of the points on the Pareto front (lower energy and higher accuracy are
/// better), ordered by energy.
pub fn front(points: &[Point]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].energy.0.is_finite() && points[i].accuracy.0.is_finite())
        .collect();
    idx.sort_by(|&a, &b| {
        points[a]
            .energy
            .0
            .total_cmp(&points[b].energy.0)
            .then(points[b].accuracy.0.total_cmp(&points[a].accuracy.0))
    });
    let mut best = f64::NEG_INFINITY;
    idx.into_iter()
        .filter(|&i| {
            let keep = points[i].accuracy.0 > best;
            best = best.max(points[i].accuracy.0);
            keep
        })
        .collect()
}

/// Accuracy against energy per query (in `energy_unit`) with the Pareto front joined;
/// `None` when no point has both values finite.
pub fn plot(points: &[Point], energy_unit: &str) -> Option<String> {
    let ok: Vec<&Point> = points
        .iter()
        .filter(|p| p.energy.0.is_finite() && p.accuracy.0.is_finite())
        .collect();
    if ok.is_empty() {
        return None;
    }
    let finite = |t: (f64, f64, f64)| [t.0, t.1, t.2].into_iter().filter(|v| v.is_finite());
    let x = Axis::fit(
        ok.iter().flat_map(|p| finite(p.energy)),
        "energy per query",
        energy_unit,
    );
    let accuracy = Metric::Accuracy;
    let y = Axis::fit(
        ok.iter().flat_map(|p| finite(p.accuracy)),
        &accuracy.label(),
        accuracy.unit(),
    );
    let frame = Frame::new(640.0, 360.0, 64.0, x, y);
    let mut out = String::new();
    frame.open(&mut out, "accuracy against energy per query");
    frame.axes(&mut out, true);
    let on_front = front(points);
    if on_front.len() > 1 {
        out.push_str("<polyline class=\"front\" points=\"");
        for &i in &on_front {
            let p = &points[i];
            let _ = write!(
                out,
                "{:.1},{:.1} ",
                frame.px(p.energy.0),
                frame.py(p.accuracy.0)
            );
        }
        out.push_str("\"/>");
    }
    for (i, p) in points.iter().enumerate() {
        if !(p.energy.0.is_finite() && p.accuracy.0.is_finite()) {
            continue;
        }
        let c = colour(i);
        let (cx, cy) = (frame.px(p.energy.0), frame.py(p.accuracy.0));
        let _ = write!(out, "<g class=\"errorbars\" stroke=\"{c}\">");
        if p.energy.1.is_finite() && p.energy.2.is_finite() {
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\"/>",
                frame.px(p.energy.1),
                frame.px(p.energy.2)
            );
        }
        if p.accuracy.1.is_finite() && p.accuracy.2.is_finite() {
            let _ = write!(
                out,
                "<line x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\"/>",
                frame.py(p.accuracy.1),
                frame.py(p.accuracy.2)
            );
        }
        let filled = on_front.contains(&i);
        let _ = write!(
            out,
            "</g><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{}\" stroke=\"{c}\" \
             stroke-width=\"2\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            if filled { c } else { "#fff" },
            cx + 8.0,
            cy - 8.0,
            escape(&shorten(&p.name, 28))
        );
    }
    close(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, e: f64, a: f64) -> Point {
        Point {
            name: name.to_string(),
            energy: (e, e * 0.9, e * 1.1),
            accuracy: (a, a - 0.02, a + 0.02),
        }
    }

    #[test]
    fn front_keeps_only_undominated_points() {
        let pts = vec![
            p("cheap", 1.0, 0.5),
            p("dominated", 2.0, 0.4),
            p("good", 3.0, 0.9),
        ];
        assert_eq!(front(&pts), vec![0, 2]);
        let svg = plot(&pts, "J").expect("a plot");
        assert!(svg.contains("class=\"front\""));
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
