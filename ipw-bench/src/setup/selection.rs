//! Which cases run: filters, `--exact`, `--skip` and the ignored modes, as libtest does;
//! and the groups they form.

use crate::setup::config::{Config, Ignored};

/// What selection needs to know of a case.
pub(crate) trait Selectable: Clone {
    /// `group/name/variant`, as `--list` prints it.
    fn id(&self) -> String;
    /// The group whose variants are compared with each other.
    fn group(&self) -> &str;
    /// Whether the case is marked `ignore`.
    fn ignored(&self) -> bool;
}

/// Keep the cases the configuration selects, in registration order.
pub(crate) fn select<C: Selectable>(cases: Vec<C>, config: &Config) -> Vec<C> {
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
                Ignored::Skip => !c.ignored(),
                Ignored::Only => c.ignored(),
                Ignored::Include => true,
            };
            ignored_ok
                && (config.filters.is_empty() || config.filters.iter().any(matches))
                && !config.skip.iter().any(|s| id.contains(s.as_str()))
        })
        .collect()
}

/// Cases grouped by their group, groups in order of first appearance.
pub(crate) fn groups<C: Selectable>(cases: &[C]) -> Vec<(String, Vec<C>)> {
    let mut out: Vec<(String, Vec<C>)> = Vec::new();
    for c in cases {
        match out.iter_mut().find(|(g, _)| g == c.group()) {
            Some((_, v)) => v.push(c.clone()),
            None => out.push((c.group().to_string(), vec![c.clone()])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug, PartialEq)]
    struct Case(&'static str, &'static str, bool);

    impl Selectable for Case {
        fn id(&self) -> String {
            format!("{}/{}", self.0, self.1)
        }
        fn group(&self) -> &str {
            self.0
        }
        fn ignored(&self) -> bool {
            self.2
        }
    }

    fn ids(args: &[&str]) -> Vec<String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let config = Config::parse(&args, &BTreeMap::new()).unwrap();
        let cases = vec![
            Case("sort", "1000", false),
            Case("sort", "10000", false),
            Case("hash", "fnv", false),
            Case("slow", "x", true),
        ];
        select(cases, &config).iter().map(Case::id).collect()
    }

    #[test]
    fn filters_skip_exact_and_ignored_like_libtest() {
        assert_eq!(ids(&[]), ["sort/1000", "sort/10000", "hash/fnv"]);
        assert_eq!(ids(&["sort"]), ["sort/1000", "sort/10000"]);
        assert_eq!(ids(&["--exact", "sort/1000"]), ["sort/1000"]);
        assert_eq!(ids(&["--skip", "10000"]), ["sort/1000", "hash/fnv"]);
        assert_eq!(ids(&["--ignored"]), ["slow/x"]);
        assert_eq!(
            ids(&["--include-ignored", "o"]),
            ["sort/1000", "sort/10000", "slow/x"]
        );
    }

    #[test]
    fn groups_keep_first_appearance_order() {
        let cases = vec![
            Case("b", "1", false),
            Case("a", "1", false),
            Case("b", "2", false),
        ];
        let g = groups(&cases);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].0, "b");
        assert_eq!(g[0].1, [Case("b", "1", false), Case("b", "2", false)]);
        assert_eq!(g[1].0, "a");
    }
}
