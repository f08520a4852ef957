//! `AsyncExecutor`: the runtime an async bench's futures run on (feature `async`).
//!
//! Criterion's plug-in trait, under its name and with its one method: an async routine's
//! measured loop is one future, handed to [`AsyncExecutor::block_on`] once per energy
//! window (see [`crate::AsyncBencher`]). Implemented, as in criterion, for tokio's
//! `Runtime`, `&Runtime`, `Handle` and `&Handle` (feature `async-tokio`) and for
//! [`FuturesExecutor`], a current-thread executor with no dependencies; implement it for
//! another runtime by forwarding to its `block_on`.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

/// A runtime that can run a future to completion on the calling thread.
///
/// ```
/// use ipw_bench::async_executor::AsyncExecutor;
///
/// /// Forwards to another runtime's own `block_on` (here, the built-in one).
/// struct MyRuntime;
///
/// impl AsyncExecutor for MyRuntime {
///     fn block_on<T>(&self, future: impl std::future::Future<Output = T>) -> T {
///         ipw_bench::async_executor::FuturesExecutor.block_on(future)
///     }
/// }
///
/// assert_eq!(MyRuntime.block_on(async { 6 * 7 }), 42);
/// ```
pub trait AsyncExecutor {
    /// Run `future` to completion and return its output.
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T;
}

/// Polls the future on the calling thread and parks the thread until the future's waker
/// is called: the current-thread executor of the `futures` crate (criterion's
/// `FuturesExecutor`), for futures that need no runtime of their own (no tokio timers or
/// sockets; for those, pass the tokio runtime).
///
/// ```
/// use ipw_bench::async_executor::{AsyncExecutor, FuturesExecutor};
/// assert_eq!(FuturesExecutor.block_on(async { 1 + 1 }), 2);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FuturesExecutor;

/// Wakes the thread that polls the future.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

impl AsyncExecutor for FuturesExecutor {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            match future.as_mut().poll(&mut cx) {
                Poll::Ready(output) => return output,
                // A wake before the park leaves the token set, so it is never lost; a
                // spurious return from park only costs one more poll.
                Poll::Pending => std::thread::park(),
            }
        }
    }
}

#[cfg(feature = "async-tokio")]
impl AsyncExecutor for tokio::runtime::Runtime {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        tokio::runtime::Runtime::block_on(self, future)
    }
}

#[cfg(feature = "async-tokio")]
impl AsyncExecutor for &tokio::runtime::Runtime {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        tokio::runtime::Runtime::block_on(self, future)
    }
}

#[cfg(feature = "async-tokio")]
impl AsyncExecutor for tokio::runtime::Handle {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        tokio::runtime::Handle::block_on(self, future)
    }
}

#[cfg(feature = "async-tokio")]
impl AsyncExecutor for &tokio::runtime::Handle {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        tokio::runtime::Handle::block_on(self, future)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Ready after `delay`, woken from another thread: the executor must park and be woken.
    struct WokenLater {
        deadline: Instant,
        started: bool,
    }

    impl Future for WokenLater {
        type Output = u32;
        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if Instant::now() >= self.deadline {
                return Poll::Ready(7);
            }
            if !self.started {
                self.started = true;
                let (waker, deadline) = (cx.waker().clone(), self.deadline);
                std::thread::spawn(move || {
                    std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                    waker.wake();
                });
            }
            Poll::Pending
        }
    }

    #[test]
    fn futures_executor_parks_until_woken_and_returns_the_output() {
        let t = Instant::now();
        let f = WokenLater {
            deadline: t + Duration::from_millis(20),
            started: false,
        };
        assert_eq!(FuturesExecutor.block_on(f), 7);
        assert!(t.elapsed() >= Duration::from_millis(20));
    }

    #[cfg(feature = "async-tokio")]
    #[test]
    fn tokio_runtime_and_handle_enter_the_runtime() {
        // `tokio::spawn` panics outside a runtime; only `Runtime::block_on` drives a
        // current-thread runtime's tasks, a `Handle` just enters its context.
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let spawned = || async { tokio::spawn(async { 5 }).await.unwrap() };
        assert_eq!(AsyncExecutor::block_on(&rt, spawned()), 5);
        assert_eq!(AsyncExecutor::block_on(&&rt, spawned()), 5);
        let inside = || async { tokio::runtime::Handle::try_current().is_ok() };
        assert!(!FuturesExecutor.block_on(inside()));
        assert!(AsyncExecutor::block_on(rt.handle(), inside()));
        assert!(AsyncExecutor::block_on(&rt.handle(), inside()));
    }
}
