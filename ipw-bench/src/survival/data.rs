//! Survival Game input: one outcome per task, its checks, and the errors bad input gives.

use crate::stats::csv_input::At;
use serde::{Deserialize, Serialize};

/// What happened on one task: the failed attempts before the first success, or before the
/// subject gave up at the cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskOutcome {
    /// Task name, as in the input; used to list the tasks never solved.
    pub task: String,
    /// Failed attempts made: before the first success when solved, or all of them (the cap
    /// M for this task) when censored.
    pub failures: u64,
    /// True when no attempt succeeded within the cap: the failure count is then only known
    /// to be at least `failures` (right-censored).
    pub censored: bool,
    /// Joules spent until the first success (or until giving up), if measured.
    pub energy_j: Option<f64>,
    /// Seconds spent until the first success (or until giving up), if measured.
    pub time_s: Option<f64>,
}

impl TaskOutcome {
    /// A solved task: `failures` wrong attempts, then a correct one.
    pub fn solved(task: impl Into<String>, failures: u64) -> TaskOutcome {
        TaskOutcome {
            task: task.into(),
            failures,
            censored: false,
            energy_j: None,
            time_s: None,
        }
    }

    /// A task never solved: `cap` failed attempts and no success.
    pub fn censored(task: impl Into<String>, cap: u64) -> TaskOutcome {
        TaskOutcome {
            censored: true,
            ..TaskOutcome::solved(task, cap)
        }
    }
}

/// Why a Survival Game score could not be computed. Each message says what to change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurvivalError {
    /// No tasks at all.
    #[error("no tasks to score: give at least one row per task (task, failures, censored)")]
    Empty,
    /// Every task is censored, so nothing is known about the successes.
    #[error(
        "all {n} tasks are censored (never solved within the cap): the tail exponent cannot be \
         estimated; raise the attempt cap or add tasks the subject can solve"
    )]
    AllCensored {
        /// Number of tasks.
        n: usize,
    },
    /// Too few tasks with at least one failure to fit a tail.
    #[error(
        "only {n_tail} tasks have {k_min} or more failures, and the tail fit needs at least \
         {needed}: add tasks or raise the attempt cap"
    )]
    TooFewInTail {
        /// Tasks with `failures >= k_min`.
        n_tail: usize,
        /// The smallest k_min tried.
        k_min: u64,
        /// The minimum accepted.
        needed: usize,
    },
    /// A censored task that made no attempt carries no information.
    #[error(
        "task `{task}` is censored with 0 failures: a censored task made at least one failed \
         attempt; set failures to the number of attempts made (the cap)"
    )]
    CensoredWithoutAttempts {
        /// Task name.
        task: String,
    },
    /// A cost (energy or time) that is negative, infinite or NaN.
    #[error("task `{task}`: {column} = {value} is not a finite number >= 0; fix the measurement")]
    BadCost {
        /// Task name.
        task: String,
        /// `energy_j` or `time_s`.
        column: &'static str,
        /// The value given.
        value: f64,
    },
    /// A cost given for some tasks and not for others.
    #[error(
        "task `{task}` has no {column} while other tasks have one: give {column} for every \
         task or for none"
    )]
    MissingCost {
        /// The first task without the cost.
        task: String,
        /// `energy_j` or `time_s`.
        column: &'static str,
    },
    /// A bad setting of the scorer.
    #[error("{setting} = {value}: {expected}")]
    BadConfig {
        /// The setting's name as on the command line.
        setting: &'static str,
        /// The value given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// A CSV header without a required column.
    #[error(
        "row 1: missing column `{column}`; the header needs task, failures, censored \
         (optional: energy_j, time_s)"
    )]
    MissingColumn {
        /// The column's name.
        column: &'static str,
    },
    /// A CSV header that names a column twice.
    #[error("row 1: column `{column}` appears twice (columns {first} and {second}); rename one")]
    DuplicateColumn {
        /// The name, as quoted in messages.
        column: String,
        /// Its first position, from 1.
        first: usize,
        /// Its second position.
        second: usize,
    },
    /// A CSV row with the wrong number of fields.
    #[error("{at} {problem}")]
    BadRow {
        /// Where the row is.
        at: At,
        /// What is wrong and what to do.
        problem: String,
    },
    /// A CSV cell that cannot be read.
    #[error("{at}, column `{column}`: \"{value}\" {problem}")]
    BadField {
        /// Where the row is (the header is row 1).
        at: At,
        /// The column's name.
        column: &'static str,
        /// The cell, control characters escaped and cut to a few dozen characters.
        value: String,
        /// What is wrong and what to write instead.
        problem: String,
    },
    /// The rows themselves cannot be read: a quote never closed, a row without end, a
    /// read error.
    #[error("{problem}")]
    Unreadable {
        /// The problem, with its row.
        problem: String,
    },
    /// Costs too large to add up in f64.
    #[error(
        "the {column} values add up to more than f64 holds (1.8e308): give them in a larger \
         unit"
    )]
    CostOverflow {
        /// `energy_j` or `time_s`.
        column: &'static str,
    },
}

/// Checks that go beyond the types: censored tasks made attempts, costs are sane and given
/// for all tasks or none, and not everything is censored.
pub(crate) fn validate(tasks: &[TaskOutcome]) -> Result<(), SurvivalError> {
    if tasks.is_empty() {
        return Err(SurvivalError::Empty);
    }
    for t in tasks {
        if t.censored && t.failures == 0 {
            return Err(SurvivalError::CensoredWithoutAttempts {
                task: t.task.clone(),
            });
        }
    }
    check_cost(tasks, "energy_j", |t| t.energy_j)?;
    check_cost(tasks, "time_s", |t| t.time_s)?;
    if tasks.iter().all(|t| t.censored) {
        return Err(SurvivalError::AllCensored { n: tasks.len() });
    }
    Ok(())
}

fn check_cost(
    tasks: &[TaskOutcome],
    column: &'static str,
    get: impl Fn(&TaskOutcome) -> Option<f64>,
) -> Result<(), SurvivalError> {
    let any = tasks.iter().any(|t| get(t).is_some());
    for t in tasks {
        match get(t) {
            Some(value) if !(value.is_finite() && value >= 0.0) => {
                return Err(SurvivalError::BadCost {
                    task: t.task.clone(),
                    column,
                    value,
                })
            }
            None if any => {
                return Err(SurvivalError::MissingCost {
                    task: t.task.clone(),
                    column,
                })
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_input_has_its_error() {
        assert_eq!(validate(&[]), Err(SurvivalError::Empty));
        let all = [TaskOutcome::censored("a", 5), TaskOutcome::censored("b", 5)];
        assert_eq!(validate(&all), Err(SurvivalError::AllCensored { n: 2 }));
        let zero = [TaskOutcome::solved("a", 1), TaskOutcome::censored("b", 0)];
        assert!(matches!(
            validate(&zero),
            Err(SurvivalError::CensoredWithoutAttempts { task }) if task == "b"
        ));
        let mut neg = vec![TaskOutcome::solved("a", 1), TaskOutcome::solved("b", 2)];
        neg[0].energy_j = Some(-1.0);
        neg[1].energy_j = Some(1.0);
        assert!(matches!(
            validate(&neg),
            Err(SurvivalError::BadCost {
                column: "energy_j",
                ..
            })
        ));
        neg[0].energy_j = None;
        assert!(matches!(
            validate(&neg),
            Err(SurvivalError::MissingCost { column: "energy_j", task }) if task == "a"
        ));
        neg[1].energy_j = None;
        neg[0].time_s = Some(1.0);
        neg[1].time_s = Some(f64::NAN);
        assert!(matches!(
            validate(&neg),
            Err(SurvivalError::BadCost {
                column: "time_s",
                ..
            })
        ));
    }

    #[test]
    fn messages_say_what_to_do() {
        let m = SurvivalError::AllCensored { n: 3 }.to_string();
        assert!(m.contains("raise the attempt cap"), "{m}");
        let m = SurvivalError::TooFewInTail {
            n_tail: 4,
            k_min: 1,
            needed: 10,
        }
        .to_string();
        assert!(
            m.contains("only 4 tasks") && m.contains("at least 10"),
            "{m}"
        );
    }
}
