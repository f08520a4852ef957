//! Piecewise Chebyshev interpolation of a smooth function, built adaptively to a tolerance.
//!
//! An expensive smooth function (the studentized range's inner integral) is sampled once
//! at Chebyshev points on panels, each panel halved until its Chebyshev series has
//! converged (its last coefficients below the tolerance); afterwards every value costs a
//! binary search and a short Clenshaw sum instead of a quadrature.

/// Points per panel: degree 15 polynomials.
const POINTS: usize = 16;
/// Panels are not halved beyond this depth, nor beyond this count, whatever the tail of the
/// series says: a tolerance below the function's own rounding noise must not split forever.
const MAX_DEPTH: u32 = 30;
const MAX_PANELS: usize = 4096;

/// One panel `[start, end]` and the Chebyshev coefficients of the function on it.
#[derive(Debug, Clone, PartialEq)]
struct Panel {
    start: f64,
    end: f64,
    coefficients: [f64; POINTS],
}

/// A function approximated on `[start, end]` by Chebyshev series on adaptive panels.
#[derive(Debug, Clone, PartialEq)]
pub struct Chebyshev {
    panels: Vec<Panel>,
}

impl Chebyshev {
    /// Approximates `f` on `[start, end]` so that the neglected part of every panel's
    /// series is below `tol` (absolute), for a function smooth on each panel whose values
    /// are accurate to better than `tol`.
    pub fn new(f: impl Fn(f64) -> f64, start: f64, end: f64, tol: f64) -> Chebyshev {
        let mut panels = Vec::new();
        let mut stack = vec![(start, end, 0u32)];
        while let Some((a, b, depth)) = stack.pop() {
            let coefficients = fit(&f, a, b);
            let tail = coefficients[POINTS - 1].abs() + coefficients[POINTS - 2].abs();
            let crowded = panels.len() + stack.len() >= MAX_PANELS;
            if tail <= tol || depth >= MAX_DEPTH || crowded || !tail.is_finite() {
                panels.push(Panel {
                    start: a,
                    end: b,
                    coefficients,
                });
            } else {
                let mid = 0.5 * (a + b);
                stack.push((mid, b, depth + 1));
                stack.push((a, mid, depth + 1));
            }
        }
        Chebyshev { panels }
    }

    /// The approximation at `x`; outside `[start, end]` the nearest panel's polynomial is
    /// used, so callers clamp first.
    pub fn eval(&self, x: f64) -> f64 {
        let i = self
            .panels
            .partition_point(|p| p.end < x)
            .min(self.panels.len() - 1);
        let p = &self.panels[i];
        let t = (2.0 * x - p.start - p.end) / (p.end - p.start);
        clenshaw(&p.coefficients, t)
    }

    /// How many panels the function needed.
    pub fn panels(&self) -> usize {
        self.panels.len()
    }
}

/// Chebyshev coefficients of `f` on `[a, b]` from its values at the Chebyshev points of
/// the first kind.
fn fit(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> [f64; POINTS] {
    let n = POINTS as f64;
    let mut values = [0.0; POINTS];
    for (k, v) in values.iter_mut().enumerate() {
        let t = (std::f64::consts::PI * (k as f64 + 0.5) / n).cos();
        *v = f(0.5 * (a + b) + 0.5 * (b - a) * t);
    }
    let mut c = [0.0; POINTS];
    for (j, cj) in c.iter_mut().enumerate() {
        let sum: f64 = values
            .iter()
            .enumerate()
            .map(|(k, v)| v * (std::f64::consts::PI * j as f64 * (k as f64 + 0.5) / n).cos())
            .sum();
        *cj = 2.0 * sum / n;
    }
    c[0] /= 2.0;
    c
}

/// `sum c_j T_j(t)` by Clenshaw's recurrence.
fn clenshaw(c: &[f64; POINTS], t: f64) -> f64 {
    let (mut b1, mut b2) = (0.0, 0.0);
    for &cj in c.iter().skip(1).rev() {
        (b1, b2) = (2.0 * t * b1 - b2 + cj, b1);
    }
    t * b1 - b2 + c[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_functions_are_reproduced_to_the_tolerance() {
        let f = |x: f64| (3.0 * x).sin() * (-x * x).exp();
        let c = Chebyshev::new(f, -4.0, 4.0, 1e-14);
        for i in 0..=1000 {
            let x = -4.0 + 8.0 * i as f64 / 1000.0;
            assert!((c.eval(x) - f(x)).abs() < 1e-13, "x={x}");
        }
        // A steep step needs more panels than a gentle curve.
        let steep = Chebyshev::new(|x: f64| (40.0 * x).tanh(), -1.0, 1.0, 1e-13);
        let gentle = Chebyshev::new(|x: f64| x.tanh(), -1.0, 1.0, 1e-13);
        assert!(steep.panels() > 4 * gentle.panels());
        for i in 0..=1000 {
            let x = -1.0 + 2.0 * i as f64 / 1000.0;
            assert!((steep.eval(x) - (40.0 * x).tanh()).abs() < 1e-12, "x={x}");
        }
    }

    #[test]
    fn noise_above_the_tolerance_stops_at_the_panel_limit() {
        let noisy = |x: f64| (x * 1e6).sin() * 1e-9;
        let c = Chebyshev::new(noisy, 0.0, 1.0, 1e-15);
        assert!(c.panels() <= MAX_PANELS + 1, "{}", c.panels());
    }

    #[test]
    fn polynomials_of_low_degree_are_exact() {
        let c = Chebyshev::new(|x| 1.0 + x - 2.0 * x.powi(3), 0.0, 2.0, 1e-12);
        assert_eq!(c.panels(), 1);
        assert!((c.eval(1.5) - (1.0 + 1.5 - 2.0 * 3.375)).abs() < 1e-13);
    }
}
