//! The workloads that the example benches measure: real models, solvers and kernels.
//!
//! - [`digits`]: the UCI handwritten digits, scaled to [0, 1] and split 75/25 by class.
//! - [`models`]: four classifiers that score every class (logistic, tree, kNN, MLP).
//! - [`mlp`]: a small perceptron trained and run in f32, f16 or bf16.
//! - [`solver`]: short WalkSAT runs on random 3-SAT, a subject for the Survival Game.
//! - [`micro`]: sort, hash and matrix-product bodies with seeded inputs.
//! - [`questions`]: a bundled question set and its exact-match grader.
//! - [`llm_client`]: a blocking client for OpenAI-compatible chat endpoints.
//!
//! Everything random is seeded, so a bench measures the same work on every run.

pub mod digits;
pub mod llm_bench;
pub mod llm_client;
pub mod micro;
pub mod mlp;
pub mod models;
pub mod questions;
pub mod solver;
