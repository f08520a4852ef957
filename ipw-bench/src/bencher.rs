//! `Bencher`: the handle a bench function gets, and the measured loops.
//!
//! Each case runs in a thread of its own. Its `iter`, `iter_batched` or `queries` call
//! waits for commands from the runner (warm up, take one sample, run once, stop), so the
//! setup before the call runs once, and the runner can interleave the samples of a group's
//! variants. Window edges are read synchronously just outside each timed loop.

use crate::batch::{BatchSize, WindowLimit};
use crate::outcome::{Outcome, Tally};
use crate::sampler::{EdgeId, Sampler};
use std::hint::black_box;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// What the runner asks of a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Command {
    /// Run repeatedly for about this long, unmeasured.
    WarmUp(Duration),
    /// Take one measured sample of this many iterations (queries), cutting it into at
    /// most as many energy windows as the limit allows.
    Sample(u64, WindowLimit),
    /// Test mode: run once and check outcomes.
    Test,
    /// Return from the measuring call.
    Stop,
}

/// The kind of measuring call a case made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    Iter,
    IterBatched,
    Queries,
    Trials,
    Ranked,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Iter => "iter",
            CaseKind::IterBatched => "iter_batched",
            CaseKind::Queries => "queries",
            CaseKind::Trials => "trials",
            CaseKind::Ranked => "ranked",
        }
    }
}

/// One measured sample, as plain data for attribution and analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSample {
    pub iters: u64,
    pub elapsed_ns: u64,
    /// The energy windows whose sum is the sample's energy, in time order: one, or one per
    /// batch of `iter_batched`. Never empty.
    pub windows: Vec<(EdgeId, EdgeId)>,
    /// Query outcomes in this sample.
    pub tally: Option<Tally>,
    /// Per-query latencies (nanoseconds), for query cases.
    pub latencies_ns: Vec<u64>,
    /// Survival cases: one record per task run in this sample.
    pub tasks: Vec<TaskRecord>,
}

impl RawSample {
    /// The first edge of the first window and the last edge of the last: the whole sample.
    pub fn span(&self) -> (EdgeId, EdgeId) {
        match (self.windows.first(), self.windows.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            // Not made by the measuring loops, which always record a window.
            _ => (EdgeId(0), EdgeId(0)),
        }
    }
}

/// One task of a survival case: failures before the first success, or censored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRecord {
    /// Index of the task in the list given to `trials` or `ranked`.
    pub index: usize,
    /// How many times this task had been run before (tasks cycle across samples).
    pub repeat: u64,
    /// Failed attempts before the first success; the cap when censored.
    pub failures: u64,
    pub censored: bool,
    /// Time until the first success or the cap.
    pub elapsed_ns: u64,
}

/// What a case tells the runner.
#[derive(Debug)]
pub(crate) enum Reply {
    WarmedUp {
        kind: CaseKind,
        iters: u64,
        elapsed: Duration,
    },
    Sampled(RawSample),
    Tested,
    /// The case chose not to run (a missing server, a missing device).
    Skipped(String),
    /// A problem that fails the case without a panic (bad outcome, misuse).
    Error(String),
    /// The bench function returned.
    Finished,
    Panicked(String),
}

/// The handle passed to a bench function.
pub struct Bencher {
    commands: Receiver<Command>,
    replies: Sender<Reply>,
    sampler: Sampler,
    stopped: bool,
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
        }
    }

    fn next_command(&mut self) -> Command {
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

    fn reply(&self, r: Reply) {
        let _ = self.replies.send(r);
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

    /// Measure `routine`: time and energy per iteration.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// let data: Vec<u64> = (0..1000).rev().collect();
    /// b.iter(|| {
    ///     let mut v = data.clone();
    ///     v.sort_unstable();
    ///     v
    /// });
    /// # }
    /// ```
    pub fn iter<O, F: FnMut() -> O>(&mut self, mut routine: F) {
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    black_box(routine());
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(routine());
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::Iter,
                        iters,
                        elapsed,
                    });
                }
                Command::Sample(iters, _) => {
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..iters {
                        black_box(routine());
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    self.reply(Reply::Sampled(RawSample {
                        iters,
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows: vec![(start, end)],
                        tally: None,
                        latencies_ns: Vec::new(),
                        tasks: Vec::new(),
                    }));
                }
            }
        }
    }

    /// Measure `routine` on inputs made by `setup`; setup runs outside the measured windows,
    /// and outputs are dropped outside them too. Inputs are made in batches
    /// ([`BatchSize::Auto`]: criterion's ten per sample, as far as the sensors allow);
    /// [`Bencher::iter_batched_with`] chooses the batch size.
    pub fn iter_batched<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched_with(setup, routine, BatchSize::Auto);
    }

    /// [`Bencher::iter_batched`] with a chosen batch size. Each batch's inputs are made
    /// before its energy window opens and its outputs dropped after it closes; a sample's
    /// time and energy are the sums over its batches.
    ///
    /// ```no_run
    /// # fn demo(b: &mut ipw_bench::Bencher) {
    /// use ipw_bench::BatchSize;
    /// let data: Vec<u64> = (0..10_000).rev().collect();
    /// b.iter_batched_with(
    ///     || data.clone(),
    ///     |mut v| {
    ///         v.sort_unstable();
    ///         v
    ///     },
    ///     BatchSize::NumBatches(4),
    /// );
    /// # }
    /// ```
    pub fn iter_batched_with<I, O, S, R>(&mut self, mut setup: S, mut routine: R, size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        let mut inputs: Vec<I> = Vec::new();
        let mut outputs: Vec<O> = Vec::new();
        loop {
            match self.next_command() {
                Command::Stop => return,
                Command::Test => {
                    black_box(routine(setup()));
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    // Time only the routine, as the samples will.
                    let mut routine_time = Duration::ZERO;
                    let (iters, _) = warm_up(budget, |n| {
                        for _ in 0..n {
                            let input = setup();
                            let t = Instant::now();
                            black_box(routine(input));
                            routine_time += t.elapsed();
                        }
                    });
                    let elapsed = routine_time;
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::IterBatched,
                        iters,
                        elapsed,
                    });
                }
                Command::Sample(iters, limit) => {
                    let per_batch = size.iters_per_batch(iters, limit);
                    let mut windows = Vec::with_capacity(iters.div_ceil(per_batch) as usize);
                    let mut elapsed = Duration::ZERO;
                    let mut left = iters.max(1);
                    while left > 0 {
                        let n = per_batch.min(left);
                        inputs.extend((0..n).map(|_| setup()));
                        outputs.reserve(n as usize);
                        let start = self.sampler.edge();
                        let t0 = Instant::now();
                        for input in inputs.drain(..) {
                            outputs.push(routine(input));
                        }
                        elapsed += t0.elapsed();
                        let end = self.sampler.edge();
                        black_box(&mut outputs);
                        outputs.clear();
                        windows.push((start, end));
                        left -= n;
                    }
                    self.reply(Reply::Sampled(RawSample {
                        iters: iters.max(1),
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows,
                        tally: None,
                        latencies_ns: Vec::new(),
                        tasks: Vec::new(),
                    }));
                }
            }
        }
    }

    /// Answer queries: each call of `answer` handles one item and returns its outcome
    /// (`bool`, a score in [0, 1], `Option<bool>` with `None` for unjudged, or [`Outcome`]).
    /// Samples walk through `items` in order and wrap around, so every item is answered
    /// about equally often; accuracy, joules per correct answer and IPW come from the
    /// outcomes.
    pub fn queries<T, O, F>(&mut self, items: impl IntoIterator<Item = T>, mut answer: F)
    where
        O: Into<Outcome>,
        F: FnMut(&T) -> O,
    {
        let items: Vec<T> = items.into_iter().collect();
        let mut cursor = 0usize;
        loop {
            match self.next_command() {
                Command::Stop => return,
                _ if items.is_empty() => {
                    self.reply(Reply::Error("queries() was given no items".to_string()));
                    self.stopped = true;
                    return;
                }
                Command::Test => {
                    let mut tally = Tally::default();
                    let mut bad = None;
                    for item in &items {
                        if let Err(e) = tally.add(answer(item).into()) {
                            bad = Some(e);
                            break;
                        }
                    }
                    self.reply(match bad {
                        Some(e) => Reply::Error(e),
                        None => Reply::Tested,
                    });
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(answer(&items[cursor]).into());
                            cursor = (cursor + 1) % items.len();
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind: CaseKind::Queries,
                        iters,
                        elapsed,
                    });
                }
                Command::Sample(n, _) => {
                    let mut outcomes: Vec<Outcome> = Vec::with_capacity(n as usize);
                    let mut latencies: Vec<u64> = Vec::with_capacity(n as usize);
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..n {
                        let q0 = Instant::now();
                        let o: Outcome = answer(&items[cursor]).into();
                        latencies.push(q0.elapsed().as_nanos() as u64);
                        outcomes.push(o);
                        cursor = (cursor + 1) % items.len();
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    let mut tally = Tally::default();
                    let mut bad = None;
                    for o in outcomes {
                        if let Err(e) = tally.add(o) {
                            bad = Some(e);
                        }
                    }
                    self.reply(match bad {
                        Some(e) => Reply::Error(e),
                        None => Reply::Sampled(RawSample {
                            iters: n,
                            elapsed_ns: elapsed.as_nanos() as u64,
                            windows: vec![(start, end)],
                            tally: Some(tally),
                            latencies_ns: latencies,
                            tasks: Vec::new(),
                        }),
                    });
                }
            }
        }
    }
}

impl Bencher {
    /// The Survival Game: attempt each task until the first success or `max_attempts`.
    ///
    /// `attempt(task, i)` makes attempt `i` (from 0) and says whether it succeeded. Per
    /// task, the failure count (or "censored at `max_attempts`") and the time until success
    /// are recorded; a task's energy is its sample's energy split in proportion to time.
    /// The tail exponent, the level and the joules until first success are in the results'
    /// `survival`.
    pub fn trials<T, F>(
        &mut self,
        tasks: impl IntoIterator<Item = T>,
        max_attempts: u64,
        mut attempt: F,
    ) where
        F: FnMut(&T, u64) -> bool,
    {
        let max_attempts = max_attempts.max(1);
        self.survival_loop(tasks, CaseKind::Trials, move |task| {
            for i in 0..max_attempts {
                if attempt(task, i) {
                    return (i, false);
                }
            }
            (max_attempts, true)
        });
    }

    /// The Survival Game for subjects that rank candidates: `rank(task)` is the 1-based rank
    /// of the correct candidate, so the failure count is `rank - 1`; a rank beyond `top_k`
    /// (or 0, for "not found") is censored at `top_k`.
    pub fn ranked<T, F>(&mut self, tasks: impl IntoIterator<Item = T>, top_k: u64, mut rank: F)
    where
        F: FnMut(&T) -> usize,
    {
        let top_k = top_k.max(1);
        self.survival_loop(tasks, CaseKind::Ranked, move |task| {
            let r = rank(task) as u64;
            if r == 0 || r > top_k {
                (top_k, true)
            } else {
                (r - 1, false)
            }
        });
    }

    fn survival_loop<T>(
        &mut self,
        tasks: impl IntoIterator<Item = T>,
        kind: CaseKind,
        mut run: impl FnMut(&T) -> (u64, bool),
    ) {
        let tasks: Vec<T> = tasks.into_iter().collect();
        let mut cursor = 0usize;
        let mut runs = 0u64;
        loop {
            match self.next_command() {
                Command::Stop => return,
                _ if tasks.is_empty() => {
                    self.reply(Reply::Error("no tasks were given".to_string()));
                    self.stopped = true;
                    return;
                }
                Command::Test => {
                    for t in &tasks {
                        black_box(run(t));
                    }
                    self.reply(Reply::Tested);
                }
                Command::WarmUp(budget) => {
                    let (iters, elapsed) = warm_up(budget, |n| {
                        for _ in 0..n {
                            black_box(run(&tasks[cursor]));
                            cursor = (cursor + 1) % tasks.len();
                        }
                    });
                    self.reply(Reply::WarmedUp {
                        kind,
                        iters,
                        elapsed,
                    });
                }
                Command::Sample(n, _) => {
                    let mut records = Vec::with_capacity(n as usize);
                    let start = self.sampler.edge();
                    let t0 = Instant::now();
                    for _ in 0..n {
                        let q0 = Instant::now();
                        let (failures, censored) = run(&tasks[cursor]);
                        records.push(TaskRecord {
                            index: cursor,
                            repeat: runs / tasks.len() as u64,
                            failures,
                            censored,
                            elapsed_ns: q0.elapsed().as_nanos() as u64,
                        });
                        runs += 1;
                        cursor = (cursor + 1) % tasks.len();
                    }
                    let elapsed = t0.elapsed();
                    let end = self.sampler.edge();
                    let solved = records.iter().filter(|r| !r.censored).count() as u64;
                    self.reply(Reply::Sampled(RawSample {
                        iters: n,
                        elapsed_ns: elapsed.as_nanos() as u64,
                        windows: vec![(start, end)],
                        tally: Some(Tally {
                            correct: solved as f64,
                            judged: n,
                            unjudged: 0,
                        }),
                        latencies_ns: records.iter().map(|r| r.elapsed_ns).collect(),
                        tasks: records,
                    }));
                }
            }
        }
    }
}

/// Run `batch(n)` with doubling `n` until `budget` has passed; returns iterations and time.
fn warm_up(budget: Duration, mut batch: impl FnMut(u64)) -> (u64, Duration) {
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
