//! The terminal: criterion-style `[low estimate high]` blocks with the change against
//! the previous run and the baseline, outliers and warnings inside; verdict lines.

use super::changes::{change_lines, outliers_line};
use super::style::Palette;
use crate::analysis::format::{engineering, engineering_rate};
use crate::analysis::questions::{QUESTIONS, SAMPLES_WITHIN_PARTS};
use crate::analysis::Metric;
use crate::measure::sensor::Provenance;
use crate::results::{
    BaselineComparison, CaseResult, Estimate, GroupComparison, RunResults, Status,
};

/// Quality warnings said once per run on stderr rather than in every block: each estimated
/// or synthetic figure carries a short tag instead.
pub(crate) const ONCE_PER_RUN: &[&str] = &["estimated-energy", "synthetic-energy"];

/// What a case's block shows besides the case: how it compares with the previous run of
/// the bench, how it looks, and how much it says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockView<'a> {
    /// `None`: the previous run did not have this case.
    pub previous: Option<&'a BaselineComparison>,
    pub palette: Palette,
    /// `-v`: the plan and the per-run warnings too.
    pub verbose: bool,
}

/// `[low point high]`, with an engineering prefix before `si_unit`, as rates (`k/J`) for
/// the `1/...` units, or as bare numbers (fractions).
fn triple(e: &Estimate, si_unit: Option<&str>) -> String {
    match si_unit {
        None if e.unit.starts_with("1/") => format!(
            "[{} {} {}]",
            engineering_rate(e.ci_low, &e.unit),
            engineering_rate(e.point, &e.unit),
            engineering_rate(e.ci_high, &e.unit)
        ),
        None => format!("[{:.4} {:.4} {:.4}]", e.ci_low, e.point, e.ci_high),
        Some(unit) => format!(
            "[{} {} {}]",
            engineering(e.ci_low, unit),
            engineering(e.point, unit),
            engineering(e.ci_high, unit)
        ),
    }
}

/// A group's verdict lines under its heading.
pub(crate) fn comparison(c: &GroupComparison) -> String {
    let mut s = format!("{} ({}):\n", c.group, c.metric);
    for v in &c.verdicts {
        s.push_str(&format!("  {v}\n"));
    }
    s
}

/// The closing line of a run where some cases did not complete.
pub(crate) fn finished(run: &RunResults) -> Option<String> {
    let failed = run.cases.iter().filter(|c| c.status != Status::Ok).count();
    (failed > 0).then(|| format!("{failed} of {} cases did not complete", run.cases.len()))
}

/// The short tag of a figure computed from energy that is not a measurement.
pub(crate) fn provenance_tag(p: Provenance) -> Option<&'static str> {
    match p {
        Provenance::Measured => None,
        Provenance::Estimated => Some("(est.)"),
        Provenance::Synthetic => Some("(synthetic)"),
        Provenance::Reported => Some("(reported)"),
    }
}

/// The terminal block of one case.
pub(crate) fn human_block(c: &CaseResult, view: &BlockView) -> String {
    let paint = view.palette;
    let pad = " ".repeat(24);
    let mut s = format!("{}\n", paint.heading(&c.id));
    if c.status != Status::Ok {
        let word = match c.status {
            Status::Failed => paint.failure("FAILED"),
            Status::Skipped => paint.caution("SKIPPED"),
            _ => paint.failure("INVALID"),
        };
        s.push_str(&format!(
            "{pad}{word}: {}\n",
            c.message.as_deref().unwrap_or("")
        ));
    }
    let tag = provenance_tag(c.provenance)
        .map(|t| format!("  {}", paint.caution(t)))
        .unwrap_or_default();
    for metric in Metric::ALL {
        let (Some(label), Some(e)) = (metric.terminal_label(), c.estimates.get(metric.key()))
        else {
            continue;
        };
        let label = format!("{label:<11}");
        // Only numbers computed from energy carry its provenance.
        let tail = if metric.from_energy() {
            tag.as_str()
        } else {
            ""
        };
        s.push_str(&format!(
            "{pad}{label}{}{tail}{}\n",
            triple(e, metric.si_unit()),
            resampled_words(c, e)
        ));
    }
    if let Some(q) = &c.question_set {
        s.push_str(&format!(
            "{pad}{:<11}{}\n",
            "questions:",
            questions_line(c, q)
        ));
    }
    if let Some(a) = &c.answers {
        s.push_str(&format!("{pad}{:<11}{}\n", "answers:", answers_line(a)));
    }
    if let Some(sv) = &c.survival {
        s.push_str(&format!(
            "{pad}{:<11}a = {:.2} [{:.2} {:.2}], {}; pass@1 {:.3}, censored {:.1}%\n",
            "survival:",
            sv.alpha,
            sv.alpha_ci_low,
            sv.alpha_ci_high,
            serde_json::to_value(sv.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_uppercase))
                .unwrap_or_default(),
            sv.summary.pass_at_1,
            sv.summary.censored_fraction * 100.0
        ));
        if let Some(e) = &sv.energy {
            s.push_str(&format!(
                "{pad}{:<11}[{} {} {}] to first success{tag}\n",
                "J/solve:",
                engineering(e.mean_to_first_success.low, "J"),
                engineering(e.mean_to_first_success.point, "J"),
                engineering(e.mean_to_first_success.high, "J"),
            ));
        }
    }
    if c.status == Status::Ok {
        s.push_str(&change_lines(
            &pad,
            "change:",
            view.previous,
            "previous run",
            paint,
        ));
        if let Some(b) = &c.baseline {
            s.push_str(&change_lines(
                &pad,
                &format!("vs {}:", b.name),
                Some(b),
                &b.name,
                paint,
            ));
        }
        s.push_str(&outliers_line(&pad, c));
    }
    if view.verbose {
        s.push_str(&plan_line(&pad, c));
    }
    for q in &c.quality {
        if view.verbose || !ONCE_PER_RUN.contains(&q.code.as_str()) {
            s.push_str(&format!(
                "{pad}{} {}\n",
                paint.caution("warning:"),
                q.message
            ));
        }
    }
    s
}

/// `plan:      8 samples of 1000 iterations; warm-up 3 s (120000 iterations)`.
fn plan_line(pad: &str, c: &CaseResult) -> String {
    let p = &c.plan;
    format!(
        "{pad}{:<11}{} samples of {} iterations; warm-up {} s ({} iterations)\n",
        "plan:",
        c.samples.len(),
        p.iters_per_sample,
        p.warm_up_time_s,
        p.warm_up_iters
    )
}

/// What an interval varies over, in words, where that is not the samples of this run.
fn resampled_words(c: &CaseResult, e: &Estimate) -> String {
    match e.resampled.as_deref() {
        Some(QUESTIONS) => match &c.question_set {
            Some(q) => format!("  over {} questions", q.questions),
            None => "  over questions".to_string(),
        },
        Some(SAMPLES_WITHIN_PARTS) => "  this question set, repeat to repeat".to_string(),
        _ => String::new(),
    }
}

/// `400 x 46 passes, energy per answer by time share; detects 6.4 pts of accuracy at 80%
/// power (paired)`.
fn questions_line(c: &CaseResult, q: &crate::results::QuestionSet) -> String {
    let mut s = format!(
        "{} x {} {}, energy by {}",
        q.questions,
        q.passes,
        if q.passes == 1 { "pass" } else { "passes" },
        q.energy_method.replace('-', " ")
    );
    if let Some(d) = c.sizing.and_then(|z| z.minimum_detectable_difference) {
        s.push_str(&format!(
            "; a paired comparison detects {:.1} pts of accuracy ({:.0}% power)",
            d * 100.0,
            c.sizing.map_or(0.0, |z| z.power) * 100.0
        ));
    }
    s
}

/// `1000 queries: 812 correct, 174 incorrect, 14 unjudged` (credit to two decimals when
/// outcomes were scores).
pub fn answers_line(a: &crate::results::Answers) -> String {
    let num = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    format!(
        "{} queries: {} correct, {} incorrect, {} unjudged",
        a.queries,
        num(a.correct),
        num(a.incorrect),
        a.unjudged
    )
}
