//! Numbers as people read them, for every output: prefixed values, significant digits,
//! percentages, p-values and estimates.
//!
//! Two styles of prefixed number: [`value`] (four significant digits: report pages,
//! report.md, `cargo ipw compare`) and [`engineering`] (four decimals: the terminal's
//! criterion-like blocks); two of p-value: [`p_value`] (tables) and
//! [`p_value_scientific`] (verdict lines).

use crate::analysis::record::Estimate;
use serde::Serialize;

/// The factor and prefix that bring `magnitude` into [1, 1000) for units that take SI
/// prefixes; seconds stop at `s` because `ks` reads badly.
fn prefix_for(magnitude: f64, unit: &str) -> (f64, &'static str) {
    let rate = unit.starts_with("1/");
    let takes_prefix = rate || matches!(unit, "J" | "W" | "s" | "Wh");
    if !takes_prefix || magnitude == 0.0 || !magnitude.is_finite() {
        return (1.0, "");
    }
    const STEPS: &[(f64, &str)] = &[
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
    ];
    for &(scale, prefix) in STEPS {
        if unit == "s" && scale > 1.0 {
            continue;
        }
        // Rates take k, M and G, never m: 0.014 /W, not 14 m/W.
        if rate && scale < 1.0 {
            return (1.0, "");
        }
        if magnitude >= scale * 0.9995 {
            return (1.0 / scale, prefix);
        }
    }
    (1e9, "n")
}

/// `v` with four significant digits (fewer decimals as it grows), no exponent below 1e6.
pub fn sig(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "n/a".to_string()
        } else if v > 0.0 {
            "∞".to_string()
        } else {
            "-∞".to_string()
        };
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".to_string();
    }
    if !(1e-3..1e6).contains(&a) {
        return format!("{v:.3e}");
    }
    let decimals = |digits: i32| (3 - digits).clamp(0, 6) as usize;
    let digits = a.log10().floor() as i32;
    let text = format!("{v:.*}", decimals(digits));
    // 0.0099999 rounds up to 0.01000: count digits on the rounded value.
    let rounded: f64 = text.parse().unwrap_or(v);
    if rounded.abs() >= 10f64.powi(digits + 1) {
        format!("{v:.*}", decimals(digits + 1))
    } else {
        text
    }
}

/// `v` in `unit`, with an engineering prefix where the unit takes one: `1.234 mJ`.
pub fn value(v: f64, unit: &str) -> String {
    if unit == "fraction" {
        return format!("{v:.3}");
    }
    let (k, prefix) = prefix_for(v.abs(), unit);
    join_unit(&sig(v * k), prefix, unit)
}

fn join_unit(number: &str, prefix: &str, unit: &str) -> String {
    if unit.is_empty() || unit == "fraction" {
        number.to_string()
    } else if let Some(per) = unit.strip_prefix('1').filter(|u| u.starts_with('/')) {
        format!("{number} {prefix}{per}")
    } else {
        format!("{number} {prefix}{unit}")
    }
}

/// An estimate laid out for a table cell: the point and the interval on one scale.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EstimateText {
    /// `1.234 mJ`.
    pub point: String,
    /// `[1.103, 1.462]`, in the point's unit and prefix.
    pub ci: String,
    /// `95% CI, percentile bootstrap`.
    pub how: String,
}

/// A point and its interval on the point's scale: (`1.234 mJ`, `[1.103, 1.462]`); see
/// [`point_with_interval`] for the two in one string.
pub fn point_and_interval(point: f64, low: f64, high: f64, unit: &str) -> (String, String) {
    if unit == "fraction" {
        (format!("{point:.3}"), format!("[{low:.3}, {high:.3}]"))
    } else {
        // The larger end sets the prefix when the point is 0, so the interval stays legible.
        let magnitude = if point == 0.0 {
            low.abs().max(high.abs())
        } else {
            point.abs()
        };
        let (k, prefix) = prefix_for(magnitude, unit);
        (
            join_unit(&sig(point * k), prefix, unit),
            format!("[{}, {}]", sig(low * k), sig(high * k)),
        )
    }
}

/// `1.234 mJ [1.103, 1.462]`: [`point_and_interval`] in one string.
pub fn point_with_interval(point: f64, low: f64, high: f64, unit: &str) -> String {
    let (point, ci) = point_and_interval(point, low, high, unit);
    format!("{point} {ci}")
}

/// Four decimals after an engineering prefix (`m`, `µ`, `n`; none from 1 up), as the
/// terminal prints estimates: `1.2345 ms`, `12.5000 W`.
pub fn engineering(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return format!("{value} {unit}");
    }
    let a = value.abs();
    let (k, prefix) = if a == 0.0 || a >= 1.0 {
        (1.0, "")
    } else if a >= 1e-3 {
        (1e3, "m")
    } else if a >= 1e-6 {
        (1e6, "µ")
    } else {
        (1e9, "n")
    };
    format!("{:.4} {prefix}{unit}", value * k)
}

/// A rate (`unit` is `1/J`, `1/W` or `1/s`) as the terminal prints it: four decimals
/// after a `k`, `M` or `G` from a thousand up, and the unit as `/J`: `917.5374 k/J`,
/// `15.6103 M/s`, `0.0546 /W`.
pub fn engineering_rate(value: f64, unit: &str) -> String {
    let per = unit.strip_prefix('1').unwrap_or(unit);
    if !value.is_finite() {
        return format!("{value} {per}");
    }
    let a = value.abs();
    let (k, prefix) = if a >= 1e9 {
        (1e-9, "G")
    } else if a >= 1e6 {
        (1e-6, "M")
    } else if a >= 1e3 {
        (1e-3, "k")
    } else {
        (1.0, "")
    };
    format!("{:.4} {prefix}{per}", value * k)
}

/// A count-like statistic (degrees of freedom): an integer when it is one.
pub fn count(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        sig(v)
    }
}

/// The point, interval and method of `e` as text.
pub fn estimate(e: &Estimate) -> EstimateText {
    let (point, ci) = point_and_interval(e.point, e.ci_low, e.ci_high, &e.unit);
    EstimateText {
        point,
        ci,
        how: format!("{} CI, {}", percent(e.confidence), estimate_method(e)),
    }
}

/// The interval's method with what it resampled, in plain words: `percentile bootstrap
/// over questions`, `percentile bootstrap over samples, this question set`.
pub fn estimate_method(e: &Estimate) -> String {
    let method = method_label(&e.method);
    match e.resampled.as_deref() {
        Some("questions") => format!("{method} over questions"),
        Some("samples") => format!("{method} over samples"),
        Some("samples-within-parts") => format!("{method} over samples, this question set"),
        Some("answers") => format!("{method} over answers"),
        _ => method,
    }
}

/// `95%`.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A signed relative change: `+3.2%`, `-0.4%`.
pub fn signed_percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return sig(fraction);
    }
    format!("{:+.1}%", fraction * 100.0)
}

/// The interval of a relative change: `[-12.0%, -6.0%]`.
pub fn signed_percent_interval(low: f64, high: f64) -> String {
    format!("[{}, {}]", signed_percent(low), signed_percent(high))
}

/// How an interval was computed, in words.
pub fn method_label(method: &str) -> String {
    match method {
        "percentile" => "percentile bootstrap".to_string(),
        "bca" => "BCa bootstrap".to_string(),
        "t" => "Student t".to_string(),
        "wilson" => "Wilson score".to_string(),
        "degenerate" => "degenerate (all samples equal)".to_string(),
        other => other.to_string(),
    }
}

/// A p-value in a table: `< 0.001` below that, else three decimals.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "n/a".to_string()
    } else if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// A p-value in a verdict line, small ones in scientific notation: `7.3e-20`,
/// `< 1e-300`, `0.516`.
pub fn p_value_scientific(p: f64) -> String {
    if p < 1e-300 {
        "< 1e-300".to_string()
    } else if p < 0.001 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}

/// An optional statistic, `—` when absent.
pub fn opt(v: Option<f64>) -> String {
    v.map(sig).unwrap_or_else(|| "—".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sensor::Provenance;

    #[test]
    fn prefixes_and_digits() {
        assert_eq!(value(0.0012345, "J"), "1.234 mJ");
        assert_eq!(value(49.99951, "W"), "50.00 W");
        assert_eq!(value(1.6e-5, "s"), "16.00 µs");
        assert_eq!(value(4200.0, "s"), "4200 s");
        assert_eq!(value(3.3e-8, "s"), "33.00 ns");
        assert_eq!(value(0.7, "fraction"), "0.700");
        assert_eq!(value(867.06, "1/J"), "867.1 /J");
        assert_eq!(value(917_537.44, "1/J"), "917.5 k/J");
        assert_eq!(value(15_610_343.9, "1/s"), "15.61 M/s");
        assert_eq!(value(0.014, "1/W"), "0.01400 /W");
        assert_eq!(engineering_rate(917_537.44, "1/J"), "917.5374 k/J");
        assert_eq!(engineering_rate(0.0546, "1/W"), "0.0546 /W");
        assert_eq!(engineering_rate(2.5e9, "1/s"), "2.5000 G/s");
        assert_eq!(sig(f64::NAN), "n/a");
        assert_eq!(sig(-2.5), "-2.500");
        assert_eq!(sig(0.0099999), "0.01000");
        assert_eq!(sig(9.99999), "10.00");
    }

    #[test]
    fn estimate_shares_the_point_scale() {
        let e = Estimate {
            point: 0.00121,
            ci_low: 0.00098,
            ci_high: 0.00146,
            confidence: 0.95,
            method: "bca".to_string(),
            unit: "J".to_string(),
            provenance: Provenance::Measured,
            resampled: None,
        };
        let t = estimate(&e);
        assert_eq!(t.point, "1.210 mJ");
        assert_eq!(t.ci, "[0.9800, 1.460]");
        assert_eq!(t.how, "95% CI, BCa bootstrap");
    }

    #[test]
    fn p_values_and_changes() {
        assert_eq!(p_value(0.0001), "< 0.001");
        assert_eq!(p_value(0.0312), "0.031");
        assert_eq!(signed_percent(0.032), "+3.2%");
        assert_eq!(signed_percent(-0.004), "-0.4%");
        assert_eq!(percent(0.99), "99%");
        assert_eq!(percent(0.975), "97.5%");
        assert_eq!(count(27.0), "27");
        assert_eq!(count(15.1), "15.10");
        assert_eq!(
            point_and_interval(-0.0011, -0.0013, -0.0009, "J"),
            ("-1.100 mJ".to_string(), "[-1.300, -0.9000]".to_string())
        );
        assert_eq!(
            point_with_interval(0.00121, 0.00098, 0.00146, "J"),
            "1.210 mJ [0.9800, 1.460]"
        );
        assert_eq!(signed_percent_interval(-0.12, 0.004), "[-12.0%, +0.4%]");
        assert_eq!(p_value_scientific(7.3e-20), "7.3e-20");
        assert_eq!(p_value_scientific(0.0), "< 1e-300");
        assert_eq!(p_value_scientific(0.5164), "0.516");
    }

    #[test]
    fn engineering_units() {
        assert_eq!(engineering(0.0012345, "s"), "1.2345 ms");
        assert_eq!(engineering(12.5, "W"), "12.5000 W");
        assert_eq!(engineering(3.2e-8, "J"), "32.0000 nJ");
        assert_eq!(engineering(0.0, "J"), "0.0000 J");
    }
}
