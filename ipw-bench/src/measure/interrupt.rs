//! SIGINT and SIGTERM during a run: the first asks the runner to stop after the sample
//! in flight, so the finished groups can be written; a second ends the process at once,
//! with the conventional status (128 + the signal).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static SIGNAL: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// The signals that stop a run.
const STOPPING: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

/// Whether a stop was asked for: the runner takes no new sample once it was.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Interrupt {
    _installed: (),
}

impl Interrupt {
    /// Catch SIGINT and SIGTERM from now on (once per process); a handler that cannot be
    /// installed leaves the signal's default, which ends the run as before.
    pub(crate) fn install() -> Interrupt {
        INSTALL.call_once(|| {
            for sig in STOPPING {
                // The shutdown goes first: on a second signal the flag is already set.
                let _ =
                    signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, &REQUESTED);
                let _ = signal_hook::flag::register_usize(sig, &SIGNAL, sig as usize);
                let _ = signal_hook::flag::register(sig, &REQUESTED);
            }
        });
        Interrupt { _installed: () }
    }

    /// The signal that asked to stop, if one did.
    pub(crate) fn requested(&self) -> Option<Signal> {
        if !REQUESTED.load(Ordering::SeqCst) {
            return None;
        }
        match SIGNAL.load(Ordering::SeqCst) as libc::c_int {
            libc::SIGTERM => Some(Signal::Term),
            _ => Some(Signal::Int),
        }
    }

    /// Sleep for `d`, or less when a stop is asked for; returns whether it slept all of it.
    pub(crate) fn sleep(&self, d: Duration) -> bool {
        let end = Instant::now() + d;
        loop {
            if self.requested().is_some() {
                return false;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
    }
}

/// A signal that stopped the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// SIGINT (Ctrl-C).
    Int,
    /// SIGTERM (a CI timeout, `kill`).
    Term,
}

impl Signal {
    /// The conventional exit status of a process stopped by it.
    pub(crate) fn exit_code(self) -> i32 {
        match self {
            Signal::Int => 128 + libc::SIGINT,
            Signal::Term => 128 + libc::SIGTERM,
        }
    }

    /// Its name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_signal_nothing_is_requested_and_a_sleep_is_whole() {
        let i = Interrupt { _installed: () };
        assert_eq!(i.requested(), None);
        assert!(i.sleep(Duration::from_millis(1)));
        assert_eq!(Signal::Int.exit_code(), 130);
        assert_eq!(Signal::Term.exit_code(), 143);
    }
}
