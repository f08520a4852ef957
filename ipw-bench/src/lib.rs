#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod measure;
mod output;
mod pipeline;
mod setup;

pub mod analysis;
pub mod attribution;
#[cfg(feature = "criterion")]
pub mod criterion;
pub mod report;
pub mod results;
pub mod stats;
pub mod survival;

#[doc = include_str!("bench.md")]
#[doc(inline)]
pub use ipw_macros::bench;
#[cfg(feature = "async")]
pub use measure::{async_executor, AsyncBencher};
pub use measure::{sampler, sensor};
pub use measure::{BatchSize, Bencher, Outcome, Throughput};
pub use pipeline::run_with_args;
pub use setup::config::DEFAULT_SEED;
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
    pub use crate::measure::registry::{nth_arg, variant_names, BenchCase};
    pub use crate::pipeline::inline::{InlineCase, Session};
    pub use crate::pipeline::main;
    pub use inventory;
}
#[cfg(test)]
mod architecture_tests;
