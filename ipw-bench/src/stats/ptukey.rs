//! The studentized range distribution (CDF, upper tail and quantile), for Tukey-type tests.
//!
//! `statrs` has no studentized range, so it is computed here from its definition. If
//! `k` standard normals have range `R` and `S^2` is an independent chi-square over `df`
//! (so `S` estimates the standard deviation), then `Q = R / S` and
//!
//! ```text
//! P(Q <= q) = integral over s > 0 of  f_S(s) * W(q s) ds
//! W(w)      = P(R <= w) = k * integral over z of  phi(z) * (Phi(z + w) - Phi(z))^(k-1) dz
//! f_S(s)    = 2 (df/2)^(df/2) / Gamma(df/2) * s^(df-1) * exp(-df s^2 / 2)
//! ```
//!
//! (the inner formula conditions on the smallest of the k normals being at `z`). The inner
//! integral is done by 15-point Kronrod rules on fixed panels, once per point of a
//! piecewise Chebyshev interpolant of `W` (to 1e-13, built once per `k` and shared by every
//! `df`); the outer one by adaptive Gauss-Kronrod (7/15-point) quadrature over that
//! interpolant, on a range outside of which the integrand is below 1e-20, to an absolute
//! accuracy of about 1e-10 on the CDF. The quantile inverts the CDF with a bracketing root
//! finder. A Tukey table of k groups thus costs one `W` and one outer integral per pair,
//! not one inner integral per point of every outer one.

mod quadrature;
mod roots;

use super::chebyshev::Chebyshev;
use super::groups::GroupsError;
use quadrature::{integrate, KRONROD_NODES, KRONROD_WEIGHTS};
use roots::{bisect_edge, find_root};
use statrs::function::erf::erfc;
use statrs::function::gamma::{gamma_ur, ln_gamma};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Degrees of freedom beyond which `S` is treated as the exact standard deviation: the
/// difference in the CDF is of order `1/df`, below 1e-10.
const DF_INFINITE: f64 = 1e10;
/// Panels for the inner integral over `z`: its integrand varies on a scale of about 1
/// (narrower only where it is negligible); 12 panels of 15 points keep the CDF within
/// 5e-11 of SciPy's over the reference grid (tests/stats_reference_b.rs).
const INNER_PANELS: usize = 12;
/// Absolute error allowed on the outer integral (the CDF).
const OUTER_TOL: f64 = 1e-10;
/// How far below its peak (in natural log) the density of `S` is cut off.
const LOG_CUTOFF: f64 = 46.0;
/// `|z|` beyond which `phi(z)` is negligible (phi(9) is about 1e-18).
const Z_LIMIT: f64 = 9.0;
/// Absolute error allowed on the interpolant of `W`: the level of the rounding noise in the
/// quadrature it interpolates (a few 1e-12), far below the CDF's own accuracy.
const RANGE_TOL: f64 = 1e-12;
/// How many interpolants of `W` (one per `k`) are kept for later tables.
const CACHED_RANGES: usize = 64;

/// The smallest upper-tail probability [`StudentizedRange::sf`] resolves (it is
/// `1 - cdf`, and `1 - x` of an `f64` near 1 moves in steps of 1.1e-16): Tukey's and
/// Games-Howell's p-values below it print as `< 1e-16`.
pub const SF_FLOOR: f64 = 1e-16;

/// The studentized range distribution for `k` means and `df` error degrees of freedom.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentizedRange {
    k: usize,
    df: f64,
    range: Arc<RangeCdf>,
    /// The log of the constant factor of the density of `S`.
    ln_constant: f64,
    /// Where the density of `S` is not negligible.
    support: (f64, f64),
}

/// `W(w)`, the CDF of the range of `k` standard normals, as an interpolant.
#[derive(Debug, PartialEq)]
struct RangeCdf {
    /// Range above which `W(w)` equals 1 to double precision.
    w_saturated: f64,
    interpolant: Chebyshev,
}

/// One node `z` of the inner integral: `k * phi(z) * weight`, `Phi(z)` and `1 - Phi(z)`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct InnerNode {
    z: f64,
    weight: f64,
    lower: f64,
    upper: f64,
}

impl StudentizedRange {
    /// `k >= 2` groups; `df >= 1` (may be `f64::INFINITY` for a known variance).
    pub fn new(k: usize, df: f64) -> Result<StudentizedRange, GroupsError> {
        if k < 2 {
            return Err(GroupsError::TooFewGroups { found: k });
        }
        check_df(df)?;
        Ok(StudentizedRange::of(k, df, range_for(k)))
    }

    /// The distribution for the same `k` and another `df`, sharing the interpolant of the
    /// range: what Games-Howell needs for each pair.
    pub fn with_df(&self, df: f64) -> Result<StudentizedRange, GroupsError> {
        check_df(df)?;
        Ok(StudentizedRange::of(self.k, df, Arc::clone(&self.range)))
    }

    /// Everything that depends on `df` alone, computed once rather than per CDF.
    fn of(k: usize, df: f64, range: Arc<RangeCdf>) -> StudentizedRange {
        let mut d = StudentizedRange {
            k,
            df,
            range,
            ln_constant: ln_s_constant(df),
            support: (0.0, 0.0),
        };
        // Beyond DF_INFINITE the CDF is the range's own and S is not integrated over.
        if df <= DF_INFINITE {
            d.support = d.s_support();
        }
        d
    }
}

/// `ln(2) + x ln x - x - lnGamma(x)` with `x = df / 2`, through Stirling's remainder when
/// x is large so that nothing of size `df` cancels.
fn ln_s_constant(df: f64) -> f64 {
    let x = df / 2.0;
    if x >= 10.0 {
        let inv = 1.0 / x;
        let inv2 = inv * inv;
        let stirling =
            inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
        std::f64::consts::LN_2 + 0.5 * (x.ln() - (2.0 * std::f64::consts::PI).ln()) - stirling
    } else {
        std::f64::consts::LN_2 + x * x.ln() - x - ln_gamma(x)
    }
}

/// The interpolant of `W` for `k`, built once: a run of `ptukey` or `qtukey` calls, or one
/// table per test, with the same number of groups shares it.
fn range_for(k: usize) -> Arc<RangeCdf> {
    static RANGES: OnceLock<Mutex<HashMap<usize, Arc<RangeCdf>>>> = OnceLock::new();
    let cache = RANGES.get_or_init(Default::default);
    if let Some(r) = cache.lock().ok().and_then(|m| m.get(&k).cloned()) {
        return r;
    }
    let r = Arc::new(RangeCdf::new(k));
    if let Ok(mut m) = cache.lock() {
        if m.len() >= CACHED_RANGES {
            m.clear();
        }
        m.insert(k, Arc::clone(&r));
    }
    r
}

fn check_df(df: f64) -> Result<(), GroupsError> {
    if df.is_nan() || df < 1.0 {
        return Err(GroupsError::BadParameter {
            name: "degrees of freedom",
            value: df,
            range: "[1, inf]",
        });
    }
    Ok(())
}

impl RangeCdf {
    fn new(k: usize) -> RangeCdf {
        // P(R > w) <= C(k,2) P(|Z1 - Z2| > w) = C(k,2) erfc(w / 2): find where that is tiny.
        let pairs = (k * (k - 1)) as f64 / 2.0;
        let mut w = 1.0;
        while pairs * erfc(w / 2.0) > 1e-17 {
            w += 0.5;
        }
        let nodes = inner_nodes(k);
        let direct = |w: f64| range_cdf_direct(k, &nodes, w);
        RangeCdf {
            w_saturated: w,
            interpolant: Chebyshev::new(direct, 0.0, w, RANGE_TOL),
        }
    }

    /// `W(w)`.
    fn at(&self, w: f64) -> f64 {
        if w <= 0.0 {
            return 0.0;
        }
        if w >= self.w_saturated {
            return 1.0;
        }
        self.interpolant.eval(w).clamp(0.0, 1.0)
    }
}

impl StudentizedRange {
    /// Number of means in the range, `k`.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Degrees of freedom of the variance estimate.
    pub fn df(&self) -> f64 {
        self.df
    }

    /// `P(Q <= q)`.
    pub fn cdf(&self, q: f64) -> f64 {
        if q.is_nan() {
            return f64::NAN;
        }
        if q <= 0.0 {
            return 0.0;
        }
        if q.is_infinite() {
            return 1.0;
        }
        if self.df > DF_INFINITE {
            return self.range.at(q);
        }
        let (lo, hi) = self.support;
        // Past s_cut the inner probability is 1, so that part is the upper tail of S itself.
        let s_cut = self.range.w_saturated / q;
        let upper = hi.min(s_cut);
        let mut total = 0.0;
        if upper > lo {
            total += integrate(
                |s| self.s_density(s) * self.range.at(q * s),
                lo,
                upper,
                OUTER_TOL,
            );
        }
        if s_cut < hi {
            total += self.s_tail(s_cut);
        }
        total.clamp(0.0, 1.0)
    }

    /// `P(Q > q)`, the p-value of an observed studentized range `q`.
    ///
    /// It is `1 - cdf`, so it does not resolve probabilities below [`SF_FLOOR`]: a 0 there
    /// means "below 1e-16", not "below 1e-300".
    pub fn sf(&self, q: f64) -> f64 {
        (1.0 - self.cdf(q)).clamp(0.0, 1.0)
    }

    /// The `p`-quantile: the `q` with `cdf(q) = p`, for `0 < p < 1`.
    pub fn quantile(&self, p: f64) -> Result<f64, GroupsError> {
        if !(p > 0.0 && p < 1.0) {
            return Err(GroupsError::BadParameter {
                name: "probability",
                value: p,
                range: "(0, 1)",
            });
        }
        let g = |q: f64| self.cdf(q) - p;
        // cdf(0) = 0, so g(0) = -p.
        let (mut lo, mut g_lo, mut hi) = (0.0, -p, 4.0);
        let mut g_hi = g(hi);
        while g_hi < 0.0 {
            (lo, g_lo) = (hi, g_hi);
            hi *= 2.0;
            g_hi = g(hi);
        }
        Ok(find_root(g, lo, hi, g_lo, g_hi))
    }

    /// Log of the density of `S = sqrt(chi2_df / df)`, arranged so that nothing of size
    /// `df` cancels when `df` is large.
    fn ln_s_density(&self, s: f64) -> f64 {
        let nu = self.df;
        let t = s - 1.0;
        self.ln_constant + (nu - 1.0) * t.ln_1p() - nu / 2.0 * t * (2.0 + t)
    }

    fn s_density(&self, s: f64) -> f64 {
        if s <= 0.0 {
            // Only df = 1 has a nonzero density at 0 (half-normal); the limit of the formula.
            return if self.df == 1.0 {
                (2.0 / std::f64::consts::PI).sqrt()
            } else {
                0.0
            };
        }
        self.ln_s_density(s).exp()
    }

    /// `P(S > s)`.
    fn s_tail(&self, s: f64) -> f64 {
        gamma_ur(self.df / 2.0, self.df * s * s / 2.0)
    }

    /// An interval of `s` outside which the density is below `exp(-LOG_CUTOFF)` of its peak.
    fn s_support(&self) -> (f64, f64) {
        let nu = self.df;
        let mode = if nu > 1.0 {
            ((nu - 1.0) / nu).sqrt()
        } else {
            0.0
        };
        let peak = if mode > 0.0 {
            self.ln_s_density(mode)
        } else {
            (2.0 / std::f64::consts::PI).sqrt().ln()
        };
        let below = |s: f64| s <= 0.0 || self.ln_s_density(s) < peak - LOG_CUTOFF;
        let step = 1.0 / nu.sqrt();
        let mut hi = mode + step;
        while !below(hi) {
            hi = mode + 2.0 * (hi - mode);
        }
        let hi = bisect_edge(&below, mode, hi);
        let lo = if mode <= 0.0 {
            0.0
        } else {
            let mut lo = (mode - step).max(0.0);
            while !below(lo) {
                lo = (mode - 2.0 * (mode - lo)).max(0.0);
            }
            bisect_edge(&below, mode, lo)
        };
        (lo, hi)
    }
}

/// Quadrature nodes of the inner integral, with everything that does not depend on `w`.
fn inner_nodes(k: usize) -> Vec<InnerNode> {
    let panel = 2.0 * Z_LIMIT / INNER_PANELS as f64;
    let half = panel / 2.0;
    let mut nodes = Vec::with_capacity(INNER_PANELS * 15);
    for p in 0..INNER_PANELS {
        let centre = -Z_LIMIT + half + panel * p as f64;
        for i in 0..15 {
            let x = if i < 8 {
                -KRONROD_NODES[i]
            } else {
                KRONROD_NODES[14 - i]
            };
            let z = centre + half * x;
            nodes.push(InnerNode {
                z,
                weight: k as f64 * half * KRONROD_WEIGHTS[i.min(14 - i)] * normal_pdf(z),
                lower: normal_upper(-z),
                upper: normal_upper(z),
            });
        }
    }
    nodes
}

/// `W(w)`: CDF of the range of `k` standard normals, by 15-point Kronrod rules on fixed
/// panels (the integrand varies on a scale of about 1, narrower only where it is
/// negligible). `Phi(z + w) - Phi(z)` is taken from whichever tail keeps the digits.
fn range_cdf_direct(k: usize, nodes: &[InnerNode], w: f64) -> f64 {
    if w <= 0.0 {
        return 0.0;
    }
    let power = (k - 1) as i32;
    let mut total = 0.0;
    for node in nodes {
        let top = node.z + w;
        let inside = if node.z >= 0.0 {
            node.upper - normal_upper(top)
        } else if top <= 0.0 {
            normal_upper(-top) - node.lower
        } else {
            1.0 - node.lower - normal_upper(top)
        };
        if inside > 0.0 {
            total += node.weight * inside.powi(power);
        }
    }
    total.clamp(0.0, 1.0)
}

/// The studentized range CDF `P(Q <= q)` for `k` groups and `df` degrees of freedom.
pub fn ptukey(q: f64, k: usize, df: f64) -> Result<f64, GroupsError> {
    Ok(StudentizedRange::new(k, df)?.cdf(q))
}

/// The studentized range quantile: `q` with `P(Q <= q) = p`.
pub fn qtukey(p: f64, k: usize, df: f64) -> Result<f64, GroupsError> {
    StudentizedRange::new(k, df)?.quantile(p)
}

fn normal_pdf(z: f64) -> f64 {
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    INV_SQRT_2PI * (-0.5 * z * z).exp()
}

/// `1 - Phi(x)`.
fn normal_upper(x: f64) -> f64 {
    0.5 * erfc(x * std::f64::consts::FRAC_1_SQRT_2)
}

#[cfg(test)]
#[path = "ptukey_tests.rs"]
mod tests;
