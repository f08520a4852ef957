//! Part A of the statistics engine against SciPy/statsmodels reference vectors
//! (`tests/reference/make_stats_a.py`), plus seeded property tests.

use ipw_bench::stats::bootstrap::{bootstrap_mean, bootstrap_mean_bca};
use ipw_bench::stats::correction::{bonferroni, holm};
use ipw_bench::stats::descriptive::{describe, quantiles};
use ipw_bench::stats::mannwhitney::{mann_whitney, MwMethod};
use ipw_bench::stats::power::{
    minimum_detectable_effect, noncentral_t_cdf, noncentral_t_sf, sample_size_per_group,
    two_sample_power,
};
use ipw_bench::stats::proportions::{
    chi_square_independence, two_proportion_z_test, wilson_interval,
};
use ipw_bench::stats::ttest::{
    cohens_d, paired_t_test, student_t_test, t_test, welch_t_test, TTestKind,
};
use ipw_bench::stats::Rng;
use serde_json::Value;

/// Relative tolerance on statistics, intervals and effect sizes.
const STAT_REL: f64 = 1e-9;
/// Absolute tolerance on p-values.
const P_ABS: f64 = 1e-6;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/tests/reference/stats_a/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases(v: &Value) -> &Vec<Value> {
    v["cases"].as_array().expect("cases")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// Same generator as `generate` in make_stats_a.py, over the same xoshiro256** stream.
fn generate(spec: &Value) -> Vec<f64> {
    let mut rng = Rng::new(spec["seed"].as_u64().expect("seed"));
    let (loc, scale) = (num(spec, "loc"), num(spec, "scale"));
    let n = spec["n"].as_u64().expect("n") as usize;
    let sum4 = spec["kind"] == "sum4";
    (0..n)
        .map(|_| {
            if sum4 {
                let mut u = rng.next_f64() + rng.next_f64();
                u += rng.next_f64();
                u += rng.next_f64();
                loc + scale * (u - 2.0)
            } else {
                loc + scale * (rng.next_f64() * 10.0).floor()
            }
        })
        .collect()
}

fn data(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().map(|x| x.as_f64().expect("number")).collect(),
        spec => generate(spec),
    }
}

#[track_caller]
fn close(got: f64, want: f64, what: &str) {
    // Values that are zero in exact arithmetic (t for identical means) get an absolute floor.
    let tol = STAT_REL * want.abs().max(1e-6);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, want {want:e}"
    );
}

/// An interval bound near zero is the difference of two larger numbers (estimate and
/// half-width), so its error is judged relative to the larger of the two.
#[track_caller]
fn close_bound(got: f64, want: f64, half_width: f64, what: &str) {
    let tol = STAT_REL * want.abs().max(half_width.abs());
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, want {want:e}"
    );
}

#[track_caller]
fn close_p(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= P_ABS,
        "{what}: p got {got:e}, want {want:e}"
    );
}

#[test]
fn descriptive_matches_numpy() {
    for c in cases(&load("descriptive")) {
        let x = data(&c["data"]);
        let conf = num(c, "confidence");
        let what = format!("{} @ {conf}", c["name"]);
        let d = describe(&x, conf).expect("describe");
        assert_eq!(d.n as u64, c["n"].as_u64().expect("n"));
        close(d.mean, num(c, "mean"), &format!("{what} mean"));
        close(d.variance, num(c, "variance"), &format!("{what} variance"));
        close(d.sd, num(c, "sd"), &format!("{what} sd"));
        close(d.median, num(c, "median"), &format!("{what} median"));
        close(d.mad, num(c, "mad"), &format!("{what} mad"));
        close(
            d.mad_scaled,
            num(c, "mad_scaled"),
            &format!("{what} mad scaled"),
        );
        close(d.mean_ci.low, num(c, "ci_low"), &format!("{what} ci low"));
        close(
            d.mean_ci.high,
            num(c, "ci_high"),
            &format!("{what} ci high"),
        );
        let probs: Vec<f64> = data(&c["probs"]);
        let q = quantiles(&x, &probs).expect("quantiles");
        for (got, want) in q.iter().zip(data(&c["quantiles"])) {
            close(*got, want, &format!("{what} quantile"));
        }
    }
}

#[test]
fn t_tests_match_scipy() {
    let all = load("ttest");
    assert!(cases(&all).len() > 50);
    for c in cases(&all) {
        let (a, b) = (data(&c["a"]), data(&c["b"]));
        let conf = num(c, "confidence");
        let kind = match c["kind"].as_str() {
            Some("welch") => TTestKind::Welch,
            Some("student") => TTestKind::Student,
            _ => TTestKind::Paired,
        };
        let what = format!("{} {:?} @ {conf}", c["name"], kind);
        let r = t_test(&a, &b, kind, conf).expect("t-test");
        close(r.statistic, num(c, "statistic"), &format!("{what} t"));
        close(r.df, num(c, "df"), &format!("{what} df"));
        close_p(r.p_value, num(c, "p_value"), &what);
        let p = num(c, "p_value");
        if p < 1e-6 {
            // Deep tails are checked relatively too: an absolute check cannot fail there.
            assert!(
                (r.p_value - p).abs() <= 1e-6 * p,
                "{what}: p {} vs {p}",
                r.p_value
            );
        }
        close(
            r.mean_difference,
            num(c, "mean_difference"),
            &format!("{what} diff"),
        );
        let half = (num(c, "ci_high") - num(c, "ci_low")) / 2.0;
        close_bound(r.ci.low, num(c, "ci_low"), half, &format!("{what} ci low"));
        close_bound(
            r.ci.high,
            num(c, "ci_high"),
            half,
            &format!("{what} ci high"),
        );
        close(r.cohens_d, num(c, "cohens_d"), &format!("{what} d"));
        close(r.hedges_g, num(c, "hedges_g"), &format!("{what} g"));
    }
}

#[test]
fn mann_whitney_matches_scipy() {
    for c in cases(&load("mannwhitney")) {
        let (a, b) = (data(&c["a"]), data(&c["b"]));
        let method = if c["method"] == "exact" {
            MwMethod::Exact
        } else {
            MwMethod::Asymptotic
        };
        let what = format!("{} {:?}", c["name"], method);
        let r = mann_whitney(&a, &b, method).expect("mann-whitney");
        close(r.u, num(c, "u"), &format!("{what} U"));
        close_p(r.p_value, num(c, "p_value"), &what);
        let p = num(c, "p_value");
        if p > 0.0 && p < 1e-3 {
            assert!(
                (r.p_value - p).abs() <= 1e-9 * p,
                "{what}: {} vs {p}",
                r.p_value
            );
        }
    }
}

#[test]
fn proportions_match_statsmodels_and_scipy() {
    let all = load("proportions");
    for c in all["cases"]["wilson"].as_array().expect("wilson") {
        let (s, n) = (
            c["successes"].as_u64().expect("s"),
            c["n"].as_u64().expect("n"),
        );
        let i = wilson_interval(s, n, num(c, "confidence")).expect("wilson");
        let what = format!("wilson {s}/{n}");
        // Bounds at exactly 0 or 1 carry rounding of order 1e-17: compare absolutely there.
        assert!(
            (i.low - num(c, "low")).abs() <= 1e-15 + STAT_REL * num(c, "low"),
            "{what} {i:?}"
        );
        assert!(
            (i.high - num(c, "high")).abs() <= STAT_REL * num(c, "high"),
            "{what} {i:?}"
        );
    }
    for c in all["cases"]["ztest"].as_array().expect("ztest") {
        let g = |k: &str| c[k].as_u64().expect(k);
        let what = format!("z-test {c}");
        let r = two_proportion_z_test(g("x1"), g("n1"), g("x2"), g("n2")).expect("z-test");
        close(r.statistic, num(c, "statistic"), &what);
        close_p(r.p_value, num(c, "p_value"), &what);
    }
    for c in all["cases"]["chi_square"].as_array().expect("chi") {
        let table: Vec<Vec<f64>> = c["table"]
            .as_array()
            .expect("table")
            .iter()
            .map(data)
            .collect();
        let yates = c["yates"].as_bool().expect("yates");
        let what = format!("chi-square {table:?} yates {yates}");
        let r = chi_square_independence(&table, yates).expect("chi-square");
        close(r.statistic, num(c, "statistic"), &what);
        assert_eq!(r.df as u64, c["df"].as_u64().expect("df"), "{what}");
        close_p(r.p_value, num(c, "p_value"), &what);
    }
}

#[test]
fn power_matches_statsmodels() {
    let all = load("power");
    for c in all["cases"]["nct"].as_array().expect("nct") {
        let (t, df, nc) = (num(c, "t"), num(c, "df"), num(c, "nc"));
        let what = format!("nct t {t} df {df} nc {nc}");
        let (cdf, sf) = (noncentral_t_cdf(t, df, nc), noncentral_t_sf(t, df, nc));
        assert!(
            (cdf - num(c, "cdf")).abs() <= 1e-12,
            "{what}: cdf {cdf:e} vs {}",
            c["cdf"]
        );
        assert!(
            (sf - num(c, "sf")).abs() <= 1e-12,
            "{what}: sf {sf:e} vs {}",
            c["sf"]
        );
    }
    for c in all["cases"]["power"].as_array().expect("power") {
        let p = two_sample_power(num(c, "d"), num(c, "n1"), num(c, "n2"), num(c, "alpha"))
            .expect("power");
        close(p, num(c, "power"), &format!("power {c}"));
    }
    for c in all["cases"]["sample_size"].as_array().expect("ss") {
        let s = sample_size_per_group(num(c, "d"), num(c, "alpha"), num(c, "power"))
            .expect("sample size");
        // statsmodels stops its root search at brentq's default xtol (2e-12 absolute).
        close(s.exact, num(c, "n"), &format!("sample size {c}"));
        assert_eq!(s.per_group, num(c, "n").ceil() as u64);
    }
    for c in all["cases"]["mde"].as_array().expect("mde") {
        let d =
            minimum_detectable_effect(num(c, "n"), num(c, "alpha"), num(c, "power")).expect("mde");
        close(d, num(c, "d"), &format!("mde {c}"));
    }
}

#[test]
fn corrections_match_statsmodels() {
    for c in cases(&load("correction")) {
        let p = data(&c["p"]);
        for (got, want) in holm(&p).iter().zip(data(&c["holm"])) {
            close(*got, want, &format!("holm {p:?}"));
        }
        for (got, want) in bonferroni(&p).iter().zip(data(&c["bonferroni"])) {
            close(*got, want, &format!("bonferroni {p:?}"));
        }
    }
}

#[test]
fn bootstrap_matches_the_independent_bca() {
    for c in cases(&load("bootstrap")) {
        let x = data(&c["data"]);
        let (b, seed, conf) = (
            c["resamples"].as_u64().expect("b") as usize,
            c["seed"].as_u64().expect("seed"),
            num(c, "confidence"),
        );
        let what = format!("bootstrap {}", c["name"]);
        let pct = bootstrap_mean(&x, b, conf, seed);
        let pw = data(&c["percentile"]);
        close(pct.low, pw[0], &format!("{what} percentile low"));
        close(pct.high, pw[1], &format!("{what} percentile high"));
        let bca = bootstrap_mean_bca(&x, b, conf, seed);
        let bw = data(&c["bca"]);
        close(bca.point, num(c, "point"), &format!("{what} point"));
        close(bca.low, bw[0], &format!("{what} bca low"));
        close(bca.high, bw[1], &format!("{what} bca high"));
        assert_eq!(
            bca,
            bootstrap_mean_bca(&x, b, conf, seed),
            "{what}: not deterministic"
        );
    }
}

// ------------------------------------------------------------------ properties

fn sample(rng: &mut Rng, n: usize, loc: f64, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|_| loc + scale * (rng.next_f64() + rng.next_f64() + rng.next_f64() - 1.5))
        .collect()
}

#[test]
fn swapping_groups_flips_t_and_the_difference() {
    let mut rng = Rng::new(2024);
    for _ in 0..200 {
        let (n1, n2) = (2 + rng.below(30), 2 + rng.below(30));
        let (la, sa) = (rng.next_f64() * 5.0, 0.1 + rng.next_f64() * 3.0);
        let a = sample(&mut rng, n1, la, sa);
        let (lb, sb) = (rng.next_f64() * 5.0, 0.1 + rng.next_f64() * 3.0);
        let b = sample(&mut rng, n2, lb, sb);
        for kind in [TTestKind::Welch, TTestKind::Student] {
            let ab = t_test(&a, &b, kind, 0.95).expect("ab");
            let ba = t_test(&b, &a, kind, 0.95).expect("ba");
            assert!((ab.statistic + ba.statistic).abs() <= 1e-12 * ab.statistic.abs().max(1.0));
            assert!((ab.mean_difference + ba.mean_difference).abs() <= 1e-12);
            assert!((ab.ci.low + ba.ci.high).abs() <= 1e-9);
            assert!((ab.p_value - ba.p_value).abs() <= 1e-14);
            assert!((ab.cohens_d + ba.cohens_d).abs() <= 1e-12 * ab.cohens_d.abs().max(1.0));
        }
        let mw_ab = mann_whitney(&a, &b, MwMethod::Asymptotic).expect("mw");
        let mw_ba = mann_whitney(&b, &a, MwMethod::Asymptotic).expect("mw");
        assert_eq!(mw_ab.u + mw_ba.u, (n1 * n2) as f64);
        assert!((mw_ab.p_value - mw_ba.p_value).abs() <= 1e-14);
    }
}

#[test]
fn scaling_leaves_t_unchanged_and_shifting_leaves_d_unchanged() {
    let mut rng = Rng::new(7);
    for _ in 0..200 {
        let n = 3 + rng.below(40);
        let a = sample(&mut rng, n, 1.0, 1.0);
        let b = sample(&mut rng, n, 1.3, 0.7);
        let k = 0.001 + rng.next_f64() * 1000.0;
        let c = (rng.next_f64() - 0.5) * 1e4;
        let scale = |x: &[f64]| x.iter().map(|v| v * k).collect::<Vec<_>>();
        let shift = |x: &[f64]| x.iter().map(|v| v + c).collect::<Vec<_>>();
        for test in [welch_t_test, student_t_test, paired_t_test] {
            let base = test(&a, &b, 0.95).expect("base");
            let scaled = test(&scale(&a), &scale(&b), 0.95).expect("scaled");
            assert!(
                (base.statistic - scaled.statistic).abs() <= 1e-9 * base.statistic.abs().max(1.0)
            );
            assert!((base.mean_difference * k - scaled.mean_difference).abs() <= 1e-9 * k);
            let shifted = test(&shift(&a), &shift(&b), 0.95).expect("shifted");
            assert!(
                (base.cohens_d - shifted.cohens_d).abs() <= 1e-8 * base.cohens_d.abs().max(1.0)
            );
        }
        let d = cohens_d(&a, &b).expect("d");
        let ds = cohens_d(&shift(&a), &shift(&b)).expect("d");
        assert!((d - ds).abs() <= 1e-8 * d.abs().max(1.0));
    }
}

#[test]
fn intervals_nest_with_confidence_and_bootstrap_is_seeded() {
    let mut rng = Rng::new(99);
    for _ in 0..50 {
        let n = 5 + rng.below(50);
        let x = sample(&mut rng, n, 10.0, 2.0);
        let lo = describe(&x, 0.9).expect("d").mean_ci;
        let hi = describe(&x, 0.99).expect("d").mean_ci;
        assert!(hi.low < lo.low && lo.high < hi.high);
        let seed = rng.next_u64();
        assert_eq!(
            bootstrap_mean_bca(&x, 500, 0.95, seed),
            bootstrap_mean_bca(&x, 500, 0.95, seed)
        );
        let w = wilson_interval(rng.below(20) as u64, 20, 0.95).expect("w");
        assert!(w.low >= 0.0 && w.high <= 1.0 && w.low <= w.point && w.point <= w.high);
    }
}

#[test]
fn holm_is_monotone_and_never_below_raw() {
    let mut rng = Rng::new(5);
    for _ in 0..200 {
        let p: Vec<f64> = (0..1 + rng.below(12))
            .map(|_| rng.next_f64().powi(3))
            .collect();
        let adj = holm(&p);
        let bon = bonferroni(&p);
        let mut idx: Vec<usize> = (0..p.len()).collect();
        idx.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
        for w in idx.windows(2) {
            assert!(adj[w[0]] <= adj[w[1]]);
        }
        for i in 0..p.len() {
            assert!(p[i] <= adj[i] && adj[i] <= bon[i] && bon[i] <= 1.0);
        }
    }
}
