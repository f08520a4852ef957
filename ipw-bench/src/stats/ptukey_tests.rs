//! Tests of the studentized range distribution.

use super::quadrature::{kronrod15, GAUSS_WEIGHTS};
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
                    GAUSS_WEIGHTS[j] * (f(KRONROD_NODES[2 * j + 1]) + f(-KRONROD_NODES[2 * j + 1]))
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
