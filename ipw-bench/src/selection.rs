//! Which cases run: filters, `--exact`, `--skip` and the ignored modes, as libtest does.

use crate::config::{Config, Ignored};
use crate::registry::CaseRef;

/// Keep the cases the configuration selects, in registration order.
pub fn select(cases: Vec<CaseRef>, config: &Config) -> Vec<CaseRef> {
    cases
        .into_iter()
        .filter(|c| {
            let id = c.id();
            let matches = |f: &String| {
                if config.exact {
                    &id == f
                } else {
                    id.contains(f.as_str())
                }
            };
            let ignored_ok = match config.ignored {
                Ignored::Skip => !c.case.ignore,
                Ignored::Only => c.case.ignore,
                Ignored::Include => true,
            };
            ignored_ok
                && (config.filters.is_empty() || config.filters.iter().any(matches))
                && !config.skip.iter().any(|s| id.contains(s.as_str()))
        })
        .collect()
}

/// Cases grouped by their group, groups in order of first appearance.
pub fn groups(cases: &[CaseRef]) -> Vec<(String, Vec<CaseRef>)> {
    let mut out: Vec<(String, Vec<CaseRef>)> = Vec::new();
    for c in cases {
        match out.iter_mut().find(|(g, _)| g == c.group()) {
            Some((_, v)) => v.push(c.clone()),
            None => out.push((c.group().to_string(), vec![c.clone()])),
        }
    }
    out
}
