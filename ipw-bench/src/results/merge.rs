//! Merging a run into the results it updates: a run that measured some cases replaces
//! those and keeps the others, so a filtered or interrupted run never destroys results.

use super::{CaseResult, GroupComparison};
use std::collections::BTreeSet;

/// The cases of `new` with the cases of `old` that `new` did not measure, kept while a
/// case of that id is still registered (`known`, in registry order), so a renamed or
/// removed case does not linger. Sorted by registry order; ids not in it keep their
/// place after the others.
pub fn merge_cases(old: &[CaseResult], new: &[CaseResult], known: &[String]) -> Vec<CaseResult> {
    let measured: BTreeSet<&str> = new.iter().map(|c| c.id.as_str()).collect();
    let mut merged: Vec<CaseResult> = old
        .iter()
        .filter(|c| !measured.contains(c.id.as_str()) && known.contains(&c.id))
        .cloned()
        .chain(new.iter().cloned())
        .collect();
    let rank = |id: &str| known.iter().position(|k| k == id).unwrap_or(usize::MAX);
    merged.sort_by_key(|c| rank(&c.id));
    merged
}

/// The comparisons of a merged document: `new` for the groups in `touched` (recomputed
/// from the merged cases), the `old` comparison of every other group that still has all
/// its variants among `cases`.
pub fn merge_comparisons(
    old: &[GroupComparison],
    new: &[GroupComparison],
    touched: &BTreeSet<String>,
    cases: &[CaseResult],
) -> Vec<GroupComparison> {
    let present: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    old.iter()
        .filter(|c| !touched.contains(&c.group))
        .filter(|c| c.variants.iter().all(|v| present.contains(v.as_str())))
        .chain(new.iter())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::example::{full_example, synthetic_case as case};

    fn ids(cases: &[CaseResult]) -> Vec<&str> {
        cases.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn a_partial_run_replaces_its_cases_and_keeps_the_others() {
        let known: Vec<String> = ["g/a", "g/b", "h/c"].map(String::from).to_vec();
        let mut old_b = case("g/b", 1.0, 5, 1, None);
        old_b.run_started_at = Some("old".into());
        let old = vec![
            case("h/c", 1.0, 5, 1, None),
            old_b,
            case("gone/x", 1.0, 5, 1, None),
        ];
        let mut new_b = case("g/b", 2.0, 5, 1, None);
        new_b.run_started_at = Some("new".into());
        let merged = merge_cases(&old, &[new_b], &known);
        assert_eq!(
            ids(&merged),
            ["g/b", "h/c"],
            "registry order, gone/x dropped"
        );
        assert_eq!(merged[0].run_started_at.as_deref(), Some("new"));
        assert_eq!(ids(&merge_cases(&[], &old[..1], &known)), ["h/c"]);
    }

    #[test]
    fn comparisons_of_untouched_groups_stay_while_their_cases_do() {
        let doc = full_example();
        let old = doc.comparisons.clone();
        assert!(!old.is_empty());
        let group = old[0].group.clone();
        let none = BTreeSet::new();
        assert_eq!(merge_comparisons(&old, &[], &none, &doc.cases), old);
        assert!(merge_comparisons(&old, &[], &none, &[]).is_empty());
        let touched = BTreeSet::from([group]);
        let fresh = merge_comparisons(&old, &old[..1], &touched, &doc.cases);
        assert_eq!(
            fresh.len(),
            1 + old.iter().filter(|c| c.group != old[0].group).count()
        );
    }
}
