//! The progress of a run on stderr: on a terminal, one `indicatif` line per case of the
//! group being measured (phase, samples done of planned, time left), cleared when the
//! group's results print; elsewhere, with `--progress`, plain lines at each phase and
//! each tenth of a case's samples, so that a log shows steady progress.
//!
//! The runner reports between samples only; nothing here ticks on its own (a ticking
//! thread would add load to the power being measured, idle power included).

use crate::measure::runner::{Phase, Progress, Status};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::RefCell;

/// Where progress goes.
pub(crate) enum ProgressLines {
    Off,
    /// stderr is a terminal: a redrawn line per subject.
    Terminal {
        multi: MultiProgress,
        bars: RefCell<Vec<(String, Phase, ProgressBar)>>,
    },
    /// `--progress` where stderr is not a terminal: plain lines, each subject's last phase
    /// and tenth.
    Plain {
        last: RefCell<Vec<(String, Phase, usize)>>,
    },
}

impl ProgressLines {
    pub(crate) fn terminal() -> ProgressLines {
        ProgressLines::Terminal {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn plain() -> ProgressLines {
        ProgressLines::Plain {
            last: RefCell::new(Vec::new()),
        }
    }
}

/// `~3.2 s left`, `~2 min left`.
fn left_words(left_s: Option<f64>) -> String {
    match left_s {
        Some(s) if s >= 120.0 => format!(", ~{:.0} min left", s / 60.0),
        Some(s) => format!(", ~{s:.1} s left"),
        None => String::new(),
    }
}

/// The status in words, after the subject: `measuring 40/100, ~3.2 s left`.
pub(crate) fn describe(s: &Status) -> String {
    match s.phase {
        Phase::WarmUp => format!("warming up{}", left_words(s.left_s)),
        Phase::Idle => format!("measuring{}", left_words(s.left_s)),
        Phase::Measuring => format!("measuring {}/{}{}", s.done, s.planned, left_words(s.left_s)),
    }
}

/// The tenth of its plan a subject has reached (10 when it is done).
fn tenth(s: &Status) -> usize {
    (s.done * 10).checked_div(s.planned).unwrap_or(0)
}

/// The plain line for `s`, when it starts a phase or a tenth of the subject's samples
/// (`last`: the subject's phase and tenth at its last line).
pub(crate) fn plain_line(last: Option<(Phase, usize)>, s: &Status) -> Option<String> {
    let now = (s.phase, tenth(s));
    (last != Some(now)).then(|| format!("ipw: {}: {}", s.subject, describe(s)))
}

fn style(phase: Phase) -> ProgressStyle {
    let template = match phase {
        Phase::Measuring => "{prefix:<24} [{bar:30}] {msg}",
        Phase::WarmUp | Phase::Idle => "{prefix:<24} {msg}",
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Progress for ProgressLines {
    fn progress(&self, s: &Status) {
        match self {
            ProgressLines::Off => {}
            ProgressLines::Terminal { multi, bars } => {
                let mut bars = bars.borrow_mut();
                match bars.iter_mut().find(|(id, _, _)| id == s.subject) {
                    Some((_, phase, bar)) => {
                        bar.set_length(s.planned as u64);
                        bar.set_position(s.done as u64);
                        bar.set_message(describe(s));
                        if *phase != s.phase {
                            bar.set_style(style(s.phase));
                            *phase = s.phase;
                        }
                    }
                    None => {
                        // Built whole before it is added, so that it is drawn once.
                        let bar = ProgressBar::new(s.planned as u64)
                            .with_style(style(s.phase))
                            .with_prefix(s.subject.to_string())
                            .with_position(s.done as u64)
                            .with_message(describe(s));
                        let bar = multi.add(bar);
                        bars.push((s.subject.to_string(), s.phase, bar));
                    }
                }
            }
            ProgressLines::Plain { last } => {
                let mut last = last.borrow_mut();
                let at = last.iter().position(|(id, _, _)| id == s.subject);
                let before = at.map(|i| (last[i].1, last[i].2));
                if let Some(line) = plain_line(before, s) {
                    eprintln!("{line}");
                }
                let now = (s.subject.to_string(), s.phase, tenth(s));
                match at {
                    Some(i) => last[i] = now,
                    None => last.push(now),
                }
            }
        }
    }

    fn progress_done(&self) {
        match self {
            ProgressLines::Off => {}
            ProgressLines::Terminal { multi, bars } => {
                for (_, _, bar) in bars.borrow_mut().drain(..) {
                    bar.finish_and_clear();
                    multi.remove(&bar);
                }
                let _ = multi.clear();
            }
            ProgressLines::Plain { last } => last.borrow_mut().clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(phase: Phase, done: usize, planned: usize, left_s: Option<f64>) -> Status<'static> {
        Status {
            subject: "sort/quick",
            phase,
            done,
            planned,
            left_s,
        }
    }

    #[test]
    fn statuses_in_words() {
        assert_eq!(
            describe(&status(Phase::WarmUp, 0, 0, Some(3.0))),
            "warming up, ~3.0 s left"
        );
        assert_eq!(
            describe(&status(Phase::Measuring, 40, 100, Some(3.25))),
            "measuring 40/100, ~3.2 s left"
        );
        assert_eq!(
            describe(&status(Phase::Measuring, 1, 100, Some(600.0))),
            "measuring 1/100, ~10 min left"
        );
        assert_eq!(describe(&status(Phase::Idle, 0, 0, None)), "measuring");
    }

    #[test]
    fn plain_lines_come_at_each_phase_and_tenth() {
        let mut last = None;
        let mut lines = Vec::new();
        let mut feed = |s: Status| {
            if let Some(l) = plain_line(last, &s) {
                lines.push(l);
            }
            last = Some((s.phase, tenth(&s)));
        };
        feed(status(Phase::WarmUp, 0, 0, Some(3.0)));
        for done in 0..=100 {
            feed(status(Phase::Measuring, done, 100, None));
        }
        assert_eq!(lines.len(), 1 + 11, "{lines:#?}");
        assert_eq!(lines[0], "ipw: sort/quick: warming up, ~3.0 s left");
        assert_eq!(lines[1], "ipw: sort/quick: measuring 0/100");
        assert_eq!(lines[2], "ipw: sort/quick: measuring 10/100");
        assert_eq!(lines[11], "ipw: sort/quick: measuring 100/100");
    }

    #[test]
    fn plain_lines_forget_a_group_once_it_is_done() {
        let plain = ProgressLines::plain();
        plain.progress(&status(Phase::Measuring, 3, 10, None));
        if let ProgressLines::Plain { last } = &plain {
            assert_eq!(last.borrow().len(), 1);
        }
        plain.progress_done();
        if let ProgressLines::Plain { last } = &plain {
            assert!(last.borrow().is_empty());
        }
    }
}
