//! End-to-end tests of `cargo ipw stats mcnemar` and `paired-bootstrap`: the built binary
//! on per-question CSV tables read from standard input, against statsmodels' and SciPy's
//! numbers and the bootstrap's known standard error.

use serde::Deserialize;
use serde_json::Value;
use std::process::{Command, Output};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

fn run(args: &[&str], stdin: &str) -> Output {
    common::stats_on_stdin(args, stdin)
}

fn ok(args: &[&str], stdin: &str) -> String {
    let out = run(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {err}");
    assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(args: &[&str], stdin: &str) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(&all, stdin)).expect("one JSON object")
}

#[track_caller]
fn fails_with(args: &[&str], stdin: &str, needle: &str) {
    let out = run(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected '{needle}' in: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one-line message: {err}");
}

#[track_caller]
fn rel(got: &Value, want: f64, tol: f64, what: &str) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    let err = if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    };
    assert!(
        err <= tol,
        "{what}: {got} vs {want} (relative error {err:e})"
    );
}

/// Per-question outcomes of `base` and `tuned` whose paired table is `[a, b, c, d]` (both
/// right, only base, only tuned, both wrong), rows of both groups interleaved.
fn outcomes(table: [u64; 4]) -> String {
    let mut csv = String::from("question,model,correct\n");
    let cells = [(1, 1), (1, 0), (0, 1), (0, 0)];
    let mut q = 0;
    for (k, (x, y)) in table.iter().zip(cells) {
        for _ in 0..*k {
            csv.push_str(&format!("q{q},base,{x}\nq{q},tuned,{y}\n"));
            q += 1;
        }
    }
    csv
}

/// The cases of `ipw-bench/tests/reference/stats_c/mcnemar.json` (made by
/// `make_stats_c.py` with statsmodels' `mcnemar`), read as the library's test reads them.
#[derive(Deserialize)]
struct McNemarFile {
    cases: Vec<McNemarCase>,
}

#[derive(Deserialize)]
struct McNemarCase {
    name: String,
    table: [u64; 4],
    exact: Ref,
    chi2: Ref,
    chi2_corrected: Ref,
    auto: String,
}

#[derive(Deserialize)]
struct Ref {
    statistic: Option<f64>,
    p_value: Option<f64>,
}

fn reference() -> McNemarFile {
    let path = format!(
        "{}/../ipw-bench/tests/reference/stats_c/mcnemar.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const MCNEMAR: [&str; 5] = ["mcnemar", "--group", "model", "--pair", "question"];

#[test]
fn mcnemar_matches_statsmodels_and_scipy() {
    // Mid-p: 2 * binom.cdf(k, n, .5) - binom.pmf(k, n, .5), k = min(b, c), n = b + c,
    // from SciPy 1.17.1 (`python3 -c 'from scipy.stats import binom; ...'`).
    let mid_p = [
        ("small", 0.2265625),               // k = 3, n = 10
        ("small_mid", 0.17956542968749997), // k = 4, n = 13
        ("moderate", 0.016673847800120722), // k = 10, n = 34
    ];
    let file = reference();
    for (name, want_mid_p) in mid_p {
        let c = file
            .cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("case {name} in mcnemar.json"));
        let csv = outcomes(c.table);
        let with = |method: &str| {
            let mut args = MCNEMAR.to_vec();
            args.extend(["--method", method]);
            json(&args, &csv)
        };
        for (method, want, label) in [
            ("exact", &c.exact, "exact"),
            ("chi-square", &c.chi2, "chi-square"),
            ("corrected", &c.chi2_corrected, "chi-square-corrected"),
        ] {
            let v = with(method);
            assert_eq!(v["method"], label, "{name}");
            let what = format!("{name} {method}");
            rel(
                &v["statistic"],
                want.statistic.expect("statistic"),
                1e-12,
                &what,
            );
            rel(&v["p_value"], want.p_value.expect("p-value"), 1e-12, &what);
        }
        let v = with("auto");
        assert_eq!(v["method"], c.auto.as_str(), "{name}");
        let v = json(&MCNEMAR, &csv);
        assert_eq!(v["method"], "mid-p", "the default, {name}");
        rel(&v["p_value"], want_mid_p, 1e-12, &format!("{name} mid-p"));
        let [a, b, cc, d] = c.table;
        assert_eq!(v["table"]["both_right"], a);
        assert_eq!(v["table"]["first_only"], b);
        assert_eq!(v["table"]["second_only"], cc);
        assert_eq!(v["table"]["both_wrong"], d);
        let n = (a + b + cc + d) as f64;
        rel(
            &v["accuracy"][0],
            (a + b) as f64 / n,
            1e-15,
            "accuracy of base",
        );
        rel(
            &v["accuracy"][1],
            (a + cc) as f64 / n,
            1e-15,
            "accuracy of tuned",
        );
        rel(
            &v["difference"],
            (cc as f64 - b as f64) / n,
            1e-15,
            "difference",
        );
        rel(&v["discordance"], (b + cc) as f64 / n, 1e-15, "discordance");
        assert!(v["min_detectable_difference_power_80"].as_f64().is_some());
    }
}

#[test]
fn mcnemar_interval_matches_newcombe_and_text_says_it_all() {
    // ipw-bench/tests/reference/stats_c/paired_ci.json, table [50, 10, 24, 30] at 95%.
    let csv = outcomes([50, 10, 24, 30]);
    let v = json(&MCNEMAR, &csv);
    assert_eq!(v["ci_method"], "newcombe");
    rel(&v["ci_low"], 0.02300613037218005, 1e-12, "Newcombe low");
    rel(&v["ci_high"], 0.21850111662319358, 1e-12, "Newcombe high");
    let text = ok(&MCNEMAR, &csv);
    for needle in [
        "McNemar's mid-p binomial test: base vs tuned on 114 questions paired by 'question'",
        "base right           50           10",
        "base wrong           24           30",
        "min(b, c) = 10  p = 0.0167",
        "accuracy difference (tuned - base) 0.1228  95% CI (Newcombe) [0.0230, 0.2185]",
        "discordance 0.2982: 34 of 114 questions right in one group only",
        "with 80% power at this discordance: 0.14",
        "The accuracies of base and tuned differ (p = 0.0167 < 0.05).",
    ] {
        assert!(text.contains(needle), "'{needle}' in:\n{text}");
    }
}

#[test]
fn mcnemar_refuses_what_it_cannot_pair() {
    let head = "question,model,correct\n";
    fails_with(
        &MCNEMAR,
        &format!("{head}q1,base,1\nq1,tuned,0\nq2,base,1\nq2,tuned,0.5\n"),
        "standard input: row 5, column 'correct': '0.5' is not an outcome; write 0 (wrong) or 1 (right)",
    );
    fails_with(
        &MCNEMAR,
        &format!("{head}q1,base,1\nq1,tuned,0\nq2,base,1\nq3,tuned,0\n"),
        "pair 'q2' (column 'question') has a value in group 'base' but none in group 'tuned'",
    );
    fails_with(
        &MCNEMAR,
        &format!("{head}q1,base,1\nq1,tuned,0\nq1,base,0\nq2,tuned,1\n"),
        "pair 'q1' (column 'question') has two values in group 'base'",
    );
    fails_with(
        &MCNEMAR,
        &format!("{head}q1,a,1\nq2,a,0\nq1,b,1\nq2,b,0\nq1,c,1\nq2,c,1\n"),
        "mcnemar compares exactly 2 groups, found 3 in column 'model' (a, b, c)",
    );
    fails_with(
        &["mcnemar", "--group", "model"],
        &outcomes([1, 1, 1, 1]),
        "mcnemar needs --pair COL",
    );
    fails_with(
        &["mcnemar", "--group", "model", "--pair", "id"],
        &outcomes([1, 1, 1, 1]),
        "column 'id' not found in the header (columns: question, model, correct); pass --pair COL",
    );
}

/// `n` questions of two variants: a shared question effect, each variant's own part, the
/// second variant 0.2 higher; from a fixed formula, so that the test needs no generator.
fn energies(n: usize) -> (String, Vec<f64>, Vec<f64>) {
    let mut csv = String::from("question,variant,joules\n");
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for i in 0..n {
        let q = 1.0 + (i * 7 % 13) as f64 / 4.0;
        let (a, b) = (
            q + (i * 5 % 11) as f64 / 10.0,
            q + 0.2 + (i * 3 % 7) as f64 / 10.0,
        );
        csv.push_str(&format!("q{i},fp32,{a}\nq{i},fp16,{b}\n"));
        x.push(a);
        y.push(b);
    }
    (csv, x, y)
}

const BOOT: [&str; 7] = [
    "paired-bootstrap",
    "--group",
    "variant",
    "--value",
    "joules",
    "--pair",
    "question",
];

#[test]
fn bootstrap_standard_error_approaches_sd_over_root_n() {
    // Resampling n questions, the mean difference has variance sum (d - mean d)^2 / n^2:
    // sd(d) / sqrt(n) * sqrt((n - 1) / n), with sd's n - 1 denominator.
    let n = 40;
    let (csv, x, y) = energies(n);
    let d: Vec<f64> = y.iter().zip(&x).map(|(b, a)| b - a).collect();
    let nf = n as f64;
    let mean = d.iter().sum::<f64>() / nf;
    let sd = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    let want = sd / nf.sqrt() * ((nf - 1.0) / nf).sqrt();
    let mut args = BOOT.to_vec();
    args.extend(["--resamples", "40000"]);
    let v = json(&args, &csv);
    rel(&v["se"], want, 0.02, "bootstrap SE");
    rel(&v["point"], mean, 1e-12, "mean difference");
    assert_eq!(v["statistic"], "mean-difference");
    assert_eq!(
        (v["resamples"].as_u64(), v["kept"].as_u64()),
        (Some(40000), Some(40000))
    );
    let (low, high) = (
        v["ci_low"].as_f64().unwrap(),
        v["ci_high"].as_f64().unwrap(),
    );
    assert!(low < mean && mean < high, "[{low}, {high}] around {mean}");
    let mut args = BOOT.to_vec();
    args.extend(["--statistic", "ratio-of-means"]);
    let v = json(&args, &csv);
    rel(
        &v["point"],
        y.iter().sum::<f64>() / x.iter().sum::<f64>(),
        1e-12,
        "ratio of means",
    );
    assert_eq!(v["null"], 1.0);
}

#[test]
fn bootstrap_is_reproducible_byte_for_byte_and_seeds_differ() {
    let (csv, _, _) = energies(25);
    let seeded = |seed: &str, format: &str| {
        let mut args = BOOT.to_vec();
        args.extend(["--seed", seed, "--resamples", "2000", "--format", format]);
        ok(&args, &csv)
    };
    for format in ["text", "json"] {
        assert_eq!(seeded("5", format), seeded("5", format), "{format}");
        assert_ne!(seeded("5", format), seeded("6", format), "{format}");
    }
    let text = seeded("5", "text");
    for needle in [
        "paired bootstrap: fp32 vs fp16 on 25 questions paired by 'question'",
        "mean difference (fp16 - fp32) ",
        "95% CI (percentile) [",
        "2000 resamples, seed 5: two-sided p = ",
    ] {
        assert!(text.contains(needle), "'{needle}' in:\n{text}");
    }
}

#[test]
fn bootstrap_refuses_bad_flags_and_undefined_ratios() {
    let (csv, _, _) = energies(5);
    let mut args = BOOT.to_vec();
    args.extend(["--resamples", "10"]);
    fails_with(&args, &csv, "--resamples must be at least 100");
    fails_with(
        &BOOT,
        "question,variant,joules\nq1,a,1\nq1,b,2\nq2,a,1\nq3,b,2\n",
        "pair 'q2' (column 'question') has a value in group 'a' but none in group 'b'",
    );
    let mut args = BOOT.to_vec();
    args.extend(["--statistic", "ratio-of-means"]);
    fails_with(
        &args,
        "question,variant,joules\nq1,a,0\nq1,b,2\nq2,a,0\nq2,b,2\n",
        "the first variant's values sum to 0",
    );
    fails_with(&BOOT[..5], &csv, "paired-bootstrap needs --pair COL");
}

#[test]
fn help_lists_the_paired_tests() {
    let out = Command::new(BIN)
        .args(["stats", "--help"])
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "mcnemar",
        "paired-bootstrap",
        "--method",
        "--resamples",
        "--seed",
    ] {
        assert!(help.contains(needle), "'{needle}' in:\n{help}");
    }
}
