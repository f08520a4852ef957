//! The exit codes of a bench binary, and how a finished run chooses one.

use crate::results::{CaseResult, Status};

/// Every case ran and nothing failed the run.
pub(crate) const OK: i32 = 0;
/// A case failed or could not be measured, a file could not be written, or `--strict`
/// found quality warnings.
pub(crate) const CASE_FAILED: i32 = 1;
/// A bad flag, environment value or input: nothing was measured.
pub(crate) const USAGE: i32 = 2;
/// `--fail-on-regression` found a significant regression against the baseline.
pub(crate) const REGRESSION: i32 = 3;

/// What decides the exit code of a measured run.
pub(crate) struct Outcome<'a> {
    pub cases: &'a [CaseResult],
    pub run_warnings: &'a [String],
    /// A file the run had to write could not be written.
    pub write_failed: bool,
    pub fail_on_regression: bool,
    pub strict: bool,
    /// `(case id, metric)` of each regression against the baseline.
    pub regressions: &'a [(String, String)],
}

/// The regressions a gate may fail on: those whose case was measured in two or more
/// processes in this run and in the baseline (`trusted`). A verdict from one process
/// cannot be trusted (what varies most between two runs of unchanged code is the
/// process), so the others are said as warnings and fail the run only with `--strict`.
pub(crate) fn gate(
    regressions: Vec<(String, String)>,
    trusted: impl Fn(&str) -> bool,
    strict: bool,
) -> (Vec<(String, String)>, Vec<String>) {
    let (kept, untrusted): (Vec<_>, Vec<_>) = regressions
        .into_iter()
        .partition(|(id, _)| strict || trusted(id));
    let warnings = untrusted
        .iter()
        .map(|(id, metric)| {
            format!(
                "{id}: {metric} regressed against the baseline, but one of the two runs was                  measured in one process, whose verdict cannot be trusted: the gate does not                  fail on it (measure both with --processes 4, or add --strict)"
            )
        })
        .collect();
    (kept, warnings)
}

/// The exit code, and the error lines that explain it.
pub(crate) fn decide(o: &Outcome) -> (i32, Vec<String>) {
    let failed = o
        .cases
        .iter()
        .any(|c| matches!(c.status, Status::Failed | Status::Invalid));
    let warned = o.cases.iter().any(|c| !c.quality.is_empty()) || !o.run_warnings.is_empty();
    if failed || o.write_failed {
        (CASE_FAILED, Vec::new())
    } else if o.fail_on_regression && !o.regressions.is_empty() {
        let lines = o
            .regressions
            .iter()
            .map(|(id, metric)| format!("{id}: {metric} regressed against the baseline"))
            .collect();
        (REGRESSION, lines)
    } else if o.strict && warned {
        (
            CASE_FAILED,
            vec!["--strict: quality warnings fail the run".to_string()],
        )
    } else {
        (OK, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::synthetic_case;
    use crate::results::QualityWarning;

    fn outcome<'a>(cases: &'a [CaseResult], regressions: &'a [(String, String)]) -> Outcome<'a> {
        Outcome {
            cases,
            run_warnings: &[],
            write_failed: false,
            fail_on_regression: false,
            strict: false,
            regressions,
        }
    }

    #[test]
    fn failures_beat_regressions_which_beat_strictness() {
        let mut cases = vec![synthetic_case("g/a", 1.0, 3, 1, None)];
        let reg = vec![("g/a".to_string(), "energy_per_iter_j".to_string())];
        assert_eq!(decide(&outcome(&cases, &reg)).0, OK);
        let gate = |cases: &[CaseResult]| {
            decide(&Outcome {
                fail_on_regression: true,
                ..outcome(cases, &reg)
            })
        };
        let (code, lines) = gate(&cases);
        assert_eq!(code, REGRESSION);
        assert_eq!(
            lines,
            ["g/a: energy_per_iter_j regressed against the baseline"]
        );
        cases[0].quality.push(QualityWarning {
            code: "high-variation".into(),
            message: "m".into(),
        });
        let strict = decide(&Outcome {
            strict: true,
            ..outcome(&cases, &[])
        });
        assert_eq!(strict.0, CASE_FAILED);
        cases[0].status = Status::Invalid;
        assert_eq!(gate(&cases).0, CASE_FAILED);
        let write = Outcome {
            write_failed: true,
            ..outcome(&[], &[])
        };
        assert_eq!(decide(&write).0, CASE_FAILED);
    }
}
