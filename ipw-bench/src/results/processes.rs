//! The results of the child processes of a `--processes N` run, merged into one document:
//! every case's samples from every process (each marked with its process), its question
//! set summed over them, and every estimate, comparison and quality warning analysed
//! again from the merged samples.

use super::{CaseResult, Idle, QuestionSet, RunResults, RunStatus, Status};
use crate::analysis::estimates::{answers, merged_latency};
use crate::analysis::outliers::time_outliers;
use crate::analysis::processes::processes_summary;
use crate::analysis::record::Latency;
use crate::analysis::{carbon, case_estimates, case_seed, quality, sizing};

/// The processes' documents, in process order (`(index, document)`), as one document.
/// The first one gives what every process shares (sensors, trace, tool); idle power is the
/// mean of the processes'; a case's latency percentiles are those of every process's
/// answers together (from the histograms the children hand over); its plan and survival
/// score are its first process's. A case that failed in some process is said in a run
/// warning. Estimates are not yet computed: see [`reanalyse`].
pub fn merge_processes(parts: &[(u32, RunResults)]) -> Option<RunResults> {
    let (_, first) = parts.first()?;
    let mut run = first.clone();
    let mut cases: Vec<CaseResult> = Vec::new();
    let mut latencies: Vec<Vec<&Latency>> = Vec::new();
    let mut failures = Vec::new();
    for (k, part) in parts {
        for c in &part.cases {
            if c.status == Status::Failed {
                failures.push(format!(
                    "{} failed in process {}: {}; that process's samples of it are left out",
                    c.id,
                    k + 1,
                    c.message.as_deref().unwrap_or("no message")
                ));
            }
            let mut samples = c.samples.clone();
            for s in &mut samples {
                s.process = Some(*k);
            }
            match cases.iter().position(|m| m.id == c.id) {
                Some(i) => {
                    let m = &mut cases[i];
                    latencies[i].extend(c.latency.as_ref());
                    m.samples.extend(samples);
                    m.question_set = sum_sets(m.question_set.take(), c.question_set.as_ref());
                    m.provenance = m.provenance.weakest(c.provenance);
                    if m.status != Status::Ok && c.status == Status::Ok {
                        (m.status, m.message) = (Status::Ok, None);
                    }
                    m.quality.extend(c.quality.iter().cloned());
                }
                None => {
                    latencies.push(c.latency.iter().collect());
                    let mut c = c.clone();
                    c.samples = samples;
                    cases.push(c);
                }
            }
        }
    }
    for (c, parts) in cases.iter_mut().zip(&latencies) {
        if parts.len() > 1 {
            if let Some(l) = merged_latency(parts) {
                c.latency = Some(l);
            }
        }
        if let Some(l) = &mut c.latency {
            l.buckets.clear();
        }
        let mut seen = Vec::new();
        c.quality.retain(|q| {
            let new = !seen.contains(&q.code);
            seen.push(q.code.clone());
            new
        });
    }
    run.cases = cases;
    run.idle = mean_idle(parts);
    run.warnings = parts
        .iter()
        .flat_map(|(_, p)| p.warnings.iter().cloned())
        .fold(Vec::new(), |mut all, w| {
            if !all.contains(&w) {
                all.push(w);
            }
            all
        });
    run.warnings.extend(failures);
    // A child's checkpoint (`running`) is a child that crashed: its loss is warned of by
    // the parent, and the merged run is complete unless a signal stopped one.
    run.run.status = if parts
        .iter()
        .any(|(_, p)| p.run.status == RunStatus::Interrupted)
    {
        RunStatus::Interrupted
    } else {
        RunStatus::Complete
    };
    Some(run)
}

/// Every estimate, answer count, sizing, process summary and comparison of `run` from its
/// samples, its idle power and its seed, through the analysis a measured run goes through;
/// quality warnings from the samples are recomputed, those from the trace kept. Skipped
/// cases keep no warnings.
pub fn reanalyse(mut run: RunResults, energy_noise: f64) -> RunResults {
    let seed = run.run.seed;
    for c in &mut run.cases {
        let mut e = case_estimates(
            &c.samples,
            c.question_set.as_ref(),
            run.idle.mean_w,
            c.provenance,
            case_seed(seed, &c.id),
        );
        carbon::add_estimates(&mut e, &run.carbon);
        c.estimates = e;
        c.sizing = c.question_set.as_ref().and_then(sizing);
        c.answers = answers(&c.samples);
        c.outliers = time_outliers(&c.samples);
        c.processes = processes_summary(&c.samples);
        if c.status == Status::Skipped {
            c.quality.clear();
        } else {
            let mut q = quality::case_warnings(&c.samples, c.provenance, &c.plan.notes);
            let from_samples: Vec<String> = q.iter().map(|w| w.code.clone()).collect();
            q.extend(
                c.quality
                    .iter()
                    .filter(|w| !SAMPLE_CODES.contains(&w.code.as_str()))
                    .filter(|w| !from_samples.contains(&w.code))
                    .cloned(),
            );
            c.quality = q;
        }
    }
    let mut groups: Vec<String> = Vec::new();
    for c in &run.cases {
        if !groups.contains(&c.group) {
            groups.push(c.group.clone());
        }
    }
    run.comparisons = groups
        .iter()
        .flat_map(|g| {
            let members: Vec<&CaseResult> = run.cases.iter().filter(|c| &c.group == g).collect();
            crate::analysis::compare_group(g, &members, energy_noise, case_seed(seed, g))
        })
        .collect();
    run
}

/// The quality codes that come from the samples alone (recomputed by [`reanalyse`]).
const SAMPLE_CODES: &[&str] = &[
    "estimated-energy",
    "synthetic-energy",
    "invalid-windows",
    "short-window",
    "zero-energy",
    "high-variation",
    "not-steady",
    "drift",
    "schedule",
];

/// Two question sets of one case summed question by question.
fn sum_sets(a: Option<QuestionSet>, b: Option<&QuestionSet>) -> Option<QuestionSet> {
    let (mut a, b) = match (a, b) {
        (Some(a), Some(b)) if a.questions == b.questions => (a, b),
        (a, _) => return a,
    };
    a.passes += b.passes;
    a.answers += b.answers;
    for (q, r) in a.per_question.iter_mut().zip(&b.per_question) {
        q.asked += r.asked;
        q.correct += r.correct;
        q.incorrect += r.incorrect;
        q.unjudged += r.unjudged;
        q.time_s += r.time_s;
        q.energy_j = q.energy_j.zip(r.energy_j).map(|(x, y)| x + y);
    }
    if a.energy_method != b.energy_method {
        a.energy_method = "mixed".to_string();
    }
    Some(a)
}

/// Idle power over the processes: the first's before, the last's after, the mean of the
/// means.
fn mean_idle(parts: &[(u32, RunResults)]) -> Idle {
    let means: Vec<f64> = parts.iter().filter_map(|(_, p)| p.idle.mean_w).collect();
    let before = parts.first().and_then(|(_, p)| p.idle.before.clone());
    let after = parts.last().and_then(|(_, p)| p.idle.after.clone());
    let drift_w = before
        .as_ref()
        .zip(after.as_ref())
        .and_then(|(b, a)| Some(a.power_w? - b.power_w?));
    let drift_fraction = drift_w
        .zip(before.as_ref().and_then(|b| b.power_w))
        .map(|(d, b)| d / b);
    Idle {
        before,
        after,
        mean_w: (!means.is_empty()).then(|| means.iter().sum::<f64>() / means.len() as f64),
        drift_w,
        drift_fraction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::{analysed, example_run, synthetic_case};

    #[test]
    fn processes_merge_into_one_case_set_analysed_over_processes() {
        let cases = vec![
            synthetic_case("llm/int8", 1.0, 8, 1, Some(0.7)),
            synthetic_case("llm/fp16", 1.5, 8, 2, Some(0.65)),
        ];
        let one = analysed(example_run("models", 42, cases));
        // Three processes, the second 1% and the third 2% slower (and costlier) than the
        // first.
        let parts: Vec<(u32, RunResults)> = (0..3)
            .map(|k| {
                let mut p = one.clone();
                for s in p.cases.iter_mut().flat_map(|c| c.samples.iter_mut()) {
                    let f = 1.0 + 0.01 * f64::from(k);
                    s.elapsed_s *= f;
                    s.window_s *= f;
                    s.energy_total_j = s.energy_total_j.map(|e| e * f);
                }
                (k, p)
            })
            .collect();
        let merged = reanalyse(merge_processes(&parts).expect("parts"), 0.02);
        assert_eq!(merged.cases.len(), one.cases.len());
        let ok = merged
            .cases
            .iter()
            .find(|c| c.status == Status::Ok && !c.samples.is_empty())
            .expect("a measured case");
        let single = one.cases.iter().find(|c| c.id == ok.id).expect("same id");
        assert_eq!(ok.samples.len(), 3 * single.samples.len());
        let p = ok.processes.as_ref().expect("three processes");
        assert_eq!(p.count, 3);
        let t = &ok.estimates["time_per_iter_s"];
        assert_eq!(t.resampled.as_deref(), Some("processes"));
        // The mean of the processes' points: 1.01 times the first's, and the interval
        // holds the three.
        let point = single.estimates["time_per_iter_s"].point;
        assert!(
            (t.point - 1.01 * point).abs() <= 1e-12 * point,
            "{} {point}",
            t.point
        );
        assert!(t.ci_low < point && t.ci_high > 1.02 * point, "{t:?}");
        if let (Some(a), Some(b)) = (&ok.question_set, &single.question_set) {
            assert_eq!(a.passes, 3 * b.passes);
        }
        assert_eq!(merged.comparisons.len(), one.comparisons.len());
    }
}
