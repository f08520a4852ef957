//! `estimates.csv`: one row per case and metric, full precision, for spreadsheets and scripts.

use crate::results::RunResults;
use std::fmt::Write;

pub const HEADER: &str = "bench,case_id,group,name,variant,metric,point,ci_low,ci_high,\
                          confidence,method,unit,provenance,status";

/// A field quoted when it holds a comma, quote or line break (RFC 4180).
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The whole file. A case without estimates (failed, invalid) still gets one row, with
/// empty metric columns, so that its status is not lost.
pub fn render(runs: &[RunResults]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for run in runs {
        for case in &run.cases {
            let status = format!("{:?}", case.status).to_lowercase();
            let head = [
                field(&run.bench),
                field(&case.id),
                field(&case.group),
                field(&case.name),
                field(case.variant.as_deref().unwrap_or("")),
            ]
            .join(",");
            if case.estimates.is_empty() {
                let _ = writeln!(out, "{head},,,,,,,,{},{status}", case.provenance.as_str());
            }
            for (metric, e) in &case.estimates {
                let _ = writeln!(
                    out,
                    "{head},{},{},{},{},{},{},{},{},{status}",
                    field(metric),
                    e.point,
                    e.ci_low,
                    e.ci_high,
                    e.confidence,
                    field(&e.method),
                    field(&e.unit),
                    e.provenance.as_str()
                );
            }
        }
    }
    out
}
