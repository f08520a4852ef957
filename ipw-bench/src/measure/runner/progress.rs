//! What the runner says about its progress, as plain data: the phase of a case (or of
//! idle power), the samples done of those planned, and an estimate of the time left.
//! The runner reports between samples only, never inside a measured window; how the
//! status is drawn is the output stage's business.

/// What a case (or the idle measurement) is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    WarmUp,
    Measuring,
    Idle,
}

/// One status update.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Status<'a> {
    /// The case id, or `idle power before the cases` / `... after ...`.
    pub subject: &'a str,
    pub phase: Phase,
    /// Samples taken so far (0 while warming up or idle).
    pub done: usize,
    /// Samples planned (0 while warming up or idle: not known yet, or none).
    pub planned: usize,
    /// Seconds left in this phase for this subject, when they can be told.
    pub left_s: Option<f64>,
}

/// Where the runner reports what it is doing while it measures.
pub(crate) trait Progress {
    /// A subject's status changed.
    fn progress(&self, status: &Status);
    /// The group (or idle measurement) is over: its status lines are no longer needed.
    fn progress_done(&self);
}

/// Seconds left for a case with `done` of `planned` samples, from the mean sample so far
/// (`measured_s` over `done`), or from the warm-up's `first_guess_s` per sample before the
/// first; never past what `--max-time` leaves (`max_s - measured_s`).
pub(crate) fn time_left(
    done: usize,
    planned: usize,
    measured_s: f64,
    first_guess_s: f64,
    max_s: f64,
) -> f64 {
    let per_sample = if done == 0 {
        first_guess_s
    } else {
        measured_s / done as f64
    };
    let left = planned.saturating_sub(done) as f64 * per_sample;
    left.min((max_s - measured_s).max(0.0)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_uses_the_mean_sample_and_stops_at_the_cap() {
        assert_eq!(time_left(0, 10, 0.0, 0.5, 60.0), 5.0);
        assert_eq!(time_left(4, 10, 2.0, 9.0, 60.0), 3.0);
        assert_eq!(time_left(10, 10, 5.0, 0.5, 60.0), 0.0);
        // 50 s measured under a 55 s cap: at most 5 s are left, whatever the plan.
        assert_eq!(time_left(5, 100, 50.0, 0.5, 55.0), 5.0);
        assert_eq!(time_left(5, 100, 70.0, 0.5, 55.0), 0.0);
    }
}
