//! Time against energy, one point per sample: a straight line means constant power.

use super::{close, escape, Axis, Frame};
use std::fmt::Write;

/// One point per `(x, y)` pair with finite coordinates; invalid samples drawn hollow.
pub fn plot(points: &[(f64, f64, bool)], x: (&str, &str), y: (&str, &str)) -> Option<String> {
    let finite = || points.iter().filter(|p| p.0.is_finite() && p.1.is_finite());
    finite().next()?;
    let xa = Axis::fit(finite().map(|p| p.0), x.0, x.1);
    let ya = Axis::fit(finite().map(|p| p.1), y.0, y.1);
    let frame = Frame::new(420.0, 300.0, 64.0, xa, ya);
    let mut out = String::new();
    frame.open(&mut out, &format!("{} against {} per sample", y.0, x.0));
    frame.axes(&mut out, true);
    out.push_str("<g class=\"scatter\">");
    for (px, py, valid) in finite() {
        let _ = write!(
            out,
            "<circle class=\"{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/>",
            if *valid { "valid" } else { "invalid" },
            frame.px(*px),
            frame.py(*py)
        );
    }
    out.push_str("</g>");
    if points.iter().any(|p| !p.2) {
        let _ = write!(
            out,
            "<text class=\"note\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            frame.left + 6.0,
            frame.top + 14.0,
            escape("hollow: invalid window")
        );
    }
    close(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_non_finite_points() {
        let svg = plot(
            &[(1.0, 2.0, true), (2.0, f64::NAN, true), (3.0, 4.0, false)],
            ("time", "s"),
            ("energy", "J"),
        )
        .expect("a plot");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("hollow"));
        assert!(plot(&[(f64::NAN, 1.0, true)], ("t", "s"), ("e", "J")).is_none());
    }
}
