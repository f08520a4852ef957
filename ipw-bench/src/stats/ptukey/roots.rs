//! Root finding for the studentized range: the edges of the outer integral's range and
//! the quantile's root.

/// Edge between `inside` (where `below` is false) and `outside`, to a relative 1e-6:
/// the cut-off only needs to land where the density is negligible.
pub(super) fn bisect_edge(below: &impl Fn(f64) -> bool, mut inside: f64, mut outside: f64) -> f64 {
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
pub(super) fn find_root(g: impl Fn(f64) -> f64, a: f64, b: f64, ga: f64, gb: f64) -> f64 {
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
