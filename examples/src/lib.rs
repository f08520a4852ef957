//! Shared helpers for the example benches.
