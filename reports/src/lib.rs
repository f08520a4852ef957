//! ipw-reports: the commands of `cargo ipw`, each over saved files.

pub mod cli;
pub mod compare_cmd;
pub mod export_cmd;
pub mod import_cmd;
pub mod merge_cmd;
pub mod message;
pub mod output;
pub mod plan_cmd;
pub mod report_cmd;
pub mod run_files;
pub mod sensors_cmd;
pub mod stats_cmd;
pub mod survival_cmd;
