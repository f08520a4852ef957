//! Cases whose bench functions run on the calling thread, during the call that defines
//! them (criterion's `bench_function`, whose closures borrow the caller's locals): the
//! entry point of `ipw-criterion-compat`.
//!
//! The runner, the sampler and everything after them run on a thread of their own; the
//! calling thread runs each closure with a Bencher attached to that runner, so the
//! command protocol is the same as for registered cases. The cases of a group run one
//! after another (a closure cannot be resumed once it returned): no interleaving.

use super::{bench, exit};
use crate::measure::bencher::{Bencher, Command, Reply};
use crate::measure::record::CaseRecord;
use crate::measure::registry::{BenchCase, CaseRef};
use crate::measure::runner::POLL_INTERVAL;
use crate::measure::sampler::Sampler;
use crate::measure::throughput::Throughput;
use crate::measure::worker::{self, Worker};
use crate::output::libtest;
use crate::setup::config::{Config, Format, Mode};
use crate::setup::help::help;
use crate::setup::names::escape_controls;
use crate::setup::selection;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// One case defined inline: its id parts and the budget its definition asks for (flags
/// still win).
#[derive(Debug, Clone, Default)]
pub struct InlineCase {
    /// The group: its cases are compared with each other.
    pub group: String,
    /// The case's name in its group (left out of the id when equal to the group, unless
    /// `keep_name`).
    pub name: String,
    /// Keep the name in the id even when it equals the group: a function of a criterion
    /// group, whose id is `group/function` whatever the names.
    pub keep_name: bool,
    /// The variant (criterion's parameter), if any.
    pub variant: Option<String>,
    /// Samples asked for by the definition.
    pub sample_size: Option<usize>,
    /// Warm-up seconds asked for by the definition.
    pub warm_up_time: Option<f64>,
    /// Measuring seconds asked for by the definition.
    pub measurement_time: Option<f64>,
    /// Work per iteration.
    pub throughput: Option<Throughput>,
}

/// What the defining thread tells the runner thread.
enum Request {
    /// A case defined, selected or not: one the merge with earlier results may keep.
    Seen(String),
    /// A selected case to measure, and where to send its Bencher.
    Measure {
        case: CaseRef,
        bencher: Sender<Bencher>,
    },
}

enum State {
    List,
    Test {
        sampler: Sampler,
        failed: Vec<(String, String)>,
        skipped: usize,
        total: usize,
    },
    Profile {
        sampler: Sampler,
        seconds: f64,
        failed: bool,
    },
    Bench {
        requests: Option<Sender<Request>>,
        runner: JoinHandle<i32>,
    },
}

/// A run of inline cases, from the command line to the exit code.
pub struct Session {
    config: Config,
    state: State,
    /// Every case defined, selected or not, for the message when none is selected.
    seen: Vec<CaseRef>,
    selected: usize,
}

impl Session {
    /// Parse the process's arguments, as a bench binary does. `Err(code)`: the process
    /// should exit now (`--help` printed, a bad flag or a missing baseline said).
    pub fn from_args() -> Result<Session, i32> {
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        let config = match Config::from_env_and_args(&args) {
            Ok((config, warnings)) => {
                for w in warnings.iter().chain(&config.notices) {
                    eprintln!("warning: {w}");
                }
                config
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Err(exit::USAGE);
            }
        };
        let sampler = || Sampler::start(Vec::new(), POLL_INTERVAL);
        let state = match config.mode {
            Mode::Help => {
                print!("{}", help());
                return Err(exit::OK);
            }
            Mode::List => State::List,
            Mode::Test => {
                if config.format != Format::Json {
                    println!("\nrunning benchmark cases in test mode");
                }
                State::Test {
                    sampler: sampler(),
                    failed: Vec::new(),
                    skipped: 0,
                    total: 0,
                }
            }
            Mode::Profile => State::Profile {
                sampler: sampler(),
                seconds: config.profile_time.unwrap_or(1.0),
                failed: false,
            },
            Mode::Bench => start_runner(&config)?,
        };
        Ok(Session {
            config,
            state,
            seen: Vec::new(),
            selected: 0,
        })
    }

    /// Run one case now, on this thread, if the command line selects it: listed, run
    /// once, profiled or measured, as the mode says.
    pub fn run_case(&mut self, case: &InlineCase, f: &mut dyn FnMut(&mut Bencher)) {
        let case_ref = case_ref(case);
        self.seen.push(case_ref.clone());
        if let State::Bench {
            requests: Some(r), ..
        } = &self.state
        {
            // A runner that stopped no longer listens; what it said is enough.
            let _ = r.send(Request::Seen(case_ref.id()));
        }
        if selection::select(vec![case_ref.clone()], &self.config).is_empty() {
            return;
        }
        self.selected += 1;
        let id = case_ref.id();
        let json = self.config.format == Format::Json;
        match &mut self.state {
            State::List => println!("{}: benchmark", escape_controls(&id)),
            State::Test {
                sampler,
                failed,
                skipped,
                total,
            } => {
                let outcome = scripted(sampler, Command::Test, case.throughput, f, Reply::Tested);
                libtest::test_line(json, &id, &outcome);
                *total += 1;
                match outcome {
                    Ok(Some(_)) => *skipped += 1,
                    Err(m) => failed.push((id, m)),
                    Ok(None) => {}
                }
            }
            State::Profile {
                sampler,
                seconds,
                failed,
            } => {
                let c = Command::WarmUp(Duration::from_secs_f64(*seconds));
                match scripted(sampler, c, case.throughput, f, Reply::Tested) {
                    Ok(None) => println!("profiled {id} for {seconds} s"),
                    Ok(Some(reason)) => println!("skipped {id}: {reason}"),
                    Err(m) => {
                        eprintln!("error: {id}: {m}");
                        *failed = true;
                    }
                }
            }
            State::Bench { requests, .. } => {
                let (tx, rx) = channel();
                let sent = requests.as_ref().map(|r| {
                    r.send(Request::Measure {
                        case: case_ref,
                        bencher: tx,
                    })
                });
                // A runner that stopped (it said why) gets no more cases.
                let Some(Ok(())) = sent else { return };
                if let Ok(mut b) = rx.recv() {
                    if let Some(t) = case.throughput {
                        b.throughput(t);
                    }
                    worker::run_inline(b, f);
                }
            }
        }
    }

    /// Analyse, compare the groups, write results.json and the report (bench mode), or
    /// print the test summary; returns the exit code.
    pub fn finish(self) -> i32 {
        let nothing = self.selected == 0 && matches!(self.state, State::Bench { .. });
        if nothing {
            eprintln!(
                "error: {}",
                selection::nothing_selected(&self.seen, &self.config)
            );
        }
        match self.state {
            State::List => exit::OK,
            State::Test {
                failed,
                skipped,
                total,
                ..
            } => {
                libtest::test_summary(self.config.format == Format::Json, total, skipped, &failed);
                if failed.is_empty() {
                    exit::OK
                } else {
                    exit::CASE_FAILED
                }
            }
            State::Profile { failed, .. } => {
                if failed {
                    exit::CASE_FAILED
                } else {
                    exit::OK
                }
            }
            State::Bench { requests, runner } => {
                drop(requests);
                let code = runner.join().unwrap_or(exit::CASE_FAILED);
                if nothing {
                    exit::USAGE
                } else {
                    code
                }
            }
        }
    }
}

/// The registry entry of an inline case: leaked, as registered cases are `'static`; one
/// small struct per case, for the life of the process.
fn case_ref(case: &InlineCase) -> CaseRef {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let entry: &'static BenchCase = Box::leak(Box::new(BenchCase {
        name: leak(&case.name),
        group: Some(leak(&case.group)),
        module_path: "inline",
        file: "inline",
        line: 0,
        sample_size: case.sample_size,
        warm_up_time: case.warm_up_time,
        measurement_time: case.measurement_time,
        max_time: None,
        ignore: false,
        keep_name: case.keep_name,
        throughput: case.throughput,
        variants: None,
        // Never called: an inline case's function runs on the thread that defines it.
        run: |_, _| {},
    }));
    CaseRef {
        case: entry,
        variant_index: 0,
        variant: case.variant.clone(),
    }
}

/// Run `f` against one command (then stop) on this thread: `Ok(None)` when it answered
/// `expected` (or warmed up), `Ok(Some(reason))` when it skipped itself, `Err` else.
fn scripted(
    sampler: &Sampler,
    command: Command,
    throughput: Option<Throughput>,
    f: &mut dyn FnMut(&mut Bencher),
    expected: Reply,
) -> Result<Option<String>, String> {
    let (mut b, replies) = worker::scripted(&[command, Command::Stop], sampler.clone());
    if let Some(t) = throughput {
        b.throughput(t);
    }
    worker::run_inline(b, f);
    let first = replies.recv().unwrap_or(Reply::Finished);
    let rest: Vec<Reply> = replies.try_iter().collect();
    let panicked = rest.into_iter().find_map(|r| match r {
        Reply::Panicked(m) => Some(m),
        _ => None,
    });
    let r = match first {
        Reply::WarmedUp { .. } => Ok(None),
        Reply::Skipped(reason) => Ok(Some(reason)),
        r if std::mem::discriminant(&r) == std::mem::discriminant(&expected) => Ok(None),
        other => Err(crate::measure::runner::failure_message(other)),
    };
    match (r, panicked) {
        (Ok(_), Some(m)) => Err(format!("panicked: {m}")),
        (r, _) => r,
    }
}

/// Start the runner thread: discovery, baseline and idle power as a bench binary has
/// them, then each case as it is handed over. `Err(code)` when preparing failed.
fn start_runner(config: &Config) -> Result<State, i32> {
    let (ready_tx, ready_rx) = channel::<Sender<Request>>();
    let config = config.clone();
    let runner = std::thread::Builder::new()
        .name("ipw:runner".to_string())
        .spawn(move || {
            bench::run_bench_with(&config, Vec::new(), None, (0, 0), |stage| {
                let (tx, rx) = channel();
                if ready_tx.send(tx).is_err() {
                    return bench::Measured::new(None);
                }
                measure_inline(stage, rx)
            })
        })
        .map_err(|e| {
            eprintln!("error: cannot start the runner thread: {e}");
            exit::CASE_FAILED
        })?;
    match ready_rx.recv() {
        Ok(requests) => Ok(State::Bench {
            requests: Some(requests),
            runner,
        }),
        Err(_) => Err(runner.join().unwrap_or(exit::CASE_FAILED)),
    }
}

/// The measuring stage of inline cases: each case as it comes, its group shown, compared
/// and checkpointed when the next case belongs to another group (criterion's groups are
/// contiguous) or when the cases end. A signal stops it, leaving out the group it cut
/// short; the cases defined but not selected are learnt too, for the merge.
fn measure_inline(stage: &bench::Stage, requests: Receiver<Request>) -> bench::Measured {
    let config = stage.header.config;
    let mut m = bench::Measured::new(None);
    let mut known: Vec<String> = Vec::new();
    let mut current: Option<(String, Vec<CaseRecord>)> = None;
    let mut group_index = 0u64;
    for request in requests {
        let (case, bencher) = match request {
            Request::Seen(id) => {
                if !known.contains(&id) {
                    known.push(id);
                }
                continue;
            }
            Request::Measure { case, bencher } => (case, bencher),
        };
        let group = case.group().to_string();
        if current.as_ref().is_some_and(|(g, _)| *g != group) {
            if let Some((g, records)) = current.take() {
                m.group_done(stage, &g, records);
            }
            group_index += 1;
        }
        let (worker, b): (Worker, Bencher) = Worker::attached(stage.session.sampler().clone());
        if bencher.send(b).is_err() {
            continue;
        }
        match stage
            .session
            .run_attached(case, worker, config, group_index, stage.printer)
        {
            Some(record) => current
                .get_or_insert_with(|| (group, Vec::new()))
                .1
                .push(record),
            None => {
                // Dropping the receiver ends the defining thread's requests.
                m.stop(stage);
                m.known = Some(known);
                return m;
            }
        }
    }
    if let Some((g, records)) = current.take() {
        m.group_done(stage, &g, records);
    }
    m.known = Some(known);
    m
}
