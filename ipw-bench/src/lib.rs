//! ipw-bench: benchmarks that measure energy, and energy per correct answer.
//!
//! See the README for the quickstart and `ARCHITECTURE.md` for the module map.

pub mod attribution;
pub mod sampler;
pub mod sensor;
pub mod stats;

mod serde_secs;
