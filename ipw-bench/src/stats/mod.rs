//! The statistics engine: descriptive statistics, seeded bootstrap intervals, tests.
//!
//! Distributions come from `statrs`; the tests are ours and are checked against reference
//! vectors computed by an independent implementation (`tests/reference/`).

pub mod bootstrap;
pub mod rng;
pub mod scale;

pub mod components;
pub mod correction;
pub mod csv_input;
pub mod descriptive;
pub mod dist;
pub mod error;
pub mod mannwhitney;
pub mod mcnemar;
pub mod moments;
pub mod outliers;
pub mod paired;
pub mod paired_bootstrap;
pub mod plan;
pub mod power;
pub mod proportions;
pub mod running;
pub mod select;
pub mod ttest;

pub mod anova;
pub mod anova2;
pub mod chebyshev;
pub mod games_howell;
pub mod groups;
pub mod kruskal;
pub mod levene;
pub mod ptukey;
pub mod shapiro;
pub mod spearman;
pub mod tukey;
pub mod welch_anova;

pub use bootstrap::{bootstrap_mean, bootstrap_ratio, CiMethod, Interval};
pub use rng::Rng;
