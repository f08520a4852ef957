//! Imported queries as a results file that `cargo ipw report` and `compare` read like a
//! native run: each subject (model x hardware) a query case that answered its question
//! set once, one sample and one question per query, analysed by the bench binary's own
//! code (`case_estimates`: intervals over questions), the models on one hardware compared
//! paired on their shared questions (`compare_group`), plus the per-token metrics.
//! Shared by the importers: [`analysed_case`] makes one case, [`run_document`] the file.

use super::harness::{Query, Subject};
use ipw_bench::analysis::compare::DEFAULT_ENERGY_NOISE;
use ipw_bench::analysis::estimates::{answers, CONFIDENCE};
use ipw_bench::analysis::outliers::time_outliers;
use ipw_bench::analysis::{bootstrap_samples, case_estimates, case_seed, compare_group, sizing};
use ipw_bench::results::{
    Carbon, CasePlan, CaseResult, Estimate, Host, Idle, Latency, Provenance, QualityWarning,
    Question, QuestionSet, RunInfo, RunResults, Sample, Status, Tool, SCHEMA_VERSION,
};
use ipw_bench::stats::bootstrap::quantile_sorted;
use std::collections::{BTreeMap, BTreeSet};

/// Where imported numbers come from, for the run's `config` and notes.
#[derive(Debug, Clone)]
pub struct Source {
    /// `ipw-harness`, `ml-energy`.
    pub tool: String,
    /// The harness's version, when its files say it.
    pub version: Option<String>,
    /// The files read, as given.
    pub files: Vec<String>,
    /// When the source's files were written (RFC 3339), standing for the run's time.
    pub written_at: String,
}

impl Source {
    /// `imported from ipw-harness 0.3.0` (or `... version unknown`).
    pub fn label(&self) -> String {
        format!(
            "imported from {} {}",
            self.tool,
            self.version.as_deref().unwrap_or("(version unknown)")
        )
    }
}

/// The query metrics imported runs add, by results.json key: joules per output token and
/// per input token (energy over the tokens of the questions whose both are known), and the
/// mean time to first token, each with an interval over questions.
pub const TOKEN_METRICS: [(&str, &str); 3] = [
    ("joules_per_output_token", "J"),
    ("joules_per_input_token", "J"),
    ("ttft_mean_s", "s"),
];

/// Each query's energy over the domains the subject measured: `None` when one of them
/// is missing for that query.
fn total_energy(q: &Query, domains: &BTreeSet<String>) -> Option<f64> {
    domains
        .iter()
        .map(|d| q.energy_j.get(d).copied().flatten())
        .sum()
}

fn case_of(group: &str, s: &Subject, note: &str, provenance: Provenance) -> CaseResult {
    let domains: BTreeSet<String> = s
        .queries
        .iter()
        .flat_map(|q| q.energy_j.iter())
        .filter(|(_, v)| v.is_some())
        .map(|(d, _)| d.clone())
        .collect();
    let mut samples = Vec::with_capacity(s.queries.len());
    let mut per_question = Vec::with_capacity(s.queries.len());
    let mut start = 0.0;
    for (i, q) in s.queries.iter().enumerate() {
        let energy = total_energy(q, &domains);
        let secs = q.seconds.unwrap_or(0.0);
        let (right, wrong, unjudged) = match q.correct {
            Some(true) => (1.0, 0.0, 0),
            Some(false) => (0.0, 1.0, 0),
            None => (0.0, 0.0, 1),
        };
        samples.push(Sample {
            iters: 1,
            elapsed_s: secs,
            start_s: start,
            window_s: secs,
            energy_j: domains
                .iter()
                .map(|d| (d.clone(), q.energy_j.get(d).copied().flatten()))
                .collect(),
            energy_total_j: energy,
            method: "imported-per-query".into(),
            valid: energy.is_some() && secs > 0.0,
            flags: Vec::new(),
            correct: Some(right),
            incorrect: Some(wrong),
            unjudged: Some(unjudged),
            delay_s: None,
            energy_windows: 1,
            first_question: Some(i as u64),
            process: None,
        });
        per_question.push(Question {
            index: i as u64,
            asked: 1,
            correct: right,
            incorrect: wrong,
            unjudged,
            time_s: secs,
            energy_j: energy,
        });
        start += secs;
    }
    let n = s.queries.len() as u64;
    let mut notes = vec![format!("{note}: one sample per query")];
    let no_time = s.queries.iter().filter(|q| q.seconds.is_none()).count();
    if no_time > 0 {
        notes.push(format!(
            "{no_time} queries without a latency: their samples are invalid"
        ));
    }
    CaseResult {
        id: format!("{group}/{}", s.model),
        group: group.into(),
        name: group.into(),
        variant: Some(s.model.clone()),
        status: Status::Ok,
        message: None,
        kind: Some("queries".into()),
        provenance,
        plan: CasePlan {
            warm_up_time_s: 0.0,
            warm_up_iters: 0,
            measurement_time_s: start,
            max_time_s: 0.0,
            sample_size_requested: s.queries.len(),
            iters_per_sample: 1,
            notes,
        },
        samples,
        estimates: BTreeMap::new(),
        quality: Vec::new(),
        latency: latency(&s.queries),
        answers: None,
        baseline: None,
        survival: None,
        question_set: Some(QuestionSet {
            questions: n,
            passes: 1,
            answers: n,
            energy_method: "per-answer-window".into(),
            per_question,
        }),
        sizing: None,
        processes: None,
        run_started_at: None,
        throughput: None,
        outliers: None,
    }
}

/// Latency percentiles over queries, exact (no histogram).
fn latency(queries: &[Query]) -> Option<Latency> {
    let mut v: Vec<f64> = queries.iter().filter_map(|q| q.seconds).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(Latency {
        count: v.len() as u64,
        p50_s: quantile_sorted(&v, 0.5),
        p90_s: quantile_sorted(&v, 0.9),
        p99_s: quantile_sorted(&v, 0.99),
        mean_s: v.iter().sum::<f64>() / v.len() as f64,
        relative_error: 0.0,
        buckets: Vec::new(),
    })
}

/// A ratio of sums over questions with its bootstrap interval over questions.
fn ratio_estimate(
    num: &[f64],
    den: &[f64],
    unit: &str,
    provenance: Provenance,
    seed: u64,
) -> Option<Estimate> {
    let sum = |v: &[f64], idx: &[usize]| idx.iter().map(|&i| v[i]).sum::<f64>();
    let ratio = |idx: &[usize]| sum(num, idx) / sum(den, idx);
    let all: Vec<usize> = (0..num.len()).collect();
    let point = ratio(&all);
    if num.is_empty() || !point.is_finite() {
        return None;
    }
    let i = bootstrap_samples(num.len(), seed, point, ratio);
    Some(Estimate {
        point,
        ci_low: i.low,
        ci_high: i.high,
        confidence: CONFIDENCE,
        method: if num.len() < 2 {
            "degenerate"
        } else {
            "percentile"
        }
        .into(),
        unit: unit.into(),
        provenance,
        resampled: Some("questions".into()),
    })
}

/// The per-token and TTFT estimates of a subject ([`TOKEN_METRICS`]).
fn token_estimates(s: &Subject, case: &CaseResult, seed: u64) -> BTreeMap<String, Estimate> {
    let energy: Vec<Option<f64>> = case.samples.iter().map(|x| x.energy_total_j).collect();
    let pairs = |tokens: fn(&Query) -> Option<f64>| -> (Vec<f64>, Vec<f64>) {
        s.queries
            .iter()
            .zip(&energy)
            .filter_map(|(q, e)| Some((e.as_ref().copied()?, tokens(q)?)))
            .unzip()
    };
    let p = case.provenance;
    let mut out = BTreeMap::new();
    let (e, t) = pairs(|q| q.output_tokens);
    if let Some(x) = ratio_estimate(&e, &t, "J", p, seed ^ 0x70) {
        out.insert(TOKEN_METRICS[0].0.to_string(), x);
    }
    let (e, t) = pairs(|q| q.input_tokens);
    if let Some(x) = ratio_estimate(&e, &t, "J", p, seed ^ 0x71) {
        out.insert(TOKEN_METRICS[1].0.to_string(), x);
    }
    let ttft: Vec<f64> = s.queries.iter().filter_map(|q| q.ttft_s).collect();
    let ones = vec![1.0; ttft.len()];
    if let Some(x) = ratio_estimate(&ttft, &ones, "s", Provenance::Measured, seed ^ 0x72) {
        out.insert(TOKEN_METRICS[2].0.to_string(), x);
    }
    out
}

/// The results file of `subjects` (all on `hardware`, in one group), analysed with `seed`.
pub fn run_results(
    hardware: &str,
    group: &str,
    subjects: &[&Subject],
    source: &Source,
    seed: u64,
) -> RunResults {
    let note = source.label();
    let cases = subjects
        .iter()
        .map(|s| analysed_case(group, s, &note, Provenance::Measured, seed))
        .collect();
    let warning = format!(
        "{note}: energy per query as the source measured it; no idle power, sensor \
         trace or host details were recorded (null, and 0 CPUs)"
    );
    run_document(hardware, cases, source, seed, warning)
}

/// One subject as an analysed query case `<group>/<model>`: estimates over its questions
/// (with `provenance`: `estimated` where the source attributed rather than measured each
/// query's energy), the per-token metrics, sizing, answers and outliers.
pub fn analysed_case(
    group: &str,
    s: &Subject,
    note: &str,
    provenance: Provenance,
    seed: u64,
) -> CaseResult {
    let mut case = case_of(group, s, note, provenance);
    let case_seed = case_seed(seed, &case.id);
    let mut e = case_estimates(
        &case.samples,
        case.question_set.as_ref(),
        None,
        case.provenance,
        case_seed,
    );
    e.extend(token_estimates(s, &case, case_seed));
    case.estimates = e;
    case.sizing = case.question_set.as_ref().and_then(sizing);
    case.answers = answers(&case.samples);
    case.outliers = time_outliers(&case.samples);
    case
}

/// A quality warning of an imported case.
pub fn warning(code: &str, message: String) -> QualityWarning {
    QualityWarning {
        code: code.into(),
        message,
    }
}

/// The results file of analysed `cases` on `hardware`: each group's variants compared
/// (paired on shared questions), `warning` the run's one warning.
pub fn run_document(
    hardware: &str,
    cases: Vec<CaseResult>,
    source: &Source,
    seed: u64,
    warning: String,
) -> RunResults {
    let groups: BTreeSet<&str> = cases.iter().map(|c| c.group.as_str()).collect();
    let comparisons = groups
        .into_iter()
        .flat_map(|group| {
            let members: Vec<&CaseResult> = cases.iter().filter(|c| c.group == group).collect();
            compare_group(
                group,
                &members,
                DEFAULT_ENERGY_NOISE,
                case_seed(seed, group),
            )
        })
        .collect();
    let duration_s = cases.iter().map(|c| c.plan.measurement_time_s).sum();
    RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "cargo-ipw import".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        bench: source.tool.clone(),
        run: RunInfo {
            started_at: source.written_at.clone(),
            finished_at: source.written_at.clone(),
            duration_s,
            host: Host {
                hostname: Some(hardware.to_string()),
                os: "unknown".into(),
                kernel: None,
                arch: "unknown".into(),
                cpu_model: None,
                cpus: 0,
                memory_bytes: None,
            },
            rustc: None,
            git_commit: None,
            seed,
            status: ipw_bench::results::RunStatus::Complete,
            selected: None,
            resumed: Vec::new(),
            process_wall_s: Vec::new(),
            config: serde_json::json!({
                "provenance": "imported",
                "imported_from": {
                    "tool": source.tool,
                    "version": source.version,
                    "files": source.files,
                },
                "hardware": hardware,
            }),
        },
        sensors: Vec::new(),
        sensors_unused: Vec::new(),
        idle: Idle {
            before: None,
            after: None,
            mean_w: None,
            drift_w: None,
            drift_fraction: None,
        },
        cases,
        carbon: Carbon::default(),
        trace: Vec::new(),
        comparisons,
        warnings: vec![warning],
    }
}
