//! End-to-end tests of `cargo ipw import ml-energy` on ML.ENERGY benchmark v3 runs in the
//! layout and schema its runner writes (`tests/fixtures/ml-energy`, whose README says
//! where the schema comes from and how the expected values are computed).

use ipw_bench::results::{read_results, Provenance, RunResults};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ml-energy")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn import(path: &Path, out: &Path) -> Output {
    run(&[
        "import",
        "ml-energy",
        &path.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ])
}

fn imported(out: &Path, config: &str) -> RunResults {
    read_results(&out.join(config).join("results.json")).expect("imported results")
}

const H100: &str = "H100-x1-max_num_seqs-4";
const B200: &str = "B200-x1-max_num_seqs-4";

#[test]
fn a_run_folder_gives_a_case_per_task_and_model_on_each_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = import(&fixtures().join("run"), dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let run = imported(dir.path(), H100);
    assert_eq!(
        run.run.host.hostname.as_deref(),
        Some("H100 x1, max_num_seqs 4")
    );
    assert_eq!(run.run.config["provenance"], "imported");
    assert_eq!(run.run.config["imported_from"]["tool"], "ml-energy");
    assert_eq!(run.run.config["imported_from"]["version"], "v3");
    assert!(run.warnings[0].starts_with("imported from ml-energy v3"));
    assert!(run.warnings[0].contains("attributed"), "{:?}", run.warnings);
    let ids: Vec<&str> = run.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["gpqa/Qwen--Qwen3-8B", "gpqa/openai--gpt-oss-20b"]);

    let qwen = &run.cases[0];
    assert_eq!(
        (qwen.group.as_str(), qwen.variant.as_deref()),
        ("gpqa", Some("Qwen--Qwen3-8B"))
    );
    // The source's steady-state energy per token, as it reported it: no interval.
    let ept = &qwen.estimates["joules_per_output_token"];
    assert_eq!((ept.point, ept.ci_low, ept.ci_high), (0.5, 0.5, 0.5));
    assert_eq!(ept.provenance, Provenance::Reported);
    assert_eq!(ept.method, "degenerate");
    // Energy per request: the attributed energies' mean over the successful requests,
    // with an interval over requests; estimated, since attributed.
    let jpq = &qwen.estimates["joules_per_query"];
    assert_eq!(jpq.point, 150.0);
    assert_eq!(jpq.resampled.as_deref(), Some("questions"));
    assert!(jpq.ci_low < 150.0 && jpq.ci_high > 150.0, "{jpq:?}");
    assert_eq!(jpq.provenance, Provenance::Estimated);
    assert_eq!(qwen.provenance, Provenance::Estimated);
    assert_eq!(qwen.estimates["ttft_mean_s"].point, 0.75);
    // Energy is attributed by output tokens only: no per-input-token figure.
    assert!(!qwen.estimates.contains_key("joules_per_input_token"));
    // The source judges no answer: no accuracy, every request unjudged.
    assert!(!qwen.estimates.contains_key("accuracy"));
    let answers = qwen.answers.expect("answers");
    assert_eq!((answers.correct, answers.unjudged), (0.0, 6));
    // The failed request keeps its place without energy; six questions.
    assert_eq!(qwen.samples.len(), 6);
    assert_eq!(qwen.samples[5].energy_total_j, None);
    assert_eq!(qwen.samples[4].energy_total_j, Some(250.0));
    assert!(qwen.quality.is_empty(), "{:?}", qwen.quality);
    let notes = qwen.plan.notes.join("\n");
    assert!(notes.contains("attributed by the source"), "{notes}");
    assert!(notes.contains("mean batch 3.6"), "{notes}");
    assert!(notes.contains("150.000 J per request"), "{notes}");
    assert!(notes.contains("1 failed requests"), "{notes}");

    let gpt = &run.cases[1];
    assert_eq!(gpt.estimates["joules_per_output_token"].point, 0.25);
    assert_eq!(gpt.estimates["joules_per_query"].point, 50.0);
    // The two models on the same requests are compared.
    let energy = run
        .comparisons
        .iter()
        .find(|g| g.group == "gpqa")
        .expect("a gpqa comparison");
    assert_eq!(energy.variants, ids, "{energy:?}");
    assert!(!energy.pairwise.is_empty(), "{energy:?}");
}

#[test]
fn an_unstable_run_carries_a_quality_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = fixtures().join(
        "run/llm/gpqa/results/Qwen/Qwen3-8B/B200/num_gpus+1+max_num_seqs+4+seed+48105/results.json",
    );
    let o = import(&file, dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let run = imported(dir.path(), B200);
    let case = &run.cases[0];
    assert_eq!(case.id, "gpqa/Qwen--Qwen3-8B");
    assert_eq!(case.estimates["joules_per_output_token"].point, 0.2);
    assert_eq!(case.estimates["joules_per_query"].point, 10.0);
    let w: Vec<(&str, &str)> = case
        .quality
        .iter()
        .map(|w| (w.code.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "unstable");
    assert!(w[0].1.contains("12.5 s, under 20 s"), "{w:?}");
    assert!(w[0].1.contains("75% of max_num_seqs 4"), "{w:?}");
    // Only the run given was read.
    assert!(!dir.path().join(H100).exists());
}

#[test]
fn imported_runs_render_and_compare_like_native_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("imported");
    let o = import(&fixtures(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let h100 = out.join(H100).join("results.json");
    let b200 = out.join(B200).join("results.json");
    let report = dir.path().join("report");
    let o = run(&[
        "report",
        &h100.to_string_lossy(),
        "--output-dir",
        &report.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(report.join("report/index.html").is_file());
    // The same case id on two GPUs compares across the files.
    let o = run(&[
        "compare",
        &b200.to_string_lossy(),
        &h100.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("gpqa/Qwen--Qwen3-8B"), "{text}");
}

/// A copy of the Qwen H100 run under `dir`, with `edit` applied to its results.json.
fn edited(dir: &Path, edit: impl Fn(&mut serde_json::Value)) -> PathBuf {
    let from = fixtures().join(
        "run/llm/gpqa/results/Qwen/Qwen3-8B/H100/num_gpus+1+max_num_seqs+4+seed+48105/results.json",
    );
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from).expect("fixture")).expect("json");
    edit(&mut v);
    std::fs::create_dir_all(dir).expect("mkdir");
    let path = dir.join("results.json");
    std::fs::write(&path, serde_json::to_string(&v).expect("json")).expect("write");
    path
}

#[test]
fn bad_input_is_one_line_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            edited(&dir.path().join("a"), |v| {
                v.as_object_mut()
                    .expect("object")
                    .remove("steady_state_energy_per_token");
            }),
            "field `steady_state_energy_per_token` is missing",
        ),
        (
            edited(&dir.path().join("b"), |v| {
                v["results"][3]["latency"] = serde_json::json!("slow")
            }),
            "field `results[3].latency` is missing or not a number",
        ),
        (
            edited(&dir.path().join("c"), |v| {
                v["results"] = serde_json::json!({})
            }),
            "field `results` (the per-request array)",
        ),
        (
            edited(&dir.path().join("d"), |v| {
                v["max_num_seqs"] = serde_json::json!(4.5)
            }),
            "field `max_num_seqs` is missing or not a whole number",
        ),
        (dir.path().join("missing/results.json"), "no such file"),
    ];
    let not_json = dir.path().join("e/results.json");
    std::fs::create_dir_all(not_json.parent().expect("parent")).expect("mkdir");
    std::fs::write(&not_json, "{\"model_id\": ").expect("write");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    for (path, needle) in cases
        .into_iter()
        .chain([(not_json, "not JSON"), (empty, "no results.json")])
    {
        let o = import(&path, &dir.path().join("out"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{path:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{path:?}: {err}");
        if needle.starts_with("field") {
            assert!(err.contains("results.json"), "{err}");
        }
    }
}

#[test]
fn a_bad_prometheus_json_is_named_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = edited(dir.path(), |_| {});
    std::fs::write(
        dir.path().join("prometheus.json"),
        r#"{"steady_state_stats": {"vllm:num_requests_running": "busy"}}"#,
    )
    .expect("write");
    let o = import(&file, &dir.path().join("out"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("results.json") && err.contains("vllm:num_requests_running"),
        "{err}"
    );
}
