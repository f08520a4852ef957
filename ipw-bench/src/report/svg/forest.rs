//! Point estimates with their confidence intervals, one row per case: the index's
//! "which variant is best" picture.

use super::{close, colour, escape, shorten, Axis, Frame};
use std::fmt::Write;

/// One row: a name and `(point, ci_low, ci_high)`; `best` draws it filled and bold.
#[derive(Debug, Clone)]
pub struct Row {
    /// The case's name, shortened to 32 characters on the plot.
    pub name: String,
    /// The point estimate, in the metric's unit.
    pub point: f64,
    /// Lower bound of its confidence interval.
    pub low: f64,
    /// Upper bound of its confidence interval.
    pub high: f64,
    /// Whether this is the best row, drawn filled and bold.
    pub best: bool,
}

/// The forest plot of `rows`, the x axis titled `metric` in `unit`; `None` when no value
/// is finite.
pub fn plot(rows: &[Row], metric: &str, unit: &str) -> Option<String> {
    let values = rows.iter().flat_map(|r| [r.point, r.low, r.high]);
    if !values.clone().any(|v| v.is_finite()) {
        return None;
    }
    let x = Axis::fit(values, metric, unit);
    let longest = rows
        .iter()
        .map(|r| r.name.chars().count().min(32))
        .max()
        .unwrap_or(0);
    let left = (longest as f64 * 6.6 + 16.0).clamp(40.0, 230.0);
    let row = 22.0;
    let y = Axis::rows(rows.len());
    let frame = Frame::new(640.0, 12.0 + 44.0 + row * rows.len() as f64, left, x, y);
    let mut out = String::new();
    frame.open(&mut out, &format!("{metric} with confidence intervals"));
    frame.axes(&mut out, false);
    for (i, r) in rows.iter().enumerate() {
        let cy = frame.py(rows.len() as f64 - i as f64 - 0.5);
        let c = colour(i);
        let _ = write!(
            out,
            "<text class=\"label{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            if r.best { " best" } else { "" },
            left - 6.0,
            cy + 4.0,
            escape(&shorten(&r.name, 32))
        );
        if !r.point.is_finite() {
            continue;
        }
        if r.low.is_finite() && r.high.is_finite() {
            let _ = write!(
                out,
                "<line class=\"ci\" stroke=\"{c}\" x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" \
                 y2=\"{cy:.1}\"/>",
                frame.px(r.low),
                frame.px(r.high)
            );
        }
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"{}\" fill=\"{}\" stroke=\"{c}\"/>",
            frame.px(r.point),
            if r.best { 5 } else { 4 },
            if r.best { c } else { "#fff" }
        );
    }
    close(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_interval_per_row() {
        let rows = vec![
            Row {
                name: "a".into(),
                point: 1.0,
                low: 0.9,
                high: 1.1,
                best: true,
            },
            Row {
                name: "b".into(),
                point: 2.0,
                low: f64::NAN,
                high: f64::NAN,
                best: false,
            },
        ];
        let svg = plot(&rows, "energy", "J").expect("a plot");
        assert_eq!(svg.matches("class=\"ci\"").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("label best"));
    }
}
