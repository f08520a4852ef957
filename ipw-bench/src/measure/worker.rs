//! A case's thread: runs the bench function, which answers the runner's commands from
//! inside its `iter`/`queries` call.

use crate::measure::bencher::{Bencher, Command, Reply};
use crate::measure::registry::CaseRef;
use crate::measure::sampler::Sampler;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

/// The runner's end of a case thread.
pub(crate) struct Worker {
    commands: Sender<Command>,
    replies: Receiver<Reply>,
    handle: Option<JoinHandle<()>>,
    done: bool,
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "the case panicked".to_string()
    }
}

impl Worker {
    /// Start the case's thread; its setup runs until its first measuring call.
    pub(crate) fn spawn(case: &CaseRef, sampler: Sampler) -> std::io::Result<Worker> {
        let (cmd_tx, cmd_rx) = channel();
        let (rep_tx, rep_rx) = channel();
        let run = case.case.run;
        let variant = case.variant_index;
        let name = format!("ipw:{}", case.id());
        let handle = std::thread::Builder::new().name(name).spawn(move || {
            let replies = rep_tx.clone();
            let mut b = Bencher::new(cmd_rx, rep_tx, sampler);
            let result = catch_unwind(AssertUnwindSafe(|| run(&mut b, variant)));
            let _ = replies.send(match result {
                Ok(()) => Reply::Finished,
                Err(p) => Reply::Panicked(panic_message(p.as_ref())),
            });
        })?;
        Ok(Worker {
            commands: cmd_tx,
            replies: rep_rx,
            handle: Some(handle),
            done: false,
        })
    }

    /// A case whose bench function runs on the calling thread (criterion's closures borrow
    /// its locals, so they cannot move to a thread of their own): the runner's end, and the
    /// Bencher to hand to that thread, which runs the function with [`run_inline`].
    pub(crate) fn attached(sampler: Sampler) -> (Worker, Bencher) {
        let (cmd_tx, cmd_rx) = channel();
        let (rep_tx, rep_rx) = channel();
        let worker = Worker {
            commands: cmd_tx,
            replies: rep_rx,
            handle: None,
            done: false,
        };
        (worker, Bencher::new(cmd_rx, rep_tx, sampler))
    }

    /// Send a command and wait for the reply. `Finished` or `Panicked` end the worker.
    pub(crate) fn ask(&mut self, c: Command) -> Reply {
        if self.done {
            return Reply::Finished;
        }
        let _ = self.commands.send(c);
        let r = self.replies.recv().unwrap_or(Reply::Finished);
        if matches!(r, Reply::Finished | Reply::Panicked(_)) {
            self.done = true;
        }
        r
    }

    /// Tell the case to stop and wait for its function to return.
    /// Returns the panic message if it panicked on the way out.
    pub(crate) fn finish(mut self) -> Option<String> {
        let mut panicked = None;
        if !self.done {
            let _ = self.commands.send(Command::Stop);
            while let Ok(r) = self.replies.recv() {
                match r {
                    Reply::Finished => break,
                    Reply::Panicked(m) => {
                        panicked = Some(m);
                        break;
                    }
                    _ => {}
                }
            }
        }
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        panicked
    }
}

/// Run a bench function on this thread with a Bencher from [`Worker::attached`] (or
/// [`scripted`]), and tell the runner how it ended, as a case thread does.
pub(crate) fn run_inline(mut b: Bencher, f: &mut dyn FnMut(&mut Bencher)) {
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut b)));
    b.send_final(match result {
        Ok(()) => Reply::Finished,
        Err(p) => Reply::Panicked(panic_message(p.as_ref())),
    });
}

/// A Bencher that answers a fixed list of commands (test mode, profile mode), and the
/// replies it will give; no runner thread is needed for those.
pub(crate) fn scripted(commands: &[Command], sampler: Sampler) -> (Bencher, Receiver<Reply>) {
    let (cmd_tx, cmd_rx) = channel();
    let (rep_tx, rep_rx) = channel();
    for &c in commands {
        let _ = cmd_tx.send(c);
    }
    (Bencher::new(cmd_rx, rep_tx, sampler), rep_rx)
}
