//! The runner: one measuring session (the sampler, idle power before and after) and the
//! groups of cases measured in it, one group at a time.
//!
//! Under `--gpu-protocol phased`, where GPU energy comes only from NVML, every sample is a
//! trial of [`crate::measure::phased`]: the runner sleeps until a whole sensor period plus
//! the sample's delay before asking for it.
//!
//! A stop asked for by a signal ([`crate::measure::interrupt`]) is honoured between
//! samples: the group in flight is abandoned and the idle windows are cut short.

mod group;
mod progress;
mod test_mode;

pub(crate) use group::failure_message;
pub(crate) use progress::{Phase, Progress, Status};
pub(crate) use test_mode::{profile_case, test_case};

use crate::measure::interrupt::Interrupt;
use crate::measure::phased::Phased;
use crate::measure::record::{CaseRecord, EdgeId, Trace};
use crate::measure::registry::CaseRef;
use crate::measure::sampler::Sampler;
use crate::measure::sensor::{Sensor, SensorInfo};
use crate::setup::config::Config;
use std::time::Duration;

/// How often the sampler polls between edges (for wrap safety and the power trace).
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// A measuring session: the sampler over the run's sources, and idle power before the
/// first group.
pub(crate) struct Session {
    sampler: Sampler,
    phased: Option<Phased>,
    /// The slowest update period of the sources the protocol does not cover, seconds.
    sensor_period_s: f64,
    idle_time: Duration,
    idle_before: Option<(EdgeId, EdgeId)>,
    interrupt: Interrupt,
}

impl Session {
    /// Start sampling `sensors` and measure idle power for `idle_time_s` (0: none), until
    /// `interrupt` asks to stop.
    pub(crate) fn start(
        sensors: Vec<Box<dyn Sensor>>,
        phased: Option<Phased>,
        idle_time_s: f64,
        interrupt: Interrupt,
        progress: &dyn Progress,
    ) -> Session {
        let infos: Vec<SensorInfo> = sensors.iter().map(|s| s.info().clone()).collect();
        // The protocol's trials have their own floor; the other sources keep theirs.
        let sensor_period_s = infos
            .iter()
            .filter(|s| !phased.is_some_and(|p| p.applies_to(s)))
            .map(|s| s.update_period.as_secs_f64())
            .fold(1e-3, f64::max);
        let mut session = Session {
            sampler: Sampler::start(sensors, POLL_INTERVAL),
            phased,
            sensor_period_s,
            idle_time: Duration::from_secs_f64(idle_time_s),
            idle_before: None,
            interrupt,
        };
        session.idle_before = session.idle_window(progress, "before");
        session
    }

    /// Measure idle power: an edge, a sleep, an edge; none when a stop cut the sleep short.
    fn idle_window(&self, progress: &dyn Progress, when: &str) -> Option<(EdgeId, EdgeId)> {
        if self.idle_time.is_zero() {
            return None;
        }
        let subject = format!("idle power {when} the cases");
        progress.progress(&Status {
            subject: &subject,
            phase: Phase::Idle,
            done: 0,
            planned: 0,
            left_s: Some(self.idle_time.as_secs_f64()),
        });
        let a = self.sampler.edge();
        let slept = self.interrupt.sleep(self.idle_time);
        let b = self.sampler.edge();
        progress.progress_done();
        slept.then_some((a, b))
    }

    /// The idle window before the first group, if one was measured.
    pub(crate) fn idle_before(&self) -> Option<(EdgeId, EdgeId)> {
        self.idle_before
    }

    /// Measure one group's cases, interleaved; returns one record per case, in order, or
    /// none when a stop was asked for before the group finished.
    pub(crate) fn run_group(
        &self,
        members: Vec<CaseRef>,
        config: &Config,
        group_index: u64,
        progress: &dyn Progress,
    ) -> Option<Vec<CaseRecord>> {
        group::run_group(
            group::GroupContext {
                sampler: &self.sampler,
                phased: self.phased,
                sensor_period_s: self.sensor_period_s,
                config,
                group_index,
                progress,
                interrupt: self.interrupt,
            },
            members,
        )
    }

    /// Measure one case whose bench function runs on another thread, attached to `worker`;
    /// none when a stop was asked for before it finished.
    pub(crate) fn run_attached(
        &self,
        case: CaseRef,
        worker: crate::measure::worker::Worker,
        config: &Config,
        group_index: u64,
        progress: &dyn Progress,
    ) -> Option<CaseRecord> {
        let cx = group::GroupContext {
            sampler: &self.sampler,
            phased: self.phased,
            sensor_period_s: self.sensor_period_s,
            config,
            group_index,
            progress,
            interrupt: self.interrupt,
        };
        group::run_attached(cx, case, worker)
    }

    /// The sampler, for the Benchers of cases that run on another thread.
    pub(crate) fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// The trace so far, without stopping.
    pub(crate) fn snapshot(&self) -> Trace {
        self.sampler.snapshot()
    }

    /// Measure idle power after the last group, stop sampling, and hand over the trace
    /// and the idle window after.
    pub(crate) fn finish(self, progress: &dyn Progress) -> (Trace, Option<(EdgeId, EdgeId)>) {
        let after = self.idle_window(progress, "after");
        (self.sampler.stop(), after)
    }
}
