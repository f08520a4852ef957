//! Reading task outcomes from CSV: `task,failures,censored[,energy_j][,time_s]`.
//!
//! The header names the columns in any order; other columns are ignored. Fields may be
//! quoted with `"` (a doubled `""` inside is a quote), but not span lines. Blank lines are
//! skipped. Every error names the line (the header is line 1), the column and the fix.

use super::data::{SurvivalError, TaskOutcome};
use std::collections::HashMap;

/// Parse CSV text into task outcomes.
pub fn parse_csv(text: &str) -> Result<Vec<TaskOutcome>, SurvivalError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(SurvivalError::MissingColumn { column: "task" });
    };
    let names: Vec<String> = split(header, header_line)?
        .into_iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|h| h == name);
    let col = |name: &'static str| find(name).ok_or(SurvivalError::MissingColumn { column: name });
    let (task_col, fail_col, cens_col) = (col("task")?, col("failures")?, col("censored")?);
    let (energy_col, time_col) = (find("energy_j"), find("time_s"));

    let mut tasks = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lines_of = Vec::new();
    for (line, row) in lines {
        let fields = split(row, line)?;
        if fields.len() != names.len() {
            return Err(bad(
                line,
                "(row)",
                row,
                format!(
                    "has {} fields but the header has {}; quote fields that contain commas",
                    fields.len(),
                    names.len()
                ),
            ));
        }
        let task = fields[task_col].trim().to_string();
        if task.is_empty() {
            return Err(bad(
                line,
                "task",
                "",
                "is empty; give every task a name".into(),
            ));
        }
        if let Some(first) = seen.insert(task.clone(), line) {
            return Err(bad(
                line,
                "task",
                &task,
                format!("repeats the task of line {first}; list each task once"),
            ));
        }
        let failures = parse_failures(&fields[fail_col], line)?;
        let censored = match fields[cens_col].trim() {
            "0" => false,
            "1" => true,
            other => {
                return Err(bad(
                    line,
                    "censored",
                    other,
                    "must be 0 (solved) or 1 (never solved within the cap)".into(),
                ))
            }
        };
        if censored && failures == 0 {
            return Err(bad(
                line,
                "failures",
                "0",
                "is 0 on a censored row: a censored task made at least one failed attempt; \
                 write the number of attempts made (the cap)"
                    .into(),
            ));
        }
        let cost = |c: Option<usize>, name: &str, unit: &str| {
            c.map_or(Ok(None), |c| parse_cost(&fields[c], line, name, unit))
        };
        tasks.push(TaskOutcome {
            task,
            failures,
            censored,
            energy_j: cost(energy_col, "energy_j", "joules")?,
            time_s: cost(time_col, "time_s", "seconds")?,
        });
        lines_of.push(line);
    }
    all_or_none(&tasks, &lines_of, "energy_j", |t| t.energy_j.is_some())?;
    all_or_none(&tasks, &lines_of, "time_s", |t| t.time_s.is_some())?;
    Ok(tasks)
}

fn bad(line: usize, column: &str, value: &str, problem: String) -> SurvivalError {
    SurvivalError::BadField {
        line,
        column: column.to_string(),
        value: value.to_string(),
        problem,
    }
}

fn parse_failures(raw: &str, line: usize) -> Result<u64, SurvivalError> {
    let v = raw.trim();
    v.parse::<u64>().map_err(|_| {
        let problem = if v.parse::<i128>().is_ok() {
            "is negative; failures counts wrong attempts before the first success (0 or more)"
        } else {
            "is not a whole number; write the count of failed attempts (0, 1, 2, ...)"
        };
        bad(line, "failures", v, problem.into())
    })
}

fn parse_cost(
    raw: &str,
    line: usize,
    column: &str,
    unit: &str,
) -> Result<Option<f64>, SurvivalError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(bad(
            line,
            column,
            v,
            format!("is not a number of {unit} >= 0; leave the cell empty if it was not measured"),
        )),
    }
}

fn all_or_none(
    tasks: &[TaskOutcome],
    lines: &[usize],
    column: &str,
    has: impl Fn(&TaskOutcome) -> bool,
) -> Result<(), SurvivalError> {
    if !tasks.iter().any(&has) {
        return Ok(());
    }
    match tasks.iter().position(|t| !has(t)) {
        Some(i) => Err(bad(
            lines[i],
            column,
            "",
            format!("is empty while other rows have {column}; give it for every task or for none"),
        )),
        None => Ok(()),
    }
}

/// Split one CSV line into fields, unquoting quoted ones.
fn split(row: &str, line: usize) -> Result<Vec<String>, SurvivalError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = row.trim_end_matches('\r').chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(bad(
            line,
            "(row)",
            row,
            "has an unclosed quote; close it on the same line".into(),
        ));
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_in_any_order_with_quotes() {
        let text = "censored,task,failures,energy_j,note\n\
                    0,\"a, quoted \"\"name\"\"\",3,1.5,x\n\
                    \n\
                    1,b,10,20,y\r\n";
        let tasks = parse_csv(text).expect("valid");
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].task, "a, quoted \"name\"");
        assert_eq!(tasks[0].failures, 3);
        assert!(!tasks[0].censored && tasks[1].censored);
        assert_eq!(tasks[1].energy_j, Some(20.0));
        assert_eq!(tasks[1].time_s, None);
    }

    fn field_error(text: &str) -> (usize, String, String) {
        match parse_csv(text) {
            Err(SurvivalError::BadField {
                line,
                column,
                problem,
                ..
            }) => (line, column, problem),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_names_line_and_column() {
        let h = "task,failures,censored,energy_j\n";
        let (l, c, p) = field_error(&format!("{h}a,1,0,1\nb,-2,0,1\n"));
        assert_eq!((l, c.as_str()), (3, "failures"));
        assert!(p.contains("negative"), "{p}");
        let (l, c, p) = field_error(&format!("{h}a,1.5,0,1\n"));
        assert_eq!((l, c.as_str()), (2, "failures"));
        assert!(p.contains("whole number"), "{p}");
        let (l, c, p) = field_error(&format!("{h}a,1,2,1\n"));
        assert_eq!((l, c.as_str()), (2, "censored"));
        assert!(p.contains("0 (solved) or 1"), "{p}");
        let (l, c, _) = field_error(&format!("{h}a,1,0,-4\n"));
        assert_eq!((l, c.as_str()), (2, "energy_j"));
        let (l, c, p) = field_error(&format!("{h}a,1,0,4\nb,2,0,\n"));
        assert_eq!((l, c.as_str()), (3, "energy_j"));
        assert!(p.contains("every task or for none"), "{p}");
        let (l, c, p) = field_error(&format!("{h}a,0,1,1\n"));
        assert_eq!((l, c.as_str()), (2, "failures"));
        assert!(p.contains("censored row"), "{p}");
        let (l, c, _) = field_error(&format!("{h}a,1,0\n"));
        assert_eq!((l, c.as_str()), (2, "(row)"));
        let (l, c, p) = field_error(&format!("{h}a,1,0,1\na,2,0,1\n"));
        assert_eq!((l, c.as_str()), (3, "task"));
        assert!(p.contains("line 2"), "{p}");
        let (l, _, p) = field_error(&format!("{h}\"a,1,0,1\n"));
        assert_eq!(l, 2);
        assert!(p.contains("unclosed quote"), "{p}");
    }

    #[test]
    fn missing_columns() {
        assert_eq!(
            parse_csv("task,failures\na,1\n"),
            Err(SurvivalError::MissingColumn { column: "censored" })
        );
        assert_eq!(
            parse_csv(""),
            Err(SurvivalError::MissingColumn { column: "task" })
        );
        assert_eq!(parse_csv("task,failures,censored\n"), Ok(vec![]));
    }
}
