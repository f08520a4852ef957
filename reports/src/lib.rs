//! ipw-reports: the commands of `cargo ipw`, each over saved files.

pub mod cli;
pub mod sensors_cmd;
