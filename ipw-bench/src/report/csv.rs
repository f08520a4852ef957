//! `estimates.csv`: one row per case and metric, full precision, for spreadsheets and
//! scripts; and [`text_field`], the one way ipw-bench and `cargo ipw export` write text
//! into a CSV cell.

use crate::results::RunResults;
use std::fmt::Write;

/// The header row of `estimates.csv`, without the line end.
pub const HEADER: &str = "bench,case_id,group,name,variant,metric,point,ci_low,ci_high,\
                          confidence,method,unit,provenance,status";

/// A text cell (a name, a message), safe for spreadsheets and quoted as RFC 4180 says.
///
/// Spreadsheets read a cell that starts with `=`, `+`, `-` or `@` (some also a tab or a
/// carriage return) as a formula, so a case named `=HYPERLINK(...)` would run when the
/// file is opened. Such text gets a leading `'` (OWASP's advice): shown as text, and easy
/// for a script to strip. Then the cell is quoted when it holds a comma, a quote or a line
/// break. Numbers are written as they are, not through this, so `-1.5` stays a number.
pub fn text_field(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
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
                text_field(&run.bench),
                text_field(&case.id),
                text_field(&case.group),
                text_field(&case.name),
                text_field(case.variant.as_deref().unwrap_or("")),
            ]
            .join(",");
            if case.estimates.is_empty() {
                let _ = writeln!(out, "{head},,,,,,,,{},{status}", case.provenance.as_str());
            }
            for (metric, e) in &case.estimates {
                let _ = writeln!(
                    out,
                    "{head},{},{},{},{},{},{},{},{},{status}",
                    text_field(metric),
                    e.point,
                    e.ci_low,
                    e.ci_high,
                    e.confidence,
                    text_field(&e.method),
                    text_field(&e.unit),
                    e.provenance.as_str()
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text_field;

    #[test]
    fn formulas_are_neutralised_and_quoted() {
        assert_eq!(
            text_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(text_field("-2"), "'-2");
        assert_eq!(text_field("+cmd"), "'+cmd");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("\tx"), "'\tx");
        assert_eq!(text_field("\rx"), "\"'\rx\"");
        assert_eq!(text_field("=1,2"), "\"'=1,2\"");
    }

    #[test]
    fn other_text_is_quoted_only_when_needed() {
        assert_eq!(text_field("plain"), "plain");
        assert_eq!(text_field(""), "");
        assert_eq!(
            text_field("a-b=c"),
            "a-b=c",
            "only the first character matters"
        );
        assert_eq!(text_field("a,b"), "\"a,b\"");
        assert_eq!(text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_field("two\nlines"), "\"two\nlines\"");
    }
}
