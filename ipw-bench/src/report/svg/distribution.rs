//! Box plots with every sample drawn as a point, one row per series.

use super::{close, colour, escape, shorten, Axis, Frame};
use std::fmt::Write;

/// Quartiles and Tukey whiskers (the furthest points within 1.5 IQR of the box).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxStats {
    /// First quartile (linear interpolation), the box's low edge.
    pub q1: f64,
    /// Median, the line across the box.
    pub median: f64,
    /// Third quartile, the box's high edge.
    pub q3: f64,
    /// The smallest value at or above `q1 - 1.5 IQR`.
    pub low_whisker: f64,
    /// The largest value at or below `q3 + 1.5 IQR`.
    pub high_whisker: f64,
}

/// Linear-interpolated quantile of sorted data.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + (next - sorted[i]) * frac,
        None => sorted[i],
    }
}

/// Box statistics of the finite values, `None` when there are none.
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let (q1, median, q3) = (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75));
    let fence = 1.5 * (q3 - q1);
    let low_whisker = v.iter().copied().find(|x| *x >= q1 - fence).unwrap_or(q1);
    let high_whisker = v
        .iter()
        .rev()
        .copied()
        .find(|x| *x <= q3 + fence)
        .unwrap_or(q3);
    Some(BoxStats {
        q1,
        median,
        q3,
        low_whisker,
        high_whisker,
    })
}

/// Vertical offset of point `i` inside its row, spread evenly so points do not overlap
/// and the same data always draws the same picture.
fn jitter(i: usize) -> f64 {
    // The golden-ratio sequence fills [0, 1) evenly without clumping.
    ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 2.0
}

/// The size of a distribution plot.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Width of the whole plot, in SVG user units (pixels).
    pub width: f64,
    /// Height of each series' row.
    pub row: f64,
}

/// Wide, with compact rows: many variants on a group page.
pub const WIDE: Size = Size {
    width: 860.0,
    row: 34.0,
};

/// Half width with a tall row: one case beside its scatter plot.
pub const SINGLE: Size = Size {
    width: 420.0,
    row: 110.0,
};

/// Half width with medium rows: two plots side by side, one row per run.
pub const PAIR: Size = Size {
    width: 600.0,
    row: 44.0,
};

/// One row per `(name, values)`; `metric` and `unit` title the value axis.
pub fn plot(series: &[(String, Vec<f64>)], metric: &str, unit: &str, size: Size) -> Option<String> {
    let all = series.iter().flat_map(|(_, v)| v.iter().copied());
    if !all.clone().any(|v| v.is_finite()) {
        return None;
    }
    let x = Axis::fit(all, metric, unit);
    let longest = series
        .iter()
        .map(|(n, _)| n.chars().count().min(32))
        .max()
        .unwrap_or(0);
    let left = (longest as f64 * 6.6 + 16.0).clamp(40.0, 230.0);
    let row = size.row;
    let height = 12.0 + 44.0 + row * series.len() as f64;
    let y = Axis::rows(series.len());
    let frame = Frame::new(size.width, height, left, x, y);
    let mut out = String::new();
    frame.open(&mut out, &format!("distribution of {metric} per sample"));
    frame.axes(&mut out, false);
    for (i, (name, values)) in series.iter().enumerate() {
        let cy = frame.py(series.len() as f64 - i as f64 - 0.5);
        let c = colour(i);
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            cy + 4.0,
            escape(&shorten(name, 32))
        );
        let Some(b) = box_stats(values) else {
            continue;
        };
        let (x1, xm, x3) = (frame.px(b.q1), frame.px(b.median), frame.px(b.q3));
        let h = (row * 0.55).min(40.0);
        let _ = write!(
            out,
            "<g class=\"box\" stroke=\"{c}\"><line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{x1:.1}\" \
             y2=\"{cy:.1}\"/><line x1=\"{x3:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\"/>\
             <rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{c}\"/>\
             <line class=\"median\" x1=\"{xm:.1}\" y1=\"{:.1}\" x2=\"{xm:.1}\" y2=\"{:.1}\"/></g>",
            frame.px(b.low_whisker),
            frame.px(b.high_whisker),
            cy - h / 2.0,
            (x3 - x1).max(1.0),
            cy - h / 2.0,
            cy + h / 2.0,
        );
        let _ = write!(out, "<g class=\"points\" fill=\"{c}\">");
        for (j, v) in values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.6\"/>",
                frame.px(*v),
                cy + jitter(j) * h * 0.6
            );
        }
        out.push_str("</g>");
    }
    close(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_stats_match_hand_computation() {
        let b = box_stats(&[1.0, 2.0, 3.0, 4.0, 5.0, 100.0, f64::NAN]).expect("values");
        assert_eq!(b.median, 3.5);
        assert_eq!(b.q1, 2.25);
        assert_eq!(b.q3, 4.75);
        assert_eq!(b.low_whisker, 1.0);
        assert_eq!(b.high_whisker, 5.0);
        assert!(box_stats(&[f64::NAN]).is_none());
    }

    #[test]
    fn one_point_per_finite_sample() {
        let svg = plot(
            &[
                ("<b>".to_string(), vec![1.0, 2.0, 3.0]),
                ("b".to_string(), vec![2.0, f64::INFINITY]),
            ],
            "energy",
            "J",
            WIDE,
        )
        .expect("a plot");
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }
}
