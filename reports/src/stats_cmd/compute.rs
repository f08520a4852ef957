//! Runs the chosen test on the table that was read, with checks that name the group at fault.

use super::csv::Table;
use super::error::StatsCmdError;
use super::Test;
use ipw_bench::stats::anova::{anova, Anova};
use ipw_bench::stats::anova2::{anova2, Factor, TwoWayAnova};
use ipw_bench::stats::csv_input::{shown, SHOWN_CHARS};
use ipw_bench::stats::descriptive::{describe, Describe};
use ipw_bench::stats::error::StatsError;
use ipw_bench::stats::games_howell::games_howell;
use ipw_bench::stats::groups::GroupsError;
use ipw_bench::stats::kruskal::{kruskal, Kruskal};
use ipw_bench::stats::levene::{levene, Levene, LeveneCenter};
use ipw_bench::stats::mannwhitney::{mann_whitney, MannWhitney, MwMethod};
use ipw_bench::stats::mcnemar::{mcnemar, mcnemar_detectable_difference, McNemar, McNemarChoice};
use ipw_bench::stats::paired::{
    paired_difference_ci, PairedCiMethod, PairedDifference, PairedTable,
};
use ipw_bench::stats::paired_bootstrap::{paired_bootstrap, PairedBootstrap, PairedStatistic};
use ipw_bench::stats::power::minimum_detectable_effect;
use ipw_bench::stats::proportions::{
    chi_square_independence, two_proportion_z_test, wilson_interval, ChiSquare, ProportionTest,
};
use ipw_bench::stats::shapiro::{shapiro_wilk, ShapiroWilk};
use ipw_bench::stats::ttest::{t_test, TTest, TTestKind};
use ipw_bench::stats::tukey::{tukey_hsd, Pairwise};
use ipw_bench::stats::welch_anova::{welch_anova, WelchAnova};
use ipw_bench::stats::Interval;

/// Options that change how a test is computed.
#[derive(Debug, Clone)]
pub struct Options {
    pub confidence: f64,
    pub equal_var: bool,
    pub paired: bool,
    pub welch: bool,
    pub levene_center: LeveneCenter,
    pub mcnemar: McNemarChoice,
    pub statistic: PairedStatistic,
    pub resamples: usize,
    pub seed: u64,
}

/// The power the smallest detectable difference is quoted at.
pub const POWER: f64 = 0.8;

/// One group's proportion of correct answers.
#[derive(Debug, Clone)]
pub struct ProportionGroup {
    pub name: String,
    pub n: u64,
    pub correct: u64,
    pub interval: Interval,
}

/// The result of one test, with the group names it refers to.
#[derive(Debug, Clone)]
pub enum Outcome {
    Describe(Vec<(String, Describe)>),
    TTest {
        a: String,
        b: String,
        result: TTest,
        /// Smallest d detectable with 80% power at this level (two-sample tests only).
        mde: Option<f64>,
    },
    MannWhitney {
        a: String,
        b: String,
        result: MannWhitney,
    },
    Proportions {
        groups: Vec<ProportionGroup>,
        /// Two groups: the two-proportion z-test.
        z_test: Option<ProportionTest>,
        chi_square: ChiSquare,
    },
    Anova {
        groups: Vec<String>,
        result: Anova,
    },
    WelchAnova {
        groups: Vec<String>,
        result: WelchAnova,
    },
    Pairwise {
        groups: Vec<String>,
        result: Pairwise,
    },
    Kruskal {
        groups: Vec<String>,
        result: Kruskal,
    },
    Levene {
        groups: Vec<String>,
        result: Levene,
    },
    Shapiro(Vec<(String, ShapiroWilk)>),
    Anova2(TwoWayAnova),
    McNemar {
        a: String,
        b: String,
        /// The column that pairs the questions.
        pair: String,
        table: PairedTable,
        result: McNemar,
        /// `b - a` in accuracy with Newcombe's interval.
        difference: PairedDifference,
        /// Share of the questions answered right by exactly one group.
        discordance: f64,
        /// Smallest accuracy difference detectable at [`POWER`]; `None` when no
        /// difference reaches it with this many questions.
        detectable: Option<f64>,
    },
    PairedBootstrap {
        a: String,
        b: String,
        pair: String,
        seed: u64,
        result: PairedBootstrap,
    },
}

fn input(msg: String) -> StatsCmdError {
    StatsCmdError::Input(msg)
}

/// A group or pair name from the file, cut to fit a one-line message.
fn named(name: &str) -> String {
    shown(name, SHOWN_CHARS)
}

/// The groups' names for a message: the first few, each cut, and a count of the rest.
fn named_list(names: &[String]) -> String {
    const SHOWN_GROUPS: usize = 4;
    let mut list: Vec<String> = names.iter().take(SHOWN_GROUPS).map(|n| named(n)).collect();
    if names.len() > SHOWN_GROUPS {
        list.push(format!("and {} more", names.len() - SHOWN_GROUPS));
    }
    list.join(", ")
}

fn group_column(table: &Table) -> &str {
    table.group_column.as_deref().unwrap_or("group")
}

/// The groups that were read: their names, sizes and the column that names them.
pub(crate) struct Shape<'a> {
    pub names: &'a [String],
    pub sizes: Vec<usize>,
    pub column: &'a str,
}

impl Shape<'_> {
    fn of(table: &Table) -> Shape<'_> {
        Shape {
            names: &table.groups,
            sizes: table.by_group.iter().map(Vec::len).collect(),
            column: group_column(table),
        }
    }
}

fn check_groups(table: &Table, test: Test, min_groups: usize) -> Result<(), StatsCmdError> {
    check_shape(&Shape::of(table), test, min_groups)
}

fn exactly_two(table: &Table, test: Test) -> Result<(), StatsCmdError> {
    exactly_two_of(&Shape::of(table), test)
}

/// Every group needs two observations (a variance); most tests need two groups.
pub(crate) fn check_shape(
    shape: &Shape,
    test: Test,
    min_groups: usize,
) -> Result<(), StatsCmdError> {
    let k = shape.names.len();
    if k < min_groups {
        return Err(input(format!(
            "{} needs at least {min_groups} groups in column '{}', found {k} ({}): check --group",
            test.name(),
            named(shape.column),
            named_list(shape.names)
        )));
    }
    for (name, &n) in shape.names.iter().zip(&shape.sizes) {
        if n < 2 {
            return Err(input(format!(
                "group '{}' has {n} observation(s); {} needs at least 2 per group: add observations or remove the group",
                named(name),
                test.name()
            )));
        }
    }
    Ok(())
}

pub(crate) fn exactly_two_of(shape: &Shape, test: Test) -> Result<(), StatsCmdError> {
    check_shape(shape, test, 2)?;
    if shape.names.len() != 2 {
        let more = match test {
            Test::Mcnemar | Test::PairedBootstrap => {
                "keep two groups in the file, or compare them two at a time"
            }
            _ => "use anova or kruskal for more",
        };
        return Err(input(format!(
            "{} compares exactly 2 groups, found {} in column '{}' ({}): {more}",
            test.name(),
            shape.names.len(),
            named(shape.column),
            named_list(shape.names)
        )));
    }
    Ok(())
}

pub(crate) fn groups_error(e: GroupsError, names: &[String]) -> StatsCmdError {
    let name = |i: usize| named(names.get(i).map_or("?", String::as_str));
    input(match e {
        GroupsError::TooFewObservations { group, found, needed } => format!(
            "group '{}' has {found} observation(s); this test needs at least {needed} per group",
            name(group)
        ),
        GroupsError::ConstantGroup { group } => format!(
            "group '{}' has zero variance; this test weights groups by 1/variance: use the classic test or check the data",
            name(group)
        ),
        GroupsError::ZeroVariance => {
            "every group has zero variance (all values equal within groups): the test is undefined; check the value column".to_string()
        }
        GroupsError::TooManyObservations { found, max } => format!(
            "a group has {found} observations; this test is defined for at most {max}: test a random subsample"
        ),
        other => other.to_string(),
    })
}

pub(crate) fn stats_error(e: StatsError, test: Test) -> StatsCmdError {
    input(match e {
        StatsError::ZeroVariance { .. } => format!(
            "{}: both groups have zero variance (all values equal): the test is undefined; check the value column",
            test.name()
        ),
        other => format!("{}: {other}", test.name()),
    })
}

fn slices(table: &Table) -> Vec<&[f64]> {
    table.by_group.iter().map(Vec::as_slice).collect()
}

/// Runs `test`; a result with a number that is not finite (where the test defines one) is
/// an error rather than a `-` in the table and a verdict drawn from it.
pub fn compute(test: Test, table: &Table, opts: &Options) -> Result<Outcome, StatsCmdError> {
    finite(test, run_test(test, table, opts)?)
}

/// `outcome`, or an error when a number it reports is not finite.
pub(crate) fn finite(test: Test, outcome: Outcome) -> Result<Outcome, StatsCmdError> {
    if all_finite(&outcome) {
        Ok(outcome)
    } else {
        Err(input(format!(
            "{}: the results overflow f64 (values near 1e308, or too far apart in size): \
             rescale the value column, e.g. to kJ or MJ",
            test.name()
        )))
    }
}

/// Every number the outcome reports, where the test defines one, is finite.
fn all_finite(outcome: &Outcome) -> bool {
    let ok = |v: &[f64]| v.iter().all(|x| x.is_finite());
    match outcome {
        Outcome::Describe(groups) => groups.iter().all(|(_, d)| {
            ok(&[
                d.mean,
                d.sd,
                d.se,
                d.median,
                d.mad,
                d.min,
                d.max,
                d.q1,
                d.q3,
                d.mean_ci.low,
                d.mean_ci.high,
            ])
        }),
        Outcome::TTest { result: r, .. } => ok(&[
            r.statistic,
            r.df,
            r.p_value,
            r.mean_difference,
            r.se,
            r.ci.low,
            r.ci.high,
            r.cohens_d,
            r.hedges_g,
        ]),
        Outcome::MannWhitney { result: r, .. } => {
            ok(&[r.u, r.z, r.p_value, r.probability_superiority])
        }
        Outcome::Proportions {
            groups,
            z_test,
            chi_square,
        } => {
            groups
                .iter()
                .all(|g| ok(&[g.interval.point, g.interval.low, g.interval.high]))
                && z_test.iter().all(|z| ok(&[z.statistic, z.p_value]))
                && ok(&[chi_square.statistic, chi_square.p_value])
        }
        Outcome::Anova { result: r, .. } => ok(&[
            r.ss_between,
            r.ss_within,
            r.ms_between,
            r.ms_within,
            r.f,
            r.p_value,
            r.eta_squared,
            r.omega_squared,
        ]),
        Outcome::WelchAnova { result: r, .. } => ok(&[r.f, r.df1, r.df2, r.p_value]),
        Outcome::Pairwise { result, .. } => result.comparisons.iter().all(|c| {
            ok(&[
                c.mean_difference,
                c.std_error,
                c.q,
                c.df,
                c.ci_low,
                c.ci_high,
                c.p_value,
            ])
        }),
        Outcome::Kruskal { result: r, .. } => ok(&[r.h, r.df, r.p_value]),
        Outcome::Levene { result: r, .. } => ok(&[r.statistic, r.p_value]),
        Outcome::Shapiro(groups) => groups.iter().all(|(_, s)| ok(&[s.w, s.p_value])),
        Outcome::Anova2(t) => t.effects.iter().all(|e| {
            ok(&[e.ss, e.df])
                && e.f.is_none_or(f64::is_finite)
                && e.p_value.is_none_or(f64::is_finite)
        }),
        Outcome::McNemar {
            result,
            difference: d,
            ..
        } => ok(&[result.statistic, result.p_value, d.point, d.low, d.high]),
        Outcome::PairedBootstrap { result: r, .. } => ok(&[
            r.interval.point,
            r.interval.low,
            r.interval.high,
            r.se,
            r.p_value,
        ]),
    }
}

/// One-way ANOVA's outcome, equal variances or Welch's, for the in-memory and the streamed
/// path alike: each closure runs its version on the groups as that path holds them.
pub(crate) fn anova_outcome(
    names: &[String],
    welch: bool,
    equal: impl FnOnce() -> Result<Anova, StatsCmdError>,
    unequal: impl FnOnce() -> Result<WelchAnova, StatsCmdError>,
) -> Result<Outcome, StatsCmdError> {
    let groups = names.to_vec();
    Ok(if welch {
        Outcome::WelchAnova {
            groups,
            result: unequal()?,
        }
    } else {
        Outcome::Anova {
            groups,
            result: equal()?,
        }
    })
}

/// Tukey HSD's or Games-Howell's outcome (as `test` says), as [`anova_outcome`].
pub(crate) fn pairwise_outcome(
    names: &[String],
    test: Test,
    tukey: impl FnOnce() -> Result<Pairwise, StatsCmdError>,
    games_howell: impl FnOnce() -> Result<Pairwise, StatsCmdError>,
) -> Result<Outcome, StatsCmdError> {
    Ok(Outcome::Pairwise {
        groups: names.to_vec(),
        result: if test == Test::Tukey {
            tukey()?
        } else {
            games_howell()?
        },
    })
}

fn run_test(test: Test, table: &Table, opts: &Options) -> Result<Outcome, StatsCmdError> {
    let names = &table.groups;
    let g = slices(table);
    let ge = |e| groups_error(e, names);
    Ok(match test {
        Test::Describe => {
            check_groups(table, test, 1)?;
            let mut out = Vec::with_capacity(g.len());
            for (name, values) in names.iter().zip(&g) {
                let d = describe(values, opts.confidence).map_err(|e| stats_error(e, test))?;
                out.push((name.clone(), d));
            }
            Outcome::Describe(out)
        }
        Test::Ttest => ttest(table, opts)?,
        Test::Mannwhitney => {
            exactly_two(table, test)?;
            let result =
                mann_whitney(g[0], g[1], MwMethod::Asymptotic).map_err(|e| stats_error(e, test))?;
            Outcome::MannWhitney {
                a: names[0].clone(),
                b: names[1].clone(),
                result,
            }
        }
        Test::Proportions => proportions(table, opts)?,
        Test::Anova => {
            check_groups(table, test, 2)?;
            anova_outcome(
                names,
                opts.welch,
                || anova(&g).map_err(ge),
                || welch_anova(&g).map_err(ge),
            )?
        }
        Test::Tukey | Test::GamesHowell => {
            check_groups(table, test, 2)?;
            pairwise_outcome(
                names,
                test,
                || tukey_hsd(&g, opts.confidence).map_err(ge),
                || games_howell(&g, opts.confidence).map_err(ge),
            )?
        }
        Test::Kruskal => {
            check_groups(table, test, 2)?;
            Outcome::Kruskal {
                groups: names.clone(),
                result: kruskal(&g).map_err(ge)?,
            }
        }
        Test::Levene => {
            check_groups(table, test, 2)?;
            Outcome::Levene {
                groups: names.clone(),
                result: levene(&g, opts.levene_center).map_err(ge)?,
            }
        }
        Test::Shapiro => {
            check_groups(table, test, 1)?;
            let mut out = Vec::with_capacity(g.len());
            for (name, values) in names.iter().zip(&g) {
                let r = shapiro_wilk(values).map_err(|e| {
                    input(format!(
                        "group '{}': {}",
                        named(name),
                        groups_error(e, names)
                    ))
                })?;
                out.push((name.clone(), r));
            }
            Outcome::Shapiro(out)
        }
        Test::Anova2 => {
            let rows = table.rows.as_ref().ok_or_else(|| {
                input("anova2 needs two factor columns: pass --factor A --factor B".into())
            })?;
            let [fa, fb] = rows.labels.as_slice() else {
                return Err(input(
                    "anova2 needs exactly two factor columns: pass --factor A --factor B".into(),
                ));
            };
            let t = anova2(
                &rows.values,
                Factor {
                    name: &fa.name,
                    levels: &fa.rows,
                },
                Factor {
                    name: &fb.name,
                    levels: &fb.rows,
                },
            )
            .map_err(|e| input(format!("anova2: {e}")))?;
            Outcome::Anova2(t)
        }
        Test::Mcnemar => mcnemar_outcome(table, opts)?,
        Test::PairedBootstrap => {
            exactly_two(table, test)?;
            let (rows, pair) = paired_rows(table, test)?;
            let (x, y) = pair_up(table, rows)?;
            let result = paired_bootstrap(
                &x,
                &y,
                opts.statistic,
                opts.resamples,
                opts.confidence,
                opts.seed,
            )
            .map_err(|e| stats_error(e, test))?;
            Outcome::PairedBootstrap {
                a: names[0].clone(),
                b: names[1].clone(),
                pair,
                seed: opts.seed,
                result,
            }
        }
    })
}

/// The row-wise data and the name of the pair column of a paired test.
fn paired_rows(table: &Table, test: Test) -> Result<(&super::csv::Rows, String), StatsCmdError> {
    match &table.rows {
        Some(rows) if rows.labels.len() == 1 => Ok((rows, rows.labels[0].name.clone())),
        _ => Err(input(format!(
            "{} needs --pair COL: the column that says which question each row answers",
            test.name()
        ))),
    }
}

fn mcnemar_outcome(table: &Table, opts: &Options) -> Result<Outcome, StatsCmdError> {
    let test = Test::Mcnemar;
    exactly_two(table, test)?;
    let (rows, pair) = paired_rows(table, test)?;
    let (x, y) = pair_up(table, rows)?;
    let right = |v: &[f64]| v.iter().map(|&o| o == 1.0).collect::<Vec<bool>>();
    let paired =
        PairedTable::from_outcomes(&right(&x), &right(&y)).map_err(|e| stats_error(e, test))?;
    let result = mcnemar(&paired, opts.mcnemar);
    let difference = paired_difference_ci(&paired, opts.confidence, PairedCiMethod::Newcombe)
        .map_err(|e| stats_error(e, test))?;
    let n = paired.questions() as f64;
    let discordance = paired.discordant() as f64 / n;
    // At least one question's worth of discordance, so that perfect agreement still gets
    // a figure (as `compare` quotes it).
    let detectable = mcnemar_detectable_difference(
        n,
        discordance.max(1.0 / n).min(1.0),
        1.0 - opts.confidence,
        POWER,
    )
    .ok();
    Ok(Outcome::McNemar {
        a: table.groups[0].clone(),
        b: table.groups[1].clone(),
        pair,
        table: paired,
        result,
        difference,
        discordance,
        detectable,
    })
}

fn ttest(table: &Table, opts: &Options) -> Result<Outcome, StatsCmdError> {
    let test = Test::Ttest;
    exactly_two(table, test)?;
    let (a, b) = (table.groups[0].clone(), table.groups[1].clone());
    let result = match &table.rows {
        Some(rows) => {
            let (x, y) = pair_up(table, rows)?;
            t_test(&x, &y, TTestKind::Paired, opts.confidence)
        }
        None if opts.paired => return Err(input(
            "--paired needs --pair COL: the column that says which observations belong together"
                .into(),
        )),
        None => {
            let kind = if opts.equal_var {
                TTestKind::Student
            } else {
                TTestKind::Welch
            };
            t_test(
                &table.by_group[0],
                &table.by_group[1],
                kind,
                opts.confidence,
            )
        }
    }
    .map_err(|e| stats_error(e, test))?;
    Ok(ttest_outcome(a, b, result, opts))
}

/// The t-test's outcome, with the smallest detectable effect of a two-sample test.
pub(crate) fn ttest_outcome(a: String, b: String, result: TTest, opts: &Options) -> Outcome {
    let mde = if result.kind == TTestKind::Paired {
        None
    } else {
        // With unequal groups, the harmonic mean size gives the same noncentrality.
        let (n1, n2) = (result.n1 as f64, result.n2 as f64);
        minimum_detectable_effect(2.0 * n1 * n2 / (n1 + n2), 1.0 - opts.confidence, POWER).ok()
    };
    Outcome::TTest { a, b, result, mde }
}

/// Aligns the two groups by the pair column: one value per pair in each group.
fn pair_up(table: &Table, rows: &super::csv::Rows) -> Result<(Vec<f64>, Vec<f64>), StatsCmdError> {
    let pairs = &rows.labels[0];
    let k = pairs.labels.names.len();
    let mut slots: Vec<[Option<f64>; 2]> = vec![[None, None]; k];
    for ((&v, &g), &p) in rows.values.iter().zip(&rows.group).zip(&pairs.rows) {
        let slot = &mut slots[p as usize][g as usize];
        if slot.is_some() {
            return Err(input(format!(
                "pair '{}' (column '{}') has two values in group '{}'; each pair needs exactly one value per group",
                named(&pairs.labels.names[p as usize]),
                named(&pairs.name),
                named(&table.groups[g as usize])
            )));
        }
        *slot = Some(v);
    }
    let (mut x, mut y) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for (p, slot) in slots.iter().enumerate() {
        match slot {
            [Some(a), Some(b)] => {
                x.push(*a);
                y.push(*b);
            }
            _ => {
                let (has, lacks) = if slot[0].is_some() { (0, 1) } else { (1, 0) };
                return Err(input(format!(
                    "pair '{}' (column '{}') has a value in group '{}' but none in group '{}'; add it or remove the pair",
                    named(&pairs.labels.names[p]),
                    named(&pairs.name),
                    named(&table.groups[has]),
                    named(&table.groups[lacks])
                )));
            }
        }
    }
    Ok((x, y))
}

fn proportions(table: &Table, opts: &Options) -> Result<Outcome, StatsCmdError> {
    let test = Test::Proportions;
    check_groups(table, test, 2)?;
    let mut groups = Vec::with_capacity(table.groups.len());
    for (name, values) in table.groups.iter().zip(&table.by_group) {
        let mut correct = 0u64;
        for &v in values {
            if v == 1.0 {
                correct += 1;
            } else if v != 0.0 {
                return Err(input(format!(
                    "group '{}': column '{}' holds {v}; proportions need 0 (wrong) or 1 (correct)",
                    named(name),
                    named(&table.value_column)
                )));
            }
        }
        let n = values.len() as u64;
        let interval =
            wilson_interval(correct, n, opts.confidence).map_err(|e| stats_error(e, test))?;
        groups.push(ProportionGroup {
            name: name.clone(),
            n,
            correct,
            interval,
        });
    }
    let counts: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| vec![g.correct as f64, (g.n - g.correct) as f64])
        .collect();
    let chi_square = chi_square_independence(&counts, true).map_err(|_| {
        input(
            "proportions: every answer is correct, or every answer is wrong, in all groups: nothing to compare"
                .into(),
        )
    })?;
    let z_test = if groups.len() == 2 {
        let (a, b) = (&groups[0], &groups[1]);
        Some(
            two_proportion_z_test(a.correct, a.n, b.correct, b.n)
                .map_err(|e| stats_error(e, test))?,
        )
    } else {
        None
    };
    Ok(Outcome::Proportions {
        groups,
        z_test,
        chi_square,
    })
}
