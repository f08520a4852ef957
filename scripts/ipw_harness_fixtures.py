"""Writes the small IPW-harness runs that `cargo ipw import ipw-harness` is tested on,
with the real writers: Hugging Face `datasets` (`save_to_disk`: Arrow IPC stream files
`data-00000-of-00001.arrow` with `dataset_info.json` and `state.json`) and `pyarrow` (an
Arrow IPC *file* copy of the bench run), in the harness's two schemas:

- single-turn: one row per query, `problem, answer, subject, dataset_metadata,
  model_answers{model: str}, model_metrics{model: ModelMetrics}`, missing values -1;
- bench/agentic (flat trace): one row per query, `query_id, workload_type, ...,
  total_gpu_energy_joules, total_cpu_energy_joules, total_wall_clock_s, completed,
  timed_out, is_resolved, unscorable_reason`, beside a `summary.json`.

Usage: python3 scripts/ipw_harness_fixtures.py OUT_DIR
(CI writes them afresh and the tests in reports/tests/import_ipw_harness.rs read both the
fresh ones and the committed copy in reports/tests/fixtures/ipw-harness.)

The hand-computed values the tests check are in the comments below.
"""

import json
import os
import sys

import datasets
import pyarrow as pa

GPU = "NVIDIA H100 80GB HBM3"


def model_metrics(gpu_j, cpu_j, seconds, ttft, tokens_in, tokens_out, correct):
    """One model's ModelMetrics for one query, as the harness nests it."""
    watts = {"avg": gpu_j / seconds, "max": gpu_j / seconds, "median": gpu_j / seconds,
             "min": gpu_j / seconds}
    missing = {"avg": -1.0, "max": -1.0, "median": -1.0, "min": -1.0}
    return {
        "energy_metrics": {
            "per_query_joules": gpu_j, "total_joules": gpu_j,
            "cpu_per_query_joules": cpu_j, "cpu_total_joules": cpu_j,
            "ane_per_query_joules": -1.0, "ane_total_joules": -1.0,
            "soc_per_query_joules": -1.0,
        },
        "latency_metrics": {
            "per_token_ms": 1000.0 * seconds / tokens_out,
            "throughput_tokens_per_sec": tokens_out / seconds,
            "time_to_first_token_seconds": ttft,
            "total_query_seconds": seconds,
        },
        "power_metrics": {
            "gpu": {"per_query_watts": watts, "total_watts": watts},
            "cpu": {"per_query_watts": missing, "total_watts": missing},
            "ane": {"per_query_watts": missing, "total_watts": missing},
            "soc": {"per_query_watts": missing, "total_watts": missing},
        },
        "token_metrics": {"input": tokens_in, "output": tokens_out,
                          "total": tokens_in + tokens_out},
        "phase_metrics": {"prefill_energy_j": -1.0, "decode_energy_j": -1.0,
                          "prefill_duration_ms": -1.0, "decode_duration_ms": -1.0},
        "gpu_info": {"name": GPU, "vendor": "NVIDIA", "device_id": "0",
                     "device_type": "gpu", "backend": "vllm"},
        "system_info": {"os_name": "Linux", "cpu_brand": "Example CPU", "cpu_count": 64},
        "lm_correctness": correct is True,
        "lm_response": "...",
        "evaluation": {"is_correct": correct, "metadata": "{}"},
    }


def single_turn(out):
    # model-a: judged 5 (question 4 unscorable), 4 right: accuracy 0.8; energy
    # 210 J GPU + 21 J CPU = 231 J: J/correct 57.75, J/query 38.5; 210 output tokens:
    # 1.1 J/output token; 600 input tokens: 0.385 J/input token.
    # model-b: 3 of 6 right: accuracy 0.5; 30 J + 3 J = 33 J: J/correct 11; 60 output
    # tokens: 0.55 J/output token.
    a_right = [True, True, False, True, None, True]
    b_right = [True, False, False, True, True, False]
    rows = []
    for i in range(6):
        n = i + 1
        rows.append({
            "problem": f"What is {n} + {n}?",
            "answer": str(2 * n),
            "subject": "arithmetic",
            "dataset_metadata": json.dumps({"source": "fixture", "index": i}),
            "model_answers": {"model-a": str(2 * n), "model-b": str(2 * n)},
            "model_metrics": {
                "model-a": model_metrics(10.0 * n, 1.0 * n, 1.0 * n, 0.1 * n, 100, 10 * n,
                                         a_right[i]),
                "model-b": model_metrics(5.0, 0.5, 0.5, 0.05, 100, 10, b_right[i]),
            },
        })
    path = os.path.join(out, "single-turn", "runs", "h100-run")
    datasets.Dataset.from_list(rows).save_to_disk(path)


def bench(out):
    # 5 queries: q4 timed out, q5 unscorable: judged 3, 2 resolved: accuracy 2/3;
    # energy 1500 J GPU + 150 J CPU = 1650 J: J/correct 825; 1500 output tokens: 1.1
    # J/output token; 5000 input tokens: 0.33 J/input token.
    resolved = [True, False, True, None, None]
    rows = []
    for i in range(5):
        n = i + 1
        rows.append({
            "query_id": f"q{n}",
            "workload_type": "swe-bench-lite",
            "query_text": f"task {n}",
            "response_text": "patch",
            "num_turns": 3,
            "total_input_tokens": 1000,
            "total_output_tokens": 100 * n,
            "total_tool_calls": 2,
            "total_wall_clock_s": 10.0 * n,
            "total_gpu_energy_joules": 100.0 * n,
            "total_cpu_energy_joules": 10.0 * n,
            "total_tokens": 1000 + 100 * n,
            "total_cost_usd": 0.0,
            "avg_gpu_power_watts": 10.0,
            "avg_cpu_power_watts": 1.0,
            "throughput_tokens_per_sec": 10.0,
            "energy_per_token_joules": 110.0 * n / (1000 + 100 * n),
            "completed": n != 4,
            "timed_out": n == 4,
            "is_resolved": resolved[i],
            "unscorable_reason": "no reference answer" if n == 5 else None,
        })
    path = os.path.join(out, "bench", "runs", "agent-run")
    ds = datasets.Dataset.from_list(rows)
    ds.save_to_disk(path)
    summary = {
        "config": {"model": "agent-model", "hardware": "NVIDIA A100-SXM4-40GB",
                   "harness_version": "0.3.0"},
        "totals": {"queries": 5},
        "efficiency": {"accuracy": 2 / 3, "ipj": None, "ipw": None},
    }
    with open(os.path.join(path, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    # The same table in the Arrow IPC file format, as pyarrow writes it.
    table = ds.data.table
    file_dir = os.path.join(out, "bench-file")
    os.makedirs(file_dir, exist_ok=True)
    with pa.OSFile(os.path.join(file_dir, "trace.arrow"), "wb") as sink:
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    with open(os.path.join(file_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    out = sys.argv[1]
    single_turn(out)
    bench(out)
    print(f"wrote IPW-harness fixtures under {out}")
