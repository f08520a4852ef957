//! ipw-bench: benchmarks that measure energy, and energy per correct answer.
//!
//! See the README for the quickstart and `ARCHITECTURE.md` for the module map.

pub mod analysis;
pub mod attribution;
pub mod baseline;
pub mod batch;
pub mod bencher;
pub mod carbon;
pub mod compare;
pub mod config;
#[cfg(feature = "criterion")]
pub mod criterion;
pub mod gpu_protocol;
pub mod host;
pub mod outcome;
pub mod output;
pub mod paths;
pub mod quality;
pub mod registry;
pub mod report;
pub mod results;
pub mod runner;
pub mod sampler;
pub mod schedule;
pub mod selection;
pub mod sensor;
pub mod stats;
pub mod survival;
pub mod trace;

mod entry;
mod serde_secs;
mod worker;

pub use batch::BatchSize;
pub use bencher::Bencher;
pub use ipw_macros::bench;
pub use outcome::Outcome;
pub use std::hint::black_box;

/// The `main` of a `[[bench]]` target with `harness = false`.
///
/// ```ignore
/// ipw_bench::main!();
/// ```
#[macro_export]
macro_rules! main {
    () => {
        fn main() {
            ::std::process::exit($crate::__private::main());
        }
    };
}

/// What the macros expand to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::entry::main;
    pub use crate::registry::{nth_arg, variant_names, BenchCase};
    pub use inventory;
}
#[cfg(test)]
mod results_doc;
#[cfg(test)]
mod test_support;
