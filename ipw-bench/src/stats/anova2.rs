//! Two-way ANOVA with interaction and Type II sums of squares (balanced or not).
//!
//! With every cell of the two factors observed, each model in the Type II comparisons
//! predicts a constant within a cell, so every residual sum of squares splits into the
//! within-cell sum of squares (common to all models) plus a weighted sum over cells.
//! Only the additive model `A + B` needs a least-squares fit, and it is fitted on the
//! cell means weighted by cell size, by Householder QR (no normal equations, so the
//! condition number is not squared). Type II sums of squares do not depend on the
//! coding of the factors, so treatment coding is used.

use super::anova::f_sf;
use super::scale::{max_abs, scale_for};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hash;
use thiserror::Error;

/// A factor: its name (used in the table) and each observation's level.
#[derive(Debug, Clone, Copy)]
pub struct Factor<'a, L> {
    /// The factor's name, the `source` of its row in the table.
    pub name: &'a str,
    /// One level per observation, parallel to the response; any comparable labels.
    pub levels: &'a [L],
}

/// One row of the ANOVA table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// The factor's name, `"A:B"` for the interaction, or `"Residual"`.
    pub source: String,
    /// Type II sum of squares (the within-cell sum of squares for the residual row).
    pub ss: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// `None` for the residual row.
    pub f: Option<f64>,
    /// `None` for the residual row.
    pub p_value: Option<f64>,
}

/// Two-way ANOVA table: rows for A, B, A:B and Residual, in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoWayAnova {
    /// The rows A, B, A:B and Residual.
    pub effects: Vec<Effect>,
    /// True when every cell has the same number of observations.
    pub balanced: bool,
}

/// Why a two-way ANOVA could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TwoWayError {
    /// A factor's levels are not one per observation.
    #[error("{response} responses but {levels} levels for factor {factor}: give one level per observation")]
    LengthMismatch {
        /// The factor's name.
        factor: String,
        /// Observations in the response.
        response: usize,
        /// Levels given for the factor.
        levels: usize,
    },
    /// A factor has fewer than two distinct levels.
    #[error("factor {factor} has {found} level(s); it needs at least 2")]
    TooFewLevels {
        /// The factor's name.
        factor: String,
        /// Distinct levels it has.
        found: usize,
    },
    /// An observation is NaN or infinite.
    #[error("observation {index} is not a finite number ({value}): remove or fix it")]
    NonFinite {
        /// Its position in the response (0-based).
        index: usize,
        /// The value.
        value: f64,
    },
    /// A combination of levels has no observations.
    #[error("no observations for level {a} of the first factor with level {b} of the second (levels numbered by first appearance): every combination needs data")]
    EmptyCell {
        /// The first factor's level, numbered by first appearance (0-based).
        a: usize,
        /// The second factor's level, numbered likewise.
        b: usize,
    },
    /// No more observations than cells, so no residual degrees of freedom.
    #[error("{n} observations in {cells} cells leave no residual degrees of freedom: repeat some combinations")]
    NoResidualDf {
        /// Observations.
        n: usize,
        /// Cells: levels of A times levels of B.
        cells: usize,
    },
    /// The within-cell sum of squares is 0, so the F ratios are undefined.
    #[error("the data do not vary within cells; F ratios are undefined")]
    ZeroVariance,
    /// The sums of squares overflow `f64`.
    #[error("the sums of squares overflow f64 (values near 1e154 or above): rescale the response, e.g. to kJ or MJ")]
    Overflow,
    /// Both factors have this name, so their rows could not be told apart.
    #[error("the two factors have the same name {0:?}; name them apart")]
    SameName(String),
}

/// Two-way ANOVA of `response` on factors `a` and `b` with their interaction, Type II
/// sums of squares (each main effect adjusted for the other, the interaction for both).
///
/// ```
/// use ipw_bench::stats::anova2::{anova2, Factor};
/// let y = [4.1, 3.9, 5.2, 5.0, 6.1, 5.9, 8.3, 7.9];
/// let precision = ["f16", "f16", "f32", "f32", "f16", "f16", "f32", "f32"];
/// let batch = [1, 1, 1, 1, 8, 8, 8, 8];
/// let t = anova2(
///     &y,
///     Factor { name: "precision", levels: &precision },
///     Factor { name: "batch", levels: &batch },
/// )
/// .unwrap();
/// assert_eq!(t.effects[2].source, "precision:batch");
/// assert_eq!(t.effects[3].df, 4.0);
/// ```
pub fn anova2<La: Eq + Hash, Lb: Eq + Hash>(
    response: &[f64],
    a: Factor<'_, La>,
    b: Factor<'_, Lb>,
) -> Result<TwoWayAnova, TwoWayError> {
    if a.name == b.name {
        return Err(TwoWayError::SameName(a.name.to_string()));
    }
    let n = response.len();
    for (name, len) in [(a.name, a.levels.len()), (b.name, b.levels.len())] {
        if len != n {
            return Err(TwoWayError::LengthMismatch {
                factor: name.to_string(),
                response: n,
                levels: len,
            });
        }
    }
    if let Some((index, &value)) = response.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(TwoWayError::NonFinite { index, value });
    }
    let (codes_a, na) = dense_codes(a.levels);
    let (codes_b, nb) = dense_codes(b.levels);
    for (name, found) in [(a.name, na), (b.name, nb)] {
        if found < 2 {
            return Err(TwoWayError::TooFewLevels {
                factor: name.to_string(),
                found,
            });
        }
    }
    // Sums of squares of values near 1e308 overflow: work in a power-of-two scale (exact)
    // and report the sums back in data units.
    let scale = scale_for(max_abs(response));
    let scaled: Vec<f64> = response.iter().map(|v| v * scale).collect();
    let cells = Cells::new(&scaled, &codes_a, &codes_b, na, nb)?;
    if n <= na * nb {
        return Err(TwoWayError::NoResidualDf { n, cells: na * nb });
    }
    if cells.ss_within <= 0.0 {
        return Err(TwoWayError::ZeroVariance);
    }

    let additive = cells.additive_fit();
    let row_means = cells.marginal_means(true);
    let col_means = cells.marginal_means(false);
    let (mut ss_a, mut ss_b, mut ss_ab) = (0.0, 0.0, 0.0);
    for (i, row_mean) in row_means.iter().enumerate() {
        for (j, col_mean) in col_means.iter().enumerate() {
            let c = cells.index(i, j);
            let (w, m) = (cells.count[c], cells.mean[c]);
            let off_additive = (m - additive[c]).powi(2);
            ss_a += w * ((m - col_mean).powi(2) - off_additive);
            ss_b += w * ((m - row_mean).powi(2) - off_additive);
            ss_ab += w * off_additive;
        }
    }

    let df_resid = (n - na * nb) as f64;
    let ms_resid = cells.ss_within / df_resid;
    let unscaled = |ss: f64| {
        let root = ss.max(0.0).sqrt() / scale;
        root * root
    };
    let effect = |source: String, ss: f64, df: f64| {
        let ss = ss.max(0.0);
        let f = ss / df / ms_resid;
        Effect {
            source,
            ss: unscaled(ss),
            df,
            f: Some(f),
            p_value: Some(f_sf(f, df, df_resid)),
        }
    };
    let first = cells.count[0];
    let table = TwoWayAnova {
        effects: vec![
            effect(a.name.to_string(), ss_a, (na - 1) as f64),
            effect(b.name.to_string(), ss_b, (nb - 1) as f64),
            effect(
                format!("{}:{}", a.name, b.name),
                ss_ab,
                ((na - 1) * (nb - 1)) as f64,
            ),
            Effect {
                source: "Residual".to_string(),
                ss: unscaled(cells.ss_within),
                df: df_resid,
                f: None,
                p_value: None,
            },
        ],
        balanced: cells.count.iter().all(|&c| c == first),
    };
    let finite = |e: &Effect| {
        e.ss.is_finite() && e.f.is_none_or(f64::is_finite) && e.p_value.is_none_or(f64::is_finite)
    };
    if table.effects.iter().all(finite) {
        Ok(table)
    } else {
        Err(TwoWayError::Overflow)
    }
}

/// Map labels to `0..levels` in order of first appearance.
fn dense_codes<L: Eq + Hash>(labels: &[L]) -> (Vec<usize>, usize) {
    let mut seen: HashMap<&L, usize> = HashMap::new();
    let codes = labels
        .iter()
        .map(|l| {
            let next = seen.len();
            *seen.entry(l).or_insert(next)
        })
        .collect();
    (codes, seen.len())
}

/// Cell counts and means (of the response centred on its grand mean) and the pooled
/// within-cell sum of squares.
struct Cells {
    na: usize,
    nb: usize,
    count: Vec<f64>,
    mean: Vec<f64>,
    ss_within: f64,
}

impl Cells {
    fn new(
        y: &[f64],
        codes_a: &[usize],
        codes_b: &[usize],
        na: usize,
        nb: usize,
    ) -> Result<Cells, TwoWayError> {
        let grand = y.iter().sum::<f64>() / y.len() as f64;
        let mut count = vec![0.0; na * nb];
        let mut sum = vec![0.0; na * nb];
        for ((&v, &i), &j) in y.iter().zip(codes_a).zip(codes_b) {
            count[i * nb + j] += 1.0;
            sum[i * nb + j] += v - grand;
        }
        if let Some(c) = count.iter().position(|&c| c == 0.0) {
            return Err(TwoWayError::EmptyCell {
                a: c / nb,
                b: c % nb,
            });
        }
        let mean: Vec<f64> = sum.iter().zip(&count).map(|(s, c)| s / c).collect();
        let ss_within = y
            .iter()
            .zip(codes_a)
            .zip(codes_b)
            .map(|((&v, &i), &j)| (v - grand - mean[i * nb + j]).powi(2))
            .sum();
        Ok(Cells {
            na,
            nb,
            count,
            mean,
            ss_within,
        })
    }

    fn index(&self, i: usize, j: usize) -> usize {
        i * self.nb + j
    }

    /// Weighted means over rows (levels of A) or columns (levels of B).
    fn marginal_means(&self, rows: bool) -> Vec<f64> {
        let levels = if rows { self.na } else { self.nb };
        let mut sum = vec![0.0; levels];
        let mut weight = vec![0.0; levels];
        for i in 0..self.na {
            for j in 0..self.nb {
                let c = self.index(i, j);
                let level = if rows { i } else { j };
                sum[level] += self.count[c] * self.mean[c];
                weight[level] += self.count[c];
            }
        }
        sum.iter().zip(&weight).map(|(s, w)| s / w).collect()
    }

    /// Fitted cell values of the additive model `mu + alpha_i + beta_j`, by weighted least
    /// squares on the cell means.
    fn additive_fit(&self) -> Vec<f64> {
        let cells = self.na * self.nb;
        let p = self.na + self.nb - 1;
        let mut design = vec![0.0; cells * p];
        let mut rhs = vec![0.0; cells];
        for i in 0..self.na {
            for j in 0..self.nb {
                let c = self.index(i, j);
                let w = self.count[c].sqrt();
                let row = &mut design[c * p..(c + 1) * p];
                row[0] = w;
                if i > 0 {
                    row[i] = w;
                }
                if j > 0 {
                    row[self.na - 1 + j] = w;
                }
                rhs[c] = w * self.mean[c];
            }
        }
        let beta = least_squares(&mut design, &mut rhs, cells, p);
        (0..cells)
            .map(|c| {
                let (i, j) = (c / self.nb, c % self.nb);
                let mut fit = beta[0];
                if i > 0 {
                    fit += beta[i];
                }
                if j > 0 {
                    fit += beta[self.na - 1 + j];
                }
                fit
            })
            .collect()
    }
}

/// Least-squares solution of `X beta = y` for a full-rank `rows x cols` matrix (row-major),
/// by Householder QR; `x` and `y` are overwritten.
fn least_squares(x: &mut [f64], y: &mut [f64], rows: usize, cols: usize) -> Vec<f64> {
    for k in 0..cols {
        let norm = (k..rows)
            .map(|r| x[r * cols + k].powi(2))
            .sum::<f64>()
            .sqrt();
        if norm == 0.0 {
            continue;
        }
        // Reflect column k onto -sign(x_kk) * norm * e_k; the sign avoids cancellation.
        let alpha = if x[k * cols + k] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (k..rows).map(|r| x[r * cols + k]).collect();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|a| a * a).sum();
        if vv == 0.0 {
            continue;
        }
        for c in k..cols {
            let dot: f64 = (k..rows).map(|r| v[r - k] * x[r * cols + c]).sum();
            let scale = 2.0 * dot / vv;
            for r in k..rows {
                x[r * cols + c] -= scale * v[r - k];
            }
        }
        let dot: f64 = (k..rows).map(|r| v[r - k] * y[r]).sum();
        let scale = 2.0 * dot / vv;
        for r in k..rows {
            y[r] -= scale * v[r - k];
        }
    }
    let mut beta = vec![0.0; cols];
    for k in (0..cols).rev() {
        let tail: f64 = (k + 1..cols).map(|c| x[k * cols + c] * beta[c]).sum();
        let diag = x[k * cols + k];
        beta[k] = if diag != 0.0 {
            (y[k] - tail) / diag
        } else {
            0.0
        };
    }
    beta
}

#[cfg(test)]
#[path = "anova2_tests.rs"]
mod tests;
