//! `Throughput`: how much work one iteration of a case does, for per-second and per-joule
//! rates (criterion's `Throughput`, divan's counters).

use serde::{Deserialize, Serialize};

/// What one iteration processes. Set on the Bencher (`b.throughput(..)`) or with the
/// attribute's `bytes = N` / `elements = N`; the case then gets `bytes_per_s` and
/// `bytes_per_j` (or `elements_per_s`, `elements_per_j`) estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Throughput {
    /// Bytes per iteration.
    Bytes(u64),
    /// Elements (items, records, messages) per iteration.
    Elements(u64),
}

impl Throughput {
    /// The amount per iteration.
    pub fn per_iter(self) -> u64 {
        match self {
            Throughput::Bytes(n) | Throughput::Elements(n) => n,
        }
    }
}
