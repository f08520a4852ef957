//! `--csv`: every sample of every case as one CSV row; with `--questions`, every
//! question of every query case instead.
//!
//! Columns: `bench, host, case_id, group, name, variant, sample, iters, elapsed_s,
//! window_s, energy_total_j, valid, correct, incorrect, unjudged`, then one
//! `energy_j_<domain>` per energy domain found in any of the files (sorted). `sample`
//! counts from 0 within a case; `valid` is `true` or `false`; an unavailable value (a
//! host name, an invalid window's energy) is an empty field, never 0. Text fields go through
//! [`text_field`]: quoted as RFC 4180 says, and a leading `'` where a spreadsheet would
//! read the text as a formula; numbers are written as they are.
//!
//! `--questions` columns: `bench, host, case_id, group, variant, question, asked, correct,
//! incorrect, unjudged, time_s, energy_j, energy_method`, one row per entry of a case's
//! `question_set.per_question` (cases without a question set have none); `question` is
//! the question's index, the key that pairs two variants' answers; `energy_j` is empty
//! when null.

use ipw_bench::report::csv::text_field;
use ipw_bench::results::RunResults;
use std::collections::BTreeSet;

const FIXED: [&str; 15] = [
    "bench",
    "host",
    "case_id",
    "group",
    "name",
    "variant",
    "sample",
    "iters",
    "elapsed_s",
    "window_s",
    "energy_total_j",
    "valid",
    "correct",
    "incorrect",
    "unjudged",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The CSV text of every sample of every case of `runs`.
pub fn samples_csv(runs: &[RunResults]) -> String {
    let domains: BTreeSet<&str> = runs
        .iter()
        .flat_map(|r| &r.cases)
        .flat_map(|c| &c.samples)
        .flat_map(|s| s.energy_j.keys().map(String::as_str))
        .collect();
    let mut out = String::new();
    let header: Vec<String> = FIXED
        .iter()
        .map(|h| h.to_string())
        .chain(domains.iter().map(|d| format!("energy_j_{d}")))
        .map(|h| text_field(&h))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for r in runs {
        let host = r.run.host.hostname.clone().unwrap_or_default();
        for c in &r.cases {
            for (i, s) in c.samples.iter().enumerate() {
                let mut row = vec![
                    text_field(&r.bench),
                    text_field(&host),
                    text_field(&c.id),
                    text_field(&c.group),
                    text_field(&c.name),
                    text_field(c.variant.as_deref().unwrap_or_default()),
                    i.to_string(),
                    s.iters.to_string(),
                    s.elapsed_s.to_string(),
                    s.window_s.to_string(),
                    opt(s.energy_total_j),
                    s.valid.to_string(),
                    opt(s.correct),
                    opt(s.incorrect),
                    opt(s.unjudged),
                ];
                row.extend(
                    domains
                        .iter()
                        .map(|d| opt(s.energy_j.get(*d).copied().flatten())),
                );
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}

const QUESTION_COLUMNS: [&str; 13] = [
    "bench",
    "host",
    "case_id",
    "group",
    "variant",
    "question",
    "asked",
    "correct",
    "incorrect",
    "unjudged",
    "time_s",
    "energy_j",
    "energy_method",
];

/// The CSV text of every question of every query case of `runs` that has a question set.
pub fn questions_csv(runs: &[RunResults]) -> String {
    let mut out = QUESTION_COLUMNS.join(",");
    out.push('\n');
    for r in runs {
        let host = r.run.host.hostname.clone().unwrap_or_default();
        for c in &r.cases {
            let Some(set) = &c.question_set else {
                continue;
            };
            for q in &set.per_question {
                let row = [
                    text_field(&r.bench),
                    text_field(&host),
                    text_field(&c.id),
                    text_field(&c.group),
                    text_field(c.variant.as_deref().unwrap_or_default()),
                    q.index.to_string(),
                    q.asked.to_string(),
                    q.correct.to_string(),
                    q.incorrect.to_string(),
                    q.unjudged.to_string(),
                    q.time_s.to_string(),
                    opt(q.energy_j),
                    text_field(&set.energy_method),
                ];
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}
