//! The statistics engine: descriptive statistics, seeded bootstrap intervals, tests.
//!
//! Distributions come from `statrs`; the tests are ours and are checked against reference
//! vectors computed by an independent implementation (`tests/reference/`).

pub mod bootstrap;
pub mod rng;

pub use bootstrap::{bootstrap_mean, bootstrap_ratio, CiMethod, Interval};
pub use rng::Rng;
