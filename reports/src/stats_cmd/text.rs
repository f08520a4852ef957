//! Text rendering of `cargo ipw stats` results: a table and the verdict in words.

use super::compute::Outcome;
use ipw_bench::stats::mcnemar::McNemarMethod;
use ipw_bench::stats::paired_bootstrap::PairedStatistic;
use std::fmt::Write;

/// A number in a table: fixed point for ordinary magnitudes, scientific otherwise.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:.4e}")
    } else {
        format!("{x:.4}")
    }
}

fn p(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x == 0.0 {
        "< 1e-300".into()
    } else if x < 1e-4 {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

/// A p-value from the studentized range's upper tail, which is `1 - cdf`: below
/// [`SF_FLOOR`](ipw_bench::stats::ptukey::SF_FLOOR) it is not resolved, so it says so.
fn p_studentized(x: f64) -> String {
    if x < ipw_bench::stats::ptukey::SF_FLOOR {
        "< 1e-16".into()
    } else {
        p(x)
    }
}

/// The verdict of a test of equal group means (ANOVA, Welch's ANOVA).
fn means_verdict(p_value: f64, alpha: f64) -> String {
    verdict(
        p_value,
        alpha,
        "At least one group mean differs",
        "No detectable difference between the group means",
    )
}

/// "differ" or "do not differ detectably", with the p-value and level; none at all when the
/// p-value is not a number.
fn verdict(p_value: f64, alpha: f64, yes: &str, no: &str) -> String {
    if !p_value.is_finite() {
        "No verdict: the p-value is undefined for these data.".to_string()
    } else if p_value < alpha {
        format!("{yes} (p = {} < {alpha}).", p(p_value))
    } else {
        format!("{no} (p = {} >= {alpha}).", p(p_value))
    }
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut width: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&width)
            .enumerate()
            .map(|(i, (c, w))| {
                if i == 0 {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let _ = writeln!(out, "{}", line(header.to_vec()));
    for r in rows {
        let _ = writeln!(out, "{}", line(r.iter().map(String::as_str).collect()));
    }
}

/// The result as text for a terminal.
pub fn render(confidence: f64, outcome: &Outcome) -> String {
    let alpha = ((1.0 - confidence) * 1e6).round() / 1e6;
    let pct = format!("{}%", (confidence * 1e4).round() / 1e2);
    let mut o = String::new();
    match outcome {
        Outcome::Describe(groups) => {
            let ci = format!("{pct} CI (t)");
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|(name, d)| {
                    vec![
                        name.clone(),
                        d.n.to_string(),
                        num(d.mean),
                        num(d.sd),
                        num(d.median),
                        num(d.mad_scaled),
                        format!("[{}, {}]", num(d.mean_ci.low), num(d.mean_ci.high)),
                    ]
                })
                .collect();
            table(
                &mut o,
                &["group", "n", "mean", "sd", "median", "MAD*1.4826", &ci],
                &rows,
            );
        }
        Outcome::TTest { a, b, result, mde } => {
            let kind = match result.kind {
                ipw_bench::stats::ttest::TTestKind::Welch => "Welch's t-test (unequal variances)",
                ipw_bench::stats::ttest::TTestKind::Student => "Student's t-test (equal variances)",
                ipw_bench::stats::ttest::TTestKind::Paired => "paired t-test",
            };
            let _ = writeln!(
                o,
                "{kind}: {a} (n = {}) vs {b} (n = {})",
                result.n1, result.n2
            );
            let _ = writeln!(
                o,
                "mean difference ({a} - {b}) {}  {pct} CI [{}, {}]",
                num(result.mean_difference),
                num(result.ci.low),
                num(result.ci.high)
            );
            let _ = writeln!(
                o,
                "t = {}  df = {}  p = {}  Cohen's d = {}  Hedges' g = {}",
                num(result.statistic),
                num(result.df),
                p(result.p_value),
                num(result.cohens_d),
                num(result.hedges_g)
            );
            if let Some(m) = mde {
                let _ = writeln!(
                    o,
                    "smallest effect detectable with 80% power: d = {}",
                    num(*m)
                );
            }
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    result.p_value,
                    alpha,
                    &format!("The means of {a} and {b} differ"),
                    &format!("No detectable difference between the means of {a} and {b}")
                )
            );
        }
        Outcome::MannWhitney { a, b, result } => {
            let _ = writeln!(
                o,
                "Mann-Whitney U test: {a} (n = {}) vs {b} (n = {})",
                result.n1, result.n2
            );
            let _ = writeln!(
                o,
                "U ({a}) = {}  z = {}  p = {} (normal approximation, tie and continuity corrected)",
                num(result.u),
                num(result.z),
                p(result.p_value)
            );
            let _ = writeln!(o, "P({a} > {b}) = {}", num(result.probability_superiority));
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    result.p_value,
                    alpha,
                    &format!("The distributions of {a} and {b} differ in location"),
                    &format!("No detectable shift between {a} and {b}")
                )
            );
        }
        Outcome::Proportions {
            groups,
            z_test,
            chi_square,
        } => {
            let ci = format!("{pct} CI (Wilson)");
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|g| {
                    vec![
                        g.name.clone(),
                        g.n.to_string(),
                        g.correct.to_string(),
                        num(g.interval.point),
                        format!("[{}, {}]", num(g.interval.low), num(g.interval.high)),
                    ]
                })
                .collect();
            table(&mut o, &["group", "n", "correct", "proportion", &ci], &rows);
            let headline = match z_test {
                Some(z) => {
                    let _ = writeln!(
                        o,
                        "two-proportion z-test: z = {}  p = {}",
                        num(z.statistic),
                        p(z.p_value)
                    );
                    z.p_value
                }
                None => chi_square.p_value,
            };
            let _ = writeln!(
                o,
                "chi-square test of independence{}: X2 = {}  df = {}  p = {}",
                if chi_square.yates { " (Yates)" } else { "" },
                num(chi_square.statistic),
                chi_square.df,
                p(chi_square.p_value)
            );
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    headline,
                    alpha,
                    "The proportions differ",
                    "No detectable difference between the proportions"
                )
            );
        }
        Outcome::Anova { groups, result } => {
            let rows = vec![
                vec![
                    "between".into(),
                    num(result.ss_between),
                    num(result.df_between),
                    num(result.ms_between),
                    num(result.f),
                    p(result.p_value),
                ],
                vec![
                    "within".into(),
                    num(result.ss_within),
                    num(result.df_within),
                    num(result.ms_within),
                    String::new(),
                    String::new(),
                ],
            ];
            let _ = writeln!(o, "one-way ANOVA over {} groups", groups.len());
            table(&mut o, &["source", "SS", "df", "MS", "F", "p"], &rows);
            let _ = writeln!(
                o,
                "eta^2 = {}  omega^2 = {}",
                num(result.eta_squared),
                num(result.omega_squared)
            );
            let _ = writeln!(o, "{}", means_verdict(result.p_value, alpha));
        }
        Outcome::WelchAnova { groups, result } => {
            let _ = writeln!(
                o,
                "Welch's ANOVA over {} groups: F = {}  df = ({}, {})  p = {}",
                groups.len(),
                num(result.f),
                num(result.df1),
                num(result.df2),
                p(result.p_value)
            );
            let _ = writeln!(o, "{}", means_verdict(result.p_value, alpha));
        }
        Outcome::Pairwise { groups, result } => {
            let ci = format!("{pct} simultaneous CI");
            let rows: Vec<Vec<String>> = result
                .comparisons
                .iter()
                .map(|c| {
                    vec![
                        format!("{} - {}", groups[c.b], groups[c.a]),
                        num(c.mean_difference),
                        format!("[{}, {}]", num(c.ci_low), num(c.ci_high)),
                        p_studentized(c.p_value),
                        if c.p_value < alpha {
                            "differ"
                        } else if c.p_value.is_finite() {
                            "-"
                        } else {
                            "undefined"
                        }
                        .into(),
                    ]
                })
                .collect();
            let method = match result.method {
                ipw_bench::stats::tukey::PairwiseMethod::TukeyHsd => "Tukey HSD",
                ipw_bench::stats::tukey::PairwiseMethod::GamesHowell => "Games-Howell",
            };
            let _ = writeln!(o, "{method} pairwise comparisons (p adjusted)");
            table(
                &mut o,
                &["pair", "difference", &ci, "p adj", "verdict"],
                &rows,
            );
            let n = result
                .comparisons
                .iter()
                .filter(|c| c.p_value < alpha)
                .count();
            let _ = writeln!(
                o,
                "{n} of {} pairs differ at level {alpha}.",
                result.comparisons.len()
            );
        }
        Outcome::Kruskal { groups, result } => {
            let _ = writeln!(
                o,
                "Kruskal-Wallis H test over {} groups: H = {}  df = {}  p = {}",
                groups.len(),
                num(result.h),
                num(result.df),
                p(result.p_value)
            );
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    result.p_value,
                    alpha,
                    "At least one group differs in location",
                    "No detectable difference in location between the groups"
                )
            );
        }
        Outcome::Levene { groups, result } => {
            let _ = writeln!(
                o,
                "Levene's test ({:?} centered) over {} groups: W = {}  p = {}",
                result.center,
                groups.len(),
                num(result.statistic),
                p(result.p_value)
            );
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    result.p_value,
                    alpha,
                    "The variances differ: prefer Welch's ANOVA and Games-Howell",
                    "No detectable difference between the variances"
                )
            );
        }
        Outcome::Shapiro(groups) => {
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|(name, s)| {
                    vec![
                        name.clone(),
                        s.n.to_string(),
                        num(s.w),
                        p(s.p_value),
                        if s.p_value < alpha {
                            "not normal"
                        } else {
                            "consistent with normal"
                        }
                        .into(),
                    ]
                })
                .collect();
            let _ = writeln!(o, "Shapiro-Wilk normality test per group");
            table(&mut o, &["group", "n", "W", "p", "verdict"], &rows);
        }
        Outcome::Anova2(t) => {
            let rows: Vec<Vec<String>> = t
                .effects
                .iter()
                .map(|e| {
                    vec![
                        e.source.clone(),
                        num(e.ss),
                        num(e.df),
                        e.f.map_or(String::new(), num),
                        e.p_value.map_or(String::new(), p),
                    ]
                })
                .collect();
            let _ = writeln!(
                o,
                "two-way ANOVA (Type II sums of squares{})",
                if t.balanced {
                    ", balanced"
                } else {
                    ", unbalanced"
                }
            );
            table(&mut o, &["source", "SS", "df", "F", "p"], &rows);
            for e in &t.effects {
                if let Some(pv) = e.p_value {
                    let _ = writeln!(
                        o,
                        "{}",
                        verdict(
                            pv,
                            alpha,
                            &format!("{} has an effect", e.source),
                            &format!("No detectable effect of {}", e.source)
                        )
                    );
                }
            }
        }
        Outcome::McNemar {
            a,
            b,
            pair,
            table: t,
            result,
            difference: d,
            discordance,
            detectable,
        } => {
            let n = t.questions();
            let (name, statistic) = match result.method {
                McNemarMethod::Exact => ("exact binomial", "min(b, c)"),
                McNemarMethod::MidP => ("mid-p binomial", "min(b, c)"),
                McNemarMethod::ChiSquare => ("chi-square", "X2"),
                McNemarMethod::ChiSquareCorrected => ("continuity-corrected chi-square", "X2"),
            };
            let _ = writeln!(
                o,
                "McNemar's {name} test: {a} vs {b} on {n} questions paired by '{pair}'"
            );
            let (right, wrong) = (format!("{b} right"), format!("{b} wrong"));
            table(
                &mut o,
                &["", &right, &wrong],
                &[
                    vec![
                        format!("{a} right"),
                        t.both_right.to_string(),
                        t.first_only.to_string(),
                    ],
                    vec![
                        format!("{a} wrong"),
                        t.second_only.to_string(),
                        t.both_wrong.to_string(),
                    ],
                ],
            );
            let shown = if statistic == "X2" {
                num(result.statistic)
            } else {
                format!("{:.0}", result.statistic)
            };
            let _ = writeln!(o, "{statistic} = {shown}  p = {}", p(result.p_value));
            let nf = n as f64;
            let rows = [
                (a, t.both_right + t.first_only),
                (b, t.both_right + t.second_only),
            ]
            .map(|(g, k)| vec![g.clone(), k.to_string(), num(k as f64 / nf)]);
            table(&mut o, &["group", "correct", "accuracy"], &rows);
            let _ = writeln!(
                o,
                "accuracy difference ({b} - {a}) {}  {pct} CI (Newcombe) [{}, {}]",
                num(d.point),
                num(d.low),
                num(d.high)
            );
            let _ = writeln!(
                o,
                "discordance {}: {} of {n} questions right in one group only",
                num(*discordance),
                t.discordant()
            );
            let _ = match detectable {
                Some(m) => writeln!(
                    o,
                    "smallest difference {n} questions detect with 80% power at this \
                     discordance: {}",
                    num(*m)
                ),
                None => writeln!(
                    o,
                    "no difference reaches 80% power with {n} questions at this discordance"
                ),
            };
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    result.p_value,
                    alpha,
                    &format!("The accuracies of {a} and {b} differ"),
                    &format!("No detectable difference between the accuracies of {a} and {b}")
                )
            );
        }
        Outcome::PairedBootstrap {
            a,
            b,
            pair,
            seed,
            result: r,
        } => {
            let what = match r.statistic {
                PairedStatistic::MeanDifference => format!("mean difference ({b} - {a})"),
                PairedStatistic::RatioOfMeans => format!("ratio of means ({b} / {a})"),
            };
            let _ = writeln!(
                o,
                "paired bootstrap: {a} vs {b} on {} questions paired by '{pair}'",
                r.questions
            );
            let _ = writeln!(
                o,
                "{what} {}  {pct} CI (percentile) [{}, {}]  bootstrap SE {}",
                num(r.interval.point),
                num(r.interval.low),
                num(r.interval.high),
                num(r.se)
            );
            let kept = if r.kept < r.resamples {
                format!(" ({} of them with a finite ratio)", r.kept)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "{} resamples{kept}, seed {seed}: two-sided p = {} (at least 1 / {})",
                r.resamples,
                p(r.p_value),
                r.kept
            );
            let _ = writeln!(
                o,
                "{}",
                verdict(
                    r.p_value,
                    alpha,
                    &format!("The means of {a} and {b} differ"),
                    &format!("No detectable difference between the means of {a} and {b}")
                )
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_verdict_without_a_p_value() {
        assert_eq!(
            verdict(f64::NAN, 0.05, "differ", "same"),
            "No verdict: the p-value is undefined for these data."
        );
        assert_eq!(
            verdict(0.01, 0.05, "They differ", "same"),
            "They differ (p = 0.0100 < 0.05)."
        );
    }
}
