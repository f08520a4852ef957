//! The ML.ENERGY benchmark's (v3, vLLM) per-run `results.json` and the `prometheus.json`
//! beside it (`docs/export.md`), read into one [`Run`] with its requests as [`Query`]
//! records.
//!
//! The source measures GPU energy over a steady state only (from when `max_num_seqs`
//! requests have their first token until `num_requests - max_num_seqs - 1` have
//! finished) and divides it by the tokens generated in it; each request's `energy` is
//! that energy per token times its output length: attributed, not measured.

use super::build::{analysed_case, warning};
use super::harness::{Query, Subject};
use ipw_bench::analysis::estimates::CONFIDENCE;
use ipw_bench::results::{CaseResult, Estimate, Provenance};
use serde_json::Value;
use std::collections::BTreeMap;

/// The benchmark's version whose `results.json` layout this reads (the files name none).
pub const VERSION: &str = "v3";

/// Below this steady state (seconds) the source calls a run unstable.
pub const MIN_STEADY_S: f64 = 20.0;
/// Below this share of `max_num_seqs` as the mean batch the source calls a run unstable.
pub const MIN_BATCH_SHARE: f64 = 0.85;

/// One run: a model on a GPU configuration with one `max_num_seqs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub model_id: String,
    pub gpu_model: String,
    pub num_gpus: u64,
    pub max_num_seqs: u64,
    /// Requests sent (`num_prompts`), when the file says.
    pub num_prompts: Option<u64>,
    pub steady_duration_s: f64,
    /// GPU joules over the steady state, all GPUs.
    pub steady_energy_j: f64,
    pub energy_per_token_j: f64,
    /// The mean of `vllm:num_requests_running` over the steady state (`prometheus.json`).
    pub mean_batch: Option<f64>,
    /// The requests in the file's order; energy (attributed) in the domain `gpu`, `None`
    /// for a failed one.
    pub requests: Vec<Query>,
    /// Requests with `success: false`.
    pub failed: usize,
}

fn number(v: &Value, field: &str) -> Result<f64, String> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("field `{field}` is missing or not a number"))
}

fn count(v: &Value, field: &str) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("field `{field}` is missing or not a whole number"))
}

fn text(v: &Value, field: &str) -> Result<String, String> {
    v.as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| format!("field `{field}` is missing or not a string"))
}

/// A run from its `results.json` document and, if there is one, its `prometheus.json`;
/// the error names the field that is missing or of the wrong type.
pub fn run(results: &Value, prometheus: Option<&Value>) -> Result<Run, String> {
    if !results.is_object() {
        return Err("not a JSON object (an ML.ENERGY LLM results.json is one)".into());
    }
    if !results["iteration_energy_measurements"].is_null() {
        return Err(
            "a diffusion run (field `iteration_energy_measurements`): only LLM runs are imported"
                .into(),
        );
    }
    let per_request = results["results"]
        .as_array()
        .ok_or("field `results` (the per-request array) is missing or not an array")?;
    let mut requests = Vec::with_capacity(per_request.len());
    let mut failed = 0;
    for (i, r) in per_request.iter().enumerate() {
        let field = |name: &str| format!("results[{i}].{name}");
        let success = r["success"]
            .as_bool()
            .ok_or_else(|| format!("field `{}` is missing or not true/false", field("success")))?;
        if !success {
            // Kept, so that question i is request i in every model's case (the requests of
            // a task are the same list): no energy, tokens or TTFT, the time it took.
            failed += 1;
            requests.push(Query {
                energy_j: BTreeMap::from([("gpu".to_string(), None)]),
                seconds: r["latency"].as_f64().filter(|x| x.is_finite()),
                ttft_s: None,
                input_tokens: None,
                output_tokens: None,
                correct: None,
            });
            continue;
        }
        let energy = number(&r["energy"], &field("energy"))?;
        requests.push(Query {
            energy_j: BTreeMap::from([("gpu".to_string(), Some(energy))]),
            seconds: Some(number(&r["latency"], &field("latency"))?),
            ttft_s: Some(number(&r["ttft"], &field("ttft"))?),
            input_tokens: Some(count(&r["input_len"], &field("input_len"))? as f64),
            output_tokens: Some(count(&r["output_len"], &field("output_len"))? as f64),
            correct: None,
        });
    }
    if failed == requests.len() {
        return Err("no request in `results` succeeded".into());
    }
    let mean_batch = match prometheus {
        None => None,
        Some(p) => {
            let v = &p["steady_state_stats"]["vllm:num_requests_running"];
            if v.is_null() {
                None
            } else {
                Some(number(
                    v,
                    "prometheus.json: steady_state_stats.vllm:num_requests_running",
                )?)
            }
        }
    };
    Ok(Run {
        model_id: text(&results["model_id"], "model_id")?,
        gpu_model: text(&results["gpu_model"], "gpu_model")?,
        num_gpus: count(&results["num_gpus"], "num_gpus")?,
        max_num_seqs: count(&results["max_num_seqs"], "max_num_seqs")?,
        num_prompts: results["num_prompts"].as_u64(),
        steady_duration_s: number(&results["steady_state_duration"], "steady_state_duration")?,
        steady_energy_j: number(&results["steady_state_energy"], "steady_state_energy")?,
        energy_per_token_j: number(
            &results["steady_state_energy_per_token"],
            "steady_state_energy_per_token",
        )?,
        mean_batch,
        requests,
        failed,
    })
}

impl Run {
    /// Why the source would call this run unstable: a steady state under
    /// [`MIN_STEADY_S`], a mean batch under [`MIN_BATCH_SHARE`] of `max_num_seqs`.
    pub fn unstable(&self) -> Vec<String> {
        let mut why = Vec::new();
        if self.steady_duration_s < MIN_STEADY_S {
            why.push(format!(
                "the steady state lasted {:.1} s, under {MIN_STEADY_S} s",
                self.steady_duration_s
            ));
        }
        if let Some(batch) = self.mean_batch {
            let share = batch / self.max_num_seqs as f64;
            if share < MIN_BATCH_SHARE {
                why.push(format!(
                    "the mean batch was {batch:.1}, {:.0}% of max_num_seqs {} (under {:.0}%)",
                    share * 100.0,
                    self.max_num_seqs,
                    MIN_BATCH_SHARE * 100.0
                ));
            }
        }
        why
    }

    /// The run configuration: `H100 x1, max_num_seqs 128`.
    pub fn configuration(&self) -> String {
        format!(
            "{} x{}, max_num_seqs {}",
            self.gpu_model, self.num_gpus, self.max_num_seqs
        )
    }

    /// The run as the analysed query case `<group>/<model>` (`/` in the model id as
    /// `--`): one sample and question per successful request with its measured latency,
    /// TTFT and tokens and its attributed energy (so the energy estimates are
    /// `estimated`), `joules_per_output_token` the source's steady-state figure
    /// (`reported`, no interval), no per-input-token figure (the source attributes energy
    /// by output tokens only), and a quality warning `unstable` by the source's rule.
    pub fn case(&self, group: &str, label: &str, seed: u64) -> CaseResult {
        let subject = Subject {
            model: self.model_id.replace('/', "--"),
            hardware: self.configuration(),
            queries: self.requests.clone(),
        };
        let mut case = analysed_case(group, &subject, label, Provenance::Estimated, seed);
        case.estimates.remove("joules_per_input_token");
        case.estimates.insert(
            "joules_per_output_token".into(),
            Estimate {
                point: self.energy_per_token_j,
                ci_low: self.energy_per_token_j,
                ci_high: self.energy_per_token_j,
                confidence: CONFIDENCE,
                method: "degenerate".into(),
                unit: "J".into(),
                provenance: Provenance::Reported,
                resampled: None,
            },
        );
        let notes = &mut case.plan.notes;
        notes.push(format!(
            "model {} on {}: per-request energy attributed by the source (steady-state \
             energy per token x output length), not measured",
            self.model_id,
            self.configuration()
        ));
        let batch = self
            .mean_batch
            .map(|b| format!("mean batch {b:.1}"))
            .unwrap_or_else(|| "mean batch unknown (no prometheus.json)".into());
        notes.push(format!(
            "steady state: {:.3} s, {:.3} J of GPU energy, {:.6} J per output token, \
             {batch}; {:.3} J per request (J per token x mean output length)",
            self.steady_duration_s,
            self.steady_energy_j,
            self.energy_per_token_j,
            self.energy_per_request_j()
        ));
        if self.failed > 0 {
            notes.push(format!(
                "{} failed requests (success: false): no energy or tokens, their time kept",
                self.failed
            ));
        }
        let why = self.unstable();
        if !why.is_empty() {
            case.quality.push(warning(
                "unstable",
                format!(
                    "ML.ENERGY would call this run unstable: {}; its steady-state figures \
                     are not comparable",
                    why.join("; ")
                ),
            ));
        }
        case
    }

    /// The energy per request as the source defines it: energy per token times the mean
    /// output length of the successful requests.
    pub fn energy_per_request_j(&self) -> f64 {
        let tokens: Vec<f64> = self
            .requests
            .iter()
            .filter_map(|q| q.output_tokens)
            .collect();
        self.energy_per_token_j * tokens.iter().sum::<f64>() / tokens.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(duration: f64) -> Value {
        json!({
            "model_id": "Qwen/Qwen3-8B", "gpu_model": "H100", "num_gpus": 1,
            "max_num_seqs": 4, "num_prompts": 3,
            "steady_state_duration": duration, "steady_state_energy": 100.0,
            "steady_state_energy_per_token": 0.5,
            "results": [
                {"success": true, "latency": 2.0, "ttft": 0.1, "input_len": 10,
                 "output_len": 4, "energy": 2.0},
                {"success": false, "latency": 0.0, "ttft": 0.0, "input_len": 10,
                 "output_len": 0, "energy": 0.0},
                {"success": true, "latency": 3.0, "ttft": 0.2, "input_len": 20,
                 "output_len": 8, "energy": 4.0}
            ]
        })
    }

    #[test]
    fn failed_requests_keep_their_place_without_energy() {
        let r = run(&doc(30.0), None).expect("run");
        assert_eq!((r.requests.len(), r.failed), (3, 1));
        assert_eq!(r.requests[1].energy_j["gpu"], None);
        assert_eq!(r.requests[2].output_tokens, Some(8.0));
        assert_eq!(r.energy_per_request_j(), 3.0);
        assert!(r.unstable().is_empty());
    }

    #[test]
    fn a_short_steady_state_or_a_thin_batch_is_unstable() {
        let p = json!({"steady_state_stats": {"vllm:num_requests_running": 3.0}});
        let r = run(&doc(19.0), Some(&p)).expect("run");
        let why = r.unstable();
        assert_eq!(why.len(), 2, "{why:?}");
        assert!(
            why[0].contains("19.0 s") && why[1].contains("75%"),
            "{why:?}"
        );
        // 3.4 of 4 is exactly 85%: stable.
        let p = json!({"steady_state_stats": {"vllm:num_requests_running": 3.4}});
        assert!(run(&doc(20.0), Some(&p))
            .expect("run")
            .unstable()
            .is_empty());
    }

    #[test]
    fn errors_name_the_field() {
        let mut d = doc(30.0);
        d["results"][2]["latency"] = json!("fast");
        let e = run(&d, None).expect_err("bad latency");
        assert!(e.contains("`results[2].latency`"), "{e}");
        let mut d = doc(30.0);
        d.as_object_mut()
            .expect("object")
            .remove("steady_state_energy_per_token");
        let e = run(&d, None).expect_err("no energy per token");
        assert!(e.contains("`steady_state_energy_per_token`"), "{e}");
        let e = run(&json!({"iteration_energy_measurements": []}), None).expect_err("diffusion");
        assert!(e.contains("diffusion run"), "{e}");
        let p = json!({"steady_state_stats": {"vllm:num_requests_running": "many"}});
        let e = run(&doc(30.0), Some(&p)).expect_err("bad batch");
        assert!(e.contains("vllm:num_requests_running"), "{e}");
    }
}
