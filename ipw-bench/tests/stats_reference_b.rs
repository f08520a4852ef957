//! Part B of the statistics engine (k groups, two-way ANOVA, Shapiro-Wilk, studentized
//! range) against SciPy/statsmodels reference vectors, plus seeded invariance properties.
//!
//! The vectors are made by `tests/reference/make_stats_b.py` and committed under
//! `tests/reference/stats_b/`. Tolerances: 1e-9 relative on statistics, 1e-6 absolute on
//! p-values, 1e-4 absolute on studentized-range probabilities (SciPy's are themselves
//! numerical integrals). Run with `--nocapture` to see the worst agreement per quantity.

#[path = "support/reference.rs"]
mod reference;

use ipw_bench::stats::anova::anova;
use ipw_bench::stats::anova2::{anova2, Factor};
use ipw_bench::stats::games_howell::games_howell;
use ipw_bench::stats::kruskal::kruskal;
use ipw_bench::stats::levene::{levene, Levene, LeveneCenter};
use ipw_bench::stats::ptukey::{ptukey, qtukey};
use ipw_bench::stats::shapiro::shapiro_wilk;
use ipw_bench::stats::tukey::{tukey_hsd, Pairwise};
use ipw_bench::stats::welch_anova::welch_anova;
use ipw_bench::stats::Rng;
use reference::Tally;
use serde::de::DeserializeOwned;
use serde::Deserialize;

const STAT_REL: f64 = 1e-9;
const P_ABS: f64 = 1e-6;
const RANGE_P_ABS: f64 = 1e-4;

fn load<T: DeserializeOwned>(name: &str) -> T {
    reference::load("stats_b", name)
}

impl Tally {
    /// A p-value: absolute tolerance, and for tiny references also the relative error
    /// (reported, to show that far tails keep their digits).
    fn p(&mut self, what: &str, case: &str, got: f64, want: f64, tol: f64) {
        self.abs(what, case, got, want, tol);
        if want > 0.0 && want < 1e-8 {
            self.rel(
                &format!("{what} (relative, p < 1e-8)"),
                case,
                got,
                want,
                1e-5,
            );
        }
    }
}

// ------------------------------------------------------------------ k groups

#[derive(Deserialize)]
struct KGroupFile {
    confidence: f64,
    cases: Vec<KGroupCase>,
}

#[derive(Deserialize)]
struct KGroupCase {
    name: String,
    groups: Option<Vec<Vec<f64>>>,
    generated: Option<Generated>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Generated {
    seed: u64,
    kind: String,
    sizes: Vec<usize>,
    shifts: Vec<f64>,
    scales: Vec<f64>,
    fingerprint: Fingerprint,
}

#[derive(Deserialize)]
struct Fingerprint {
    first: Vec<Vec<f64>>,
    sums: Vec<f64>,
}

/// One standardised draw; must match `draw` in make_stats_b.py.
fn draw(rng: &mut Rng, kind: &str) -> f64 {
    match kind {
        "uniform" => rng.next_f64() - 0.5,
        "irwin_hall4" => {
            let mut total = 0.0;
            for _ in 0..4 {
                total += rng.next_f64();
            }
            total - 2.0
        }
        "rounded" => (rng.next_f64() * 10.0).floor(),
        "skewed" => {
            let u = rng.next_f64();
            u * u * u
        }
        other => panic!("unknown generator kind {other}"),
    }
}

fn regenerate(spec: &Generated) -> Vec<Vec<f64>> {
    let mut rng = Rng::new(spec.seed);
    let groups: Vec<Vec<f64>> = spec
        .sizes
        .iter()
        .zip(&spec.shifts)
        .zip(&spec.scales)
        .map(|((&n, &shift), &scale)| {
            (0..n)
                .map(|_| shift + scale * draw(&mut rng, &spec.kind))
                .collect()
        })
        .collect();
    for (g, (first, sum)) in groups
        .iter()
        .zip(spec.fingerprint.first.iter().zip(&spec.fingerprint.sums))
    {
        // The fingerprint went through JSON at full precision; serde_json's default float
        // parser may be one ulp off there, hence the tolerance.
        for (ours, theirs) in g.iter().zip(first) {
            assert!(
                (ours - theirs).abs() <= 1e-15 * theirs.abs(),
                "generator drifted: {ours} vs {theirs}"
            );
        }
        let ours: f64 = g.iter().sum();
        assert!(
            ((ours - sum) / sum).abs() < 1e-12,
            "generator drifted: {ours} vs {sum}"
        );
    }
    groups
}

#[derive(Deserialize)]
struct Expected {
    anova: AnovaRef,
    welch: WelchRef,
    tukey: Vec<PairRef>,
    /// Absent for the largest cases (SciPy's quantile is slow at large df).
    games_howell: Option<Vec<PairRef>>,
    kruskal: KruskalRef,
    /// Absent where the statistic is undefined (0/0): ours must be an error.
    levene_mean: Option<LeveneRef>,
    levene_median: Option<LeveneRef>,
    /// Per group; absent where the group is out of Shapiro-Wilk's range.
    shapiro: Vec<Option<ShapiroRef>>,
}

#[derive(Deserialize)]
struct AnovaRef {
    ss_between: f64,
    ss_within: f64,
    ss_total: f64,
    df_between: f64,
    df_within: f64,
    f: f64,
    p_value: f64,
    eta_squared: f64,
    omega_squared: f64,
}

#[derive(Deserialize)]
struct WelchRef {
    f: f64,
    df1: f64,
    df2: f64,
    p_value: f64,
}

#[derive(Deserialize)]
struct PairRef {
    a: usize,
    b: usize,
    mean_difference: f64,
    std_error: Option<f64>,
    q: Option<f64>,
    df: Option<f64>,
    ci_low: f64,
    ci_high: f64,
    p_value: f64,
}

#[derive(Deserialize)]
struct KruskalRef {
    h: f64,
    df: f64,
    p_value: f64,
}

#[derive(Deserialize)]
struct LeveneRef {
    statistic: f64,
    df1: f64,
    df2: f64,
    p_value: f64,
}

#[derive(Deserialize)]
struct ShapiroRef {
    w: f64,
    p_value: f64,
}

fn check_pairs(t: &mut Tally, what: &str, case: &str, ours: &Pairwise, want: &[PairRef]) {
    assert_eq!(
        ours.comparisons.len(),
        want.len(),
        "{what} {case}: row count"
    );
    for (row, r) in ours.comparisons.iter().zip(want) {
        assert_eq!((row.a, row.b), (r.a, r.b), "{what} {case}: pair order");
        let at = format!("{case} ({}, {})", r.a, r.b);
        // A difference of means can be tiny next to the means: relative to the spread.
        let scale = r.mean_difference.abs().max(row.std_error);
        t.abs(
            &format!("{what} mean difference (rel. to max(|d|, se))"),
            &at,
            row.mean_difference / scale,
            r.mean_difference / scale,
            STAT_REL,
        );
        if let Some(se) = r.std_error {
            t.rel(
                &format!("{what} std error"),
                &at,
                row.std_error,
                se,
                STAT_REL,
            );
        }
        if let Some(q) = r.q {
            t.rel(&format!("{what} q"), &at, row.q, q, STAT_REL);
        }
        if let Some(df) = r.df {
            t.rel(&format!("{what} df"), &at, row.df, df, STAT_REL);
        }
        // The interval's half-width rests on the studentized range quantile, so it is
        // compared relative to the half-width. Above 1e5 degrees of freedom SciPy switches
        // to the infinite-df limit, which is off by O(1/df): the range tolerance applies.
        let half = (r.ci_high - r.ci_low) / 2.0;
        let (label, tol) = if row.df > 1e5 {
            ("CI bounds, df > 1e5 (rel. to half-width)", RANGE_P_ABS)
        } else {
            ("CI bounds (rel. to half-width)", 1e-6)
        };
        let label = format!("{what} {label}");
        t.abs(&label, &at, row.ci_low / half, r.ci_low / half, tol);
        t.abs(&label, &at, row.ci_high / half, r.ci_high / half, tol);
        t.abs(
            &format!("{what} p"),
            &at,
            row.p_value,
            r.p_value,
            RANGE_P_ABS,
        );
    }
}

fn check_levene(
    t: &mut Tally,
    what: &str,
    case: &str,
    ours: Result<Levene, impl std::fmt::Debug>,
    want: &Option<LeveneRef>,
) {
    match (ours, want) {
        (Ok(l), Some(r)) => {
            t.rel(
                &format!("{what} W"),
                case,
                l.statistic,
                r.statistic,
                STAT_REL,
            );
            assert_eq!((l.df1, l.df2), (r.df1, r.df2), "{what} {case}: df");
            t.p(&format!("{what} p"), case, l.p_value, r.p_value, P_ABS);
        }
        (Err(_), None) => {}
        (ours, want) => panic!(
            "{what} {case}: ours {ours:?}, reference defined: {}",
            want.is_some()
        ),
    }
}

#[test]
fn k_group_tests_match_scipy_and_statsmodels() {
    let file: KGroupFile = load("k_groups.json");
    let mut t = Tally::default();
    for case in &file.cases {
        let owned = match (&case.groups, &case.generated) {
            (Some(g), _) => g.clone(),
            (None, Some(spec)) => regenerate(spec),
            (None, None) => panic!("{}: no data", case.name),
        };
        let groups: Vec<&[f64]> = owned.iter().map(Vec::as_slice).collect();
        let name = case.name.as_str();
        let e = &case.expected;

        let a = anova(&groups).unwrap();
        t.rel(
            "anova ss_between",
            name,
            a.ss_between,
            e.anova.ss_between,
            STAT_REL,
        );
        t.rel(
            "anova ss_within",
            name,
            a.ss_within,
            e.anova.ss_within,
            STAT_REL,
        );
        t.rel(
            "anova ss_total",
            name,
            a.ss_total,
            e.anova.ss_total,
            STAT_REL,
        );
        assert_eq!(
            (a.df_between, a.df_within),
            (e.anova.df_between, e.anova.df_within)
        );
        t.rel("anova F", name, a.f, e.anova.f, STAT_REL);
        t.p("anova p", name, a.p_value, e.anova.p_value, P_ABS);
        t.rel(
            "anova eta^2",
            name,
            a.eta_squared,
            e.anova.eta_squared,
            STAT_REL,
        );
        t.abs(
            "anova omega^2 (abs)",
            name,
            a.omega_squared,
            e.anova.omega_squared,
            STAT_REL,
        );

        let w = welch_anova(&groups).unwrap();
        t.rel("welch F", name, w.f, e.welch.f, STAT_REL);
        t.rel("welch df1", name, w.df1, e.welch.df1, STAT_REL);
        t.rel("welch df2", name, w.df2, e.welch.df2, STAT_REL);
        t.p("welch p", name, w.p_value, e.welch.p_value, P_ABS);

        let tk = tukey_hsd(&groups, file.confidence).unwrap();
        check_pairs(&mut t, "tukey", name, &tk, &e.tukey);
        if let Some(gh) = &e.games_howell {
            let ours = games_howell(&groups, file.confidence).unwrap();
            check_pairs(&mut t, "games-howell", name, &ours, gh);
        }

        let k = kruskal(&groups).unwrap();
        t.rel("kruskal H", name, k.h, e.kruskal.h, STAT_REL);
        assert_eq!(k.df, e.kruskal.df);
        t.p("kruskal p", name, k.p_value, e.kruskal.p_value, P_ABS);

        check_levene(
            &mut t,
            "levene (mean)",
            name,
            levene(&groups, LeveneCenter::Mean),
            &e.levene_mean,
        );
        check_levene(
            &mut t,
            "brown-forsythe (median)",
            name,
            levene(&groups, LeveneCenter::Median),
            &e.levene_median,
        );

        for (g, want) in groups.iter().zip(&e.shapiro) {
            match (shapiro_wilk(g), want) {
                (Ok(s), Some(r)) => {
                    t.rel("shapiro W (k-group cases)", name, s.w, r.w, STAT_REL);
                    t.p(
                        "shapiro p (k-group cases)",
                        name,
                        s.p_value,
                        r.p_value,
                        P_ABS,
                    );
                }
                (Err(_), None) => {}
                (ours, want) => panic!(
                    "shapiro {name}: ours {ours:?}, reference defined: {}",
                    want.is_some()
                ),
            }
        }
    }
    t.finish("k groups", 48);
}

// ------------------------------------------------------------------ two-way ANOVA

#[derive(Deserialize)]
struct Anova2File {
    cases: Vec<Anova2Case>,
}

#[derive(Deserialize)]
struct Anova2Case {
    name: String,
    y: Vec<f64>,
    a: Vec<u32>,
    b: Vec<u32>,
    effects: Vec<EffectRef>,
}

#[derive(Deserialize)]
struct EffectRef {
    source: String,
    ss: f64,
    df: f64,
    f: Option<f64>,
    p_value: Option<f64>,
}

#[test]
fn two_way_anova_matches_statsmodels_type_ii() {
    let file: Anova2File = load("anova2.json");
    let mut t = Tally::default();
    for case in &file.cases {
        let name = case.name.as_str();
        let table = anova2(
            &case.y,
            Factor {
                name: "A",
                levels: &case.a,
            },
            Factor {
                name: "B",
                levels: &case.b,
            },
        )
        .unwrap();
        assert_eq!(table.effects.len(), case.effects.len());
        for (ours, want) in table.effects.iter().zip(&case.effects) {
            assert_eq!(ours.source, want.source, "{name}");
            assert_eq!(ours.df, want.df, "{name} {}", want.source);
            t.rel("anova2 SS", name, ours.ss, want.ss, STAT_REL);
            match (ours.f, want.f, ours.p_value, want.p_value) {
                (Some(f), Some(wf), Some(p), Some(wp)) => {
                    t.rel("anova2 F", name, f, wf, STAT_REL);
                    t.p("anova2 p", name, p, wp, P_ABS);
                }
                (None, None, None, None) => {}
                _ => panic!("{name} {}: F/p presence differs", want.source),
            }
        }
    }
    t.finish("two-way ANOVA", 48);
}

// ------------------------------------------------------------------ Shapiro-Wilk

#[derive(Deserialize)]
struct ShapiroFile {
    cases: Vec<ShapiroCase>,
}

#[derive(Deserialize)]
struct ShapiroCase {
    name: String,
    data: Vec<f64>,
    w: f64,
    p_value: f64,
}

#[test]
fn shapiro_wilk_matches_scipy() {
    let file: ShapiroFile = load("shapiro.json");
    let mut t = Tally::default();
    for case in &file.cases {
        let s = shapiro_wilk(&case.data).unwrap();
        t.rel("shapiro W", &case.name, s.w, case.w, STAT_REL);
        t.abs("shapiro p", &case.name, s.p_value, case.p_value, P_ABS);
    }
    t.finish("Shapiro-Wilk", 48);
}

// ------------------------------------------------------------------ studentized range

#[derive(Deserialize)]
struct PtukeyFile {
    cdf: Vec<CdfPoint>,
    ppf: Vec<PpfPoint>,
}

#[derive(Deserialize)]
struct CdfPoint {
    q: f64,
    k: usize,
    df: f64,
    cdf: f64,
}

#[derive(Deserialize)]
struct PpfPoint {
    p: f64,
    k: usize,
    df: f64,
    q: f64,
}

#[test]
fn studentized_range_matches_scipy() {
    let file: PtukeyFile = load("ptukey.json");
    let mut t = Tally::default();
    for point in &file.cdf {
        let case = format!("q={} k={} df={}", point.q, point.k, point.df);
        let ours = ptukey(point.q, point.k, point.df).unwrap();
        t.abs("ptukey cdf", &case, ours, point.cdf, RANGE_P_ABS);
    }
    for point in &file.ppf {
        let case = format!("p={} k={} df={}", point.p, point.k, point.df);
        let ours = qtukey(point.p, point.k, point.df).unwrap();
        t.rel(
            "qtukey quantile (relative)",
            &case,
            ours,
            point.q,
            RANGE_P_ABS,
        );
    }
    t.finish("studentized range", 48);
}

// ------------------------------------------------------------------ properties

/// Random groups of random sizes (2..=12) with different locations and spreads.
fn random_groups(rng: &mut Rng, k: usize) -> Vec<Vec<f64>> {
    (0..k)
        .map(|_| {
            let n = 2 + rng.below(11);
            let centre = rng.next_f64() * 4.0;
            let spread = 0.5 + rng.next_f64() * 2.0;
            (0..n)
                .map(|_| centre + spread * (rng.next_f64() + rng.next_f64() - 1.0))
                .collect()
        })
        .collect()
}

fn views(groups: &[Vec<f64>]) -> Vec<&[f64]> {
    groups.iter().map(Vec::as_slice).collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn permuting_groups_permutes_results() {
    let mut rng = Rng::new(2026);
    for round in 0..40 {
        let k = 2 + rng.below(4);
        let groups = random_groups(&mut rng, k);
        let mut order: Vec<usize> = (0..k).collect();
        rng.shuffle(&mut order);
        let permuted: Vec<Vec<f64>> = order.iter().map(|&i| groups[i].clone()).collect();
        let (g, p) = (views(&groups), views(&permuted));

        let (a, b) = (anova(&g).unwrap(), anova(&p).unwrap());
        assert!(
            close(a.f, b.f, 1e-12) && close(a.p_value, b.p_value, 1e-9),
            "round {round}"
        );
        let (a, b) = (welch_anova(&g).unwrap(), welch_anova(&p).unwrap());
        assert!(
            close(a.f, b.f, 1e-12) && close(a.df2, b.df2, 1e-12),
            "round {round}"
        );
        let (a, b) = (kruskal(&g).unwrap(), kruskal(&p).unwrap());
        assert!(close(a.h, b.h, 1e-12), "round {round}");
        for (new, &old) in order.iter().enumerate() {
            assert!(close(b.mean_ranks[new], a.mean_ranks[old], 1e-12));
        }
        let (a, b) = (
            levene(&g, LeveneCenter::Mean).unwrap(),
            levene(&p, LeveneCenter::Mean).unwrap(),
        );
        assert!(close(a.statistic, b.statistic, 1e-12), "round {round}");

        // Row (i, j) of the permuted table is the original pair (order[i], order[j]),
        // with the sign of the difference flipped when the original order was reversed.
        let (a, b) = (tukey_hsd(&g, 0.95).unwrap(), tukey_hsd(&p, 0.95).unwrap());
        for row in &b.comparisons {
            let (oa, ob) = (order[row.a], order[row.b]);
            let (lo, hi, sign) = if oa < ob {
                (oa, ob, 1.0)
            } else {
                (ob, oa, -1.0)
            };
            let orig = a
                .comparisons
                .iter()
                .find(|r| (r.a, r.b) == (lo, hi))
                .unwrap();
            assert!(close(
                row.mean_difference,
                sign * orig.mean_difference,
                1e-12
            ));
            // Adaptive quadrature may split panels differently for q equal up to
            // rounding: p-values agree to about 1e-12, not to the last bit.
            assert!((row.p_value - orig.p_value).abs() < 1e-10, "round {round}");
            assert!(close(
                row.ci_high - row.ci_low,
                orig.ci_high - orig.ci_low,
                1e-12
            ));
        }
    }
}

#[test]
fn scale_and_shift_leave_test_statistics_unchanged() {
    let mut rng = Rng::new(99);
    for round in 0..40 {
        let k = 2 + rng.below(4);
        let groups = random_groups(&mut rng, k);
        let scale = 10f64.powf(rng.next_f64() * 8.0 - 4.0);
        let shift = (rng.next_f64() - 0.5) * 1e4;
        let scaled: Vec<Vec<f64>> = groups
            .iter()
            .map(|g| g.iter().map(|v| v * scale).collect())
            .collect();
        let shifted: Vec<Vec<f64>> = groups
            .iter()
            .map(|g| g.iter().map(|v| v + shift).collect())
            .collect();
        let (g, s, t) = (views(&groups), views(&scaled), views(&shifted));

        let base = anova(&g).unwrap();
        for other in [anova(&s).unwrap(), anova(&t).unwrap()] {
            assert!(
                close(base.f, other.f, 1e-9),
                "round {round}: {} {}",
                base.f,
                other.f
            );
        }
        let base = welch_anova(&g).unwrap();
        for other in [welch_anova(&s).unwrap(), welch_anova(&t).unwrap()] {
            assert!(close(base.f, other.f, 1e-9), "round {round}");
        }
        let base = levene(&g, LeveneCenter::Median);
        let others = [
            levene(&s, LeveneCenter::Median),
            levene(&t, LeveneCenter::Median),
        ];
        if let Ok(base) = base {
            for other in others {
                assert!(
                    close(base.statistic, other.unwrap().statistic, 1e-7),
                    "round {round}"
                );
            }
        }
        // Ranks are exactly invariant under increasing affine maps (barring new ties
        // from rounding, which these magnitudes do not produce).
        let base = kruskal(&g).unwrap();
        assert_eq!(base.h, kruskal(&s).unwrap().h, "round {round}");
        let base = tukey_hsd(&g, 0.95).unwrap();
        let other = tukey_hsd(&s, 0.95).unwrap();
        for (x, y) in base.comparisons.iter().zip(&other.comparisons) {
            assert!(close(x.q, y.q, 1e-9) && (x.p_value - y.p_value).abs() < 1e-9);
            assert!(close(x.mean_difference * scale, y.mean_difference, 1e-9));
        }
        if groups[0].len() >= 3 {
            let w = shapiro_wilk(&groups[0]).unwrap().w;
            assert!(close(w, shapiro_wilk(&scaled[0]).unwrap().w, 1e-12));
            assert!(close(w, shapiro_wilk(&shifted[0]).unwrap().w, 1e-9));
        }
    }
}

#[test]
fn two_way_anova_does_not_depend_on_level_labels_or_row_order() {
    let mut rng = Rng::new(17);
    for round in 0..20 {
        let (na, nb) = (2 + rng.below(3), 2 + rng.below(3));
        let (mut y, mut a, mut b) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..na {
            for j in 0..nb {
                for _ in 0..1 + rng.below(5) {
                    y.push(i as f64 * 0.3 + j as f64 * 0.2 + rng.next_f64());
                    a.push(i);
                    b.push(j);
                }
            }
        }
        // Guarantee residual degrees of freedom.
        y.push(rng.next_f64());
        a.push(0);
        b.push(0);
        let base = anova2(
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

        let mut rows: Vec<usize> = (0..y.len()).collect();
        rng.shuffle(&mut rows);
        let y2: Vec<f64> = rows.iter().map(|&r| y[r]).collect();
        let a2: Vec<String> = rows
            .iter()
            .map(|&r| format!("level-{}", 10 - a[r]))
            .collect();
        let b2: Vec<usize> = rows.iter().map(|&r| 100 + b[r] * 7).collect();
        let other = anova2(
            &y2,
            Factor {
                name: "A",
                levels: &a2,
            },
            Factor {
                name: "B",
                levels: &b2,
            },
        )
        .unwrap();
        for (x, z) in base.effects.iter().zip(&other.effects) {
            assert!(
                close(x.ss, z.ss, 1e-9),
                "round {round} {}: {} vs {}",
                x.source,
                x.ss,
                z.ss
            );
            assert_eq!(x.df, z.df);
        }
    }
}

/// `cargo test --release -p ipw-bench --test stats_reference_b -- --ignored --nocapture`
#[test]
#[ignore = "timing; run in release"]
fn one_million_values_in_four_groups_take_well_under_a_second() {
    let mut rng = Rng::new(1);
    let groups: Vec<Vec<f64>> = (0..4)
        .map(|g| {
            (0..250_000)
                .map(|_| g as f64 * 0.01 + rng.next_f64())
                .collect()
        })
        .collect();
    let g = views(&groups);
    fn timed<T>(name: &str, run: impl FnOnce() -> T) {
        let start = std::time::Instant::now();
        std::hint::black_box(run());
        let elapsed = start.elapsed();
        eprintln!("{name}: {elapsed:?}");
        assert!(elapsed.as_secs_f64() < 0.5, "{name} took {elapsed:?}");
    }
    timed("anova", || anova(&g).unwrap());
    timed("tukey", || tukey_hsd(&g, 0.95).unwrap());
    timed("kruskal", || kruskal(&g).unwrap());
}
