//! The IPW harness's per-query records (`research/methodology.md`), read into plain
//! [`Query`] records per model and hardware.
//!
//! Two schemas. Single-turn profiling runs: one row per query, with
//! `model_metrics.<model>.{energy_metrics, latency_metrics, token_metrics, gpu_info,
//! evaluation}`, -1 for a value not measured. Bench and agentic runs (the flat trace
//! schema): one row per query with `total_gpu_energy_joules, total_cpu_energy_joules,
//! total_wall_clock_s, total_{input,output}_tokens, completed, timed_out, is_resolved,
//! unscorable_reason`, the model and hardware in the `summary.json` beside it.

use super::arrow_file::{has_column, struct_fields, Column};
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

/// One query as a subject answered it; `None` where the source did not measure it.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Joules by domain (`gpu`, `cpu`, `ane`, `soc`), as the source measured them.
    pub energy_j: BTreeMap<String, Option<f64>>,
    /// Wall-clock seconds of the whole query.
    pub seconds: Option<f64>,
    /// Seconds to the first token.
    pub ttft_s: Option<f64>,
    pub input_tokens: Option<f64>,
    pub output_tokens: Option<f64>,
    /// Right or wrong; `None` when not judged (unscorable, timed out, not completed).
    pub correct: Option<bool>,
}

/// The queries of one model on one hardware, in the order of the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub model: String,
    pub hardware: String,
    pub queries: Vec<Query>,
}

/// What `summary.json` beside a run's files says (bench runs; optional elsewhere).
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub model: Option<String>,
    pub hardware: Option<String>,
    pub version: Option<String>,
}

impl Summary {
    /// From a `summary.json` document: `config.model` (or `model_name`),
    /// `config.hardware` (or `gpu`), `config.harness_version` (or `version`).
    pub fn from_json(v: &serde_json::Value) -> Summary {
        let config = &v["config"];
        let text = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| config[*k].as_str().or_else(|| v[*k].as_str()))
                .map(str::to_string)
        };
        Summary {
            model: text(&["model", "model_name"]),
            hardware: text(&["hardware", "gpu", "gpu_name"]),
            version: text(&["harness_version", "version"]),
        }
    }
}

/// The hardware name when the source does not say.
pub const UNKNOWN_HARDWARE: &str = "unknown-hardware";

/// The subjects of one batch of either schema; the error names the column it lacks.
pub fn subjects(
    batch: &RecordBatch,
    summary: &Summary,
    fallback_model: &str,
) -> Result<Vec<Subject>, String> {
    if has_column(batch, "model_metrics") {
        struct_fields(batch, "model_metrics")?
            .iter()
            .map(|m| single_turn(batch, m))
            .collect()
    } else if has_column(batch, "total_gpu_energy_joules") || has_column(batch, "query_id") {
        Ok(vec![flat(batch, summary, fallback_model)?])
    } else {
        Err(
            "it has neither column `model_metrics` (single-turn runs) nor \
             `total_gpu_energy_joules` (bench and agentic runs): it is not an IPW harness \
             run"
            .into(),
        )
    }
}

fn single_turn(batch: &RecordBatch, model: &str) -> Result<Subject, String> {
    let path = |rest: &[&'static str]| {
        let mut p = vec!["model_metrics", model];
        p.extend_from_slice(rest);
        p
    };
    let num = |rest: &[&'static str]| Column::find(batch, &path(rest)).and_then(Column::numbers);
    let opt_num = |rest: &[&'static str]| {
        Column::optional(batch, &path(rest))
            .map(Column::numbers)
            .transpose()
    };
    let gpu = num(&["energy_metrics", "per_query_joules"])?;
    let domains = [
        ("cpu", opt_num(&["energy_metrics", "cpu_per_query_joules"])?),
        ("ane", opt_num(&["energy_metrics", "ane_per_query_joules"])?),
        ("soc", opt_num(&["energy_metrics", "soc_per_query_joules"])?),
    ];
    let seconds = num(&["latency_metrics", "total_query_seconds"])?;
    let ttft = opt_num(&["latency_metrics", "time_to_first_token_seconds"])?;
    let input = opt_num(&["token_metrics", "input"])?;
    let output = opt_num(&["token_metrics", "output"])?;
    let correct = Column::find(batch, &path(&["evaluation", "is_correct"]))?.booleans()?;
    let gpu_name = Column::optional(batch, &path(&["gpu_info", "name"]))
        .map(Column::strings)
        .transpose()?;
    let queries = (0..batch.num_rows())
        .map(|row| {
            let mut energy_j = BTreeMap::from([("gpu".to_string(), gpu.number(row))]);
            for (name, col) in &domains {
                if let Some(col) = col {
                    energy_j.insert(name.to_string(), col.number(row));
                }
            }
            Query {
                energy_j,
                seconds: seconds.number(row),
                ttft_s: ttft.as_ref().and_then(|c| c.number(row)),
                input_tokens: input.as_ref().and_then(|c| c.number(row)),
                output_tokens: output.as_ref().and_then(|c| c.number(row)),
                correct: correct.boolean(row),
            }
        })
        .collect();
    let hardware = gpu_name
        .and_then(|c| {
            (0..batch.num_rows())
                .filter_map(|r| c.string(r))
                .find(|n| !n.trim().is_empty())
        })
        .unwrap_or_else(|| UNKNOWN_HARDWARE.to_string());
    Ok(Subject {
        model: model.to_string(),
        hardware,
        queries,
    })
}

fn flat(batch: &RecordBatch, summary: &Summary, fallback_model: &str) -> Result<Subject, String> {
    let num = |name: &str| Column::find(batch, &[name]).and_then(Column::numbers);
    let opt = |name: &str| Column::optional(batch, &[name]);
    let gpu = num("total_gpu_energy_joules")?;
    let cpu = opt("total_cpu_energy_joules")
        .map(Column::numbers)
        .transpose()?;
    let seconds = num("total_wall_clock_s")?;
    let input = opt("total_input_tokens").map(Column::numbers).transpose()?;
    let output = opt("total_output_tokens")
        .map(Column::numbers)
        .transpose()?;
    let resolved = Column::find(batch, &["is_resolved"])?.booleans()?;
    let completed = opt("completed").map(Column::booleans).transpose()?;
    let timed_out = opt("timed_out").map(Column::booleans).transpose()?;
    let unscorable = opt("unscorable_reason").map(Column::strings).transpose()?;
    let queries = (0..batch.num_rows())
        .map(|row| {
            let mut energy_j = BTreeMap::from([("gpu".to_string(), gpu.number(row))]);
            if let Some(cpu) = &cpu {
                energy_j.insert("cpu".into(), cpu.number(row));
            }
            let judged = completed.as_ref().and_then(|c| c.boolean(row)) != Some(false)
                && timed_out.as_ref().and_then(|c| c.boolean(row)) != Some(true)
                && unscorable
                    .as_ref()
                    .and_then(|c| c.string(row))
                    .is_none_or(|r| r.trim().is_empty());
            Query {
                energy_j,
                seconds: seconds.number(row),
                ttft_s: None,
                input_tokens: input.as_ref().and_then(|c| c.number(row)),
                output_tokens: output.as_ref().and_then(|c| c.number(row)),
                correct: if judged { resolved.boolean(row) } else { None },
            }
        })
        .collect();
    Ok(Subject {
        model: summary
            .model
            .clone()
            .unwrap_or_else(|| fallback_model.to_string()),
        hardware: summary
            .hardware
            .clone()
            .unwrap_or_else(|| UNKNOWN_HARDWARE.to_string()),
        queries,
    })
}
