//! Analysis: samples with their energy in; estimates, quality, comparisons and baseline
//! changes out, as plain data ([`record`]), in one vocabulary of metrics ([`metric`]),
//! tests and verdicts ([`vocabulary`]).
//!
//! Ratios of means, as in the Intelligence-per-Watt paper, each with a seeded bootstrap
//! interval whose method is named; comparisons between a group's variants
//! ([`compare_group`]) and against a saved baseline ([`baseline`]).

pub(crate) mod assemble;
pub mod baseline;
pub(crate) mod carbon;
pub mod compare;
pub(crate) mod design;
pub mod estimates;
pub mod format;
pub mod metric;
pub mod outliers;
pub(crate) mod paired;
pub mod processes;
pub(crate) mod quality;
pub mod questions;
pub mod record;
pub(crate) mod steady;
pub(crate) mod throughput;
pub(crate) mod verdicts;
pub mod vocabulary;

pub use compare::compare_group;
pub use estimates::{bootstrap_samples, case_seed, estimates};
pub use metric::Metric;
pub use questions::{case_estimates, sizing};
