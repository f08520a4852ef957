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

use super::chebyshev::Chebyshev;
use super::groups::GroupsError;
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

/// Edge between `inside` (where `below` is false) and `outside`, to a relative 1e-6:
/// the cut-off only needs to land where the density is negligible.
fn bisect_edge(below: &impl Fn(f64) -> bool, mut inside: f64, mut outside: f64) -> f64 {
    for _ in 0..60 {
        let mid = 0.5 * (inside + outside);
        if below(mid) {
            outside = mid;
        } else {
            inside = mid;
        }
        if (outside - inside).abs() <= 1e-6 * outside.abs().max(1e-300) {
            break;
        }
    }
    outside
}

/// Root of `g` in `[a, b]`, where `g(a) = ga` and `g(b) = gb` have opposite signs, by
/// Brent's method: inverse quadratic or secant steps while they make good progress,
/// bisection otherwise, so it converges superlinearly but never leaves the bracket.
/// Stops when the bracket is narrower than about `1e-11` relative.
fn find_root(g: impl Fn(f64) -> f64, a: f64, b: f64, ga: f64, gb: f64) -> f64 {
    // `best` has the smallest |g| seen; `counter` brackets the root with it; `previous`
    // is the best point of the step before.
    let (mut best, mut g_best, mut counter, mut g_counter) = (b, gb, a, ga);
    let (mut previous, mut g_previous) = (a, ga);
    let mut step = best - counter;
    let mut step_before = step;
    for _ in 0..200 {
        if (g_best > 0.0) == (g_counter > 0.0) {
            // The root moved out of [counter, best]: the previous point brackets it again.
            counter = previous;
            g_counter = g_previous;
            step = best - counter;
            step_before = step;
        }
        if g_counter.abs() < g_best.abs() {
            previous = best;
            g_previous = g_best;
            best = counter;
            g_best = g_counter;
            counter = previous;
            g_counter = g_previous;
        }
        let tol = 2.0 * f64::EPSILON * best.abs() + 0.5e-11 * best.abs().max(1e-3);
        let half = 0.5 * (counter - best);
        if half.abs() <= tol || g_best == 0.0 {
            return best;
        }
        if step_before.abs() >= tol && g_previous.abs() > g_best.abs() {
            let s = g_best / g_previous;
            let (mut p, mut q) = if previous == counter {
                (2.0 * half * s, 1.0 - s)
            } else {
                let q = g_previous / g_counter;
                let r = g_best / g_counter;
                (
                    s * (2.0 * half * q * (q - r) - (best - previous) * (r - 1.0)),
                    (q - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            // Accept the interpolation only if it lands well inside the bracket and the
            // steps keep shrinking; otherwise bisect.
            if 2.0 * p < (3.0 * half * q - (tol * q).abs()).min((step_before * q).abs()) {
                step_before = step;
                step = p / q;
            } else {
                step = half;
                step_before = half;
            }
        } else {
            step = half;
            step_before = half;
        }
        previous = best;
        g_previous = g_best;
        best += if step.abs() > tol {
            step
        } else {
            tol.copysign(half)
        };
        g_best = g(best);
    }
    best
}

/// Kronrod nodes on [0, 1] (odd positions are also the 7-point Gauss nodes) and weights.
const KRONROD_NODES: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
const KRONROD_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
const GAUSS_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// The 15-point Kronrod estimate on `[a, b]` and an estimate of its error.
///
/// The error estimate follows QUADPACK's heuristic: the Kronrod/Gauss difference is
/// rescaled by the integrand's spread on the panel and raised to the power 1.5, because
/// the 15-point result is far more accurate than the 7-point one it is compared with.
fn kronrod15(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let centre = 0.5 * (a + b);
    let half = 0.5 * (b - a);
    let mut values = [0.0; 15];
    values[7] = f(centre);
    for i in 0..7 {
        let dx = half * KRONROD_NODES[i];
        values[i] = f(centre - dx);
        values[14 - i] = f(centre + dx);
    }
    let weight = |i: usize| KRONROD_WEIGHTS[i.min(14 - i)];
    let kronrod: f64 = (0..15).map(|i| weight(i) * values[i]).sum();
    let gauss = GAUSS_WEIGHTS[3] * values[7]
        + (0..3)
            .map(|j| GAUSS_WEIGHTS[j] * (values[2 * j + 1] + values[13 - 2 * j]))
            .sum::<f64>();
    let mean = kronrod / 2.0;
    let spread: f64 = (0..15).map(|i| weight(i) * (values[i] - mean).abs()).sum();
    let mut error = ((kronrod - gauss) * half).abs();
    let spread = spread * half;
    if spread > 0.0 && error > 0.0 {
        error = spread * (200.0 * error / spread).powf(1.5).min(1.0);
    }
    (kronrod * half, error)
}

/// Adaptive Gauss-Kronrod integral of `f` over `[a, b]` to about `tol` absolute: a panel is
/// split until its error estimate is within its share of `tol`.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64, tol: f64) -> f64 {
    const START_PANELS: usize = 4;
    const MAX_DEPTH: u32 = 30;
    let width = b - a;
    let mut stack: Vec<(f64, f64, u32)> = (0..START_PANELS)
        .rev()
        .map(|i| {
            let lo = a + width * i as f64 / START_PANELS as f64;
            let hi = a + width * (i + 1) as f64 / START_PANELS as f64;
            (lo, hi, 0)
        })
        .collect();
    let mut total = 0.0;
    while let Some((lo, hi, depth)) = stack.pop() {
        let (value, error) = kronrod15(&f, lo, hi);
        let allowed = tol * (hi - lo) / width;
        if error <= allowed || error <= 1e-15 * value.abs() || depth >= MAX_DEPTH {
            total += value;
        } else {
            let mid = 0.5 * (lo + hi);
            stack.push((mid, hi, depth + 1));
            stack.push((lo, mid, depth + 1));
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kronrod_rule_is_exact_for_polynomials() {
        // K15 integrates degree 22 exactly on [-1, 1]; G7 degree 13: a check on the constants.
        for degree in 0..=22 {
            let f = |x: f64| x.powi(degree);
            let (k, _) = kronrod15(&f, -1.0, 1.0);
            let g = GAUSS_WEIGHTS[3] * f(0.0)
                + (0..3)
                    .map(|j| {
                        GAUSS_WEIGHTS[j]
                            * (f(KRONROD_NODES[2 * j + 1]) + f(-KRONROD_NODES[2 * j + 1]))
                    })
                    .sum::<f64>();
            let exact = if degree % 2 == 1 {
                0.0
            } else {
                2.0 / (degree + 1) as f64
            };
            assert!((k - exact).abs() < 1e-15, "degree {degree}: {k} vs {exact}");
            if degree <= 13 {
                assert!((g - exact).abs() < 1e-15, "gauss degree {degree}: {g}");
            }
        }
    }

    #[test]
    fn two_groups_with_known_variance_is_a_scaled_half_normal() {
        // k = 2, df = inf: Q = |Z1 - Z2| so P(Q <= q) = 2 Phi(q / sqrt 2) - 1 = erf(q / 2).
        let d = StudentizedRange::new(2, f64::INFINITY).unwrap();
        for q in [0.1, 0.5, 1.0, 2.0, 3.5, 6.0] {
            let exact = statrs::function::erf::erf(q / 2.0);
            assert!(
                (d.cdf(q) - exact).abs() < 1e-10,
                "q={q}: {} vs {exact}",
                d.cdf(q)
            );
        }
    }

    #[test]
    fn two_groups_is_a_scaled_t() {
        // k = 2: Q / sqrt 2 is |T| with df degrees of freedom; df = 2 has a closed form.
        let d = StudentizedRange::new(2, 2.0).unwrap();
        for q in [0.3, 1.0, 2.5, 7.0, 20.0] {
            let t: f64 = q / std::f64::consts::SQRT_2;
            let exact = t / (2.0 + t * t).sqrt();
            assert!(
                (d.cdf(q) - exact).abs() < 1e-10,
                "q={q}: {} {exact}",
                d.cdf(q)
            );
        }
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        for (k, df) in [(3, 10.0), (10, 1.0), (4, 1e6), (20, 3.5)] {
            let d = StudentizedRange::new(k, df).unwrap();
            for p in [0.01, 0.5, 0.95, 0.999] {
                let q = d.quantile(p).unwrap();
                assert!((d.cdf(q) - p).abs() < 1e-10, "k={k} df={df} p={p}");
            }
        }
    }

    #[test]
    fn the_interpolated_range_cdf_matches_the_quadrature() {
        for k in [2, 3, 10, 100, 500, 3000] {
            let d = StudentizedRange::new(k, 10.0).unwrap();
            let r = &d.range;
            assert_eq!(**r, RangeCdf::new(k), "built the same way every time");
            let nodes = inner_nodes(k);
            // (At w_saturated and above W is 1, as it always was.)
            for i in 0..1000 {
                let w = r.w_saturated * i as f64 / 1000.0;
                let direct = range_cdf_direct(k, &nodes, w);
                assert!(
                    (r.at(w) - direct).abs() < 1e-11,
                    "k={k} w={w}: {} vs {direct}",
                    r.at(w)
                );
            }
        }
        // Another df shares the interpolant and gives the same CDF as a fresh one.
        let a = StudentizedRange::new(7, 4.0).unwrap();
        let b = a.with_df(25.0).unwrap();
        assert!(Arc::ptr_eq(&a.range, &b.range));
        assert_eq!(b.cdf(3.7), StudentizedRange::new(7, 25.0).unwrap().cdf(3.7));
        assert!(a.with_df(0.5).is_err());
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(StudentizedRange::new(1, 10.0).is_err());
        assert!(StudentizedRange::new(3, 0.5).is_err());
        assert!(qtukey(1.0, 3, 10.0).is_err());
        assert_eq!(ptukey(-1.0, 3, 10.0), Ok(0.0));
    }
}
