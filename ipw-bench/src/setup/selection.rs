//! Which cases run: filters, `--exact`, `--skip` and the ignored modes, as libtest does;
//! and the groups they form.

use crate::setup::config::{Config, Ignored};
use crate::setup::names::escape_controls;
use crate::setup::nearest::{edit_distance, substring_distance};
use std::collections::HashMap;

/// What selection needs to know of a case.
pub(crate) trait Selectable: Clone {
    /// `group/name/variant`, as `--list` prints it.
    fn id(&self) -> String;
    /// The group whose variants are compared with each other.
    fn group(&self) -> &str;
    /// Whether the case is marked `ignore`.
    fn ignored(&self) -> bool;
}

/// Whether filter `f` picks `id` (`--exact`: the whole id). The id as `--list` prints it,
/// control characters escaped, counts too, so that a listed id given back picks its case.
fn picks(id: &str, f: &str, exact: bool) -> bool {
    let hit = |id: &str| if exact { id == f } else { id.contains(f) };
    hit(id) || (id.contains(char::is_control) && hit(&escape_controls(id)))
}

/// Whether the filters keep `id` (all ids when there are none).
fn filtered_in(id: &str, config: &Config) -> bool {
    config.filters.is_empty() || config.filters.iter().any(|f| picks(id, f, config.exact))
}

fn ignored_ok<C: Selectable>(c: &C, config: &Config) -> bool {
    match config.ignored {
        Ignored::Skip => !c.ignored(),
        Ignored::Only => c.ignored(),
        Ignored::Include => true,
    }
}

fn skipped(id: &str, config: &Config) -> bool {
    config.skip.iter().any(|s| picks(id, s, false))
}

/// Keep the cases the configuration selects, in registration order; with `--shard K/N`,
/// only the groups dealt to shard K.
pub(crate) fn select<C: Selectable>(cases: Vec<C>, config: &Config) -> Vec<C> {
    let selected: Vec<C> = cases
        .into_iter()
        .filter(|c| {
            let id = c.id();
            ignored_ok(c, config) && filtered_in(&id, config) && !skipped(&id, config)
        })
        .collect();
    match config.shard {
        Some(shard) => in_shard(selected, shard),
        None => selected,
    }
}

/// The cases of the groups dealt to `shard`: the selected groups, in the order of their
/// first case, go round-robin to the shards, so every shard of the same binary and flags
/// agrees on the split and a group's variants stay together.
fn in_shard<C: Selectable>(cases: Vec<C>, shard: crate::setup::config::Shard) -> Vec<C> {
    let mut order: HashMap<String, usize> = HashMap::new();
    for c in &cases {
        let next = order.len();
        order.entry(c.group().to_string()).or_insert(next);
    }
    cases
        .into_iter()
        .filter(|c| order[c.group()] % shard.count == shard.index - 1)
        .collect()
}

/// The first two cases that share an id, as their indices.
pub(crate) fn first_duplicate<C: Selectable>(cases: &[C]) -> Option<(usize, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, c) in cases.iter().enumerate() {
        if let Some(&first) = seen.get(&c.id()) {
            return Some((first, i));
        }
        seen.insert(c.id(), i);
    }
    None
}

/// How many nearest ids a message about a filter that matches nothing names.
const NEAREST: usize = 5;

/// Why the configuration selects none of `cases`, in one line that says what to do; with
/// the nearest ids when the filters match none.
pub(crate) fn nothing_selected<C: Selectable>(cases: &[C], config: &Config) -> String {
    if cases.is_empty() {
        return "this bench binary has no cases; mark functions with #[ipw_bench::bench]"
            .to_string();
    }
    if let Some(shard) = config.shard {
        let unsharded = Config {
            shard: None,
            ..config.clone()
        };
        let kept = select(cases.to_vec(), &unsharded);
        if !kept.is_empty() {
            return format!(
                "shard {}/{} has no groups: the {} selected groups are dealt to {} shards; \
                 use at most {} shards",
                shard.index,
                shard.count,
                groups(&kept).len(),
                shard.count,
                groups(&kept).len()
            );
        }
    }
    let quoted = |list: &[String], sep: &str| {
        list.iter()
            .map(|f| format!("`{}`", escape_controls(f)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let matching: Vec<&C> = cases
        .iter()
        .filter(|c| filtered_in(&c.id(), config))
        .collect();
    let among = if config.filters.is_empty() {
        "case"
    } else {
        "case that the filters match"
    };
    if matching.is_empty() {
        let verb = if config.exact { "is" } else { "contains" };
        return format!(
            "no case id {verb} {}; the nearest are {}; run with --list to see every case",
            quoted(&config.filters, " or "),
            nearest_ids(cases, config).join(", ")
        );
    }
    if !matching.iter().any(|c| ignored_ok(*c, config)) {
        return match config.ignored {
            Ignored::Only => {
                format!("--ignored: no {among} is marked ignore; leave --ignored out to run them")
            }
            _ => format!("every {among} is marked ignore; add --include-ignored to run them"),
        };
    }
    format!(
        "--skip {} skips every {among}; run with --list to see the cases",
        quoted(&config.skip, ", ")
    )
}

/// Up to [`NEAREST`] ids nearest to the filters, nearest first, as `--list` shows them.
fn nearest_ids<C: Selectable>(cases: &[C], config: &Config) -> Vec<String> {
    let distance = |id: &str| {
        config
            .filters
            .iter()
            .map(|f| {
                if config.exact {
                    edit_distance(f, id)
                } else {
                    substring_distance(f, id)
                }
            })
            .min()
            .unwrap_or(0)
    };
    let mut ranked: Vec<(usize, String)> = cases
        .iter()
        .map(|c| {
            let id = c.id();
            (distance(&id), escape_controls(&id))
        })
        .collect();
    // A stable sort: among equally near ids, registration order.
    ranked.sort_by_key(|(d, _)| *d);
    ranked.into_iter().take(NEAREST).map(|(_, id)| id).collect()
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

    fn config(args: &[&str]) -> Config {
        Config::parse(args, &BTreeMap::new()).unwrap()
    }

    fn cases() -> Vec<Case> {
        vec![
            Case("sort", "1000", false),
            Case("sort", "10000", false),
            Case("hash", "fnv", false),
            Case("slow", "x", true),
        ]
    }

    fn ids(args: &[&str]) -> Vec<String> {
        select(cases(), &config(args))
            .iter()
            .map(Case::id)
            .collect()
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
    fn shards_split_groups_round_robin_and_keep_variants_together() {
        let all = [
            Case("a", "1", false),
            Case("b", "1", false),
            Case("a", "2", false),
            Case("c", "1", false),
            Case("d", "1", false),
        ];
        let shard = |k: &str| -> Vec<String> {
            select(all.to_vec(), &config(&["--shard", k]))
                .iter()
                .map(Case::id)
                .collect()
        };
        assert_eq!(shard("1/3"), ["a/1", "a/2", "d/1"]);
        assert_eq!(shard("2/3"), ["b/1"]);
        assert_eq!(shard("3/3"), ["c/1"]);
        assert_eq!(shard("1/1").len(), all.len());
        let empty = config(&["--shard", "5/5"]);
        assert!(select(all.to_vec(), &empty).is_empty());
        let why = nothing_selected(&all, &empty);
        assert!(
            why.contains("shard 5/5 has no groups") && why.contains("at most 4"),
            "{why}"
        );
    }

    #[test]
    fn bad_shards_are_refused_with_what_to_use() {
        for bad in ["0/3", "4/3", "x/y", "3", "1/0", ""] {
            let e = Config::parse(&["--shard", bad], &BTreeMap::new()).unwrap_err();
            assert!(
                e.to_string().contains("use K/N with 1 <= K <= N"),
                "{bad}: {e}"
            );
        }
        let env = BTreeMap::from([("IPW_SHARD".to_string(), "2/2".to_string())]);
        let c = Config::parse::<&str>(&[], &env).unwrap();
        assert_eq!(c.shard.map(|s| (s.index, s.count)), Some((2, 2)));
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

    #[test]
    fn an_id_as_listed_selects_its_case() {
        let cases = vec![Case("odd", "a\nb", false), Case("odd", "ab", false)];
        let picked = |args: &[&str]| -> Vec<String> {
            select(cases.clone(), &config(args))
                .iter()
                .map(Case::id)
                .collect()
        };
        assert_eq!(picked(&["--exact", "odd/a\\nb"]), ["odd/a\nb"]);
        assert_eq!(picked(&["--exact", "odd/a\nb"]), ["odd/a\nb"]);
        assert_eq!(picked(&["--skip", "a\\n"]), ["odd/ab"]);
    }

    #[test]
    fn duplicates_are_found_by_id() {
        assert_eq!(first_duplicate(&cases()), None);
        let mut twice = cases();
        twice.push(Case("hash", "fnv", true));
        twice.push(Case("sort", "1000", false));
        assert_eq!(first_duplicate(&twice), Some((2, 4)));
    }

    #[test]
    fn an_empty_selection_says_why_and_what_is_near() {
        let why = |args: &[&str]| nothing_selected(&cases(), &config(args));
        assert_eq!(
            why(&["srot"]),
            "no case id contains `srot`; the nearest are sort/1000, sort/10000, slow/x, \
             hash/fnv; run with --list to see every case"
        );
        assert!(
            why(&["--exact", "sort/100", "hash"]).starts_with(
                "no case id is `sort/100` or `hash`; the nearest are sort/1000, sort/10000, "
            ),
            "{}",
            why(&["--exact", "sort/100"])
        );
        assert_eq!(
            why(&["sort", "--skip", "sort"]),
            "--skip `sort` skips every case that the filters match; run with --list to see the \
             cases"
        );
        assert_eq!(
            why(&["--ignored", "hash"]),
            "--ignored: no case that the filters match is marked ignore; leave --ignored out \
             to run them"
        );
        assert_eq!(
            why(&["slow"]),
            "every case that the filters match is marked ignore; add --include-ignored to run \
             them"
        );
        assert!(nothing_selected::<Case>(&[], &config(&[])).contains("has no cases"));
        let many: Vec<Case> = ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]
            .iter()
            .map(|n| Case("g", n, false))
            .collect();
        let e = nothing_selected(&many, &config(&["g/a\n"]));
        assert!(
            e.contains("`g/a\\n`; the nearest are g/a1, g/a2, g/a3, g/a4, g/a5; run"),
            "{e}"
        );
    }
}
