//! The sampling schedule: how many iterations per sample and how many samples.
//!
//! Flat sampling: every sample of a case runs the same number of iterations. A sample must
//! last at least [`SENSOR_PERIODS_PER_SAMPLE`] update periods of the slowest active sensor,
//! so that the sensor's quantization stays small against the sample's energy. Under the
//! phased GPU protocol each sample is a trial: there are at least as many as the protocol
//! needs, and each lasts long enough to keep readings after the sensor's rise time.

/// Sensor update periods a sample must span.
pub const SENSOR_PERIODS_PER_SAMPLE: f64 = 10.0;
/// Sensor update periods each energy window of a batched sample must span: below two,
/// attribution flags a window `short-window`.
pub const SENSOR_PERIODS_PER_WINDOW: f64 = 2.0;
/// The fewest samples a case may take (slow query cases).
pub const MIN_SAMPLES: usize = 2;

/// What the schedule needs to know about one case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScheduleInput {
    /// Seconds per iteration, from the warm-up.
    pub per_iter_s: f64,
    pub sample_size: usize,
    pub measurement_time_s: f64,
    /// Hard cap on the case's measured time.
    pub max_time_s: f64,
    /// The slowest active sensor's update period (leaving out those that `trials` covers).
    pub sensor_period_s: f64,
    /// Samples as trials of the phased GPU protocol.
    pub trials: Option<Trials>,
    /// Query cases: the size of the question set, which samples cover in whole passes.
    pub questions: Option<usize>,
}

/// What the phased GPU protocol asks of the samples of a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trials {
    /// The fewest trials.
    pub count: usize,
    /// The shortest trial, seconds: the sensor's rise time and readings after it.
    pub min_s: f64,
}

/// The schedule of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub iters_per_sample: u64,
    pub samples: usize,
    /// Energy windows a sample can be cut into (`iter_batched`'s batches) with each still
    /// spanning [`SENSOR_PERIODS_PER_WINDOW`] updates of the slowest sensor; at least 1.
    pub windows_for_sensors: u64,
    /// Expected seconds of measurement.
    pub expected_s: f64,
    /// Why the plan differs from what was asked, if it does.
    pub notes: Vec<String>,
    /// Query cases: how the samples cover the question set.
    pub questions: Option<QuestionPlan>,
}

/// How the samples of a query case cover its question set: every sample holds the same
/// number of whole passes, or each sample is one chunk of a pass and the case takes whole
/// passes of chunks. Either way every question is asked equally often.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuestionPlan {
    /// Questions in the set.
    pub questions: usize,
    /// Whole passes in each sample (1 when samples are chunks).
    pub passes_per_sample: u64,
    /// Samples per pass: 1 when samples hold whole passes, else the chunks of a pass.
    pub chunks_per_pass: usize,
    /// Whether each answer lasts long enough for an energy window of its own.
    pub per_answer_windows: bool,
}

impl QuestionPlan {
    /// The question sample `k` begins with, and its number of answers.
    pub fn sample(&self, k: usize) -> (usize, u64) {
        if self.chunks_per_pass <= 1 {
            return (0, self.passes_per_sample * self.questions as u64);
        }
        let c = k % self.chunks_per_pass;
        let start = c * self.questions / self.chunks_per_pass;
        let end = (c + 1) * self.questions / self.chunks_per_pass;
        (start, (end - start) as u64)
    }

    /// Whether `taken` samples end on a pass boundary.
    pub fn at_pass_boundary(&self, taken: usize) -> bool {
        taken.is_multiple_of(self.chunks_per_pass.max(1))
    }
}

/// Plan the samples of one case.
pub fn plan(input: ScheduleInput) -> Plan {
    let per_iter = input.per_iter_s.max(1e-10);
    let sensor_min_s = SENSOR_PERIODS_PER_SAMPLE * input.sensor_period_s;
    let trial_min_s = input.trials.map_or(0.0, |t| t.min_s);
    let min_sample_s = sensor_min_s.max(trial_min_s);
    let mut notes = Vec::new();
    let mut wanted = input.sample_size.max(MIN_SAMPLES);
    if let Some(t) = input.trials.filter(|t| t.count > wanted) {
        notes.push(format!(
            "sample size raised from {wanted} to {}: the phased GPU protocol takes at least \
             {} trials",
            t.count, t.count
        ));
        wanted = t.count;
    }
    let per_sample_budget = input.measurement_time_s / wanted as f64;
    let sample_s = per_sample_budget.max(min_sample_s);
    if per_sample_budget < min_sample_s {
        notes.push(if trial_min_s > sensor_min_s {
            format!(
                "samples lengthened to {} so that each phased GPU trial keeps readings after \
                 the sensor's rise time",
                fmt_s(min_sample_s)
            )
        } else {
            format!(
                "samples lengthened to {} so that each spans {} updates of the slowest sensor \
                 ({})",
                fmt_s(min_sample_s),
                SENSOR_PERIODS_PER_SAMPLE,
                fmt_s(input.sensor_period_s)
            )
        });
    }
    let mut iters = ((sample_s / per_iter).ceil() as u64).max(1);
    let mut questions = None;
    if let Some(n) = input.questions.filter(|&n| n > 0) {
        let pass_s = n as f64 * per_iter;
        let per_answer_windows = input.trials.is_none() && per_iter >= sensor_min_s;
        if pass_s <= sample_s || n == 1 {
            // Whole passes in every sample: round the sample up to a whole pass.
            let passes = iters.div_ceil(n as u64).max(1);
            iters = passes * n as u64;
            questions = Some(QuestionPlan {
                questions: n,
                passes_per_sample: passes,
                chunks_per_pass: 1,
                per_answer_windows,
            });
        } else {
            let chunks = ((pass_s / sample_s).ceil() as usize).clamp(2, n);
            let q = QuestionPlan {
                questions: n,
                passes_per_sample: 1,
                chunks_per_pass: chunks,
                per_answer_windows,
            };
            return chunked_plan(input, q, pass_s, wanted, notes);
        }
    }
    let actual_sample_s = iters as f64 * per_iter;
    let mut samples = wanted;
    let fit = (input.max_time_s / actual_sample_s).floor();
    if (samples as f64) > fit {
        samples = (fit as usize).max(MIN_SAMPLES);
        notes.push(format!(
            "cannot take {wanted} samples of {} within --max-time {}: taking {samples}",
            fmt_s(actual_sample_s),
            fmt_s(input.max_time_s)
        ));
    }
    Plan {
        iters_per_sample: iters,
        samples,
        windows_for_sensors: windows_for_sensors(actual_sample_s, input.sensor_period_s),
        expected_s: samples as f64 * actual_sample_s,
        notes,
        questions,
    }
}

/// Energy windows a sample can be cut into with each still spanning
/// [`SENSOR_PERIODS_PER_WINDOW`] updates of the slowest sensor; at least 1.
fn windows_for_sensors(sample_s: f64, sensor_period_s: f64) -> u64 {
    ((sample_s / (SENSOR_PERIODS_PER_WINDOW * sensor_period_s)).floor() as u64).max(1)
}

/// A query case whose pass is longer than a sample: each sample is one chunk of a pass,
/// and the case takes whole passes (at least one, even past `--max-time`, since a part of
/// the question set would weigh its questions unequally).
fn chunked_plan(
    input: ScheduleInput,
    q: QuestionPlan,
    pass_s: f64,
    wanted: usize,
    mut notes: Vec<String>,
) -> Plan {
    let chunks = q.chunks_per_pass;
    let mut passes = wanted.div_ceil(chunks).max(1);
    let fit = ((input.max_time_s / pass_s).floor() as usize).max(1);
    if passes > fit {
        passes = fit;
    }
    let n = q.questions;
    notes.push(format!(
        "one pass over the {n} questions takes about {}, longer than a sample: each sample \
         answers one of {chunks} chunks of a pass, and the case answers {passes} whole {}",
        fmt_s(pass_s),
        if passes == 1 { "pass" } else { "passes" }
    ));
    if pass_s > input.max_time_s {
        notes.push(format!(
            "one pass takes longer than --max-time {}: the case answers one whole pass all \
             the same (a part of the set would weigh its questions unequally); give fewer \
             questions or a larger --max-time",
            fmt_s(input.max_time_s)
        ));
    }
    let chunk_s = pass_s / chunks as f64;
    Plan {
        iters_per_sample: (n / chunks) as u64,
        samples: passes * chunks,
        windows_for_sensors: windows_for_sensors(chunk_s, input.sensor_period_s),
        expected_s: passes as f64 * pass_s,
        notes,
        questions: Some(q),
    }
}

/// Seconds in a short human form.
pub fn fmt_s(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ScheduleInput {
        ScheduleInput {
            per_iter_s: 1.0 / 1024.0 / 1024.0,
            sample_size: 100,
            measurement_time_s: 5.0,
            max_time_s: 60.0,
            sensor_period_s: 1e-3,
            trials: None,
            questions: None,
        }
    }

    #[test]
    fn fast_routine_fills_the_measurement_time() {
        let p = plan(input());
        assert_eq!(p.samples, 100);
        assert_eq!(p.iters_per_sample, 52_429);
        // Whole iterations: at most one iteration per sample over the target.
        assert!(p.expected_s >= 5.0 && p.expected_s - 5.0 < 100.0 * input().per_iter_s);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn slow_sensor_lengthens_samples() {
        let p = plan(ScheduleInput {
            sensor_period_s: 0.1,
            ..input()
        });
        assert_eq!(p.iters_per_sample, 1_048_576);
        assert_eq!(p.samples, 60);
        assert_eq!(p.notes.len(), 2);
    }

    #[test]
    fn slow_queries_get_at_least_two_samples() {
        let p = plan(ScheduleInput {
            per_iter_s: 40.0,
            max_time_s: 30.0,
            ..input()
        });
        assert_eq!(p.samples, MIN_SAMPLES);
        assert_eq!(p.iters_per_sample, 1);
        assert!(p.notes[0].contains("taking 2"), "{:?}", p.notes);
    }

    #[test]
    fn phased_trials_raise_the_count_and_the_length() {
        let trials = Some(Trials {
            count: 32,
            min_s: 0.525,
        });
        let p = plan(ScheduleInput {
            per_iter_s: 0.1,
            sample_size: 4,
            measurement_time_s: 0.3,
            trials,
            ..input()
        });
        assert_eq!(p.samples, 32);
        assert_eq!(p.iters_per_sample, 6);
        assert!(p.notes[0].contains("raised from 4 to 32"), "{:?}", p.notes);
        assert!(p.notes[1].contains("rise time"), "{:?}", p.notes);
        // Enough asked for already: no note, and the sensor floor still holds when longer.
        let p = plan(ScheduleInput {
            per_iter_s: 0.1,
            sample_size: 40,
            measurement_time_s: 40.0,
            sensor_period_s: 0.1,
            trials,
            ..input()
        });
        assert_eq!((p.samples, p.iters_per_sample), (40, 10));
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        let p = plan(ScheduleInput {
            per_iter_s: 0.01,
            measurement_time_s: 0.3,
            sensor_period_s: 0.2,
            trials,
            ..input()
        });
        assert_eq!(p.iters_per_sample, 200);
        assert!(
            p.notes[0].contains("updates of the slowest sensor"),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn batched_windows_keep_two_sensor_updates_each() {
        // 50 ms samples over a 1 ms sensor: 25 windows of 2 ms would fit.
        let p = plan(input());
        assert_eq!(p.windows_for_sensors, 25);
        // 1 s samples over a 100 ms sensor: 5.
        let p = plan(ScheduleInput {
            sensor_period_s: 0.1,
            ..input()
        });
        assert_eq!(p.windows_for_sensors, 5);
        // A sample at the floor of 10 periods with a slow routine: 1 when the iterations
        // leave less than 2 periods per window.
        let p = plan(ScheduleInput {
            per_iter_s: 0.5,
            sensor_period_s: 0.1,
            sample_size: 10,
            ..input()
        });
        assert_eq!(p.iters_per_sample, 2);
        assert_eq!(p.windows_for_sensors, 5);
        let p = plan(ScheduleInput {
            sensor_period_s: 0.0,
            ..input()
        });
        assert!(p.windows_for_sensors >= 1);
    }
}
