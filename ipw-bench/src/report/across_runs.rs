//! Runs made separately (two machines, two accelerators, before and after) set side by
//! side: each case matched by id across the runs and compared as if the runs were its
//! variants. `cargo ipw compare` prints this; [`super::write_run_comparison`] pages it.
//!
//! ```
//! use ipw_bench::report::across_runs::{LabelledRun, RunComparison};
//! # fn load(_: &str) -> ipw_bench::results::RunResults { unimplemented!() }
//! # fn doc() {
//! let runs = vec![
//!     LabelledRun { label: "lab-1".into(), results: load("a.json") },
//!     LabelledRun { label: "lab-2".into(), results: load("b.json") },
//! ];
//! let compared = RunComparison::new(runs, 0.02, 1);
//! for case in &compared.cases {
//!     for c in &case.comparisons {
//!         println!("{}: {}", case.id, c.verdicts.join("; "));
//!     }
//! }
//! # }
//! ```

use crate::analysis::compare::compare_group;
use crate::results::{CaseResult, GroupComparison, RunResults};

/// A run and the short name it goes by on the page and in verdict lines (a host name).
#[derive(Debug, Clone)]
pub struct LabelledRun {
    /// The short name; copies of its cases are named `<label>:<id>`.
    pub label: String,
    /// The run's results file, as read.
    pub results: RunResults,
}

/// One run's copy of a matched case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCopy {
    /// The run's position in [`RunComparison::runs`].
    pub run: usize,
    /// The name the comparisons give this copy (`<label>:<id>`): inside a comparison the
    /// copies are variants, and variants need distinct ids. A key, never parsed.
    pub variant_id: String,
}

/// A case id present in two or more runs.
#[derive(Debug, Clone)]
pub struct MatchedCase {
    /// The id the runs share, as the bench named it.
    pub id: String,
    /// The runs holding the case, in run order.
    pub copies: Vec<CaseCopy>,
    /// Empty when fewer than two copies have two or more valid samples.
    pub comparisons: Vec<GroupComparison>,
}

/// The runs, and every case id found in two or more of them, in the order the ids first
/// appear.
#[derive(Debug, Clone)]
pub struct RunComparison {
    /// The runs, in the order given.
    pub runs: Vec<LabelledRun>,
    /// The case ids found in two or more runs, with their comparisons.
    pub cases: Vec<MatchedCase>,
}

impl RunComparison {
    /// Match the cases of `runs` by id and compare each across the runs holding it, with
    /// [`compare_group`]'s tests and verdicts (`energy_noise` as there; `seed` makes the
    /// bootstrap intervals repeatable).
    pub fn new(runs: Vec<LabelledRun>, energy_noise: f64, seed: u64) -> RunComparison {
        let mut ids: Vec<&str> = Vec::new();
        for r in &runs {
            for c in &r.results.cases {
                if !ids.contains(&c.id.as_str()) {
                    ids.push(&c.id);
                }
            }
        }
        let cases = ids
            .into_iter()
            .filter_map(|id| {
                // Each copy becomes a variant named after its run, so the verdict lines
                // read "lab-2 vs lab-1: ...".
                let copies: Vec<(CaseCopy, CaseResult)> = runs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let mut copy = r.results.cases.iter().find(|c| c.id == id)?.clone();
                        copy.id = format!("{}:{id}", r.label);
                        copy.variant = Some(r.label.clone());
                        let key = CaseCopy {
                            run: i,
                            variant_id: copy.id.clone(),
                        };
                        Some((key, copy))
                    })
                    .collect();
                if copies.len() < 2 {
                    return None;
                }
                let refs: Vec<&CaseResult> = copies.iter().map(|(_, c)| c).collect();
                let comparisons = compare_group(id, &refs, energy_noise, seed);
                Some(MatchedCase {
                    id: id.to_string(),
                    copies: copies.into_iter().map(|(k, _)| k).collect(),
                    comparisons,
                })
            })
            .collect();
        RunComparison { runs, cases }
    }

    /// The case a copy stands for, as its run recorded it.
    pub fn case(&self, matched: &MatchedCase, copy: &CaseCopy) -> Option<&CaseResult> {
        self.runs
            .get(copy.run)?
            .results
            .cases
            .iter()
            .find(|c| c.id == matched.id)
    }

    /// Every comparison of every matched case, in case order.
    pub fn comparisons(&self) -> impl Iterator<Item = &GroupComparison> {
        self.cases.iter().flat_map(|c| &c.comparisons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::synthetic_case;
    use crate::results::PairVerdict;

    fn run_of(label: &str, cases: Vec<CaseResult>) -> LabelledRun {
        let mut results = super::super::tests::run();
        results.cases = cases;
        LabelledRun {
            label: label.to_string(),
            results,
        }
    }

    #[test]
    fn cases_are_matched_by_id_and_keep_their_names() {
        let runs = vec![
            run_of(
                "lab-1",
                vec![
                    synthetic_case("g/a", 1.0, 30, 1, None),
                    synthetic_case("only-1", 1.0, 30, 2, None),
                ],
            ),
            run_of("lab-2", vec![synthetic_case("g/a", 1.2, 30, 3, None)]),
        ];
        let compared = RunComparison::new(runs, 0.02, 1);
        assert_eq!(compared.cases.len(), 1, "only-1 is in one run");
        let m = &compared.cases[0];
        assert_eq!(m.id, "g/a");
        assert_eq!(
            m.copies.iter().map(|c| c.run).collect::<Vec<_>>(),
            [0, 1],
            "one copy per run"
        );
        let energy = &m.comparisons[0];
        assert_eq!(energy.group, "g/a");
        assert_eq!(energy.variants, ["lab-1:g/a", "lab-2:g/a"]);
        assert_eq!(energy.pairwise[0].verdict, PairVerdict::Higher);
        assert!(
            energy
                .verdicts
                .iter()
                .any(|v| v.starts_with("lab-2 vs lab-1: ")),
            "{:?}",
            energy.verdicts
        );
        let copy = compared.case(m, &m.copies[1]).expect("the case");
        assert_eq!(copy.id, "g/a", "the run's own case, not the renamed copy");
        assert_eq!(compared.comparisons().count(), m.comparisons.len());
    }
}
