//! Measuring: the only stage that touches the clock and the sensors.
//!
//! The registry holds the cases the attribute registered; the runner warms each case up,
//! plans its samples ([`schedule`]), and asks the case threads ([`worker`], [`bencher`]) for
//! samples in a seeded interleaved order while the [`sampler`] polls the [`sensor`]s. What
//! leaves the stage is plain data ([`record`]): the trace and each case's raw samples.

#[cfg(feature = "async")]
pub mod async_executor;
pub(crate) mod batch;
pub(crate) mod bencher;
pub(crate) mod interrupt;
pub(crate) mod outcome;
pub(crate) mod phased;
pub(crate) mod record;
pub(crate) mod registry;
pub(crate) mod runner;
pub mod sampler;
pub(crate) mod schedule;
pub mod sensor;
pub(crate) mod throughput;
pub(crate) mod worker;

pub use batch::BatchSize;
#[cfg(feature = "async")]
pub use bencher::AsyncBencher;
pub use bencher::Bencher;
pub use outcome::Outcome;
pub(crate) use outcome::Tally;
pub use throughput::Throughput;
