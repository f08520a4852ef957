//! One group's cases: warm each up, plan its samples, then take samples in a seeded
//! random order per round until every case has its plan (or hits `--max-time`).

use super::progress::{time_left, Phase, Progress, Status};
use crate::measure::batch::WindowLimit;
use crate::measure::bencher::{Command, Reply, SampleRequest};
use crate::measure::interrupt::Interrupt;
use crate::measure::phased::{self, Phased};
use crate::measure::record::{Budget, CaseName, CaseRecord};
use crate::measure::registry::CaseRef;
use crate::measure::sampler::Sampler;
use crate::measure::schedule::{self, ScheduleInput};
use crate::measure::worker::Worker;
use crate::setup::config::{self, Config};
use crate::stats::rng::case_seed;
use crate::stats::Rng;
use std::time::{Duration, Instant};

/// What every case of a group shares.
pub(super) struct GroupContext<'a> {
    pub sampler: &'a Sampler,
    pub phased: Option<Phased>,
    pub sensor_period_s: f64,
    pub config: &'a Config,
    pub group_index: u64,
    pub progress: &'a dyn Progress,
    pub interrupt: Interrupt,
}

/// One case while it runs: its record so far, and its thread.
struct CaseRun {
    case: CaseRef,
    rec: CaseRecord,
    worker: Option<Worker>,
    measured_s: f64,
    /// A sample's length as the warm-up foretold it, for the time left before the first.
    first_guess_s: f64,
}

/// The budget of a case: flags and their twins beat the attribute, which beats the default.
fn budget(case: &CaseRef, config: &Config) -> Budget {
    let c = case.case;
    Budget {
        warm_up_s: config
            .warm_up_time
            .or(c.warm_up_time)
            .unwrap_or(config::DEFAULT_WARM_UP_TIME),
        measurement_s: config
            .measurement_time
            .or(c.measurement_time)
            .unwrap_or(config::DEFAULT_MEASUREMENT_TIME),
        max_s: config
            .max_time
            .or(c.max_time)
            .unwrap_or(config::DEFAULT_MAX_TIME),
        sample_size: config
            .sample_size
            .or(c.sample_size)
            .unwrap_or(config::DEFAULT_SAMPLE_SIZE)
            .max(schedule::MIN_SAMPLES),
    }
}

impl CaseRun {
    fn new(case: CaseRef, config: &Config, phased: Option<Phased>) -> CaseRun {
        let rec = CaseRecord {
            name: CaseName {
                id: case.id(),
                group: case.group().to_string(),
                name: case.case.name.to_string(),
                variant: case.variant.clone(),
            },
            budget: budget(&case, config),
            kind: None,
            plan: None,
            phased,
            delays: Vec::new(),
            repeated: 0,
            warm_up_iters: 0,
            throughput: case.case.throughput,
            raw: Vec::new(),
            latency: None,
            failure: None,
            skipped: None,
        };
        CaseRun {
            case,
            rec,
            worker: None,
            measured_s: 0.0,
            first_guess_s: 0.0,
        }
    }

    fn fail(&mut self, message: String) {
        if self.rec.failure.is_none() {
            self.rec.failure = Some(message);
        }
        if let Some(w) = self.worker.take() {
            w.finish();
        }
    }

    fn wants_sample(&self) -> bool {
        let Some(plan) = &self.rec.plan else {
            return false;
        };
        let taken = self.rec.raw.len();
        if self.rec.failure.is_some() || taken >= plan.samples {
            return false;
        }
        // A query case stops only between passes, so that every question counts the same.
        if plan.questions.is_some_and(|q| !q.at_pass_boundary(taken)) {
            return true;
        }
        let per_sample = self.measured_s / taken.max(1) as f64;
        // The hard cap: never start a sample that would end past --max-time, once the
        // minimum number of samples is in.
        taken < schedule::MIN_SAMPLES || self.measured_s + per_sample <= self.rec.budget.max_s
    }

    /// Start the case's thread and warm it up; on success the case has its plan.
    fn warm_up(&mut self, cx: &GroupContext) {
        let spawned = match self.worker.take() {
            Some(attached) => Ok(attached),
            None => Worker::spawn(&self.case, cx.sampler.clone()),
        };
        let mut w = match spawned {
            Ok(w) => w,
            Err(e) => return self.fail(spawn_failure(&e)),
        };
        let budget = self.rec.budget;
        match w.ask(Command::WarmUp(Duration::from_secs_f64(budget.warm_up_s))) {
            Reply::WarmedUp {
                kind,
                iters,
                elapsed,
                questions,
                throughput,
            } => {
                self.rec.kind = Some(kind);
                self.rec.throughput = throughput.or(self.rec.throughput);
                self.rec.warm_up_iters = iters;
                let plan = schedule::plan(ScheduleInput {
                    per_iter_s: elapsed.as_secs_f64() / iters as f64,
                    sample_size: budget.sample_size,
                    measurement_time_s: budget.measurement_s,
                    max_time_s: budget.max_s,
                    sensor_period_s: cx.sensor_period_s,
                    trials: self.rec.phased.map(|p| schedule::Trials {
                        count: phased::MIN_TRIALS,
                        min_s: p.min_trial_s(),
                    }),
                    questions,
                });
                if let Some(p) = self.rec.phased {
                    let seed = case_seed(cx.config.seed, &self.rec.name.id);
                    self.rec.delays = p.delays(plan.samples, seed);
                }
                self.first_guess_s =
                    elapsed.as_secs_f64() / iters as f64 * plan.iters_per_sample as f64;
                self.rec.plan = Some(plan);
                self.worker = Some(w);
            }
            Reply::Skipped(reason) => {
                self.rec.skipped = Some(reason);
                w.finish();
            }
            other => {
                self.worker = Some(w);
                self.fail(failure_message(other));
            }
        }
    }

    /// Ask for the next sample (under the phased protocol, a trial at its delay); returns
    /// whether one was kept.
    fn take_sample(&mut self, cx: &GroupContext) -> bool {
        let taken = self.rec.raw.len();
        let (first_question, iters) = match self.rec.plan.as_ref() {
            Some(p) => match p.questions {
                Some(q) => q.sample(taken),
                None => (0, p.iters_per_sample),
            },
            None => (0, 1),
        };
        let limit = match (&self.rec.plan, self.rec.phased) {
            (Some(p), None) => WindowLimit {
                for_sensors: p.windows_for_sensors,
                single: false,
            },
            _ => WindowLimit::ONE,
        };
        let request = SampleRequest {
            iters,
            limit,
            first_question,
            per_answer_windows: self
                .rec
                .plan
                .as_ref()
                .and_then(|p| p.questions)
                .is_some_and(|q| q.per_answer_windows),
        };
        let trial = match (self.rec.phased, self.rec.delays.get(taken)) {
            (Some(p), Some(&delay)) => Some((p, wait_for_trial(cx.sampler, p.period(), delay))),
            _ => None,
        };
        let reply = match self.worker.as_mut() {
            Some(w) => w.ask(Command::Sample(request)),
            None => Reply::Finished,
        };
        match reply {
            Reply::Sampled(mut s) => {
                self.measured_s += s.elapsed_ns as f64 * 1e-9;
                // A trial that began late has a phase the protocol did not choose: take
                // it again (at most once per planned trial), with the same delay. Not a
                // survival case's: its tasks' first runs are scored once.
                if let Some((p, at)) = trial.filter(|_| s.tasks.is_empty()) {
                    let (start, _) = s.span();
                    let began = cx.sampler.with_trace(|t| t.edge_ns(start));
                    let late = Duration::from_nanos(began).saturating_sub(at);
                    if late > p.max_late() && self.rec.repeated < self.rec.delays.len() {
                        self.rec.repeated += 1;
                        return false;
                    }
                }
                if let Some(h) = s.latency.take() {
                    match &mut self.rec.latency {
                        // Both have the same bounds, so adding cannot fail.
                        Some(all) => all.add(&h).unwrap_or_default(),
                        None => self.rec.latency = Some(h),
                    }
                }
                self.rec.raw.push(*s);
                true
            }
            other => {
                self.fail(failure_message(other));
                false
            }
        }
    }

    /// Report where the case stands: measuring, with its samples done of those planned.
    fn report(&self, cx: &GroupContext) {
        let Some(plan) = &self.rec.plan else {
            return;
        };
        let done = self.rec.raw.len();
        cx.progress.progress(&Status {
            subject: &self.rec.name.id,
            phase: Phase::Measuring,
            done,
            planned: plan.samples,
            left_s: Some(time_left(
                done,
                plan.samples,
                self.measured_s,
                self.first_guess_s,
                self.rec.budget.max_s,
            )),
        });
    }

    /// Stop the thread and note a plan cut short by `--max-time`.
    fn finish(mut self) -> CaseRecord {
        if let Some(w) = self.worker.take() {
            if let Some(m) = w.finish() {
                self.fail(format!("panicked: {m}"));
            }
        }
        let rec = &mut self.rec;
        if let Some(plan) = &mut rec.plan {
            if rec.failure.is_none() && rec.raw.len() < plan.samples {
                plan.notes.push(format!(
                    "stopped after {} of {} samples at --max-time {}",
                    rec.raw.len(),
                    plan.samples,
                    schedule::fmt_s(rec.budget.max_s)
                ));
            }
        }
        self.rec
    }
}

/// Measure a group: warm-up in turn (a case's setup finishes before anything is
/// measured), then interleaved rounds; none when a stop is asked for before the end.
pub(super) fn run_group(cx: GroupContext, members: Vec<CaseRef>) -> Option<Vec<CaseRecord>> {
    let runs: Vec<CaseRun> = members
        .into_iter()
        .map(|c| CaseRun::new(c, cx.config, cx.phased))
        .collect();
    run_cases(cx, runs)
}

/// Measure one case whose bench function runs on another thread, already attached to
/// `worker` ([`Worker::attached`]): the same warm-up, plan and samples, nothing to
/// interleave with; none when a stop is asked for before the end.
pub(super) fn run_attached(cx: GroupContext, case: CaseRef, worker: Worker) -> Option<CaseRecord> {
    let mut run = CaseRun::new(case, cx.config, cx.phased);
    run.worker = Some(worker);
    run_cases(cx, vec![run]).and_then(|mut records| records.pop())
}

fn run_cases(cx: GroupContext, mut runs: Vec<CaseRun>) -> Option<Vec<CaseRecord>> {
    let stopped = |runs: Vec<CaseRun>| {
        cx.progress.progress_done();
        // The case threads end; the records of a group cut short are not kept.
        for r in runs {
            r.finish();
        }
        None
    };
    for r in runs.iter_mut() {
        if cx.interrupt.requested().is_some() {
            return stopped(runs);
        }
        cx.progress.progress(&Status {
            subject: &r.rec.name.id,
            phase: Phase::WarmUp,
            done: 0,
            planned: 0,
            left_s: Some(r.rec.budget.warm_up_s),
        });
        r.warm_up(&cx);
    }
    for r in &runs {
        r.report(&cx);
    }
    let mut rng = Rng::new(cx.config.seed ^ cx.group_index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    loop {
        let mut order: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].wants_sample())
            .collect();
        if order.is_empty() {
            break;
        }
        if cx.config.interleave {
            rng.shuffle(&mut order);
        } else {
            order.truncate(1);
        }
        for i in order {
            if cx.interrupt.requested().is_some() {
                return stopped(runs);
            }
            if runs[i].take_sample(&cx) {
                runs[i].report(&cx);
            }
        }
    }
    cx.progress.progress_done();
    Some(runs.into_iter().map(CaseRun::finish).collect())
}

/// Wait until the next whole sensor period of the run's clock plus `delay`, so that the
/// trial's phase against the sensor is the delay's, whatever time the last one ended;
/// returns that time, since the run's epoch. The last millisecond is spun, not slept: a
/// busy machine oversleeps by more than the 3 ms between two trials' delays.
fn wait_for_trial(sampler: &Sampler, period: Duration, delay: Duration) -> Duration {
    let epoch = sampler.epoch();
    let since = phased::trial_start(epoch.elapsed(), period, delay);
    let at = epoch + since;
    loop {
        let left = at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return since;
        }
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(1));
        } else {
            std::hint::spin_loop();
        }
    }
}

/// The message of a case whose thread could not be started.
pub(super) fn spawn_failure(e: &std::io::Error) -> String {
    format!("cannot start a thread for the case: {e}")
}

/// The message of a reply that ends a case.
pub(crate) fn failure_message(r: Reply) -> String {
    match r {
        Reply::Panicked(m) => format!("panicked: {m}"),
        Reply::Error(m) => m,
        Reply::Finished => {
            "the bench function returned without calling iter, iter_batched or queries".to_string()
        }
        other => format!("unexpected reply from the case: {other:?}"),
    }
}
