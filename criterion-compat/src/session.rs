//! The one ipw-bench session of a bench binary, on the thread that runs the groups.

use ipw_bench::__private::{InlineCase, Session};
use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Read the command line and start the session; exits the process for `--help` or a bad
/// flag, as a bench binary does.
pub fn start() {
    SESSION.with(|s| {
        if s.borrow().is_none() {
            match Session::from_args() {
                Ok(session) => *s.borrow_mut() = Some(session),
                Err(code) => std::process::exit(code),
            }
        }
    });
}

/// Finish the session: analysis, comparisons, files; the exit code.
pub fn finish() -> i32 {
    SESSION.with(|s| s.borrow_mut().take().map_or(0, Session::finish))
}

/// Run one case now (starting the session if `criterion_main!` did not).
pub(crate) fn run_case(case: &InlineCase, f: &mut dyn FnMut(&mut ipw_bench::Bencher)) {
    start();
    SESSION.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            if let Some(session) = s.as_mut() {
                session.run_case(case, f);
            }
        }
        Err(_) => eprintln!(
            "ipw-criterion-compat: a benchmark defined inside another benchmark's closure \
             ({}) is not run",
            case.name
        ),
    });
}

/// Print a message once per process.
pub(crate) fn say_once(message: &str) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| eprintln!("{message}"));
}
