//! The lines of a case's block that set it against something: the change against the
//! previous run of the bench (criterion's `change:`) or a baseline, one line per metric,
//! and the outliers among its samples (counted, not removed).

use super::style::Palette;
use crate::analysis::Metric;
use crate::results::{BaselineComparison, CaseResult, MetricChange};

/// The width of a block's row labels (`change:`, `vs main:`).
const LABEL: usize = 11;

/// A metric's name in a change line: its row label without the colon.
fn metric_name(m: Metric) -> &'static str {
    m.terminal_label()
        .map(|l| l.trim_end_matches(':'))
        .unwrap_or(m.key())
}

/// `(p = 0.021)`, `(p < 0.001)`.
fn p_words(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => " (p < 0.001)".to_string(),
        Some(p) => format!(" (p = {p:.3})"),
        None => String::new(),
    }
}

/// `time       [-3.14% +0.00% +3.39%] (p = 1.000) no-change`.
fn metric_line(m: &MetricChange, paint: Palette) -> String {
    format!(
        "{:<10} [{:+.2}% {:+.2}% {:+.2}%]{} {}",
        metric_name(m.metric),
        m.change.ci_low * 100.0,
        m.change.point * 100.0,
        m.change.ci_high * 100.0,
        p_words(m.p_value),
        paint.verdict(m.verdict)
    )
}

/// The block's lines for a comparison labelled `label` (`change:`, `vs main:`) with
/// `against` (`previous run`, `main`): `no previous run` when there is none.
pub(crate) fn change_lines(
    pad: &str,
    label: &str,
    comparison: Option<&BaselineComparison>,
    against: &str,
    paint: Palette,
) -> String {
    let head = format!("{pad}{label:<LABEL$}");
    let Some(b) = comparison else {
        return format!("{head}no {against}\n");
    };
    if b.metrics.is_empty() {
        return format!("{head}nothing comparable in the {against}\n");
    }
    let mut s = String::new();
    for (i, m) in b.metrics.iter().enumerate() {
        let lead = match i {
            0 => head.clone(),
            _ => format!("{pad}{:LABEL$}", ""),
        };
        s.push_str(&format!("{lead}{}\n", metric_line(m, paint)));
    }
    s
}

/// `outliers:  3 of 100 samples (3.0%) in time per iteration: 2 high mild, 1 high severe`,
/// by Tukey's fences as criterion counts them; nothing where none were counted (under
/// four samples, or a file from before they were).
pub(crate) fn outliers_line(pad: &str, c: &CaseResult) -> String {
    let Some(o) = c.outliers else {
        return String::new();
    };
    let head = format!("{pad}{:<LABEL$}", "outliers:");
    if o.total() == 0 {
        return format!(
            "{head}none in {} samples (time per iteration, Tukey's fences)\n",
            o.samples
        );
    }
    let kinds: Vec<String> = [
        (o.low_severe, "low severe"),
        (o.low_mild, "low mild"),
        (o.high_mild, "high mild"),
        (o.high_severe, "high severe"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, kind)| format!("{n} {kind}"))
    .collect();
    format!(
        "{head}{} of {} samples ({:.1}%) in time per iteration: {}\n",
        o.total(),
        o.samples,
        o.total() as f64 * 100.0 / o.samples as f64,
        kinds.join(", ")
    )
}
