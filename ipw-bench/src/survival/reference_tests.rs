//! Checks against the Python `powerlaw` package and scipy (vectors made by
//! `tests/reference/make_survival.py`, committed under `tests/reference/survival/`).

use super::*;
use serde_json::Value;

const CASES: [(&str, &str); 4] = [
    (
        "zipf_a1.7_n3000",
        include_str!("../../tests/reference/survival/zipf_a1.7_n3000.json"),
    ),
    (
        "zipf_a2.3_n2000",
        include_str!("../../tests/reference/survival/zipf_a2.3_n2000.json"),
    ),
    (
        "zipf_a3.5_n5000",
        include_str!("../../tests/reference/survival/zipf_a3.5_n5000.json"),
    ),
    (
        "body_plus_tail_a2.6",
        include_str!("../../tests/reference/survival/body_plus_tail_a2.6.json"),
    ),
];

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("reference field {key} missing"))
}

fn tasks(v: &Value) -> Vec<TaskOutcome> {
    v["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .enumerate()
        .map(|(i, x)| TaskOutcome::solved(format!("t{i}"), x.as_u64().expect("integer sample")))
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn exact_discrete_mle_matches_scipy_and_powerlaw_at_the_same_xmin() {
    for (name, text) in CASES {
        let v: Value = serde_json::from_str(text).expect("reference JSON");
        let tasks = tasks(&v);
        for (xmin_key, exact_key, powerlaw_key) in [
            ("powerlaw_xmin", "exact_alpha", "powerlaw_alpha"),
            ("", "exact_alpha_xmin1", "powerlaw_alpha_xmin1"),
        ] {
            let xmin = if xmin_key.is_empty() {
                1
            } else {
                number(&v, xmin_key) as u64
            };
            let ours = fit_tail_at(&tasks, xmin).expect("fits").alpha;
            let exact = number(&v, exact_key);
            let theirs = number(&v, powerlaw_key);
            eprintln!(
                "{name} xmin={xmin}: ours {ours:.7} scipy {exact:.7} powerlaw {theirs:.7} \
                 (rel {:.1e}, {:.1e})",
                rel(ours, exact),
                rel(ours, theirs)
            );
            assert!(rel(ours, exact) < 1e-7, "{name} xmin={xmin}");
            // powerlaw stops its Nelder-Mead search at tol = 1e-4.
            assert!(rel(ours, theirs) < 1e-3, "{name} xmin={xmin}");
        }
    }
}

#[test]
fn closed_form_approximation_is_not_what_we_compute() {
    // At xmin = 1 Clauset's approximation is far off; our estimate tracks the exact one.
    let v: Value = serde_json::from_str(CASES[2].1).expect("reference JSON");
    let ours = fit_tail_at(&tasks(&v), 1).expect("fits").alpha;
    assert!((ours - number(&v, "approx_alpha")).abs() > 1.0);
}

#[test]
fn ks_choice_of_xmin_agrees_with_powerlaw() {
    for (name, text) in CASES {
        let v: Value = serde_json::from_str(text).expect("reference JSON");
        let fit = fit_tail(&tasks(&v)).expect("fits");
        let xmin = number(&v, "powerlaw_xmin") as u64;
        eprintln!(
            "{name}: k_min ours {} powerlaw {xmin}; KS ours {:.5} powerlaw {:.5}",
            fit.k_min,
            fit.ks_distance,
            number(&v, "powerlaw_ks")
        );
        assert_eq!(fit.k_min, xmin, "{name}");
        assert!(
            rel(fit.ks_distance, number(&v, "powerlaw_ks")) < 1e-2,
            "{name}"
        );
    }
}

#[test]
fn hurwitz_zeta_matches_scipy() {
    let v: Value = serde_json::from_str(include_str!(
        "../../tests/reference/survival/hurwitz_zeta.json"
    ))
    .expect("reference JSON");
    for row in v["values"].as_array().expect("values") {
        let (s, q, want) = (
            row[0].as_f64().expect("s"),
            row[1].as_f64().expect("q"),
            row[2].as_f64().expect("zeta"),
        );
        let got = hurwitz_zeta(s, q);
        assert!(
            rel(got, want) < 1e-13,
            "zeta({s}, {q}) = {got}, scipy {want}"
        );
    }
}
