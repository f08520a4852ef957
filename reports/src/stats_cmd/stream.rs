//! Streaming `cargo ipw stats`: the tests that need only each group's count, mean and
//! spread read the input once into per-group accumulators, in memory that does not grow
//! with the rows; describe reads a file again for its median, quartiles and MAD.

use super::compute::{
    anova_outcome, check_shape, exactly_two_of, finite, groups_error, pairwise_outcome,
    stats_error, ttest_outcome, Options, Outcome, Shape,
};
use super::csv::{collect, scan, Labels, Selection, Source, Table};
use super::error::StatsCmdError;
use super::parquet::{self, is_parquet};
use super::Test;
use crate::message::SHOWN_PATH_CHARS;
use ipw_bench::stats::anova::anova_of;
use ipw_bench::stats::bootstrap::{interpolate, quantile_ranks};
use ipw_bench::stats::csv_input::shown;
use ipw_bench::stats::descriptive::{describe_of, Order};
use ipw_bench::stats::games_howell::games_howell_of;
use ipw_bench::stats::groups::Prepared;
use ipw_bench::stats::running::Running;
use ipw_bench::stats::scale::scale_for;
use ipw_bench::stats::select::{order_statistics, InputChanged};
use ipw_bench::stats::ttest::{student_t_test_of, welch_t_test_of};
use ipw_bench::stats::tukey::tukey_hsd_of;
use ipw_bench::stats::welch_anova::welch_anova_of;
use std::io::Seek;

/// Bytes of counts and candidates the median passes hold at once.
const SELECT_BUDGET: usize = 64 << 20;

/// Where the rows come from: a file can be read again, standard input once.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Stdin,
    File(&'a str),
}

impl Input<'_> {
    pub(crate) fn name(&self) -> &str {
        match self {
            Input::Stdin => "standard input",
            Input::File(path) => path,
        }
    }

    /// One pass over the rows: group and value of each.
    pub(crate) fn scan(
        &self,
        sel: &Selection,
        groups: &mut Labels,
        mut row: impl FnMut(u32, f64),
    ) -> Result<(), StatsCmdError> {
        self.scan_rows(sel, groups, |_: &Source<'_>, g, v, _: &[&[u8]]| {
            row(g, v);
            Ok(())
        })
    }

    /// One pass over the rows, label cells too: a file is read as Parquet when it is one
    /// (see [`is_parquet`]), else as CSV; standard input is CSV.
    pub(crate) fn scan_rows(
        &self,
        sel: &Selection,
        groups: &mut Labels,
        row: impl FnMut(&Source, u32, f64, &[&[u8]]) -> Result<(), StatsCmdError>,
    ) -> Result<(), StatsCmdError> {
        match self {
            Input::Stdin => scan(std::io::stdin().lock(), self.name(), sel, groups, row),
            Input::File(path) => {
                let io = |source| StatsCmdError::Io {
                    path: path.to_string(),
                    source,
                };
                let mut file = std::fs::File::open(path).map_err(io)?;
                if is_parquet(path, &mut file) {
                    return parquet::scan(file, path, sel, groups, row);
                }
                file.rewind().map_err(io)?;
                scan(file, path, sel, groups, row)
            }
        }
    }

    /// The selected columns in memory, for the tests that do not stream.
    pub(crate) fn read_table(&self, sel: &Selection) -> Result<Table, StatsCmdError> {
        collect(self.name(), sel, |groups, row| {
            self.scan_rows(sel, groups, row)
        })
    }
}

/// Whether `test` streams for this input: it needs only the groups' moments (describe
/// also needs a second and third read of a file for its order statistics).
pub fn streams(test: Test, opts: &Options, input: Input) -> bool {
    match test {
        Test::Anova | Test::Tukey | Test::GamesHowell => true,
        Test::Ttest => !opts.paired,
        Test::Describe => matches!(input, Input::File(_)),
        _ => false,
    }
}

/// What one pass of the moments leaves: per group, in order of first appearance.
struct Summary {
    names: Vec<String>,
    running: Vec<Running>,
}

fn summarise(input: Input, sel: &Selection) -> Result<Summary, StatsCmdError> {
    let mut groups = Labels::default();
    let mut running: Vec<Running> = Vec::new();
    input.scan(sel, &mut groups, |g, v| {
        if g as usize == running.len() {
            running.push(Running::new());
        }
        running[g as usize].push(v);
    })?;
    running.iter_mut().for_each(Running::flush);
    if running.iter().all(|r| r.n() == 0) {
        return Err(StatsCmdError::NoRows {
            path: shown(input.name(), SHOWN_PATH_CHARS),
        });
    }
    Ok(Summary {
        names: groups.names,
        running,
    })
}

/// Runs a streaming test (see [`streams`]) over `input`.
pub fn compute_streaming(
    test: Test,
    input: Input,
    sel: &Selection,
    opts: &Options,
) -> Result<Outcome, StatsCmdError> {
    let sum = summarise(input, sel)?;
    let shape = Shape {
        names: &sum.names,
        sizes: sum.running.iter().map(Running::n).collect(),
        column: sel.group.as_deref().unwrap_or("group"),
    };
    let names = &sum.names;
    let ge = |e| groups_error(e, names);
    let prepared = || Prepared::from_running(&sum.running, 2).map_err(ge);
    let outcome = match test {
        Test::Anova => {
            check_shape(&shape, test, 2)?;
            let p = prepared()?;
            anova_outcome(
                names,
                opts.welch,
                || anova_of(&p).map_err(ge),
                || welch_anova_of(&p).map_err(ge),
            )?
        }
        Test::Tukey | Test::GamesHowell => {
            check_shape(&shape, test, 2)?;
            let p = prepared()?;
            pairwise_outcome(
                names,
                test,
                || tukey_hsd_of(&p, opts.confidence).map_err(ge),
                || games_howell_of(&p, opts.confidence).map_err(ge),
            )?
        }
        Test::Ttest => {
            exactly_two_of(&shape, test)?;
            let p = prepared()?;
            let (a, b) = (&p.groups[0], &p.groups[1]);
            let result = if opts.equal_var {
                student_t_test_of(a, b, p.scale, opts.confidence)
            } else {
                welch_t_test_of(a, b, p.scale, opts.confidence)
            }
            .map_err(|e| stats_error(e, test))?;
            ttest_outcome(names[0].clone(), names[1].clone(), result, opts)
        }
        Test::Describe => {
            check_shape(&shape, test, 1)?;
            describe(input, sel, &sum, opts)?
        }
        _ => {
            return Err(StatsCmdError::Input(format!(
                "{} needs all values in memory and does not stream",
                test.name()
            )))
        }
    };
    finite(test, outcome)
}

impl From<InputChanged> for StatsCmdError {
    fn from(_: InputChanged) -> StatsCmdError {
        // The path is filled in where the passes are run.
        StatsCmdError::Changed {
            path: String::new(),
        }
    }
}

const QUARTILES: [f64; 3] = [0.25, 0.5, 0.75];

/// Describe per group: moments from the first pass; median and quartiles from exact
/// selection over further passes, then the MAD from the same over the deviations.
fn describe(
    input: Input,
    sel: &Selection,
    sum: &Summary,
    opts: &Options,
) -> Result<Outcome, StatsCmdError> {
    let counts: Vec<u64> = sum.running.iter().map(|r| r.n() as u64).collect();
    // As describe scales each sample on its own.
    let scales: Vec<f64> = sum.running.iter().map(|r| scale_for(r.max_abs())).collect();
    let changed = |e: StatsCmdError| match e {
        StatsCmdError::Changed { .. } => StatsCmdError::Changed {
            path: shown(input.name(), SHOWN_PATH_CHARS),
        },
        other => other,
    };
    let ranks = |q: f64| -> Vec<(usize, u64)> {
        (0..counts.len())
            .flat_map(|g| {
                let (lo, hi, _) = quantile_ranks(counts[g] as usize, q);
                [(g, lo as u64), (g, hi as u64)]
            })
            .collect()
    };
    let mut wanted = Vec::new();
    for q in QUARTILES {
        wanted.extend(ranks(q));
    }
    let mut groups = Labels::default();
    let values = order_statistics(&counts, &wanted, SELECT_BUDGET, |sink| {
        input.scan(sel, &mut groups, |g, v| sink(g as usize, v))
    })
    .map_err(changed)?;
    let k = counts.len();
    // values: for each quartile, for each group, (lo, hi).
    let quantile = |qi: usize, g: usize| {
        let (_, _, t) = quantile_ranks(counts[g] as usize, QUARTILES[qi]);
        let at = 2 * (qi * k + g);
        interpolate(values[at], values[at + 1], t)
    };
    let medians: Vec<f64> = (0..k).map(|g| quantile(1, g)).collect();
    let deviations = order_statistics(&counts, &ranks(0.5), SELECT_BUDGET, |sink| {
        input.scan(sel, &mut groups, |g, v| {
            let (g, s) = (g as usize, scales[g as usize]);
            sink(g, (v * s - medians[g] * s).abs());
        })
    })
    .map_err(changed)?;
    let mut out = Vec::with_capacity(k);
    for (g, (name, r)) in sum.names.iter().zip(&sum.running).enumerate() {
        let (_, _, t) = quantile_ranks(counts[g] as usize, 0.5);
        let (min, max) = r.min_max();
        let order = Order {
            min,
            max,
            median: medians[g],
            mad: interpolate(deviations[2 * g], deviations[2 * g + 1], t) / scales[g],
            q1: quantile(0, g),
            q3: quantile(2, g),
        };
        let d = describe_of(&r.moments(scales[g]), scales[g], &order, opts.confidence)
            .map_err(|e| stats_error(e, Test::Describe))?;
        out.push((name.clone(), d));
    }
    Ok(Outcome::Describe(out))
}

#[cfg(test)]
mod tests {
    use super::super::compute::compute;
    use super::super::csv::read_table;
    use super::super::json;
    use super::*;
    use ipw_bench::stats::levene::LeveneCenter;
    use ipw_bench::stats::mcnemar::McNemarChoice;
    use ipw_bench::stats::paired_bootstrap::PairedStatistic;
    use serde_json::Value;
    use std::io::Write;

    fn opts(equal_var: bool, welch: bool) -> Options {
        Options {
            confidence: 0.95,
            equal_var,
            paired: false,
            welch,
            levene_center: LeveneCenter::Median,
            mcnemar: McNemarChoice::MidP,
            statistic: PairedStatistic::MeanDifference,
            resamples: 100,
            seed: 1,
        }
    }

    fn sel() -> Selection {
        Selection {
            value: "value".into(),
            value_flag: "--value",
            group: Some("group".into()),
            labels: vec![],
            binary: false,
        }
    }

    /// `rows` rows in `groups` groups, values with six decimals around 50 (as the speed
    /// benchmark writes them), in a temporary file.
    fn csv(rows: usize, groups: usize) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let mut out = std::io::BufWriter::new(f.as_file_mut());
        writeln!(out, "group,value").unwrap();
        let mut x: u64 = 7;
        for _ in 0..rows {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let g = (x % groups as u64) as usize;
            let v = 50.0 - g as f64 + ((x >> 20) % 20_000_000) as f64 / 1e6;
            writeln!(out, "g{g},{v:.6}").unwrap();
        }
        out.flush().unwrap();
        drop(out);
        f
    }

    #[track_caller]
    fn same(a: &Value, b: &Value, tol: f64, at: &str) {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                let ok = if tol == 0.0 {
                    x == y
                } else {
                    (x - y).abs() <= tol * x.abs().max(y.abs()) || (x - y).abs() < 1e-300
                };
                assert!(ok, "{at}: {x} vs {y}");
            }
            (Value::Object(x), Value::Object(y)) => {
                assert_eq!(x.len(), y.len(), "{at}");
                for (k, v) in x {
                    same(v, &y[k], tol, &format!("{at}.{k}"));
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{at}");
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    same(v, w, tol, &format!("{at}[{i}]"));
                }
            }
            _ => assert_eq!(a, b, "{at}"),
        }
    }

    /// Streamed and in-memory results of each streaming test, as JSON.
    fn both(path: &str, test: Test, o: &Options) -> (Value, Value) {
        let input = Input::File(path);
        assert!(streams(test, o, input));
        let streamed = compute_streaming(test, input, &sel(), o).unwrap();
        let file = std::fs::File::open(path).unwrap();
        let table = read_table(file, path, &sel()).unwrap();
        let held = compute(test, &table, o).unwrap();
        (
            json::render(test.name(), 0.95, &streamed),
            json::render(test.name(), 0.95, &held),
        )
    }

    const CASES: [(Test, bool, bool); 6] = [
        (Test::Anova, false, false),
        (Test::Anova, false, true),
        (Test::Tukey, false, false),
        (Test::GamesHowell, false, false),
        (Test::Ttest, false, false),
        (Test::Ttest, true, false),
    ];

    #[test]
    fn a_million_rows_streamed_match_the_values_held_in_memory() {
        let f = csv(1_000_000, 4);
        let path = f.path().to_str().unwrap();
        let two = csv(1_000_000, 2);
        let two = two.path().to_str().unwrap();
        for (test, equal_var, welch) in CASES {
            let p = if test == Test::Ttest { two } else { path };
            let (a, b) = both(p, test, &opts(equal_var, welch));
            same(&a, &b, 1e-12, test.name());
        }
        let (a, b) = both(path, Test::Describe, &opts(false, false));
        same(&a, &b, 1e-12, "describe");
        // The order statistics are exact: the very same doubles.
        for key in ["median", "mad", "q1", "q3", "min", "max"] {
            for g in 0..4 {
                assert_eq!(a["groups"][g][key], b["groups"][g][key], "{key}");
            }
        }
    }

    #[test]
    fn a_small_file_streams_to_the_same_bits() {
        // Under one chunk per group: the very same moments.
        let f = csv(3000, 3);
        let path = f.path().to_str().unwrap();
        let two = csv(3000, 2);
        let two = two.path().to_str().unwrap();
        for (test, equal_var, welch) in CASES {
            let p = if test == Test::Ttest { two } else { path };
            let (a, b) = both(p, test, &opts(equal_var, welch));
            same(&a, &b, 0.0, test.name());
        }
        let (a, b) = both(path, Test::Describe, &opts(false, false));
        same(&a, &b, 0.0, "describe");
    }

    #[test]
    fn streamed_errors_name_the_group() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"group,value\na,1\na,2\nb,3\n").unwrap();
        let path = f.path().to_str().unwrap();
        let e = compute_streaming(Test::Anova, Input::File(path), &sel(), &opts(false, false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("group 'b' has 1 observation(s)"), "{e}");
        let e = compute_streaming(Test::Ttest, Input::File(path), &sel(), &opts(false, false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("group 'b'"), "{e}");
        assert!(!streams(Test::Describe, &opts(false, false), Input::Stdin));
        assert!(!streams(
            Test::Kruskal,
            &opts(false, false),
            Input::File(path)
        ));
    }
}
