//! Query cases answer their question set in whole passes: a deterministic subject gets
//! exactly its question set's accuracy whatever the sample budget, every question is
//! asked equally often, and the counts add up.

use ipw_bench::results::{read_results, CaseResult};
use ipw_tests::{results_path, run, text};
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-questions");

/// Run `filter` with these sample settings and return its case.
fn case(filter: &str, sample_size: &str, measurement_s: &str, max_s: &str) -> CaseResult {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = [
        "--bench",
        "--sensors",
        "synthetic:50",
        "--sample-size",
        sample_size,
        "--warm-up-time",
        "0.02",
        "--measurement-time",
        measurement_s,
        "--max-time",
        max_s,
        "--idle-time",
        "0",
        "--exact",
        filter,
    ];
    let o = run(Path::new(EXE), dir.path(), &args);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    let run = read_results(&results_path(dir.path(), "ipw-questions")).expect("results");
    run.cases.into_iter().next().expect("the case")
}

#[track_caller]
fn assert_whole_passes(c: &CaseResult, questions: u64) {
    let set = c.question_set.as_ref().expect("a question set");
    assert_eq!(set.questions, questions, "{}", c.id);
    assert_eq!(set.per_question.len() as u64, questions);
    assert!(set.passes >= 1);
    assert_eq!(set.answers, set.passes * questions);
    assert!(
        set.per_question.iter().all(|q| q.asked == set.passes),
        "every question asked {} times",
        set.passes
    );
    let answers = c.answers.as_ref().expect("answers");
    assert_eq!(
        answers.queries, set.answers,
        "the samples' answers are the passes'"
    );
    assert_eq!(c.samples.iter().map(|s| s.iters).sum::<u64>(), set.answers);
    // Exactly the set's accuracy: three quarters, not a partial pass's share.
    assert_eq!(c.estimates["accuracy"].point, 0.75, "{}", c.id);
    assert_eq!(c.estimates["accuracy_fixed_set"].point, 0.75, "{}", c.id);
    assert_eq!(
        c.estimates["accuracy"].resampled.as_deref(),
        Some("questions")
    );
    let sizing = c.sizing.as_ref().expect("sizing");
    assert_eq!(sizing.questions, questions);
}

#[test]
fn a_deterministic_subject_gets_its_set_accuracy_whatever_the_budget() {
    // 400 questions of at least 20 µs: a pass is 8 ms or more. Samples of 1, 15 and 40 ms:
    // a sample budget shorter than a pass, between one and two, and several passes;
    // samples are at least ten updates of the synthetic sensor, and are rounded up to
    // whole passes.
    for (size, time) in [("10", "0.01"), ("10", "0.15"), ("10", "0.4")] {
        let c = case("sets/three_quarters/400", size, time, "5");
        assert_whole_passes(&c, 400);
        // Whole passes begin at question 0; on a loaded machine a pass can outgrow a
        // sample and be cut into chunks, which begin at a chunk's first question.
        assert!(c.samples.iter().any(|s| s.first_question == Some(0)));
    }
    // 4000 questions: a pass of 80 ms is longer than a sample of 20 ms, so each sample is
    // a chunk of a pass, and the case ends on a pass boundary.
    let c = case("sets/three_quarters/4000", "10", "0.2", "5");
    assert_whole_passes(&c, 4000);
    let chunks: std::collections::BTreeSet<u64> =
        c.samples.iter().filter_map(|s| s.first_question).collect();
    assert!(chunks.len() >= 2, "samples are chunks: {chunks:?}");
    assert!(
        c.plan
            .notes
            .iter()
            .any(|n| n.contains("longer than a sample")),
        "{:?}",
        c.plan.notes
    );
    // A --max-time shorter than one pass: one whole pass all the same, and a note says so.
    let c = case("sets/three_quarters/4000", "10", "0.2", "0.05");
    assert_whole_passes(&c, 4000);
    assert_eq!(c.question_set.as_ref().map(|s| s.passes), Some(1));
    assert!(
        c.plan
            .notes
            .iter()
            .any(|n| n.contains("longer than --max-time")),
        "{:?}",
        c.plan.notes
    );
}

#[test]
fn a_fast_subject_stays_within_its_time_and_counts_every_answer() {
    let t = std::time::Instant::now();
    let c = case("memory/fast", "10", "0.5", "3");
    assert!(t.elapsed().as_secs_f64() < 30.0, "{:?}", t.elapsed());
    let set = c.question_set.as_ref().expect("a question set");
    assert_eq!(set.questions, 1_000);
    assert!(set.answers >= 10_000, "{} answers", set.answers);
    // Per pass: 250 right, 250 half right, 250 unjudged, 250 wrong.
    let q = &set.per_question;
    assert_eq!(q[0].correct, set.passes as f64);
    assert_eq!(q[1].correct, set.passes as f64 * 0.5);
    assert_eq!(q[2].unjudged, set.passes);
    assert_eq!(q[3].incorrect, set.passes as f64);
    assert_eq!(c.estimates["accuracy"].point, 0.5);
    let latency = c.latency.as_ref().expect("latency");
    assert_eq!(latency.count, set.answers);
    assert!(latency.relative_error > 0.0 && latency.relative_error <= 1e-3);
}

#[test]
fn answers_long_enough_get_their_own_energy_windows() {
    let c = case("sets/slow", "10", "0.5", "5");
    assert_whole_passes(&c, 8);
    let set = c.question_set.as_ref().expect("a question set");
    assert_eq!(set.energy_method, "per-answer-window");
    // A constant 50 W source read at each answer's exact edges: each question's energy is
    // 50 W times its answers' time, to within the time between reading the edge and the
    // clock (tens of microseconds on a loaded machine, against 24 ms: 0.4% at most).
    for q in &set.per_question {
        let e = q.energy_j.expect("valid windows");
        assert!(
            (e / q.time_s - 50.0).abs() < 0.2,
            "{} J over {} s",
            e,
            q.time_s
        );
        assert!(q.time_s >= 0.012 * q.asked as f64);
    }
    // The fast subject's answers share their sample's energy by time.
    let fast = case("sets/three_quarters/400", "10", "0.1", "5");
    let method = fast.question_set.as_ref().map(|s| s.energy_method.as_str());
    assert_eq!(method, Some("time-share"));
}
