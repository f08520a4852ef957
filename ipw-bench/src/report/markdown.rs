//! `report.md`: a summary for a pull-request comment or a CI step summary.

use super::index_page::change_note;
use crate::analysis::format;
use crate::analysis::Metric;
use crate::measure::sensor::Provenance;
use crate::results::RunResults;
use std::fmt::Write;

/// Text safe inside a Markdown table cell: no cell breaks, no HTML, no accidental
/// emphasis, links or code spans.
pub fn escape_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn provenance_text(p: Provenance) -> &'static str {
    match p {
        Provenance::Measured => "measured",
        Provenance::Reported => "**REPORTED**",
        // Shouted, as on the terminal: an estimate must never pass for a measurement.
        Provenance::Estimated => "**ESTIMATED**",
        Provenance::Synthetic => "**SYNTHETIC**",
    }
}

/// The whole summary.
pub fn render(runs: &[RunResults]) -> String {
    let mut out = String::from("## ipw-bench results\n\n");
    let many = runs.len() > 1;
    for run in runs {
        for w in &run.warnings {
            let _ = writeln!(
                out,
                "> **warning** ({}): {}",
                escape_cell(&run.bench),
                escape_cell(w)
            );
        }
    }
    if runs.iter().any(|r| !r.warnings.is_empty()) {
        out.push('\n');
    }
    if many {
        out.push_str("| bench ");
    }
    out.push_str("| case ");
    for (_, heading) in Metric::index_columns() {
        let _ = write!(out, "| {heading} ");
    }
    out.push_str("| provenance | warnings | vs baseline |\n");
    let columns = Metric::index_columns().count() + 4 + usize::from(many);
    out.push_str(&"|---".repeat(columns));
    out.push_str("|\n");
    let mut intervals: Vec<String> = Vec::new();
    for run in runs {
        for case in &run.cases {
            if many {
                let _ = write!(out, "| {} ", escape_cell(&run.bench));
            }
            let status = match case.status {
                crate::results::Status::Ok => String::new(),
                other => format!(" ({})", format!("{other:?}").to_lowercase()),
            };
            let _ = write!(out, "| {}{status} ", escape_cell(&case.id));
            for (metric, _) in Metric::index_columns() {
                match case.estimates.get(metric.key()) {
                    Some(e) => {
                        let t = format::estimate(e);
                        if !intervals.contains(&t.how) {
                            intervals.push(t.how.clone());
                        }
                        let _ = write!(out, "| {} {} ", escape_cell(&t.point), t.ci);
                    }
                    None => out.push_str("| — "),
                }
            }
            let codes: Vec<String> = case.quality.iter().map(|q| escape_cell(&q.code)).collect();
            let change = change_note(case)
                .map(|c| format!("{} {} {}", c.change, c.ci, escape_cell(&c.verdict)))
                .unwrap_or_else(|| "—".to_string());
            let _ = writeln!(
                out,
                "| {} | {} | {change} |",
                provenance_text(case.provenance),
                if codes.is_empty() {
                    "—".to_string()
                } else {
                    codes.join(", ")
                }
            );
        }
    }
    if !intervals.is_empty() {
        let _ = writeln!(
            out,
            "\nEach cell: estimate [interval] ({}). Change vs baseline: relative change of the \
             headline energy metric [interval].",
            intervals.join("; ")
        );
    }
    let verdicts: Vec<(String, Metric, &String)> = runs
        .iter()
        .flat_map(|r| {
            r.comparisons.iter().flat_map(move |c| {
                c.verdicts
                    .iter()
                    .map(move |v| (c.group.clone(), c.metric, v))
            })
        })
        .collect();
    if !verdicts.is_empty() {
        out.push_str("\n### Verdicts\n\n");
        for (group, metric, line) in verdicts {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                escape_cell(&group),
                escape_cell(&metric.label()),
                escape_cell(line)
            );
        }
    }
    out
}
