//! Hand-written SVG plots: a shared frame (scales, ticks, axes) and one module per plot kind.

pub mod distribution;
pub mod forest;
pub mod pareto;
pub mod scatter;
pub mod survival;
pub mod trace;

use std::fmt::Write;

/// Series colours, distinguishable in print and for the common colour-vision deficiencies.
pub const PALETTE: &[&str] = &[
    "#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#666666",
];

/// The colour of series `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Text for SVG content and attribute values: the five XML specials escaped, control
/// characters dropped (they are not allowed in XML at all).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to `max` characters with an ellipsis, for labels that must fit a margin.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// A linear axis with "nice" tick positions (steps of 1, 2, 2.5 or 5 times a power of ten).
#[derive(Debug, Clone)]
pub struct Axis {
    /// The value at the axis's start (log10 of it for a log axis).
    pub lo: f64,
    /// The value at the axis's end (log10 of it for a log axis).
    pub hi: f64,
    /// Values at which ticks and grid lines are drawn; empty for a category axis.
    pub ticks: Vec<f64>,
    /// Multiply values by this before printing them on ticks (the prefix of `unit`).
    pub scale: f64,
    /// The axis title with the prefixed unit: `energy per iteration (mJ)`.
    pub title: String,
    /// Values are log10 of the data: ticks are labelled with the power of ten.
    pub log: bool,
}

impl Axis {
    /// An axis covering every finite value in `values`, titled `name` in `unit`.
    pub fn fit(values: impl IntoIterator<Item = f64>, name: &str, unit: &str) -> Axis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(1e-300) {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            lo -= pad;
            hi += pad;
        }
        let raw = (hi - lo) / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let lo = (lo / step).floor() * step;
        let hi = (hi / step).ceil() * step;
        let n = ((hi - lo) / step).round() as usize;
        let ticks = (0..=n).map(|i| lo + step * i as f64).collect();
        let (scale, prefixed) = unit_prefix(lo.abs().max(hi.abs()), unit);
        let title = if prefixed.is_empty() {
            name.to_string()
        } else {
            format!("{name} ({prefixed})")
        };
        Axis {
            lo,
            hi,
            ticks,
            scale,
            title,
            log: false,
        }
    }

    /// A log10 axis over whole decades covering `lo..=hi` (data values, both > 0).
    pub fn decades(lo: f64, hi: f64, title: &str) -> Axis {
        let lo = lo.log10().floor();
        let hi = hi.log10().ceil().max(lo + 1.0);
        Axis {
            lo,
            hi,
            ticks: (lo as i32..=hi as i32).map(f64::from).collect(),
            scale: 1.0,
            title: title.to_string(),
            log: true,
        }
    }

    /// A category axis of `n` rows: no ticks, no title.
    pub fn rows(n: usize) -> Axis {
        Axis {
            lo: 0.0,
            hi: n as f64,
            ticks: Vec::new(),
            scale: 1.0,
            title: String::new(),
            log: false,
        }
    }

    /// A tick label: the value in the axis unit with as few digits as the step needs.
    pub fn label(&self, v: f64) -> String {
        if self.log {
            let p = v.round() as i32;
            return match p {
                0..=3 => format!("{}", 10i64.pow(p as u32)),
                _ => format!("1e{p}"),
            };
        }
        let step = if self.ticks.len() > 1 {
            (self.ticks[1] - self.ticks[0]) * self.scale
        } else {
            1.0
        };
        let decimals = (-(step.abs().log10().floor()) + 1.0).clamp(0.0, 6.0) as usize;
        let s = format!("{:.*}", decimals, v * self.scale);
        // "2.50" -> "2.5", "3.0" -> "3": ticks read better without trailing zeros.
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// The factor and prefixed unit for an axis whose largest magnitude is `max`.
fn unit_prefix(max: f64, unit: &str) -> (f64, String) {
    if !matches!(unit, "J" | "W" | "s") || max == 0.0 {
        return (
            1.0,
            if unit == "fraction" {
                String::new()
            } else {
                unit.to_string()
            },
        );
    }
    for (scale, prefix) in [(1.0, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")] {
        if max >= scale {
            return (1.0 / scale, format!("{prefix}{unit}"));
        }
    }
    (1e9, format!("n{unit}"))
}

/// The drawing area of a plot: outer size, margins and the two axes.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Outer width, in SVG user units (pixels).
    pub width: f64,
    /// Outer height, in pixels.
    pub height: f64,
    /// Left margin, room for the row labels or the y ticks, in pixels.
    pub left: f64,
    /// Right margin, in pixels.
    pub right: f64,
    /// Top margin, in pixels.
    pub top: f64,
    /// Bottom margin, room for the x ticks and title, in pixels.
    pub bottom: f64,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
}

impl Frame {
    /// A frame of the given outer size and left margin, with fixed right (16), top (12)
    /// and bottom (44) margins.
    pub fn new(width: f64, height: f64, left: f64, x: Axis, y: Axis) -> Frame {
        Frame {
            width,
            height,
            left,
            right: 16.0,
            top: 12.0,
            bottom: 44.0,
            x,
            y,
        }
    }

    /// The horizontal pixel of the value `v` on the x axis.
    pub fn px(&self, v: f64) -> f64 {
        let w = self.width - self.left - self.right;
        self.left + (v - self.x.lo) / (self.x.hi - self.x.lo) * w
    }

    /// The vertical pixel of the value `v` on the y axis (larger values higher up).
    pub fn py(&self, v: f64) -> f64 {
        let h = self.height - self.top - self.bottom;
        self.top + h - (v - self.y.lo) / (self.y.hi - self.y.lo) * h
    }

    /// The pixel row of the plot area's bottom edge.
    pub fn plot_bottom(&self) -> f64 {
        self.height - self.bottom
    }

    /// The pixel column of the plot area's right edge.
    pub fn plot_right(&self) -> f64 {
        self.width - self.right
    }

    /// The `<svg>` element with an accessible title.
    pub fn open(&self, out: &mut String, title: &str) {
        open(out, self.width, self.height, title);
    }

    /// Grid lines, ticks and axis titles. `y_ticks` is false for category axes.
    pub fn axes(&self, out: &mut String, y_ticks: bool) {
        out.push_str("<g class=\"grid\">");
        for &t in &self.x.ticks {
            let x = self.px(t);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
                self.top,
                self.plot_bottom()
            );
        }
        if y_ticks {
            for &t in &self.y.ticks {
                let y = self.py(t);
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
                    self.left,
                    self.plot_right()
                );
            }
        }
        out.push_str("</g><g class=\"axis\">");
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\"/>",
            self.left,
            self.top,
            self.plot_right() - self.left,
            self.plot_bottom() - self.top
        );
        for &t in &self.x.ticks {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                self.px(t),
                self.plot_bottom() + 14.0,
                escape(&self.x.label(t))
            );
        }
        let _ = write!(
            out,
            "<text class=\"title\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            (self.left + self.plot_right()) / 2.0,
            self.height - 8.0,
            escape(&self.x.title)
        );
        if y_ticks {
            for &t in &self.y.ticks {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                    self.left - 5.0,
                    self.py(t) + 4.0,
                    escape(&self.y.label(t))
                );
            }
            let cy = (self.top + self.plot_bottom()) / 2.0;
            let _ = write!(
                out,
                "<text class=\"title\" x=\"12\" y=\"{cy:.1}\" text-anchor=\"middle\" \
                 transform=\"rotate(-90 12 {cy:.1})\">{}</text>",
                escape(&self.y.title)
            );
        }
        out.push_str("</g>");
    }
}

/// The `<svg>` element of a `width` x `height` drawing, scaled to its container by CSS.
pub fn open(out: &mut String, width: f64, height: f64, title: &str) {
    let t = escape(title);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 {width:.0} \
         {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" \
         aria-label=\"{t}\"><title>{t}</title>"
    );
}

/// Ends the `<svg>` element.
pub fn close(out: &mut String) {
    out.push_str("</svg>");
}

/// A small legend in the top-right corner of the plot area: one swatch per name.
pub fn legend(out: &mut String, frame: &Frame, names: &[(String, &str)]) {
    let x = frame.plot_right() - 8.0;
    for (i, (name, colour)) in names.iter().enumerate() {
        let y = frame.top + 14.0 + 15.0 * i as f64;
        let _ = write!(
            out,
            "<g class=\"legend\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" \
             fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text></g>",
            x - 10.0,
            y - 9.0,
            x - 14.0,
            escape(&shorten(name, 40))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            escape("<script>alert('x')</script>&\"\u{7}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }

    #[test]
    fn axis_ticks_cover_the_data_with_nice_steps() {
        let a = Axis::fit([0.00123, 0.00187], "energy", "J");
        assert!(a.lo <= 0.00123 && a.hi >= 0.00187);
        assert_eq!(a.title, "energy (mJ)");
        assert!(a.ticks.len() >= 3 && a.ticks.len() <= 12);
        assert_eq!(a.label(a.ticks[0]), "1.2");
        let flat = Axis::fit([50.0, 50.0], "power", "W");
        assert!(flat.lo < 50.0 && flat.hi > 50.0);
        let empty = Axis::fit(std::iter::empty(), "x", "");
        assert_eq!((empty.lo, empty.hi), (0.0, 1.0));
    }
}
