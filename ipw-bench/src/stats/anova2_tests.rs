//! Tests of the two-way ANOVA.

use super::*;

#[test]
fn qr_solves_an_overdetermined_system() {
    // Fit y = 1 + 2 t exactly through four points.
    let mut x = vec![1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
    let mut y = vec![1.0, 3.0, 5.0, 7.0];
    let beta = least_squares(&mut x, &mut y, 4, 2);
    assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
}

#[test]
fn balanced_design_matches_the_textbook_decomposition() {
    // Balanced: Type II equals the classical sums of squares about marginal means.
    let y = [1.0, 2.0, 4.0, 6.0, 3.0, 5.0, 9.0, 8.0, 2.0, 2.5, 7.0, 7.5];
    let a = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    let b = ["x", "x", "y", "y", "x", "x", "y", "y", "x", "x", "y", "y"];
    let t = anova2(
        &y,
        Factor {
            name: "A",
            levels: &a,
        },
        Factor {
            name: "B",
            levels: &b,
        },
    )
    .unwrap();
    assert!(t.balanced);
    let grand = y.iter().sum::<f64>() / 12.0;
    let mean_of = |idx: &[usize]| idx.iter().map(|&i| y[i]).sum::<f64>() / idx.len() as f64;
    let ss_a: f64 = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
        .iter()
        .map(|g| 4.0 * (mean_of(g) - grand).powi(2))
        .sum();
    let ss_b: f64 = [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7, 10, 11]]
        .iter()
        .map(|g| 6.0 * (mean_of(g) - grand).powi(2))
        .sum();
    let ss_total: f64 = y.iter().map(|v| (v - grand).powi(2)).sum();
    let rows = &t.effects;
    assert!((rows[0].ss - ss_a).abs() < 1e-10);
    assert!((rows[1].ss - ss_b).abs() < 1e-10);
    let sum: f64 = rows.iter().map(|r| r.ss).sum();
    assert!((sum - ss_total).abs() < 1e-10);
    assert_eq!(rows[2].source, "A:B");
    assert_eq!(rows[3].df, 6.0);
}

#[test]
fn huge_responses_scale_or_overflow() {
    let y = [4.1, 3.9, 5.2, 5.0, 6.1, 5.9, 8.3, 7.9];
    let a = [0, 0, 1, 1, 0, 0, 1, 1];
    let b = [0, 0, 0, 0, 1, 1, 1, 1];
    let fit = |f: f64| {
        let y: Vec<f64> = y.iter().map(|v| v * f).collect();
        anova2(
            &y,
            Factor {
                name: "a",
                levels: &a,
            },
            Factor {
                name: "b",
                levels: &b,
            },
        )
    };
    let (plain, big) = (fit(1.0).unwrap(), fit(2f64.powi(500)).unwrap());
    for (p, q) in plain.effects.iter().zip(&big.effects) {
        assert_eq!(p.f, q.f);
        assert!((q.ss / 2f64.powi(1000) / p.ss - 1.0).abs() < 1e-12);
    }
    assert_eq!(fit(1e300), Err(TwoWayError::Overflow));
}

#[test]
fn bad_designs_are_errors() {
    let y = [1.0, 2.0, 3.0, 4.0];
    let a = [0, 0, 1, 1];
    let b = [0, 1, 0, 0];
    let fa = Factor {
        name: "A",
        levels: &a,
    };
    assert_eq!(
        anova2(
            &y,
            fa,
            Factor {
                name: "B",
                levels: &b
            }
        ),
        Err(TwoWayError::EmptyCell { a: 1, b: 1 })
    );
    assert!(matches!(
        anova2(
            &y,
            fa,
            Factor {
                name: "B",
                levels: &[0, 1, 0, 1]
            }
        ),
        Err(TwoWayError::NoResidualDf { n: 4, cells: 4 })
    ));
    assert!(matches!(
        anova2(
            &y,
            fa,
            Factor {
                name: "A",
                levels: &b
            }
        ),
        Err(TwoWayError::SameName(_))
    ));
    assert!(matches!(
        anova2(
            &y[..3],
            fa,
            Factor {
                name: "B",
                levels: &b
            }
        ),
        Err(TwoWayError::LengthMismatch { .. })
    ));
    assert!(matches!(
        anova2(
            &y,
            fa,
            Factor {
                name: "B",
                levels: &[7; 4]
            }
        ),
        Err(TwoWayError::TooFewLevels { found: 1, .. })
    ));
}
