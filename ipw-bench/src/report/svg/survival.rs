//! Survival Game plots: failure-count frequencies on log-log axes against the reference
//! slopes -2 and -3 (the level boundaries), and the Kaplan-Meier survival curve.

use super::{close, escape, Axis, Frame};
use crate::survival::{FrequencyPoint, SurvivalPoint};
use std::fmt::Write;

/// Frequencies of each failure count k >= 1, log-log, with the lines of slope -2 and -3
/// through the first point and the three level regions shaded between them: above -2
/// the tail is Limited, between the lines Capable, below -3 Autonomous.
pub fn frequency_plot(points: &[FrequencyPoint]) -> Option<String> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.k >= 1 && p.frequency > 0.0 && p.frequency.is_finite())
        .map(|p| (p.k as f64, p.frequency))
        .collect();
    let &(k0, f0) = pts.first()?;
    let k_max = pts.iter().map(|p| p.0).fold(k0, f64::max).max(k0 * 10.0);
    let f_max = pts.iter().map(|p| p.1).fold(f0, f64::max);
    let f_min = pts.iter().map(|p| p.1).fold(f0, f64::min);
    let x = Axis::decades(k0.min(1.0), k_max, "failures before the first success, k");
    let y = Axis::decades(
        f_min.min(f0 * (k_max / k0).powi(-3)).max(1e-9),
        f_max,
        "share of tasks",
    );
    let frame = Frame::new(460.0, 320.0, 64.0, x, y);
    let (lx0, lx1) = (frame.x.lo, frame.x.hi);
    // log10 of each reference line at the left and right edges of the plot.
    let line = |slope: f64, lx: f64| f0.log10() + slope * (lx - k0.log10());
    let p = |lx: f64, ly: f64| format!("{:.1},{:.1}", frame.px(lx), frame.py(ly));
    let (top, bottom) = (frame.y.hi + 50.0, frame.y.lo - 50.0);
    let mut out = String::new();
    frame.open(
        &mut out,
        "failure-count frequencies, log-log, with reference slopes -2 and -3",
    );
    let _ = write!(
        out,
        "<defs><clipPath id=\"survival-clip\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
         height=\"{:.1}\"/></clipPath></defs><g clip-path=\"url(#survival-clip)\">",
        frame.left,
        frame.top,
        frame.plot_right() - frame.left,
        frame.plot_bottom() - frame.top
    );
    let regions = [
        ("limited", top, -2.0, None),
        ("capable", 0.0, -2.0, Some(-3.0)),
        ("autonomous", bottom, -3.0, None),
    ];
    for (class, edge, a, b) in regions {
        let (far0, far1) = match b {
            Some(b) => (line(b, lx0), line(b, lx1)),
            None => (edge, edge),
        };
        let _ = write!(
            out,
            "<polygon class=\"region {class}\" points=\"{} {} {} {}\"/>",
            p(lx0, line(a, lx0)),
            p(lx1, line(a, lx1)),
            p(lx1, far1),
            p(lx0, far0)
        );
    }
    for (slope, label) in [(-2.0, "slope -2"), (-3.0, "slope -3")] {
        let _ = write!(
            out,
            "<line class=\"reference\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            frame.px(lx0),
            frame.py(line(slope, lx0)),
            frame.px(lx1),
            frame.py(line(slope, lx1))
        );
        let lx = k0.log10() + 0.6 * (lx1 - k0.log10());
        let _ = write!(
            out,
            "<text class=\"note\" x=\"{:.1}\" y=\"{:.1}\">{label}</text>",
            frame.px(lx) + 4.0,
            frame.py(line(slope, lx)) - 4.0
        );
    }
    out.push_str("</g>");
    frame.axes(&mut out, true);
    out.push_str("<g class=\"freq\">");
    for (k, f) in &pts {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"/>",
            frame.px(k.log10()),
            frame.py(f.log10())
        );
    }
    out.push_str("</g>");
    for (i, name) in [
        "Limited (a ≤ 2)",
        "Capable (2 < a ≤ 3)",
        "Autonomous (a > 3)",
    ]
    .iter()
    .enumerate()
    {
        let class = ["limited", "capable", "autonomous"][i];
        let y = frame.top + 14.0 + 15.0 * i as f64;
        let _ = write!(
            out,
            "<rect class=\"region {class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\"/>\
             <text class=\"note\" x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>",
            frame.plot_right() - 18.0,
            y - 9.0,
            frame.plot_right() - 22.0,
            escape(name)
        );
    }
    close(&mut out);
    Some(out)
}

/// The Kaplan-Meier estimate of S(k) = P(F >= k) as a step line.
pub fn survival_plot(points: &[SurvivalPoint]) -> Option<String> {
    let pts: Vec<&SurvivalPoint> = points.iter().filter(|p| p.s.is_finite()).collect();
    let last = pts.last()?;
    let x_end = (last.k as f64 + 1.0).max(1.0);
    let x = Axis::fit([0.0, x_end], "failures k", "");
    let y = Axis::fit([0.0, 1.0], "S(k) = P(F ≥ k)", "");
    let frame = Frame::new(460.0, 320.0, 64.0, x, y);
    let mut out = String::new();
    frame.open(&mut out, "survival function of the failure count");
    frame.axes(&mut out, true);
    out.push_str("<polyline class=\"km\" points=\"");
    for (i, p) in pts.iter().enumerate() {
        let next = pts.get(i + 1).map_or(x_end, |n| n.k as f64);
        let _ = write!(
            out,
            "{:.1},{:.1} {:.1},{:.1} ",
            frame.px(p.k as f64),
            frame.py(p.s),
            frame.px(next),
            frame.py(p.s)
        );
    }
    out.push_str("\"/>");
    close(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_plot_draws_points_regions_and_references() {
        let pts: Vec<FrequencyPoint> = [(1, 40), (2, 10), (3, 4), (5, 1), (20, 1)]
            .iter()
            .map(|&(k, count)| FrequencyPoint {
                k,
                count,
                frequency: count as f64 / 100.0,
            })
            .collect();
        let svg = frequency_plot(&pts).expect("a plot");
        assert_eq!(svg.matches("<circle").count(), 5);
        assert_eq!(svg.matches("class=\"reference\"").count(), 2);
        assert_eq!(svg.matches("<polygon class=\"region").count(), 3);
        assert!(svg.contains("slope -2") && svg.contains("slope -3"));
        assert!(frequency_plot(&[]).is_none());
    }

    #[test]
    fn survival_plot_is_a_step_line() {
        let pts = [
            SurvivalPoint { k: 0, s: 1.0 },
            SurvivalPoint { k: 1, s: 0.5 },
            SurvivalPoint { k: 4, s: 0.1 },
        ];
        let svg = survival_plot(&pts).expect("a plot");
        let line = svg.split("class=\"km\" points=\"").nth(1).expect("line");
        let coords = line[..line.find('"').expect("end")]
            .split_whitespace()
            .count();
        assert_eq!(coords, 6);
        assert!(survival_plot(&[]).is_none());
    }
}
