//! A bounded one-dimensional maximiser (Brent's method: golden section with parabolic steps).

/// `(3 - sqrt 5) / 2`: the golden-section step as a share of the bracket.
const GOLDEN: f64 = 0.381_966_011_250_105_1;

/// The arg max of `f` on `[lo, hi]`, to within `tol` in x, and the value there.
///
/// `f` need not be smooth or unimodal for the search to end, but only a unimodal `f` is
/// guaranteed its global maximum. NaN values count as minus infinity, so a likelihood that
/// cannot be evaluated somewhere steers the search away instead of stopping it. The upper
/// end is also tried on its own, because the interior search never evaluates `hi` and a
/// likelihood that still rises there has its maximum on the bound.
pub fn maximize(f: impl Fn(f64) -> f64, lo: f64, hi: f64, tol: f64) -> (f64, f64) {
    let cost = |x: f64| {
        let v = -f(x);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
    let (mut a, mut b) = (lo, hi);
    let mut x = a + GOLDEN * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = cost(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        let tol1 = tol * 0.5 + 1e-12 * x.abs();
        let tol2 = 2.0 * tol1;
        if (x - mid).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            // Accept the parabola's vertex only inside the bracket and only when the step
            // shrinks faster than the one before last; otherwise it could stall.
            if p.abs() < (0.5 * q * e).abs() && p > q * (a - x) && p < q * (b - x) {
                e = d;
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = if x < mid { tol1 } else { -tol1 };
                }
                golden = false;
            }
        }
        if golden {
            e = if x < mid { b - x } else { a - x };
            d = GOLDEN * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = cost(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    let f_hi = cost(hi);
    if f_hi <= fx {
        (hi, -f_hi)
    } else {
        (x, -fx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_interior_maximum() {
        let (x, fx) = maximize(|x| -(x - 2.345).powi(2) + 1.0, 1.0, 10.0, 1e-10);
        assert!((x - 2.345).abs() < 1e-8, "{x}");
        assert!((fx - 1.0).abs() < 1e-12);
        let (x, _) = maximize(|x: f64| -(x.ln() - 0.3).abs(), 1.0, 10.0, 1e-10);
        assert!((x - 0.3f64.exp()).abs() < 1e-8, "{x}");
    }

    #[test]
    fn a_rising_function_ends_on_the_upper_bound() {
        let (x, _) = maximize(|x| x, 1.0, 10.0, 1e-8);
        assert_eq!(x, 10.0);
        let (x, _) = maximize(|x| -x, 1.0, 10.0, 1e-8);
        assert!(x - 1.0 < 1e-6, "{x}");
    }

    #[test]
    fn nan_regions_are_avoided() {
        let (x, _) = maximize(
            |x| {
                if x < 3.0 {
                    f64::NAN
                } else {
                    -(x - 4.0).powi(2)
                }
            },
            1.0,
            10.0,
            1e-10,
        );
        assert!((x - 4.0).abs() < 1e-7, "{x}");
    }
}
