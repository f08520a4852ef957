//! Attribution: the joules of each measured window, per source and per domain.
//!
//! Plain data in (the sampler's trace and the raw samples), plain data out ([`record`]):
//! each sample with its energy, idle power, and the downsampled power trace.

pub(crate) mod idle;
pub(crate) mod phased;
pub(crate) mod questions;
pub mod record;
pub(crate) mod sample;
pub(crate) mod trace;
pub mod window;

pub use window::{source_window, window, windows, Method, SourceEnergy, WindowEnergy};
