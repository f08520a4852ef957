//! Reading task outcomes from CSV: `task,failures,censored[,energy_j][,time_s]`.
//!
//! The header names the columns in any order and any case; other columns are ignored, a
//! name may not appear twice. Rows go through [`crate::stats::csv_input`]: fields may be
//! quoted with `"` (a doubled `""` inside is a quote) and span lines, any line ending
//! works, a byte order mark is dropped, blank lines are skipped. Every error names the row
//! (the header is row 1), the column and the fix, on one short line.

use super::data::{SurvivalError, TaskOutcome};
use crate::stats::csv_input::{duplicate, shown, shown_cell, text, At, Rows, SHOWN_CHARS};
use std::collections::HashMap;
use std::io::Read;

/// Parse CSV text into task outcomes.
pub fn parse_csv(text: &str) -> Result<Vec<TaskOutcome>, SurvivalError> {
    read_csv(text.as_bytes())
}

/// Read task outcomes from CSV, one row at a time.
pub fn read_csv<R: Read>(input: R) -> Result<Vec<TaskOutcome>, SurvivalError> {
    let mut rows = Rows::new(input);
    let unreadable = |e: crate::stats::csv_input::RowError| SurvivalError::Unreadable {
        problem: e.to_string(),
    };
    let Some((_, header)) = rows.next_row().map_err(unreadable)? else {
        return Err(SurvivalError::MissingColumn { column: "task" });
    };
    let names: Vec<String> = header
        .iter()
        .map(|cell| {
            String::from_utf8_lossy(cell)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_lowercase()
        })
        .collect();
    if let Some((name, first, second)) = duplicate(&names) {
        return Err(SurvivalError::DuplicateColumn {
            column: shown(name, SHOWN_CHARS),
            first,
            second,
        });
    }
    let find = |name: &str| names.iter().position(|h| h == name);
    let col = |name: &'static str| find(name).ok_or(SurvivalError::MissingColumn { column: name });
    let (task_col, fail_col, cens_col) = (col("task")?, col("failures")?, col("censored")?);
    let (energy_col, time_col) = (find("energy_j"), find("time_s"));

    let mut tasks = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows_of = Vec::new();
    while let Some((at, fields)) = rows.next_row().map_err(unreadable)? {
        if fields.len() == 1 && fields[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if fields.len() != names.len() {
            let fix = if fields.len() > names.len() {
                "quote fields that contain commas"
            } else {
                "fill in the missing cells"
            };
            return Err(SurvivalError::BadRow {
                at,
                problem: format!(
                    "has {} fields but the header has {}; {fix}",
                    fields.len(),
                    names.len()
                ),
            });
        }
        let cell = |c: usize, column: &'static str| {
            text(&fields[c]).map(str::trim).ok_or_else(|| {
                bad(
                    at,
                    column,
                    &fields[c],
                    "is not valid UTF-8; save the file as UTF-8",
                )
            })
        };
        let task = cell(task_col, "task")?;
        if task.is_empty() {
            return Err(bad(at, "task", b"", "is empty; give every task a name"));
        }
        if let Some(first) = seen.insert(task.to_string(), at.row) {
            return Err(bad(
                at,
                "task",
                task.as_bytes(),
                &format!("repeats the task of row {first}; list each task once"),
            ));
        }
        let failures = parse_failures(cell(fail_col, "failures")?, at)?;
        let censored = match cell(cens_col, "censored")? {
            "0" => false,
            "1" => true,
            other => {
                return Err(bad(
                    at,
                    "censored",
                    other.as_bytes(),
                    "must be 0 (solved) or 1 (never solved within the cap)",
                ))
            }
        };
        if censored && failures == 0 {
            return Err(bad(
                at,
                "failures",
                b"0",
                "is 0 on a censored row: a censored task made at least one failed attempt; \
                 write the number of attempts made (the cap)",
            ));
        }
        let cost = |c: Option<usize>, name: &'static str, unit: &str| match c {
            None => Ok(None),
            Some(c) => parse_cost(cell(c, name)?, at, name, unit),
        };
        let energy_j = cost(energy_col, "energy_j", "joules")?;
        let time_s = cost(time_col, "time_s", "seconds")?;
        tasks.push(TaskOutcome {
            task: task.to_string(),
            failures,
            censored,
            energy_j,
            time_s,
        });
        rows_of.push(at);
    }
    all_or_none(&tasks, &rows_of, "energy_j", |t| t.energy_j.is_some())?;
    all_or_none(&tasks, &rows_of, "time_s", |t| t.time_s.is_some())?;
    Ok(tasks)
}

fn bad(at: At, column: &'static str, value: &[u8], problem: &str) -> SurvivalError {
    SurvivalError::BadField {
        at,
        column,
        value: shown_cell(value),
        problem: problem.to_string(),
    }
}

fn parse_failures(v: &str, at: At) -> Result<u64, SurvivalError> {
    if let Ok(n) = v.parse::<u64>() {
        return Ok(n);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let problem = match v.strip_prefix('-') {
        Some(rest) if digits(rest) && rest.bytes().all(|b| b == b'0') => return Ok(0),
        Some(rest) if digits(rest) => {
            "is negative; failures counts wrong attempts before the first success (0 or more)"
        }
        _ if digits(v.strip_prefix('+').unwrap_or(v)) => {
            "is too large: a failure count is at most 18446744073709551615"
        }
        _ => "is not a whole number; write the count of failed attempts (0, 1, 2, ...)",
    };
    Err(bad(at, "failures", v.as_bytes(), problem))
}

fn parse_cost(
    v: &str,
    at: At,
    column: &'static str,
    unit: &str,
) -> Result<Option<f64>, SurvivalError> {
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        Ok(x) if x.is_infinite() && v.bytes().any(|b| b.is_ascii_digit()) => Err(bad(
            at,
            column,
            v.as_bytes(),
            "is too large for f64 (beyond 1.8e308); give it in a larger unit",
        )),
        _ => Err(bad(
            at,
            column,
            v.as_bytes(),
            &format!("is not a number of {unit} >= 0; leave the cell empty if it was not measured"),
        )),
    }
}

fn all_or_none(
    tasks: &[TaskOutcome],
    rows: &[At],
    column: &'static str,
    has: impl Fn(&TaskOutcome) -> bool,
) -> Result<(), SurvivalError> {
    if !tasks.iter().any(&has) {
        return Ok(());
    }
    match tasks.iter().position(|t| !has(t)) {
        Some(i) => Err(bad(
            rows[i],
            column,
            b"",
            &format!("is empty while other rows have {column}; give it for every task or for none"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_in_any_order_with_quotes() {
        let text = "censored,Task,failures,energy_j,note\n\
                    0,\"a, quoted \"\"name\"\"\",3,1.5,\"x\n\ny\"\n\
                    \n\
                    1,b,10,20,y\r\n";
        let tasks = parse_csv(text).expect("valid");
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].task, "a, quoted \"name\"");
        assert_eq!(tasks[0].failures, 3);
        assert!(!tasks[0].censored && tasks[1].censored);
        assert_eq!(tasks[1].energy_j, Some(20.0));
        assert_eq!(tasks[1].time_s, None);
        for text in [
            "\u{feff}task,failures,censored\ra,1,0\rb,2,0\r",
            "\u{feff}\"task\",failures,censored\r\na,1,0\r\nb,-0,0",
        ] {
            let tasks = parse_csv(text).expect("valid");
            assert_eq!(tasks.len(), 2, "{text:?}");
            assert_eq!(tasks[0].failures, 1);
        }
    }

    #[track_caller]
    fn fails(text: &str, want: &str) {
        let e = parse_csv(text).expect_err(text).to_string();
        assert_eq!(e, want);
    }

    #[test]
    fn each_bad_field_names_row_and_column() {
        let h = "task,failures,censored,energy_j\n";
        fails(
            &format!("{h}a,1,0,1\nb,-2,0,1\n"),
            "row 3, column `failures`: \"-2\" is negative; failures counts wrong attempts \
             before the first success (0 or more)",
        );
        fails(
            &format!("{h}a,18446744073709551616,0,1\n"),
            "row 2, column `failures`: \"18446744073709551616\" is too large: a failure count \
             is at most 18446744073709551615",
        );
        fails(
            &format!("{h}a,1.5,0,1\n"),
            "row 2, column `failures`: \"1.5\" is not a whole number; write the count of \
             failed attempts (0, 1, 2, ...)",
        );
        fails(
            &format!("{h}a,1,2,1\n"),
            "row 2, column `censored`: \"2\" must be 0 (solved) or 1 (never solved within the \
             cap)",
        );
        fails(
            &format!("{h}a,1,0,-4\n"),
            "row 2, column `energy_j`: \"-4\" is not a number of joules >= 0; leave the cell \
             empty if it was not measured",
        );
        fails(
            &format!("{h}a,1,0,1e400\n"),
            "row 2, column `energy_j`: \"1e400\" is too large for f64 (beyond 1.8e308); give \
             it in a larger unit",
        );
        fails(
            &format!("{h}a,1,0,4\nb,2,0,\n"),
            "row 3, column `energy_j`: \"\" is empty while other rows have energy_j; give it \
             for every task or for none",
        );
        fails(
            &format!("{h}a,0,1,1\n"),
            "row 2, column `failures`: \"0\" is 0 on a censored row: a censored task made at \
             least one failed attempt; write the number of attempts made (the cap)",
        );
        fails(
            &format!("{h}a,1,0\n"),
            "row 2 has 3 fields but the header has 4; fill in the missing cells",
        );
        fails(
            &format!("{h}a,1,0,1,9\n"),
            "row 2 has 5 fields but the header has 4; quote fields that contain commas",
        );
        fails(
            &format!("{h}a,1,0,1\n\"x\ny\",2,0,1\na,2,0,1\n"),
            "row 4 (line 5), column `task`: \"a\" repeats the task of row 2; list each task once",
        );
        fails(
            &format!("{h}\"a,1,0,1\n"),
            "row 2: a quoted field is never closed; add the closing '\"'",
        );
        fails(
            "task,failures,Task,censored\n",
            "row 1: column `task` appears twice (columns 1 and 3); rename one",
        );
    }

    #[test]
    fn quoted_cells_are_escaped_and_cut() {
        let name = format!("\"\u{1b}[2J{}\"", "n\n".repeat(300));
        let e = parse_csv(&format!("task,failures,censored\n{name},x,0\n"))
            .expect_err("bad failures")
            .to_string();
        assert!(e.starts_with("row 2, column `failures`: \"x\""), "{e}");
        let e = parse_csv(&format!(
            "task,failures,censored\na,1,0\n{name},1,0\n{name},1,0\n"
        ))
        .expect_err("repeated task")
        .to_string();
        assert!(!e.contains('\n') && !e.contains('\u{1b}'), "{e}");
        assert!(
            e.contains("\"\\u{1b}[2Jn\\nn\\n") && e.contains("...\""),
            "{e}"
        );
        assert!(e.chars().count() < 200, "{e}");
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
