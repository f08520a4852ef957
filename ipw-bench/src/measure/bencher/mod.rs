//! `Bencher`: the handle a bench function gets, and the protocol with the runner.
//!
//! Each case runs in a thread of its own. Its measuring call (`iter`, `iter_batched`,
//! `queries`, `trials`, `ranked`: one file per loop kind beside this one) waits for
//! commands from the runner (warm up, take one sample, run once, stop), so the setup
//! before the call runs once, and the runner can interleave the samples of a group's
//! variants. Window edges are read synchronously just outside each timed loop.
//! `to_async` (feature `async`) runs the same loops with routines that return futures.

mod custom;
mod iter;
mod queries;
mod survival;
#[cfg(feature = "async")]
mod to_async;

use crate::measure::batch::WindowLimit;
use crate::measure::record::{CaseKind, RawSample};
use crate::measure::sampler::Sampler;
use crate::measure::throughput::Throughput;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};
#[cfg(feature = "async")]
pub use to_async::AsyncBencher;

/// What the runner asks of a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Command {
    /// Run repeatedly for about this long, unmeasured.
    WarmUp(Duration),
    /// Take one measured sample.
    Sample(SampleRequest),
    /// Test mode: run once and check outcomes.
    Test,
    /// Return from the measuring call.
    Stop,
}

/// One sample the runner asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SampleRequest {
    /// Iterations (queries, task runs) in the sample.
    pub iters: u64,
    /// How many energy windows the sample may be cut into.
    pub limit: WindowLimit,
    /// Query cases: the question the sample starts with, so that samples cover whole
    /// passes of the question set, or the chunks of one pass, whatever came before.
    pub first_question: usize,
    /// Query cases: an energy window for each answer (each lasts long enough for the
    /// sensors), so that each question gets its own measured energy.
    pub per_answer_windows: bool,
}

/// What a case tells the runner.
#[derive(Debug)]
pub(crate) enum Reply {
    WarmedUp {
        kind: CaseKind,
        iters: u64,
        elapsed: Duration,
        /// Query cases: how many questions the set has.
        questions: Option<usize>,
        /// Work per iteration, when the bench function set it.
        throughput: Option<Throughput>,
    },
    /// Boxed: a sample with its question tallies and latency histogram is far larger
    /// than the other replies.
    Sampled(Box<RawSample>),
    Tested,
    /// The case chose not to run (a missing server, a missing device).
    Skipped(String),
    /// A problem that fails the case without a panic (bad outcome, misuse).
    Error(String),
    /// The bench function returned.
    Finished,
    Panicked(String),
}

/// The handle passed to a bench function. Its loops take routines; with feature `async`,
#[cfg_attr(
    feature = "async",
    doc = "[`Bencher::to_async`] gives the same loops for routines that return futures."
)]
#[cfg_attr(
    not(feature = "async"),
    doc = "`Bencher::to_async` gives the same loops for routines that return futures."
)]
pub struct Bencher {
    commands: Receiver<Command>,
    replies: Sender<Reply>,
    sampler: Sampler,
    stopped: bool,
    throughput: Option<Throughput>,
}

impl Bencher {
    pub(crate) fn new(
        commands: Receiver<Command>,
        replies: Sender<Reply>,
        sampler: Sampler,
    ) -> Bencher {
        Bencher {
            commands,
            replies,
            sampler,
            stopped: false,
            throughput: None,
        }
    }

    /// Count the work one iteration does: the case gets per-second and per-joule rates
    /// (`bytes_per_s`, `bytes_per_j`, or `elements_per_s`, `elements_per_j`). Call it
    /// before the measuring call; it overrides the attribute's `bytes`/`elements`.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// let data = vec![7u8; 4096];
    /// b.throughput(ipw_bench::Throughput::Bytes(data.len() as u64));
    /// b.iter(|| data.iter().map(|&x| x as u64).sum::<u64>());
    /// # }
    /// ```
    pub fn throughput(&mut self, throughput: Throughput) {
        self.throughput = Some(throughput);
    }

    /// The reply to a warm-up command.
    pub(super) fn warmed_up(&self, kind: CaseKind, iters: u64, elapsed: Duration) -> Reply {
        Reply::WarmedUp {
            kind,
            iters,
            elapsed,
            questions: None,
            throughput: self.throughput,
        }
    }

    pub(super) fn next_command(&mut self) -> Command {
        if self.stopped {
            return Command::Stop;
        }
        // A dropped runner means the process is ending: stop measuring.
        let c = self.commands.recv().unwrap_or(Command::Stop);
        if c == Command::Stop {
            self.stopped = true;
        }
        c
    }

    pub(super) fn reply(&self, r: Reply) {
        let _ = self.replies.send(r);
    }

    /// How the bench function ended (`Finished` or `Panicked`), from the thread it ran on.
    pub(crate) fn send_final(&self, r: Reply) {
        self.reply(r);
    }

    /// Skip this case with a reason (a missing server or device): it is reported as
    /// skipped, not failed, and the other cases run.
    pub fn skip(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        if self.next_command() != Command::Stop {
            self.reply(Reply::Skipped(reason));
            self.stopped = true;
        }
    }
}

/// Run `batch(n)` with doubling `n` until `budget` has passed; returns iterations and time.
pub(super) fn warm_up(budget: Duration, mut batch: impl FnMut(u64)) -> (u64, Duration) {
    let t0 = Instant::now();
    let mut total = 0u64;
    let mut n = 1u64;
    loop {
        batch(n);
        total += n;
        let elapsed = t0.elapsed();
        if elapsed >= budget {
            return (total, elapsed);
        }
        n = n.saturating_mul(2);
    }
}
