//! The plain verdict lines of a group comparison: one per pair (or one for three or more
//! variants' accuracy), naming the test each rests on.

use crate::analysis::compare::{label, ALPHA};
use crate::analysis::format::p_value_scientific;
use crate::analysis::record::{AccuracyComparison, CaseResult, GroupComparison, Pairwise};
use crate::analysis::vocabulary::{Correction, PairVerdict, Test};
use crate::measure::sensor::Provenance;

/// How a verdict line says the accuracy comparison: the verdict, the difference where
/// there is one, and the test with what it rests on; `scope` (e.g. " across variants")
/// follows the verdict.
fn accuracy_words(acc: &AccuracyComparison, scope: &str) -> String {
    let old_style = !acc.paired && acc.note.is_none();
    if old_style {
        // A comparison without question sets (a file of version 1, or cases built from
        // samples alone): every answer counted as a question, and the line says so.
        return format!(
            "accuracy {}{scope} ({} over answers, p = {})",
            acc.verdict,
            acc.test.test,
            p_value_scientific(acc.test.p_value)
        );
    }
    let mut s = format!("accuracy {}{scope}", acc.verdict);
    if let Some(d) = &acc.difference {
        s.push_str(&format!(
            " {:+.1} pts [{:+.1}, {:+.1}]",
            d.point * 100.0,
            d.ci_low * 100.0,
            d.ci_high * 100.0
        ));
    }
    let basis = match acc.questions {
        Some(n) => format!("{}, {n} shared questions", acc.test.test),
        None => acc.test.test.to_string(),
    };
    s.push_str(&format!(
        " ({basis}, p = {})",
        p_value_scientific(acc.test.p_value)
    ));
    if let Some(mde) = acc.minimum_detectable_difference {
        s.push_str(&format!("; detects {:.1} pts at 80% power", mde * 100.0));
    }
    if let Some(note) = acc.note.as_ref().filter(|_| !acc.paired) {
        s.push_str(&format!(" [{note}]"));
    }
    s
}

/// The accuracy words of the pair `a`, `b` of a comparison of three or more variants:
/// `accuracy differs +2.0 pts [+0.4, +3.6] (mcnemar-mid-p, holm p = 0.031)`, the
/// difference `b - a` whichever order the pair was tested in.
fn pair_of(acc: &AccuracyComparison, a: &str, b: &str) -> Option<String> {
    let (pair, sign) = acc.pairwise.iter().find_map(|x| {
        if x.a == a && x.b == b {
            Some((x, 1.0))
        } else if x.a == b && x.b == a {
            Some((x, -1.0))
        } else {
            None
        }
    })?;
    let d = &pair.difference;
    let (low, high) = if sign > 0.0 {
        (d.ci_low, d.ci_high)
    } else {
        (-d.ci_high, -d.ci_low)
    };
    Some(format!(
        "accuracy {} {:+.1} pts [{:+.1}, {:+.1}] ({}, holm p = {})",
        pair.verdict,
        sign * d.point * 100.0,
        low * 100.0,
        high * 100.0,
        pair.test.test,
        p_value_scientific(pair.p_adjusted)
    ))
}

/// Where a pair's ratio interval and its test's p-value disagree about "no change", say
/// so, and that a verdict needs both (the p-value, corrected for the other pairs where
/// there are some, is the test; the interval is the pair's own).
fn disagreement(p: &Pairwise) -> String {
    let significant = p.p_adjusted < ALPHA;
    let excludes = p.ratio.ci_low > 1.0 || p.ratio.ci_high < 1.0;
    let corrected = match p.correction {
        Correction::None => String::new(),
        c => format!(" ({c}-corrected; the interval is not)"),
    };
    match (significant, excludes) {
        (false, true) => format!(
            "; the interval excludes no change but p = {}{corrected} is not below {ALPHA}: \
             a verdict needs both",
            p_value_scientific(p.p_adjusted)
        ),
        (true, false) => format!(
            "; p = {}{corrected} is below {ALPHA} but the interval includes no change: a \
             verdict needs both",
            p_value_scientific(p.p_adjusted)
        ),
        _ => String::new(),
    }
}

/// The plain verdict lines of a comparison.
pub(crate) fn verdict_lines(c: &mut GroupComparison, cases: &[&CaseResult]) {
    let name_of = |id: &str| {
        cases
            .iter()
            .find(|c| c.id == id)
            .map(|c| label(c))
            .unwrap_or_else(|| id.to_string())
    };
    let words = c.metric.words();
    let provenance = cases
        .iter()
        .map(|c| c.provenance)
        .fold(Provenance::Measured, Provenance::weakest);
    let mut lines = Vec::new();
    if let Some(o) = &c.omnibus {
        lines.push(format!(
            "{} across {} variants: {} F({:.1}, {:.1}) = {:.2}, p = {}",
            words,
            c.variants.len(),
            o.test,
            o.df.first().copied().unwrap_or(f64::NAN),
            o.df.get(1).copied().unwrap_or(f64::NAN),
            o.statistic,
            p_value_scientific(o.p_value)
        ));
    }
    for p in &c.pairwise {
        let change = p.ratio.point - 1.0;
        let (lo, hi) = (p.ratio.ci_low - 1.0, p.ratio.ci_high - 1.0);
        let what = match p.verdict {
            PairVerdict::Lower => format!(
                "{:.1}% fewer {words} [{:.1}%, {:.1}%]",
                -change * 100.0,
                -hi * 100.0,
                -lo * 100.0
            ),
            PairVerdict::Higher => format!(
                "{:.1}% more {words} [{:.1}%, {:.1}%]",
                change * 100.0,
                lo * 100.0,
                hi * 100.0
            ),
            PairVerdict::NoDifference => format!(
                "no clear difference in {words} ({:+.1}% [{:+.1}%, {:+.1}%])",
                change * 100.0,
                lo * 100.0,
                hi * 100.0
            ),
        };
        let stat = match p.test.test {
            Test::WelchT => format!(
                "Welch t({:.1}) = {:.2}, p = {}",
                p.test.df.first().copied().unwrap_or(f64::NAN),
                p.test.statistic,
                p_value_scientific(p.p_adjusted)
            ),
            other => format!("{other}, p = {}", p_value_scientific(p.p_adjusted)),
        };
        let mut line = format!("{} vs {}: {what}, {stat}", name_of(&p.b), name_of(&p.a));
        if let Some(np) = &c.nonparametric {
            let basis_significant = c
                .omnibus
                .as_ref()
                .map_or(p.test.p_value < ALPHA, |o| o.p_value < ALPHA);
            let agree = (np.p_value < ALPHA) == basis_significant;
            line.push_str(&format!(
                " (normality rejected; {} p = {} {})",
                np.test,
                p_value_scientific(np.p_value),
                if agree { "agrees" } else { "DISAGREES" }
            ));
        }
        if let Some(acc) = c.accuracy.as_ref().filter(|_| c.variants.len() == 2) {
            line.push_str(&format!("; {}", accuracy_words(acc, "")));
        } else if let Some(pair) = c.accuracy.as_ref().and_then(|acc| pair_of(acc, &p.a, &p.b)) {
            line.push_str(&format!("; {pair}"));
        }
        if p.verdict == PairVerdict::NoDifference {
            line.push_str(&disagreement(p));
            if let Some(pw) = &c.power {
                if pw.minimum_detectable_relative > 0.05 {
                    line.push_str(&format!(
                        "; underpowered: {} samples detect {:.1}%, {} per variant would detect 5%",
                        pw.n_per_group,
                        pw.minimum_detectable_relative * 100.0,
                        pw.n_for_5_percent
                            .map_or("?".into(), |n| format!("{}", n.ceil()))
                    ));
                }
            }
        }
        if provenance != Provenance::Measured {
            line.push_str(&format!(" [{provenance} energy]"));
        }
        lines.push(line);
    }
    if let (Some(acc), true) = (&c.accuracy, c.variants.len() > 2) {
        lines.push(accuracy_words(acc, " across variants"));
    }
    c.verdicts = lines;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::record::{Ci, TestResult};
    use crate::analysis::Metric;

    fn pair(low: f64, high: f64, p: f64, correction: Correction) -> Pairwise {
        let ratio = Ci {
            point: (low + high) / 2.0,
            ci_low: low,
            ci_high: high,
        };
        Pairwise {
            a: "g/1".into(),
            b: "g/2".into(),
            metric: Metric::EnergyPerIter,
            difference: ratio,
            ratio,
            test: TestResult {
                test: Test::Tukey,
                statistic: 1.0,
                df: vec![27.0],
                p_value: p,
            },
            p_adjusted: p,
            correction,
            hedges_g: None,
            verdict: PairVerdict::NoDifference,
        }
    }

    #[test]
    fn an_interval_and_a_p_value_that_disagree_are_said_to() {
        let p = pair(1.387, 2.621, 0.080, Correction::Tukey);
        assert_eq!(
            disagreement(&p),
            "; the interval excludes no change but p = 0.080 (tukey-corrected; the interval \
             is not) is not below 0.05: a verdict needs both"
        );
        let p = pair(0.97, 1.2, 0.01, Correction::None);
        assert_eq!(
            disagreement(&p),
            "; p = 0.010 is below 0.05 but the interval includes no change: a verdict needs both"
        );
        // Agreeing: nothing to say (within the noise band, or plainly no change).
        assert_eq!(
            disagreement(&pair(1.005, 1.015, 0.01, Correction::None)),
            ""
        );
        assert_eq!(disagreement(&pair(0.9, 1.1, 0.5, Correction::None)), "");
    }
}
