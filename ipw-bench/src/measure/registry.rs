//! The registry of benchmark cases, filled by `#[ipw_bench::bench]` through `inventory`.

use crate::measure::bencher::Bencher;
use crate::measure::throughput::Throughput;
use crate::setup::selection::Selectable;
use std::fmt::Display;

/// One registered function. With `args`, it stands for one case per argument (variant).
#[derive(Debug)]
pub struct BenchCase {
    /// The `name` option, else the function's name.
    pub name: &'static str,
    /// The `group` option; `None` makes the name the group.
    pub group: Option<&'static str>,
    /// `module_path!()` where the function is defined.
    pub module_path: &'static str,
    /// `file!()` where the function is defined.
    pub file: &'static str,
    /// `line!()` of the attribute.
    pub line: u32,
    /// Samples asked for (`sample_size = N`).
    pub sample_size: Option<usize>,
    /// Warm-up seconds asked for (`warm_up_time = S`).
    pub warm_up_time: Option<f64>,
    /// Measuring seconds asked for (`measurement_time = S`).
    pub measurement_time: Option<f64>,
    /// Hard cap on the case's seconds (`max_time = S`).
    pub max_time: Option<f64>,
    /// `ignore = true`: run only with `--ignored` or `--include-ignored`, as libtest does.
    pub ignore: bool,
    /// Keep the name in the id even when it equals the group: criterion's group `g` with
    /// a function `g` is `g/g` (an inline case of `ipw-criterion-compat`); `false` for the
    /// attribute, whose `group = "sort"` on `fn sort` is the case `sort`.
    pub keep_name: bool,
    /// Work per iteration (`bytes = N`, `elements = N`).
    pub throughput: Option<Throughput>,
    /// Names of the variants (`Display` of each `args` item), evaluated only when needed.
    pub variants: Option<fn() -> Vec<String>>,
    /// Run the function for one variant index.
    pub run: fn(&mut Bencher, usize),
}

inventory::collect!(BenchCase);

/// Every registered function, in a stable order (file, line).
pub fn all() -> Vec<&'static BenchCase> {
    let mut v: Vec<&'static BenchCase> = inventory::iter::<BenchCase>.into_iter().collect();
    v.sort_by_key(|c| (c.file, c.line, c.name));
    v
}

/// One runnable case: a registered function and, with `args`, one variant.
#[derive(Debug, Clone)]
pub struct CaseRef {
    pub case: &'static BenchCase,
    pub variant_index: usize,
    pub variant: Option<String>,
}

impl CaseRef {
    /// The group: the `group` option, or the function's name.
    pub fn group(&self) -> &'static str {
        self.case.group.unwrap_or(self.case.name)
    }

    /// `group/name/variant`, leaving out a missing variant and a name equal to its group
    /// (unless the case keeps it).
    pub fn id(&self) -> String {
        let (group, name) = (self.group(), self.case.name);
        if self.case.keep_name && name == group {
            // `g/g` standing for the group and the name both.
            let both = format!("{group}/{name}");
            return case_id(&both, &both, self.variant.as_deref());
        }
        case_id(group, name, self.variant.as_deref())
    }
}

impl Selectable for CaseRef {
    fn id(&self) -> String {
        CaseRef::id(self)
    }

    fn group(&self) -> &str {
        CaseRef::group(self)
    }

    fn ignored(&self) -> bool {
        self.case.ignore
    }
}

/// The id of a case from its parts.
pub fn case_id(group: &str, name: &str, variant: Option<&str>) -> String {
    let mut id = group.to_string();
    if name != group {
        id.push('/');
        id.push_str(name);
    }
    if let Some(v) = variant {
        id.push('/');
        id.push_str(v);
    }
    id
}

/// Expand registered functions into cases (one per variant).
pub fn expand(cases: &[&'static BenchCase]) -> Vec<CaseRef> {
    let mut out = Vec::new();
    for &case in cases {
        match case.variants {
            Some(names) => out.extend(names().into_iter().enumerate().map(|(i, v)| CaseRef {
                case,
                variant_index: i,
                variant: Some(v),
            })),
            None => out.push(CaseRef {
                case,
                variant_index: 0,
                variant: None,
            }),
        }
    }
    out
}

/// The names of the items of an `args` expression.
pub fn variant_names<I>(args: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Display,
{
    args.into_iter().map(|a| a.to_string()).collect()
}

/// The `index`-th item of an `args` expression.
pub fn nth_arg<I: IntoIterator>(args: I, index: usize) -> I::Item {
    match args.into_iter().nth(index) {
        Some(a) => a,
        None => panic!(
            "the `args` expression yielded fewer items than when it was listed (wanted item {index}); \
             `args` must give the same items every time it is evaluated"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_skip_repeats() {
        assert_eq!(case_id("sort", "sort", None), "sort");
        assert_eq!(case_id("sort", "sort", Some("10")), "sort/10");
        assert_eq!(case_id("models", "knn", Some("f16")), "models/knn/f16");
    }

    #[test]
    fn a_kept_name_repeats_its_group() {
        let case = |keep_name| -> &'static BenchCase {
            Box::leak(Box::new(BenchCase {
                name: "req",
                group: Some("req"),
                module_path: "m",
                file: "f",
                line: 0,
                sample_size: None,
                warm_up_time: None,
                measurement_time: None,
                max_time: None,
                ignore: false,
                keep_name,
                throughput: None,
                variants: None,
                run: |_, _| {},
            }))
        };
        let id = |keep_name, variant: Option<&str>| {
            CaseRef {
                case: case(keep_name),
                variant_index: 0,
                variant: variant.map(str::to_string),
            }
            .id()
        };
        assert_eq!(id(true, None), "req/req");
        assert_eq!(id(true, Some("16")), "req/req/16");
        assert_eq!(id(false, None), "req");
    }

    #[test]
    fn args_are_named_by_display() {
        assert_eq!(variant_names([1, 2]), vec!["1", "2"]);
        assert_eq!(nth_arg(["a", "b"], 1), "b");
    }
}
