//! `--resume`: continue the last run of this bench when it was interrupted or crashed,
//! measuring only the groups it did not finish. The earlier run must be of the same
//! configuration, the same selection of cases and the same commit; each difference is
//! named. Every part keeps its own idle measurement: the document's `idle` is the new
//! part's, and `run.resumed` holds each earlier part's.

use crate::results::merge::merge_cases;
use crate::results::{CaseResult, RunPart, RunResults, RunStatus};
use std::collections::BTreeSet;
use std::path::Path;

/// Configuration keys that change only how a run is shown, not what it measures, and the
/// one derived from others (`gpu_protocol_used`, from the protocol and the sources, known
/// only after discovery).
const NOT_COMPARED: [&str; 3] = ["format", "plots", "gpu_protocol_used"];

/// What the interrupted run finished, and its parts.
#[derive(Debug)]
pub(super) struct Resumed {
    /// The ids of the cases its parts measured.
    pub done: BTreeSet<String>,
    /// Its parts, oldest first, for `run.resumed`.
    pub parts: Vec<RunPart>,
    /// When its first part started.
    pub started_at: String,
}

/// What this run is, for the comparison with the one it continues.
pub(super) struct ThisRun<'a> {
    /// The configuration as recorded.
    pub config: &'a serde_json::Value,
    /// The selected case ids, in order.
    pub selected: &'a [String],
    pub git_commit: Option<&'a str>,
}

/// Check that `previous` (the results in `dir`) can be continued by this run and say what
/// it finished; a one-line reason when not.
pub(super) fn resume(
    previous: Option<&RunResults>,
    now: &ThisRun,
    dir: &Path,
) -> Result<Resumed, String> {
    let Some(prev) = previous else {
        return Err(format!(
            "--resume: no earlier run in {} to continue; run without --resume",
            dir.display()
        ));
    };
    if prev.run.status == RunStatus::Complete {
        return Err(format!(
            "--resume: the last run in {} (started {}) completed; nothing to continue, run \
             without --resume",
            dir.display(),
            prev.run.started_at
        ));
    }
    let Some(selected) = &prev.run.selected else {
        return Err(
            "--resume: the last run did not record the cases it selected (an older \
             ipw-bench wrote it); run without --resume"
                .to_string(),
        );
    };
    if let (Some(then), Some(now_commit)) = (prev.run.git_commit.as_deref(), now.git_commit) {
        if then != now_commit {
            return Err(format!(
                "--resume: this binary is built from commit {now_commit}, the interrupted run's \
                 from {then}; run without --resume to measure everything again"
            ));
        }
    }
    let differences = config_differences(&prev.run.config, now.config);
    if !differences.is_empty() {
        return Err(format!(
            "--resume: the configuration differs from the interrupted run's: {}; give the \
             same flags and IPW_* variables",
            differences.join(", ")
        ));
    }
    if let Some(d) = selection_difference(selected, now.selected) {
        return Err(format!(
            "--resume: the selected cases differ from the interrupted run's: {d}; give the \
             same filters"
        ));
    }
    let mut parts = prev.run.resumed.clone();
    parts.push(RunPart {
        started_at: prev.run.started_at.clone(),
        finished_at: prev.run.finished_at.clone(),
        status: prev.run.status,
        idle: prev.idle.clone(),
    });
    let starts: BTreeSet<&str> = parts.iter().map(|p| p.started_at.as_str()).collect();
    let done = prev
        .cases
        .iter()
        .filter(|c| {
            c.run_started_at
                .as_deref()
                .is_some_and(|s| starts.contains(s))
        })
        .filter(|c| selected.contains(&c.id))
        .map(|c| c.id.clone())
        .collect();
    Ok(Resumed {
        done,
        started_at: parts[0].started_at.clone(),
        parts,
    })
}

impl Resumed {
    /// Whether every case of a group (`ids`) was finished.
    pub(super) fn group_done(&self, ids: &[String]) -> bool {
        ids.iter().all(|id| self.done.contains(id))
    }

    /// This part's document made the whole run's: the earlier parts' cases and their
    /// groups' comparisons joined to it, in the selection's order.
    pub(super) fn complete(&self, run: &mut RunResults, previous: &RunResults, order: &[String]) {
        let earlier: Vec<CaseResult> = previous
            .cases
            .iter()
            .filter(|c| self.done.contains(&c.id))
            .cloned()
            .collect();
        let groups: BTreeSet<&str> = earlier.iter().map(|c| c.group.as_str()).collect();
        let mut comparisons: Vec<_> = previous
            .comparisons
            .iter()
            .filter(|c| groups.contains(c.group.as_str()))
            .cloned()
            .collect();
        comparisons.append(&mut run.comparisons);
        run.comparisons = comparisons;
        run.cases = merge_cases(&earlier, &run.cases, order);
    }
}

/// `key value (the interrupted run: value)` for each key whose value differs, leaving out
/// those that only change how the run is shown.
fn config_differences(then: &serde_json::Value, now: &serde_json::Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let then = then.as_object().unwrap_or(&empty);
    let now = now.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = then.keys().chain(now.keys()).collect();
    let null = serde_json::Value::Null;
    keys.into_iter()
        .filter(|k| !NOT_COMPARED.contains(&k.as_str()))
        .filter_map(|k| {
            let (a, b) = (then.get(k).unwrap_or(&null), now.get(k).unwrap_or(&null));
            (a != b).then(|| format!("{k} {b} (the interrupted run: {a})"))
        })
        .collect()
}

/// How two selections differ, if they do: the first id that differs and the counts.
fn selection_difference(then: &[String], now: &[String]) -> Option<String> {
    if then == now {
        return None;
    }
    let first = then
        .iter()
        .zip(now)
        .find(|(a, b)| a != b)
        .map(|(a, b)| format!("{b} where it had {a}"))
        .unwrap_or_else(|| match then.len() > now.len() {
            true => format!("it also had {}", then[now.len()]),
            false => format!("{} is new", now[then.len()]),
        });
    Some(format!(
        "{} cases now, {} then; {first}",
        now.len(),
        then.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::{full_example, synthetic_case};
    use serde_json::json;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// An interrupted run of `g/a`, `g/b` (finished) and `h/c` (not), selecting all three.
    fn interrupted() -> RunResults {
        let mut r = full_example();
        r.run.status = RunStatus::Interrupted;
        r.run.config = json!({"sample_size": 10, "format": "human"});
        r.run.git_commit = Some("abc".into());
        r.run.selected = Some(ids(&["g/a", "g/b", "h/c"]));
        r.run.resumed.clear();
        r.cases = ["a", "b"]
            .iter()
            .map(|n| {
                let mut c = synthetic_case(&format!("g/{n}"), 1.0, 5, 1, None);
                c.run_started_at = Some(r.run.started_at.clone());
                c
            })
            .collect();
        let mut older = synthetic_case("old/x", 1.0, 5, 2, None);
        older.run_started_at = Some("2020-01-01T00:00:00Z".into());
        r.cases.push(older);
        r
    }

    fn this<'a>(config: &'a serde_json::Value, selected: &'a [String]) -> ThisRun<'a> {
        ThisRun {
            config,
            selected,
            git_commit: Some("abc"),
        }
    }

    #[test]
    fn an_interrupted_run_is_continued_with_its_unfinished_groups() {
        let prev = interrupted();
        let config = json!({"sample_size": 10, "format": "json"});
        let sel = ids(&["g/a", "g/b", "h/c"]);
        let r = resume(Some(&prev), &this(&config, &sel), Path::new("d")).unwrap();
        // Cases of an older run are not this run's.
        assert_eq!(r.done, ids(&["g/a", "g/b"]).into_iter().collect());
        assert!(r.group_done(&ids(&["g/a", "g/b"])));
        assert!(!r.group_done(&ids(&["h/c"])));
        assert_eq!(r.parts.len(), 1);
        assert_eq!(r.parts[0].status, RunStatus::Interrupted);
        assert_eq!(r.parts[0].idle, prev.idle);
        assert_eq!(r.started_at, prev.run.started_at);
    }

    #[test]
    fn each_difference_is_named() {
        let prev = interrupted();
        let d = Path::new("d");
        let sel = ids(&["g/a", "g/b", "h/c"]);
        let config = json!({"sample_size": 20});
        let e = resume(Some(&prev), &this(&config, &sel), d).unwrap_err();
        assert!(
            e.contains("sample_size 20 (the interrupted run: 10)"),
            "{e}"
        );
        let config = json!({"sample_size": 10});
        let fewer = ids(&["g/a", "g/b"]);
        let e = resume(Some(&prev), &this(&config, &fewer), d).unwrap_err();
        assert!(e.contains("2 cases now, 3 then; it also had h/c"), "{e}");
        let other = ids(&["g/a", "g/x", "h/c"]);
        let e = resume(Some(&prev), &this(&config, &other), d).unwrap_err();
        assert!(e.contains("g/x where it had g/b"), "{e}");
        let mut t = this(&config, &sel);
        t.git_commit = Some("def");
        let e = resume(Some(&prev), &t, d).unwrap_err();
        assert!(e.contains("commit def") && e.contains("from abc"), "{e}");
        let e = resume(None, &this(&config, &sel), d).unwrap_err();
        assert!(e.contains("no earlier run in d"), "{e}");
        let mut done = prev.clone();
        done.run.status = RunStatus::Complete;
        let e = resume(Some(&done), &this(&config, &sel), d).unwrap_err();
        assert!(e.contains("completed; nothing to continue"), "{e}");
        let mut old = prev;
        old.run.selected = None;
        let e = resume(Some(&old), &this(&config, &sel), d).unwrap_err();
        assert!(e.contains("did not record the cases"), "{e}");
    }

    #[test]
    fn a_part_that_was_itself_resumed_keeps_every_earlier_part() {
        let mut prev = interrupted();
        prev.run.status = RunStatus::Running;
        prev.run.resumed = vec![RunPart {
            started_at: "2020-01-01T00:00:00Z".into(),
            finished_at: "2020-01-01T00:01:00Z".into(),
            status: RunStatus::Interrupted,
            idle: prev.idle.clone(),
        }];
        prev.run.selected = Some(ids(&["g/a", "g/b", "h/c", "old/x"]));
        let config = json!({"sample_size": 10});
        let sel = ids(&["g/a", "g/b", "h/c", "old/x"]);
        let r = resume(Some(&prev), &this(&config, &sel), Path::new("d")).unwrap();
        assert_eq!(r.parts.len(), 2);
        assert_eq!(r.started_at, "2020-01-01T00:00:00Z");
        assert_eq!(r.parts[1].status, RunStatus::Running);
        // The first part's case counts as finished.
        assert!(r.done.contains("old/x"));
    }

    #[test]
    fn the_completed_document_holds_every_part_in_selection_order() {
        let prev = interrupted();
        let config = json!({"sample_size": 10});
        let sel = ids(&["h/c", "g/a", "g/b"]);
        let mut p = prev.clone();
        p.run.selected = Some(sel.clone());
        let r = resume(Some(&p), &this(&config, &sel), Path::new("d")).unwrap();
        let mut part = full_example();
        part.cases = vec![synthetic_case("h/c", 1.0, 5, 3, None)];
        part.comparisons.clear();
        r.complete(&mut part, &p, &sel);
        let got: Vec<&str> = part.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(got, ["h/c", "g/a", "g/b"]);
    }
}
