//! Paired accuracy: the 2x2 table of two variants' outcomes on the same questions, and
//! confidence intervals for the difference of their accuracies.
//!
//! Two variants that answered the same questions are compared question by question: what
//! varies between them is only the questions on which they disagree (the discordant pairs).
//! An unpaired interval or test treats the two accuracies as independent and is too wide
//! when the variants tend to get the same questions right.

use super::dist::normal_quantile;
use super::error::{check_confidence, StatsError};
use super::proportions::wilson_interval;
use serde::{Deserialize, Serialize};

/// Per-question outcomes of two variants on the same questions, one correct/incorrect
/// outcome per question and variant.
///
/// In the usual notation of a paired 2x2 table: `a = both_right`, `b = first_only`,
/// `c = second_only`, `d = both_wrong`; `n = a + b + c + d`. The first variant's accuracy
/// is `(a + b) / n`, the second's `(a + c) / n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PairedTable {
    /// `a`: questions both variants answered correctly.
    pub both_right: u64,
    /// `b`: questions only the first variant answered correctly.
    pub first_only: u64,
    /// `c`: questions only the second variant answered correctly.
    pub second_only: u64,
    /// `d`: questions both variants answered wrongly.
    pub both_wrong: u64,
}

impl PairedTable {
    /// The table with cells `a, b, c, d` in the usual order (see [`PairedTable`]).
    pub fn new(a: u64, b: u64, c: u64, d: u64) -> PairedTable {
        PairedTable {
            both_right: a,
            first_only: b,
            second_only: c,
            both_wrong: d,
        }
    }

    /// Counts the table from per-question outcomes (`true` = correct), question `i` of
    /// `first` paired with question `i` of `second`.
    pub fn from_outcomes(first: &[bool], second: &[bool]) -> Result<PairedTable, StatsError> {
        if first.len() != second.len() {
            return Err(StatsError::Unpaired {
                what: "paired accuracy table (one outcome per question for each variant)",
                left: first.len(),
                right: second.len(),
            });
        }
        let mut table = PairedTable::default();
        for (&x, &y) in first.iter().zip(second) {
            match (x, y) {
                (true, true) => table.both_right += 1,
                (true, false) => table.first_only += 1,
                (false, true) => table.second_only += 1,
                (false, false) => table.both_wrong += 1,
            }
        }
        Ok(table)
    }

    /// `n`, the number of questions (in `u128`, so that four `u64` counts cannot overflow).
    pub fn questions(&self) -> u128 {
        self.both_right as u128
            + self.first_only as u128
            + self.second_only as u128
            + self.both_wrong as u128
    }

    /// `b + c`, the questions on which the two variants disagree.
    pub fn discordant(&self) -> u128 {
        self.first_only as u128 + self.second_only as u128
    }
}

/// How the interval of a paired difference is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PairedCiMethod {
    /// Newcombe's hybrid score interval for paired data (his method 10), the default: see
    /// [`paired_difference_ci`].
    #[default]
    Newcombe,
    /// The Wald interval `d +- z se`, `se = sqrt(b + c - (c - b)^2 / n) / n` (Newcombe's
    /// method 1), clamped to `[-1, 1]`. Shown for comparison: it collapses to a point when
    /// there are no discordant pairs and undercovers with few of them.
    Wald,
}

/// The difference of two paired accuracies with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// `p2 - p1 = (c - b) / n`: the second variant's accuracy minus the first's.
    pub point: f64,
    /// Lower bound, in `[-1, 1]`.
    pub low: f64,
    /// Upper bound, in `[-1, 1]`.
    pub high: f64,
    /// Confidence level of the interval, in `(0, 1)`.
    pub confidence: f64,
    /// How the interval was computed.
    pub method: PairedCiMethod,
}

/// Confidence interval of `p2 - p1 = (c - b) / n`, the second variant's accuracy minus the
/// first's, from their paired table.
///
/// [`PairedCiMethod::Newcombe`] (the default) is method 10 of Newcombe (1998), "Improved
/// confidence intervals for the difference between binomial proportions based on paired
/// data", Statistics in Medicine 17, 2635-2650. With `(l1, u1)` and `(l2, u2)` the Wilson
/// score intervals of the marginal accuracies `p1 = (a + b) / n` and `p2 = (a + c) / n`:
///
/// ```text
/// low  = (p2 - p1) - sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2)
/// high = (p2 - p1) + sqrt((u2 - p2)^2 - 2 phi (u2 - p2)(p1 - l1) + (p1 - l1)^2)
/// phi  = A / sqrt((a + b)(c + d)(a + c)(b + d)),  A = max(ad - bc - n/2, 0) if ad > bc,
///                                                  A = ad - bc otherwise,
/// ```
///
/// and `phi = 0` when a margin is empty. (Newcombe writes the cells `e, f, g, h` and the
/// difference the other way round, `p1 - p2`; his interval negated is this one.) The
/// correlation term is what makes it a paired interval; the `n/2` correction keeps it from
/// collapsing to a point when there are no discordant pairs and `a = d`.
///
/// Why it is the default: it stays inside `[-1, 1]`, is never a single point for `n > 0`,
/// and keeps close to nominal coverage with few discordant pairs, where the Wald interval
/// is too narrow; Newcombe's evaluation, and Fagerland, Lydersen and Laake (2014,
/// "Recommended tests and confidence intervals for paired binomial proportions",
/// Statistics in Medicine 33, 2850-2875), recommend it among the closed-form intervals.
/// It needs no iteration (unlike Tango's score interval) and reuses the Wilson interval
/// the accuracies are already reported with.
pub fn paired_difference_ci(
    table: &PairedTable,
    confidence: f64,
    method: PairedCiMethod,
) -> Result<PairedDifference, StatsError> {
    check_confidence(confidence)?;
    let n = table.questions();
    if n == 0 {
        return Err(StatsError::TooFew {
            what: "interval of a paired difference (questions)",
            needed: 1,
            got: 0,
        });
    }
    let nf = n as f64;
    let (b, c) = (table.first_only as f64, table.second_only as f64);
    let point = (c - b) / nf;
    let (low, high) = match method {
        PairedCiMethod::Wald => {
            let z = normal_quantile(0.5 + confidence / 2.0);
            // (b + c) - (c - b)^2 / n = (4bc + (b + c)(a + d)) / n >= 0 in exact arithmetic.
            let se = ((b + c) - (c - b) * (c - b) / nf).max(0.0).sqrt() / nf;
            (point - z * se, point + z * se)
        }
        PairedCiMethod::Newcombe => newcombe(table, n, confidence)?,
    };
    Ok(PairedDifference {
        point,
        // Rounding may put a bound a few ulps outside [-1, 1] or past the point.
        low: low.clamp(-1.0, point),
        high: high.clamp(point, 1.0),
        confidence,
        method,
    })
}

fn newcombe(table: &PairedTable, n: u128, confidence: f64) -> Result<(f64, f64), StatsError> {
    let n64 = u64::try_from(n).map_err(|_| {
        StatsError::Invalid(format!(
            "interval of a paired difference: {n} questions is more than the 2^64 - 1 a count can hold"
        ))
    })?;
    let PairedTable {
        both_right: a,
        first_only: b,
        second_only: c,
        both_wrong: d,
    } = *table;
    // Marginal counts fit in u64 because n does.
    let first = wilson_interval(a + b, n64, confidence)?;
    let second = wilson_interval(a + c, n64, confidence)?;
    let (p1, l1, u1) = (first.point, first.low, first.high);
    let (p2, l2, u2) = (second.point, second.low, second.high);
    let phi = correlation(a, b, c, d, n);
    let lower = (p2 - l2).powi(2) - 2.0 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1).powi(2);
    let upper = (u2 - p2).powi(2) - 2.0 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1).powi(2);
    let point = p2 - p1;
    Ok((point - lower.max(0.0).sqrt(), point + upper.max(0.0).sqrt()))
}

/// Newcombe's corrected phi coefficient of the paired table. The products are formed in
/// `u128`, so that `ad - bc` is exact for any counts.
fn correlation(a: u64, b: u64, c: u64, d: u64, n: u128) -> f64 {
    let margins = [a + b, c + d, a + c, b + d].map(|m| m as f64);
    if margins.contains(&0.0) {
        return 0.0;
    }
    let (ad, bc) = (a as u128 * d as u128, b as u128 * c as u128);
    let numerator = if ad > bc {
        ((ad - bc) as f64 - n as f64 / 2.0).max(0.0)
    } else {
        -((bc - ad) as f64)
    };
    // Two square roots of products of two margins each: no overflow for any u64 counts.
    numerator / ((margins[0] * margins[1]).sqrt() * (margins[2] * margins[3]).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(a: u64, b: u64, c: u64, d: u64, method: PairedCiMethod) -> PairedDifference {
        paired_difference_ci(&PairedTable::new(a, b, c, d), 0.95, method).unwrap()
    }

    #[test]
    fn table_from_outcomes() {
        let first = [true, true, false, false, true];
        let second = [true, false, true, false, false];
        let t = PairedTable::from_outcomes(&first, &second).unwrap();
        assert_eq!(t, PairedTable::new(1, 2, 1, 1));
        assert_eq!((t.questions(), t.discordant()), (5, 3));
        assert!(matches!(
            PairedTable::from_outcomes(&first, &second[..4]),
            Err(StatsError::Unpaired {
                left: 5,
                right: 4,
                ..
            })
        ));
    }

    #[test]
    fn newcombe_reproduces_the_papers_table() {
        // Method 10 rows of Newcombe (1998) Table III, printed to 4 decimals for his
        // p1 - p2 = (b - c) / n; ours is p2 - p1, so the cells b and c are swapped here.
        let rows = [
            ((36, 12, 2, 0), (0.0569, 0.3404)),
            ((18, 12, 2, 18), (0.0562, 0.3290)),
            ((35, 14, 0, 1), (0.1461, 0.4175)),
            ((0, 29, 1, 0), (0.6666, 0.9882)),
            ((0, 30, 0, 0), (0.8395, 1.0)),
            ((27, 0, 0, 27), (-0.0351, 0.0351)),
        ];
        for ((a, b, c, d), (low, high)) in rows {
            let i = ci(a, c, b, d, PairedCiMethod::Newcombe);
            let what = format!("({a}, {b}, {c}, {d}): {i:?}");
            assert!((i.low - low).abs() < 6e-5, "{what}");
            assert!((i.high - high).abs() < 6e-5, "{what}");
        }
    }

    #[test]
    fn no_discordant_pairs() {
        // Wald collapses to the point; Newcombe does not, even at a = d where an
        // uncorrected phi would be exactly 1.
        let w = ci(5, 0, 0, 5, PairedCiMethod::Wald);
        assert_eq!((w.low, w.point, w.high), (0.0, 0.0, 0.0));
        let nc = ci(5, 0, 0, 5, PairedCiMethod::Newcombe);
        assert!(nc.low < 0.0 && nc.high > 0.0 && (nc.low + nc.high).abs() < 1e-12);
        let all_right = ci(7, 0, 0, 0, PairedCiMethod::Newcombe);
        assert!(all_right.low < 0.0 && all_right.high > 0.0);
    }

    #[test]
    fn bounds_stay_inside_and_mirror() {
        let i = ci(0, 0, 30, 0, PairedCiMethod::Newcombe);
        assert_eq!((i.point, i.high), (1.0, 1.0));
        assert!(i.low > 0.8);
        let w = ci(0, 0, 30, 0, PairedCiMethod::Wald);
        assert_eq!((w.low, w.high), (1.0, 1.0));
        let wide = ci(0, 2, 3, 0, PairedCiMethod::Wald);
        assert!(wide.low >= -1.0 && wide.high <= 1.0);
        // Swapping the variants negates the interval.
        for method in [PairedCiMethod::Newcombe, PairedCiMethod::Wald] {
            let x = ci(20, 3, 9, 8, method);
            let y = ci(20, 9, 3, 8, method);
            assert!((x.low + y.high).abs() < 1e-15 && (x.high + y.low).abs() < 1e-15);
        }
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let big = u64::MAX / 4;
        let i = ci(big, big / 2, big / 2 + 1000, big, PairedCiMethod::Newcombe);
        assert!(i.low < i.point && i.point < i.high && i.high - i.low < 1e-8);
        let over = PairedTable::new(u64::MAX, 1, 0, 0);
        assert!(paired_difference_ci(&over, 0.95, PairedCiMethod::Newcombe).is_err());
        assert!(paired_difference_ci(&over, 0.95, PairedCiMethod::Wald).is_ok());
    }

    #[test]
    fn rejects_bad_input() {
        let t = PairedTable::new(1, 2, 3, 4);
        assert!(paired_difference_ci(&t, 1.0, PairedCiMethod::Newcombe).is_err());
        let empty = PairedTable::default();
        assert!(matches!(
            paired_difference_ci(&empty, 0.95, PairedCiMethod::Wald),
            Err(StatsError::TooFew { .. })
        ));
    }
}
